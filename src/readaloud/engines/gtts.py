"""Google Translate's voice through the real gTTS library, one request per chunk.

gTTS is used below its tokenizer: readaloud sends texts already cut to gTTS's 100-character limit and
turns gTTS's pre-processors off, so every pause is ours. gTTS has no retries and waits forever by
default; here every request has a timeout, and failures are classified so the runner can retry the
ones worth retrying (429, 5xx, timeouts, empty or broken replies).
"""

from __future__ import annotations

import io
import threading
from typing import ClassVar

from readaloud.config import GttsSettings
from readaloud.engines.base import retry_after
from readaloud.errors import EngineUnavailable, SynthesisError, ToolError, TransientEngineError
from readaloud.model import Speech

# Google's replies have been MPEG-2 Layer III at 24 kHz; decoding to this rate keeps them untouched.
SAMPLE_RATE = 24000


class Unreachable(TransientEngineError):
    """Google could not be reached at all (DNS, refused, no route)."""


class GttsEngine:
    name: ClassVar[str] = "gtts"
    max_chars = 100  # gTTS's GOOGLE_TTS_MAX_CHARS
    lang = "vi"

    def __init__(self, settings: GttsSettings | None = None):
        settings = settings or GttsSettings()
        try:
            import gtts
        except ImportError as exc:
            raise EngineUnavailable(f"the gTTS library is not installed: {exc}") from None
        self.version = gtts.__version__
        self.tld = settings.tld
        self.timeout = settings.timeout_s
        # The whole reply, however it trickles in: connecting, waiting and reading each take at most
        # `timeout`, and a reply of a few kB needs no more than that again.
        self.deadline = 3 * settings.timeout_s
        self.concurrency = max(1, settings.concurrency)

    @classmethod
    def from_settings(cls, settings: GttsSettings) -> GttsEngine:
        return cls(settings)

    def identity(self) -> str:
        return f"gtts {self.version} lang={self.lang} tld={self.tld}"

    def synthesize(self, text: str) -> Speech:
        import requests
        from gtts import gTTS, gTTSError

        from readaloud import audio

        tts = gTTS(text, lang=self.lang, tld=self.tld, timeout=self.timeout, lang_check=False,
                   pre_processor_funcs=[])
        data = self._fetch(tts, gTTSError, requests.RequestException)
        if not data:
            raise TransientEngineError("Google answered without audio (empty reply)")
        if not audio.mp3_frames_complete(data):
            raise TransientEngineError("Google's reply is not whole MP3 audio (truncated or not MP3)")
        try:
            clip = audio.decode(data, SAMPLE_RATE)
        except ToolError:
            raise TransientEngineError("Google's reply is not decodable audio") from None
        if clip.samples == 0:
            raise TransientEngineError("Google's reply decoded to no audio")
        return Speech(clip, data, "mp3")

    def _fetch(self, tts, gtts_error: type[Exception], request_error: type[Exception]) -> bytes:
        """Run gTTS's request with a deadline on the whole reply.

        requests' timeout bounds each wait for bytes, not the reply: a server that keeps dribbling, or
        never closes, would hold a build forever. The request runs on a daemon thread; past the deadline
        it is abandoned (it ends with its connection) and the chunk is retried like any other timeout.
        """
        buffer = io.BytesIO()
        failure: list[BaseException] = []

        def fetch() -> None:
            try:
                tts.write_to_fp(buffer)
            except BaseException as exc:  # handed to the caller's thread below
                failure.append(exc)

        worker = threading.Thread(target=fetch, name="gtts-request", daemon=True)
        worker.start()
        worker.join(self.deadline)
        if worker.is_alive():
            raise TransientEngineError(f"Google's reply did not finish within {self.deadline:g} s")
        if failure:
            exc = failure[0]
            if isinstance(exc, gtts_error):
                raise self._classify(exc) from None
            if isinstance(exc, request_error):
                # Raised while reading the body (reset mid-reply), outside gTTS's own handler.
                raise TransientEngineError(f"Google's reply broke off: {exc.__class__.__name__}") from None
            raise exc
        return buffer.getvalue()

    def _classify(self, exc: Exception) -> Exception:
        import requests

        response = getattr(exc, "rsp", None)
        if response is None:
            # gTTS raises from inside its handler, so the requests exception is the context.
            cause = exc.__context__
            if isinstance(cause, requests.ConnectionError):  # DNS, refused, connect timeout
                return Unreachable(f"cannot reach translate.google.{self.tld} ({cause.__class__.__name__})")
            if isinstance(cause, requests.Timeout):
                return TransientEngineError(f"Google did not answer within {self.timeout:g} s")
            return TransientEngineError(f"request to Google failed ({cause.__class__.__name__})")
        status = response.status_code
        if status == 429:
            return TransientEngineError("Google is rate limiting (429 Too Many Requests)",
                                        retry_after=retry_after(response.headers.get("Retry-After")))
        if status >= 500:
            return TransientEngineError(f"Google's TTS service failed ({status})",
                                        retry_after=retry_after(response.headers.get("Retry-After")))
        if status == 200:
            return TransientEngineError("Google answered without audio")
        return SynthesisError(f"gTTS request refused: {exc}")
