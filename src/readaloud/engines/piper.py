"""Piper: offline neural voices (VITS models exported to ONNX) through the real piper-tts library.

The newsroom provides the voice: an .onnx model with its .onnx.json beside it (`[piper] model`); the README's
Piper voices section says where a Vietnamese one comes from and how to check it. piper-tts is GPL-3.0, so it
is an optional extra (`pip install -e '.[piper]'`), imported only when this engine is used. It carries
its own copy of espeak-ng for phonemes (a private extension module), separate from the espeakng-loader
library the espeak engine runs.

A voice is loaded once per process and shared by every build and worker thread: onnxruntime's sessions
may be run from several threads at once, and piper-tts holds a lock around its espeak-ng phonemizer. The
model's SHA-256 is part of the identity, so clips cached from another model file are never reused; the
digest is computed once per file (by path, size and modification time), not per chunk.

Piper gives no word timings: Speech.words stays empty and captions share a chunk's time out by syllables.
Leading and trailing silence is left to the pipeline's trim, as for every engine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from readaloud.config import PiperSettings
from readaloud.errors import EngineMisconfigured, EngineUnavailable, SynthesisError
from readaloud.model import Audio, Speech

INSTALL = "install the piper extra: pip install -e '.[piper]' in readaloud's folder"
_HASH_BLOCK = 1 << 20


@dataclass(frozen=True)
class Voice:
    """A checked voice: its files, what its .json says, and the digests that name it."""

    model: Path
    config: Path
    sample_rate: int
    length_scale: float  # the voice's own pace, from its .json
    model_sha256: str
    config_sha256: str


def _config_path(model: Path) -> Path:
    return model.with_name(model.name + ".json")


def _stat_key(path: Path) -> tuple[str, int, int, int]:
    found = path.stat()
    return str(path.resolve()), found.st_size, found.st_mtime_ns, found.st_ino


_digests: dict[tuple[str, int, int, int], str] = {}
_digests_lock = threading.Lock()


def file_sha256(path: Path) -> str:
    """The file's SHA-256, computed once per process for each version of the file (a voice is ~60 MB)."""
    key = _stat_key(path)
    with _digests_lock:
        known = _digests.get(key)
    if known is not None:
        return known
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_HASH_BLOCK):
            digest.update(block)
    with _digests_lock:
        _digests[key] = digest.hexdigest()
    return digest.hexdigest()


def _read_config(config: Path) -> dict[str, Any]:
    if not config.is_file():
        raise EngineMisconfigured(f"piper.model: {config} is missing (a Piper voice is its .onnx and the .onnx.json "
                                  "beside it: download both)")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise EngineMisconfigured(f"piper.model: {config} is not UTF-8 text (is it the voice's .onnx.json?)") from None
    except json.JSONDecodeError as exc:
        raise EngineMisconfigured(f"piper.model: {config} is not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except OSError as exc:
        raise EngineMisconfigured(f"piper.model: {config} cannot be read ({exc.strerror})") from None
    if not isinstance(data, dict):
        raise EngineMisconfigured(f"piper.model: {config} is not a Piper voice's settings (expected a JSON object)")
    return data


def _sample_rate(data: dict[str, Any], config: Path) -> int:
    section = data.get("audio")
    rate = section.get("sample_rate") if isinstance(section, dict) else None
    if not isinstance(rate, int) or isinstance(rate, bool) or not 8000 <= rate <= 192_000:
        raise EngineMisconfigured(f"piper.model: {config} has no usable audio.sample_rate (got {rate!r})")
    if not isinstance(data.get("phoneme_id_map"), dict):
        raise EngineMisconfigured(f"piper.model: {config} has no phoneme_id_map: not a Piper voice's .onnx.json")
    return rate


def check_voice(settings: PiperSettings) -> Voice:
    """The voice the settings name, checked without loading it: EngineMisconfigured (one line naming the setting
    and the file) when it is not set, missing, not the published file, or its .json is unusable."""
    if not settings.model:
        raise EngineMisconfigured("piper.model: no Piper voice is set: put `model = \"…/vi_VN-vais1000-medium.onnx\"` "
                                  "under [piper] in readaloud.toml (see the README's Piper voices section)")
    model = Path(settings.model)
    if not model.is_file():
        problem = "is not a file" if model.exists() else "does not exist"
        raise EngineMisconfigured(f"piper.model: {model} {problem}")
    config = _config_path(model)
    data = _read_config(config)
    rate = _sample_rate(data, config)
    inference = data.get("inference")
    own_scale = inference.get("length_scale", 1.0) if isinstance(inference, dict) else 1.0
    try:
        model_sha256 = file_sha256(model)
    except OSError as exc:
        raise EngineMisconfigured(f"piper.model: {model} cannot be read ({exc.strerror})") from None
    if settings.sha256 and settings.sha256.lower() != model_sha256:
        raise EngineMisconfigured(f"piper.sha256: {model} has SHA-256 {model_sha256}, not the "
                                  f"{settings.sha256.lower()} the settings expect (a different or damaged download)")
    usable = isinstance(own_scale, int | float) and not isinstance(own_scale, bool) and own_scale > 0
    own = float(own_scale) if usable else 1.0  # piper-tts's own default where the .json has none
    return Voice(model, config, rate, own, model_sha256, file_sha256(config))


def unavailable(settings: PiperSettings) -> str | None:
    """Why the piper engine cannot run here, in one line with the fix; None when it can."""
    import importlib.util

    if importlib.util.find_spec("piper") is None or importlib.util.find_spec("onnxruntime") is None:
        return f"piper-tts is not installed: {INSTALL}"
    try:
        check_voice(settings)
    except EngineMisconfigured as exc:
        return str(exc)
    return None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


_voices: dict[tuple[Any, ...], Any] = {}
_voices_lock = threading.Lock()


def _load(voice: Voice, threads: int) -> Any:
    """The piper-tts PiperVoice for `voice`, loaded once per process for each model file and thread count."""
    key = (_stat_key(voice.model), _stat_key(voice.config), threads)
    with _voices_lock:
        if key not in _voices:
            _voices[key] = _open(voice, threads)
        return _voices[key]


def _open(voice: Voice, threads: int) -> Any:
    try:
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig
    except ImportError as exc:
        raise EngineUnavailable(f"piper-tts is not installed ({exc}): {INSTALL}") from None
    options = onnxruntime.SessionOptions()
    # PiperVoice.load would give each session every core; with several chunks in flight that is more
    # threads than cores, so the cores are shared out here instead.
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: onnxruntime's warnings are not readaloud's to print
    try:
        settings = PiperConfig.from_dict(_read_config(voice.config))
        session = onnxruntime.InferenceSession(str(voice.model), sess_options=options,
                                               providers=["CPUExecutionProvider"])
    except (KeyError, ValueError, TypeError) as exc:
        raise EngineMisconfigured(f"piper.model: {voice.config} is not a Piper voice's settings ({exc!r})") from None
    except _onnx_errors() as exc:
        raise EngineMisconfigured(f"piper.model: {voice.model} cannot be loaded as an ONNX voice "
                                  f"({_first_line(exc)})") from None
    return PiperVoice(session=session, config=settings)


def _onnx_errors() -> tuple[type[Exception], ...]:
    """onnxruntime's own exceptions (Fail, InvalidProtobuf, RuntimeException...): they share no base class
    but Exception."""
    from onnxruntime.capi import onnxruntime_pybind11_state as state

    return tuple(item for item in vars(state).values() if isinstance(item, type) and issubclass(item, Exception))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return re.sub(r"\s+", " ", text[0])[:200] if text else exc.__class__.__name__


class PiperEngine:
    name: ClassVar[str] = "piper"
    # A chunk is one sentence, or a piece of a long one: cutting less often keeps a Piper voice's phrasing,
    # and the model's time grows with the input (measured in bench/engines_piper.py).
    max_chars = 400

    def __init__(self, settings: PiperSettings | None = None):
        settings = settings or PiperSettings()
        try:
            from piper import SynthesisConfig
        except ImportError as exc:
            raise EngineUnavailable(f"piper-tts is not installed ({exc}): {INSTALL}") from None
        from importlib.metadata import version

        self.voice = check_voice(settings)
        self.version = version("piper-tts")
        self.concurrency = max(1, settings.concurrency)
        self.threads = max(1, _cores() // self.concurrency)
        self.length_scale = settings.length_scale or self.voice.length_scale
        self._syn = SynthesisConfig(length_scale=self.length_scale)
        self._voice = _load(self.voice, self.threads)  # now: a file that is no voice fails the build at once

    @classmethod
    def from_settings(cls, settings: PiperSettings) -> PiperEngine:
        return cls(settings)

    def identity(self) -> str:
        # The file's name only as a label (whitespace would split the identity's words); the digests decide.
        label = re.sub(r"\s+", "_", self.voice.model.name.removesuffix(".onnx"))
        return (f"piper {self.version} voice={label} sha256={self.voice.model_sha256[:16]} "
                f"json={self.voice.config_sha256[:8]} length_scale={self.length_scale:g}")

    def synthesize(self, text: str) -> Speech:
        failures: tuple[type[Exception], ...] = (RuntimeError, ValueError, KeyError, *_onnx_errors())
        try:
            # One AudioChunk a sentence, as piper-tts's espeak-ng finds them; a chunk is usually one.
            parts = list(self._voice.synthesize(text, syn_config=self._syn))
        except failures as exc:
            raise SynthesisError(f"piper failed ({_first_line(exc)}) on: {text[:60]}") from None
        pcm = b"".join(part.audio_int16_bytes for part in parts)
        if not pcm:
            raise SynthesisError(f"piper produced no audio for: {text[:60]}")
        return Speech(Audio(pcm, self.voice.sample_rate), pcm, "pcm")
