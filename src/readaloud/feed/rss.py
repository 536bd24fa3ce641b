"""The feed document: RSS 2.0 with the iTunes tags (feedgen's `podcast` extension) and the Podcasting 2.0
tags (https://podcastindex.org/namespace/1.0), built as an element tree by feedgen and lxml.

Every text comes from a tag or a setting and goes into the tree as a value, so lxml escapes it; nothing is
pasted into XML text. Characters XML 1.0 cannot hold at all (control characters, lone surrogates of a
name that is not UTF-8) are dropped from texts first: lxml refuses them rather than escape them.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension  # type: ignore[import-untyped]
from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]
from feedgen.util import xml_elem  # type: ignore[import-untyped]

from readaloud.feed.episodes import Episode
from readaloud.outputs import url_path
from readaloud.sidecars import CHAPTERS_MEDIA_TYPE
from readaloud.text import web_address
from readaloud.version import __version__

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# podcast:guid is a UUIDv5 of the feed's address without its scheme, in this namespace (the tag's spec).
_PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Channel:
    """The feed's own facts, resolved from the settings (see feed.channel_of)."""

    title: str
    description: str
    link: str
    feed_url: str  # where the feed itself is served: its atom:link rel="self" and podcast:guid
    base_url: str  # where the output folder is served, without a trailing slash
    author: str
    category: str
    image: str | None = None
    email: str | None = None


def clean(text: str) -> str:
    """`text` without what XML 1.0 cannot hold, trimmed."""
    return _NOT_XML.sub("", text).strip()


def url_of(base_url: str, relative: str) -> str:
    """The public address of a file under the output folder: each path segment percent-encoded from its
    bytes (UTF-8, or the raw bytes of a name that is not UTF-8), so any file name makes a valid URL."""
    return base_url + "/" + url_path(relative)


class PodcastIndexFeed(BaseExtension):
    """Channel tags feedgen lacks: the Podcasting 2.0 namespace and podcast:guid, and itunes:explicit as
    Apple spells it now ("false"; feedgen knows only yes, no and clean)."""

    def __init__(self) -> None:
        self._guid: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def guid(self, value: str) -> None:
        self._guid = value

    def extend_rss(self, rss: Any) -> Any:
        xml_elem(f"{{{ITUNES_NS}}}explicit", rss[0]).text = "false"
        if self._guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", rss[0]).text = self._guid
        return rss


class PodcastIndexEntry(BaseEntryExtension):
    """Item-level Podcasting 2.0 tags: podcast:transcript (any number) and podcast:chapters (one)."""

    def __init__(self) -> None:
        self._transcripts: list[dict[str, str]] = []
        self._chapters: dict[str, str] | None = None

    def transcript(self, url: str, media_type: str, language: str | None = None, rel: str | None = None) -> None:
        optional = {"language": language, "rel": rel}
        self._transcripts.append({"url": url, "type": media_type,
                                  **{key: value for key, value in optional.items() if value}})

    def chapters(self, url: str, media_type: str) -> None:
        self._chapters = {"url": url, "type": media_type}

    def extend_rss(self, item: Any) -> Any:
        for attributes in self._transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", item, **attributes)
        if self._chapters is not None:
            xml_elem(f"{{{PODCAST_NS}}}chapters", item, **self._chapters)
        return item


def _channel(generator: Any, channel: Channel, updated: datetime | None) -> None:
    generator.title(clean(channel.title))
    generator.description(clean(channel.description))
    # feedgen takes the last link for RSS's <link>: the site, so it goes second.
    generator.link(href=channel.feed_url, rel="self", type="application/rss+xml")
    generator.link(href=channel.link, rel="alternate")
    generator.language("vi")
    generator.generator("readaloud", version=__version__)
    # The newest file's time, not now: an unchanged folder gives a byte-identical feed, left unwritten.
    if updated is not None:
        generator.lastBuildDate(updated)
    generator.category(term=clean(channel.category))
    itunes = generator.podcast
    itunes.itunes_author(clean(channel.author))
    itunes.itunes_category(clean(channel.category))
    itunes.itunes_type("episodic")
    if channel.email:
        itunes.itunes_owner(name=clean(channel.author), email=clean(channel.email))
    if channel.image:
        generator.image(url=channel.image, title=clean(channel.title), link=channel.link)
        itunes.itunes_image(channel.image)
    generator.podcast_index.guid(str(uuid.uuid5(_PODCAST_GUID_NAMESPACE, channel.feed_url.split("://", 1)[1])))


def _guid(episode: Episode, shared: set[str]) -> tuple[str, bool]:
    """A stable guid: the article's address (a permalink) when no other episode has it; else a hash of the
    MP3's path, which stays the same as long as the file keeps its name. (Were the first of two episodes
    with one address to take it, a newer duplicate would change an older episode's guid.)"""
    url = web_address(episode.tags.url or "")
    if url and url not in shared:
        return url, True
    digest = hashlib.sha256(os.fsencode(episode.relative)).hexdigest()[:32]
    return f"readaloud:{digest}", False


def _item(generator: Any, channel: Channel, episode: Episode, shared: set[str]) -> None:
    tags = episode.tags
    entry = generator.add_entry(order="append")  # the episodes come sorted, newest first
    title = clean(tags.title or "") or clean(episode.relative.rsplit("/", 1)[-1][: -len(".mp3")]) or "?"
    entry.title(title)
    entry.description(clean(tags.summary or "") or title)
    url = web_address(tags.url or "")
    if url:
        entry.link(href=url)
    guid, permalink = _guid(episode, shared)
    entry.guid(guid, permalink=permalink)
    entry.pubDate(episode.published)
    entry.enclosure(url_of(channel.base_url, episode.relative), str(episode.size), "audio/mpeg")
    entry.podcast.itunes_duration(str(round(episode.seconds)))
    author = clean(tags.author or "")
    if author:
        entry.podcast.itunes_author(author)
        entry.dc.dc_creator(author)
    if episode.captions:
        entry.podcast_index.transcript(url_of(channel.base_url, episode.captions), "text/vtt", language="vi",
                                       rel="captions")
    if episode.chapters:
        entry.podcast_index.chapters(url_of(channel.base_url, episode.chapters), CHAPTERS_MEDIA_TYPE)


def render(channel: Channel, episodes: Sequence[Episode], updated: datetime | None) -> bytes:
    """The feed as UTF-8 XML, the episodes in the order given."""
    generator = FeedGenerator()
    generator.load_extension("podcast")  # iTunes; its name is feedgen's
    generator.load_extension("dc")
    generator.register_extension("podcast_index", PodcastIndexFeed, PodcastIndexEntry)
    _channel(generator, channel, updated)
    addresses = Counter(web_address(episode.tags.url or "") for episode in episodes)
    shared = {address for address, count in addresses.items() if address and count > 1}
    for episode in episodes:
        _item(generator, channel, episode, shared)
    data: bytes = generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data
