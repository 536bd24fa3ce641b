"""Settings: frozen values with defaults, overridable by a readaloud.toml and by command-line flags.

The TOML file mirrors the dataclasses below: one table per group, one key per field. Unknown keys and
wrong types are errors naming the file and the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

from readaloud.errors import ConfigError
from readaloud.structure import DEFAULT_CHROME

EngineName = Literal["auto", "espeak", "gtts"]
Dialect = Literal["north", "south"]


@dataclass(frozen=True)
class EngineSettings:
    name: EngineName = "auto"
    voice: str = "vi"  # espeak-ng voice: vi (Northern), vi-vn-x-central, vi-vn-x-south
    rate: int = 165  # espeak-ng words per minute, 80..450; a little under its default for news listening


@dataclass(frozen=True)
class GttsSettings:
    tld: str = "com"
    timeout_s: float = 10.0  # per request; gTTS itself waits forever by default
    attempts: int = 4  # tries per chunk on 429/5xx/timeouts before giving up
    backoff_s: float = 0.5  # first retry delay; doubles each time, with jitter
    max_backoff_s: float = 20.0
    concurrency: int = 4  # requests in flight at once


@dataclass(frozen=True)
class ReadingSettings:
    dialect: Dialect = "north"
    lexicon: str = ""  # newsroom lexicon (TOML); a relative path is relative to the config file
    read_captions: bool = False  # photo captions ending in "(Ảnh: ...)" are skipped unless set
    read_dateline: bool = False  # the lead's dateline tag ("ĐTO - ") is dropped unless set
    read_byline: bool = True  # the author's name, read once at the end


@dataclass(frozen=True)
class PublicationSettings:
    name: str = ""  # tagged as the publisher when the article does not name one
    site: str = ""
    datelines: tuple[str, ...] = ()  # the paper's dateline tags, e.g. ["ĐTO"]; empty: any short capital tag
    chrome: tuple[str, ...] = DEFAULT_CHROME  # whole lines of site furniture that are never read


@dataclass(frozen=True)
class PauseSettings:
    """Silence in milliseconds after each kind of unit. A heading is set off by `heading` on both sides."""

    title: int = 1200
    heading: int = 1000
    paragraph: int = 700
    sentence: int = 400
    chunk: int = 200  # between the chunks of one long sentence


@dataclass(frozen=True)
class LoudnessSettings:
    target_lufs: float = -16.0  # integrated loudness of the MP3 (podcast/streaming speech guidance)
    true_peak_db: float = -1.5  # the MP3's true peak stays at or below this (dBTP)
    enabled: bool = True


@dataclass(frozen=True)
class AudioSettings:
    tempo: float = 1.0  # speaking speed, 0.8-1.5 (ffmpeg atempo: pitch kept)
    intro: str = ""  # audio file played before the article (relative paths: to the config file)
    outro: str = ""  # audio file played after it


@dataclass(frozen=True)
class Mp3Settings:
    bitrate_kbps: int = 64
    sample_rate: int = 44100


@dataclass(frozen=True)
class Settings:
    engine: EngineSettings = field(default_factory=EngineSettings)
    gtts: GttsSettings = field(default_factory=GttsSettings)
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    publication: PublicationSettings = field(default_factory=PublicationSettings)
    pauses: PauseSettings = field(default_factory=PauseSettings)
    loudness: LoudnessSettings = field(default_factory=LoudnessSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    mp3: Mp3Settings = field(default_factory=Mp3Settings)

    def with_engine(self, name: str) -> Settings:
        return replace(self, engine=replace(self.engine, name=_check_literal(name, EngineName, "engine")))


def _check_literal(value: Any, literal: Any, where: str) -> Any:
    allowed = get_args(literal)
    if value not in allowed:
        raise ConfigError(f"{where}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def _coerce(value: Any, annotation: Any, where: str) -> Any:
    if get_args(annotation) and all(isinstance(a, str) for a in get_args(annotation)):
        return _check_literal(value, annotation, where)
    if annotation is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if annotation is bool and isinstance(value, bool):
        return value
    if annotation in (int, str) and isinstance(value, annotation) and not isinstance(value, bool):
        return value
    if annotation == tuple[str, ...] and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    expected = getattr(annotation, "__name__", str(annotation))
    if annotation == tuple[str, ...]:
        expected = "a list of strings"
    raise ConfigError(f"{where}: expected {expected}, got {type(value).__name__} {value!r}")


def _group(cls: type, table: Any, where: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    values = {}
    for key, value in table.items():
        if key not in names:
            raise ConfigError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(names))})")
        values[key] = _coerce(value, hints[key], f"{where}.{key}")
    group = cls(**values)
    if cls is AudioSettings and not 0.8 <= group.tempo <= 1.5:
        raise ConfigError(f"{where}.tempo: expected a speed between 0.8 and 1.5, got {group.tempo}")
    return group


def from_mapping(data: dict[str, Any], origin: str) -> Settings:
    """Build Settings from a parsed TOML document; `origin` names the file in error messages."""
    groups = {f.name: f for f in fields(Settings)}
    values = {}
    for name, table in data.items():
        if name not in groups:
            raise ConfigError(f"{origin}: unknown table [{name}] (known: {', '.join(groups)})")
        cls = get_type_hints(Settings)[name]
        values[name] = _group(cls, table, f"{origin}: {name}")
    return Settings(**values)


def read_toml(path: Path, kind: str) -> dict[str, Any]:
    """A TOML document, or a ConfigError naming the file and saying what kind of file it should be."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {kind} file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {kind} is not valid TOML: {exc}") from None


def load(path: Path | None) -> Settings:
    """Defaults, then the TOML file at `path` if one is given."""
    if path is None:
        return Settings()
    settings = from_mapping(read_toml(path, "config"), str(path))

    def beside(name: str) -> str:
        # Relative to the file that names it, so a config and its lexicon or jingles travel together.
        return str(path.parent / name) if name and not Path(name).is_absolute() else name

    return replace(
        settings,
        reading=replace(settings.reading, lexicon=beside(settings.reading.lexicon)),
        audio=replace(settings.audio, intro=beside(settings.audio.intro), outro=beside(settings.audio.outro)),
    )


def as_dict(settings: Settings) -> dict[str, Any]:
    return dataclasses.asdict(settings)


def fingerprint(settings: Settings) -> str:
    """A short hash of the settings that change what an MP3 sounds like or carries.

    Left out: how the network is used (gtts timeouts, retries), which engine was asked for (the engine
    that spoke is recorded on its own), and the lexicon's path (a lexicon change matters only to the
    articles containing its words, which the spoken text itself tells).
    """
    import hashlib
    import json

    data = as_dict(settings)
    del data["gtts"]
    del data["engine"]["name"]
    del data["reading"]["lexicon"]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
