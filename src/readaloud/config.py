"""Settings: frozen values with defaults, overridable by a readaloud.toml and by command-line flags.

The TOML file mirrors the dataclasses below: one table per group, one key per field. Unknown keys and
wrong types are errors naming the file and the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

from readaloud.errors import ConfigError, ReadaloudError
from readaloud.files import read_toml
from readaloud.text import DEFAULT_CHROME, Dialect

EngineName = Literal["auto", "espeak", "gtts", "edge"]
# [audio] ffmpeg, when not a path: the system's on PATH else the one in the imageio-ffmpeg wheel, or either.
FFMPEG_CHOICES = ("auto", "system", "bundled")


@dataclass(frozen=True)
class EngineSettings:
    name: EngineName = "auto"
    # espeak-ng voice: vi (Northern), vi-vn-x-central or vi-vn-x-south, with a variant or not (+f1..+f5,
    # +m1..+m8). vi+f3, a female variant, is followed best: bench/intelligibility.py, in the README.
    voice: str = "vi+f3"
    rate: int = 165  # espeak-ng words per minute, 80..450; a little under its default for news listening


@dataclass(frozen=True)
class GttsSettings:
    tld: str = "com"
    timeout_s: float = 10.0  # per request; gTTS itself waits forever by default
    attempts: int = 4  # tries per chunk on 429/5xx/timeouts before giving up
    backoff_s: float = 0.5  # first retry delay; doubles each time, with jitter
    max_backoff_s: float = 20.0
    concurrency: int = 4  # requests in flight at once
    max_requests_per_s: float = 4.0  # for the whole process, however many articles are built at once


@dataclass(frozen=True)
class EdgeSettings:
    """Microsoft's neural voices through edge-tts (online, no key): `--engine edge`. Retries follow [gtts]
    attempts and backoff, as for every online engine."""

    voice: str = "vi-VN-HoaiMyNeural"  # or vi-VN-NamMinhNeural
    timeout_s: float = 20.0  # for one chunk's whole answer; edge-tts itself would wait for ever
    concurrency: int = 4  # requests in flight at once
    max_requests_per_s: float = 4.0  # for the whole process


@dataclass(frozen=True)
class ReadingSettings:
    dialect: Dialect = "north"
    lexicon: str = ""  # newsroom lexicon (TOML); a relative path is relative to the config file
    read_captions: bool = False  # photo captions ending in "(Ảnh: ...)" are skipped unless set
    read_dateline: bool = False  # the lead's dateline tag ("ĐTO - ") is dropped unless set
    read_byline: bool = True  # the author's name, read once at the end
    max_article_bytes: int = 2_000_000  # a bigger file is refused: a wrong file or a runaway paste
    max_article_seconds: float = 600.0  # an article still being read or built after this fails; 0: no limit


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
    ffmpeg: str = "auto"  # which ffmpeg runs: one of FFMPEG_CHOICES, or the path of an ffmpeg executable


@dataclass(frozen=True)
class CacheSettings:
    dir: str = ""  # the clip cache; the command line fills in the user cache folder when empty
    enabled: bool = True


@dataclass(frozen=True)
class Mp3Settings:
    bitrate_kbps: int = 64
    sample_rate: int = 44100
    quality: int = 7  # LAME's quality setting, 0 (slowest) to 9: see the README's measurements


@dataclass(frozen=True)
class ServiceSettings:
    """`readaloud serve` and `readaloud worker` (see the README's Service section)."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: str = ""  # the job store and its lock; empty: the user's data folder (readaloud/service)
    public_dir: str = ""  # where MP3s and captions are published; empty: public/ in data_dir
    public_url: str = ""  # the address public_dir is served at (a CDN); empty: this service's /media/
    base_url: str = ""  # the address the CMS reaches this service at (behind a proxy); empty: http://host:port
    tokens: tuple[str, ...] = ()  # API bearer tokens, stored hashed: lines from `readaloud token`
    callback_secret: str = ""  # the HMAC-SHA256 key callbacks are signed with (better: an environment variable)
    callback_hosts: tuple[str, ...] = ()  # hosts a callback may go to; empty: any
    max_request_bytes: int = 4_000_000  # a larger request body is refused with 413
    queue: str = ""  # empty: the embedded job store on local disk; redis://host:port/db: Redis and workers
    workers: int = 1  # builds at once in `serve` (embedded) and in each `readaloud worker`
    worker_timeout_s: float = 60.0  # a worker silent this long is taken for dead and its job given to another
    callback_attempts: int = 8  # tries per callback before giving up on it
    callback_backoff_s: float = 2.0  # the first retry's delay; doubles each time


@dataclass(frozen=True)
class FeedSettings:
    """`readaloud feed` and `sync --feed`: the podcast feed of the MP3s in a folder (see the README's
    Podcast feed section). Nothing here changes the audio: it is left out of the fingerprint."""

    base_url: str = ""  # the public address the output folder is served at; required to write a feed
    title: str = ""  # empty: [publication] name
    description: str = ""  # empty: a sentence made from the title
    link: str = ""  # the site the feed belongs to; empty: [publication] site, else base_url
    image: str = ""  # square artwork (.jpg or .png): an address, or a path relative to the output folder
    author: str = ""  # empty: the title
    email: str = ""  # the owner's address podcast directories write to (itunes:owner); empty: none
    category: str = "News"  # an Apple Podcasts category
    file: str = "feed.xml"  # the feed's file name in the output folder
    max_items: int = 0  # the newest this many episodes; 0: all


@dataclass(frozen=True)
class Settings:
    engine: EngineSettings = field(default_factory=EngineSettings)
    gtts: GttsSettings = field(default_factory=GttsSettings)
    edge: EdgeSettings = field(default_factory=EdgeSettings)
    reading: ReadingSettings = field(default_factory=ReadingSettings)
    publication: PublicationSettings = field(default_factory=PublicationSettings)
    pauses: PauseSettings = field(default_factory=PauseSettings)
    loudness: LoudnessSettings = field(default_factory=LoudnessSettings)
    audio: AudioSettings = field(default_factory=AudioSettings)
    mp3: Mp3Settings = field(default_factory=Mp3Settings)
    cache: CacheSettings = field(default_factory=CacheSettings)
    service: ServiceSettings = field(default_factory=ServiceSettings)
    feed: FeedSettings = field(default_factory=FeedSettings)

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
    for key, value in values.items():
        check = _LIMITS.get((cls, key))
        if check is not None and not check[0](value):
            shown = redacted(value) if key == "queue" else value  # a password in it is never printed
            raise ConfigError(f"{where}.{key}: expected {check[1]}, got {shown!r}")
    return cls(**values)


def _between(low: float, high: float) -> tuple[Any, str]:
    def shown(number: float) -> str:
        return str(int(number)) if float(number).is_integer() else f"{number:g}"

    return (lambda value: low <= value <= high), f"a number from {shown(low)} to {shown(high)}"


VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")  # espeak-ng's Vietnamese voices
# espeak-ng's classic variants (its voices/!v), each a pitch range and formant set: "vi+f3" is vi as f3.
VOICE_VARIANTS = (*(f"f{n}" for n in range(1, 6)), *(f"m{n}" for n in range(1, 9)))


def is_espeak_voice(name: object) -> bool:
    """A Vietnamese voice of espeak-ng's, alone or with one of its classic variants ("vi", "vi+f3")."""
    if not isinstance(name, str):
        return False
    voice, plus, variant = name.partition("+")
    return voice in VOICES and (not plus or variant in VOICE_VARIANTS)


ESPEAK_RATES = (80, 450)  # words a minute espeak-ng can be asked for
# The sample rates an MP3 can have and, for each MPEG version, its constant bit rates (kbit/s).
MP3_RATES = {32000: "1", 44100: "1", 48000: "1", 16000: "2", 22050: "2", 24000: "2",
             8000: "2.5", 11025: "2.5", 12000: "2.5"}
MP3_BITRATES = {"1": (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
                "2": (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
                "2.5": (8, 16, 24, 32, 40, 48, 56, 64)}

_FFMPEG_EXPECTED = f"{', '.join(FFMPEG_CHOICES)} or the path of an ffmpeg executable"
_FEED_FILE = re.compile(r"[^./\\][^/\\]*\.xml")


def _is_web_address(value: str, folder: bool = False) -> bool:
    """http(s)://host...: a feed's addresses are fetched by apps anywhere, so nothing relative or local;
    no quotes, brackets or spaces (never needed, only ever trouble); a `folder` has no query, no fragment
    and no ".." part, as file paths are added to it."""
    if re.fullmatch(r"https?://[^/\s?#\"'<>\\]+[^\s\"'<>\\]*", value) is None:
        return False
    return not folder or ("?" not in value and "#" not in value and ".." not in value.split("/"))
_ANY_BITRATE = frozenset(rate for rates in MP3_BITRATES.values() for rate in rates)

# Values a setting may take beyond its type: a wrong one is refused with the file and the key named, rather
# than failing deep inside ffmpeg or espeak-ng, or quietly giving something else.
_LIMITS: dict[tuple[type, str], tuple[Any, str]] = {
    (EngineSettings, "voice"): (is_espeak_voice,
                                f"one of {', '.join(VOICES)}, or one of them with a variant (+f1..+f5, +m1..+m8; "
                                "e.g. vi+f3)"),
    (EngineSettings, "rate"): _between(*ESPEAK_RATES),
    (GttsSettings, "timeout_s"): _between(0.5, 300),
    (GttsSettings, "attempts"): _between(1, 20),
    (GttsSettings, "backoff_s"): _between(0, 60),
    (GttsSettings, "max_backoff_s"): _between(0, 600),
    (GttsSettings, "concurrency"): _between(1, 32),
    (GttsSettings, "max_requests_per_s"): _between(0.1, 1000),
    (EdgeSettings, "voice"): ((lambda value: re.fullmatch(r"[a-z]{2,3}-[A-Z]{2}-[A-Za-z]+Neural", value) is not None),
                              "a neural voice's short name, e.g. vi-VN-HoaiMyNeural or vi-VN-NamMinhNeural"),
    (EdgeSettings, "timeout_s"): _between(0.5, 300),
    (EdgeSettings, "concurrency"): _between(1, 32),
    (EdgeSettings, "max_requests_per_s"): _between(0.1, 1000),
    (ReadingSettings, "max_article_bytes"): _between(1, 100_000_000),
    (ReadingSettings, "max_article_seconds"): _between(0, 86_400),
    **{(PauseSettings, name): _between(0, 10_000) for name in ("title", "heading", "paragraph", "sentence", "chunk")},
    (LoudnessSettings, "target_lufs"): _between(-40, -5),
    (LoudnessSettings, "true_peak_db"): _between(-12, 0),
    (AudioSettings, "tempo"): _between(0.8, 1.5),
    (Mp3Settings, "quality"): _between(0, 9),
    (AudioSettings, "ffmpeg"): ((lambda value: bool(value.strip())), _FFMPEG_EXPECTED),
    (ServiceSettings, "port"): _between(1, 65535),
    (ServiceSettings, "max_request_bytes"): _between(1000, 1_000_000_000),
    (ServiceSettings, "workers"): _between(1, 64),
    (ServiceSettings, "worker_timeout_s"): _between(1, 86_400),
    (ServiceSettings, "callback_attempts"): _between(1, 50),
    (ServiceSettings, "callback_backoff_s"): _between(0, 3600),
    **{(ServiceSettings, name): ((lambda value: value == "" or value.startswith(("http://", "https://"))),
                                 "empty or an http:// or https:// address") for name in ("public_url", "base_url")},
    (ServiceSettings, "queue"): ((lambda value: value == "" or value.startswith(("redis://", "rediss://", "unix://"))),
                                 "empty (the embedded job store) or a redis://, rediss:// or unix:// address"),
    (FeedSettings, "base_url"): ((lambda value: value == "" or _is_web_address(value, folder=True)),
                                 "empty or an http:// or https:// address of a folder (no query)"),
    (FeedSettings, "link"): ((lambda value: value == "" or _is_web_address(value)),
                             "empty or an http:// or https:// address"),
    (FeedSettings, "image"): ((lambda value: value == "" or (value.lower().endswith((".jpg", ".png"))
                                                            and ".." not in re.split(r"[/\\]", value)
                                                            and not re.search(r"[\s\"'<>]", value))),
                              "empty or the address or path under OUT_DIR of a .jpg or .png image (what "
                              "podcast apps take)"),
    (FeedSettings, "file"): ((lambda value: _FEED_FILE.fullmatch(value) is not None),
                             "a file name ending in .xml, without folders, not starting with a dot"),
    (FeedSettings, "max_items"): _between(0, 1_000_000),
    (Mp3Settings, "sample_rate"): ((lambda value: value in MP3_RATES),
                                   f"one of {', '.join(str(rate) for rate in sorted(MP3_RATES))}"),
    (Mp3Settings, "bitrate_kbps"): ((lambda value: value in _ANY_BITRATE),
                                    f"an MP3 bit rate ({', '.join(map(str, sorted(_ANY_BITRATE)))})"),
}


def _check_mp3(settings: Settings, origins: Mapping[str, str]) -> None:
    """The bit rate must be one the sample rate's MPEG version has (LAME would silently pick another)."""
    rates = MP3_BITRATES[MP3_RATES[settings.mp3.sample_rate]]
    if settings.mp3.bitrate_kbps not in rates:
        where = origins.get("mp3.bitrate_kbps") or origins.get("mp3.sample_rate") or "settings"
        raise ConfigError(f"{where}: mp3.bitrate_kbps: at {settings.mp3.sample_rate} Hz expected one of "
                          f"{', '.join(map(str, rates))}, got {settings.mp3.bitrate_kbps}")


def _check_ffmpeg(settings: Settings, origins: Mapping[str, str]) -> None:
    """A path for ffmpeg must be an executable file now, not only when the first build runs it."""
    path = Path(settings.audio.ffmpeg)
    if settings.audio.ffmpeg in FFMPEG_CHOICES or (path.is_file() and os.access(path, os.X_OK)):
        return
    problem = "is not executable" if path.is_file() else "is not a file" if path.exists() else "does not exist"
    raise ConfigError(f"{origins.get('audio.ffmpeg', 'settings')}: audio.ffmpeg: {path} {problem} (expected "
                      f"{_FFMPEG_EXPECTED})")


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


# Settings holding paths; in a file they are relative to that file, so a config travels with its lexicon,
# jingles, cache folder and ffmpeg (unless it names one of FFMPEG_CHOICES).
PATH_KEYS = (("reading", "lexicon"), ("audio", "intro"), ("audio", "outro"), ("audio", "ffmpeg"), ("cache", "dir"),
             ("service", "data_dir"), ("service", "public_dir"))
ENV_PREFIX = "READALOUD_"
CONFIG_NAME = "readaloud.toml"


@dataclass(frozen=True)
class Layer:
    """Settings from one place: a file, one environment variable, or the command line."""

    origin: str
    data: dict[str, dict[str, Any]]


def file_layer(path: Path) -> Layer:
    data = read_toml(path, "config")
    from_mapping(data, str(path))  # every key and type checked here, so errors name this file
    for table, key in PATH_KEYS:
        value = data.get(table, {}).get(key)
        if value and not Path(value).is_absolute() and not (key == "ffmpeg" and value in FFMPEG_CHOICES):
            data[table][key] = str(path.parent / value)
    return Layer(str(path), data)


def env_layers(environ: Mapping[str, str]) -> list[Layer]:
    """READALOUD_<TABLE>_<KEY>=value, e.g. READALOUD_READING_DIALECT=south, READALOUD_PAUSES_HEADING=900.
    Values are read as TOML values (numbers, true/false, ["lists"]) and otherwise as plain text."""
    groups = get_type_hints(Settings)
    layers = []
    for variable in sorted(environ):
        if not variable.startswith(ENV_PREFIX) or variable == f"{ENV_PREFIX}CONFIG":
            continue
        rest = variable[len(ENV_PREFIX):].lower()
        table = next((name for name in groups if rest.startswith(name + "_")), None)
        key = rest[len(table) + 1:] if table else ""
        if table is None or key not in {f.name for f in fields(groups[table])}:
            raise ConfigError(f"environment {variable}: not a readaloud setting "
                              f"(expected {ENV_PREFIX}<TABLE>_<KEY>, e.g. {ENV_PREFIX}READING_DIALECT)")
        raw = environ[variable]
        try:
            value = tomllib.loads(f"value = {raw}")["value"]
        except tomllib.TOMLDecodeError:
            value = raw
        layers.append(Layer(f"environment {variable}", {table: {key: value}}))
    return layers


@dataclass(frozen=True)
class Resolved:
    settings: Settings
    origins: dict[str, str]  # "table.key" -> where its value came from; absent means the default


def resolve(layers: Sequence[Layer]) -> Resolved:
    """Defaults, then each layer in order (later wins)."""
    merged: dict[str, dict[str, Any]] = {}
    origins: dict[str, str] = {}
    for layer in layers:
        from_mapping(layer.data, layer.origin)
        for table, values in layer.data.items():
            for key, value in values.items():
                merged.setdefault(table, {})[key] = value
                origins[f"{table}.{key}"] = layer.origin
    settings = from_mapping(merged, "settings")
    _check_mp3(settings, origins)
    _check_ffmpeg(settings, origins)
    return Resolved(settings, origins)


def discover(explicit: Path | None, cwd: Path, user_dir: Path) -> Path | None:
    """The config file to use: the one given (--config or READALOUD_CONFIG), else ./readaloud.toml, else
    the user's (e.g. ~/.config/readaloud/readaloud.toml). Only one file is read."""
    if explicit is not None:
        return explicit
    for candidate in (cwd / CONFIG_NAME, user_dir / CONFIG_NAME):
        if candidate.is_file():
            return candidate
    return None


def with_user_cache(resolved: Resolved, environ: Mapping[str, str]) -> Resolved:
    """The clip cache in the user's cache folder ($XDG_CACHE_HOME or ~/.cache, then readaloud) when the
    settings name none: the command line and the library API share one cache, and so one set of clips."""
    if resolved.settings.cache.dir:
        return resolved
    home = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    cache = dataclasses.replace(resolved.settings.cache, dir=str(Path(home) / "readaloud"))
    return Resolved(dataclasses.replace(resolved.settings, cache=cache),
                    {**resolved.origins, "cache.dir": "default (user cache folder)"})


def user_config_dir() -> Path:
    """The user's config folder for readaloud (e.g. ~/.config/readaloud), where a readaloud.toml may be."""
    import click

    return Path(click.get_app_dir("readaloud"))


def settle(config_file: Path | None, environ: Mapping[str, str], given: Mapping[str, Mapping[str, Any]],
           given_by: str, named_by_env: bool = False) -> Resolved:
    """Settings as the command line and the library resolve them: the config file (`config_file`, else
    ./readaloud.toml, else the user's), then READALOUD_<TABLE>_<KEY> variables, then `given` per table
    (from `given_by`: "command line", "the caller"), then the user's cache folder if none is set.
    `named_by_env`: the file's name came from READALOUD_CONFIG, which an error about it then says."""
    path = discover(config_file, Path.cwd(), user_config_dir())
    try:
        layers = [file_layer(path)] if path is not None else []
    except ReadaloudError as exc:
        if path is None or not named_by_env:
            raise
        # The user may not remember setting it: name the variable, and why a relative path fails elsewhere.
        where = "" if path.is_absolute() else f"; a relative path is taken from the current folder, {Path.cwd()}"
        raise type(exc)(f"{exc} (the path came from READALOUD_CONFIG{where})") from None
    layers += env_layers(environ)
    if given:
        layers.append(Layer(given_by, {table: dict(values) for table, values in given.items()}))
    return with_user_cache(resolve(layers), environ)


def load(path: Path | None) -> Settings:
    """Defaults, then the TOML file at `path` if one is given."""
    return resolve([file_layer(path)] if path is not None else []).settings


def as_dict(settings: Settings) -> dict[str, Any]:
    return dataclasses.asdict(settings)


def shown(settings: Settings) -> dict[str, Any]:
    """as_dict() for showing (`readaloud config`): no secret is printed, only whether it is set."""
    data = as_dict(settings)
    if data["service"]["callback_secret"]:
        data["service"]["callback_secret"] = "(set, not shown)"
    data["service"]["queue"] = redacted(data["service"]["queue"])
    return data


def redacted(url: str) -> str:
    """An address as it may be shown or logged: a password in it (redis://:secret@host) replaced by ***."""
    return re.sub(r"(?<=://)([^/@]*)@", lambda found: ("***" if ":" not in found.group(1) else
                                                        found.group(1).split(":", 1)[0] + ":***") + "@", url)


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
    del data["reading"]["max_article_seconds"]  # a time limit: changing it must not rebuild the archive
    del data["audio"]["ffmpeg"]  # which ffmpeg runs is the machine's business: changing it rebuilds nothing
    del data["cache"]
    del data["service"]  # how audio is served and queued, not what it sounds like
    del data["feed"]  # how the MP3s are listed for podcast apps: a new feed title rebuilds nothing
    # [edge]: only a voice other than the default counts (another voice is another sound), so adding the
    # table left every archive's fingerprint as it was.
    edge = data.pop("edge")
    if edge["voice"] != EdgeSettings().voice:
        data["edge_voice"] = edge["voice"]
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def lexicon_file(settings: Settings) -> Path:
    """The lexicon file the settings name; ConfigError when they name none."""
    if not settings.reading.lexicon:
        raise ConfigError("no lexicon file is configured: set `lexicon = \"lexicon.toml\"` under [reading] in "
                          "readaloud.toml (see `readaloud config`)")
    return Path(settings.reading.lexicon)
