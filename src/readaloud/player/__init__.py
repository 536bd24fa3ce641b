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
from urllib.parse import urlsplit

from readaloud.errors import InputError
from readaloud.outputs import check_target, publish, url_path
from readaloud.player.article import ArticleAudio, load_article
from readaloud.player.page import CSS_NAME, JS_NAME, Links, fragment, page

__all__ = ["CSS_NAME", "JS_NAME", "ArticleAudio", "PlayerFiles", "asset_bytes", "check_index", "check_media_url",
           "load_article", "write_index", "write_player"]


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
    article = load_article(mp3)
    prefix = check_media_url(media_url)
    links = Links(media=prefix, assets=prefix)
    folder = mp3.parent
    stem = mp3.name[: -len(mp3.suffix)] if mp3.suffix else mp3.name
    files = PlayerFiles(fragment=folder / f"{stem}.player.html", page=folder / f"{stem}.demo.html",
                        css=folder / CSS_NAME, js=folder / JS_NAME)
    beside = Links()  # the demo page lies beside the MP3: it works opened from the folder, wherever that is served
    publish({files.fragment: fragment(article, links).encode("utf-8"),
             files.page: page(article.title, [(article, beside)], beside).encode("utf-8"),
             **_assets_for(folder)})
    return files


def check_index(index: Path) -> None:
    """InputError unless a page can be written at `index` (its folder there, nothing but a file in place)."""
    if not index.parent.is_dir():
        raise InputError(f"{index.parent}: no such folder for the index page")
    check_target(index)


def write_index(mp3s: Sequence[Path], index: Path, title: str, media_url: str = "") -> list[ArticleAudio]:
    """One page at `index` with a player for each MP3 (in the order given), and the player's files beside
    it. Without `media_url`, each MP3 is linked relative to the page's folder."""
    folder = index.parent
    loaded = [load_article(mp3) for mp3 in mp3s]
    taken: set[str] = set()
    articles = []
    for article in loaded:
        slug = _unique(article.slug, taken)
        prefix = check_media_url(media_url) if media_url else _relative_folder(article.mp3.parent, folder)
        articles.append((replace(article, slug=slug), Links(media=prefix)))
    links = Links(assets=check_media_url(media_url))
    publish({index: page(title, articles, links).encode("utf-8"), **_assets_for(folder)})
    return [article for article, _links in articles]


def _unique(slug: str, taken: set[str]) -> str:
    candidate, number = slug, 2
    while candidate in taken:
        candidate, number = f"{slug}-{number}", number + 1
    taken.add(candidate)
    return candidate


def check_media_url(media_url: str) -> str:
    """`media_url` as a folder's address ending in "/" ("" stays ""): http(s) with a host, or a path on
    this site; InputError for anything else (a script address, a query, quotes, ".." segments)."""
    if not media_url:
        return ""
    parts = urlsplit(media_url)
    web = parts.scheme in ("http", "https") and bool(parts.netloc)
    path_only = not parts.scheme and not parts.netloc
    unsafe = any(c in media_url for c in "\"'<>\\ \t\r\n") or ".." in parts.path.split("/")
    if not (web or path_only) or parts.query or parts.fragment or unsafe:
        raise InputError(f"media URL {media_url[:80]!r}: not the address of a folder (http or https with a host, "
                         "or a path such as /audio/; no query, quotes or '..')")
    return media_url if media_url.endswith("/") else media_url + "/"


def _relative_folder(target: Path, start: Path) -> str:
    relative = os.path.relpath(target.resolve(), start.resolve())
    if relative == ".":
        return ""
    return url_path("/".join(relative.split(os.sep))) + "/"

