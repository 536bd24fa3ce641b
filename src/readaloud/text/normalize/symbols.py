"""Punctuation and symbols after the numbers are read: dashes as pauses, "/" between words, "&", brackets;
everything that is not heard is dropped."""

from __future__ import annotations

import re
import string
import unicodedata

from readaloud.text.normalize.common import ALNUM, DIALECTS, LETTER, alternation, pick, spaced
from readaloud.text.normalize.context import Context, is_protected
from readaloud.text.vi import letters, places, units
from readaloud.text.vi import numbers as num
from readaloud.text.vi import symbols as sym

_PAUSE_MARKS = ",.;:?!…"
# A name written with a spaced hyphen ("Bà Rịa - Vũng Tàu") is one name: read straight through, no pause.
_NAME_DASH_RE = re.compile(
    r"(?<!\w)(?i:"
    + "|".join(r"\s*-+\s*".join(r"\s+".join(re.escape(w) for w in part.split()) for part in name.split(" - "))
               for name in sorted(places.HYPHENATED_NAMES, key=len, reverse=True))
    + r")(?!\w)")
_DASH_IN_NAME_RE = re.compile(r"\s*-+\s*")
_SPACED_DASH_RE = re.compile(r"(?:^|\s)-+(?:\s|$)")
_WORD_SLASH_RE = re.compile(rf"(?<!{LETTER})(?P<left>{LETTER}+)\s*/\s*(?=(?P<right>{LETTER}+))")
_SLASH_UNITS = {**units.UNITS, **units.DENOMINATORS}
# "người/km²", "đồng/kg" with no number before: the unit after "/" is still a unit.
_SLASH_UNIT_RE = re.compile(
    rf"(?<={LETTER})\s*/\s*(?P<unit>{alternation(k for k in _SLASH_UNITS if len(k) > 1)})(?!{ALNUM})"
)
_SYMBOL_TABLE = {dialect: {k: pick(v, dialect) for k, v in sym.SYMBOLS.items()} for dialect in DIALECTS}


def _read_word_slash(m: re.Match[str]) -> str:
    """ "đồng/người" is a rate ("trên"); "sở/ngành", "ngày/tháng" a list."""
    left, right = m["left"], m["right"]
    if left.lower() in units.TIME_NOUNS and right.lower() in units.TIME_NOUNS:
        return f"{left}, "
    is_rate = left in units.PER_NOUNS or right in units.PER_DENOMINATOR_NOUNS
    return f"{left} {num.PER} " if is_rate else f"{left}, "


def _lone_mark(ch: str, out: list[str]) -> str:
    """A combining mark that did not compose stays with its letter; alone it cannot be said."""
    previous = out[-1][-1:] if out else ""
    return ch if previous and (previous.isalpha() or unicodedata.category(previous)[0] == "M") else " "


# Characters _read_characters keeps as they are whatever the dialect: most sentences hold nothing else.
_KEPT = frozenset(
    f"{string.ascii_letters}{string.digits} {_PAUSE_MARKS}{letters.LOWER}{letters.UPPER}"
) - set(sym.SYMBOLS) - set(sym.PAUSE_BRACKETS) - set(sym.PAUSE_SEPARATORS)


def _read_characters(text: str, table: dict[str, str]) -> str:
    if _KEPT.issuperset(text):
        return text
    out: list[str] = []
    for ch in text:
        if ch in table:
            out.append(spaced(table[ch]))
        elif ch in sym.PAUSE_BRACKETS or ch in sym.PAUSE_SEPARATORS:
            out.append(", ")
        elif ch.isalpha() or ch.isdecimal() or ch == " " or ch in _PAUSE_MARKS or is_protected(ch):
            out.append(ch)
        elif unicodedata.category(ch).startswith("M"):
            out.append(_lone_mark(ch, out))
        else:
            out.append(" ")
    return "".join(out)


def read_symbols(text: str, ctx: Context) -> str:
    """Punctuation and symbols after the numbers are read.

    - A dash with spaces around it ("kinh tế - xã hội", "ĐTO - ") is a
      pause (","); a hyphen inside a word ("Mát-xcơ-va") joins syllables
      (" "); a dash is never "trừ".  A name in ``HYPHENATED_NAMES``
      ("Thừa Thiên - Huế") is one name: its dash joins too, without a pause.
    - "word/unit": "trên" and the unit's name ("người/km²" → "người trên
      ki lô mét vuông").
    - "word/word": "trên" after a unit-like noun (``PER_NOUNS``:
      "đồng/người") or before a rate noun (``PER_DENOMINATOR_NOUNS``:
      "bệnh nhân/ngày"), otherwise a list pause ("sở/ngành" → "sở, ngành",
      "ngày/tháng/năm" → "ngày, tháng, năm").
    - ``SYMBOLS`` ("&" → "và", "@", "~", stray "%"...); brackets and
      separators ("|", "•", "→") become a pause; quotes and other marks that
      are not heard are removed, as are emoji and other symbols.  Letters,
      digits, protected readings and ", . ; : ? ! …" stay."""
    if "-" in text:  # both dash patterns need one
        text = _NAME_DASH_RE.sub(lambda m: _DASH_IN_NAME_RE.sub(" ", m[0]), text)
        text = _SPACED_DASH_RE.sub(", ", text)
    if "/" in text:
        text = _SLASH_UNIT_RE.sub(lambda m: f" {num.PER} {pick(_SLASH_UNITS[m['unit']], ctx.dialect)} ", text)
        text = _WORD_SLASH_RE.sub(_read_word_slash, text)
    return _read_characters(text, _SYMBOL_TABLE[ctx.dialect])
