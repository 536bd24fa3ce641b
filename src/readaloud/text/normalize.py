"""Display text → spoken text for Vietnamese news.

:func:`normalize` takes one sentence (or one heading line) as it is written
and returns what a news presenter would say, so that the TTS engine never has
to guess: espeak-ng reads "14h30" as "mười bốn hát ba mươi" and switches to
its English voice on all-caps words.  :func:`read_number` is the cardinal
reader the rules share.  :func:`find_definitions` finds the abbreviations a
sentence defines ("Thông tin đối ngoại (TTĐN)"); the pipeline passes what an
article has defined so far back to :func:`normalize` as ``definitions``.

The text passes through small named rules, one after the other.  Each rule
is a function ``(text, context) -> text`` whose docstring says what it handles
and where it stops.  Rules 1-3 run in ``_normalize_text`` because whether the
line is an all-caps heading is judged between them (on the text with the
lexicon and definition readings set aside); rules 4-21 are ``_RULES``.  The
order matters because most rules consume digits, and the first rule to see a
digit string decides how it is read:

1. ``clean_text``          NFC, one kind of space, dash and apostrophe, "..."
                           as "…", no control or zero-width chars; digits of
                           every script and "①", "CO₂" as ASCII, "℃" as "°C".
2. ``apply_lexicon``       the newsroom's own words first: they beat every
                           rule, and their readings are protected
                           (placeholders) so no later rule re-reads them.
3. ``apply_definitions``   abbreviations the article defined, read as their
                           long form (protected too); "(TTĐN)" right after
                           its own long form is dropped.  Before the built-in
                           table, so the article's meaning wins.
4. ``join_apostrophe_names`` "H'Mông", "R'Lấp" → one syllable, before the
                           capitals rule would spell the lone "H".
5. ``read_web_addresses``  URLs and e-mails: they contain dots, slashes,
                           digits and capitals that every later rule would
                           misread.
6. ``read_unicode_fractions`` "½", "¾", "1⁄3" → "một phần hai", before any
                           rule reads their digits alone.
7. ``read_number_prefixes`` "QL1A", "ĐT.845", "BĐ II": the glued word first,
                           so the number is read alone.
8. ``read_vehicle_plates`` "66C1-234.56", before codes and ranges see a "-".
9. ``read_standard_codes`` "ISO 9001:2015", "TCVN 4054-2005": number and year
                           of issue, before the ":" is a time or a ratio.
10. ``read_document_codes`` "1079/QĐ-TTg" → "... của Thủ tướng", before
                           dates, so "12/2015/NĐ-CP" is never "tháng mười hai".
11. ``read_dates_and_times`` "09/05/2024", "9 và 10/5", "9/5", "5/2024",
                           "tháng 4", "14h30", "02:46:38", before the generic
                           "/" and ":" readings; "từ 8-10 giờ" is a range.
12. ``read_roman_numerals`` "Đại hội XIII" before capitals are spelled;
    ``read_list_labels``   "II. Nhiệm vụ" too.
13. ``read_ordinals``      "thứ 4" → "thứ tư" before the cardinal reading.
14. ``expand_abbreviations`` "TP. Cao Lãnh", "PGS.TS", photo-credit words,
                           then the acronym table (exact case) while the dots
                           and capitals are intact.
15. ``read_phone_numbers`` "0277 3851 234", "gọi 115" digit by digit, before
                           the groups are read as separate cardinals.
16. ``read_numbers``       "1m75", "x", "+", "$", "a/b", "a:b", "> 5"
                           between/before numbers, then ranges and every
                           remaining number with its sign, decimals,
                           magnitude words and unit.
17. ``read_symbols``       "&", dashes (a pause, never "trừ"), "/" between
                           words, brackets; drops symbols that are not heard.
18. ``read_capitals``      unknown acronyms spelled with letter names; caps
                           phrases and all-caps headings in sentence case.
                           Runs late so the table expansions above win.
19. ``read_leftover_digits`` safety net: any ASCII digit still present is read
                           one by one, so the output never contains a digit.
20. ``restore_protected``  the lexicon and definition readings go back in.
21. ``tidy``               single spaces, no space before pause marks, NFC.

Protected readings (lexicon entries, definitions) stand in the text as one
private-use character each from rule 2 to rule 20: every later rule treats
them as an opaque non-letter, so none can spell, re-case or re-read them.

All data (number words, letter names, units, abbreviations, trigger words)
lives in :mod:`readaloud.text.vi`; this module holds only the rules.  Every regex
is linear: no nested unbounded quantifiers over overlapping character sets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import letters, units
from readaloud.text.vi import numbers as num
from readaloud.text.vi import symbols as sym

__all__ = ["Dialect", "find_definitions", "normalize", "read_number"]

Dialect = Literal["north", "south"]
_DIALECTS = ("north", "south")

# Protected readings (lexicon entries, article definitions) stand in the text as
# one private-use character each until ``restore_protected``.  ``clean_text``
# removes private-use characters from the input, so these can never clash.
_PROTECT_FIRST = 0xE000
_PROTECT_LAST = 0xF8FF
_PROTECTED_CLASS = "\ue000-\uf8ff"
_PROTECTED_RE = re.compile(f"[{_PROTECTED_CLASS}]")


@dataclass(frozen=True)
class _Context:
    """What every rule may know besides the text itself."""

    dialect: str
    heading: bool = False  # the whole input was written in capitals
    lexicon: tuple[tuple[str, str], ...] = ()
    definitions: Mapping[str, str] = field(default_factory=dict)
    protected: list[str] = field(default_factory=list)  # placeholder index -> spoken text

    def protect(self, spoken: str) -> str:
        """A placeholder for ``spoken``; the same reading reuses its placeholder.
        Past the private-use range (thousands of distinct readings in one
        sentence) the reading is inserted unprotected rather than failing."""
        try:
            index = self.protected.index(spoken)
        except ValueError:
            index = len(self.protected)
            if _PROTECT_FIRST + index > _PROTECT_LAST:
                return _spaced(spoken)
            self.protected.append(spoken)
        return chr(_PROTECT_FIRST + index)


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


def _next_word(text: str, pos: int) -> str:
    """The first word after ``pos``, lower-cased ('' if none)."""
    match = re.match(r"\W*?(\w+)", text[pos : pos + 40])
    return match.group(1).lower() if match else ""


def _has_digit(text: str) -> bool:
    """Cheap guard for the rules that only act on digits."""
    return _DIGIT_RE.search(text) is not None


_DIGIT_RE = re.compile(r"[0-9]")


def _spaced(words: str) -> str:
    """Replacement text with room on both sides; ``tidy`` collapses spaces."""
    return f" {words} "


def _fold(word: str) -> str:
    """Lower case without any diacritic, "đ" as "d": how initials compare
    ("Đ" in "TTĐN" matches "đối", "D" in "GDĐT" matches "dục")."""
    decomposed = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _unnamed(pattern: str) -> str:
    """The same pattern without named groups, to repeat it in a range."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# --------------------------------------------------------------------------
# Rules, in the order they run
# --------------------------------------------------------------------------

_BULLET_RE = re.compile(r"^[-+*•]+\s+")
_SPACES_RE = re.compile(r"\s+")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def _clean_numeric(ch: str) -> str:
    """A number sign that is not a decimal digit: "①", "⑳", "❶", "⒈", "⑴" →
    the number with a space on each side (a list label or a count); a
    subscript ("CO₂", "PM₂.₅") → its ASCII digit, glued; "Ⅻ" → "XII".
    Vulgar fractions ("½") and superscripts ("m²") are kept for
    ``read_unicode_fractions`` and the units; a sign with no whole value is
    left for ``read_symbols`` to drop."""
    if ch in _VULGAR_FRACTIONS or unicodedata.name(ch, "").startswith("SUPERSCRIPT"):
        return ch
    compat = unicodedata.normalize("NFKC", ch)
    if unicodedata.name(ch, "").startswith("SUBSCRIPT") and compat.isascii() and compat.isdigit():
        return compat
    if compat.isascii() and compat.isalpha():
        return compat  # Roman numerals "Ⅻ"
    value = unicodedata.numeric(ch, -1.0)
    if value >= 0 and value == int(value):
        return f" {int(value)} "
    return ch


class _CleanTable(dict):
    """``str.translate`` table for ``clean_text``, filled in as characters are
    met: dashes → "-", whitespace → " ", other decimal digits → ASCII, other
    number signs as ``_clean_numeric`` says, "℃" → "°C" and the squared unit
    signs ("㎡", "㎞") → their letters, control/format/private/unassigned/
    surrogate code points and variation selectors → dropped, anything else
    unchanged."""

    def __missing__(self, code: int) -> str | None:
        ch = chr(code)
        category = unicodedata.category(ch)
        if ch in _DASH_CHARS:
            value: str | None = "-"
        elif ch.isspace():
            value = " "
        elif ch.isdecimal() and not ch.isascii():
            value = str(unicodedata.decimal(ch))
        elif category in ("No", "Nl"):
            value = _clean_numeric(ch)
        elif ch in "℃℉" or "\u3380" <= ch <= "\u33df":
            value = unicodedata.normalize("NFKC", ch)
        elif category in _DROPPED_CATEGORIES or "\ufe00" <= ch <= "\ufe0f":
            value = None
        else:
            value = ch
        if len(self) < 20_000:  # bounded: odd input cannot grow it without limit
            self[code] = value
        return value


_DASH_CHARS = frozenset("‐‑‒–—―−﹣－⁃")
# Vulgar fraction signs; their compatibility form is "a⁄b" (U+2044 FRACTION SLASH).
_VULGAR_FRACTIONS = frozenset("½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒↉")
_CLEAN_TABLE = _CleanTable()
_APOSTROPHE_RE = re.compile(r"(?<=[^\W\d_])[’‘ʼ´`](?=[^\W\d_])")
_ELLIPSIS_RE = re.compile(r"\.(?:\s?\.){2,}|…(?:\s?[.…])+")


def clean_text(text: str, ctx: _Context) -> str:
    """NFC; every dash variant becomes "-" (the minus sign too); any Unicode
    decimal digit becomes ASCII so the number rules see it, and so do circled
    and other number signs ("①" → "1", "CO₂" → "CO2"); "℃" → "°C"; control, format
    (zero-width), private-use, unassigned and surrogate code points and
    variation selectors are dropped; whitespace becomes single spaces; a
    typographic apostrophe inside a word becomes "'" ("H’Mông"); "...",
    ". . ." and "…." become one "…"; a leading list bullet ("- ", "• ") is
    removed so it is not read as a minus sign.  Quotes are left for
    ``read_symbols`` (they are silent)."""
    text = unicodedata.normalize("NFC", text).translate(_CLEAN_TABLE)
    text = _SPACES_RE.sub(" ", text).strip()
    text = _BULLET_RE.sub("", text)
    text = _APOSTROPHE_RE.sub("'", text)
    text = _ELLIPSIS_RE.sub("…", text)
    return unicodedata.normalize("NFC", text)


def _squash(text: str) -> str:
    """For comparing written phrases: single spaces, case-folded."""
    return _SPACES_RE.sub(" ", text).strip().casefold()


@lru_cache(maxsize=32)
def _lexicon_pattern(items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The lexicon as one regex (longest key first, whole words only) and its
    readings, keys cleaned the way ``clean_text`` cleans the input."""
    readings: dict[str, str] = {}
    for key, value in items:
        if not isinstance(key, str) or not isinstance(value, str):
            continue
        clean = clean_text(key, _Context("north"))
        if clean:
            readings[clean] = unicodedata.normalize("NFC", _SPACES_RE.sub(" ", value).strip())
    if not readings:
        return None, readings
    alternatives = []
    for key in sorted(readings, key=len, reverse=True):
        before = r"(?<![^\W_])" if re.match(r"[^\W_]", key) else ""
        after = r"(?![^\W_])" if re.search(r"[^\W_]$", key) else ""
        alternatives.append(f"{before}{re.escape(key)}{after}")
    pattern = re.compile(rf"(?P<open>\(\s*)?(?P<key>{'|'.join(alternatives)})(?P<close>\s*\))?")
    return pattern, readings


def _restated(before: str, long_forms: tuple[str, ...]) -> bool:
    """Does the text ``before`` an "(ABBR)" end with one of its long forms?"""
    tail = _squash(before[-200:])
    return any(form and tail.endswith(_squash(form)) for form in long_forms)


def apply_lexicon(text: str, ctx: _Context) -> str:
    """The newsroom lexicon (``lexicon=`` of :func:`normalize`): words or names
    as written → how to say them.  Keys match whole words, case-sensitively,
    longest first; the reading is final (protected from every later rule)
    and beats the built-in tables and the article's definitions.  "(KEY)"
    right after its own reading or long form is dropped, not read twice.
    Limits: no case variants ("ĐTO" does not match "Đto"); a key that is part
    of a longer written word is not matched ("ĐTO" in "ĐTOnline")."""
    if not ctx.lexicon:
        return text
    pattern, readings = _lexicon_pattern(ctx.lexicon)
    if pattern is None:
        return text

    def word(m: re.Match[str]) -> str:
        key = m["key"]
        reading = readings[key]
        if m["open"] and m["close"]:
            if _restated(m.string[: m.start()], (reading, ctx.definitions.get(key, ""))):
                return " "
            return f"({ctx.protect(reading)})"
        return (m["open"] or "") + ctx.protect(reading) + (m["close"] or "")

    return pattern.sub(word, text)


# An abbreviation as written: letters (any case), "&", and inner ". - '".
_ABBR_TOKEN = r"[^\W\d_](?:[\w&.'-]{0,14}[^\W_])?"
_QUOTES = "\"“”'‘’«»"
_DEF_LEADS = _alternation(ctxwords.DEFINITION_LEADS)
_DEF_PAREN_RE = re.compile(r"\(([^()]{1,80})\)")
_DEF_INNER_RE = re.compile(
    rf"(?P<lead>(?i:{_DEF_LEADS})\s*:?\s*)?(?P<head>(?:{_LETTER}+\s+){{0,2}})"
    rf"[{_QUOTES}]?(?P<abbr>{_ABBR_TOKEN})[{_QUOTES}]?\s*[.,;]?"
)
_DEF_COMMA_RE = re.compile(
    rf",\s*(?P<lead>(?i:{_DEF_LEADS}))\s*:?\s*[{_QUOTES}]?(?P<abbr>{_ABBR_TOKEN})[{_QUOTES}]?(?![\w&])"
)
_DEF_BOUNDARY_RE = re.compile(r"[;:!?()\[\]{}“”\"]|\.(?=\s)")
_DEF_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|&")
_AND_FOLDED = _fold(ctxwords.AND_WORD)
_SKIPPABLE_FOLDED = frozenset(_fold(w) for w in ctxwords.SKIPPABLE_IN_ABBREVIATION)


def _looks_like_abbreviation(token: str) -> bool:
    """Capitals, mostly: "TTĐN", "GD&ĐT", "ThS", "LĐ-TB&XH"; not "Sở",
    not "2024", not a single letter."""
    if any(ch.isdigit() for ch in token) or not token[0].isupper():
        return False
    letters_ = [ch for ch in token if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters_)
    return upper >= 2 and upper * 2 >= len(letters_) and len(letters_) <= 12


def _abbreviation_units(token: str, split_letters: bool) -> list[str]:
    """What each piece of the abbreviation must match, folded: "ThS" →
    ["th", "s"] (a capital with its lower-case letters is one word's
    initial), or letter by letter with ``split_letters``; "&" stands for
    "và"; ". - '" are ignored."""
    parts: list[str] = []
    for ch in token:
        if ch == "&":
            parts.append("&")
        elif ch.isalpha():
            if ch.isupper() or split_letters or not parts or parts[-1] == "&":
                parts.append(_fold(ch))
            else:
                parts[-1] += _fold(ch)
    return parts


def _long_form_start(parts: list[str], folded: list[str]) -> int | None:
    """Index of the first of the words (``folded``, the last one right
    before the abbreviation) whose initials spell ``parts``, matching from
    the end; "và" may be left out of the abbreviation.  None if no run of
    words ending at the last one spells it."""
    memo: dict[tuple[int, int], int | None] = {}

    def match(part: int, word: int) -> int | None:
        if word < 0:
            return None
        key = (part, word)
        if key in memo:
            return memo[key]
        unit, said = parts[part], folded[word]
        if unit == "&":
            ok = said in ("&", _AND_FOLDED)
        else:
            ok = said != "&" and said.startswith(unit)
        result = None
        if ok:
            if part == 0:
                result = word
            else:
                result = match(part - 1, word - 1)
                if result is None and word >= 2 and folded[word - 1] in _SKIPPABLE_FOLDED:
                    result = match(part - 1, word - 2)
        memo[key] = result
        return result

    return match(len(parts) - 1, len(folded) - 1)


def _define(text: str, end: int, token: str, head: str) -> str | None:
    """The long form written right before ``end`` whose initials spell
    ``token``, or None.  ``head``: words repeated in the brackets before the
    abbreviation ("(Sở GD&ĐT)"), which must precede the long form."""
    if not _looks_like_abbreviation(token):
        return None
    start = max(0, end - 300)
    segment = text[start:end]
    cut = 0
    for boundary in _DEF_BOUNDARY_RE.finditer(segment):
        cut = boundary.end()
    found = list(_DEF_WORD_RE.finditer(segment, cut))[-24:]
    if not found:
        return None
    folded = [_fold(w.group(0)) for w in found]
    head_words = [_fold(w) for w in head.split()]
    for split in (False, True):
        parts = _abbreviation_units(token, split)
        if len(parts) < 2 or len(parts) > len(found):
            continue
        first = _long_form_start(parts, folded)
        if first is None:
            continue
        if head_words and folded[max(0, first - len(head_words)) : first] != head_words:
            return None
        return segment[found[first].start() : found[-1].end()]
    return None


def find_definitions(text: str) -> dict[str, str]:
    """The abbreviations one sentence defines: abbreviation as written → long
    form as written (whitespace tidied).

    - "Thông tin đối ngoại (TTĐN)" → {"TTĐN": "Thông tin đối ngoại"}
    - "Sở Giáo dục và Đào tạo (GD&ĐT)" and "(Sở GD&ĐT)" →
      {"GD&ĐT": "Giáo dục và Đào tạo"}
    - "(gọi tắt là X)", "(sau đây gọi tắt là X)", "(viết tắt là X)",
      ", gọi tắt là X".
    The long form is the shortest run of words right before the brackets
    whose initials spell the abbreviation, ignoring case and diacritics
    ("Đ" = "d"), "&" = "và", a capital with its lower-case letters one
    initial ("Th" in "ThS"), and "và" may be left out ("GDĐT").  Nothing is
    defined when the initials do not match: "(Ảnh: P.L)", "(năm 2024)",
    "(ĐBSCL)" after unrelated words.  Never raises.
    Limits: an abbreviation whose letters are not word initials ("TTg",
    "GRDP" for "tổng sản phẩm trên địa bàn") is not learned; a long form
    broken by a quote or a colon is not found.
    """
    if not isinstance(text, str) or "(" not in text and "," not in text:
        return {}
    return _find_definitions_clean(clean_text(text, _Context("north")))


def _find_definitions_clean(text: str) -> dict[str, str]:
    """:func:`find_definitions` on text ``clean_text`` has already cleaned."""
    found: dict[str, str] = {}
    for m in _DEF_PAREN_RE.finditer(text):
        inner = _DEF_INNER_RE.fullmatch(m.group(1).strip())
        if inner:
            long_form = _define(text, m.start(), inner["abbr"], inner["head"] or "")
            if long_form:
                found[inner["abbr"]] = long_form
    for m in _DEF_COMMA_RE.finditer(text):
        long_form = _define(text, m.start(), m["abbr"], "")
        if long_form:
            found[m["abbr"]] = long_form
    return found


@lru_cache(maxsize=64)
def _defined_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]|[/&.'-])(?:{_alternation(keys)})(?![^\W_]|[/&'][^\W_]|-[^\W\d_]|\.[^\W_])")


@lru_cache(maxsize=256)
def _say_long_form(long_form: str, dialect: str, lexicon: tuple[tuple[str, str], ...]) -> str:
    return _normalize_text(long_form, dialect, lexicon, {}, learn=False)


def apply_definitions(text: str, ctx: _Context) -> str:
    """Abbreviations the article defined (``definitions=``, plus any this
    sentence defines) are read as their long form, which is normalised on
    its own and then protected: "Tại TTPVHCC" → "Tại Trung tâm Phục vụ hành
    chính công".  The definition itself, "(TTPVHCC)" or "(gọi tắt là
    TTPVHCC)" right after the long form, is not read.  In an all-caps
    heading an abbreviation that is also a Vietnamese syllable ("CA") is left
    alone: there it is more likely the word.
    Limits: exact case only; an abbreviation glued to other letters or
    inside a document code ("123/TTPVHCC-VP") is not replaced."""
    definitions = ctx.definitions
    if not definitions:
        return text
    present = tuple(sorted(k for k in definitions if isinstance(k, str) and k and k in text))
    if not present:
        return text

    def bracket(m: re.Match[str]) -> str:
        inner = _DEF_INNER_RE.fullmatch(m.group(1).strip())
        if not inner or inner["abbr"] not in definitions:
            return m.group(0)
        if inner["lead"] or _restated(m.string[: m.start()], (definitions[inner["abbr"]],)):
            return " "
        return m.group(0)

    def named(m: re.Match[str]) -> str:
        return " " if m["abbr"] in definitions else m.group(0)

    text = _DEF_PAREN_RE.sub(bracket, text)
    text = _DEF_COMMA_RE.sub(named, text)

    def use(m: re.Match[str]) -> str:
        key = m.group(0)
        if ctx.heading and _is_syllable(key):
            return key
        return ctx.protect(_say_long_form(definitions[key], ctx.dialect, ctx.lexicon))

    return _defined_pattern(present).sub(use, text)


_APOSTROPHE_NAME_RE = re.compile(r"(?<![^\W_'])(?P<first>[^\W\d_])'(?P<rest>[^\W\d_]+)")


def join_apostrophe_names(text: str, ctx: _Context) -> str:
    """Ethnic-minority names with an apostrophe after one letter are one
    syllable: "H'Mông" → "Hmông", "Đắk R'Lấp" → "Đắk Rlấp", "Cư M'gar" →
    "Cư Mgar" (the rest in lower case, so the capitals rule does not spell
    it).  Other apostrophes are silent (``read_symbols``).
    Limits: the spelling is joined, not respelled ("K'Ho" → "Kho")."""

    def name(m: re.Match[str]) -> str:
        return m["first"] + m["rest"].lower()

    return _APOSTROPHE_NAME_RE.sub(name, text)


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


_UNICODE_FRACTION_RE = re.compile(
    rf"(?<![0-9.,])(?:(?P<whole>[0-9]+)\s?)?(?:(?P<sign>[{''.join(sorted(_VULGAR_FRACTIONS))}])"
    r"|(?<![0-9])(?P<a>[0-9]{1,3})\u2044(?P<b>[0-9]{1,3})(?![0-9]))"
)


def read_unicode_fractions(text: str, ctx: _Context) -> str:
    """Fraction signs and the fraction slash: "½" → "một phần hai", "¾" →
    "ba phần tư", "1⁄3" → "một phần ba"; a whole number written before one
    is joined with "và" ("2½" → "hai và một phần hai").  Early, before any
    rule could read the digits of "1⁄2" on their own."""
    if not any(ch in _VULGAR_FRACTIONS or ch == "\u2044" for ch in text):
        return text

    def fraction(m: re.Match[str]) -> str:
        if m["sign"]:
            a, _, b = unicodedata.normalize("NFKC", m["sign"]).partition("\u2044")
        else:
            a, b = m["a"], m["b"]
        denominator = int(b)
        said = f"{_say_int(int(a), ctx.dialect)} {num.PART} "
        said += num.PART_DENOMINATORS.get(denominator) or _say_int(denominator, ctx.dialect)
        if m["whole"]:
            said = f"{_say_int(m['whole'], ctx.dialect)} {num.AND} {said}"
        return _spaced(said)

    return _UNICODE_FRACTION_RE.sub(fraction, text)


_ROMAN_NUMERAL = r"[IVXLC]+"
_NUMBER_PREFIX_RE = re.compile(
    rf"(?<![^\W_])(?P<key>{_alternation(abbr.NUMBER_PREFIXES)})(?:\.\s?|\s)?"
    rf"(?:(?P<n>[1-9][0-9]{{0,3}}[A-Z]?)|(?P<r>{_ROMAN_NUMERAL}))(?![^\W_]|[.,][0-9])"
)


def read_number_prefixes(text: str, ctx: _Context) -> str:
    """Abbreviations glued to the number they name (``NUMBER_PREFIXES``):
    "QL1A" → "quốc lộ 1A", "ĐT.845" → "đường tỉnh 845", "Km15+500" → "ki
    lô mét 15+500", "BĐ2" and "BĐ II" → "báo động hai"; the number is left
    for the number rules.  A grade glued to a number after a hyphen is a
    Roman numeral: "RON95-III" → "rôn 95 ba".
    Limits: only numbers 1-9999 not starting with 0 ("ĐT 0277..." is a phone
    number), Roman numerals only after "BĐ"."""

    def prefix(m: re.Match[str]) -> str:
        word = abbr.NUMBER_PREFIXES[m["key"]]
        if m["r"]:
            value = _roman_value(m["r"]) if m["key"] == "BĐ" else None
            if value is None:
                return m.group(0)
            return _spaced(f"{word} {_say_int(value, ctx.dialect)}")
        return f" {word} {m['n']}"  # no space after: "RON95-III", "Km 15 m" keep what follows the number

    text = _NUMBER_PREFIX_RE.sub(prefix, text)
    return _GLUED_ROMAN_RE.sub(lambda m: _spaced(_say_int(_roman_value(m["r"]) or 0, ctx.dialect)), text)


_BOAT_RE = re.compile(r"(?<![\w-])(?P<area>[A-ZĐ]{2,3})[- ](?P<serial>[0-9]{4,5})[- ](?P<kind>TS|ĐTS)(?![\w])")
# A grade written after a number: "RON95-III" (read before codes take "95-III").
_GLUED_ROMAN_RE = re.compile(rf"(?<=[0-9])-(?P<r>III|II|IV|V|I)(?!{_ALNUM}|[/-])")
_PLATE_RE = re.compile(
    r"(?<![\w.,/-])(?P<area>[0-9]{2})(?P<series>[A-Z]{1,2}[0-9]?)-(?P<serial>[0-9]{3}\.[0-9]{2}|[0-9]{4,5})"
    r"(?![\w]|[.,][0-9])"
)


def read_vehicle_plates(text: str, ctx: _Context) -> str:
    """Vehicle plates "66C1-234.56", "51F-12345": the province number as a
    number, the series by letter names, the serial digit by digit ("sáu
    mươi sáu xê một, hai ba bốn năm sáu"), so the "-" is not a range.
    Fishing boats "ĐT-91234-TS": letters spelled, digits one by one.
    Limits: the older two-line and diplomatic formats are not recognised."""
    if not _has_digit(text):
        return text

    def plate(m: re.Match[str]) -> str:
        series = " ".join(
            num.DIGITS[int(ch)] if ch.isdigit() else letters.LETTER_NAMES.get(ch.lower(), ch) for ch in m["series"]
        )
        serial = " ".join(_digit_words(m["serial"]))
        return _spaced(f"{_say_int(m['area'], ctx.dialect)} {series}, {serial}")

    def boat(m: re.Match[str]) -> str:
        serial = " ".join(_digit_words(m["serial"]))
        return _spaced(f"{_spell(m['area'])}, {serial}, {_spell(m['kind'])}")

    text = _BOAT_RE.sub(boat, text)
    return _PLATE_RE.sub(plate, text)


_STANDARD_NAMES = _alternation(ctxwords.STANDARDS)
_STANDARD_RE = re.compile(
    rf"(?<![\w/.-])(?P<std>(?:{_STANDARD_NAMES})(?:\s?/\s?(?:{_STANDARD_NAMES}))*)\s?(?P<num>[0-9]+(?:\.[0-9]+)*)"
    r"(?:-(?P<part>[0-9]{1,2})(?![0-9]))?(?:[:-](?P<y>(?:19|20)[0-9]{2}))?(?![0-9]|[.,][0-9])"
    rf"(?:/(?P<issuer>{_LETTER}+)(?!{_ALNUM}|/))?"
)


def read_standard_codes(text: str, ctx: _Context) -> str:
    """Technical standards (``STANDARDS``): "ISO 9001:2015" → "ISO chín
    nghìn không trăm linh một năm hai nghìn không trăm mười lăm", "TCVN
    4054-2005" (the year after "-"), "ISO 8601-1:2019" ("phần một"), "QCVN
    01:2021/BXD" ("... của Bộ Xây dựng").  The colon is not a clock time or a
    ratio and the "-" is not a range.  The standard's name is left for the
    abbreviation rules; a number with a leading zero ("01") is read digit by
    digit.  Before document codes and dates.
    Limits: an issuer after "/" that ``CODE_ISSUERS`` does not know is left
    as written."""
    if not _has_digit(text):
        return text
    dialect = ctx.dialect

    def standard(m: re.Match[str]) -> str:
        number = m["num"]
        if number.startswith("0") and len(number) > 1 and "." not in number:
            words = _digit_words(number)
        else:
            words = _numeral_words(number, dialect)
        if m["part"]:
            words += [num.STANDARD_PART, _say_int(int(m["part"]), dialect)]
        if m["y"]:
            words += [num.YEAR, _say_int(m["y"], dialect)]
        tail = ""
        if m["issuer"]:
            key = _code_keys(m["issuer"])
            if len(key) == 1 and key[0] in abbr.CODE_ISSUERS:
                words += [abbr.OF, abbr.CODE_ISSUERS[key[0]]]
            else:
                tail = "/" + m["issuer"]
        std = re.sub(r"\s?/\s?", " ", m["std"])  # "ISO/IEC 17025" is said as two names
        return f"{std} {' '.join(words)} {tail}"

    return _STANDARD_RE.sub(standard, text)


_CODE_RE = re.compile(rf"(?<![\w/.,-])[0-9]+(?:[/-]{_ALNUM}+)+")
_CODE_PART_RE = re.compile(rf"({_LETTER}+)([0-9]*)")
_CODE_WORDS = {**abbr.CODE_KINDS, **abbr.CODE_ISSUERS}
_CODE_BY_UPPER: dict[str, list[str]] = {}
for _key in _CODE_WORDS:
    _CODE_BY_UPPER.setdefault(_key.upper(), []).append(_key)
_CODE_FOLDED = {upper: keys[0] for upper, keys in _CODE_BY_UPPER.items() if len(keys) == 1}
_TRAILING_SO_RE = re.compile(r"(?:\s+số)?\s*$")
# What may stand between a code and the issuer named after it:
# "số 12/QĐ-UBND ngày 5/6/2023 của UBND tỉnh".
_AFTER_CODE_RE = re.compile(
    r"(?:,\s*)?(?:(?:ban hành|ký)\s+)?(?:ngày\s+[0-9]{1,2}(?:[/.-][0-9]{1,2}(?:[/.-][0-9]{4})?"
    r"|\s+tháng\s+[0-9]{1,2}(?:\s+năm\s+[0-9]{4})?)\s*,?\s*)?"
)


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
    "01/2024/TT-BGDĐT", "45/2019/QH14", "1234/QĐ-BNN-TT".

    A token qualifies when it starts with digits and has a "/"- or
    "-"-separated part starting with a capital.  It is read as a presenter
    would say it: the numbers (a 4-digit year after the first number gets
    "năm"), then the kind of document, then "của" + the issuer:
    "Quyết định số 1079/QĐ-TTg" → "Quyết định số một nghìn không trăm bảy
    mươi chín của Thủ tướng".  Only the first letters after the number can
    be a kind ("TT" later in a code is a department, not "thông tư").  A
    kind already said just before the number (or one of its other names,
    ``CODE_KIND_ALIASES``: "Quy định 144-QĐ/TW") and an issuer named after
    the code ("... ngày 5/6/2023 của UBND tỉnh") are not repeated.  Unknown
    code letters are dropped, never spelled; separators are silent."""
    if not _has_digit(text):
        return text
    dialect = ctx.dialect

    def code(m: re.Match[str]) -> str:
        parts = re.split(r"[/-]", m.group(0))
        if not any(p[0].isalpha() and p[0].isupper() for p in parts[1:]):
            return m.group(0)
        before = _TRAILING_SO_RE.sub("", m.string[max(0, m.start() - 40) : m.start()].casefold())
        rest = m.string[m.end() : m.end() + 100].lstrip()
        after = rest[_AFTER_CODE_RE.match(rest).end() :].casefold()
        numbers: list[str] = []
        kinds: list[str] = []
        issuers: list[str] = []
        seen_letters = False
        for index, part in enumerate(parts):
            if part.isascii() and part.isdigit():
                numbers.append(_code_number(part, index == 0, dialect))
                continue
            for letters_part, digits in _CODE_PART_RE.findall(part):
                said_issuer = ""
                for position, key in enumerate(_code_keys(letters_part)):
                    if key in abbr.CODE_KINDS and key not in abbr.CODE_ISSUERS:
                        if seen_letters or position:
                            continue  # a department code that looks like a kind
                        kind = abbr.CODE_KINDS[key]
                        names = (kind, *abbr.CODE_KIND_ALIASES.get(key, ()))
                        if not any(before.endswith(name.casefold()) for name in names):
                            kinds.append(kind)
                        continue
                    issuer = abbr.CODE_ISSUERS[key]
                    named_next = (f"{abbr.OF} {issuer.casefold()}", f"{abbr.OF} {key.casefold()}")
                    said_issuer = key
                    if not after.startswith(named_next) and issuer not in issuers:
                        issuers.append(issuer)
                seen_letters = True
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
_DAY_WORDS_RE = _alternation(ctxwords.DAY_WORDS)


def _ranged(core: str, prefix_words: tuple[str, ...] = ()) -> re.Pattern[str]:
    """``core`` optionally preceded by one of ``prefix_words`` (kept as
    written) and optionally followed by "- core" (a range, read "đến")."""
    plain = _unnamed(core)
    prefix = ""
    if prefix_words:
        prefix = rf"(?:(?<!\w)(?P<pre>(?i:{_alternation(prefix_words)}))\s+)?"
    return re.compile(rf"{prefix}{_BEFORE}(?P<a>{plain})(?:\s*-\s*(?P<b>{plain}))?{_AFTER}")


_DATE_KINDS = ("day_range", "full", "iso", "month_year", "day_month", "time_h", "time_colon")
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
# "1/10 - 31/12/2024": the year is written once, on the second date.
_SHARED_YEAR_RANGE_RE = re.compile(
    rf"(?:(?<!\w)(?P<pre>(?i:{_DAY_WORDS_RE}))\s+)?{_BEFORE}(?P<d>{_DAY})/(?P<m>{_MONTH_NUM})\s*-\s*"
    rf"(?P<d2>{_DAY})/(?P<m2>{_MONTH_NUM})/(?P<y>{_YEAR_NUM}){_AFTER}"
)
# "7 - 11h": a bare hour before a time is an hour too.
_HOUR_RANGE_RE = re.compile(rf"{_BEFORE}(?P<a>{_HOUR_NUM})\s*-\s*(?=(?:{_HOUR_NUM})h(?!{_ALNUM}))")
# "09/05/2024 14:30:05": a pause between the date and the time, or the year
# runs straight into the hour.
_DATE_THEN_TIME_RE = re.compile(rf"(?<=[/.-][0-9]{{4}})\s+(?={_HOUR_NUM}(?::[0-5][0-9]|h|g[0-5][0-9]))")
_MONTH_WORD_RE = re.compile(rf"(?<!\w)(?P<pre>(?i:{num.MONTH}))\s+(?P<m>{_MONTH_NUM}){_AFTER}")
# "ngày 9 và 10/5", "các ngày 9, 10 và 11/5/2024": several days of one month.
_DAY_LIST_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?i:{_DAY_WORDS_RE}))\s+(?P<days>{_DAY}(?:\s*,\s*{_DAY})*)(?![0-9])"
    rf"\s*(?P<conj>,\s*và|và|,)\s*(?P<last>{_DAY})(?P<sep>[/.-])(?P<m>{_MONTH_NUM})"
    rf"(?:(?P=sep)(?P<y>{_YEAR_NUM}))?{_AFTER}"
)
_DAY_LIST_SPLIT_RE = re.compile(r"\s*,\s*")
# "mùng 1 - 3 Tết": a range of days with no month.
_MUNG_RANGE_RE = re.compile(rf"(?<!\w)(?P<pre>(?i:mùng|mồng))\s+(?P<a>{_DAY})\s*-\s*(?P<b>{_DAY}){_AFTER}(?![/.-])")


def _second_day_word(pre: str | None, day: int) -> str:
    """The word before the second day of a range: "mùng 1 - 3/5" keeps
    "mùng" (days 1-10 only), anything else is "ngày"."""
    if pre and pre.lower() in ("mùng", "mồng") and day <= 10:
        return pre.lower()
    return num.DAY


def _date_words(m: re.Match[str], dialect: str, day_word: bool, pre: str | None = None) -> str:
    """ "ngày chín tháng năm năm hai nghìn ..." from a match with d/m/y groups."""
    groups = m.groupdict()
    words = [num.DAY] if day_word else []
    if groups.get("d2"):
        second = int(groups["d2"])
        words += [_say_int(int(groups["d"]), dialect), num.RANGE, _second_day_word(pre, second)]
        words.append(_say_int(second, dialect))
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


_RANGE_FOLLOWER_RE = re.compile(rf"\s?(?P<sign>[%‰°])|\s?(?P<word>{_LETTER}+)(?P<year>\s+[0-9]{{4}}(?![0-9]))?")
_RANGE_UNITS = (frozenset(u.lower() for u in units.UNITS) | frozenset(units.MAGNITUDES)) - ctxwords.NOT_RANGE_FOLLOWERS


def _is_count_range(text: str, m: re.Match[str]) -> bool:
    """Is a bare "8-10" a range of counts rather than a date?  Yes before a
    unit, time or counter word ("8-10 giờ", "3-5 năm", "6-11 tuổi", "10-15%";
    ``RANGE_FOLLOWERS``) unless a year follows ("8-10 năm 2024") or a time
    of day or a holiday word comes before ("Sáng 8-10 người dân...", "Dịp lễ
    2-9 ..."); after "từ" too ("từ 10-12 đoàn khách") unless it ends the
    clause, a capitalised word follows or ``DATE_AFTER_RANGE_LEAD`` does
    ("Từ 8-10, ...", "từ 8-10 đến 12-10", "Từ 8-10 các cửa hàng..." stay
    dates).  Never when the first number is not the smaller ("30-4")."""
    if m["b"] or "-" not in m["a"]:
        return False
    low, high = (int(side) for side in m["a"].split("-"))
    if low >= high:
        return False  # "30-4" can only be a date
    previous = _previous_words(text, m.start(), 1)
    if previous and previous[-1] in ctxwords.DATE_LEADS_OVER_RANGE:
        return False
    follow = _RANGE_FOLLOWER_RE.match(text, m.end())
    written = follow["word"] if follow and follow["word"] else ""
    word = written.lower()
    if follow and follow["sign"]:
        return True
    if word and (word in ctxwords.RANGE_FOLLOWERS or word in _RANGE_UNITS):
        return not (word == num.YEAR and follow["year"])
    if previous and previous[-1] in ctxwords.RANGE_LEADS:
        return bool(word) and not written[0].isupper() and word not in ctxwords.DATE_AFTER_RANGE_LEAD
    return False


def _is_date_context(text: str, m: re.Match[str]) -> bool:
    """A bare day/month is a date after a date word, "(", or a weekday, or
    when it cannot be a fraction: "d/m" with the day above the month ("hạn
    chót là 30/6"), unless a ratio or score word comes before ("tỷ lệ 3/1")
    or it is "24/7".  "8-10" with no "ngày" before it is a range, not a date,
    when ``_is_count_range`` says so ("họp từ 8-10 giờ")."""
    if m["pre"]:
        return True
    if _is_count_range(text, m):
        return False
    if text[max(0, m.start() - 3) : m.start()].rstrip().endswith("("):
        return True
    previous = _previous_words(text, m.start())
    if previous and previous[-1] in ctxwords.DATE_CONTEXT:
        return True
    if len(previous) == 2 and previous[0] == "thứ":
        return True
    day, sep, month = re.split(r"([/-])", m["a"])[:3]
    if sep != "/" or m["b"] or m["a"] in ctxwords.NEVER_DATES:
        return False
    if previous and (previous[-1] in ctxwords.RATIO_CONTEXT or previous[-1] in ctxwords.SCORE_CONTEXT):
        return False
    return int(day) > int(month)


def read_dates_and_times(text: str, ctx: _Context) -> str:
    """Dates and clock times.

    - dd/mm/yyyy (also "-" or "." throughout) and ISO yyyy-mm-dd: "ngày chín
      tháng năm năm hai nghìn không trăm hai mươi tư"; no extra "ngày" after
      "ngày"/"mùng" or when "ngày" is one of the two words before ("Ngày
      đăng 2024-09-05"), nor "tháng" after "tháng"; none after a holiday
      word ("dịp lễ 30/4 - 1/5" → "dịp lễ ba mươi tháng tư đến một tháng
      năm").
    - d-d/m: "9-12/5" → "ngày chín đến ngày mười hai tháng năm"; after
      "mùng" the second day keeps "mùng" ("mùng 1 - 3/5", "mùng 1 - 3 Tết").
    - "ngày 9 và 10/5", "các ngày 9, 10 và 11/5": "ngày chín và mười tháng
      năm"; "1/10 - 31/12/2024": the year once, after the second date.
    - d/m and d-m after a date word (ngày, sáng, chiều, từ, đến, dịp, "(",
      a weekday...), or when the day is above the month ("là 30/6"): "3/5
      tiêu chí" stays a fraction, "24/7" too; a bare "8-10" before a unit or
      counter word, or after "từ", is a range ("họp từ 8-10 giờ").
    - m/yyyy (years 1900-2100): "tháng năm năm hai nghìn ..."; after "quý",
      "đợt", "kỳ"... (``SERIAL_WORDS``) it is a number of that year: "quý
      một năm ...".
    - "tháng 4" → "tháng tư".
    - 14h30, 14h, 14g30, 14:30, 02:46:38; "a - b" of any of these is "a đến b",
      and so is "7 - 11h" ("bảy đến mười một giờ").
    Limits: two-digit years and lunar-calendar words are not handled; a
    bare "3/5" with no date word stays a fraction even when it is a date.
    """
    if not _has_digit(text):
        return text
    dialect = ctx.dialect
    text = _DATE_THEN_TIME_RE.sub(", ", text)

    def day_list(m: re.Match[str]) -> str:
        days = [_say_int(int(d), dialect) for d in _DAY_LIST_SPLIT_RE.split(m["days"])]
        conj = f" {abbr.AND} " if "và" in m["conj"] else ", "
        words = f"{m['pre']} {', '.join(days)}{conj}{_say_int(int(m['last']), dialect)}"
        words += f" {num.MONTH} {_say_month(int(m['m']), dialect)}"
        if m["y"]:
            words += f" {num.YEAR} {_say_int(m['y'], dialect)}"
        return _spaced(words)

    text = _DAY_LIST_RE.sub(day_list, text)

    def mung_range(m: re.Match[str]) -> str:
        second = int(m["b"])
        return _spaced(
            f"{m['pre']} {_say_int(int(m['a']), dialect)} {num.RANGE} "
            f"{_second_day_word(m['pre'], second)} {_say_int(second, dialect)}"
        )

    text = _MUNG_RANGE_RE.sub(mung_range, text)

    def shared_year(m: re.Match[str]) -> str:
        first = f"{_say_int(int(m['d']), dialect)} {num.MONTH} {_say_month(int(m['m']), dialect)}"
        second = f"{num.DAY} {_say_int(int(m['d2']), dialect)} {num.MONTH} {_say_month(int(m['m2']), dialect)}"
        head = m["pre"] or (num.DAY if num.DAY not in _previous_words(m.string, m.start(), 2) else "")
        return _spaced(f"{head} {first} {num.RANGE} {second} {num.YEAR} {_say_int(m['y'], dialect)}")

    text = _SHARED_YEAR_RANGE_RE.sub(shared_year, text)
    text = _HOUR_RANGE_RE.sub(lambda m: _spaced(f"{_say_int(int(m['a']), dialect)} {num.RANGE}"), text)

    def replace(kind: str):
        single = _DATE_PATTERNS[kind][0]

        def sub(m: re.Match[str]) -> str:
            pre = m.groupdict().get("pre")
            if kind == "day_month" and not _is_date_context(m.string, m):
                return m.group(0)
            sides = [single.fullmatch(m["a"])] + ([single.fullmatch(m["b"])] if m["b"] else [])
            if not all(sides) or any(s.groupdict().get("sep", "") != s.groupdict().get("sep2", "") for s in sides):
                return m.group(0)
            previous = _previous_words(m.string, m.start(), 2)
            if kind.startswith("time"):
                said = [_time_words(s, dialect) for s in sides]
                return _spaced(f" {num.RANGE} ".join(said))
            if kind == "month_year":
                if not all(1900 <= int(s["y"]) <= 2100 for s in sides):
                    return m.group(0)
                if not pre and previous and previous[-1] in ctxwords.SERIAL_WORDS:
                    s = sides[0]
                    return _spaced(f"{_say_int(int(s['m']), dialect)} {num.YEAR} {_say_int(s['y'], dialect)}")
                said = [_date_words(s, dialect, day_word=False) for s in sides]
                already_said = bool(pre) or previous[-1:] == [num.MONTH]
            else:
                said = [_date_words(s, dialect, day_word=True, pre=pre) for s in sides]
                already_said = bool(pre) or bool(previous and previous[-1] in ctxwords.DAY_WORDS)
                already_said = already_said or num.DAY in previous
                already_said = already_said or bool(previous and previous[-1] in ctxwords.HOLIDAY_CONTEXT)
                if previous and previous[-1] in ctxwords.HOLIDAY_CONTEXT and len(said) > 1:
                    said[1] = said[1].split(" ", 1)[1]
            if already_said:
                # "ngày 9/5", "Cập nhật ngày: 9/5", "tháng 5/2024": the word is written.
                said[0] = said[0].split(" ", 1)[1]
            head = f"{pre} " if pre else ""
            return _spaced(head + f" {num.RANGE} ".join(said))

        return sub

    for kind in _DATE_KINDS:
        text = _DATE_PATTERNS[kind][1].sub(replace(kind), text)

    def month(m: re.Match[str]) -> str:
        return f"{m['pre']} {_say_month(int(m['m']), dialect)}"

    return _MONTH_WORD_RE.sub(month, text)


_ROMAN_LIST_JOINERS = _alternation(ctxwords.ROMAN_LIST_JOINERS)
_ROMAN_ITEM = rf"{_ROMAN_NUMERAL}(?!{_ALNUM}|/)"
_ROMAN_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?i:{_alternation(ctxwords.ROMAN_TRIGGERS)}))\s+"
    rf"(?:(?P<r>{_ROMAN_NUMERAL})/(?P<y>{_YEAR_NUM})(?!{_ALNUM})"
    rf"|(?P<list>{_ROMAN_ITEM}(?:\s*(?:{_ROMAN_LIST_JOINERS})\s*{_ROMAN_ITEM})*))"
)
_ROMAN_HINT_RE = re.compile(rf"\s{_ROMAN_NUMERAL}(?!{_ALNUM})")
_ROMAN_SPLIT_RE = re.compile(rf"({_ROMAN_NUMERAL})")
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
    "Đại hội XIII" → "Đại hội mười ba", "Quý IV" → "Quý bốn", "báo động
    II" → "báo động hai"; after "thứ"/"lần thứ" as an ordinal ("lần thứ IV"
    → "lần thứ tư"); "quý I/2024" → "quý một năm hai nghìn ..."; a list
    after one trigger too ("vùng I, II và III", "khóa IX - X").  Elsewhere
    capitals are left alone.  Limits: up to 399; a numeral separated from
    its trigger by another word ("Đại hội Đảng bộ XI") is not read."""
    if not _ROMAN_HINT_RE.search(text):
        return text
    dialect = ctx.dialect

    def say(numeral: str, ordinal: bool) -> str | None:
        value = _roman_value(numeral)
        if value is None:
            return None
        return _say_ordinal(value, dialect) if ordinal else _say_int(value, dialect)

    def roman(m: re.Match[str]) -> str:
        ordinal = m["pre"].lower() in ctxwords.ROMAN_ORDINAL_TRIGGERS
        if m["y"]:
            said = say(m["r"], ordinal)
            if said is None:
                return m.group(0)
            return f"{m['pre']} {said} {num.YEAR} {_say_int(m['y'], dialect)} "
        # pieces alternate: joiner text, numeral, joiner text, numeral, ...
        pieces = _ROMAN_SPLIT_RE.split(m["list"])
        words: list[str] = []
        for index in range(1, len(pieces), 2):
            said = say(pieces[index], ordinal)
            if said is None:
                if not words:
                    return m.group(0)
                return f"{m['pre']} {' '.join(words)} " + "".join(pieces[index - 1 :])
            joiner = pieces[index - 1].strip()
            if joiner == "-":
                joiner = num.RANGE
            words.append(f"{joiner} {said}".lstrip(" ") if joiner != "," else f", {said}")
        return f"{m['pre']} {' '.join(words)} "

    return _ROMAN_RE.sub(roman, text)


_LIST_LABEL_RE = re.compile(rf"^(?P<r>{_ROMAN_NUMERAL})[.)](?=\s|$)(?P<next>\s*{_LETTER}*)")


def read_list_labels(text: str, ctx: _Context) -> str:
    """A Roman numeral opening a line as a list label ("II. Nhiệm vụ trọng
    tâm", "IV)") is a number: "Hai. Nhiệm vụ trọng tâm".  Digit labels
    ("1. Về kinh tế") are read by the number rules anyway.
    Limits: up to XX, so "C. Ronaldo" and "L. Messi" stay initials; a lone
    "V." or "X." counts only before capitals ("V. KIẾN NGHỊ", not "V. Hùng")."""

    def label(m: re.Match[str]) -> str:
        value = _roman_value(m["r"])
        if value is None or value > 20:
            return m.group(0)
        following = m["next"].strip()
        if m["r"] in ("V", "X") and following and not _is_caps(following):
            return m.group(0)  # "V. Hùng": an initial
        said = _say_int(value, ctx.dialect)
        return said[0].upper() + said[1:] + "." + m["next"]

    return _LIST_LABEL_RE.sub(label, text)


_ORDINAL_RE = re.compile(r"(?<!\w)(?P<pre>(?i:thứ))\s+(?P<n>[0-9]{1,6})(?![0-9]|[.,][0-9])")


def read_ordinals(text: str, ctx: _Context) -> str:
    """ "thứ N" is an ordinal: 1 "nhất", 4 "tư", else the cardinal ("thứ 14"
    "thứ mười bốn").  Weekdays read the same way ("Thứ 4" → "Thứ tư")."""
    if not _has_digit(text):
        return text

    def ordinal(m: re.Match[str]) -> str:
        return f"{m['pre']} {_say_ordinal(int(m['n']), ctx.dialect)}"

    return _ORDINAL_RE.sub(ordinal, text)


_DOTTED_RE = re.compile(rf"(?<![\w.])(?P<key>{_alternation(abbr.DOTTED)})\.[ ]?(?=\S)")
_TITLE_AHEAD_RE = re.compile(rf"(?:{_alternation(abbr.DOTTED)})(?:\.|\s)")
_ACRONYM_RE = re.compile(rf"(?P<open>\()?(?<!{_ALNUM})(?P<key>{_alternation(abbr.ACRONYMS)})(?!{_ALNUM})(?P<close>\))?")
_CREDIT_ACRONYM_RE = re.compile(
    rf"(?P<head>(?<!\w)(?i:{_alternation(ctxwords.CREDIT_WORDS)})[^:()]{{0,20}}:\s*)"
    rf"(?P<key>{_alternation(abbr.CREDIT_ACRONYMS)})(?!{_ALNUM})"
)


def _in_credit(text: str, pos: int) -> bool:
    """Is ``pos`` right after a credit label ("Ảnh:", "Ảnh minh họa:",
    "Tin, ảnh:")?"""
    before = text[max(0, pos - 30) : pos].rstrip()
    if not before.endswith(":"):
        return False
    return any(word in ctxwords.CREDIT_WORDS for word in _previous_words(before, len(before), 3))


def expand_abbreviations(text: str, ctx: _Context) -> str:
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
        key, text_ = m["key"], m.string
        follow = text_[m.end() : m.end() + 2]
        if len(key) == 1 and _in_credit(text_, m.start()):
            return m.group(0)
        is_name = len(follow) == 2 and follow[0] in _VN_UPPER and follow[1] in _VN_LOWER
        ok = (
            is_name
            or (ctx.heading and follow[:1] in _VN_UPPER)
            or (follow[:1].isdigit() and key in abbr.DOTTED_BEFORE_NUMBER)
            or bool(_TITLE_AHEAD_RE.match(text_, m.end()))
        )
        return f"{abbr.DOTTED[key]} " if ok else m.group(0)

    def credit(m: re.Match[str]) -> str:
        return m["head"] + abbr.CREDIT_ACRONYMS[m["key"]]

    def acronym(m: re.Match[str]) -> str:
        if m["key"] in units.UNITS and not m["open"]:
            previous = _previous_words(m.string, m.start(), 1)
            if previous and (previous[0].isdigit() or previous[0] in units.MAGNITUDES):
                return m.group(0)  # "4.000 USD/người": a unit, read with its number
        value = abbr.ACRONYMS[m["key"]]
        if m["open"] and m["close"]:
            # "Tổ chức Y tế Thế giới (WHO)": the definition was just read.
            if _restated(m.string[: m.start()], (value,)):
                return ""
        return f"{m['open'] or ''}{value}{m['close'] or ''}"

    text = _DOTTED_RE.sub(dotted, text)
    text = _CREDIT_ACRONYM_RE.sub(credit, text)
    return _ACRONYM_RE.sub(acronym, text)


_PHONE_RE = re.compile(
    r"(?<![0-9.,+])(?:(?:\+84[ .]?|\(0[0-9]{2,3}\)\s?|0)[0-9]{1,4}(?:[ .][0-9]{2,4}){1,4}"
    r"|1[89]00[ .]?[0-9]{2,4}(?:[ .][0-9]{2,4}){0,2})(?![0-9]|[.,][0-9])"
)
_CONTEXT_PHONE_RE = re.compile(
    r"(?P<lead>(?<!\w)(?P<word>\w+)\s*(?::\s*|\s+số\s*:?\s*|\s+))"
    r"(?P<number>\+?[0-9]{3,}(?:[ .-][0-9]{2,5}){0,4})(?![0-9]|[.,][0-9])"
)


def _say_phone(raw: str) -> str:
    groups = raw.replace(".", " ").replace("-", " ").replace("(", " ").replace(")", " ").split()
    said = []
    for group in groups:
        prefix = [num.PLUS] if group.startswith("+") else []
        said.append(" ".join(prefix + _digit_words(group)))
    return _spaced(", ".join(said))


def read_phone_numbers(text: str, ctx: _Context) -> str:
    """Phone numbers, digit by digit with a short pause between groups:
    - written in groups ("0277 3851 234", "0918.123.456", "+84 277 3851
      234", "(0277) 3851 234", "1900 1234", "1900.9095"), at least 8
      digits;
    - any number of 3+ digits right after a phone word (``PHONE_CONTEXT``:
      "gọi 115", "đường dây nóng: 1022", "tổng đài số 1900 1234"); a label
      from ``PHONE_LABELS`` before it is read as a word ("ĐT:" →
      "điện thoại:").
    Unseparated long ones are caught by ``read_numbers``.
    Limits: a short number after "điện thoại" that is not a phone number
    ("điện thoại 200 chiếc") is read digit by digit too."""
    if not _has_digit(text):
        return text

    def phone(m: re.Match[str]) -> str:
        raw = m.group(0)
        if sum(ch.isdigit() for ch in raw) < 8:
            return raw
        return _say_phone(raw)

    def after_word(m: re.Match[str]) -> str:
        word = m["word"]
        if word.lower() not in ctxwords.PHONE_CONTEXT:
            return m.group(0)
        lead = m["lead"]
        if word in abbr.PHONE_LABELS:
            if not m["number"].startswith(("0", "+")):
                return m.group(0)  # "ĐT 91234 TS" is a boat, not a phone
            lead = abbr.PHONE_LABELS[word] + lead[len(word) :]
        return lead + _say_phone(m["number"])

    text = _CONTEXT_PHONE_RE.sub(after_word, text)
    return _PHONE_RE.sub(phone, text)


_NUM = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3}){2,}(?![0-9]|,[0-9])"  # English thousands, two commas or more: 1,000,000
    r"|[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])|[0-9]+(?:\.[0-9]+)+|[0-9]+)(?:,[0-9]+)?(?![0-9])"
)
_ENGLISH_THOUSANDS_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){2,}")
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
# "3 x 4 m", "20x30 cm", "4,5 m x 2 m": a unit may stand between the first number and the sign.
_TIMES_RE = re.compile(rf"(?<=[0-9])(?P<unit>\s?(?:{_alternation(units.UNITS)})(?!{_ALNUM}))?\s*[xX×]\s*(?=[0-9])")
# "1m75", "2m5": metres, then the centimetres (or tenths) said as a number.  Not "1m2"/"1m3",
# which are square and cubic metres.
_METRES_RE = re.compile(r"(?<![\w.,])(?P<m>[0-9]{1,2})m(?P<rest>[0-9]{2}|[014-9])(?![\w]|[.,][0-9])")
_CURRENCY_RE = re.compile(
    rf"(?<![\w$€£¥])(?P<cur>{_alternation(units.CURRENCY_PREFIXES)})\s?(?P<num>[0-9][0-9.,]*[0-9]|[0-9])"
    rf"(?P<mags>(?:\s+(?:{_alternation(units.MAGNITUDES)})(?!{_ALNUM}))*)"
)
_COLON_RE = re.compile(r"(?<=[0-9]):(?=[0-9])")
_FRACTION_RE = re.compile(r"(?<![0-9.,/])(?P<a>[0-9]{1,2})/(?P<b>[0-9]{1,3})(?![0-9/]|[.,][0-9])")
_SLASH_RE = re.compile(r"(?<=[0-9])/(?=[0-9])")
_LETTER_HYPHEN_DIGIT_RE = re.compile(rf"(?<={_LETTER})-(?=[0-9])")
# "D01", "A00": a code glued to letters, with its leading zero, is read digit by digit.
_LETTER_ZERO_DIGITS_RE = re.compile(rf"(?<={_LETTER})0[0-9]+(?![0-9]|[.,][0-9])")


def _numeral_words(token: str, dialect: str) -> list[str]:
    """One number as written: "3.500.000" (thousands), "12,5" (decimal
    comma), "1,000,000" (two commas or more: English thousands), "4.0" (dot
    not grouping thousands: "chấm"), "0277385123" or any run of 8+ digits
    (digit by digit)."""
    if _ENGLISH_THOUSANDS_RE.fullmatch(token):
        return _cardinal_words(token.replace(",", ""), dialect)
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


def _is_score(m: re.Match[str]) -> bool:
    """ "a-b" is a score after "tỷ số", "thắng", "thua"..., or after a
    result verb earlier in the same clause ("thắng U23 Thái Lan 2-0") when
    both sides are small bare numbers."""
    previous = _previous_words(m.string, m.start(), 1)
    if previous and previous[-1] in ctxwords.SCORE_CONTEXT:
        return True
    if not re.fullmatch(r"[0-9]{1,2}\s*-\s*[0-9]{1,2}", m.group(0).strip()):
        return False
    clause = re.split(r"[,;:.!?]", m.string[max(0, m.start() - 60) : m.start()])[-1].lower()
    return any(re.search(rf"(?<!\w){verb}(?!\w)", clause) for verb in ctxwords.SCORE_VERBS)


def read_numbers(text: str, ctx: _Context) -> str:
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
    if not _has_digit(text):
        return text
    dialect = ctx.dialect

    def metres(m: re.Match[str]) -> str:
        rest = m["rest"]
        said = " ".join(_digit_words(rest)) if rest.startswith("0") else _say_int(rest, dialect)
        return _spaced(f"{_say_int(m['m'], dialect)} {num.METRE} {said}")

    text = _METRES_RE.sub(metres, text)
    text = _LETTER_ZERO_DIGITS_RE.sub(lambda m: _spaced(" ".join(_digit_words(m.group(0)))), text)
    text = _LETTER_HYPHEN_DIGIT_RE.sub(" ", text)
    text = _PLUS_RE.sub(_spaced(num.PLUS), text)
    text = _TIMES_RE.sub(lambda m: f"{m['unit'] or ''} {num.TIMES} ", text)

    def currency(m: re.Match[str]) -> str:
        return _spaced(f"{m['num']}{m['mags']} {units.CURRENCY_PREFIXES[m['cur']]}")

    text = _CURRENCY_RE.sub(currency, text)

    def fraction(m: re.Match[str]) -> str:
        a, b = int(m["a"]), int(m["b"])
        previous = _previous_words(m.string, m.start(), 1)
        is_part = 0 < a < b <= 10 and (
            _next_word(m.string, m.end()) in ctxwords.FRACTION_WHOLES
            or bool(previous and previous[0] in ctxwords.FRACTION_LEADS)
        )
        if not is_part:
            return m.group(0)
        denominator = num.PART_DENOMINATORS.get(b) or _say_int(b, dialect)
        return _spaced(f"{_say_int(a, dialect)} {num.PART} {denominator}")

    text = _FRACTION_RE.sub(fraction, text)
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
        joiner = " " if m["b"] and _is_score(m) else f" {num.RANGE} "
        return _spaced(joiner.join(said))

    return _QUANTITY_OR_RANGE_RE.sub(quantity, text)


_PAUSE_MARKS = ",.;:?!…"
_SPACED_DASH_RE = re.compile(r"(?:^|\s)-+(?:\s|$)")
_WORD_SLASH_RE = re.compile(rf"(?<!{_LETTER})(?P<left>{_LETTER}+)\s*/\s*(?=(?P<right>{_LETTER}+))")
_SLASH_UNITS = {**units.UNITS, **units.DENOMINATORS}
# "người/km²", "đồng/kg" with no number before: the unit after "/" is still a unit.
_SLASH_UNIT_RE = re.compile(
    rf"(?<={_LETTER})\s*/\s*(?P<unit>{_alternation(k for k in _SLASH_UNITS if len(k) > 1)})(?!{_ALNUM})"
)
_SYMBOL_TABLE = {dialect: {k: _pick(v, dialect) for k, v in sym.SYMBOLS.items()} for dialect in _DIALECTS}


def read_symbols(text: str, ctx: _Context) -> str:
    """Punctuation and symbols after the numbers are read.

    - A dash with spaces around it ("kinh tế - xã hội", "ĐTO - ") is a
      pause (","); a hyphen inside a word ("Mát-xcơ-va") joins syllables
      (" "); a dash is never "trừ".
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
    text = _SPACED_DASH_RE.sub(", ", text)

    def slash(m: re.Match[str]) -> str:
        left, right = m["left"], m["right"]
        if left.lower() in units.TIME_NOUNS and right.lower() in units.TIME_NOUNS:
            return f"{left}, "
        is_rate = left in units.PER_NOUNS or right in units.PER_DENOMINATOR_NOUNS
        return f"{left} {num.PER} " if is_rate else f"{left}, "

    text = _SLASH_UNIT_RE.sub(lambda m: f" {num.PER} {_pick(_SLASH_UNITS[m['unit']], ctx.dialect)} ", text)
    text = _WORD_SLASH_RE.sub(slash, text)
    table = _SYMBOL_TABLE[ctx.dialect]
    out = []
    for ch in text:
        if ch in table:
            out.append(_spaced(table[ch]))
        elif ch in sym.PAUSE_BRACKETS or ch in sym.PAUSE_SEPARATORS:
            out.append(", ")
        elif ch.isalpha() or ch.isdecimal() or ch == " " or ch in _PAUSE_MARKS:
            out.append(ch)
        elif "\ue000" <= ch <= "\uf8ff":
            out.append(ch)  # a protected reading
        elif unicodedata.category(ch).startswith("M"):
            # A combining mark that did not compose stays with its letter; alone it cannot be said.
            previous = out[-1][-1:] if out else ""
            out.append(ch if previous and (previous.isalpha() or unicodedata.category(previous)[0] == "M") else " ")
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
# Nor is the dot after an initial before a name ("H.Long", "T.Hương").
_INITIAL_NAME_RE = re.compile(rf"(?<![^\W_.])([{letters.UPPER}])\.(?=[{letters.UPPER}][{letters.LOWER}])")


def _is_caps(word: str) -> bool:
    return word.isupper() and all(ch in _VN_UPPER for ch in word)


def _sentence_case(text: str) -> str:
    """Capitalise the first letter, unless a protected reading comes first
    (it keeps its own capitals)."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if "\ue000" <= ch <= "\uf8ff":
            return text
    return text


def read_capitals(text: str, ctx: _Context) -> str:
    """Words written in capitals that no table expanded.

    - Whole input in capitals (a heading): a word that could be a Vietnamese
      syllable is lower-cased, anything else ("XYZ") is spelled, and the
      result gets sentence case.  Acronyms and definitions were already
      expanded and keep their own capitals.
    - Mixed-case text: an unknown acronym is spelled with letter names
      ("XYZ" → "ích i dét", a lone consonant "P" → "pê"; a lone vowel is a
      word and stays).  A phrase of capitals is emphasis and is lower-cased
      instead when one of its words has a Vietnamese diacritic ("ĐIỆN TỬ")
      or when it has two or more words that all could be syllables ("TIN
      VUI"); then its syllable-like words are lower-cased.
    - Initials: "P.L" → "pê e lờ", "H.Long" → "hát Long".
    Limits: a single diacritic-free caps word in running text ("VUI") is
    spelled; only Latin letters are handled."""
    text = _INITIALS_RE.sub(" ", text)
    text = _INITIAL_NAME_RE.sub(r"\1 ", text)
    tokens = list(_WORD_RE.finditer(text))
    caps = [_is_caps(t.group(0)) for t in tokens]
    # Group consecutive capitalised words separated only by spaces: a phrase
    # in capitals is treated like a small heading.
    emphasis = [False] * len(tokens)
    start = 0
    for i in range(1, len(tokens) + 1):
        joined = (
            i < len(tokens) and caps[i] and caps[i - 1] and not text[tokens[i - 1].end() : tokens[i].start()].strip()
        )
        if not joined:
            phrase = [tokens[j].group(0) for j in range(start, i) if caps[j]]
            has_diacritic = any(_DIACRITICS & set(word) for word in phrase)
            all_syllables = len(phrase) >= 2 and all(len(w) > 1 and _is_syllable(w) for w in phrase)
            for j in range(start, i):
                emphasis[j] = has_diacritic or all_syllables
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
        elif emphasis[i] and _is_syllable(word):
            said = word.lower()
        else:
            said = _spell(word)
        out += [text[last : token.start()], said]
        last = token.end()
    out.append(text[last:])
    result = "".join(out)
    return _sentence_case(result) if ctx.heading else result


_ASCII_DIGITS_RE = re.compile(r"[0-9]+")


def read_leftover_digits(text: str, ctx: _Context) -> str:
    """Safety net: any ASCII digit no rule consumed is read one by one, so
    the output never contains a digit."""
    if not _has_digit(text):
        return text
    return _ASCII_DIGITS_RE.sub(lambda m: _spaced(" ".join(_digit_words(m.group(0)))), text)


def restore_protected(text: str, ctx: _Context) -> str:
    """The lexicon and definition readings go back in place of their
    placeholders, as they are (only spaces are tidied afterwards)."""
    if not ctx.protected:
        return text

    def restore(m: re.Match[str]) -> str:
        index = ord(m.group(0)) - _PROTECT_FIRST
        return _spaced(ctx.protected[index]) if index < len(ctx.protected) else " "

    return _PROTECTED_RE.sub(restore, text)


_SPACE_BEFORE_PAUSE_RE = re.compile(r"\s+([,.;:?!…])")
_REPEATED_COMMA_RE = re.compile(r"([,;:])(?:\s*[,;:])+")
_REPEATED_STOP_RE = re.compile(r"([.?!…])(?:\s*[.?!…])+")
_COMMA_BEFORE_STOP_RE = re.compile(r"[,;:]\s*([.?!…])")
_STOP_BEFORE_COMMA_RE = re.compile(r"([.?!…])\s*[,;:]")
_NO_SPACE_AFTER_PAUSE_RE = re.compile(rf"([,;:.?!…])(?={_LETTER})")


def tidy(text: str, ctx: _Context) -> str:
    """Single spaces, no space before a pause mark and one after it, no
    doubled or dangling pauses ("!!!" → "!", ", ," → ","), NFC."""
    text = _SPACES_RE.sub(" ", text)
    text = _SPACE_BEFORE_PAUSE_RE.sub(r"\1", text)
    text = _REPEATED_COMMA_RE.sub(r"\1", text)
    text = _COMMA_BEFORE_STOP_RE.sub(r"\1", text)
    text = _STOP_BEFORE_COMMA_RE.sub(r"\1", text)
    text = _REPEATED_STOP_RE.sub(r"\1", text)
    text = _NO_SPACE_AFTER_PAUSE_RE.sub(r"\1 ", text)
    # str.strip, not a regex: a "[,;: ]+$" pattern is quadratic on long runs.
    text = text.lstrip(" ,;:.?!…").rstrip(" ,;")
    return unicodedata.normalize("NFC", _SPACES_RE.sub(" ", text).strip())


_RULES: tuple[_Rule, ...] = (
    join_apostrophe_names,
    read_web_addresses,
    read_unicode_fractions,
    read_number_prefixes,
    read_vehicle_plates,
    read_standard_codes,
    read_document_codes,
    read_dates_and_times,
    read_roman_numerals,
    read_list_labels,
    read_ordinals,
    expand_abbreviations,
    read_phone_numbers,
    read_numbers,
    read_symbols,
    read_capitals,
    read_leftover_digits,
    restore_protected,
    tidy,
)


def _check_dialect(dialect: str) -> None:
    if dialect not in _DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {_DIALECTS}")


def _is_heading(text: str) -> bool:
    """No lower-case letter, and at least two capitalised words that could be
    Vietnamese syllables ("KINH TẾ"), so a line of codes or acronyms alone
    ("12/2015/NĐ-CP", "UBND HĐND") is not taken for a heading.  Protected
    readings (lexicon, definitions) do not count."""
    words = _WORD_RE.findall(text)
    if any(ch.islower() for w in words for ch in w):
        return False
    return sum(1 for w in words if _is_caps(w) and _is_syllable(w)) >= 2


def _lexicon_items(lexicon: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    if not lexicon:
        return ()
    try:
        return tuple((k, v) for k, v in lexicon.items() if isinstance(k, str) and isinstance(v, str))
    except AttributeError:
        return ()


def _normalize_text(
    text: str, dialect: str, lexicon: tuple[tuple[str, str], ...], definitions: Mapping[str, str], learn: bool
) -> str:
    """The rules in order.  ``learn``: add what this sentence itself defines
    to ``definitions`` (the caller's entries win)."""
    ctx = _Context(dialect=dialect, lexicon=lexicon)
    text = clean_text(text, ctx)
    if learn and ("(" in text or "," in text):
        local = _find_definitions_clean(text)
        if local:
            definitions = {**local, **definitions}
    ctx = _Context(dialect=dialect, lexicon=lexicon, definitions=definitions, protected=ctx.protected)
    text = apply_lexicon(text, ctx)
    ctx = _Context(dialect, _is_heading(text), lexicon, definitions, ctx.protected)
    text = apply_definitions(text, ctx)
    ctx = _Context(dialect, _is_heading(text), lexicon, definitions, ctx.protected)
    for rule in _RULES:
        text = rule(text, ctx)
    return text


def normalize(
    text: str,
    dialect: Dialect = "north",
    *,
    lexicon: Mapping[str, str] | None = None,
    definitions: Mapping[str, str] | None = None,
) -> str:
    """One sentence of display text (Vietnamese) -> the text the engine
    should say.

    ``lexicon``: the newsroom's words as written → how to say them; whole
    words, case-sensitive, longest first, before any other rule, and final.
    ``definitions``: abbreviations the article defined so far (from
    :func:`find_definitions`), read as their long form; they beat the
    built-in table, the lexicon beats them.  What this sentence itself
    defines is learned too.

    The result is NFC, single-spaced, stripped, contains no ASCII digit
    (unless a lexicon reading has one) and no raw URL; only ", . ; : ? ! …"
    remain as punctuation.  It never raises on any ``str``; an unknown
    ``dialect`` is a ValueError.
    """
    _check_dialect(dialect)
    if not isinstance(text, str):
        raise TypeError(f"normalize() needs a str, not {type(text).__name__}")
    safe_definitions: Mapping[str, str] = {}
    if definitions:
        safe_definitions = {k: v for k, v in definitions.items() if isinstance(k, str) and isinstance(v, str)}
    return _normalize_text(text, dialect, _lexicon_items(lexicon), safe_definitions, learn=True)
