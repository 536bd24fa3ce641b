"""What a POST /v1/builds carries, read into a Submission: the article as a raw body (text/plain,
text/markdown, text/html, metadata in the query), as JSON ({"article": ..., "format": "md", ...}) or as a
multipart form (an `article` file part, metadata as fields). Anything wrong is an InputError whose one line
the API returns with 422, as the command line would print it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from readaloud.errors import InputError
from readaloud.service.jobs import Submission, checked_callback, checked_key, checked_meta, sanitise_slug

RAW_TYPES = {"text/plain": ".txt", "text/markdown": ".md", "text/x-markdown": ".md", "text/html": ".html"}
FORMATS = {"txt": ".txt", "text": ".txt", "md": ".md", "markdown": ".md", "html": ".html"}
SUFFIX_OF_NAME = {".txt": ".txt", ".md": ".md", ".markdown": ".md", ".html": ".html", ".htm": ".html"}
FIELDS = ("title", "author", "url", "date", "slug", "callback_url")
EXPECTED = "expected text/plain, text/markdown, text/html, application/json or multipart/form-data"


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def from_raw(body: bytes, content_type: str, fields: Mapping[str, str], key: str) -> Submission:
    suffix = RAW_TYPES.get(media_type(content_type))
    if suffix is None:
        raise InputError(f"article: unsupported type '{media_type(content_type) or '(none)'}' ({EXPECTED})")
    return _submission(body, suffix, f"article{suffix}", fields, key)


def only_known(names: Iterable[str], where: str, also: tuple[str, ...] = ()) -> None:
    """InputError for a field readaloud does not know: a misspelt slug or callback_url must not pass silently."""
    for name in names:
        if name not in FIELDS and name not in also:
            known = ", ".join((*also, *FIELDS))
            raise InputError(f"{where}: unknown field {name[:40]!r} (known: {known})")


def from_json(body: bytes, key: str, defaults: Mapping[str, str] | None = None) -> Submission:
    """`defaults`: fields given in the query, for what the JSON object does not say."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise InputError("request: not valid JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("article"), str):
        raise InputError('request: expected a JSON object with the article as text in "article"')
    only_known(data, "request", ("article", "format"))
    fmt = data.get("format", "txt")
    if not isinstance(fmt, str) or fmt not in FORMATS:
        raise InputError(f"format {str(fmt)[:20]!r}: expected one of {', '.join(FORMATS)}")
    fields = {**(defaults or {}), **{name: _text(data[name], name) for name in FIELDS if name in data}}
    suffix = FORMATS[fmt]
    return _submission(data["article"].encode("utf-8"), suffix, f"article{suffix}", fields, key)


def from_form(article: bytes, filename: str | None, part_type: str | None, fields: Mapping[str, str],
              key: str) -> Submission:
    # The file's extension decides; the part's own type only for a name without one.
    suffix = SUFFIX_OF_NAME.get(_suffix(filename)) if _suffix(filename) else RAW_TYPES.get(media_type(part_type))
    if suffix is None:
        shown = _suffix(filename) or media_type(part_type) or "(none)"
        raise InputError(f"{_safe_name(filename) or 'article'}: unsupported file type '{shown}' "
                         "(expected .txt, .md or .html)")
    return _submission(article, suffix, _safe_name(filename) or f"article{suffix}", fields, key)


def _submission(article: bytes, suffix: str, name: str, fields: Mapping[str, str], key: str) -> Submission:
    slug = fields.get("slug") or ""
    return Submission(article=article, suffix=suffix, name=name, meta=checked_meta(dict(fields)),
                      slug=sanitise_slug(slug) if slug else "",
                      callback_url=checked_callback(fields.get("callback_url") or ""), idempotency_key=checked_key(key))


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{name}: expected text, got {type(value).__name__}")
    return value


def _suffix(filename: str | None) -> str:
    match = re.search(r"\.[A-Za-z]{1,10}$", filename or "")
    return match.group(0).lower() if match else ""


def _safe_name(filename: str | None) -> str:
    """An uploaded file's name, only to name it in messages: its last part, plain characters only."""
    last = re.split(r"[\\/]", filename or "")[-1]
    return re.sub(r"[^\w.-]", "_", last)[:100].lstrip(".")
