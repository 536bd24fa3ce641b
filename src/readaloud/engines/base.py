"""The Engine protocol every speech backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from readaloud.errors import ToolError, TransientEngineError
from readaloud.model import Audio, Speech


class Engine(Protocol):
    # Read-only here, so an engine may state it on its class and a wrapper may pass on its engine's.
    @property
    def name(self) -> str: ...

    max_chars: int  # longest text (after NFC) one request may carry
    concurrency: int  # requests that may run at once; 1 for engines that are not thread-safe

    def identity(self) -> str:
        """Everything that changes the audio for the same text: engine, version, voice, rate, language."""
        ...

    def synthesize(self, text: str) -> Speech:
        """Speak one chunk. Raises TransientEngineError (worth retrying), EngineUnavailable or
        SynthesisError; never returns empty audio."""
        ...


def retry_after(value: str | None) -> float | None:
    """Seconds an HTTP Retry-After header asks to wait (a number of seconds or an HTTP date), or None
    when there is none or it cannot be read: what every online engine hands TransientEngineError."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


TICKS_PER_SECOND = 10_000_000  # Microsoft's services time word boundaries in units of 100 ns


def word_times(text: str, boundaries: Sequence[tuple[str, int]], sample_rate: int, samples: int
               ) -> tuple[tuple[int, int], ...]:
    """Speech.words from a service's word boundaries, each (word as reported, start in ticks): every word
    is looked for in `text` after the one before it (case folded), so its character offset is where the
    text says it; a word not found there (the service spelled it otherwise) is left out, as is one said to
    start after the audio's end or before the word ahead of it, so the times stay in order and in the clip."""
    found: list[tuple[int, int]] = []
    folded = text.casefold()
    cursor = 0
    for word, ticks in boundaries:
        at = folded.find(word.casefold(), cursor) if word else -1
        if at < 0:
            continue
        cursor = at + len(word)
        sample = ticks * sample_rate // TICKS_PER_SECOND
        if sample <= samples and (not found or sample >= found[-1][1]):
            found.append((at, sample))
    return tuple(found)


def decoded_mp3(data: bytes, sample_rate: int, service: str) -> Audio:
    """A service's MP3 reply as PCM; TransientEngineError (worth asking again) when it is empty, cut short
    or not decodable, so a broken answer is never played as a short one."""
    from readaloud import audio

    if not data or not audio.mp3_frames_complete(data):
        raise TransientEngineError(f"{service}'s reply is not whole MP3 audio (empty or cut short)")
    try:
        return audio.decode(data, sample_rate)
    except ToolError:
        raise TransientEngineError(f"{service}'s reply is not decodable audio") from None
