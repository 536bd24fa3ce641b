"""The Engine protocol every speech backend implements."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol

from readaloud.model import Speech


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
