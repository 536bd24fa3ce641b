"""Every number left, with what belongs to it: sign, decimals, magnitude words, unit, "/x", ranges and
scores; and the safety net that reads any digit still left."""

from __future__ import annotations

import re

from readaloud.text.normalize.cardinal import numeral_words, say_digits, say_int
from readaloud.text.normalize.common import (
    ALNUM,
    LETTER,
    alternation,
    has_digit,
    next_word,
    pick,
    previous_words,
    spaced,
    unnamed,
)
from readaloud.text.normalize.context import Context
from readaloud.text.normalize.fractions import read_parts_of_whole
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import numbers as num
from readaloud.text.vi import symbols as sym
from readaloud.text.vi import units

_NUM = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3}){2,}(?![0-9]|,[0-9])"  # English thousands, two commas or more: 1,000,000
    r"|(?!0\.)[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)+|[0-9]+)(?:,[0-9]+)?(?![0-9])"
)
_MAGNITUDES = rf"(?:\s+(?:{alternation(units.MAGNITUDES)})(?!{ALNUM}))*"
_QUANTITY = (
    # Never start inside a number ("1.2.3"): keeps the range search linear.
    rf"(?P<sign>(?<![^\s(\[])-)?(?<![0-9])(?<![0-9][.,])(?P<num>{_NUM})"
    rf"(?P<mags>{_MAGNITUDES})"
    rf"(?:\s?(?P<unit>{alternation(units.UNITS)})(?!{ALNUM}))?"
    rf"(?:/(?P<per>{LETTER}+))?"
)
_QUANTITY_RE = re.compile(_QUANTITY)
# One pass for ranges and single quantities: a second pass would see the
# spaces the first one inserted and take the "-" of "2024-09-05" for a sign.
_QUANTITY_OR_RANGE_RE = re.compile(rf"(?P<a>{unnamed(_QUANTITY)})(?:\s*-\s*(?P<b>{unnamed(_QUANTITY)}))?")
_COMPARISON_RE = re.compile(rf"([{''.join(sym.COMPARISONS)}])\s*(?=-?[0-9])")
_PLUS_RE = re.compile(r"(?<=[0-9])\s*\+\s*(?=[0-9])")
# "3 x 4 m", "20x30 cm", "4,5 m x 2 m": a unit may stand between the first number and the sign.
_TIMES_RE = re.compile(rf"(?<=[0-9])(?P<unit>\s?(?:{alternation(units.UNITS)})(?!{ALNUM}))?\s*[xX×]\s*(?=[0-9])")
# "1m75", "2m5": metres, then the centimetres (or tenths) said as a number.  Not "1m2"/"1m3",
# which are square and cubic metres.
_METRES_RE = re.compile(r"(?<![\w.,])(?P<m>[0-9]{1,2})m(?P<rest>[0-9]{2}|[014-9])(?![\w]|[.,][0-9])")
_CURRENCY_RE = re.compile(
    rf"(?<![\w$€£¥])(?P<cur>{alternation(units.CURRENCY_PREFIXES)})\s?(?P<num>[0-9][0-9.,]*[0-9]|[0-9])"
    rf"(?P<mags>{_MAGNITUDES})"
)
# "12.5mm", "2.5 km", "10.6%", "1.5 triệu": a dot before a unit is a decimal point, said "phẩy" as
# Vietnamese writes a comma; three digits after it ("1.315m") group thousands unless it starts "0.".
_DOT_DECIMAL_RE = re.compile(
    rf"(?<![\w.,])(?P<i>[0-9]+)\.(?P<f>[0-9]+)"
    rf"(?=\s?(?:{alternation(list(units.UNITS) + list(units.MAGNITUDES) + list(units.DECIMAL_FOLLOWERS))})(?!{ALNUM}))"
)
_COLON_RE = re.compile(r"(?<=[0-9]):(?=[0-9])")
_SLASH_RE = re.compile(r"(?<=[0-9])/(?=[0-9])")
_LETTER_HYPHEN_DIGIT_RE = re.compile(rf"(?<={LETTER})-(?=[0-9])")
# "D01", "A00": a code glued to letters, with its leading zero, is read digit by digit.
_LETTER_ZERO_DIGITS_RE = re.compile(rf"(?<={LETTER})0[0-9]+(?![0-9]|[.,][0-9])")
_SMALL_SCORE_RE = re.compile(r"[0-9]{1,2}\s*-\s*[0-9]{1,2}")
_CLAUSE_BREAK_RE = re.compile(r"[,;:.!?]")
_WORD_BEFORE_RE = re.compile(r"(\w+)\s+$")
_WORD_AFTER_RE = re.compile(r"\s+(\w+)")
_ASCII_DIGITS_RE = re.compile(r"[0-9]+")


def _quantity_words(m: re.Match[str], dialect: str) -> str:
    words = [num.MINUS] if m["sign"] else []
    words += numeral_words(m["num"], dialect)
    words += m["mags"].split()
    if m["unit"]:
        words.append(pick(units.UNITS[m["unit"]], dialect))
    if m["per"]:
        per = m["per"]
        said = units.UNITS.get(per) or units.DENOMINATORS.get(per) or per
        words += [num.PER, pick(said, dialect)]
    return " ".join(words)


def _between_teams(m: re.Match[str]) -> bool:
    """ "Arsenal 2-1 Chelsea": capitalised names on both sides."""
    before = _WORD_BEFORE_RE.search(m.string, 0, m.start())
    after = _WORD_AFTER_RE.match(m.string, m.end())
    if not (before and after and before[1][0].isupper() and after[1][0].isupper()):
        return False
    return before[1].lower() not in ctxwords.NOT_TEAM_WORDS


def _is_score(m: re.Match[str]) -> bool:
    """ "a-b" is a score after "tỷ số", "thắng", "thua", "dẫn"..., between
    two names ("Arsenal 2-1 Chelsea"), or after a result verb earlier in the
    same clause ("thắng U23 Thái Lan 2-0") when both sides are small bare
    numbers and no counter word follows ("dẫn đoàn 3-5 ngày")."""
    if next_word(m.string, m.end()) in ctxwords.RANGE_FOLLOWERS:
        return False
    previous = previous_words(m.string, m.start(), 1)
    if previous and previous[-1] in ctxwords.SCORE_CONTEXT:
        return True
    if not _SMALL_SCORE_RE.fullmatch(m.group(0).strip()):
        return False
    if _between_teams(m):
        return True
    clause = _CLAUSE_BREAK_RE.split(m.string[max(0, m.start() - 60) : m.start()])[-1].lower()
    return any(re.search(rf"(?<!\w){verb}(?!\w)", clause) for verb in ctxwords.SCORE_VERBS)


def _read_metres(text: str, dialect: str) -> str:
    """ "1m75" → "một mét bảy mươi lăm"; "1m05" digit by digit after "mét"."""

    def metres(m: re.Match[str]) -> str:
        rest = m["rest"]
        said = say_digits(rest) if rest.startswith("0") else say_int(rest, dialect)
        return spaced(f"{say_int(m['m'], dialect)} {num.METRE} {said}")

    return _METRES_RE.sub(metres, text)


def _read_signs_between_numbers(text: str) -> str:
    """ "D01" digit by digit, "COVID-19" without a sign, "a + b", "3 x 4 m"."""
    text = _LETTER_ZERO_DIGITS_RE.sub(lambda m: spaced(say_digits(m.group(0))), text)
    text = _LETTER_HYPHEN_DIGIT_RE.sub(" ", text)
    text = _PLUS_RE.sub(spaced(num.PLUS), text)
    return _TIMES_RE.sub(lambda m: f"{m['unit'] or ''} {num.TIMES} ", text)


def _read_currency_signs(text: str) -> str:
    """ "$500" → "500 đô la": the sign's name after the number."""
    return _CURRENCY_RE.sub(lambda m: spaced(f"{m['num']}{m['mags']} {units.CURRENCY_PREFIXES[m['cur']]}"), text)


def _read_dot_decimals(text: str) -> str:
    """ "12.5mm" → "12,5mm": a dot-decimal before a unit is read "phẩy"."""

    def decimal(m: re.Match[str]) -> str:
        if len(m["f"]) == 3 and not m["i"].startswith("0"):
            return m.group(0)
        return f"{m['i']},{m['f']}"

    return _DOT_DECIMAL_RE.sub(decimal, text)


def _read_colons(text: str) -> str:
    """ "a:b" that is no clock time: "trên" ("1:500"), a score after "tỷ số"."""

    def colon(m: re.Match[str]) -> str:
        # The number before the colon is the last word; the one before it decides.
        previous = previous_words(m.string, m.start(), 2)
        is_score = len(previous) == 2 and previous[0] in ctxwords.SCORE_CONTEXT
        return " " if is_score else spaced(num.PER)

    return _COLON_RE.sub(colon, text)


def _read_quantities(text: str, dialect: str) -> str:
    """Every number with its magnitude words and unit; "a - b" is a range
    ("đến") unless it is a score."""

    def quantity(m: re.Match[str]) -> str:
        sides = [_QUANTITY_RE.fullmatch(m["a"])] + ([_QUANTITY_RE.fullmatch(m["b"])] if m["b"] else [])
        matched = [side for side in sides if side is not None]
        if len(matched) < len(sides):  # cannot happen today; a range is never worth a crash
            return m.group(0)
        said = [_quantity_words(side, dialect) for side in matched]
        joiner = " " if m["b"] and _is_score(m) else f" {num.RANGE} "
        return spaced(joiner.join(said))

    return _QUANTITY_OR_RANGE_RE.sub(quantity, text)


def read_numbers(text: str, ctx: Context) -> str:
    """Every number left, with what belongs to it.

    - "1m75" → "một mét bảy mươi lăm", "1m5" → "một mét năm" (not "1m2",
      "1m3": square and cubic metres).
    - "a + b" → "cộng"; "3 x 4 m", "4,5 m x 2 m" → "nhân"; "> 35" → "lớn
      hơn"; "$500" → "năm trăm đô la" (the sign after the number).
    - "a/b": a part of a whole is "a phần b" when a noun of a whole follows
      or "chiếm" comes before ("1/3 dân số" → "một phần ba dân số", "một
      phần tư"); otherwise "trên" ("3/5 tiêu chí", "24/7").  "a:b" that is
      not a clock time → "trên" ("1:500"), a score after "tỷ số" ("3:1" →
      "ba một").
    - "a - b" between numbers is a range, "đến" ("2021 - 2025", "10-15%");
      after "thắng", "thua", "hòa", "tỷ số" it is a score ("2-1" → "hai
      một"), also a few words after the verb ("thắng Thái Lan 2-0").
    - "-5" at a word start is "âm".  "COVID-19", "Su-30": the hyphen between
      a letter and a number is not a sign.  "D01": digits glued to letters
      with a leading zero are read one by one ("dê không một").
    - "3.500.000" thousands, "12,5" "phẩy", "1,000,000" thousands, "4.0"
      "chấm"; 8+ digits, or 4+ digits starting with 0, digit by digit.
    - Magnitude words and a unit from ``UNITS`` right after the number
      ("3 triệu đồng", "15%", "35oC", "100m2"), then "/x" → "trên x"
      ("đồng/người", "km/h").
    Limits: English-style "1,000" (one comma) is read as a decimal, as
    Vietnamese writes it; a unit before the number ("USD 5") is not moved."""
    if not has_digit(text):
        return text
    dialect = ctx.dialect
    text = _read_dot_decimals(text)
    text = _read_metres(text, dialect)
    text = _read_signs_between_numbers(text)
    text = _read_currency_signs(text)
    text = read_parts_of_whole(text, dialect)
    text = _SLASH_RE.sub(spaced(num.PER), text)
    text = _COMPARISON_RE.sub(lambda m: spaced(sym.COMPARISONS[m.group(1)]), text)
    text = _read_colons(text)
    return _read_quantities(text, dialect)


def read_leftover_digits(text: str, ctx: Context) -> str:
    """Safety net: any ASCII digit no rule consumed is read one by one, so
    the output never contains a digit."""
    if not has_digit(text):
        return text
    return _ASCII_DIGITS_RE.sub(lambda m: spaced(say_digits(m.group(0))), text)
