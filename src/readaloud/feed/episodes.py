"""The episodes of a feed: every MP3 readaloud made under the output folder, read from its tag and its file.

Only the tag and the MPEG header are read (mutagen), never the audio. What is not readaloud's (no
readaloud:version frame), cannot be read, or is not a regular file is skipped and reported, never fatal: one
damaged file must not take the whole feed down.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from readaloud import sidecars, tags
from readaloud.archive import walk_folders
from readaloud.model import Warn
from readaloud.tags import WrittenTags

# An article's date has no time of day; it is the paper's (Vietnam has no daylight saving time).
VIETNAM = timezone(timedelta(hours=7), "ICT")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class Episode:
    """One MP3 as the feed lists it. Paths are relative to the output folder, "/"-separated (a name that is
    not UTF-8 keeps its bytes as lone surrogates, so the URL made from it names the real file)."""

    relative: str
    size: int  # bytes: the enclosure's length
    seconds: float  # mutagen's length: what players show
    tags: WrittenTags
    published: datetime  # the tag's date at midnight in Vietnam, else the file's modification time
    modified: float  # the MP3's modification time (epoch seconds)
    captions: str | None = None  # the .vtt beside it, when there is one
    chapters: str | None = None  # the .chapters.json beside it, when there is one


@dataclass(frozen=True)
class Skipped:
    file: str
    reason: str


def published(date: str | None, modified: float) -> datetime:
    """When an episode came out: the ID3 date (yyyy[-mm[-dd]]), else the file's modification time."""
    found = _DATE.match(date or "")
    if found:
        year, month, day = found.groups()
        try:
            return datetime(int(year), int(month or 1), int(day or 1), tzinfo=VIETNAM)
        except ValueError:  # "2025-13-40": no date
            pass
    return datetime.fromtimestamp(modified, UTC)


def _sidecar(mp3: Path, kind: str, out: Path) -> str | None:
    path = sidecars.path_for(mp3, kind)
    try:
        regular = path.is_file() and not path.is_symlink()
    except OSError:
        return None
    return path.relative_to(out).as_posix() if regular else None


def read_episode(mp3: Path, out: Path) -> Episode | str:
    """The episode at `mp3` (a regular file under `out`), or why it is not one."""
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        audio = MP3(mp3)
        info = os.stat(mp3)
    except (MutagenError, OSError) as exc:
        return f"cannot be read as an MP3 ({exc})"
    written = tags.from_id3(audio.tags)
    if written.provenance.version is None:
        return "not made by readaloud (its tag has no readaloud:version)"
    seconds = float(getattr(audio.info, "length", 0.0))
    return Episode(relative=mp3.relative_to(out).as_posix(), size=info.st_size, seconds=seconds,
                   tags=written, published=published(written.date, info.st_mtime), modified=info.st_mtime,
                   captions=_sidecar(mp3, "vtt", out), chapters=_sidecar(mp3, "chapters", out))


def _is_plain_file(entry: os.DirEntry[str]) -> bool:
    # A link may lead outside the served folder, and a FIFO would block the read: neither is listed.
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def find_episodes(out: Path, warn: Warn) -> tuple[list[Episode], list[Skipped]]:
    """Every readaloud MP3 under `out` (hidden files and folders, and links, not entered), newest first:
    by date, then modification time, then path. Each file skipped is reported through `warn`."""
    episodes: list[Episode] = []
    skipped: list[Skipped] = []
    for folder, entries in walk_folders(out, warn):
        for entry in entries:
            if entry.name.startswith(".") or not entry.name.lower().endswith(".mp3") or not _is_plain_file(entry):
                continue
            found = read_episode(folder / entry.name, out)
            if isinstance(found, str):
                skipped.append(Skipped(str(folder / entry.name), found))
                warn(f"{folder / entry.name}: {found}; left out of the feed")
            else:
                episodes.append(found)
    episodes.sort(key=lambda episode: (episode.published, episode.modified, episode.relative), reverse=True)
    return episodes, skipped
