"""Blocks -> sentences -> chunks within the engine's limit, each with the pause that follows it.

Sentences are split on the display text; each piece is then normalised, so display and spoken text stay
paired (captions show what was written, the engine gets what should be said). Cutting one sentence into
chunks that fit the engine's limit is `text.chunk`'s job; this module makes the whole script around it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Protocol

from readaloud import budget
from readaloud.model import Article, Chunk, ChunkRole, Script
from readaloud.text.chunk import chunk_sentence
from readaloud.text.cuts import CLOSING_MARKS
from readaloud.text.normalize.capitals import spell
from readaloud.text.vi import letters
from readaloud.text.vi.abbreviations import ACRONYMS
from readaloud.text.vi.context import ROMAN_TRIGGERS
from readaloud.text.vi.sentences import ABBREVIATIONS

SpeakWith = Callable[[str, Mapping[str, str]], str]  # text, abbreviations the article has defined so far
Define = Callable[[str], Mapping[str, str]]


class Pauses(Protocol):
    """Silence in milliseconds after each kind of unit, as plain numbers (config's PauseSettings is one):
    the text package takes settings as values and imports nothing from config."""

    @property
    def title(self) -> int: ...
    @property
    def heading(self) -> int: ...
    @property
    def paragraph(self) -> int: ...
    @property
    def sentence(self) -> int: ...
    @property
    def chunk(self) -> int: ...  # between the chunks of one long sentence


# A sentence ends at . ! ? or an ellipsis, possibly followed by closing quotes or brackets, then a space.
# A run of . ! ? is matched from its first character only and never given back (the space must follow the
# whole run anyway), so a long run with no space after it is scanned once, not once per character.
_SENTENCE_END = re.compile(r"(?:(?<![.!?])[.!?]++|…)[\"”’»)\]]*+(?=\s)")
_BUILTIN_ACRONYMS = frozenset(ACRONYMS)


# A lone I, V or X after one of normalize's Roman-numeral trigger words ("báo động I", "khóa X", "Chương
# V") is a number, not an initial: its period ends the sentence when a capitalised word follows. The trigger
# list is the one normalize reads Roman numerals with, so the two agree on what is a numeral. Known
# limit: "X." is also "xã", so "khu vực X. Mỹ Hòa" (xã Mỹ Hòa) is split there; that wording is rare.
_ROMAN_LETTERS = frozenset("IVX")
_ROMAN_TRIGGER_BEFORE = re.compile(
    rf"(?<![^\W_])(?:{'|'.join(re.escape(t) for t in sorted(ROMAN_TRIGGERS, key=len, reverse=True))})$")


# How far back a sentence end looks for the word before it and for a Roman-numeral trigger: a word longer
# than this is no abbreviation or initial, and the triggers are shorter. Looking further would make
# splitting a paragraph of many periods take time quadratic in its length.
_LOOK_BACK = 256
_ROMAN_TRIGGER_LENGTH = max(len(trigger) for trigger in ROMAN_TRIGGERS)


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation ending at `end` closes a sentence, judged by the word before it and the next
    character: abbreviations and initials ("TP.", "P.L.") do not, nor a period before a lower-case word;
    a Roman numeral after a trigger word does ("dưới báo động I. Trong tuần qua").

    Works on positions in `text`, never on copies of what comes before or after, so each call costs the
    length of the sentence end and the word before it."""
    stop = end  # the text before the punctuation and closers
    while stop > 0 and text[stop - 1] in CLOSING_MARKS:
        stop -= 1
    while stop > 0 and text[stop - 1] in ".!?…":
        stop -= 1
    space = text.rfind(" ", max(0, stop - _LOOK_BACK), stop)
    word_start = space + 1 if space >= 0 or stop <= _LOOK_BACK else -1
    word = text[word_start:stop] if word_start >= 0 else ""  # "" stands for a word too long to matter
    after = end
    while after < len(text) and text[after].isspace():
        after += 1
    first = text[after] if after < len(text) else ""
    head_end = word_start  # the text before the word, without the spaces after it
    while head_end > 0 and text[head_end - 1].isspace():
        head_end -= 1
    if text[end - 1] == "." and word in _ROMAN_LETTERS and first.isupper():
        head = text[max(0, head_end - _ROMAN_TRIGGER_LENGTH - 2):head_end].casefold()
        if _ROMAN_TRIGGER_BEFORE.search(head):
            return True
    # A lower-case letter right after a number is a unit ("cao 2 m. Đạt chuẩn"), not an initial.
    if text[end - 1] == "." and len(word) == 1 and word.islower() and first.isupper() and \
            head_end > 0 and text[head_end - 1].isdecimal():
        return True
    # Any other single letter stays an initial, "ông Nguyễn Văn A. Ông nói" included: after a name a lone
    # capital is far more often an abbreviated given name ("Nguyễn Văn A." is how the press anonymises
    # people, "Trần T. Hương") than the last word of a sentence, and nothing in the text tells the two
    # apart. Leaving it unsplit only makes one longer sentence, which chunking handles; a wrong split
    # would cut a name in two.
    if text[end - 1] == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
                                 or re.fullmatch(r"(?:[A-ZĐ]\.)+[A-ZĐ]", word)):
        return False
    if not first:
        return True
    # Vietnamese sentences start with a capital, a digit, a quote or a dash; a lower-case letter after
    # "." means the period belonged to something else.
    return not first.islower()


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph (single-spaced, no newlines) into sentences; joined with spaces they give it back."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        if _ends_sentence(paragraph, match.end()):
            sentences.append(paragraph[start:match.end()].strip())
            start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


_SYLLABLE = re.compile(
    rf"(?:{'|'.join(sorted(letters.ONSETS, key=len, reverse=True))})?[{letters.VOWELS}]{{1,3}}"
    rf"(?:{'|'.join(sorted(letters.CODAS, key=len, reverse=True))})?")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _is_plain_word(core: str) -> bool:
    """Whether every run of letters in `core` could be a Vietnamese syllable ("TRƯỜNG", "HÈ-THU"), so the
    capitals are only the heading's style. "HTX", "BQLDAĐTXD", "COVID" cannot: they are written that way."""
    runs = _LETTER_RUN.findall(core.lower())
    return bool(runs) and all(_SYLLABLE.fullmatch(run) for run in runs)


def display_heading(text: str, acronyms: frozenset[str] | None = None) -> str:
    """An ALL-CAPS heading in sentence case for chapter titles, acronyms kept as written
    ("HTX LIÊN KẾT TIÊU THỤ" -> "HTX liên kết tiêu thụ"). A capitalised word stays if it is a known
    acronym (`acronyms`: by default the built-in table's keys; make_script adds the article's own
    definitions) or cannot be a Vietnamese syllable ("BQLDAĐTXD", "COVID-19": an acronym nobody defined
    is still one). Other headings are returned unchanged."""
    letters_in = [c for c in text if c.isalpha()]
    if not letters_in or not all(c.isupper() for c in letters_in):
        return text
    if acronyms is None:
        acronyms = _BUILTIN_ACRONYMS
    words = []
    for word in text.split(" "):
        core = word.strip(",.:;!?\"“”()[]")
        keep = core in acronyms or not _is_plain_word(core)
        words.append(word if keep else word.lower())
    result = " ".join(words)
    return result[:1].upper() + result[1:]


def _capitalised_like(display: str, spoken: str) -> str:
    """A sentence that opens with a capital is spoken opening with one, even when its first word was an
    abbreviation the rules expanded in lower case ("ThS. Lan" -> "Thạc sĩ Lan", not "thạc sĩ Lan")."""
    first_written = next((c for c in display if c.isalpha()), "")
    for i, c in enumerate(spoken):
        if c.isalpha():
            if first_written.isupper() and c.islower():
                return spoken[:i] + c.upper() + spoken[i + 1:]
            return spoken
    return spoken


def make_script(article: Article, max_chars: int, pauses: Pauses, speak: SpeakWith,
                define: Define = lambda _: {}, read_byline: bool = True,
                known: Mapping[str, str] | None = None) -> Script:
    """The whole article as a sequence of chunks with pauses and chapter indices.

    `define` finds the abbreviations a sentence defines ("Thông tin đối ngoại (TTĐN)"); they are passed to
    `speak` for that sentence and everything after it, headings included, on top of `known`, what holds
    for the whole article. The author, when known and `read_byline` is set, is read once at the very end.
    """
    units, titles = _units(article, read_byline)
    # What each sentence defines, found once: it is spoken with everything defined so far, and a chapter
    # title keeps as written the acronyms defined before its heading ("BQLDAĐTXD HOÀN THÀNH …").
    defined = [[define(sentence) for sentence in sentences] for _, _, sentences in units]
    _title_headings(units, defined, titles)

    unit_pause = {"title": pauses.title, "heading": pauses.heading, "body": pauses.paragraph,
                  "byline": pauses.paragraph}
    definitions: dict[str, str] = dict(known or {})
    chunks: list[Chunk] = []
    for position, (role, section, sentences) in enumerate(units):
        following = units[position + 1][0] if position + 1 < len(units) else None
        end_pause = pauses.heading if following == "heading" else unit_pause[role]
        for s_index, sentence in enumerate(sentences):
            budget.check()
            definitions.update(defined[position][s_index])
            known = dict(definitions)

            def speak_here(text: str, known: Mapping[str, str] = known, byline: bool = role == "byline") -> str:
                return speak(_initials_named(text) if byline else text, known)

            pieces = chunk_sentence(sentence, max_chars, speak_here)
            sentence_pause = pauses.sentence if s_index < len(sentences) - 1 else end_pause
            for p_index, (display, spoken) in enumerate(pieces):
                if p_index == 0:
                    spoken = _capitalised_like(display, spoken)
                pause = pauses.chunk if p_index < len(pieces) - 1 else sentence_pause
                chunks.append(Chunk(len(chunks), section, role, display, spoken, pause))
    if chunks:
        last = chunks[-1]
        chunks[-1] = Chunk(last.index, last.section, last.role, last.display, last.spoken, 0)
    return Script(article=article, chunks=tuple(chunks), section_titles=tuple(titles))


# In a byline a capital with a dot is the initial of a name, said as its letter: "H.Long" is "Hát Long",
# where in a sentence "H." before a name is "huyện".
_INITIAL = re.compile(r"\b([A-ZĐ])\.\s*(?=\w|$)")


def _initials_named(byline: str) -> str:
    return _INITIAL.sub(lambda m: spell(m[1]).capitalize() + " ", byline).strip()


# A unit of the script: its role, its chapter and its sentences.
_Unit = tuple[ChunkRole, int, list[str]]


def _units(article: Article, read_byline: bool) -> tuple[list[_Unit], list[str]]:
    """The article's title, headings, paragraphs and byline as units, and the chapter titles as written.

    Pauses are decided once all units are known, so that a heading can lengthen the pause before it."""
    units: list[_Unit] = [("title", 0, split_sentences(article.title))]
    titles = [article.title]
    for block in article.blocks:
        if block.kind == "heading":
            units.append(("heading", len(titles), [block.text]))
            titles.append(block.text)
        else:
            units.append(("body", len(titles) - 1, split_sentences(block.text)))
    if read_byline and article.author:
        units.append(("byline", len(titles) - 1, [article.author]))
    return units, titles


def _title_headings(units: list[_Unit], defined: list[list[Mapping[str, str]]], titles: list[str]) -> None:
    """Each chapter title from its heading in sentence case (display_heading), in place, keeping as written
    the built-in acronyms and those the article defined before the heading."""
    known_acronyms: set[str] = set(_BUILTIN_ACRONYMS)
    for (role, section, sentences), found in zip(units, defined, strict=True):
        for definitions_here in found:
            known_acronyms.update(definitions_here)
        if role == "heading":
            titles[section] = display_heading(sentences[0], frozenset(known_acronyms))
