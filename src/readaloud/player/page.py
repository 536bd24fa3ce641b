"""The player's HTML: the fragment for an article page, and whole pages (one article, or an index).

Every piece of text from a file (titles, captions, names) goes through html.escape; URLs are built from
file names with each path segment percent-encoded. The markup works with JavaScript off (the native
<audio> controls, a link to the MP3 and the transcript as text); readaloud-player.js, where it runs, hides
the native controls and adds the buttons, chapters and the live transcript (the parts marked hidden).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from readaloud.outputs import url_path
from readaloud.player.article import ArticleAudio, Paragraph

CSS_NAME = "readaloud-player.css"
JS_NAME = "readaloud-player.js"
RATES = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)


@dataclass(frozen=True)
class Links:
    """Where the page finds the article's files and the player's own: URL prefixes ending in "/", or ""
    for names relative to the page."""

    media: str = ""
    assets: str = ""


def url(prefix: str, name: str) -> str:
    """`prefix` + the file's name percent-encoded from its bytes (a name that is not UTF-8 keeps them)."""
    return prefix + url_path(name)


def clock(seconds: float) -> str:
    """0:05, 1:48, 1:02:03: how a player shows time."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def spoken_length(seconds: float) -> str:
    """1 phút 48 giây: the length as a screen reader should say it (whole seconds, as the clock shows)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} giờ" if hours else "", f"{minutes} phút" if minutes else "", f"{secs} giây" if secs else ""]
    return " ".join(part for part in parts if part) or "0 giây"


def _rate_label(rate: float) -> str:
    return f"{rate:g}".replace(".", ",") + "×"  # Vietnamese writes a decimal comma


def _cue(start_ms: int, end_ms: int, text: str) -> str:
    shown = escape(" ".join(text.split()))
    return f'<span class="ra-cue" data-start="{start_ms / 1000:.3f}" data-end="{end_ms / 1000:.3f}">{shown}</span>'


def _paragraph(paragraph: Paragraph) -> str:
    kind = "ra-para ra-para-heading" if paragraph.heading else "ra-para"
    cues = " ".join(_cue(cue.start_ms, cue.end_ms, cue.text) for cue in paragraph.cues)
    return f'<p class="{kind}">{cues}</p>'


def _chapters(article: ArticleAudio) -> str:
    if len(article.chapters) < 2:
        return ""
    items = "".join(
        f'<li><button type="button" class="ra-chapter" data-start="{chapter.start_ms / 1000:.3f}">'
        f'<span class="ra-chapter-time">{clock(chapter.start_ms / 1000)}</span> '
        f'<span class="ra-chapter-name">{escape(chapter.title)}</span></button></li>'
        for chapter in article.chapters)
    # Named with the title: a page listing several articles has a chapter list (a landmark) for each.
    return (f'<nav class="ra-chapters" aria-label="Các phần: {escape(article.title)}" hidden>'
            f'<p class="ra-subtitle" aria-hidden="true">Các phần</p><ol>{items}</ol></nav>')


def _controls(article: ArticleAudio) -> str:
    rates = "".join(f'<button type="button" class="ra-rate" data-rate="{rate:g}" '
                    f'aria-pressed="{str(rate == 1.0).lower()}">{_rate_label(rate)}</button>' for rate in RATES)
    length = article.duration_s
    return (
        '<div class="ra-controls" hidden>'
        '<div class="ra-buttons">'
        '<button type="button" class="ra-play"><span class="ra-icon" aria-hidden="true">▶</span> '
        '<span class="ra-play-name">Phát</span></button>'
        '<button type="button" class="ra-back"><span class="ra-icon" aria-hidden="true">↺</span> Lùi 10 giây</button>'
        '<button type="button" class="ra-forward">Tới 10 giây <span class="ra-icon" aria-hidden="true">↻</span>'
        "</button></div>"
        '<div class="ra-position">'
        f'<input type="range" class="ra-seek" min="0" max="{length:.3f}" step="1" value="0" '
        f'aria-label="Vị trí trong bài" aria-valuetext="0 giây trên {spoken_length(length)}">'
        f'<span class="ra-time">0:00 / {clock(length)}</span></div>'
        f'<div class="ra-rates" role="group" aria-labelledby="ra-{article.slug}-rate">'
        f'<span class="ra-rates-name" id="ra-{article.slug}-rate">Tốc độ đọc</span>{rates}</div>'
        "</div>")


def fragment(article: ArticleAudio, links: Links, with_assets: bool = True) -> str:
    """The player for one article: paste it into the article page. With `with_assets` it brings its own
    <link> and <script> (harmless when the page already has them: the script sets itself up once)."""
    slug, title = article.slug, escape(article.title)
    mp3, vtt = url(links.media, article.mp3.name), url(links.media, article.captions.name)
    assets = (f'<link rel="stylesheet" href="{escape(url(links.assets, CSS_NAME))}">'
              f'<script src="{escape(url(links.assets, JS_NAME))}" defer></script>') if with_assets else ""
    transcript = "".join(_paragraph(paragraph) for paragraph in article.paragraphs)
    return (
        f"{assets}"
        f'<section class="ra-player" id="ra-{slug}" data-ra-player lang="vi" aria-label="Nghe bài: {title}">'
        f'<p class="ra-heading">Nghe bài viết <span class="ra-length">({spoken_length(article.duration_s)})</span></p>'
        '<div class="ra-body"><div class="ra-main">'
        f'<audio class="ra-audio" controls preload="metadata" src="{escape(mp3)}">'
        f'<track kind="captions" src="{escape(vtt)}" srclang="vi" label="Tiếng Việt" default></audio>'
        f"{_controls(article)}"
        '<p class="ra-status" role="status"></p>'
        f'<p class="ra-links"><a class="ra-download" href="{escape(mp3)}" download>Tải tệp MP3</a> '
        f'<a class="ra-transcript-link" href="#ra-{slug}-transcript">Đọc bản ghi</a> '
        f'<a class="ra-vtt" href="{escape(vtt)}">Phụ đề (WebVTT)</a></p>'
        f"{_chapters(article)}</div>"
        f'<div class="ra-transcript" id="ra-{slug}-transcript">'
        f'<p class="ra-subtitle">Bản ghi</p><div class="ra-cues">{transcript}</div></div>'
        "</div></section>\n")


_PAGE_STYLE = ("body{margin:0;font:1.125rem/1.6 system-ui,sans-serif;color:#1b1b1b;background:#fff}"
               "main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.6rem;line-height:1.3}"
               "h2{font-size:1.3rem;line-height:1.3;margin-top:2.5rem}"
               ".byline{color:#4a4a4a;margin:0}a{color:#0a4f8f}")


def page(title: str, articles: Sequence[tuple[ArticleAudio, Links]], links: Links) -> str:
    """A whole page: one article under its title, or an index with a section per article."""
    single = len(articles) == 1
    parts = []
    for article, media in articles:
        byline = " · ".join(escape(part) for part in (article.author, article.publication, article.date) if part)
        heading = "" if single else f"<h2>{escape(article.title)}</h2>"
        shown = f'<p class="byline">{byline}</p>' if byline else ""
        parts.append(f"<article>{heading}{shown}{fragment(article, media, with_assets=False)}</article>")
    return (
        '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="stylesheet" href="{escape(url(links.assets, CSS_NAME))}">\n'
        f'<script src="{escape(url(links.assets, JS_NAME))}" defer></script>\n'
        f"<style>{_PAGE_STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{escape(title)}</h1>\n"
        + "\n".join(parts) + "\n</main>\n</body>\n</html>\n")
