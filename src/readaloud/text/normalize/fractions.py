"""Fractions: the fraction signs ("½", "1⁄3") and "a/b" read as a part of a whole ("một phần ba")."""

from __future__ import annotations

import re
import unicodedata

from readaloud.text.clean import VULGAR_FRACTIONS
from readaloud.text.normalize.cardinal import say_int
from readaloud.text.normalize.common import next_word, previous_words, spaced
from readaloud.text.normalize.context import Context
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import numbers as num

_FRACTION_SLASH = "\u2044"
_UNICODE_FRACTION_RE = re.compile(
    rf"(?<![0-9.,])(?:(?P<whole>[0-9]+)\s?)?(?:(?P<sign>[{''.join(sorted(VULGAR_FRACTIONS))}])"
    r"|(?<![0-9])(?P<a>[0-9]{1,3})\u2044(?P<b>[0-9]{1,3})(?![0-9]))"
)
_FRACTION_RE = re.compile(r"(?<![0-9.,/])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,3})(?![0-9/]|[.,][0-9])")


def _say_part(numerator: int, denominator: int, dialect: str) -> str:
    """ "một phần ba"; "phần tư" for a quarter."""
    below = num.PART_DENOMINATORS.get(denominator) or say_int(denominator, dialect)
    return f"{say_int(numerator, dialect)} {num.PART} {below}"


_FRACTION_CHARACTERS = frozenset((*VULGAR_FRACTIONS, _FRACTION_SLASH))


def read_unicode_fractions(text: str, ctx: Context) -> str:
    """Fraction signs and the fraction slash: "½" → "một phần hai", "¾" →
    "ba phần tư", "1⁄3" → "một phần ba"; a whole number written before one
    is joined with "và" ("2½" → "hai và một phần hai").  Early, before any
    rule could read the digits of "1⁄2" on their own."""
    if _FRACTION_CHARACTERS.isdisjoint(text):
        return text

    def fraction(m: re.Match[str]) -> str:
        if m["sign"]:
            a, _, b = unicodedata.normalize("NFKC", m["sign"]).partition(_FRACTION_SLASH)
        else:
            a, b = m["a"], m["b"]
        said = _say_part(int(a), int(b), ctx.dialect)
        if m["whole"]:
            said = f"{say_int(m['whole'], ctx.dialect)} {num.AND} {said}"
        return spaced(said)

    return _UNICODE_FRACTION_RE.sub(fraction, text)


def read_parts_of_whole(text: str, dialect: str) -> str:
    """ "a/b" is a part of a whole, "a phần b", when a noun of a whole follows
    or "chiếm" comes before ("1/3 dân số" → "một phần ba dân số"), with
    0 < a < b <= 10; anything else is left for the "/" reading ("trên")."""

    def fraction(m: re.Match[str]) -> str:
        a, b = int(m["a"]), int(m["b"])
        previous = previous_words(m.string, m.start(), 2)
        if previous and previous[-1] in ctxwords.FRACTION_LEAD_DEGREES:  # "chiếm đến 1/3"
            previous = previous[:-1]
        is_part = 0 < a < b <= 10 and (
            next_word(m.string, m.end()) in ctxwords.FRACTION_WHOLES
            or bool(previous and previous[-1] in ctxwords.FRACTION_LEADS)
        )
        if not is_part:
            return m.group(0)
        return spaced(_say_part(a, b, dialect))

    return _FRACTION_RE.sub(fraction, text)
