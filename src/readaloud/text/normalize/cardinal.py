"""The cardinal reader every rule shares: digits → Vietnamese number words.

Pure functions of the digits and the dialect; the rules decide which reading a token gets.
"""

from __future__ import annotations

import re

from readaloud.text.normalize.common import Dialect, check_dialect
from readaloud.text.vi import numbers as num


def digit_words(digits: str) -> list[str]:
    """'0277' -> ['không', 'hai', 'bảy', 'bảy']; non-digits are skipped."""
    return [num.DIGITS[int(ch)] for ch in digits if "0" <= ch <= "9"]


def _group_words(group: int, dialect: str, full: bool) -> list[str]:
    """Read 1..999.  ``full``: a higher part was said, so a missing hundred is
    "không trăm" and a missing ten "linh"/"lẻ" (1079, 2005)."""
    hundreds, rest = divmod(group, 100)
    tens, ones = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [num.DIGITS[hundreds], num.HUNDRED]
    if tens == 0:
        if ones:
            if words:
                words.append(num.ZERO_TENS[dialect])
            words.append(num.DIGITS[ones])
    elif tens == 1:
        words.append(num.TEN)
        if ones:
            words.append(num.UNITS_AFTER_TEN.get(ones, num.DIGITS[ones]))
    else:
        words += [num.DIGITS[tens], num.TENS]
        if ones:
            words.append(num.UNITS_AFTER_TENS.get(ones, num.DIGITS[ones]))
    return words


def _below_billion_words(chunk: int, dialect: str, full: bool) -> list[str]:
    """Read 1..999,999,999; zero groups are skipped (1.500.000 has no
    trailing "không trăm")."""
    words: list[str] = []
    scales = ((1_000_000, num.MILLION), (1_000, num.THOUSAND[dialect]), (1, ""))
    for size, scale in scales:
        group = chunk // size % 1000
        if not group:
            continue
        words += _group_words(group, dialect, full)
        if scale:
            words.append(scale)
        full = True
    return words


def cardinal_words(digits: str, dialect: str) -> list[str]:
    """Read a string of ASCII digits as a cardinal.

    Works on the string, nine digits at a time, so there is no size limit:
    10^18 is "một tỷ tỷ" (each nine-digit chunk is followed by one "tỷ" per
    chunk below it, as in "a tỷ b tỷ c").
    """
    digits = digits.lstrip("0")
    if not digits:
        return [num.DIGITS[0]]
    head = len(digits) % 9 or 9
    chunks = [digits[:head]] + [digits[i : i + 9] for i in range(head, len(digits), 9)]
    words: list[str] = []
    for index, chunk in enumerate(chunks):
        value = int(chunk)
        if value:
            words += _below_billion_words(value, dialect, full=bool(words))
        if index < len(chunks) - 1 and words:
            words.append(num.BILLION)
    return words


def fraction_words(digits: str, dialect: str) -> list[str]:
    """Digits after a decimal mark: leading zeros are "không", up to three
    digits are read as a number (0,05 "không năm"; 3,14 "mười bốn"), longer
    runs digit by digit."""
    if len(digits) > 3:
        return digit_words(digits)
    significant = digits.lstrip("0")
    words = [num.DIGITS[0]] * (len(digits) - len(significant))
    if significant:
        words += cardinal_words(significant, dialect)
    return words


_NUMBER_RE = re.compile(r"\s*([+-]?)\s*([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?\s*")


def read_number(digits: str, dialect: Dialect = "north") -> str:
    """Read a number as a Vietnamese cardinal: "1079" → "một nghìn không trăm
    bảy mươi chín".

    Accepts an optional sign, "." thousands groups and a "," decimal part
    ("-3.500.000,25").  Leading zeros are ignored ("05" → "năm"); reading a
    phone number digit by digit is :func:`normalize`'s job.  Raises
    ValueError if ``digits`` is not a number in that form.
    """
    check_dialect(dialect)
    match = _NUMBER_RE.fullmatch(digits)
    if not match:
        raise ValueError(f"not a number: {digits!r}")
    sign, whole, fraction = match.groups()
    words = [num.MINUS] if sign == "-" else []
    words += cardinal_words(whole.replace(".", ""), dialect)
    if fraction:
        words += [num.DECIMAL_COMMA, *fraction_words(fraction, dialect)]
    return " ".join(words)


def say_int(value: int | str, dialect: str) -> str:
    return " ".join(cardinal_words(str(value), dialect))


def say_ordinal(value: int, dialect: str) -> str:
    return num.ORDINALS.get(value) or say_int(value, dialect)


def say_month(value: int, dialect: str) -> str:
    return num.MONTHS.get(value) or say_int(value, dialect)


def say_digits(digits: str) -> str:
    """Digit by digit, one word each."""
    return " ".join(digit_words(digits))


_ENGLISH_THOUSANDS_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){2,}")
_THOUSANDS_RE = re.compile(r"(?!0\.)[0-9]{1,3}(?:\.[0-9]{3})+")  # "0.586" is no thousand


def numeral_words(token: str, dialect: str) -> list[str]:
    """One number as written: "3.500.000" (thousands), "12,5" (decimal
    comma), "1,000,000" (two commas or more: English thousands), "4.0" (dot
    not grouping thousands: "chấm"), "0277385123" or any run of 8+ digits
    (digit by digit)."""
    if _ENGLISH_THOUSANDS_RE.fullmatch(token):
        return cardinal_words(token.replace(",", ""), dialect)
    whole, _, fraction = token.partition(",")
    if _THOUSANDS_RE.fullmatch(whole):
        words = cardinal_words(whole.replace(".", ""), dialect)
    elif "." in whole:
        head, *tails = whole.split(".")
        words = cardinal_words(head, dialect)
        for tail in tails:
            words += [num.DECIMAL_DOT, *fraction_words(tail, dialect)]
    elif len(whole) >= 8 or (whole.startswith("0") and len(whole) >= 4):
        words = digit_words(whole)
    else:
        words = cardinal_words(whole, dialect)
    if fraction:
        words += [num.DECIMAL_COMMA, *fraction_words(fraction, dialect)]
    return words
