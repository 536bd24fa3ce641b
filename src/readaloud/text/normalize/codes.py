"""Codes read as a presenter says them: technical standards ("ISO 9001:2015") and official document
numbers ("1079/QĐ-TTg" → "... của Thủ tướng")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from readaloud.text.normalize.cardinal import digit_words, numeral_words, say_digits, say_int
from readaloud.text.normalize.common import ALNUM, LETTER, alternation, has_digit, spaced
from readaloud.text.normalize.context import Context
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import numbers as num

_STANDARD_NAMES = alternation(ctxwords.STANDARDS)
_STANDARD_RE = re.compile(
    rf"(?<![\w/.-])(?P<std>(?:{_STANDARD_NAMES})(?:\s?/\s?(?:{_STANDARD_NAMES}))*)\s?(?P<num>[0-9]+(?:\.[0-9]+)*)"
    r"(?:-(?P<part>[0-9]{1,2})(?![0-9]))?(?:[:-](?P<y>(?:19|20)[0-9]{2}))?(?![0-9]|[.,][0-9])"
    rf"(?:/(?P<issuer>{LETTER}+)(?!{ALNUM}|/))?"
)
_STANDARD_JOIN_RE = re.compile(r"\s?/\s?")

_CODE_RE = re.compile(rf"(?<![\w/.,-])[0-9]+(?:[/-]{ALNUM}+)+")
_CODE_SPLIT_RE = re.compile(r"[/-]")
_CODE_PART_RE = re.compile(rf"({LETTER}+)([0-9]*)")
_CODE_WORDS = {**abbr.CODE_KINDS, **abbr.CODE_ISSUERS}
_CODE_BY_UPPER: dict[str, list[str]] = {}
for _key in _CODE_WORDS:
    _CODE_BY_UPPER.setdefault(_key.upper(), []).append(_key)
_CODE_FOLDED = {upper: keys[0] for upper, keys in _CODE_BY_UPPER.items() if len(keys) == 1}
_TRAILING_NUMBER_WORD_RE = re.compile(rf"(?:\s+{ctxwords.NUMBER_WORD})?\s*$")
# What may stand between a code and the issuer named after it:
# "số 12/QĐ-UBND ngày 5/6/2023 của UBND tỉnh".
_AFTER_CODE_RE = re.compile(
    rf"(?:,\s*)?(?:(?:{alternation(ctxwords.CODE_ISSUE_VERBS)})\s+)?"
    rf"(?:{num.DAY}\s+[0-9]{{1,2}}(?:[/.-][0-9]{{1,2}}(?:[/.-][0-9]{{4}})?"
    rf"|\s+{num.MONTH}\s+[0-9]{{1,2}}(?:\s+{num.YEAR}\s+[0-9]{{4}})?)\s*,?\s*)?"
)


_NAMED_CODE_RE = re.compile(rf"(?<![\w-])(?:{alternation(ctxwords.NAMED_CODES)})(?![\w-])")
# "OM5451", "IR 50404", "ST25": a variety or product code of two capitals and its number.
_PRODUCT_CODE_RE = re.compile(r"(?<![\w.,/-])(?P<code>[A-Z]{2})(?P<gap>\s?)(?P<n>[0-9]{4,})(?![\w]|[.,/-][0-9])")
_LONG_CODE_DIGITS = 5
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")


def read_product_codes(text: str, ctx: Context) -> str:
    """Named codes first (``NAMED_CODES``: "SARS-CoV-2", "3D" → "ba đê"),
    then rice varieties and product codes: two capitals and a run of 4+
    digits, glued ("OM5451") or after one space ("IR 50404"), are read digit
    by digit ("ô em năm bốn năm một"), as agronomists and presenters say
    them.  After a space a 4-digit year ("VN 2024") is left alone; short
    numbers ("ST25") stay cardinals; a number prefix ("BN2899") is the
    plates rule's."""
    text = _NAMED_CODE_RE.sub(lambda m: spaced(ctxwords.NAMED_CODES[m.group(0)]), text)
    if not has_digit(text):
        return text

    def product(m: re.Match[str]) -> str:
        digits = m["n"]
        if m["code"] in abbr.NUMBER_PREFIXES:  # a word before its number ("BN2899": bệnh nhân + cardinal)
            return m.group(0)
        if m["gap"] and len(digits) < _LONG_CODE_DIGITS and _YEAR_RE.fullmatch(digits):
            return m.group(0)
        return f"{m['code']} {say_digits(digits)} "

    return _PRODUCT_CODE_RE.sub(product, text)


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


def _standard_number_words(number: str, dialect: str) -> list[str]:
    """A number with a leading zero ("01") is read digit by digit."""
    if number.startswith("0") and len(number) > 1 and "." not in number:
        return digit_words(number)
    return numeral_words(number, dialect)


def read_standard_codes(text: str, ctx: Context) -> str:
    """Technical standards (``STANDARDS``): "ISO 9001:2015" → "ISO chín
    nghìn không trăm linh một năm hai nghìn không trăm mười lăm", "TCVN
    4054-2005" (the year after "-"), "ISO 8601-1:2019" ("phần một"), "QCVN
    01:2021/BXD" ("... của Bộ Xây dựng").  The colon is not a clock time or a
    ratio and the "-" is not a range.  The standard's name is left for the
    abbreviation rules; a number with a leading zero ("01") is read digit by
    digit.  Before document codes and dates.
    Limits: an issuer after "/" that ``CODE_ISSUERS`` does not know is left
    as written."""
    if not has_digit(text):
        return text
    dialect = ctx.dialect

    def standard(m: re.Match[str]) -> str:
        words = _standard_number_words(m["num"], dialect)
        if m["part"]:
            words += [num.STANDARD_PART, say_int(int(m["part"]), dialect)]
        if m["y"]:
            words += [num.YEAR, say_int(m["y"], dialect)]
        tail = ""
        if m["issuer"]:
            key = _code_keys(m["issuer"])
            if len(key) == 1 and key[0] in abbr.CODE_ISSUERS:
                words += [abbr.OF, abbr.CODE_ISSUERS[key[0]]]
            else:
                tail = "/" + m["issuer"]
        std = _STANDARD_JOIN_RE.sub(" ", m["std"])  # "ISO/IEC 17025" is said as two names
        return f"{std} {' '.join(words)} {tail}"

    return _STANDARD_RE.sub(standard, text)


def _code_number(digits: str, first: bool, dialect: str) -> str:
    if len(digits) >= 8:
        return say_digits(digits)
    if not first and len(digits) == 4 and 1900 <= int(digits) <= 2100:
        # "72/2015/NĐ-CP": the year of issue, said as "năm 2015", never a date.
        return f"{num.YEAR} {say_int(digits, dialect)}"
    return say_int(digits, dialect)


@dataclass
class _CodeReading:
    """What one document code says, gathered part by part.  ``before`` and
    ``after`` are the nearby text (case-folded): a kind said before the code
    and an issuer named after it are not repeated."""

    dialect: str
    before: str
    after: str
    numbers: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    issuers: list[str] = field(default_factory=list)
    seen_letters: bool = False

    def add_kind(self, key: str) -> None:
        kind = abbr.CODE_KINDS[key]
        names = (kind, *abbr.CODE_KIND_ALIASES.get(key, ()))
        if not any(self.before.endswith(name.casefold()) for name in names):
            self.kinds.append(kind)

    def add_issuer(self, key: str) -> None:
        issuer = abbr.CODE_ISSUERS[key]
        named_next = (f"{abbr.OF} {issuer.casefold()}", f"{abbr.OF} {key.casefold()}")
        if not self.after.startswith(named_next) and issuer not in self.issuers:
            self.issuers.append(issuer)

    def add_letters(self, letters_part: str) -> str:
        """The kinds and issuers one run of letters names; returns the last
        issuer's key ("" if none).  Only the first letters after the number
        can be a kind: later, "TT" is a department, not "thông tư"."""
        said_issuer = ""
        for position, key in enumerate(_code_keys(letters_part)):
            if key in abbr.CODE_KINDS and key not in abbr.CODE_ISSUERS:
                if not (self.seen_letters or position):
                    self.add_kind(key)
                continue
            self.add_issuer(key)
            said_issuer = key
        self.seen_letters = True
        return said_issuer

    def add_digits_after(self, said_issuer: str, digits: str) -> None:
        """Digits glued to letters: a term of the issuer ("QH14" → "Quốc hội
        khóa mười bốn") or one more number."""
        if said_issuer in abbr.CODE_ISSUER_TERMS:
            if self.issuers and self.issuers[-1] == abbr.CODE_ISSUERS[said_issuer]:
                term = abbr.CODE_ISSUER_TERMS[said_issuer]
                self.issuers[-1] += f" {term} {_code_number(digits, False, self.dialect)}"
        else:
            self.numbers.append(_code_number(digits, False, self.dialect))

    def add_part(self, part: str, first: bool) -> None:
        if part.isascii() and part.isdigit():
            self.numbers.append(_code_number(part, first, self.dialect))
            return
        for letters_part, digits in _CODE_PART_RE.findall(part):
            said_issuer = self.add_letters(letters_part)
            if digits:
                self.add_digits_after(said_issuer, digits)

    def words(self) -> str:
        issuers = self.issuers
        if len(issuers) > 1:
            issuers = [", ".join(issuers[:-1]), abbr.AND, issuers[-1]]
        return " ".join(self.numbers + self.kinds + ([abbr.OF, *issuers] if issuers else []))


def _read_code(m: re.Match[str], dialect: str) -> str:
    parts = _CODE_SPLIT_RE.split(m.group(0))
    if not any(p[0].isalpha() and p[0].isupper() for p in parts[1:]):
        return m.group(0)
    before = _TRAILING_NUMBER_WORD_RE.sub("", m.string[max(0, m.start() - 40) : m.start()].casefold())
    rest = m.string[m.end() : m.end() + 100].lstrip()
    skipped = _AFTER_CODE_RE.match(rest)
    after = rest[skipped.end() if skipped else 0 :].casefold()
    reading = _CodeReading(dialect, before, after)
    for index, part in enumerate(parts):
        reading.add_part(part, index == 0)
    return spaced(reading.words())


def read_document_codes(text: str, ctx: Context) -> str:
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
    if not has_digit(text):
        return text
    return _CODE_RE.sub(lambda m: _read_code(m, ctx.dialect), text)
