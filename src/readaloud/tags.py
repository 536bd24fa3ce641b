"""ID3v2.4 tags: article metadata, the text, the cover, readaloud's own facts, and chapters in time order.

The one module that knows the tag's layout (frame ids, TXXX descriptions): `write_tags` writes it,
`from_id3` and `read_build_facts` read it back as typed values for `inspect` and `sync`.

mutagen sorts frames by size when it saves, which scrambles CHAP frames; ffmpeg and several players
number chapters in stored order. The tag class below writes every other frame as mutagen would, then
the table of contents and the chapters in time order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    TPUB,
    TXXX,
    USLT,
    WOAS,
    CTOCFlags,
    PictureType,
)
from mutagen.id3._tags import save_frame

from readaloud.model import Chapter, TagInfo
from readaloud.text import web_address
from readaloud.version import __version__

_ID3_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")  # ID3v2.4 timestamps: yyyy[-mm[-dd]]
_NO_OFFSET = 0xFFFFFFFF  # CHAP byte offsets unused: players seek by time
_UTF8 = 3

# TXXX descriptions readaloud writes and reads back (sync decides rebuilds from them).
VERSION, ENGINE, SOURCE, SETTINGS, RULES, LEXICON = (
    "readaloud:version", "readaloud:engine", "readaloud:source-sha256", "readaloud:settings", "readaloud:rules",
    "readaloud:lexicon")


class _TimeOrderedID3(ID3):
    def _write(self, config: Any) -> bytes:
        chapter_frames = [frame for frame in self.values() if frame.FrameID in ("CTOC", "CHAP")]
        for frame in chapter_frames:
            del self[frame.HashKey]
        try:
            data = super()._write(config)
        finally:
            for frame in chapter_frames:
                self.add(frame)
        tocs = [f for f in chapter_frames if f.FrameID == "CTOC"]
        chaps = sorted((f for f in chapter_frames if f.FrameID == "CHAP"), key=lambda f: f.start_time)
        for frame in tocs + chaps:
            data += save_frame(frame, config=config)
        return data


@dataclass(frozen=True)
class Provenance:
    """readaloud's own facts about how an MP3 was made, kept in TXXX frames (sync decides rebuilds from
    them); None for a fact the tag does not hold."""

    version: str | None = None  # readaloud's
    engine: str | None = None  # the engine's identity, e.g. "espeak-ng 1.52.0 voice=vi rate=165"
    source_sha256: str | None = None  # of the article's bytes
    settings: str | None = None  # config.fingerprint
    rules: str | None = None  # RULES_VERSION of the reading rules
    lexicon: str | None = None  # digest of the lexicon entries the article used

    def by_description(self) -> dict[str, str]:
        """The facts held, by TXXX description, in the order they are written."""
        values = (self.version, self.engine, self.source_sha256, self.settings, self.rules, self.lexicon)
        return {desc: value for desc, value in zip(_PROVENANCE, values, strict=True) if value is not None}

    @classmethod
    def from_descriptions(cls, frames: dict[str, str]) -> Provenance:
        version, engine, source, settings, rules, lexicon = (frames.get(desc) for desc in _PROVENANCE)
        return cls(version, engine, source, settings, rules, lexicon)


_PROVENANCE = (VERSION, ENGINE, SOURCE, SETTINGS, RULES, LEXICON)  # Provenance's fields, in order


@dataclass(frozen=True)
class WrittenTags:
    """What an MP3's tag says, as a player or podcast app reads it."""

    id3_version: str  # "2.4.0"; "none" without a tag
    title: str | None = None
    author: str | None = None  # the first name in TPE1
    publication: str | None = None
    date: str | None = None
    language: str | None = None
    genre: str | None = None
    url: str | None = None
    summary: str | None = None
    transcript: str | None = None
    cover_mime: str | None = None  # of the front cover, when there is one
    provenance: Provenance = Provenance()
    chapters: list[Chapter] = field(default_factory=list)  # in stored order


@dataclass(frozen=True)
class BuildFacts:
    """What sync needs from an MP3 to tell whether it is up to date."""

    provenance: Provenance
    transcript: str | None  # USLT: the article's display text (title, headings, paragraphs)
    author: str  # TPE1's names, one a line; "" when the article named none


def write_tags(path: Path, info: TagInfo) -> None:
    article = info.article
    tags = _TimeOrderedID3()
    tags.add(TIT2(encoding=_UTF8, text=article.title))
    if article.author:
        tags.add(TPE1(encoding=_UTF8, text=article.author))
    if article.publication:
        tags.add(TPUB(encoding=_UTF8, text=article.publication))
    if article.date and _ID3_DATE.match(article.date):
        tags.add(TDRC(encoding=_UTF8, text=article.date[:10]))
    url = web_address(article.url)  # the readers drop anything else; checked again where it is published
    if url:
        tags.add(WOAS(url=url))
    tags.add(TCON(encoding=_UTF8, text="Speech"))
    tags.add(TLAN(encoding=_UTF8, text="vie"))
    if info.summary:
        tags.add(COMM(encoding=_UTF8, lang="vie", desc="", text=info.summary))
    if info.transcript:
        tags.add(USLT(encoding=_UTF8, lang="vie", desc="", text=info.transcript))
    if info.cover:
        tags.add(APIC(encoding=_UTF8, mime=info.cover.mime, type=PictureType.COVER_FRONT, desc="",
                      data=info.cover.data))
    made = Provenance(version=__version__, engine=info.engine, source_sha256=article.digest,
                      settings=info.settings_fingerprint, rules=info.rules_version, lexicon=info.lexicon_digest)
    for desc, value in made.by_description().items():
        tags.add(TXXX(encoding=_UTF8, desc=desc, text=value))
    ids = [f"chp{index}" for index in range(len(info.chapters))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=_UTF8, text=article.title)]))
    for element_id, chapter in zip(ids, info.chapters, strict=True):
        tags.add(CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                      start_offset=_NO_OFFSET, end_offset=_NO_OFFSET,
                      sub_frames=[TIT2(encoding=_UTF8, text=chapter.title)]))
    tags.save(path, v2_version=4, v1=0)


def _first_text(id3: ID3, key: str) -> str | None:
    frame = id3.get(key)
    return str(frame.text[0]) if frame is not None and getattr(frame, "text", None) else None


def _provenance(id3: ID3) -> Provenance:
    return Provenance.from_descriptions({frame.desc: str(frame.text[0]) for frame in id3.getall("TXXX")
                                         if frame.desc in _PROVENANCE and frame.text})


def _chapter(frame: Any) -> Chapter:
    title = frame.sub_frames["TIT2"].text[0] if "TIT2" in frame.sub_frames else ""
    return Chapter(title, frame.start_time, frame.end_time)


def from_id3(id3: ID3 | None) -> WrittenTags:
    """The tag mutagen has read (None: the file has none) as typed values."""
    if id3 is None:
        return WrittenTags(id3_version="none")
    comm, uslt, woas = id3.getall("COMM"), id3.getall("USLT"), id3.getall("WOAS")
    covers = [frame for frame in id3.getall("APIC") if frame.type == PictureType.COVER_FRONT]
    return WrittenTags(
        id3_version=".".join(str(n) for n in id3.version), title=_first_text(id3, "TIT2"),
        author=_first_text(id3, "TPE1"), publication=_first_text(id3, "TPUB"), date=_first_text(id3, "TDRC"),
        language=_first_text(id3, "TLAN"), genre=_first_text(id3, "TCON"), url=woas[0].url if woas else None,
        summary=str(comm[0].text[0]) if comm else None, transcript=uslt[0].text if uslt else None,
        cover_mime=covers[0].mime if covers else None, provenance=_provenance(id3),
        chapters=[_chapter(frame) for frame in id3.getall("CHAP")])


def read_build_facts(path: Path) -> BuildFacts | None:
    """The facts `path` carries, or None when its tag cannot be read. mutagen's ID3() reads only the tag
    at the start of the file (its size is in the header), never the audio; told which few frames it needs,
    it keeps the others (cover, chapters...) as raw bytes instead of parsing them, which halves the cost of
    checking an unchanged archive."""
    from mutagen import MutagenError

    try:
        tag = ID3(path, known_frames={"TXXX": TXXX, "USLT": USLT, "TPE1": TPE1}, translate=False, load_v1=False)
    except (MutagenError, OSError):
        return None
    lyrics = tag.getall("USLT")
    author = tag.getall("TPE1")
    return BuildFacts(_provenance(tag), lyrics[0].text if lyrics else None,
                      "\n".join(author[0].text) if author else "")
