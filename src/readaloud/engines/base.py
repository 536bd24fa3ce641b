"""The Engine protocol every speech backend implements."""

from __future__ import annotations

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
