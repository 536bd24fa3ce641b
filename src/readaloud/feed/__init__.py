"""The podcast feed of a folder of MP3s: `readaloud feed OUT_DIR` and `sync --feed`.

write_feed() lists every MP3 readaloud made under OUT_DIR (episodes.py), newest first, as an RSS 2.0
podcast feed with the iTunes and Podcasting 2.0 tags (rss.py): each episode's enclosure, captions
(podcast:transcript) and chapters (podcast:chapters) at [feed] base_url plus the file's path under OUT_DIR.
The feed file is replaced in one rename, and only when its content changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readaloud import outputs, sidecars
from readaloud.config import Settings
from readaloud.errors import ConfigError, InputError, ReadaloudError, UsageError
from readaloud.feed.episodes import Episode, Skipped, find_episodes
from readaloud.feed.rss import Channel, clean, render, url_of
from readaloud.model import Warn, ignore

__all__ = ["Channel", "Episode", "FeedReport", "Skipped", "channel_of", "check_settings", "write_feed"]


@dataclass(frozen=True)
class FeedReport:
    path: str  # the feed file
    url: str  # where podcast apps fetch it
    episodes: int  # listed
    found: int  # readaloud MP3s under OUT_DIR (more than listed under [feed] max_items)
    skipped: tuple[Skipped, ...]  # MP3s left out, with why
    changed: bool  # False: the file already held this feed and was left as it was
    chapters_written: int = 0  # chapters files made from MP3s' tags, where there were none

    def as_dict(self) -> dict[str, Any]:
        return {"feed": self.path, "url": self.url, "episodes": self.episodes, "found": self.found,
                "changed": self.changed, "chapters_written": self.chapters_written,
                "skipped": [{"file": s.file, "reason": s.reason} for s in self.skipped]}


def check_settings(settings: Settings) -> None:
    """ConfigError unless the settings can make a feed: said before a sync's long run, not after it."""
    feed, publication = settings.feed, settings.publication
    if not feed.base_url:
        raise ConfigError('no [feed] base_url: set it to the public address OUT_DIR is served at, e.g. '
                          'base_url = "https://baodongthap.vn/audio/" under [feed] in readaloud.toml (or '
                          'READALOUD_FEED_BASE_URL; `readaloud feed` also takes --base-url)')
    if not clean(feed.title or publication.name):
        raise ConfigError("no feed title: set [feed] title, or [publication] name, in readaloud.toml")


def _site(address: str) -> str:
    """[publication] site as an address: "baodongthap.vn" is taken as https://baodongthap.vn."""
    return address if "://" in address else f"https://{address}"


def channel_of(settings: Settings, out: Path, warn: Warn = ignore) -> Channel:
    """The channel's facts from [feed], falling back to [publication] (see config.FeedSettings)."""
    check_settings(settings)
    feed, publication = settings.feed, settings.publication
    base = feed.base_url.rstrip("/")
    title = feed.title or publication.name
    image = feed.image or None
    if image is None:
        warn("no [feed] image: Apple Podcasts and other directories refuse a feed without artwork")
    if not feed.email:
        warn("no [feed] email: directories ask for the owner's address to verify the feed")
    if image is not None and "://" not in image:
        relative = Path(image.lstrip("/"))
        if not (out / relative).is_file():
            warn(f"[feed] image {image}: no such file under {out}; podcast apps will find no artwork there")
        image = url_of(base, relative.as_posix())
    return Channel(title=title, description=feed.description or f"{title}: tin bài đọc thành tiếng",
                   link=feed.link or (_site(publication.site) if publication.site else base + "/"),
                   feed_url=url_of(base, feed.file), base_url=base, author=feed.author or title,
                   category=feed.category or "News", image=image, email=feed.email or None)


def _current(path: Path) -> bytes | None:
    """What the feed file holds now; None when there is none (or it cannot be read: it is replaced)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _with_chapters_file(episode: Episode, out: Path, warn: Warn) -> tuple[Episode, bool]:
    """The episode with its chapters file, written from the MP3's chapter frames when there is none (an MP3
    built before builds wrote one): the same times and titles, without rebuilding the audio. True when it
    was written. Anything in the way (a link, a folder, a full disk) leaves the episode without chapters,
    with a warning: one file never takes the feed down."""
    if episode.chapters is not None or not episode.tags.chapters:
        return episode, False
    mp3 = out / episode.relative
    path = sidecars.path_for(mp3, "chapters")
    written = episode.tags
    text = sidecars.chapters_json(written.chapters, written.title or mp3.stem, written.author, written.publication)
    try:
        if path.is_symlink():  # may lead outside the served folder: never replaced
            raise InputError(f"{path}: is a link; not replaced")
        outputs.publish({path: text.encode("utf-8")})
    except (ReadaloudError, OSError) as exc:
        warn(f"{exc}; {episode.relative} is listed without chapters")
        return episode, False
    return replace(episode, chapters=path.relative_to(out).as_posix()), True


def write_feed(out: Path, settings: Settings, warn: Warn = ignore) -> FeedReport:
    """Write OUT_DIR's podcast feed ([feed] file in `out`) and report what it lists. ConfigError for
    settings that cannot make a feed, UsageError for an OUT_DIR that is not a folder; files it cannot
    list are skipped with a warning."""
    if not out.is_dir():
        problem = "not a folder" if out.exists() else "no such folder"
        raise UsageError(f"{out}: {problem} (the feed lists the MP3s under OUT_DIR)")
    channel = channel_of(settings, out, warn)
    path = out / settings.feed.file
    outputs.check_target(path)  # a folder or a FIFO there is said before the walk, not after
    episodes, skipped = find_episodes(out, warn)
    if not episodes:  # the articles' folder given for the audio's, say: no feed.xml left among them
        raise InputError(f"{out}: no MP3 made by readaloud under it; no feed written (give the folder "
                         "`build -o` or `sync` writes the MP3s into)")
    listed = episodes[: settings.feed.max_items] if settings.feed.max_items else episodes
    filled = [_with_chapters_file(episode, out, warn) for episode in listed]
    listed = [episode for episode, _ in filled]
    updated = datetime.fromtimestamp(max(e.modified for e in listed), UTC) if listed else None
    data = render(channel, listed, updated)
    changed = data != _current(path)
    if changed:
        outputs.publish({path: data})
    return FeedReport(str(path), channel.feed_url, len(listed), len(episodes), tuple(skipped), changed,
                      sum(made for _, made in filled))
