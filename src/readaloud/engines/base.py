"""The Engine protocol every speech backend implements."""

from __future__ import annotations

from typing import ClassVar, Protocol

from readaloud.model import Speech


class Engine(Protocol):
    name: ClassVar[str]
    max_chars: int  # longest text (after NFC) one request may carry
    concurrency: int  # requests that may run at once; 1 for engines that are not thread-safe

    def identity(self) -> str:
        """Everything that changes the audio for the same text: engine, version, voice, rate, language."""
        ...

    def synthesize(self, text: str) -> Speech:
        """Speak one chunk. Raises TransientEngineError (worth retrying), EngineUnavailable or
        SynthesisError; never returns empty audio."""
        ...
