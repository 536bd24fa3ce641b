"""espeak-ng, loaded in-process from the `espeakng-loader` wheel (library and voice data inside).

The library keeps global state and is not thread-safe, so one process-wide instance is guarded by a lock
and the engine declares a concurrency of 1. It synthesises about a thousand times faster than real time,
so nothing is gained by more.
"""

from __future__ import annotations

import ctypes
import threading
from typing import ClassVar

from readaloud.config import ESPEAK_RATES, VOICES, EngineSettings
from readaloud.errors import ConfigError, EngineUnavailable, SynthesisError
from readaloud.model import Audio, Speech

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_PARAM_RATE = 1
_EE_OK = 0

_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _Library:
    """The loaded libespeak-ng, initialised once per process."""

    def __init__(self) -> None:
        try:
            import espeakng_loader

            self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data_path = espeakng_loader.get_data_path()
        except (ImportError, OSError) as exc:
            raise EngineUnavailable(f"espeak-ng could not be loaded from espeakng-loader: {exc}") from None
        self.lib.espeak_Initialize.restype = ctypes.c_int
        self.lib.espeak_Info.restype = ctypes.c_char_p
        self.sample_rate = self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, str(data_path).encode(), 0)
        if self.sample_rate <= 0:
            raise EngineUnavailable(f"espeak-ng failed to initialise with data at {data_path}")
        self.version = (self.lib.espeak_Info(None) or b"?").decode()
        self.lock = threading.Lock()
        self._buffer = bytearray()
        # Kept on the instance: ctypes would free the trampoline if the Python object were collected.
        self._callback = _SynthCallback(self._collect)
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(self, wav, count, _events) -> int:
        if count > 0:
            self._buffer += ctypes.string_at(wav, count * 2)
        return 0  # 0 = keep going

    def speak(self, text: str, voice: str, rate: int) -> bytes:
        with self.lock:
            if self.lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
                raise ConfigError(f"espeak-ng has no voice {voice!r} (Vietnamese voices: {', '.join(VOICES)})")
            self.lib.espeak_SetParameter(_PARAM_RATE, rate, 0)
            self._buffer = bytearray()
            encoded = text.encode("utf-8")
            status = self.lib.espeak_Synth(ctypes.c_char_p(encoded), len(encoded) + 1, 0, _POS_CHARACTER, 0,
                                           _CHARS_UTF8, None, None)
            self.lib.espeak_Synchronize()
            if status != _EE_OK:
                raise SynthesisError(f"espeak-ng failed (status {status}) on: {text[:60]}")
            return bytes(self._buffer)


_library: _Library | None = None
_library_lock = threading.Lock()


def _load() -> _Library:
    global _library
    with _library_lock:
        if _library is None:
            _library = _Library()
        return _library


class EspeakEngine:
    name: ClassVar[str] = "espeak"
    max_chars = 300
    concurrency = 1

    def __init__(self, voice: str = "vi", rate: int = 165):
        low, high = ESPEAK_RATES
        if not low <= rate <= high:
            raise ConfigError(f"espeak rate must be between {low} and {high} words per minute, got {rate}")
        self.voice = voice
        self.rate = rate
        self._lib = _load()
        # Checked now, before any work, so a typo fails the build at once.
        self._lib.speak("", voice, rate)

    @classmethod
    def from_settings(cls, settings: EngineSettings) -> EspeakEngine:
        return cls(voice=settings.voice, rate=settings.rate)

    def identity(self) -> str:
        return f"espeak-ng {self._lib.version} voice={self.voice} rate={self.rate}"

    def synthesize(self, text: str) -> Speech:
        pcm = self._lib.speak(text, self.voice, self.rate)
        if not pcm:
            raise SynthesisError(f"espeak-ng produced no audio for: {text[:60]}")
        return Speech(Audio(pcm, self._lib.sample_rate), pcm, "pcm")
