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
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, get_args, get_type_hints

from readaloud.errors import ConfigError, ReadaloudError
from readaloud.files import read_toml
from readaloud.settings import (  # noqa: F401  (the tables, also reachable as readaloud.config.<name>)
    ENGINE_NAMES,
    FFMPEG_CHOICES,
    POLICY_NAMES,
    AudioSettings,
    AzureSettings,
    CacheSettings,
    EdgeSettings,
    EngineName,
    EngineSettings,
    FeedSettings,
    GttsSettings,
    LoudnessSettings,
    Mp3Settings,
    PauseSettings,
    PiperSettings,
    PublicationSettings,
    ReadingSettings,
    ServiceSettings,
    Settings,
    _check_literal,
)


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
        try:
            values[key] = _coerce(value, hints[key], f"{where}.{key}")
        except ConfigError:
            if (cls, key) not in _SECRETS:
                raise
            raise ConfigError(f"{where}.{key}: expected text, got {type(value).__name__} (not shown)") from None
    for key, value in values.items():
        check = _LIMITS.get((cls, key))
        if check is not None and not check[0](value):
            # A password in an address, or a secret itself, is never printed.
            shown = "(not shown)" if (cls, key) in _SECRETS else repr(redacted(value) if key == "queue" else value)
            raise ConfigError(f"{where}.{key}: expected {check[1]}, got {shown}")
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
def _is_service_host(value: str) -> bool:
    """Empty, or ws(s)://host[:port] with a port a socket can have, and no path."""
    found = re.fullmatch(r"wss?://[A-Za-z0-9.-]+(?::([0-9]{1,5}))?/?", value)
    return value == "" or (found is not None and (found.group(1) is None or 1 <= int(found.group(1)) <= 65535))


_ANY_BITRATE = frozenset(rate for rates in MP3_BITRATES.values() for rate in rates)
_NEURAL_VOICE = ((lambda value: re.fullmatch(r"[a-z]{2,3}-[A-Z]{2}-[A-Za-z]+Neural", value) is not None),
                 "a neural voice's short name, e.g. vi-VN-HoaiMyNeural or vi-VN-NamMinhNeural")
# Settings whose value is never printed, even in an error about it.
_SECRETS = frozenset({(AzureSettings, "key"), (ServiceSettings, "callback_secret")})

# Values a setting may take beyond its type: a wrong one is refused with the file and the key named, rather
# than failing deep inside ffmpeg or espeak-ng, or quietly giving something else.
_LIMITS: dict[tuple[type, str], tuple[Any, str]] = {
    (EngineSettings, "voice"): (is_espeak_voice,
                                f"one of {', '.join(VOICES)}, or one of them with a variant (+f1..+f5, +m1..+m8; "
                                "e.g. vi+f3)"),
    (EngineSettings, "rate"): _between(*ESPEAK_RATES),
    (EngineSettings, "chain"): ((lambda value: bool(value) and len(set(value)) == len(value)
                                 and all(name in ENGINE_NAMES for name in value)),
                                f"a list of engines without repeats, from {', '.join(ENGINE_NAMES)}"),
    (GttsSettings, "timeout_s"): _between(0.5, 300),
    (GttsSettings, "attempts"): _between(1, 20),
    (GttsSettings, "backoff_s"): _between(0, 60),
    (GttsSettings, "max_backoff_s"): _between(0, 600),
    (GttsSettings, "concurrency"): _between(1, 32),
    (GttsSettings, "max_requests_per_s"): _between(0.1, 1000),
    (EdgeSettings, "voice"): _NEURAL_VOICE,
    (EdgeSettings, "timeout_s"): _between(0.5, 300),
    (EdgeSettings, "concurrency"): _between(1, 32),
    (EdgeSettings, "max_requests_per_s"): _between(0.1, 1000),
    # Keys go into an HTTP header: printable ASCII, no spaces (Azure's are 32 hex digits or 84 letters/digits).
    (AzureSettings, "key"): ((lambda value: re.fullmatch(r"[!-~]{0,512}", value) is not None),
                             "the Speech resource's key (printable ASCII, no spaces)"),
    (AzureSettings, "region"): ((lambda value: re.fullmatch(r"([a-z][a-z0-9]{1,39})?", value) is not None),
                                "empty or an Azure region's name, e.g. southeastasia or westeurope"),
    (AzureSettings, "host"): ((lambda value: _is_service_host(value)),
                              "empty or wss://host[:port] (ws:// for a container on this network), no path"),
    (AzureSettings, "voice"): _NEURAL_VOICE,
    (AzureSettings, "timeout_s"): _between(0.5, 300),
    (AzureSettings, "concurrency"): _between(1, 32),
    (AzureSettings, "max_requests_per_s"): _between(0.01, 1000),
    (PiperSettings, "model"): ((lambda value: value == "" or value.endswith(".onnx")),
                               "empty or the path of a Piper voice's .onnx file (its .onnx.json beside it)"),
    (PiperSettings, "sha256"): ((lambda value: re.fullmatch(r"|[0-9a-fA-F]{64}", value) is not None),
                                "empty or a SHA-256 digest (64 hexadecimal digits)"),
    (PiperSettings, "length_scale"): ((lambda value: value == 0 or 0.5 <= value <= 2.0),
                                      "0 (the voice's own pace) or a number from 0.5 to 2"),
    (PiperSettings, "concurrency"): _between(1, 16),
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
             ("service", "data_dir"), ("service", "public_dir"), ("piper", "model"))
ENV_PREFIX = "READALOUD_"
CONFIG_NAME = "readaloud.toml"


@dataclass(frozen=True)
class Layer:
    """Settings from one place: a file, one environment variable, or the command line."""

    origin: str
    data: dict[str, dict[str, Any]]


def _engine_model_alias(data: dict[str, Any], origin: str) -> None:
    """`[engine] model` (how issue 17 wrote it) moved to `[piper] model`, where the engine reads it."""
    engine = data.get("engine")
    if not isinstance(engine, dict) or "model" not in engine:
        return
    model = engine.pop("model")
    piper = data.setdefault("piper", {})
    if not isinstance(piper, dict):
        return  # from_mapping says the table is wrong
    if "model" in piper and piper["model"] != model:
        raise ConfigError(f"{origin}: engine.model and piper.model name different files: keep piper.model")
    piper["model"] = model


def file_layer(path: Path) -> Layer:
    data = read_toml(path, "config")
    _engine_model_alias(data, str(path))
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
        if get_type_hints(groups[table])[key] is str and not isinstance(value, str):
            value = raw  # a key or a name that happens to read as a number is still the text it is
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
    groups = get_type_hints(Settings)
    for table, values in data.items():
        for key, value in values.items():
            if value and (groups[table], key) in _SECRETS:
                values[key] = "(set, not shown)"
    data["service"]["queue"] = redacted(data["service"]["queue"])
    return data


def redacted(url: str) -> str:
    """An address as it may be shown or logged: a password in it (redis://:secret@host) replaced by ***."""
    return re.sub(r"(?<=://)([^/@]*)@", lambda found: ("***" if ":" not in found.group(1) else
                                                        found.group(1).split(":", 1)[0] + ":***") + "@", url)


# Per engine table, the keys that change how its voice sounds, each as it is fingerprinted. [azure]'s key,
# region and host say where the voice is bought, not how it sounds; a Piper voice is its file's name (the
# same file moved to another folder is the same voice) and a pinned digest.
_SOUND_KEYS: dict[str, dict[str, Any]] = {
    "edge": {"voice": str},
    "azure": {"voice": str},
    "piper": {"model": lambda path: Path(path).name, "sha256": str.lower, "length_scale": float},
}


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
    del data["engine"]["chain"]  # as for the name: the engine that spoke is recorded on its own
    del data["reading"]["lexicon"]
    del data["reading"]["max_article_seconds"]  # a time limit: changing it must not rebuild the archive
    del data["audio"]["ffmpeg"]  # which ffmpeg runs is the machine's business: changing it rebuilds nothing
    del data["cache"]
    del data["service"]  # how audio is served and queued, not what it sounds like
    del data["feed"]  # how the MP3s are listed for podcast apps: a new feed title rebuilds nothing
    # An engine's own table counts only when that engine may speak (the chain under auto, else the engine
    # named), and then only the keys that change its sound, each only when set to other than its default:
    # so adding a table, or setting one for an engine a build does not use, rebuilds no archive.
    may_speak = settings.engine.chain if settings.engine.name in POLICY_NAMES else (settings.engine.name,)
    for table, keys in _SOUND_KEYS.items():
        own, default = data.pop(table), dataclasses.asdict(getattr(Settings(), table))
        if table in may_speak:
            data.update({f"{table}_{key}": shape(own[key]) for key, shape in keys.items() if own[key] != default[key]})
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def lexicon_file(settings: Settings) -> Path:
    """The lexicon file the settings name; ConfigError when they name none."""
    if not settings.reading.lexicon:
        raise ConfigError("no lexicon file is configured: set `lexicon = \"lexicon.toml\"` under [reading] in "
                          "readaloud.toml (see `readaloud config`)")
    return Path(settings.reading.lexicon)
