"""Article files -> Article. The only place text enters readaloud, so the only place it is cleaned:
encoding checks, NFC, one tone-mark placement, invisible characters and whitespace.

Formats: `.txt` (and stdin), `.md` with optional YAML front matter, `.html` (reader_html).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from readaloud.errors import InputError
from readaloud.model import Article, Block
from readaloud.text.clean import SPACES, clean_display_text, web_address

if TYPE_CHECKING:
    from markdown_it.token import Token

MAX_BYTES = 2_000_000  # a news article is tens of kB; anything near this is a wrong file
SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")  # the formats an article may come in

_BINARY_SNIFF = 8192
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)  # a line that is only a link is not read


def decode(data: bytes, source: str) -> str:
    """Bytes -> str, refusing binaries and naming the first bad byte of invalid UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"{source}: invalid UTF-16 text at byte {exc.start}") from None
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise InputError(f"{source}: looks like a binary file, not article text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        legacy = _windows_1258(data)
        if legacy is not None:
            return legacy
        raise InputError(
            f"{source}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the article as UTF-8"
        ) from None


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258(data: bytes) -> str | None:
    """Text in Windows-1258, the old Windows code page for Vietnamese, else None.

    Accepted only when it decodes and reads as Vietnamese: its tone marks are separate combining
    characters, so real Vietnamese text carries many of them, each right after a vowel. Anything else
    (Latin-1, random bytes) is left to the UTF-8 error, which names the first bad byte.
    """
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    marks = [i for i, ch in enumerate(text) if ch in _TONES]
    if len(marks) < 3:
        return None
    after_vowel = sum(1 for i in marks if i > 0 and text[i - 1].lower() in "aăâeêioôơuưy")
    return text if after_vowel >= 0.9 * len(marks) else None


def _is_heading_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# A plain-text article may open with `# key = value` lines (news archives' exports, the corpus this
# project measures against): metadata, not text to read.
_HEADER_LINE = re.compile(r"# (?P<key>[\w-]+) =(?: (?P<value>.*))?")
_HEADER_KEYS = ("title", "author", "date", "url", "publication")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _plain_header(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """The metadata of the leading `# key = value` lines (known keys only), and the lines after them."""
    meta: dict[str, str] = {}
    count = 0
    while count < len(lines) and (match := _HEADER_LINE.fullmatch(lines[count])):
        value = (match["value"] or "").strip()
        if match["key"] in _HEADER_KEYS and value:
            meta[match["key"]] = value
        count += 1
    if "date" in meta and (compact := _COMPACT_DATE.fullmatch(meta["date"])):
        meta["date"] = "-".join(compact.groups())  # 20240131 -> 2024-01-31, as front matter gives it
    return meta, lines[count:]


def _checked_date(meta: dict[str, str], source: str) -> None:
    """A header date in ISO form must be a real day ("2024-13-99" is bad input, as in front matter)."""
    date = meta.get("date", "")
    if _ISO_DAY.fullmatch(date):
        try:
            _dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(f"{source}: the header's date '{date}' is not a real day") from None


def parse_plain(text: str, source: str) -> Article:
    """First non-empty line is the title; an all-capitals line is a heading; other lines are paragraphs.
    Leading `# key = value` lines are metadata (title, author, date, url, publication), not text."""
    lines = [line for line in clean_display_text(text).split("\n") if line and not _URL_ONLY.match(line)]
    meta, lines = _plain_header(lines)
    _checked_date(meta, source)
    if "title" not in meta and lines:
        meta["title"], lines = lines[0], lines[1:]
    if "title" not in meta:
        raise InputError(f"{source}: the article is empty")
    blocks = tuple(Block("heading" if _is_heading_line(line) else "paragraph", line) for line in lines)
    return _checked(Article(source=source, blocks=blocks, url=web_address(meta.get("url")),
                            **{key: value for key, value in meta.items() if key != "url"}))


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_META_KEYS = ("title", "author", "date", "url", "publication", "image")


def _front_matter(text: str, source: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    import yaml

    try:
        data = yaml.safe_load(match.group(1) or "") or {}
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: front matter is not valid YAML ({exc.__class__.__name__})") from None
    except ValueError as exc:
        # PyYAML builds dates and numbers itself: `date: 2024-02-30` or an integer of thousands of digits
        # raises the ValueError of datetime or int, not a YAMLError.
        reason = str(exc).split(":")[0]  # Python's advice after the colon (set_int_max_str_digits) is not theirs
        raise InputError(f"{source}: front matter has an impossible date or number ({reason})") from None
    if not isinstance(data, dict):
        raise InputError(f"{source}: front matter must be a mapping of keys to values")
    meta: dict[str, str] = {}
    for key in _META_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, _dt.date | _dt.datetime):
            value = value.isoformat()
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InputError(f"{source}: front matter '{key}' must be text, got {type(value).__name__}")
        meta[key] = clean_display_text(str(value)).replace("\n", " ").strip()
    return meta, text[match.end():]


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return SPACES.sub(" ", "".join(parts)).strip()


def parse_markdown(text: str, source: str) -> Article:
    """Headings `#`..., paragraphs, list items and quotes as paragraphs; code and raw HTML are not read."""
    from markdown_it import MarkdownIt

    meta, body = _front_matter(clean_display_text(text), source)
    tokens = MarkdownIt("commonmark").parse(body)
    title = meta.get("title")
    blocks: list[Block] = []
    for i, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[i - 1].type if i else ""
        content = _inline_text(token)
        if not content or _URL_ONLY.match(content):
            continue
        if opener == "heading_open":
            if title is None and not blocks and tokens[i - 1].tag == "h1":
                title = content
            else:
                blocks.append(Block("heading", content))
        elif opener == "paragraph_open":
            blocks.append(Block("paragraph", content))
    if title is None:
        if not blocks:
            raise InputError(f"{source}: the article is empty")
        title, blocks = blocks[0].text, blocks[1:]
    return _checked(Article(source=source, title=title, blocks=tuple(blocks), url=web_address(meta.get("url")),
                            **{k: v for k, v in meta.items() if k not in ("title", "url")}))


def _checked(article: Article) -> Article:
    if not any(block.kind == "paragraph" for block in article.blocks):
        raise InputError(f"{article.source}: the article has a title but no body text")
    return article


def read_article(path: str, max_bytes: int = MAX_BYTES) -> Article:
    """Read `path` (or "-" for standard input, plain text) into an Article; larger than `max_bytes` is
    refused (a news article is tens of kB; a multi-megabyte file is a wrong file or a runaway paste)."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        source, suffix = "<stdin>", ".txt"
    else:
        file = Path(path)
        source, suffix = path, file.suffix.lower()
        if file.is_dir():
            raise InputError(f"{source}: is a folder, not an article file")
        if suffix not in SUFFIXES:
            raise InputError(f"{source}: unsupported file type '{file.suffix or '(none)'}' "
                             "(expected .txt, .md or .html)")
        try:
            with file.open("rb") as handle:
                data = handle.read(max_bytes + 1)
        except FileNotFoundError:
            raise InputError(f"{source}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{source}: is a directory, not an article file") from None
        except PermissionError:
            raise InputError(f"{source}: permission denied") from None
    return parse_article(data, suffix, source, max_bytes)


def parse_article(data: bytes, suffix: str, source: str, max_bytes: int = MAX_BYTES) -> Article:
    """An article's bytes (as read from a file, or sent over HTTP) -> Article. `suffix` says the format
    (one of SUFFIXES); `source` names it in messages."""
    if len(data) > max_bytes:
        raise InputError(f"{source}: over the {max_bytes / 1_000_000:g} MB limit for one article "
                         "(set [reading] max_article_bytes to change it)")
    text = decode(data, source)
    if suffix in (".md", ".markdown"):
        article = parse_markdown(text, source)
    elif suffix in (".html", ".htm"):
        from readaloud.text.reader_html import parse_html  # bs4 is loaded only for HTML articles

        article = parse_html(text, source)
    else:
        article = parse_plain(text, source)
    return replace(article, digest=hashlib.sha256(data).hexdigest())
