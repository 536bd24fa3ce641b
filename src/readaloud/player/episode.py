"""What the player shows of one built article, read back from the files a build wrote: the MP3's tag
(title, chapters, transcript), its length, and the WebVTT captions beside it.

The transcript on the page is made of the caption cues, so the sentence highlighted while it is spoken is
exactly a cue of the track. Cues carry no paragraph breaks; those come from the tag's transcript (blocks
separated by a blank line), which holds the same display text: cues are laid along its blocks in order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from readaloud.captions import read_webvtt
from readaloud.errors import InputError
from readaloud.model import Chapter, Cue

MAX_SLUG = 60


@dataclass(frozen=True)
class Paragraph:
    cues: tuple[Cue, ...]
    heading: bool  # the title or a section heading (a chapter's title)


@dataclass(frozen=True)
class Episode:
    mp3: Path
    captions: Path
    slug: str  # from the file name: [a-z0-9-], used in element ids and the saved position's key
    title: str
    duration_s: float
    chapters: tuple[Chapter, ...]
    paragraphs: tuple[Paragraph, ...]
    publication: str | None = None
    author: str | None = None
    date: str | None = None


def slug_for(name: str) -> str:
    """An ASCII slug of a file's stem: "Khai giảng 2024" -> "khai-giang-2024"."""
    plain = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_only = plain.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")[:MAX_SLUG].strip("-")
    return slug or "bai"


def _key(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def paragraphs(cues: list[Cue], transcript: str | None, headings: list[str]) -> list[Paragraph]:
    """The cues grouped by the transcript's blocks; a cue the transcript does not hold (a spoken byline,
    an older build's text) stands as a paragraph of its own."""
    blocks = [key for key in (_key(block) for block in (transcript or "").split("\n\n")) if key]
    heading_keys = {_key(title) for title in headings}
    found: list[Paragraph] = []
    current: list[Cue] = []
    block, used = 0, 0

    def close() -> None:
        if current:
            found.append(Paragraph(tuple(current), _key(" ".join(c.text for c in current)) in heading_keys))
            current.clear()

    for cue in cues:
        key = _key(cue.text)
        if block < len(blocks) and used >= len(blocks[block]):
            block, used = block + 1, 0
            close()
        if block < len(blocks) and key and blocks[block].startswith(key, used):
            used += len(key)
            current.append(cue)
        else:
            close()
            current.append(cue)
            close()
    close()
    return found


def load_episode(mp3: Path) -> Episode:
    """Read what the player needs; InputError naming the file when it is not an MP3 readaloud built, or its
    captions are missing or unreadable."""
    from readaloud.inspection import open_mp3
    from readaloud.tags import from_id3

    audio, seconds = open_mp3(mp3)
    tags = from_id3(audio.tags)
    if tags.provenance.version is None or not tags.title:
        raise InputError(f"{mp3}: not an MP3 readaloud built (its tag lacks readaloud's frames); "
                         "make it with `readaloud build`")
    captions = mp3.with_suffix(".vtt")
    try:
        cues = read_webvtt(captions.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{captions}: missing; the player's captions and transcript come from it "
                         "(build the article again to write it)") from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{captions}: cannot be read: {exc}") from None
    chapters = sorted(tags.chapters, key=lambda chapter: chapter.start_ms)
    return Episode(mp3=mp3, captions=captions, slug=slug_for(mp3.stem), title=tags.title,
                   duration_s=seconds, chapters=tuple(chapters),
                   paragraphs=tuple(paragraphs(cues, tags.transcript, [c.title for c in chapters])),
                   publication=tags.publication, author=tags.author, date=tags.date)
