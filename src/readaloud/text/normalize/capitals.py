"""Words written in capitals, initials, names joined by an apostrophe, and the all-caps heading.

Whether a capitalised word is a Vietnamese syllable (said as a word) or an acronym (spelled with letter
names) is judged here, and so is whether a whole line is a heading written in capitals.
"""

from __future__ import annotations

import re
import unicodedata

from readaloud.text.normalize.common import LETTER, VN_UPPER, alternation
from readaloud.text.normalize.context import Context, is_protected
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import letters
from readaloud.text.vi.sentences import ABBREVIATIONS as SENTENCE_ABBREVIATIONS

_WORD_RE = re.compile(rf"{LETTER}+")
# A word in capitals (is_caps): a run of letters, every one a Vietnamese capital. Two such words with only
# spaces between them have no other word between them either.
_CAPS_WORD_RE = re.compile(rf"(?<!{LETTER})[{letters.UPPER}]+(?!{LETTER})")
_SYLLABLE_RE = re.compile(
    rf"(?:{alternation(letters.ONSETS)})?[{letters.VOWELS}]{{1,3}}(?:{alternation(letters.CODAS)})?"
)
_DIACRITICS = frozenset(letters.DIACRITIC_VOWELS + letters.DIACRITIC_VOWELS.upper())
_APOSTROPHE_NAME_RE = re.compile(r"(?<![^\W_'])(?P<first>[^\W\d_])'(?P<rest>[^\W\d_]+)")
# The dot between single capitals ("Ảnh: P.L") is not a pause.
_INITIALS_RE = re.compile(rf"(?<=[{letters.UPPER}])(?<![^\W_][{letters.UPPER}])\.(?=[{letters.UPPER}](?![^\W_]))")
# Nor is the dot after an initial before a name ("H.Long", "T.Hương").
_INITIAL_NAME_RE = re.compile(rf"(?<![^\W_.])([{letters.UPPER}])\.(?=[{letters.UPPER}][{letters.LOWER}])")
# Nor after a name cut short to its initial before the sentence goes on ("anh N. cho biết", "chị Lê Thị
# Th. (33 tuổi)"): the engine would hear a full stop.
_SHORTENED_NAME_RE = re.compile(
    rf"(?<![^\W_.])([{letters.UPPER}][{letters.LOWER}]?)\.(?=\s*[,(\[]|\s+[{letters.LOWER}\d])")


def _shortened_name(m: re.Match[str]) -> str:
    """An initial without its dot; a two-letter abbreviation that keeps one ("Tr." for trang) is left alone
    (a single capital before the sentence goes on is a name's initial, even "H.")."""
    return m.group(0) if len(m[1]) > 1 and m[1] in SENTENCE_ABBREVIATIONS else m[1]


def is_syllable(word: str) -> bool:
    """Could ``word`` be one Vietnamese syllable?  Onset + 1-3 vowels +
    coda, no check of which vowel clusters really exist."""
    return bool(_SYLLABLE_RE.fullmatch(word.lower()))


def is_caps(word: str) -> bool:
    return word.isupper() and all(ch in VN_UPPER for ch in word)


def _base_letter(ch: str) -> str:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    stripped = "".join(c for c in decomposed if c not in letters.TONE_MARKS)
    return unicodedata.normalize("NFC", stripped)


def spell(word: str) -> str:
    """ "XYZ" → "ích i dét"; a letter with no name is kept as written."""
    return " ".join(letters.LETTER_NAMES.get(_base_letter(ch), ch) for ch in word)


def join_apostrophe_names(text: str, ctx: Context) -> str:
    """Ethnic-minority names with an apostrophe after one letter are one
    syllable: "H'Mông" → "Hmông", "Đắk R'Lấp" → "Đắk Rlấp", "Cư M'gar" →
    "Cư Mgar" (the rest in lower case, so the capitals rule does not spell
    it).  Other apostrophes are silent (``read_symbols``).
    Limits: the spelling is joined, not respelled ("K'Ho" → "Kho")."""

    def name(m: re.Match[str]) -> str:
        return m["first"] + m["rest"].lower()

    return _APOSTROPHE_NAME_RE.sub(name, text)


def judge_heading(text: str, ctx: Context) -> str:
    """Records on the context whether the line is an all-caps heading: no
    lower-case letter, and at least two capitalised words that could be
    Vietnamese syllables ("KINH TẾ"), so a line of codes or acronyms alone
    ("12/2015/NĐ-CP", "UBND HĐND") is not taken for a heading.  Protected
    readings (lexicon, definitions) do not count.  The text is unchanged."""
    if any(ch.islower() and ch.isalnum() for ch in text):  # a lower-case letter, so in some word
        ctx.heading = False
    else:
        ctx.heading = sum(1 for w in _WORD_RE.findall(text) if is_caps(w) and is_syllable(w)) >= 2
    return text


def _sentence_case(text: str) -> str:
    """Capitalise the first letter, unless a protected reading comes first
    (it keeps its own capitals)."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
        if is_protected(ch):
            return text
    return text


def _is_emphasis(phrase: list[str]) -> bool:
    """A phrase of capitals in running text is emphasis, said as words, when
    one of its words has a Vietnamese diacritic ("ĐIỆN TỬ") or it has two or
    more words that all could be syllables ("TIN VUI")."""
    has_diacritic = any(_DIACRITICS & set(word) for word in phrase)
    all_syllables = len(phrase) >= 2 and all(len(w) > 1 and is_syllable(w) for w in phrase)
    return has_diacritic or all_syllables


def _emphasis_flags(text: str, tokens: list[re.Match[str]]) -> list[bool]:
    """For each word in capitals, whether it belongs to a phrase of emphasis: capitalised words separated
    only by spaces are judged together, like a small heading."""
    emphasis = [False] * len(tokens)
    start = 0
    for i in range(1, len(tokens) + 1):
        joined = i < len(tokens) and not text[tokens[i - 1].end() : tokens[i].start()].strip()
        if not joined:
            flag = _is_emphasis([tokens[j].group(0) for j in range(start, i)])
            for j in range(start, i):
                emphasis[j] = flag
            start = i
    return emphasis


def _say_caps_word(word: str, heading: bool, emphasis: bool) -> str | None:
    """How one word in capitals is said; None leaves it as written."""
    if (heading and is_syllable(word)) or word in abbr.SAID_AS_WORDS:
        return word.lower()
    if len(word) == 1 and is_syllable(word):
        # A lone vowel is a word ("Ở", "Y tế", "Nguyễn Văn A"); its letter
        # name would sound the same anyway.
        return None
    if emphasis and is_syllable(word):
        return word.lower()
    return spell(word)


def read_capitals(text: str, ctx: Context) -> str:
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
    - A few capitalised words said as words (``SAID_AS_WORDS``: "RAM",
      "SIM") are lower-cased, never spelled.
    - Initials: "P.L" → "pê e lờ", "H.Long" → "hát Long".
    Limits: a single diacritic-free caps word in running text ("VUI") is
    spelled; only Latin letters are handled."""
    text = _INITIALS_RE.sub(" ", text)
    text = _INITIAL_NAME_RE.sub(r"\1 ", text)
    text = _SHORTENED_NAME_RE.sub(_shortened_name, text)
    tokens = list(_CAPS_WORD_RE.finditer(text))
    emphasis = _emphasis_flags(text, tokens)
    out = []
    last = 0
    for i, token in enumerate(tokens):
        said = _say_caps_word(token.group(0), ctx.heading, emphasis[i])
        if said is None:
            continue
        out += [text[last : token.start()], said]
        last = token.end()
    out.append(text[last:])
    result = "".join(out)
    return _sentence_case(result) if ctx.heading else result
