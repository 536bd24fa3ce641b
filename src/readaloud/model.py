"""The typed values passed between pipeline stages, and nothing else.

Article -> Script(chunks) -> clips (PCM) -> Master(timing) -> BuildResult.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

# Where a stage sends a warning line (a build's list, the CLI's stderr, a CMS's log).
Warn = Callable[[str], None]


def ignore(*_args: object) -> None:
    """The listener that hears nothing: the default for warnings and progress nobody asked for."""

BlockKind = Literal["heading", "paragraph"]
ChunkRole = Literal["title", "heading", "body", "byline"]


@dataclass(frozen=True)
class Block:
    """One structural unit of an article's body, in display form (NFC, tone marks normalised)."""

    kind: BlockKind
    text: str


@dataclass(frozen=True)
class Article:
    """What the reader found: metadata plus ordered blocks. `source` names the file for messages."""

    source: str
    title: str
    blocks: tuple[Block, ...]
    author: str | None = None
    date: str | None = None
    url: str | None = None
    publication: str | None = None
    image: str | None = None
    digest: str = ""  # sha256 of the source bytes: tells a rebuild whether the article changed


@dataclass(frozen=True)
class Chunk:
    """One engine request.

    `display` is what the article wrote (captions show it); `spoken` is what the engine is asked to say.
    `section` is the index of the chapter the chunk belongs to (0 = title and lead).
    `pause_after_ms` is the silence that follows this chunk's audio.
    """

    index: int
    section: int
    role: ChunkRole
    display: str
    spoken: str
    pause_after_ms: int


@dataclass(frozen=True)
class Script:
    """The whole article as the engine will hear it, before any synthesis."""

    article: Article
    chunks: tuple[Chunk, ...]
    section_titles: tuple[str, ...]


@dataclass(frozen=True)
class Audio:
    """Mono signed 16-bit little-endian PCM. Lengths are counted in whole samples, never in bytes/ms,
    so joins and chapter times stay exact."""

    pcm: bytes
    sample_rate: int

    @property
    def samples(self) -> int:
        return len(self.pcm) // 2

    @property
    def duration_s(self) -> float:
        return self.samples / self.sample_rate


@dataclass(frozen=True)
class Speech:
    """One engine answer: the decoded audio, plus exactly what the engine produced (gTTS's MP3 bytes,
    espeak-ng's PCM) so the clip cache can keep the original."""

    audio: Audio
    original: bytes
    format: str  # "mp3" or "pcm" (s16le mono at audio.sample_rate)
    # Where the engine said each word began, when it says (espeak-ng does, Google does not):
    # (character offset in the spoken text, sample offset in `audio`), in order.
    words: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Span:
    """A stretch of the final audio in samples: [start, end)."""

    start: int
    end: int


@dataclass(frozen=True)
class Cue:
    """One caption: display text shown from start to end (ms, derived from exact sample counts)."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Cover:
    data: bytes
    mime: str  # image/jpeg or image/png


@dataclass(frozen=True)
class TagInfo:
    """Everything the tagger writes, gathered by the pipeline."""

    article: Article
    chapters: tuple[Chapter, ...]
    engine: str
    settings_fingerprint: str
    rules_version: str
    lexicon_digest: str  # the lexicon entries this article's text uses
    summary: str  # the lead, for COMM
    transcript: str  # the full display text, for USLT
    cover: Cover | None = None


@dataclass(frozen=True)
class BuildResult:
    output: str
    duration_s: float
    chunks: int
    engine: str
    chapters: tuple[Chapter, ...]
    fallback: bool = False  # spoken by a fallback engine, not the first choice
    warnings: tuple[str, ...] = field(default=())
    captions: tuple[str, ...] = field(default=())  # caption sidecars written (.vtt, .srt)
    synthesized: int = 0  # chunks the engine spoke for this build
    cached: int = 0  # chunks taken from the clip cache
    loudness_lufs: float | None = None  # measured on the MP3 itself
    true_peak_dbtp: float | None = None
    chapters_file: str | None = None  # the JSON Chapters sidecar written (NAME.chapters.json), if one was

    def as_dict(self) -> dict:
        """JSON-ready, as `build --json` prints it (without its "ok" and "article")."""
        return {
            "output": self.output,
            # Whole milliseconds counted down, as the chapter times are: the last chapter ends exactly here.
            "duration_s": int(round(self.duration_s * 1000, 6)) / 1000,
            "chunks": self.chunks,
            "engine": self.engine,
            "fallback": self.fallback,
            "chapters": [{"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in self.chapters],
            "captions": list(self.captions),
            "chapters_file": self.chapters_file,
            "synthesized": self.synthesized,
            "cached": self.cached,
            "loudness_lufs": self.loudness_lufs,
            "true_peak_dbtp": self.true_peak_dbtp,
            "warnings": list(self.warnings),
        }
