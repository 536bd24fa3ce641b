"""The last rule: spaces and pause marks tidied for the engine."""

from __future__ import annotations

import re
import unicodedata

from readaloud.text.normalize.common import LETTER, SPACES_RE
from readaloud.text.normalize.context import Context

_SPACE_BEFORE_PAUSE_RE = re.compile(r"\s+([,.;:?!…])")
_REPEATED_COMMA_RE = re.compile(r"([,;:])(?:\s*[,;:])+")
_REPEATED_STOP_RE = re.compile(r"([.?!…])(?:\s*[.?!…])+")
_COMMA_BEFORE_STOP_RE = re.compile(r"[,;:]\s*([.?!…])")
_STOP_BEFORE_COMMA_RE = re.compile(r"([.?!…])\s*[,;:]")
_NO_SPACE_AFTER_PAUSE_RE = re.compile(rf"([,;:.?!…])(?={LETTER})")


def tidy_spaces_and_pauses(text: str, ctx: Context) -> str:
    """Single spaces, no space before a pause mark and one after it, no
    doubled or dangling pauses ("!!!" → "!", ", ," → ","), NFC."""
    text = SPACES_RE.sub(" ", text)
    text = _SPACE_BEFORE_PAUSE_RE.sub(r"\1", text)
    text = _REPEATED_COMMA_RE.sub(r"\1", text)
    text = _COMMA_BEFORE_STOP_RE.sub(r"\1", text)
    text = _STOP_BEFORE_COMMA_RE.sub(r"\1", text)
    text = _REPEATED_STOP_RE.sub(r"\1", text)
    text = _NO_SPACE_AFTER_PAUSE_RE.sub(r"\1 ", text)
    # str.strip, not a regex: a "[,;: ]+$" pattern is quadratic on long runs.
    text = text.lstrip(" ,;:.?!…").rstrip(" ,;")
    return unicodedata.normalize("NFC", SPACES_RE.sub(" ", text).strip())
