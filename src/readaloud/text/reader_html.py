"""HTML article -> Article: a saved news page or the body fragment a CMS exports.

What is read: the story inside the page's content root (`<article>`, else `itemprop="articleBody"`, else
`<main>`, else `<body>`): its `<h1>` as the title, `<h2>`-`<h6>` as headings, and paragraphs, list items,
quotes, definition lists, table rows and bare `<div>` text as paragraphs, in document order. The page's
`<head>` (meta tags, canonical link, JSON-LD) gives the author, date, URL, image and publication.

What is left out, and why: a presenter reads the story, not the page. Menus, breadcrumbs, share buttons,
related links, comments, ads, forms, scripts and hidden elements are site furniture; photos and their
captions are seen, not heard; the byline and date boxes are metadata, taken from the meta tags and read
once by the pipeline instead of in the middle of the text. Image alt text is never read.

The tree is walked without recursion, so a page with thousands of nested tags cannot exhaust the stack.
Every text goes through `text.clean_display_text`, the one place readaloud cleans text.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag

from readaloud.errors import InputError
from readaloud.model import Article, Block
from readaloud.text.clean import clean_display_text, web_address
from readaloud.text.structure import byline_name
from readaloud.text.vi import page

# Elements never read, wherever they stand. Code and embeds are not text; nav and aside are site menus
# and sidebars; forms and buttons are the comment box, search and share widgets; figures and media are
# seen, not heard (a caption "(Ảnh: P.L)" in the middle of a paragraph only confuses a listener).
DROPPED_TAGS = (
    "script", "style", "noscript", "template", "iframe", "svg", "math", "canvas", "object", "embed",
    "nav", "aside", "form", "button", "input", "select", "textarea", "dialog",
    "figure", "figcaption", "picture", "video", "audio", "map",
)
# A page's own <header> and <footer> (logo, menu, contact lines) are chrome; those of a section belong to
# it. Inside the article a <header> holds the title and lead, so it stays, while a <footer> holds share
# links, tags and the byline, so it goes (except in a <blockquote>, where it names who is quoted).
PAGE_FRAME_TAGS = ("header", "footer")
# Elements whose own <header>/<footer> is part of them, not of the site.
SECTIONING_TAGS = ("article", "section", "main")
# Words in a class or id that mark site chrome (share, comments, related news, ads, ...), in English and
# in unaccented Vietnamese: the table is in vi/page.py.
CHROME_MARKERS = page.CHROME_CLASS_WORDS
# Not chrome, but not story text either: the byline and date come from the page's metadata and are read
# once by the pipeline; reading them again mid-text would repeat them.
BYLINE_MARKERS = ("author", "authors", "byline", "writer", "meta", "date", "time", "publish", "published")

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Elements that start and end a line of text; anything else (a, strong, span, font, ...) is inline.
_BLOCK_TAGS = frozenset((
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "html", "legend",
    "li", "main", "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", *_HEADINGS,
))
# Inside a table cell, these mean the table lays out the page rather than holding data.
_LAYOUT_SIGNS = frozenset(("table", "p", "div", "ul", "ol", "li", "blockquote", "dl", "section", "article",
                           "pre", *_HEADINGS))
_ARTICLE_TYPES = frozenset(("NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle",
                            "BlogPosting", "OpinionNewsArticle"))
_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ")
_WORD_SPLIT = re.compile(r"[^0-9a-z]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def parse_html(text: str, source: str) -> Article:
    """Read an HTML page or fragment into an Article; InputError when it holds no readable story."""
    try:
        return _parse(text, source)
    except RecursionError:
        # Nothing here recurses; this guards against a library change that would, so the user gets a line
        # naming the file instead of a traceback.
        raise InputError(f"{source}: the HTML is nested too deeply to read") from None


def _parse(text: str, source: str) -> Article:
    import warnings

    from bs4 import MarkupResemblesLocatorWarning, ParserRejectedMarkup

    with warnings.catch_warnings():
        # A file whose whole text looks like a web address is still an article here (an empty one, refused
        # with one clear line later), not a mistaken request to fetch a page: bs4's advice would be noise.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        try:
            soup = BeautifulSoup(text, "html.parser")
        except ParserRejectedMarkup:
            # Python's HTMLParser gives up on some malformed declarations (a stray `<![`); bs4 re-raises.
            raise InputError(f"{source}: the HTML is malformed (the parser rejected it, e.g. a stray '<![')") from None
    meta = _page_metadata(soup)
    below = _below(soup)
    _drop(soup, lambda tag, quoted, sectioned: _is_page_chrome(tag, quoted, sectioned, below))
    root = _content_root(soup)
    author = meta.get("author") or _byline_from_page(soup, root)
    date = meta.get("date") or _date_from_time(soup, root)
    root_line = {id(root), *(id(parent) for parent in root.parents)}
    _drop(soup, lambda tag, quoted, sectioned: _is_marked_chrome(tag, root_line, quoted))

    title_tag = _first_h1(root)
    if title_tag is None:
        title_tag = _first_h1(soup)
    title = _one_line(_inline_text(title_tag)) if title_tag is not None else ""
    if not title:
        title = meta.get("og:title") or meta.get("headline") or _strip_site(meta.get("title", ""),
                                                                             meta.get("publication"))
    blocks = _blocks(root, title_tag, _below(root))
    if not title:
        if not blocks:
            raise InputError(f"{source}: no article text found in the HTML")
        title, blocks = blocks[0].text, blocks[1:]
    if blocks and blocks[0].text == title:  # a CMS that repeats the title in a <div class="title">
        blocks = blocks[1:]
    if not any(block.kind == "paragraph" for block in blocks):
        raise InputError(f"{source}: the article has a title but no body text")
    return Article(source=source, title=title, blocks=tuple(blocks), author=author, date=date,
                   url=meta.get("url"), publication=meta.get("publication"), image=meta.get("image"))


# --- metadata -------------------------------------------------------------------------------------------


def _page_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """Author, date, url, image, publication and title candidates from meta tags, links and JSON-LD."""
    tags: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "")
        content = _one_line(str(tag.get("content") or ""))
        if isinstance(key, str) and content:
            tags.setdefault(key.strip().lower(), content)
    canonical = next((str(link.get("href")).strip() for link in soup.find_all("link")
                      if "canonical" in _tokens(link.get("rel")) and link.get("href")), "")
    page_title = next((tag for tag in soup.find_all("title") if tag.find_parent("svg") is None), None)
    ld = _json_ld(soup)

    article_author = tags.get("article:author", "")
    if "://" in article_author:  # usually a link to the reporter's profile page, not a name
        article_author = ""
    meta: dict[str, str | None] = {
        "author": tags.get("author") or article_author or ld.get("author"),
        "date": (_iso_date(tags.get("article:published_time")) or _iso_date(ld.get("datePublished"))
                 or _iso_date(tags.get("datepublished"))),
        "url": web_address(canonical) or web_address(tags.get("og:url")) or web_address(ld.get("url")),
        "image": tags.get("og:image") or ld.get("image"),
        "publication": tags.get("og:site_name") or ld.get("publisher"),
        "og:title": tags.get("og:title"),
        "headline": ld.get("headline"),
        "title": _one_line(page_title.get_text()) if page_title is not None else None,
    }
    return {key: value for key, value in meta.items() if value}


def _json_ld(soup: BeautifulSoup) -> dict[str, str]:
    """The first article object's fields as one-line strings. Broken or odd JSON-LD is ignored: it is
    metadata, and a page is still readable without it."""
    for script in soup.find_all("script"):
        if str(script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = script.get_text().strip()
        # Some CMSs wrap the block in an HTML comment or a CDATA section.
        for opener, closer in (("<!--", "-->"), ("//<![CDATA[", "//]]>"), ("<![CDATA[", "]]>")):
            if raw.startswith(opener) and raw.endswith(closer):
                raw = raw[len(opener):-len(closer)].strip()
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for item in _ld_objects(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(isinstance(kind, str) and kind in _ARTICLE_TYPES for kind in kinds):
                return _ld_fields(item)
    return {}


def _ld_objects(data: object) -> Iterator[dict[str, object]]:
    """Top-level objects, list items and `@graph` members: where sites put the article object."""
    pending = data if isinstance(data, list) else [data]
    for item in pending:
        if isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (member for member in graph if isinstance(member, dict))


def _ld_fields(item: dict[str, object]) -> dict[str, str]:
    fields = {
        "author": _ld_name(item.get("author")),
        "datePublished": _ld_text(item.get("datePublished")),
        "image": _ld_url(item.get("image")),
        "url": _ld_url(item.get("url")),
        "publisher": _ld_name(item.get("publisher")),
        "headline": _ld_text(item.get("headline")),
    }
    return {key: value for key, value in fields.items() if value}


def _ld_text(value: object) -> str:
    return _one_line(value) if isinstance(value, str) else ""


def _ld_name(value: object) -> str:
    """A person or organisation: a name string, {"name": ...}, or a list of those (the first is taken)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _ld_text(value)


def _ld_url(value: object) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value.strip() if isinstance(value, str) else ""


def _iso_date(value: str | None) -> str | None:
    """"2024-11-02T08:15:00+07:00" -> "2024-11-02": the date the paper printed, in its own time zone."""
    if not value:
        return None
    value = value.strip()
    try:
        return _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return _dt.datetime.strptime(value[:10], pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _strip_site(title: str, site: str | None) -> str:
    """"Headline - Báo Đồng Tháp Online" -> "Headline" when the tail is the site's own name."""
    if not title or not site:
        return title
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and tail.strip().casefold() == site.strip().casefold():
            return head.strip()
    return title


def _byline_from_page(soup: BeautifulSoup, root: Tag) -> str | None:
    """The author's name from a byline box, when the meta tags name nobody."""
    for scope in (root, soup):
        for tag in scope.find_all(_is_byline_element):
            if _inside_marked_chrome(tag):
                continue
            name = byline_name(_one_line(_inline_text(tag)))
            if name:
                return name
    return None


def _date_from_time(soup: BeautifulSoup, root: Tag) -> str | None:
    for scope in (root, soup):
        for tag in scope.find_all("time"):
            found = _iso_date(str(tag.get("datetime") or ""))
            if found and not _inside_marked_chrome(tag):
                return found
    return None


# --- what is not the story ------------------------------------------------------------------------------


def _tokens(value: object) -> list[str]:
    """Attribute words, lower-case: "shareButtons box_social" -> ["share", "buttons", "box", "social"]."""
    if value is None:
        return []
    text = " ".join(value) if isinstance(value, list) else str(value)
    return [word for word in _WORD_SPLIT.split(_CAMEL.sub(" ", text).lower()) if word]


def _marked(tag: Tag, markers: tuple[str, ...]) -> bool:
    return any(word in markers for word in _tokens(tag.get("class")) + _tokens(tag.get("id")))


def _is_hidden(tag: Tag) -> bool:
    if tag.has_attr("hidden") or str(tag.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


@dataclass
class _Below:
    """What lies under one element, gathered for every element in one pass from the leaves up: asking the
    same of each nested table or row by searching its subtree took time quadratic in the nesting depth."""

    img: bool = False
    rows: int = 0  # <tr>s, counted up to 3
    table_or_quote: bool = False
    layout_signs: int = 0  # _LAYOUT_SIGNS elements, counted up to 2
    layout_block: bool = False  # a _LAYOUT_SIGNS element other than <p> and <div>
    data_cells: bool = True  # every outermost cell below holds at most one <p> or <div> and no other sign


def _below(top: Tag) -> dict[int, _Below]:
    """_Below for `top` and every element under it, by id(); without recursion."""
    facts: dict[int, _Below] = {}
    stack: list[tuple[Tag, bool]] = [(top, False)]
    while stack:
        tag, leaving = stack.pop()
        if not leaving:
            stack.append((tag, True))
            stack.extend((child, False) for child in tag.children if isinstance(child, Tag))
            continue
        here = _Below()
        for child in tag.children:
            if not isinstance(child, Tag):
                continue
            inner = facts[id(child)]
            sign = child.name in _LAYOUT_SIGNS
            here.img = here.img or child.name == "img" or inner.img
            here.rows = min(3, here.rows + (child.name == "tr") + inner.rows)
            here.table_or_quote = here.table_or_quote or child.name in ("table", "blockquote") or inner.table_or_quote
            here.layout_signs = min(2, here.layout_signs + sign + inner.layout_signs)
            here.layout_block = here.layout_block or (sign and child.name not in ("p", "div")) or inner.layout_block
            if child.name in ("td", "th"):
                here.data_cells = here.data_cells and inner.layout_signs <= 1 and not inner.layout_block
            else:
                here.data_cells = here.data_cells and inner.data_cells
        facts[id(tag)] = here
    return facts


def _is_page_chrome(tag: Tag, quoted: bool, sectioned: bool, below: dict[int, _Below]) -> bool:
    """Chrome by element kind alone, before the content root is chosen."""
    if tag.name in DROPPED_TAGS:
        # CKEditor wraps tables and quotes in <figure>: keep those, dropping only the caption.
        return not (tag.name == "figure" and below[id(tag)].table_or_quote)
    if tag.name in PAGE_FRAME_TAGS and not sectioned and not quoted:
        return True
    if tag.name == "table" and _is_image_table(below[id(tag)]):
        return True
    return _is_hidden(tag)


def _is_image_table(table: _Below) -> bool:
    """Older CMSs lay out a photo and its caption as a small table: one row for the picture, one for text."""
    return table.img and table.rows <= 2


def _is_byline_element(tag: Tag) -> bool:
    return (_marked(tag, BYLINE_MARKERS) or "author" in _tokens(tag.get("rel"))
            or "author" in _tokens(tag.get("itemprop")))


def _is_marked_chrome(tag: Tag, root_line: set[int], quoted: bool) -> bool:
    """Chrome by class/id, once the root is known. The root and its ancestors are never dropped: a wrapper
    `<div class="page has-ads">` around the whole page must not take the story with it."""
    if id(tag) in root_line:
        return False
    if tag.name == "footer" and not quoted:
        return True
    if tag.name in ("body", "html"):
        return False
    return _marked(tag, CHROME_MARKERS) or _is_byline_element(tag)


def _inside_marked_chrome(tag: Tag) -> bool:
    return any(_marked(parent, CHROME_MARKERS) for parent in tag.parents if parent.name not in ("body", "html"))


def _drop(soup: BeautifulSoup, is_chrome: Callable[[Tag, bool, bool], bool]) -> None:
    """Remove every element `is_chrome(tag, quoted, sectioned)` picks, walking the tree without recursion.
    `quoted`: inside a <blockquote>; `sectioned`: inside an article, section or main."""
    doomed: list[Tag] = []
    stack: list[tuple[Tag, bool, bool]] = [(soup, False, False)]
    while stack:
        node, quoted, sectioned = stack.pop()
        for child in node.children:
            if not isinstance(child, Tag):
                continue
            if is_chrome(child, quoted, sectioned):
                doomed.append(child)
                continue
            stack.append((child, quoted or child.name == "blockquote",
                          sectioned or child.name in SECTIONING_TAGS or _is_article_body(child)))
    for tag in doomed:
        tag.extract()


def _is_article_body(tag: Tag) -> bool:
    return "articlebody" in str(tag.get("itemprop") or "").lower().split()


def _content_root(soup: BeautifulSoup) -> Tag:
    """The story's container. A candidate inside a related-news or comment block is someone else's story,
    unless no other is left and it has a headline (then the marker was on a wrapper, "page has-ads")."""
    for match in ("article", _is_article_body, "main", "body"):
        candidates = soup.find_all(match)
        for tag in candidates:
            if not _inside_marked_chrome(tag):
                return tag
        for tag in candidates:
            if _first_h1(tag) is not None:
                return tag
    return soup


def _first_h1(scope: Tag) -> Tag | None:
    """The first <h1> with text: a logo <h1> holding only an image is not a headline."""
    return next((tag for tag in scope.find_all("h1") if _one_line(_inline_text(tag))), None)


# --- the story ------------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(clean_display_text(text).split())


def _inline_text(tag: Tag) -> str:
    """All the text under `tag`, with a space where a line break or a block edge would be."""
    parts: list[str] = []
    for node in tag.descendants:
        if isinstance(node, Tag):
            if node.name == "br" or node.name in _BLOCK_TAGS:
                parts.append(" ")
        elif _is_text(node):
            parts.append(str(node))
    return "".join(parts)


def _is_text(node: object) -> bool:
    # Comments, CDATA, doctypes and processing instructions are PreformattedStrings: never shown.
    return isinstance(node, NavigableString) and not isinstance(node, PreformattedString)


def _cells(row: Tag) -> list[Tag]:
    """The row's outermost cells: a cell nested in another (malformed, or a table in a cell) is part of
    the text of the one around it, not a cell of this row. Without recursion."""
    cells: list[Tag] = []
    stack = [child for child in reversed(row.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if tag.name in ("td", "th"):
            cells.append(tag)
        else:
            stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))
    return cells


class _Blocks:
    """Collects text into blocks: a block edge, or two <br> in a row, ends the current block."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.headings = 0  # open heading elements: text inside one is a heading
        self.breaks = 0  # <br>s since the last visible text

    def text(self, text: str) -> None:
        if text.strip():
            self.breaks = 0
        self.parts.append(text)

    def line_break(self) -> None:
        self.breaks += 1
        if self.breaks >= 2:
            self.end()
        else:
            self.parts.append(" ")

    def end(self) -> None:
        text = _one_line("".join(self.parts))
        self.parts.clear()
        if text and not _is_bare_url(text):
            self.blocks.append(Block("heading" if self.headings else "paragraph", text))

    def edge(self) -> None:
        self.end()
        self.breaks = 0

    def row(self, cells: list[str]) -> None:
        self.edge()
        self.text(", ".join(cell for cell in cells if cell))
        self.edge()


def _is_bare_url(text: str) -> bool:
    # A link written out as its address ("https://baodongthap.vn/...") is furniture, as in the text reader.
    return " " not in text and text.lower().startswith(("http://", "https://", "www."))


def _blocks(root: Tag, title_tag: Tag | None, below: dict[int, _Below]) -> list[Block]:
    """The story's blocks in document order, from an explicit stack of (node, leaving) steps. A row of
    short cells (a data row, not a layout table holding paragraphs of the page) is one block."""
    out = _Blocks()
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if not isinstance(node, Tag):
            if _is_text(node):
                out.text(str(node))
            continue
        name = node.name
        if leaving:
            if name in _BLOCK_TAGS:
                out.edge()
            if name in _HEADINGS:
                out.headings -= 1
            continue
        if node is title_tag:
            out.edge()
            continue
        if name == "br":
            out.line_break()
            continue
        if name == "tr" and below[id(node)].data_cells:
            out.row([_one_line(_inline_text(cell)) for cell in _cells(node)])
            continue
        if name in _BLOCK_TAGS:
            out.edge()
        if name in _HEADINGS:
            out.headings += 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    out.edge()
    return out.blocks
