"""Sports forms: the minute of play ("45'", "90'+3"), "A vs B", a season ("2025/26") and a formation.

Scores ("2-1") are judged with the other number pairs in :mod:`readaloud.text.normalize.quantities`.
"""

from __future__ import annotations

import re

from readaloud.text.normalize.cardinal import say_digits, say_int
from readaloud.text.normalize.common import alternation, has_digit, previous_words, spaced
from readaloud.text.normalize.context import Context
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import numbers as num

_MINUTE_RE = re.compile(r"(?<![\w.,'])(?P<m>[0-9]{1,3})'(?:\s?\+\s?(?P<extra>[0-9]{1,2}))?(?![\w'])")
_VERSUS_RE = re.compile(rf"(?<=\w)\s+(?:{alternation(ctxwords.VERSUS_WRITTEN)})(?!\w)\s*(?=\w)")
_SEASON_RE = re.compile(
    r"(?<![\w/.,-])(?P<y>(?:19|20)[0-9]{2})\s?(?P<sep>[/-])\s?(?P<s>[0-9]{2}(?:[0-9]{2})?)(?![\w/.,-])"
)
# A team's formation, "4-2-3-1", "3-5-2": three or four single digits that add up to the ten outfield
# players, said digit by digit ("bốn hai ba một"), not as ranges.
_FORMATION_RE = re.compile(r"(?<![\w/.,-])[1-6](?:-[1-6]){2,3}(?![\w/-]|[.,][0-9])")
_OUTFIELD = 10
_CENTURY = 100
_ONE_DIGIT = 10


def _minute(m: re.Match[str], dialect: str) -> str:
    """ "45'" → "phút bốn mươi lăm", "90'+3" → "phút chín mươi cộng ba";
    "phút 67'" does not say "phút" twice."""
    words = [say_int(int(m["m"]), dialect)]
    if previous_words(m.string, m.start(), 1) != [ctxwords.MATCH_MINUTE]:
        words.insert(0, ctxwords.MATCH_MINUTE)
    if m["extra"]:
        words += [num.PLUS, say_int(int(m["extra"]), dialect)]
    return spaced(" ".join(words))


def _short_year(two_digits: int, dialect: str) -> str:
    """ "26" → "hai mươi sáu"; "06" → "không sáu", as the year is said."""
    if two_digits < _ONE_DIGIT:
        return say_digits(f"{two_digits:02d}")
    return say_int(two_digits, dialect)


def _season(m: re.Match[str], dialect: str) -> str:
    """ "2025/26" → "hai mươi lăm - hai mươi sáu" (the dash is a pause).
    Sports presenters say a season by its two short years, as the written
    form does: "mùa giải hai mươi lăm - hai mươi sáu"; the century is never
    in doubt, and the long form ("hai nghìn không trăm hai mươi lăm đến hai
    nghìn không trăm hai mươi sáu") buries the point.  Only when the second
    year follows the first ("2025/26", "1999-00"); anything else is left.
    "2020/2021" is read like "2020-2021", with "đến"."""
    year, short = int(m["y"]), int(m["s"])
    if len(m["s"]) == 4:  # "2020/2021": a school or fiscal year, like "2020-2021"
        if short != year + 1 or m["sep"] != "/":
            return m.group(0)
        return spaced(f"{say_int(year, dialect)} {num.RANGE} {say_int(short, dialect)}")
    if (year + 1) % _CENTURY != short:
        return m.group(0)
    return spaced(f"{_short_year(year % _CENTURY, dialect)} - {_short_year(short, dialect)}")


def read_sports(text: str, ctx: Context) -> str:
    """The minute of play "45'", "90'+3" → "phút bốn mươi lăm", "phút chín
    mươi cộng ba"; "A vs B" → "A gặp B"; a season "2025/26", "2024-25" →
    "hai mươi lăm - hai mươi sáu"; a formation "4-2-3-1" → "bốn hai ba
    một".  Before dates and numbers, which would
    read "2025/26" as a ratio and "2024-25" as a range.
    Limits: a minute mark written with "’" is read only after the cleaner
    made it "'"; a season written in full ("2025-2026") stays a range."""
    text = _VERSUS_RE.sub(spaced(ctxwords.VERSUS), text)
    if not has_digit(text):
        return text
    text = _SEASON_RE.sub(lambda m: _season(m, ctx.dialect), text)
    text = _FORMATION_RE.sub(_formation, text)
    return _MINUTE_RE.sub(lambda m: _minute(m, ctx.dialect), text)


def _formation(m: re.Match[str]) -> str:
    digits = m.group(0).split("-")
    if sum(int(digit) for digit in digits) != _OUTFIELD:
        return m.group(0)
    return spaced(" ".join(say_digits(digit) for digit in digits))
