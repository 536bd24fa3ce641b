"""Regex pieces and small helpers every rule module shares.

Nothing here knows a Vietnamese word: the words are in :mod:`readaloud.text.vi`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

from readaloud.text.vi import letters

Dialect = Literal["north", "south"]
DIALECTS = ("north", "south")

LETTER = r"[^\W\d_]"  # any letter, any script
ALNUM = r"[^\W_]"
ROMAN_NUMERAL = r"[IVXLC]+"
VN_UPPER = frozenset(letters.UPPER)
VN_LOWER = frozenset(letters.LOWER)
SPACES_RE = re.compile(r"\s+")
_DIGIT_RE = re.compile(r"[0-9]")


def check_dialect(dialect: str) -> None:
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {DIALECTS}")


def pick(value: str | tuple[str, str], dialect: str) -> str:
    """A table value: one reading, or a (north, south) pair."""
    if isinstance(value, tuple):
        return value[0] if dialect == "north" else value[1]
    return value


def alternation(keys: Iterable[str]) -> str:
    """Regex alternation, longest key first so the longest key wins."""
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def previous_words(text: str, pos: int, count: int = 2) -> list[str]:
    """The last ``count`` words (or numbers) before ``pos``, lower-cased,
    nearest last.  Looks back a bounded distance so rules stay linear."""
    return [w.lower() for w in re.findall(r"\w+", text[max(0, pos - 60) : pos])][-count:]


def next_word(text: str, pos: int) -> str:
    """The first word after ``pos``, lower-cased ('' if none)."""
    match = re.match(r"\W*?(\w+)", text[pos : pos + 40])
    return match.group(1).lower() if match else ""


def has_digit(text: str) -> bool:
    """Cheap guard for the rules that only act on digits."""
    return _DIGIT_RE.search(text) is not None


def spaced(words: str) -> str:
    """Replacement text with room on both sides; the last rule collapses spaces."""
    return f" {words} "


def fold(word: str) -> str:
    """Lower case without any diacritic, "đ" as "d": how initials compare
    ("Đ" in "TTĐN" matches "đối", "D" in "GDĐT" matches "dục")."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace(letters.D_STROKE, "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def unnamed(pattern: str) -> str:
    """The same pattern without named groups, to repeat it in a range."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def squash(text: str) -> str:
    """For comparing written phrases: single spaces, case-folded."""
    return SPACES_RE.sub(" ", text).strip().casefold()


def restated(before: str, long_forms: tuple[str, ...]) -> bool:
    """Does the text ``before`` an "(ABBR)" end with one of its long forms?"""
    tail = squash(before[-200:])
    return any(form and tail.endswith(squash(form)) for form in long_forms)
