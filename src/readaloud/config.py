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


@dataclass(frozen=True)
class PauseSettings:
    """Silence in milliseconds after each kind of unit. A heading is set off by `heading` on both sides."""

    title: int = 1200
    heading: int = 1000
    paragraph: int = 700
    sentence: int = 400
    chunk: int = 200  # between the chunks of one long sentence


@dataclass(frozen=True)
class Mp3Settings:
    bitrate_kbps: int = 64
    sample_rate: int = 44100


@dataclass(frozen=True)
class Settings:
    engine: EngineSettings = field(default_factory=EngineSettings)
    gtts: GttsSettings = field(default_factory=GttsSettings)
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    pauses: PauseSettings = field(default_factory=PauseSettings)
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
    if annotation in (int, str) and isinstance(value, annotation) and not isinstance(value, bool):
        return value
    expected = getattr(annotation, "__name__", str(annotation))
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
    return cls(**values)


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


def load(path: Path | None) -> Settings:
    """Defaults, then the TOML file at `path` if one is given."""
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return from_mapping(data, str(path))


def as_dict(settings: Settings) -> dict[str, Any]:
    return dataclasses.asdict(settings)
