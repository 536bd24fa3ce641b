"""Display text → spoken text for Vietnamese news.

:func:`normalize` takes one sentence (or one heading line) as it is written
and returns what a news presenter would say, so that the TTS engine never has
to guess: espeak-ng reads "14h30" as "mười bốn hát ba mươi" and switches to
its English voice on all-caps words.  :func:`read_number` is the cardinal
reader the rules share.

The text passes through small named rules, one after the other (``_RULES``).
Each rule is a function ``(text, context) -> text`` whose docstring says what
it handles and where it stops.  The order matters because most rules consume
digits, and the first rule to see a digit string decides how it is read:

1. ``clean_text``          NFC, one kind of space and dash, no control chars.
2. ``read_web_addresses``  URLs and e-mails first: they contain dots, slashes,
                           digits and capitals that every later rule would
                           misread.
3. ``read_document_codes`` "1079/QĐ-TTg" → "... của Thủ tướng", before
                           dates, so "12/2015/NĐ-CP" is never "tháng mười hai".
4. ``read_dates_and_times`` "09/05/2024", "9/5", "5/2024", "tháng 4", "14h30",
                           "02:46:38", before the generic "/" and ":" readings.
5. ``read_roman_numerals`` "Đại hội XIII" before capitals are spelled.
6. ``read_ordinals``       "thứ 4" → "thứ tư" before the cardinal reading.
7. ``expand_abbreviations`` "TP. Cao Lãnh", "PGS.TS", then the acronym table
                           (exact case) while the dots and capitals are intact.
8. ``read_phone_numbers``  "0277 3851 234" digit by digit, before its groups
                           are read as three separate cardinals.
9. ``read_numbers``        "+", "a/b", "a:b", "> 5" between/before numbers,
                           then ranges and every remaining number with its
                           sign, decimals, magnitude words and unit.
10. ``read_symbols``       "&", dashes (a pause, never "trừ"), "/" between
                           words, brackets; drops symbols that are not heard.
11. ``read_capitals``      unknown acronyms spelled with letter names; in an
                           all-caps heading, words lower-cased (sentence case).
                           Runs late so the table expansions above win.
12. ``read_leftover_digits`` safety net: any ASCII digit still present is read
                           one by one, so the output never contains a digit.
13. ``tidy``               single spaces, no space before pause marks, NFC.

All data (number words, letter names, units, abbreviations, trigger words)
lives in :mod:`readaloud.vi`; this module holds only the rules.  Every regex
is linear: no nested unbounded quantifiers over overlapping character sets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from readaloud.vi import abbreviations as abbr
from readaloud.vi import context as ctxwords
from readaloud.vi import letters, units
from readaloud.vi import numbers as num
from readaloud.vi import symbols as sym

__all__ = ["Dialect", "normalize", "read_number"]

Dialect = Literal["north", "south"]
_DIALECTS = ("north", "south")


@dataclass(frozen=True)
class _Context:
    """What every rule may know besides the text itself."""

    dialect: str
    heading: bool  # the whole input was written in capitals


_Rule = Callable[[str, _Context], str]

# --------------------------------------------------------------------------
# Reading numbers
# --------------------------------------------------------------------------


def _pick(value: str | tuple[str, str], dialect: str) -> str:
    """A table value: one reading, or a (north, south) pair."""
    if isinstance(value, tuple):
        return value[0] if dialect == "north" else value[1]
    return value


def _digit_words(digits: str) -> list[str]:
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


def _cardinal_words(digits: str, dialect: str) -> list[str]:
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


def _fraction_words(digits: str, dialect: str) -> list[str]:
    """Digits after a decimal mark: leading zeros are "không", up to three
    digits are read as a number (0,05 "không năm"; 3,14 "mười bốn"), longer
    runs digit by digit."""
    if len(digits) > 3:
        return _digit_words(digits)
    significant = digits.lstrip("0")
    words = [num.DIGITS[0]] * (len(digits) - len(significant))
    if significant:
        words += _cardinal_words(significant, dialect)
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
    _check_dialect(dialect)
    match = _NUMBER_RE.fullmatch(digits)
    if not match:
        raise ValueError(f"not a number: {digits!r}")
    sign, whole, fraction = match.groups()
    words = [num.MINUS] if sign == "-" else []
    words += _cardinal_words(whole.replace(".", ""), dialect)
    if fraction:
        words += [num.DECIMAL_COMMA, *_fraction_words(fraction, dialect)]
    return " ".join(words)


def _say_int(value: int | str, dialect: str) -> str:
    return " ".join(_cardinal_words(str(value), dialect))


def _say_ordinal(value: int, dialect: str) -> str:
    return num.ORDINALS.get(value) or _say_int(value, dialect)


def _say_month(value: int, dialect: str) -> str:
    return num.MONTHS.get(value) or _say_int(value, dialect)


# --------------------------------------------------------------------------
# Shared patterns and helpers
# --------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"  # any letter, any script
_ALNUM = r"[^\W_]"
_VN_UPPER = set(letters.UPPER)
_VN_LOWER = set(letters.LOWER)


def _alternation(keys) -> str:
    """Regex alternation, longest key first so the longest key wins."""
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


def _previous_words(text: str, pos: int, count: int = 2) -> list[str]:
    """The last ``count`` words (or numbers) before ``pos``, lower-cased,
    nearest last.  Looks back a bounded distance so rules stay linear."""
    return [w.lower() for w in re.findall(r"\w+", text[max(0, pos - 60) : pos])][-count:]


def _spaced(words: str) -> str:
    """Replacement text with room on both sides; ``tidy`` collapses spaces."""
    return f" {words} "


# --------------------------------------------------------------------------
# Rules, in the order they run
# --------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−﹣－⁃"), "-")
_BULLET_RE = re.compile(r"^[-+*•]+\s+")
_SPACES_RE = re.compile(r"\s+")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_text(text: str, ctx: _Context) -> str:
    """NFC; every dash variant becomes "-" (the minus sign too); any Unicode
    decimal digit becomes ASCII so the number rules see it; control, format,
    private-use, unassigned and surrogate code points and variation selectors
    are dropped; whitespace becomes single spaces; a leading list bullet
    ("- ", "• ") is removed so it is not read as a minus sign."""
    text = unicodedata.normalize("NFC", text).translate(_DASHES)
    out = []
    for ch in text:
        if ch.isspace():
            out.append(" ")
        elif ch.isdecimal() and not ch.isascii():
            out.append(str(unicodedata.decimal(ch)))
        elif unicodedata.category(ch) in _DROPPED_CATEGORIES or "\ufe00" <= ch <= "\ufe0f":
            continue
        else:
            out.append(ch)
    text = _SPACES_RE.sub(" ", "".join(out)).strip()
    text = _BULLET_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


_TLDS = _alternation(sym.TLDS)
# No left boundary on purpose: "Xem:https://..." or "Vwww.x" must still never reach the engine.
_URL_RE = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]{}]*", re.IGNORECASE)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN_RE = re.compile(rf"(?<![\w.@/-])(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?:{_TLDS})(?![\w-]|\.\w)(?:/[^\s]*)?")
_LABEL_PART_RE = re.compile(r"[^\W\d_]+|[0-9]+|.")
_URL_TRAILING = ".,;:!?"


def _read_label(label: str, domain: bool) -> str:
    """One dot-separated part of an address: letters as written (lower
    case), digits one by one, "-" and "_" named.  In a domain, a known TLD
    ("vn", "com") is read from the table or spelled with letter names."""
    if domain and label.lower() in sym.TLDS:
        low = label.lower()
        return sym.TLD_WORDS.get(low) or " ".join(letters.LETTER_NAMES.get(c, c) for c in low)
    words = []
    for part in _LABEL_PART_RE.findall(label):
        if part[0].isdigit():
            words += _digit_words(part)
        elif part == "-":
            words.append(sym.HYPHEN)
        elif part == "_":
            words.append(sym.UNDERSCORE)
        elif part == "+":
            words.append(num.PLUS)
        elif part[0].isalpha():
            words.append(part.lower())
    return " ".join(words)


def _read_dotted(name: str, domain: bool) -> str:
    parts = [_read_label(label, domain) for label in name.split(".")]
    return f" {sym.DOT} ".join(p for p in parts if p)


def _read_host(url: str) -> str:
    """Scheme, "www.", user, port, path and query are dropped: only the host
    is read."""
    rest = re.sub(r"^(?:[a-z]+://)?", "", url, flags=re.IGNORECASE)
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    host = re.sub(r"^www(?:\.|$)", "", host, flags=re.IGNORECASE)
    return _read_dotted(host.strip("."), domain=True)


def read_web_addresses(text: str, ctx: _Context) -> str:
    """URLs, e-mail addresses and bare domains ("baodongthap.vn").

    A URL is reduced to its host, read label by label with "chấm"; the path
    and query are dropped ("https://baodongthap.vn/kinh-te/a.aspx" →
    "baodongthap chấm vê en").  An e-mail is local part + "a còng" + domain.
    Limits: a bare domain is recognised only with a TLD from the table; the
    host's words are left as written (no word segmentation of
    "baodongthap")."""

    def url(m: re.Match[str]) -> str:
        raw = m.group(0)
        core = raw.rstrip(_URL_TRAILING)
        return _spaced(_read_host(core)) + raw[len(core) :]

    def email(m: re.Match[str]) -> str:
        local, _, domain = m.group(0).partition("@")
        return _spaced(f"{_read_dotted(local, domain=False)} {sym.AT} {_read_dotted(domain, domain=True)}")

    text = _URL_RE.sub(url, text)
    text = _EMAIL_RE.sub(email, text)
    return _DOMAIN_RE.sub(url, text)


_CODE_RE = re.compile(rf"(?<![\w/.,-])[0-9]+(?:[/-]{_ALNUM}+)+")
_CODE_PART_RE = re.compile(rf"({_LETTER}+)([0-9]*)")
_CODE_WORDS = {**abbr.CODE_KINDS, **abbr.CODE_ISSUERS}
_CODE_BY_UPPER: dict[str, list[str]] = {}
for _key in _CODE_WORDS:
    _CODE_BY_UPPER.setdefault(_key.upper(), []).append(_key)
_CODE_FOLDED = {upper: keys[0] for upper, keys in _CODE_BY_UPPER.items() if len(keys) == 1}
_TRAILING_SO_RE = re.compile(r"(?:\s+số)?\s*$")


def _code_keys(part: str) -> list[str]:
    """Table keys for one run of code letters: the exact key, else a unique
    upper-case match ("TTG"), else a split into known keys ("QĐUBND");
    nothing if unknown."""
    if part in _CODE_WORDS:
        return [part]
    if part.upper() in _CODE_FOLDED:
        return [_CODE_FOLDED[part.upper()]]
    if len(part) > 24:
        return []
    # best[i]: keys spelling part[:i], built left to right.
    best: list[list[str] | None] = [[]] + [None] * len(part)
    for end in range(1, len(part) + 1):
        for start in range(max(0, end - 8), end):
            head = best[start]
            if head is not None and part[start:end] in _CODE_WORDS:
                best[end] = head + [part[start:end]]
                break
    return best[-1] or []


def _code_number(digits: str, first: bool, dialect: str) -> str:
    if len(digits) >= 8:
        return " ".join(_digit_words(digits))
    if not first and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        # "72/2015/NĐ-CP": the year of issue, said as "năm 2015", never a date.
        return f"{num.YEAR} {_say_int(digits, dialect)}"
    return _say_int(digits, dialect)


def read_document_codes(text: str, ctx: _Context) -> str:
    """Official document numbers: "1079/QĐ-TTg", "204-KL/TU", "72/2015/NĐ-CP",
    "01/2024/TT-BGDĐT", "45/2019/QH14".

    A token qualifies when it starts with digits and has a "/"- or
    "-"-separated part starting with a capital.  It is read as a presenter
    would say it: the numbers (a 4-digit year after the first number gets
    "năm"), then the kind of document, then "của" + the issuer:
    "Quyết định số 1079/QĐ-TTg" → "Quyết định số một nghìn không trăm bảy
    mươi chín của Thủ tướng".  A kind already said just before the number
    and an issuer named just after ("... của Chính phủ") are not repeated.
    Unknown code letters are dropped, never spelled; separators are silent."""
    dialect = ctx.dialect

    def code(m: re.Match[str]) -> str:
        parts = re.split(r"[/-]", m.group(0))
        if not any(p[0].isalpha() and p[0].isupper() for p in parts[1:]):
            return m.group(0)
        before = _TRAILING_SO_RE.sub("", m.string[max(0, m.start() - 40) : m.start()].casefold())
        after = m.string[m.end() : m.end() + 60].lstrip().casefold()
        numbers: list[str] = []
        kinds: list[str] = []
        issuers: list[str] = []
        for index, part in enumerate(parts):
            if part.isascii() and part.isdigit():
                numbers.append(_code_number(part, index == 0, dialect))
                continue
            for letters_part, digits in _CODE_PART_RE.findall(part):
                said_issuer = ""
                for key in _code_keys(letters_part):
                    if key in abbr.CODE_KINDS:
                        kind = abbr.CODE_KINDS[key]
                        if not before.endswith(kind.casefold()):
                            kinds.append(kind)
                        continue
                    issuer = abbr.CODE_ISSUERS[key]
                    named_next = (f"{abbr.OF} {issuer.casefold()}", f"{abbr.OF} {key.casefold()}")
                    said_issuer = key
                    if not after.startswith(named_next):
                        issuers.append(issuer)
                if digits and said_issuer in abbr.CODE_ISSUER_TERMS:
                    if issuers and issuers[-1] == abbr.CODE_ISSUERS[said_issuer]:
                        term = abbr.CODE_ISSUER_TERMS[said_issuer]
                        issuers[-1] += f" {term} {_code_number(digits, False, dialect)}"
                elif digits:
                    numbers.append(_code_number(digits, False, dialect))
        if len(issuers) > 1:
            issuers = [", ".join(issuers[:-1]), abbr.AND, issuers[-1]]
        words = numbers + kinds + ([abbr.OF, *issuers] if issuers else [])
        return _spaced(" ".join(words))

    return _CODE_RE.sub(code, text)


_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])"
_MONTH_NUM = r"(?:1[0-2]|0?[1-9])"
_YEAR_NUM = r"[0-9]{4}"
_HOUR_NUM = r"(?:2[0-4]|[01]?[0-9])"
_MINUTE_NUM = r"[0-5][0-9]"
_BEFORE = r"(?<![\w/.,:-])"
_AFTER = r"(?![0-9]|[/.,:-][0-9])"

# Both separators must be the same ("9/5-2024" is not a date): checked in code,
# because a backreference could not be repeated in the range pattern.
_FULL_DATE = rf"(?P<d>{_DAY})(?P<sep>[/.-])(?P<m>{_MONTH_NUM})(?P<sep2>[/.-])(?P<y>{_YEAR_NUM})"
_ISO_DATE = rf"(?P<y>{_YEAR_NUM})-(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12][0-9]|0[1-9])"
_DAY_RANGE = rf"(?P<d>{_DAY})\s*-\s*(?P<d2>{_DAY})/(?P<m>{_MONTH_NUM})(?:/(?P<y>{_YEAR_NUM}))?"
_DAY_MONTH = rf"(?P<d>{_DAY})[/-](?P<m>{_MONTH_NUM})"
_MONTH_YEAR = rf"(?P<m>{_MONTH_NUM})[/-](?P<y>{_YEAR_NUM})"
_TIME_H = rf"(?P<h>{_HOUR_NUM})(?:h|g(?={_MINUTE_NUM}))(?P<m>{_MINUTE_NUM})?(?!{_ALNUM})"
_TIME_COLON = rf"(?P<h>{_HOUR_NUM}):(?P<m>{_MINUTE_NUM})(?::(?P<s>{_MINUTE_NUM}))?"


def _unnamed(pattern: str) -> str:
    """The same pattern without named groups, to repeat it in a range."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


def _ranged(core: str, prefix_words: tuple[str, ...] = ()) -> re.Pattern[str]:
    """``core`` optionally preceded by one of ``prefix_words`` (kept as
    written) and optionally followed by "- core" (a range, read "đến")."""
    plain = _unnamed(core)
    prefix = ""
    if prefix_words:
        prefix = rf"(?:(?<!\w)(?P<pre>(?i:{_alternation(prefix_words)}))\s+)?"
    return re.compile(rf"{prefix}{_BEFORE}(?P<a>{plain})(?:\s*-\s*(?P<b>{plain}))?{_AFTER}")


_DATE_PATTERNS = {
    name: (re.compile(core), _ranged(core, prefix))
    for name, core, prefix in (
        ("full", _FULL_DATE, ctxwords.DAY_WORDS),
        ("iso", _ISO_DATE, ctxwords.DAY_WORDS),
        ("day_range", _DAY_RANGE, ctxwords.DAY_WORDS),
        ("day_month", _DAY_MONTH, ctxwords.DAY_WORDS),
        ("month_year", _MONTH_YEAR, (num.MONTH,)),
        ("time_h", _TIME_H, ()),
        ("time_colon", _TIME_COLON, ()),
    )
}
# "09/05/2024 14:30:05": a pause between the date and the time, or the year
# runs straight into the hour.
_DATE_THEN_TIME_RE = re.compile(rf"(?<=[/.-][0-9]{{4}})\s+(?={_HOUR_NUM}(?::[0-5][0-9]|h|g[0-5][0-9]))")
_MONTH_WORD_RE = re.compile(rf"(?<!\w)(?P<pre>(?i:{num.MONTH}))\s+(?P<m>{_MONTH_NUM}){_AFTER}")


def _date_words(m: re.Match[str], dialect: str, day_word: bool) -> str:
    """ "ngày chín tháng năm năm hai nghìn ..." from a match with d/m/y groups."""
    groups = m.groupdict()
    words = [num.DAY] if day_word else []
    if groups.get("d2"):
        words += [_say_int(int(groups["d"]), dialect), num.RANGE, num.DAY, _say_int(int(groups["d2"]), dialect)]
    elif groups.get("d"):
        words.append(_say_int(int(groups["d"]), dialect))
    words += [num.MONTH, _say_month(int(groups["m"]), dialect)]
    if groups.get("y"):
        words += [num.YEAR, _say_int(groups["y"], dialect)]
    return " ".join(words)


def _time_words(m: re.Match[str], dialect: str) -> str:
    """ "14h30" → "mười bốn giờ ba mươi"; "14h05" → "... năm phút" (a bare
    "năm" would be ambiguous); with seconds, "phút" and "giây" are said."""
    words = [_say_int(int(m["h"]), dialect), num.HOUR]
    minute = int(m["m"] or 0)
    second = m.groupdict().get("s")
    if second is not None:
        words += [_say_int(minute, dialect), num.MINUTE, _say_int(int(second), dialect), num.SECOND]
    elif minute:
        words.append(_say_int(minute, dialect))
        if minute < 10:
            words.append(num.MINUTE)
    return " ".join(words)


def _is_date_context(text: str, m: re.Match[str]) -> bool:
    """A bare day/month is a date after a date word, "(", or a weekday."""
    if m["pre"]:
        return True
    if text[max(0, m.start() - 3) : m.start()].rstrip().endswith("("):
        return True
    previous = _previous_words(text, m.start())
    if previous and previous[-1] in ctxwords.DATE_CONTEXT:
        return True
    return len(previous) == 2 and previous[0] == "thứ"


def read_dates_and_times(text: str, ctx: _Context) -> str:
    """Dates and clock times.

    - dd/mm/yyyy (also "-" or "." throughout) and ISO yyyy-mm-dd: "ngày chín
      tháng năm năm hai nghìn không trăm hai mươi tư"; no extra "ngày" after
      "ngày"/"mùng" (nor "tháng" after "tháng").
    - d-d/m: "9-12/5" → "ngày chín đến ngày mười hai tháng năm".
    - d/m and d-m only after a date word (ngày, sáng, chiều, từ, đến, hôm,
      "(", a weekday...): "3/5 tiêu chí" stays a fraction.
    - m/yyyy (years 1900-2100): "tháng năm năm hai nghìn ..."; after "quý"
      it is a quarter: "quý một năm ...".
    - "tháng 4" → "tháng tư".
    - 14h30, 14h, 14g30, 14:30, 02:46:38; "a - b" of any of these is "a đến b".
    Limits: two-digit years, "ngày 9 và 10/5", lunar dates are not handled.
    """
    dialect = ctx.dialect
    text = _DATE_THEN_TIME_RE.sub(", ", text)

    def replace(kind: str):
        single = _DATE_PATTERNS[kind][0]

        def sub(m: re.Match[str]) -> str:
            pre = m.groupdict().get("pre")
            if kind == "day_month" and not _is_date_context(m.string, m):
                return m.group(0)
            sides = [single.fullmatch(m["a"])] + ([single.fullmatch(m["b"])] if m["b"] else [])
            if not all(sides) or any(s.groupdict().get("sep", "") != s.groupdict().get("sep2", "") for s in sides):
                return m.group(0)
            previous = _previous_words(m.string, m.start(), 1)
            if kind.startswith("time"):
                said = [_time_words(s, dialect) for s in sides]
                return _spaced(f" {num.RANGE} ".join(said))
            if kind == "month_year":
                if not all(1900 <= int(s["y"]) <= 2100 for s in sides):
                    return m.group(0)
                if not pre and previous == ["quý"]:
                    s = sides[0]
                    return _spaced(f"{_say_int(int(s['m']), dialect)} {num.YEAR} {_say_int(s['y'], dialect)}")
                said = [_date_words(s, dialect, day_word=False) for s in sides]
                already_said = bool(pre) or previous == [num.MONTH]
            else:
                said = [_date_words(s, dialect, day_word=True) for s in sides]
                already_said = bool(pre) or (previous and previous[0] in ctxwords.DAY_WORDS)
            if already_said:
                # "ngày 9/5", "Cập nhật ngày: 9/5", "tháng 5/2024": the word is written.
                said[0] = said[0].split(" ", 1)[1]
            head = f"{pre} " if pre else ""
            return _spaced(head + f" {num.RANGE} ".join(said))

        return sub

    for kind in ("full", "iso", "day_range", "month_year", "day_month", "time_h", "time_colon"):
        text = _DATE_PATTERNS[kind][1].sub(replace(kind), text)

    def month(m: re.Match[str]) -> str:
        return f"{m['pre']} {_say_month(int(m['m']), dialect)}"

    return _MONTH_WORD_RE.sub(month, text)


_ROMAN_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?i:{_alternation(ctxwords.ROMAN_TRIGGERS)}))\s+(?P<r>[IVXLC]+)"
    rf"(?:/(?P<y>{_YEAR_NUM}))?(?!{_ALNUM})"
)
_ROMAN_VALID_RE = re.compile(r"C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman_value(numeral: str) -> int | None:
    """Value of a well-formed numeral up to 399; None otherwise.  A lone "L"
    or "C" is a letter ("Phần C"), not 50 or 100."""
    if numeral in ("L", "C") or not _ROMAN_VALID_RE.fullmatch(numeral):
        return None
    values = [_ROMAN_VALUES[ch] for ch in numeral]
    # A symbol smaller than the next one is subtracted (IV, XC).
    return sum(-v if v < nxt else v for v, nxt in zip(values, values[1:] + [0], strict=True))


def read_roman_numerals(text: str, ctx: _Context) -> str:
    """Roman numerals after a trigger word (``ROMAN_TRIGGERS``, any case):
    "Đại hội XIII" → "Đại hội mười ba", "Quý IV" → "Quý bốn"; after "lần
    thứ" as an ordinal ("lần thứ IV" → "lần thứ tư"); "quý I/2024" →
    "quý một năm hai nghìn ...".  Elsewhere capitals are left alone."""

    def roman(m: re.Match[str]) -> str:
        value = _roman_value(m["r"])
        if value is None:
            return m.group(0)
        if m["pre"].lower() in ctxwords.ROMAN_ORDINAL_TRIGGERS:
            said = _say_ordinal(value, ctx.dialect)
        else:
            said = _say_int(value, ctx.dialect)
        if m["y"]:
            said += f" {num.YEAR} {_say_int(m['y'], ctx.dialect)}"
        return f"{m['pre']} {said} "

    return _ROMAN_RE.sub(roman, text)


_ORDINAL_RE = re.compile(r"(?<!\w)(?P<pre>(?i:thứ))\s+(?P<n>[0-9]{1,6})(?![0-9]|[.,][0-9])")


def read_ordinals(text: str, ctx: _Context) -> str:
    """ "thứ N" is an ordinal: 1 "nhất", 4 "tư", else the cardinal ("thứ 14"
    "thứ mười bốn").  Weekdays read the same way ("Thứ 4" → "Thứ tư")."""

    def ordinal(m: re.Match[str]) -> str:
        return f"{m['pre']} {_say_ordinal(int(m['n']), ctx.dialect)}"

    return _ORDINAL_RE.sub(ordinal, text)


_DOTTED_RE = re.compile(rf"(?<![\w.])(?P<key>{_alternation(abbr.DOTTED)})\.[ ]?(?=\S)")
_TITLE_AHEAD_RE = re.compile(rf"(?:{_alternation(abbr.DOTTED)})(?:\.|\s)")
_ACRONYM_RE = re.compile(rf"(?P<open>\()?(?<!{_ALNUM})(?P<key>{_alternation(abbr.ACRONYMS)})(?!{_ALNUM})(?P<close>\))?")


def expand_abbreviations(text: str, ctx: _Context) -> str:
    """Abbreviations from ``vi/abbreviations.py``, exact case.

    First the dotted forms (``DOTTED``), only before a capitalised name
    ("TP. Cao Lãnh" → "thành phố Cao Lãnh"), before another title
    ("PGS.TS"), or for "Q."/"P." before a number ("Q.1").  In a heading, any
    capital after the dot counts as a name.  "P.L" (a photo credit) and a
    single letter after "Ảnh:" are left alone.  Then every ``ACRONYMS`` key
    that stands as a whole token ("UBND", "TP.HCM", "v.v."); "(WHO)" right
    after its own expansion is dropped rather than read twice.
    Limits: no learning of an article's own "(ABBR)" definitions."""

    def dotted(m: re.Match[str]) -> str:
        key, text_ = m["key"], m.string
        follow = text_[m.end() : m.end() + 2]
        if len(key) == 1:
            previous = _previous_words(text_, m.start(), 1)
            if previous and previous[0] in ctxwords.CREDIT_WORDS:
                return m.group(0)
        is_name = len(follow) == 2 and follow[0] in _VN_UPPER and follow[1] in _VN_LOWER
        ok = (
            is_name
            or (ctx.heading and follow[:1] in _VN_UPPER)
            or (follow[:1].isdigit() and key in abbr.DOTTED_BEFORE_NUMBER)
            or bool(_TITLE_AHEAD_RE.match(text_, m.end()))
        )
        return f"{abbr.DOTTED[key]} " if ok else m.group(0)

    def acronym(m: re.Match[str]) -> str:
        value = abbr.ACRONYMS[m["key"]]
        if m["open"] and m["close"]:
            # "Tổ chức Y tế Thế giới (WHO)": the definition was just read.
            before = m.string[max(0, m.start() - len(value) - 4) : m.start()].rstrip()
            if before.casefold().endswith(value.casefold()):
                return ""
        return f"{m['open'] or ''}{value}{m['close'] or ''}"

    text = _DOTTED_RE.sub(dotted, text)
    return _ACRONYM_RE.sub(acronym, text)


_PHONE_RE = re.compile(r"(?<![0-9.,+])(?:\+84[ .]?|0)[0-9]{1,4}(?:[ .][0-9]{2,4}){1,4}(?![0-9]|[.,][0-9])")


def read_phone_numbers(text: str, ctx: _Context) -> str:
    """Phone numbers written in groups ("0277 3851 234", "0918.123.456",
    "+84 277 3851 234"), at least 8 digits: digit by digit, a short pause
    between groups.  Unseparated ones are caught by ``read_numbers``."""

    def phone(m: re.Match[str]) -> str:
        raw = m.group(0)
        if sum(ch.isdigit() for ch in raw) < 8:
            return raw
        groups = raw.replace(".", " ").split()
        said = []
        for group in groups:
            prefix = [num.PLUS] if group.startswith("+") else []
            said.append(" ".join(prefix + _digit_words(group)))
        return _spaced(", ".join(said))

    return _PHONE_RE.sub(phone, text)


_NUM = r"(?:[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)+|[0-9]+)(?:,[0-9]+)?(?![0-9])"
_QUANTITY = (
    # Never start inside a number ("1.2.3"): keeps the range search linear.
    rf"(?P<sign>(?<![^\s(\[])-)?(?<![0-9])(?<![0-9][.,])(?P<num>{_NUM})"
    rf"(?P<mags>(?:\s+(?:{_alternation(units.MAGNITUDES)})(?!{_ALNUM}))*)"
    rf"(?:\s?(?P<unit>{_alternation(units.UNITS)})(?!{_ALNUM}))?"
    rf"(?:/(?P<per>{_LETTER}+))?"
)
_QUANTITY_RE = re.compile(_QUANTITY)
# One pass for ranges and single quantities: a second pass would see the
# spaces the first one inserted and take the "-" of "2024-09-05" for a sign.
_QUANTITY_OR_RANGE_RE = re.compile(rf"(?P<a>{_unnamed(_QUANTITY)})(?:\s*-\s*(?P<b>{_unnamed(_QUANTITY)}))?")
_COMPARISON_RE = re.compile(rf"([{''.join(sym.COMPARISONS)}])\s*(?=-?[0-9])")
_PLUS_RE = re.compile(r"(?<=[0-9])\s*\+\s*(?=[0-9])")
_COLON_RE = re.compile(r"(?<=[0-9]):(?=[0-9])")
_SLASH_RE = re.compile(r"(?<=[0-9])/(?=[0-9])")
_LETTER_HYPHEN_DIGIT_RE = re.compile(rf"(?<={_LETTER})-(?=[0-9])")


def _numeral_words(token: str, dialect: str) -> list[str]:
    """One number as written: "3.500.000" (thousands), "12,5" (decimal
    comma), "4.0" (dot not grouping thousands: "chấm"), "0277385123" or
    any run of 8+ digits (digit by digit)."""
    whole, _, fraction = token.partition(",")
    if re.fullmatch(r"[0-9]{1,3}(?:\.[0-9]{3})+", whole):
        words = _cardinal_words(whole.replace(".", ""), dialect)
    elif "." in whole:
        head, *tails = whole.split(".")
        words = _cardinal_words(head, dialect)
        for tail in tails:
            words += [num.DECIMAL_DOT, *_fraction_words(tail, dialect)]
    elif len(whole) >= 8 or (whole.startswith("0") and len(whole) >= 4):
        words = _digit_words(whole)
    else:
        words = _cardinal_words(whole, dialect)
    if fraction:
        words += [num.DECIMAL_COMMA, *_fraction_words(fraction, dialect)]
    return words


def _quantity_words(m: re.Match[str], dialect: str) -> str:
    words = [num.MINUS] if m["sign"] else []
    words += _numeral_words(m["num"], dialect)
    words += m["mags"].split()
    if m["unit"]:
        words.append(_pick(units.UNITS[m["unit"]], dialect))
    if m["per"]:
        per = m["per"]
        said = units.UNITS.get(per) or units.DENOMINATORS.get(per) or per
        words += [num.PER, _pick(said, dialect)]
    return " ".join(words)


def read_numbers(text: str, ctx: _Context) -> str:
    """Every number left, with what belongs to it.

    - "a + b" → "cộng"; "> 35" → "lớn hơn"; "a/b" → "trên" (fractions,
      ratios: "3/5 tiêu chí"); "a:b" that is not a clock time → "trên"
      ("1:500"), a score after "tỷ số" ("3:1" → "ba một").
    - "a - b" between numbers is a range, "đến" ("2021 - 2025", "10-15%");
      after "thắng", "thua", "hòa", "tỷ số" it is a score ("2-1" → "hai một").
    - "-5" at a word start is "âm".  "COVID-19", "Su-30": the hyphen between
      a letter and a number is not a sign.
    - "3.500.000" thousands, "12,5" "phẩy", "4.0" "chấm"; 8+ digits, or 4+
      digits starting with 0, digit by digit.
    - Magnitude words and a unit from ``UNITS`` right after the number
      ("3 triệu đồng", "15%", "35oC", "100m2"), then "/x" → "trên x"
      ("đồng/người", "km/h").
    Limits: English-style "1,000" is read as a decimal; "x" for "times" is
    not handled."""
    dialect = ctx.dialect
    text = _LETTER_HYPHEN_DIGIT_RE.sub(" ", text)
    text = _PLUS_RE.sub(_spaced(num.PLUS), text)
    text = _SLASH_RE.sub(_spaced(num.PER), text)
    text = _COMPARISON_RE.sub(lambda m: _spaced(sym.COMPARISONS[m.group(1)]), text)

    def colon(m: re.Match[str]) -> str:
        # The number before the colon is the last word; the one before it decides.
        previous = _previous_words(m.string, m.start(), 2)
        is_score = len(previous) == 2 and previous[0] in ctxwords.SCORE_CONTEXT
        return " " if is_score else _spaced(num.PER)

    text = _COLON_RE.sub(colon, text)

    def quantity(m: re.Match[str]) -> str:
        sides = [_QUANTITY_RE.fullmatch(m["a"])] + ([_QUANTITY_RE.fullmatch(m["b"])] if m["b"] else [])
        if not all(sides):  # cannot happen today; a range is never worth a crash
            return m.group(0)
        said = [_quantity_words(side, dialect) for side in sides]
        previous = _previous_words(m.string, m.start(), 1)
        joiner = " " if previous and previous[0] in ctxwords.SCORE_CONTEXT else f" {num.RANGE} "
        return _spaced(joiner.join(said))

    return _QUANTITY_OR_RANGE_RE.sub(quantity, text)


_PAUSE_MARKS = ",.;:?!…"
_SPACED_DASH_RE = re.compile(r"(?:^|\s)-+(?:\s|$)")
_WORD_SLASH_RE = re.compile(rf"(?<!{_LETTER})(?P<left>{_LETTER}+)\s*/\s*(?={_LETTER})")
_SYMBOL_TABLE = {dialect: {k: _pick(v, dialect) for k, v in sym.SYMBOLS.items()} for dialect in _DIALECTS}


def read_symbols(text: str, ctx: _Context) -> str:
    """Punctuation and symbols after the numbers are read.

    - A dash with spaces around it ("kinh tế - xã hội", "ĐTO - ") is a
      pause (","); a hyphen inside a word ("Mát-xcơ-va") joins syllables
      (" "); a dash is never "trừ".
    - "word/word": "trên" after a unit-like noun (``PER_NOUNS``:
      "đồng/người"), otherwise a list pause ("sở/ngành" → "sở, ngành").
    - ``SYMBOLS`` ("&" → "và", "@", "~", stray "%"...); brackets become a
      pause; quotes and other marks that are not heard are removed, as are
      emoji and other symbols.  Letters, digits and ", . ; : ? ! …" stay."""
    text = _SPACED_DASH_RE.sub(", ", text)

    def slash(m: re.Match[str]) -> str:
        left = m["left"]
        return f"{left} {num.PER} " if left in units.PER_NOUNS else f"{left}, "

    text = _WORD_SLASH_RE.sub(slash, text)
    table = _SYMBOL_TABLE[ctx.dialect]
    out = []
    for ch in text:
        if ch in table:
            out.append(_spaced(table[ch]))
        elif ch in sym.PAUSE_BRACKETS:
            out.append(", ")
        elif ch.isalpha() or ch.isdecimal() or ch == " " or ch in _PAUSE_MARKS:
            out.append(ch)
        elif unicodedata.category(ch).startswith("M"):
            out.append(ch)  # a combining mark that did not compose stays with its letter
        else:
            out.append(" ")
    return "".join(out)


_WORD_RE = re.compile(rf"{_LETTER}+")
_SYLLABLE_RE = re.compile(
    rf"(?:{_alternation(letters.ONSETS)})?[{letters.VOWELS}]{{1,3}}(?:{_alternation(letters.CODAS)})?"
)
_DIACRITICS = set(letters.DIACRITIC_VOWELS + letters.DIACRITIC_VOWELS.upper())


def _is_syllable(word: str) -> bool:
    """Could ``word`` be one Vietnamese syllable?  Onset + 1-3 vowels +
    coda, no check of which vowel clusters really exist."""
    return bool(_SYLLABLE_RE.fullmatch(word.lower()))


def _base_letter(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    stripped = "".join(c for c in decomposed if c not in letters.TONE_MARKS)
    return unicodedata.normalize("NFC", stripped)


def _spell(word: str) -> str:
    """ "XYZ" → "ích i dét"; a letter with no name is kept as written."""
    return " ".join(letters.LETTER_NAMES.get(_base_letter(ch), ch) for ch in word)


# The dot between single capitals ("Ảnh: P.L") is not a pause.
_INITIALS_RE = re.compile(rf"(?<=[{letters.UPPER}])(?<![^\W_][{letters.UPPER}])\.(?=[{letters.UPPER}](?![^\W_]))")


def _is_caps(word: str) -> bool:
    return word.isupper() and all(ch in _VN_UPPER for ch in word)


def read_capitals(text: str, ctx: _Context) -> str:
    """Words written in capitals that no table expanded.

    - Whole input in capitals (a heading): a word that could be a Vietnamese
      syllable is lower-cased, anything else ("XYZ") is spelled, and the
      result gets sentence case.  Acronyms were already expanded.
    - Mixed-case text: an unknown acronym is spelled with letter names
      ("XYZ" → "ích i dét", a lone consonant "P" → "pê"; a lone vowel is a
      word and stays).  A capitalised word with a Vietnamese diacritic
      ("ĐIỆN TỬ"), or any syllable-like word next to one, is emphasis and
      is lower-cased instead.
    Limits: a diacritic-free caps phrase in running text ("TIN VUI") is
    spelled; only Latin letters are handled."""
    text = _INITIALS_RE.sub(" ", text)
    tokens = list(_WORD_RE.finditer(text))
    caps = [_is_caps(t.group(0)) for t in tokens]
    # Group consecutive capitalised words separated only by spaces: a phrase
    # in capitals is treated like a small heading.
    phrase_has_diacritic = [False] * len(tokens)
    start = 0
    for i in range(1, len(tokens) + 1):
        joined = (
            i < len(tokens) and caps[i] and caps[i - 1] and not text[tokens[i - 1].end() : tokens[i].start()].strip()
        )
        if not joined:
            has = any(caps[j] and _DIACRITICS & set(tokens[j].group(0)) for j in range(start, i))
            for j in range(start, i):
                phrase_has_diacritic[j] = has
            start = i

    out = []
    last = 0
    for i, token in enumerate(tokens):
        word = token.group(0)
        if not caps[i]:
            continue
        if ctx.heading and _is_syllable(word):
            said = word.lower()
        elif len(word) == 1 and _is_syllable(word):
            # A lone vowel is a word ("Ở", "Y tế", "Nguyễn Văn A"); its letter
            # name would sound the same anyway.
            continue
        elif phrase_has_diacritic[i] and _is_syllable(word):
            said = word.lower()
        else:
            said = _spell(word)
        out += [text[last : token.start()], said]
        last = token.end()
    out.append(text[last:])
    result = "".join(out)
    if ctx.heading:
        for i, ch in enumerate(result):
            if ch.isalpha():
                result = result[:i] + ch.upper() + result[i + 1 :]
                break
    return result


_ASCII_DIGITS_RE = re.compile(r"[0-9]+")


def read_leftover_digits(text: str, ctx: _Context) -> str:
    """Safety net: any ASCII digit no rule consumed is read one by one, so
    the output never contains a digit."""
    return _ASCII_DIGITS_RE.sub(lambda m: _spaced(" ".join(_digit_words(m.group(0)))), text)


_SPACE_BEFORE_PAUSE_RE = re.compile(r"\s+([,.;:?!…])")
_REPEATED_COMMA_RE = re.compile(r"([,;:])(?:\s*[,;:])+")
_COMMA_BEFORE_STOP_RE = re.compile(r"[,;:]\s*([.?!…])")
_STOP_BEFORE_COMMA_RE = re.compile(r"([.?!…])\s*[,;:]")
_NO_SPACE_AFTER_PAUSE_RE = re.compile(rf"([,;:.?!…])(?={_LETTER})")


def tidy(text: str, ctx: _Context) -> str:
    """Single spaces, no space before a pause mark and one after it, no
    doubled or dangling pauses, NFC."""
    text = _SPACES_RE.sub(" ", text)
    text = _SPACE_BEFORE_PAUSE_RE.sub(r"\1", text)
    text = _REPEATED_COMMA_RE.sub(r"\1", text)
    text = _COMMA_BEFORE_STOP_RE.sub(r"\1", text)
    text = _STOP_BEFORE_COMMA_RE.sub(r"\1", text)
    text = _NO_SPACE_AFTER_PAUSE_RE.sub(r"\1 ", text)
    # str.strip, not a regex: a "[,;: ]+$" pattern is quadratic on long runs.
    text = text.lstrip(" ,;:.?!…").rstrip(" ,;")
    return unicodedata.normalize("NFC", _SPACES_RE.sub(" ", text).strip())


_RULES: tuple[_Rule, ...] = (
    clean_text,
    read_web_addresses,
    read_document_codes,
    read_dates_and_times,
    read_roman_numerals,
    read_ordinals,
    expand_abbreviations,
    read_phone_numbers,
    read_numbers,
    read_symbols,
    read_capitals,
    read_leftover_digits,
    tidy,
)


def _check_dialect(dialect: str) -> None:
    if dialect not in _DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {_DIALECTS}")


def _is_heading(text: str) -> bool:
    """No lower-case letter, and at least two capitalised words that could be
    Vietnamese syllables ("KINH TẾ"), so a line of codes or acronyms alone
    ("12/2015/NĐ-CP", "UBND HĐND") is not taken for a heading."""
    words = _WORD_RE.findall(text)
    if any(ch.islower() for w in words for ch in w):
        return False
    return sum(1 for w in words if _is_caps(w) and _is_syllable(w)) >= 2


def normalize(text: str, dialect: Dialect = "north") -> str:
    """One sentence of display text (already NFC, Vietnamese) -> the text the
    engine should say.

    The result is NFC, single-spaced, stripped, contains no ASCII digit and
    no raw URL; only ", . ; : ? ! …" remain as punctuation.  It never raises
    on any ``str``; an unknown ``dialect`` is a ValueError.
    """
    _check_dialect(dialect)
    ctx = _Context(dialect=dialect, heading=False)
    text = clean_text(text, ctx)
    ctx = _Context(dialect=dialect, heading=_is_heading(text))
    for rule in _RULES[1:]:
        text = rule(text, ctx)
    return text
