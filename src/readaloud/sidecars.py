"""The files a build writes beside its MP3, named after it: captions (.vtt, .srt) and the chapters as JSON.

The chapters file is Podcasting 2.0's JSON Chapters format (version 1.2.0; see
https://github.com/Podcastindex-org/podcast-namespace, docs/examples/chapters/jsonChapters.md): podcast
apps and web players read it where they cannot read the MP3's ID3 CHAP frames, which hold the same times
and titles.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from readaloud import captions
from readaloud.model import Article, Chapter, Cue

SUFFIXES = {"vtt": ".vtt", "srt": ".srt", "chapters": ".chapters.json"}
CAPTIONS = ("vtt", "srt")  # the kinds BuildResult.captions lists
CHAPTERS_MEDIA_TYPE = "application/json+chapters"  # what the format's spec asks files to be served as
JSON_CHAPTERS_VERSION = "1.2.0"


def path_for(mp3: Path, kind: str) -> Path:
    """Where the sidecar of `kind` ("vtt", "srt", "chapters") of `mp3` is: bai.mp3 -> bai.chapters.json."""
    return mp3.with_suffix(SUFFIXES[kind])


def chapters_json(chapters: Sequence[Chapter], title: str, author: str | None, publication: str | None) -> str:
    """The JSON Chapters document: times in seconds (the format's unit), in time order, with the episode's
    title, author and publication. No fileName: a name that is not UTF-8 could not be written as JSON, and
    the file sits beside its MP3 anyway."""
    about = {"title": title, "author": author, "podcastName": publication}
    document = {"version": JSON_CHAPTERS_VERSION, **{key: value for key, value in about.items() if value},
                "chapters": [{"startTime": chapter.start_ms / 1000, "endTime": chapter.end_ms / 1000,
                              "title": chapter.title} for chapter in sorted(chapters, key=lambda c: c.start_ms)]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def text_of(kind: str, cues: Sequence[Cue], chapters: Sequence[Chapter], article: Article) -> str:
    """The content of the sidecar of `kind`."""
    if kind == "vtt":
        return captions.webvtt(cues)
    if kind == "srt":
        return captions.srt(cues)
    if kind == "chapters":
        return chapters_json(chapters, article.title, article.author, article.publication)
    raise ValueError(f"no sidecar of kind {kind!r}")
