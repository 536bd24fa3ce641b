"""Read an MP3 back the way a player or podcast app sees it: stream facts, loudness, tags, chapters."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readaloud import audio, tags
from readaloud.errors import InputError
from readaloud.model import Chapter


@dataclass(frozen=True)
class Inspection:
    path: str
    duration_s: float
    bitrate_kbps: int
    sample_rate: int
    channels: int
    bitrate_mode: str
    loudness_lufs: float
    true_peak_dbtp: float
    id3_version: str
    title: str | None
    author: str | None
    publication: str | None
    date: str | None
    language: str | None
    genre: str | None
    url: str | None
    summary: str | None
    transcript_chars: int
    cover: str | None  # mime type of the front cover, when there is one
    engine: str | None
    source_sha256: str | None
    settings: str | None
    rules: str | None
    lexicon: str | None
    readaloud_version: str | None
    chapters: list[Chapter] = field(default_factory=list)  # in stored order


def _whole_ms(seconds: float) -> float:
    """Counted down to whole milliseconds, as `build` counts its duration and the chapter times."""
    return math.floor(seconds * 1000) / 1000


def open_mp3(path: Path) -> tuple[Any, float]:
    """mutagen's MP3 for `path` and how long it plays (as a browser counts it, see audio.playing_seconds);
    InputError naming the file when it is missing or no MP3."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3, HeaderNotFoundError

    try:
        mp3 = MP3(path)
    except (FileNotFoundError, IsADirectoryError):
        raise InputError(f"{path}: no such file") from None
    except (HeaderNotFoundError, MutagenError, OSError) as exc:
        raise InputError(f"{path}: not a readable MP3 ({exc})") from None
    if mp3.info is None:  # MP3() raises HeaderNotFoundError first; this keeps `python -O` just as safe
        raise InputError(f"{path}: not a readable MP3 (no audio frames)")
    return mp3, audio.playing_seconds(path, mp3.info)


def inspect_mp3(path: Path) -> Inspection:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    mp3, seconds = open_mp3(path)
    info = mp3.info
    loud = audio.measure_loudness(path)
    written = tags.from_id3(mp3.tags)
    made = written.provenance
    return Inspection(
        path=str(path), duration_s=_whole_ms(seconds), bitrate_kbps=info.bitrate // 1000,
        sample_rate=info.sample_rate, channels=info.channels,
        bitrate_mode=str(info.bitrate_mode).rsplit(".", 1)[-1], loudness_lufs=loud.integrated_lufs,
        true_peak_dbtp=loud.true_peak_dbtp, id3_version=written.id3_version, title=written.title,
        author=written.author, publication=written.publication, date=written.date, language=written.language,
        genre=written.genre, url=written.url, summary=written.summary,
        transcript_chars=len(written.transcript) if written.transcript is not None else 0,
        cover=written.cover_mime, engine=made.engine, source_sha256=made.source_sha256, settings=made.settings,
        rules=made.rules, lexicon=made.lexicon, readaloud_version=made.version, chapters=written.chapters)
