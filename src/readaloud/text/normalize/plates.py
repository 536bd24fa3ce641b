"""Letters glued to numbers: road and alert prefixes ("QL1A", "BĐ II"), vehicle plates ("66C1-234.56")
and fishing boats ("ĐT-91234-TS")."""

from __future__ import annotations

import re

from readaloud.text.normalize.capitals import spell
from readaloud.text.normalize.cardinal import say_digits, say_int
from readaloud.text.normalize.common import ROMAN_NUMERAL, alternation, has_digit, spaced
from readaloud.text.normalize.context import Context
from readaloud.text.normalize.roman import read_glued_grades, roman_value
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import letters
from readaloud.text.vi import numbers as num

_NUMBER_PREFIX_RE = re.compile(
    rf"(?<![^\W_])(?P<key>{alternation(abbr.NUMBER_PREFIXES)})(?:\.\s?|\s)?"
    rf"(?:(?P<n>[1-9][0-9]{{0,2}}(?:\.[0-9]{{3}})+|[1-9][0-9]{{0,3}}[A-Z]?)|(?P<r>{ROMAN_NUMERAL}))"
    r"(?![^\W_]|[.,][0-9])"
)
_BOAT_RE = re.compile(
    rf"(?<![\w-])(?P<area>[A-Z{letters.D_STROKE.upper()}]{{2,3}})[- ](?P<serial>[0-9]{{4,5}})"
    rf"[- ](?P<kind>{alternation(abbr.BOAT_KINDS)})(?![\w])"
)
_PLATE_RE = re.compile(
    r"(?<![\w.,/-])(?P<area>[0-9]{2})(?P<series>[A-Z]{1,2}[0-9]?)-(?P<serial>[0-9]{3}\.[0-9]{2}|[0-9]{4,5})"
    r"(?![\w]|[.,][0-9])"
)


def read_number_prefixes(text: str, ctx: Context) -> str:
    """Abbreviations glued to the number they name (``NUMBER_PREFIXES``):
    "QL1A" → "quốc lộ 1A", "ĐT.845" → "đường tỉnh 845", "Km15+500" → "ki
    lô mét 15+500", "BĐ2" and "BĐ II" → "báo động hai"; the number is left
    for the number rules.  A grade glued to a number after a hyphen is a
    Roman numeral: "RON95-III" → "rôn 95 ba".
    A number in thousands has its dots ("BN 2.857"); the word written out
    right before the prefix is not said twice ("bệnh nhân BN2899").
    Limits: only numbers 1-9999 not starting with 0 ("ĐT 0277..." is a phone
    number), Roman numerals only after ``ROMAN_NUMBER_PREFIXES`` ("BĐ")."""

    def prefix(m: re.Match[str]) -> str:
        word = abbr.NUMBER_PREFIXES[m["key"]]
        if m["r"]:
            value = roman_value(m["r"]) if m["key"] in abbr.ROMAN_NUMBER_PREFIXES else None
            if value is None:
                return m.group(0)
            return spaced(f"{word} {say_int(value, ctx.dialect)}")
        if m.string[:m.start()].rstrip().casefold().endswith(word.casefold()):
            word = ""  # "bệnh nhân BN2899": the word is said once
        return f" {word} {m['n']}"  # no space after: "RON95-III", "Km 15 m" keep what follows the number

    text = _NUMBER_PREFIX_RE.sub(prefix, text)
    return read_glued_grades(text, ctx.dialect)


def read_vehicle_plates(text: str, ctx: Context) -> str:
    """Vehicle plates "66C1-234.56", "51F-12345": the province number as a
    number, the series by letter names, the serial digit by digit ("sáu
    mươi sáu xê một, hai ba bốn năm sáu"), so the "-" is not a range.
    Fishing boats "ĐT-91234-TS": letters spelled, digits one by one.
    Limits: the older two-line and diplomatic formats are not recognised."""
    if not has_digit(text):
        return text

    def plate(m: re.Match[str]) -> str:
        series = " ".join(
            num.DIGITS[int(ch)] if ch.isdigit() else letters.LETTER_NAMES.get(ch.lower(), ch) for ch in m["series"]
        )
        return spaced(f"{say_int(m['area'], ctx.dialect)} {series}, {say_digits(m['serial'])}")

    def boat(m: re.Match[str]) -> str:
        return spaced(f"{spell(m['area'])}, {say_digits(m['serial'])}, {spell(m['kind'])}")

    text = _BOAT_RE.sub(boat, text)
    return _PLATE_RE.sub(plate, text)
