"""The settings' values: one frozen dataclass per table of readaloud.toml, one field per key, with its
default. How they are read, checked and layered (file, environment, command line) is readaloud.config's
business; every name here is also reachable as readaloud.config.<name>.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal, get_args

from readaloud.errors import ConfigError
from readaloud.text import DEFAULT_CHROME, Dialect

EngineName = Literal["auto", "espeak", "gtts", "edge", "azure", "piper"]
# Names that are an order to try engines in, not one engine (`auto`: the [engine] chain).
POLICY_NAMES = ("auto",)
ENGINE_NAMES = tuple(name for name in get_args(EngineName) if name not in POLICY_NAMES)
# [audio] ffmpeg, when not a path: the system's on PATH else the one in the imageio-ffmpeg wheel, or either.
FFMPEG_CHOICES = ("auto", "system", "bundled")


@dataclass(frozen=True)
class EngineSettings:
    name: EngineName = "auto"  # one engine, or auto: the first of `chain` that can speak the whole article
    # The order `auto` tries engines in; a clip spoken by a later one is upgraded by sync when an earlier
    # one answers again.
    chain: tuple[str, ...] = ("gtts", "espeak")
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
class AzureSettings:
    """Azure's Speech service (`--engine azure`): the same neural voices under a service agreement, with a
    resource's key. Retries follow [gtts] attempts and backoff, as for every online engine."""

    # Better given as READALOUD_AZURE_KEY than written in a file. Never shown, logged or fingerprinted.
    key: str = field(default="", repr=False)
    region: str = ""  # the Speech resource's region, e.g. southeastasia or westeurope
    host: str = ""  # instead of the region: wss://host[:port] of a private endpoint or ws://... of a container
    voice: str = "vi-VN-HoaiMyNeural"  # or vi-VN-NamMinhNeural
    timeout_s: float = 10.0  # the longest wait for a chunk's first audio
    concurrency: int = 4  # requests in flight at once
    max_requests_per_s: float = 4.0  # for the whole process; a free (F0) resource allows 20 a minute: 0.3


@dataclass(frozen=True)
class PiperSettings:
    """Offline neural voices through piper-tts (`pip install -e '.[piper]'`, GPL-3.0): `--engine piper`
    with a voice the newsroom provides (the README's Piper voices section says where one comes from).
    In a file, `[engine] model` is read as `[piper] model`."""

    model: str = ""  # the voice's .onnx, its .onnx.json beside it; a relative path is relative to the config file
    sha256: str = ""  # the .onnx's published SHA-256: a different file is refused; empty: not checked
    length_scale: float = 0.0  # the voice's pace: >1 slower, <1 faster; 0: the voice's own (its .json)
    concurrency: int = 2  # chunks spoken at once, each on its share of the cores (onnxruntime threads)


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
    azure: AzureSettings = field(default_factory=AzureSettings)
    piper: PiperSettings = field(default_factory=PiperSettings)
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
