"""Google Translate's voice through the real gTTS library, one request per chunk.

gTTS is used below its tokenizer: readaloud sends texts already cut to gTTS's 100-character limit and
turns gTTS's pre-processors off, so every pause is ours. gTTS has no retries and waits forever by
default; here every request has a timeout, and failures are classified so the runner can retry the
ones worth retrying (429, 5xx, timeouts, empty or broken replies).
"""

from __future__ import annotations

import io
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import ClassVar

from readaloud.config import GttsSettings
from readaloud.errors import EngineUnavailable, SynthesisError, ToolError, TransientEngineError
from readaloud.model import Speech

# Google's replies have been MPEG-2 Layer III at 24 kHz; decoding to this rate keeps them untouched.
SAMPLE_RATE = 24000


class Unreachable(TransientEngineError):
    """Google could not be reached at all (DNS, refused, no route)."""


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from datetime import datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


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
        buffer = io.BytesIO()
        try:
            tts.write_to_fp(buffer)
        except gTTSError as exc:
            raise self._classify(exc) from None
        except requests.RequestException as exc:
            # Raised while reading the body (reset mid-reply), outside gTTS's own handler.
            raise TransientEngineError(f"Google's reply broke off: {exc.__class__.__name__}") from None
        data = buffer.getvalue()
        if not data:
            raise TransientEngineError("Google answered without audio (empty reply)")
        try:
            clip = audio.decode(data, SAMPLE_RATE)
        except ToolError:
            raise TransientEngineError("Google's reply is not decodable audio") from None
        if clip.samples == 0:
            raise TransientEngineError("Google's reply decoded to no audio")
        return Speech(clip, data, "mp3")

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
                                        retry_after=_retry_after(response.headers.get("Retry-After")))
        if status >= 500:
            return TransientEngineError(f"Google's TTS service failed ({status})",
                                        retry_after=_retry_after(response.headers.get("Retry-After")))
        if status == 200:
            return TransientEngineError("Google answered without audio")
        return SynthesisError(f"gTTS request refused: {exc}")
