"""Abbreviations an article defines ("Thông tin đối ngoại (TTĐN)"): found, learned, and read as their
long form."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from readaloud.text.clean import clean_speech_text
from readaloud.text.normalize.capitals import is_syllable
from readaloud.text.normalize.common import LETTER, alternation, fold, restated
from readaloud.text.normalize.context import Context
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import letters

# An abbreviation as written: letters (any case), "&", and inner ". - '".
_ABBR_TOKEN = r"[^\W\d_](?:[\w&.'-]{0,14}[^\W_])?"
_QUOTES = "\"“”'‘’«»"
_DEF_LEADS = alternation(ctxwords.DEFINITION_LEADS)
_DEF_PAREN_RE = re.compile(r"\(([^()]{1,80})\)")
_DEF_INNER_RE = re.compile(
    rf"(?P<lead>(?i:{_DEF_LEADS})\s*:?\s*)?(?P<head>(?:{LETTER}+\s+){{0,2}})"
    rf"[{_QUOTES}]?(?P<abbr>{_ABBR_TOKEN})[{_QUOTES}]?\s*[.,;]?"
)
_DEF_COMMA_RE = re.compile(
    rf",\s*(?P<lead>(?i:{_DEF_LEADS}))\s*:?\s*[{_QUOTES}]?(?P<abbr>{_ABBR_TOKEN})[{_QUOTES}]?(?![\w&])"
)
_DEF_BOUNDARY_RE = re.compile(r"[;:!?()\[\]{}“”\"]|\.(?=\s)")
_DEF_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*|&")
_AND_FOLDED = fold(ctxwords.AND_WORD)
_SKIPPABLE_FOLDED = frozenset(fold(w) for w in ctxwords.SKIPPABLE_IN_ABBREVIATION)


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
                parts.append(fold(ch))
            else:
                parts[-1] += fold(ch)
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
    folded = [fold(w.group(0)) for w in found]
    head_words = [fold(w) for w in head.split()]
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
    return _definitions_in_clean(clean_speech_text(text))


_CAPS_WORD_RE = re.compile(rf"(?<![^\W_])[{letters.UPPER}]{{3,}}(?![^\W_])")
_KNOWN_CAPS = (abbr.ACRONYMS, abbr.SPELLED, abbr.SAID_AS_WORDS)
_NAME_WORD_RE = re.compile(rf"(?<![^\W_])[{letters.UPPER}][{letters.LOWER}]+(?![^\W_])")


def names_in_capitals(texts: Iterable[str]) -> dict[str, str]:
    """Words an article writes in capitals in one place and as a name in another ("Viện thẩm mỹ LUX" and
    "Lux"): capitals → the name, for the whole article, so that the capitals are read as the name and not
    spelled. Only words of three or more capitals that the abbreviation tables do not know and that
    cannot be a Vietnamese syllable (those are read as words already). One pass over the article."""
    joined = "\n".join(texts)
    names = set(_NAME_WORD_RE.findall(joined))
    found: dict[str, str] = {}
    for token in sorted(set(_CAPS_WORD_RE.findall(joined))):
        name = token[0] + token[1:].lower()
        if name in names and not is_syllable(token) and not any(token in table for table in _KNOWN_CAPS):
            found[token] = name
    return found


def _definitions_in_clean(text: str) -> dict[str, str]:
    """:func:`find_definitions` on text the speech cleaner has already cleaned."""
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


def learn_definitions(text: str, ctx: Context) -> str:
    """What this line itself defines joins the article's definitions (the
    caller's entries win); the text is unchanged.  Not for a long form read
    on its own (``ctx.learn`` is off)."""
    if ctx.learn and ("(" in text or "," in text):
        local = _definitions_in_clean(text)
        if local:
            ctx.definitions = {**local, **ctx.definitions}
    return text


@lru_cache(maxsize=64)
def _defined_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?<![^\W_]|[/&.'-])(?:{alternation(keys)})(?![^\W_]|[/&'][^\W_]|-[^\W\d_]|\.[^\W_])")


def apply_definitions(text: str, ctx: Context) -> str:
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
        if inner["lead"] or restated(m.string[: m.start()], (definitions[inner["abbr"]],)):
            return " "
        return m.group(0)

    def named(m: re.Match[str]) -> str:
        return " " if m["abbr"] in definitions else m.group(0)

    text = _DEF_PAREN_RE.sub(bracket, text)
    text = _DEF_COMMA_RE.sub(named, text)

    def use(m: re.Match[str]) -> str:
        key = m.group(0)
        if ctx.heading and is_syllable(key):
            return key
        return ctx.protect(ctx.say_alone(definitions[key]))

    return _defined_pattern(present).sub(use, text)
