"""The built-in abbreviation tables: dotted titles and places ("TP. Cao Lãnh", "PGS.TS"), photo-credit
words ("(Ảnh: TL)") and acronyms ("UBND"), exact case."""

from __future__ import annotations

import re

from readaloud.text.normalize.common import ALNUM, VN_LOWER, VN_UPPER, alternation, previous_words, restated
from readaloud.text.normalize.context import Context
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import units

_DOTTED_RE = re.compile(rf"(?<![\w.])(?P<key>{alternation(abbr.DOTTED)})\.[ ]?(?=\S)")
_TITLE_AHEAD_RE = re.compile(rf"(?:{alternation(abbr.DOTTED)})(?:\.|\s)")
_ACRONYM_RE = re.compile(rf"(?P<open>\()?(?<!{ALNUM})(?P<key>{alternation(abbr.ACRONYMS)})(?!{ALNUM})(?P<close>\))?")
_CREDIT_ACRONYM_RE = re.compile(
    rf"(?P<head>(?<!\w)(?i:{alternation(ctxwords.CREDIT_WORDS)})[^:()]{{0,20}}:\s*)"
    rf"(?P<key>{alternation(abbr.CREDIT_ACRONYMS)})(?!{ALNUM})"
)


def _in_credit(text: str, pos: int) -> bool:
    """Is ``pos`` right after a credit label ("Ảnh:", "Ảnh minh họa:",
    "Tin, ảnh:")?"""
    before = text[max(0, pos - 30) : pos].rstrip()
    if not before.endswith(":"):
        return False
    return any(word in ctxwords.CREDIT_WORDS for word in previous_words(before, len(before), 3))


def _expands_dotted(m: re.Match[str], heading: bool) -> bool:
    """Is the dotted abbreviation in ``m`` one to read: before a capitalised
    name, any capital in a heading, a number after "Q."/"P.", or another
    title; never an initial in a photo credit."""
    key, text = m["key"], m.string
    follow = text[m.end() : m.end() + 2]
    if len(key) == 1 and _in_credit(text, m.start()):
        return False
    is_name = len(follow) == 2 and follow[0] in VN_UPPER and follow[1] in VN_LOWER
    return (
        is_name
        or (heading and follow[:1] in VN_UPPER)
        or (follow[:1].isdigit() and key in abbr.DOTTED_BEFORE_NUMBER)
        or bool(_TITLE_AHEAD_RE.match(text, m.end()))
    )


def _after_number(text: str, pos: int) -> bool:
    """Does a number stand right before ``pos``, alone or with its magnitude word ("5 USD", "2,5 tỷ
    USD")?  Then the number rule reads the unit; after "hàng tỷ USD" there is none, so the table does."""
    previous = previous_words(text, pos, 2)
    if previous and previous[-1] in units.MAGNITUDES:
        previous = previous[:-1]
    return bool(previous) and previous[-1].isdigit()


def _read_acronym(m: re.Match[str]) -> str:
    if m["key"] in units.UNITS and not m["open"] and _after_number(m.string, m.start()):
        return m.group(0)  # "4.000 USD/người", "2,5 tỷ USD": a unit, read with its number
    value = abbr.ACRONYMS[m["key"]]
    if m["open"] and m["close"]:
        # "Tổ chức Y tế Thế giới (WHO)": the definition was just read.
        if restated(m.string[: m.start()], (value,)):
            return ""
    return f"{m['open'] or ''}{value}{m['close'] or ''}"


def expand_abbreviations(text: str, ctx: Context) -> str:
    """Abbreviations from ``vi/abbreviations.py``, exact case.

    First the dotted forms (``DOTTED``), only before a capitalised name
    ("TP. Cao Lãnh" → "thành phố Cao Lãnh"), before another title
    ("PGS.TS"), or for "Q."/"P." before a number ("Q.1").  In a heading, any
    capital after the dot counts as a name.  "P.L" (a photo credit) and an
    initial right after "Ảnh:", "Ảnh minh họa:" ("H.Long") are left alone
    for ``read_capitals`` to spell.  Credit words after "Ảnh:" ("(Ảnh:
    TL)" → "tư liệu").  Then every ``ACRONYMS`` key that stands as a whole
    token ("UBND", "TP.HCM", "v.v."); "(WHO)" right after its own expansion
    is dropped rather than read twice.  The article's own definitions were
    applied before (``apply_definitions``) and win."""

    def dotted(m: re.Match[str]) -> str:
        return f"{abbr.DOTTED[m['key']]} " if _expands_dotted(m, ctx.heading) else m.group(0)

    def credit(m: re.Match[str]) -> str:
        return m["head"] + abbr.CREDIT_ACRONYMS[m["key"]]

    expanded = _DOTTED_RE.sub(dotted, text)
    if expanded != text:  # a chain of titles, "GS.TS. Lê An": the second is free once the first is read
        expanded = _DOTTED_RE.sub(dotted, expanded)
    text = _CREDIT_ACRONYM_RE.sub(credit, expanded)
    return _ACRONYM_RE.sub(_read_acronym, text)
