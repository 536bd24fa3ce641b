"""ID3v2.4 tags: article metadata, the text, the cover, readaloud's own facts, and chapters in time order.

mutagen sorts frames by size when it saves, which scrambles CHAP frames; ffmpeg and several players
number chapters in stored order. The tag class below writes every other frame as mutagen would, then
the table of contents and the chapters in time order.
"""

from __future__ import annotations

import re
from pathlib import Path

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

from readaloud.model import TagInfo
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
    def _write(self, config):
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
    for desc, value in ((VERSION, __version__), (ENGINE, info.engine), (SOURCE, article.digest),
                        (SETTINGS, info.settings_fingerprint), (RULES, info.rules_version),
                        (LEXICON, info.lexicon_digest)):
        tags.add(TXXX(encoding=_UTF8, desc=desc, text=value))
    ids = [f"chp{index}" for index in range(len(info.chapters))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=_UTF8, text=article.title)]))
    for element_id, chapter in zip(ids, info.chapters, strict=True):
        tags.add(CHAP(element_id=element_id, start_time=chapter.start_ms, end_time=chapter.end_ms,
                      start_offset=_NO_OFFSET, end_offset=_NO_OFFSET,
                      sub_frames=[TIT2(encoding=_UTF8, text=chapter.title)]))
    tags.save(path, v2_version=4, v1=0)
