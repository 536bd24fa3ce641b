"""The listening player for an article page: an HTML fragment built on the native <audio> element and
its WebVTT captions, one small CSS file and one small script (no framework, nothing from elsewhere).

    write_player(mp3)            -> NAME.player.html (the fragment), NAME.demo.html (a page around it),
                                    readaloud-player.css and readaloud-player.js, beside the MP3
    write_index(mp3s, index)     -> one page listing several articles, each with its player

Everything is read back from the files a build wrote (the MP3's tag and length, the .vtt beside it), so
a player can be made for any MP3 of the archive, and is written the way a build publishes (outputs.publish).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from urllib.parse import quote, urlsplit

from readaloud.errors import InputError
from readaloud.outputs import publish
from readaloud.player.episode import Episode, load_episode
from readaloud.player.page import CSS_NAME, JS_NAME, Links, fragment, page

__all__ = ["CSS_NAME", "JS_NAME", "Episode", "PlayerFiles", "asset_bytes", "load_episode", "write_index",
           "write_player"]


@dataclass(frozen=True)
class PlayerFiles:
    fragment: Path
    page: Path
    css: Path
    js: Path

    def as_dict(self) -> dict[str, str]:
        return {"fragment": str(self.fragment), "page": str(self.page), "css": str(self.css), "js": str(self.js)}


def asset_bytes() -> dict[str, bytes]:
    """The player's CSS and script, as shipped in the package."""
    folder = resources.files("readaloud.player") / "assets"
    return {name: (folder / name).read_bytes() for name in (CSS_NAME, JS_NAME)}


def _assets_for(folder: Path) -> dict[Path, bytes]:
    """The player's files for `folder`, leaving out any already there with the same bytes (a page being
    read keeps its cached copy; nothing is rewritten for nothing)."""
    wanted: dict[Path, bytes] = {}
    for name, data in asset_bytes().items():
        target = folder / name
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        wanted[target] = data
    return wanted


def write_player(mp3: Path, media_url: str = "") -> PlayerFiles:
    """Write the player for `mp3` beside it. `media_url`: the URL of the folder the MP3, its captions and
    the player's files will be served from (e.g. https://cdn.example.vn/audio/2024/), or "" for names
    relative to the page."""
    episode = load_episode(mp3)
    prefix = _folder_url(media_url)
    links = Links(media=prefix, assets=prefix)
    folder = mp3.parent
    stem = mp3.name[: -len(mp3.suffix)] if mp3.suffix else mp3.name
    files = PlayerFiles(fragment=folder / f"{stem}.player.html", page=folder / f"{stem}.demo.html",
                        css=folder / CSS_NAME, js=folder / JS_NAME)
    publish({files.fragment: fragment(episode, links).encode("utf-8"),
             files.page: page(episode.title, [(episode, links)], links).encode("utf-8"),
             **_assets_for(folder)})
    return files


def write_index(mp3s: Sequence[Path], index: Path, title: str, media_url: str = "") -> list[Episode]:
    """One page at `index` with a player for each MP3 (in the order given), and the player's files beside
    it. Without `media_url`, each MP3 is linked relative to the page's folder."""
    folder = index.parent
    episodes = [load_episode(mp3) for mp3 in mp3s]
    taken: set[str] = set()
    articles = []
    for episode in episodes:
        slug = _unique(episode.slug, taken)
        prefix = _folder_url(media_url) if media_url else _relative_folder(episode.mp3.parent, folder)
        articles.append((replace(episode, slug=slug), Links(media=prefix)))
    links = Links(assets=_folder_url(media_url))
    publish({index: page(title, articles, links).encode("utf-8"), **_assets_for(folder)})
    return [episode for episode, _links in articles]


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def _folder_url(media_url: str) -> str:
    if urlsplit(media_url).scheme not in ("", "http", "https") or any(c in media_url for c in "\"'<> \n"):
        raise InputError(f"--media-url {media_url[:80]!r}: not a web address (http, https or a path)")
    return media_url if not media_url or media_url.endswith("/") else media_url + "/"


def _relative_folder(target: Path, start: Path) -> str:
    relative = os.path.relpath(target.resolve(), start.resolve())
    return "" if relative == "." else "/".join(quote(part) for part in relative.split(os.sep)) + "/"

