"""Blocks -> sentences -> chunks within the engine's limit, each with the pause that follows it.

Sentences are split on the display text; each piece is then normalised, so display and spoken text stay
paired (captions show what was written, the engine gets what should be said). The limit applies to the
spoken text, because that is what the engine receives, and normalising makes text longer
("1.250.000" is 7 characters written and 33 spoken).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from readaloud.config import PauseSettings
from readaloud.model import Article, Chunk, ChunkRole, Script

Speak = Callable[[str], str]
SpeakWith = Callable[[str, Mapping[str, str]], str]  # text, abbreviations the article has defined so far
Define = Callable[[str], Mapping[str, str]]

# Words whose trailing period is not a sentence end. Compared case-sensitively, without the period.
ABBREVIATIONS = frozenset({
    "TP", "Tp", "Q", "P", "H", "X", "TX", "TT", "TS", "ThS", "GS", "PGS", "BS", "KS", "CN", "NCS", "Th.S",
    "v.v", "vv", "St", "Mr", "Mrs", "Dr", "No", "Ths", "Đ/c", "đ/c", "Tr", "tr", "Sđd", "Nxb", "NXB",
})

# A sentence ends at . ! ? or an ellipsis, possibly followed by closing quotes or brackets, then a space.
_SENTENCE_END = re.compile(r"(?:[.!?]+|…)[\"”’»)\]]*(?=\s)")
_CLAUSE_END = (",", ";", ":")
_DASHES = ("-", "–", "—")


def _ends_sentence(text: str, end: int) -> bool:
    """Whether the punctuation ending at `end` closes a sentence, judged by the word before it and the next
    character: abbreviations and initials ("TP.", "P.L.") do not, nor a period before a lower-case word."""
    before = text[:end].rstrip("\"”’»)]").rstrip(".!?…")
    word = before.rsplit(" ", 1)[-1]
    if text[end - 1] == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())
                                 or re.fullmatch(r"(?:[A-ZĐ]\.)+[A-ZĐ]", word)):
        return False
    following = text[end:].lstrip()
    if not following:
        return True
    first = following[0]
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


def _hard_split(spoken: str, max_chars: int) -> list[str]:
    """Split a spoken string at spaces (or anywhere, for a single overlong token) into pieces <= max_chars."""
    pieces: list[str] = []
    current = ""
    for word in spoken.split(" "):
        while len(word) > max_chars:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(word[:max_chars])
            word = word[max_chars:]
        if current and len(current) + 1 + len(word) > max_chars:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces


def _words_of(spoken: str) -> list[str]:
    return _WORD.findall(spoken.casefold())


_WORD = re.compile(r"[^\W_]+")


def chunk_sentence(display: str, max_chars: int, speak: Speak) -> list[tuple[str, str]]:
    """Cut one sentence into (display, spoken) pieces whose spoken text fits `max_chars`.

    Each piece grows word by word while its spoken form fits. Then the cut is chosen, latest first,
    among places that do not change how the sentence is read (cutting "80 kg/ha" after "80" would leave
    "kg/ha" without its number): a clause break (, ; : or before a dash) if it keeps at least half the
    piece, else any such space; only if none exists, the last space that fits. The display pieces joined
    with single spaces give back the sentence.
    """
    spoken = speak(display)
    if len(spoken) <= max_chars:
        return [(display, spoken)]
    words = display.split(" ")
    pieces: list[tuple[str, str]] = []
    start = 0
    while start < len(words):
        fitting: list[int] = []  # cut positions (exclusive word index) whose piece fits
        end = start + 1
        while end <= len(words) and len(speak(" ".join(words[start:end]))) <= max_chars:
            fitting.append(end)
            end += 1
        if not fitting:
            # One word too long even alone once spoken (a huge number, a long token): its spoken form is
            # cut at spaces; the display text goes with the first piece.
            word = words[start]
            parts = _hard_split(speak(word), max_chars) or [""]
            pieces.append((word, parts[0]))
            pieces.extend(("", part) for part in parts[1:])
            start += 1
            continue
        cut = fitting[-1] if fitting[-1] == len(words) else _best_cut(words, start, fitting, speak)
        piece = " ".join(words[start:cut])
        pieces.append((piece, speak(piece)))
        start = cut
    return pieces


def _best_cut(words: list[str], start: int, fitting: list[int], speak: Speak) -> int:
    whole = _words_of(speak(" ".join(words[start:])))

    def reads_the_same(cut: int) -> bool:
        left = _words_of(speak(" ".join(words[start:cut])))
        right = _words_of(speak(" ".join(words[cut:])))
        return left + right == whole

    def is_clause_break(cut: int) -> bool:
        return words[cut - 1].endswith(_CLAUSE_END) or words[cut] in _DASHES

    half = start + (fitting[-1] - start) / 2
    clause = [cut for cut in reversed(fitting) if cut >= half and is_clause_break(cut)]
    for cut in clause:
        if reads_the_same(cut):
            return cut
    for cut in reversed(fitting):
        if reads_the_same(cut):
            return cut
    return fitting[-1]


_VOWELS = set("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ")


def display_heading(text: str, acronyms: frozenset[str] | None = None) -> str:
    """An ALL-CAPS heading in sentence case for chapter titles, acronyms kept as written
    ("HTX LIÊN KẾT TIÊU THỤ" -> "HTX liên kết tiêu thụ"). A capitalised word stays if it is a known
    acronym or cannot be a Vietnamese syllable (has no vowel). Other headings are returned unchanged."""
    letters = [c for c in text if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return text
    if acronyms is None:
        from readaloud.vi.abbreviations import ACRONYMS

        acronyms = frozenset(ACRONYMS)
    words = []
    for word in text.split(" "):
        core = word.strip(",.:;!?\"“”()[]")
        keep = core in acronyms or not (_VOWELS & set(core.lower()))
        words.append(word if keep else word.lower())
    result = " ".join(words)
    return result[:1].upper() + result[1:]


def make_script(article: Article, max_chars: int, pauses: PauseSettings, speak: SpeakWith,
                define: Define = lambda _: {}, read_byline: bool = True) -> Script:
    """The whole article as a sequence of chunks with pauses and chapter indices.

    `define` finds the abbreviations a sentence defines ("Thông tin đối ngoại (TTĐN)"); they are passed to
    `speak` for that sentence and everything after it, headings included. The author, when known and
    `read_byline` is set, is read once at the very end.
    """
    # Each unit is (role, section, sentences); pauses are decided once all units are known so a heading
    # can lengthen the pause before it.
    units: list[tuple[ChunkRole, int, list[str]]] = [("title", 0, split_sentences(article.title))]
    titles = [article.title]
    for block in article.blocks:
        if block.kind == "heading":
            titles.append(display_heading(block.text))
            units.append(("heading", len(titles) - 1, [block.text]))
        else:
            units.append(("body", len(titles) - 1, split_sentences(block.text)))
    if read_byline and article.author:
        units.append(("byline", len(titles) - 1, [article.author]))

    unit_pause = {"title": pauses.title, "heading": pauses.heading, "body": pauses.paragraph,
                  "byline": pauses.paragraph}
    definitions: dict[str, str] = {}
    chunks: list[Chunk] = []
    for position, (role, section, sentences) in enumerate(units):
        following = units[position + 1][0] if position + 1 < len(units) else None
        end_pause = pauses.heading if following == "heading" else unit_pause[role]
        for s_index, sentence in enumerate(sentences):
            definitions.update(define(sentence))
            known = dict(definitions)
            pieces = chunk_sentence(sentence, max_chars, lambda text, known=known: speak(text, known))
            for p_index, (display, spoken) in enumerate(pieces):
                if p_index < len(pieces) - 1:
                    pause = pauses.chunk
                elif s_index < len(sentences) - 1:
                    pause = pauses.sentence
                else:
                    pause = end_pause
                chunks.append(Chunk(len(chunks), section, role, display, spoken, pause))
    if chunks:
        last = chunks[-1]
        chunks[-1] = Chunk(last.index, last.section, last.role, last.display, last.spoken, 0)
    return Script(article=article, chunks=tuple(chunks), section_titles=tuple(titles))
