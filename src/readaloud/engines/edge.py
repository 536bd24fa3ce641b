"""Microsoft's neural voices (vi-VN HoaiMy, NamMinh) through the real edge-tts library: online, no key.

One WebSocket exchange per chunk: edge-tts sends the text, the service streams MP3 (24 kHz, 48 kbit/s
mono) and a word-boundary event for each word, whose times readaloud keeps (Speech.words) so captions and
the player's highlight start where each word is spoken.

edge-tts has two blind spots an engine must cover (both seen against a fake of the service): a
connection cut mid-stream ends the stream quietly with the audio so far, and a service that stops
answering is waited for for ever. So every exchange has a deadline, and an answer whose last word
boundary is not one of the chunk's last words, or whose audio ends before that word does, is taken
for a broken one and retried.
"""

from __future__ import annotations

import asyncio
import re
from typing import ClassVar

from readaloud.config import EdgeSettings
from readaloud.engines.base import TICKS_PER_SECOND, decoded_mp3, retry_after, word_times
from readaloud.errors import EngineUnavailable, SynthesisError, TransientEngineError
from readaloud.model import Speech

SAMPLE_RATE = 24000  # the service's audio-24khz-48kbitrate-mono-mp3
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _bare(word: str) -> str:
    """A reported word as the text's words are compared: letters and digits only, case folded."""
    return "".join(_WORD.findall(word)).casefold()


class Unreachable(TransientEngineError):
    """The service could not be reached at all (DNS, refused, no route)."""


class EdgeEngine:
    name: ClassVar[str] = "edge"
    max_chars = 600  # a request carries at most 4096 bytes of escaped SSML text; Vietnamese is ~1.3 bytes/char

    def __init__(self, settings: EdgeSettings | None = None):
        settings = settings or EdgeSettings()
        try:
            import edge_tts
        except ImportError as exc:
            raise EngineUnavailable(f"the edge-tts library is not installed: {exc}") from None
        self.version = edge_tts.__version__
        self.voice = settings.voice
        self.timeout = settings.timeout_s
        self.concurrency = max(1, settings.concurrency)

    @classmethod
    def from_settings(cls, settings: EdgeSettings) -> EdgeEngine:
        return cls(settings)

    def identity(self) -> str:
        return f"edge-tts {self.version} voice={self.voice}"

    def synthesize(self, text: str) -> Speech:
        data, boundaries = self._exchange(text)
        clip = decoded_mp3(data, SAMPLE_RATE, "Microsoft")
        words = self._check_complete(text, boundaries, clip.samples)
        return Speech(clip, data, "mp3", words)

    def _check_complete(self, text: str, boundaries: list[tuple[str, int, int]], samples: int
                        ) -> tuple[tuple[int, int], ...]:
        """The words' (character offset, sample offset), after checking the answer covers the whole text."""
        expected = _WORD.findall(text)
        if not boundaries:
            raise TransientEngineError("Microsoft's reply carried no word boundaries (cut short?)")
        last_word, offset, duration = boundaries[-1]
        tail = {word.casefold() for word in expected[-3:]}
        if expected and _bare(last_word) not in tail:
            raise TransientEngineError(f"Microsoft's reply stopped at word {len(boundaries)} of about "
                                       f"{len(expected)} (the connection was cut)")
        if (offset + duration) * SAMPLE_RATE // TICKS_PER_SECOND > samples + SAMPLE_RATE // 20:
            raise TransientEngineError("Microsoft's audio ends before its last word does (cut short)")
        return word_times(text, [(word, tick) for word, tick, _ in boundaries], SAMPLE_RATE, samples)

    def _exchange(self, text: str) -> tuple[bytes, list[tuple[str, int, int]]]:
        """The MP3 bytes and the word boundaries (word, offset, duration in ticks) of one request, within
        the deadline; errors classified as the runner expects."""
        try:
            return asyncio.run(asyncio.wait_for(self._stream(text), self.timeout))
        except TimeoutError:
            raise TransientEngineError(f"Microsoft did not finish answering within {self.timeout:g} s") from None
        except Exception as exc:
            raise self._classify(exc) from None

    async def _stream(self, text: str) -> tuple[bytes, list[tuple[str, int, int]]]:
        import edge_tts

        audio_parts: list[bytes] = []
        boundaries: list[tuple[str, int, int]] = []
        talk = edge_tts.Communicate(text, self.voice, boundary="WordBoundary")
        async for part in talk.stream():
            if part["type"] == "audio":
                audio_parts.append(part["data"])
            elif part["type"] == "WordBoundary":
                boundaries.append((part["text"], int(part["offset"]), int(part["duration"])))
        return b"".join(audio_parts), boundaries

    def _classify(self, exc: Exception) -> Exception:
        import aiohttp
        from edge_tts import exceptions as edge_errors

        if isinstance(exc, aiohttp.WSServerHandshakeError):
            status = exc.status
            wait = retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            if status == 429:
                return TransientEngineError("Microsoft is rate limiting (429 Too Many Requests)",
                                            retry_after=wait)
            if status >= 500:
                return TransientEngineError(f"Microsoft's speech service failed ({status})",
                                            retry_after=wait)
            if status in (401, 403):
                return EngineUnavailable(f"Microsoft refused edge-tts {self.version} ({status}): the service's "
                                         "token scheme changed; upgrade edge-tts")
            return SynthesisError(f"Microsoft refused the request ({status})")
        if isinstance(exc, aiohttp.ClientConnectorError):
            return Unreachable(f"cannot reach Microsoft's speech service ({exc.__class__.__name__})")
        if isinstance(exc, aiohttp.ClientError | OSError | edge_errors.EdgeTTSException):
            return TransientEngineError(f"Microsoft's reply broke off ({exc.__class__.__name__})")
        return exc
