"""Roman numerals: after a trigger word ("Đại hội XIII"), as a line's list label ("II. Nhiệm vụ"),
and glued to a number as a grade ("RON95-III")."""

from __future__ import annotations

import re

from readaloud.text.normalize.capitals import is_caps
from readaloud.text.normalize.cardinal import say_int, say_ordinal
from readaloud.text.normalize.common import ALNUM, LETTER, ROMAN_NUMERAL, alternation, spaced
from readaloud.text.normalize.context import Context
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import letters
from readaloud.text.vi import numbers as num

_YEAR_NUM = r"[0-9]{4}"
_ROMAN_LIST_JOINERS = alternation(ctxwords.ROMAN_LIST_JOINERS)
_ROMAN_ITEM = rf"{ROMAN_NUMERAL}(?!{ALNUM}|/)"
_ROMAN_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?i:{alternation(ctxwords.ROMAN_TRIGGERS)}))\s+"
    rf"(?:(?P<r>{ROMAN_NUMERAL})/(?P<y>{_YEAR_NUM})(?!{ALNUM})"
    rf"|(?P<list>{_ROMAN_ITEM}(?:\s*(?:{_ROMAN_LIST_JOINERS})\s*{_ROMAN_ITEM})*))"
)
_NAMED_ROMAN_RE = re.compile(
    rf"(?<!{ALNUM})(?P<name>[{letters.UPPER}][{letters.LOWER}]+)\s(?P<r>[IVX]"
    rf"{{{ctxwords.ROMAN_AFTER_NAME_MIN_LETTERS - 1},8}})(?!{ALNUM}|[-/.][^\s])"
)
_ROMAN_HINT_RE = re.compile(rf"\s{ROMAN_NUMERAL}(?!{ALNUM})")
_ROMAN_SPLIT_RE = re.compile(rf"({ROMAN_NUMERAL})")
_ROMAN_VALID_RE = re.compile(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# A grade written after a number: "RON95-III" (read before codes take "95-III").
_GLUED_ROMAN_RE = re.compile(rf"(?<=[0-9])-(?P<r>III|II|IV|V|I)(?!{ALNUM}|[/-])")
_LIST_LABEL_RE = re.compile(rf"^(?P<r>{ROMAN_NUMERAL})[.)](?=\s|$)(?P<next>\s*{LETTER}*)")
# A lone "V." or "X." opening a line is as often an initial ("V. Hùng").
_INITIAL_LIKE_LABELS = ("V", "X")
_HIGHEST_LABEL = 20


def roman_value(numeral: str) -> int | None:
    """Value of a well-formed numeral up to 399; None otherwise.  A lone "L"
    or "C" is a letter ("Phần C"), not 50 or 100."""
    if numeral in ("L", "C") or not _ROMAN_VALID_RE.fullmatch(numeral):
        return None
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    # A symbol smaller than the next one is subtracted (IV, XC).
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0], strict=True))


def read_glued_grades(text: str, dialect: str) -> str:
    """ "RON95-III" → "RON95 ba": a grade after a number and a hyphen."""
    return _GLUED_ROMAN_RE.sub(lambda m: spaced(say_int(roman_value(m["r"]) or 0, dialect)), text)


def _say_numeral(numeral: str, ordinal: bool, dialect: str) -> str | None:
    value = roman_value(numeral)
    if value is None:
        return None
    return say_ordinal(value, dialect) if ordinal else say_int(value, dialect)


def _say_numeral_list(m: re.Match[str], ordinal: bool, dialect: str) -> str:
    """ "vùng I, II và III", "khóa IX - X": each numeral said, the joiners kept
    ("-" is "đến"); from the first numeral that is not well formed on, the
    rest is left as written."""
    # pieces alternate: joiner text, numeral, joiner text, numeral, ...
    pieces = _ROMAN_SPLIT_RE.split(m["list"])
    words: list[str] = []
    for index in range(1, len(pieces), 2):
        said = _say_numeral(pieces[index], ordinal, dialect)
        if said is None:
            if not words:
                return m.group(0)
            return f"{m['pre']} {' '.join(words)} " + "".join(pieces[index - 1 :])
        joiner = pieces[index - 1].strip()
        if joiner == "-":
            joiner = num.RANGE
        words.append(f"{joiner} {said}".lstrip(" ") if joiner != "," else f", {said}")
    return f"{m['pre']} {' '.join(words)} "


def read_roman_numerals(text: str, ctx: Context) -> str:
    """Roman numerals after a trigger word (``ROMAN_TRIGGERS``, any case):
    "Đại hội XIII" → "Đại hội mười ba", "Quý IV" → "Quý bốn", "báo động
    II" → "báo động hai"; after "thứ"/"lần thứ" as an ordinal ("lần thứ IV"
    → "lần thứ tư"); "quý I/2024" → "quý một năm hai nghìn ..."; a list
    after one trigger too ("vùng I, II và III", "khóa IX - X").  Elsewhere
    after a capitalised name a numeral of two letters or more is a cardinal ("Elizabeth II" → "Elizabeth
    hai", "Thăng Long II"); elsewhere capitals are left alone.  Limits: up to 399; a numeral separated from
    its trigger by another word ("Đại hội Đảng bộ XI") is not read."""
    if not _ROMAN_HINT_RE.search(text):
        return text
    dialect = ctx.dialect

    def roman(m: re.Match[str]) -> str:
        ordinal = m["pre"].lower() in ctxwords.ROMAN_ORDINAL_TRIGGERS
        if not m["y"]:
            return _say_numeral_list(m, ordinal, dialect)
        said = _say_numeral(m["r"], ordinal, dialect)
        if said is None:
            return m.group(0)
        return f"{m['pre']} {said} {num.YEAR} {say_int(m['y'], dialect)} "

    text = _ROMAN_RE.sub(roman, text)
    return _NAMED_ROMAN_RE.sub(lambda m: _read_after_name(m, dialect), text)


def _read_after_name(m: re.Match[str], dialect: str) -> str:
    """ "Elizabeth II" → "Elizabeth hai": a well-formed numeral after a capitalised name."""
    value = roman_value(m["r"])
    if value is None:
        return m.group(0)
    return f"{m['name']} {say_int(value, dialect)}"


def read_list_labels(text: str, ctx: Context) -> str:
    """A Roman numeral opening a line as a list label ("II. Nhiệm vụ trọng
    tâm", "IV)") is a number: "Hai. Nhiệm vụ trọng tâm".  Digit labels
    ("1. Về kinh tế") are read by the number rules anyway.
    Limits: up to XX, so "C. Ronaldo" and "L. Messi" stay initials; a lone
    "V." or "X." counts only before capitals ("V. KIẾN NGHỊ", not "V. Hùng")."""

    def label(m: re.Match[str]) -> str:
        value = roman_value(m["r"])
        if value is None or value > _HIGHEST_LABEL:
            return m.group(0)
        following = m["next"].strip()
        if m["r"] in _INITIAL_LIKE_LABELS and following and not is_caps(following):
            return m.group(0)  # "V. Hùng": an initial
        said = say_int(value, ctx.dialect)
        return said[0].upper() + said[1:] + "." + m["next"]

    return _LIST_LABEL_RE.sub(label, text)
