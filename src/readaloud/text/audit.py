"""What a listener would hear wrong in a script, counted: the report behind `readaloud audit`.

Four kinds of finding, each read from the chunks the engine will receive (display and spoken text side by
side), never by changing how anything is read:

- spelled:   words written in capitals that reach the engine as letter names ("HLV" -> "hát lờ vê"), found
             by looking for the capitals rule's spelling of each capitalised display word in its chunk's
             spoken text. Ranked by frequency, each with an example and a lexicon line to edit.
- unsayable: a digit or a symbol other than pause punctuation left in the spoken text (must be none).
- cuts:      a cut between two chunks of one sentence that falls inside a word ("chuẩn | bị"), judged by
             `cuts.cuts_inside_words` on the chunks as the chunker judged its cuts on the words: the word
             segmenter run on the sentence's spoken text, pauses kept, hyphenated names and places with
             their units.
- foreign:   spoken words that cannot be a Vietnamese syllable, read as written ("Facebook").

`audit_script(script)` gives one article's `Audit`; `Audit.merge` adds them up and `Audit.as_dict(top)`
is the report (`readaloud audit --json`). Settings arrive as the script already made with them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from readaloud.model import Article, Chunk, Script
from readaloud.text.cuts import Segmenter, cuts_inside_words
from readaloud.text.normalize.capitals import is_caps, is_syllable, spell
from readaloud.text.segment import split_sentences
from readaloud.text.vi.abbreviations import SPELLED
from readaloud.text.vi.words import inside_word_spaces

# Punctuation the engine hears as a pause, not as a word: all it may meet besides letters and spaces.
PAUSE_MARKS = frozenset(",.;:!?…")
EXAMPLE_CHARS = 100  # an example sentence is shortened to about this many characters
KEPT_EXAMPLES = 100  # examples kept per list of a report (the report shows `top` of them)
_LETTERS = re.compile(r"[^\W\d_]+")
_TOKEN = re.compile(r"\S+")
_UNSAYABLE = re.compile(r"[\d_]|[^\w\s,.;:!?…]")  # a digit, or neither a letter, a space nor a pause mark


@dataclass
class Audit:
    """Counts and examples for one article or many (merged). Plain data: it crosses process boundaries."""

    articles: int = 0
    words: int = 0  # display words, the base of the per-1,000-words rates
    chunks: int = 0
    spelled: Counter[str] = field(default_factory=Counter)  # capitalised word -> times spelled
    spelled_examples: dict[str, str] = field(default_factory=dict)
    spelled_readings: dict[str, str] = field(default_factory=dict)
    unsayable: Counter[str] = field(default_factory=Counter)  # character -> times spoken
    unsayable_examples: list[dict[str, str]] = field(default_factory=list)
    cuts: int = 0
    cut_examples: list[dict[str, str]] = field(default_factory=list)
    foreign: Counter[str] = field(default_factory=Counter)  # word (case folded) -> times read as written
    foreign_forms: dict[str, str] = field(default_factory=dict)  # its first spelling seen
    foreign_examples: dict[str, str] = field(default_factory=dict)

    def merge(self, other: Audit) -> Audit:
        """Adds `other` into this one (the first example of each finding kept) and returns it."""
        self.articles += other.articles
        self.words += other.words
        self.chunks += other.chunks
        self.spelled.update(other.spelled)
        self.unsayable.update(other.unsayable)
        self.cuts += other.cuts
        self.foreign.update(other.foreign)
        for mine, theirs in ((self.spelled_examples, other.spelled_examples),
                             (self.spelled_readings, other.spelled_readings),
                             (self.foreign_forms, other.foreign_forms),
                             (self.foreign_examples, other.foreign_examples)):
            for key, value in theirs.items():
                mine.setdefault(key, value)
        _extend(self.unsayable_examples, other.unsayable_examples)
        _extend(self.cut_examples, other.cut_examples)
        return self

    def per_thousand(self, count: int) -> float:
        return round(count * 1000 / self.words, 2) if self.words else 0.0

    def as_dict(self, top: int = 20) -> dict[str, Any]:
        """The report: totals, rates per 1,000 words, and the `top` entries of each ranked list."""
        spelled = sum(self.spelled.values())
        # Tokens the abbreviation table spells on purpose (tickers, brands: FPT, VTV) are not mistakes.
        undecided = sum(count for token, count in self.spelled.items() if token not in SPELLED)
        unsayable = sum(self.unsayable.values())
        foreign = sum(self.foreign.values())
        return {
            "articles": self.articles, "words": self.words, "chunks": self.chunks,
            "per_1000_words": {"spelled": self.per_thousand(spelled),
                               "spelled_not_on_purpose": self.per_thousand(undecided),
                               "unsayable": self.per_thousand(unsayable),
                               "cuts_inside_words": self.per_thousand(self.cuts),
                               "foreign": self.per_thousand(foreign)},
            "spelled": {"total": spelled, "distinct": len(self.spelled), "top": [
                {"token": token, "count": count, "on_purpose": token in SPELLED,
                 "spoken": self.spelled_readings[token],
                 "example": self.spelled_examples[token],
                 "lexicon": lexicon_line(token, self.spelled_readings[token])}
                for token, count in _ranked(self.spelled, top)]},
            "unsayable": {"total": unsayable, "characters": dict(_ranked(self.unsayable, top)),
                          "examples": self.unsayable_examples[:top]},
            "cuts_inside_words": {"total": self.cuts, "examples": self.cut_examples[:top]},
            "foreign": {"total": foreign, "distinct": len(self.foreign), "top": [
                {"word": self.foreign_forms[word], "count": count, "example": self.foreign_examples[word]}
                for word, count in _ranked(self.foreign, top)]},
        }


def _extend(examples: list[dict[str, str]], more: list[dict[str, str]]) -> None:
    examples.extend(more[: max(0, KEPT_EXAMPLES - len(examples))])


def _ranked(counts: Counter[str], top: int) -> list[tuple[str, int]]:
    """Most frequent first; ties in alphabetical order, so a report is the same however it was merged."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def lexicon_line(token: str, spoken: str) -> str:
    """The line an editor pastes under [words] in the lexicon and corrects: the reading heard today."""
    return f'"{token}" = "{spoken}"'


def excerpt(text: str, start: int, end: int, width: int = EXAMPLE_CHARS) -> str:
    """`text` shortened to about `width` characters around text[start:end], cut at spaces, "…" where cut."""
    if len(text) <= width:
        return text
    spare = max(0, width - (end - start)) // 2
    low = max(0, start - spare)
    high = min(len(text), max(end + spare, low + width))
    low = max(0, min(low, high - width))
    if low > 0:
        space = text.find(" ", low, start)
        low = space + 1 if space >= 0 else low
    if high < len(text):
        space = text.rfind(" ", end, high)
        high = space if space >= 0 else high
    return ("…" if low > 0 else "") + text[low:high] + ("…" if high < len(text) else "")


def _unit_sentences(article: Article) -> Iterator[str]:
    """The sentences of the script's article in the order make_script speaks them."""
    yield from split_sentences(article.title)
    for block in article.blocks:
        yield from [block.text] if block.kind == "heading" else split_sentences(block.text)
    if article.author:
        yield article.author


def sentences_of(script: Script) -> list[tuple[str, list[Chunk]]]:
    """The chunks grouped by the sentence they were cut from, with that sentence's display text. A chunk
    that matches no sentence of the article (a script made some other way) is a sentence of its own."""
    sentences = list(_unit_sentences(script.article))
    groups: list[tuple[str, list[Chunk]]] = []
    at = 0
    said = ""  # the display text of the current sentence taken so far
    for chunk in script.chunks:
        if groups and said != groups[-1][0] and groups[-1][0].startswith(f"{said} {chunk.display}"):
            groups[-1][1].append(chunk)
            said = f"{said} {chunk.display}"
            continue
        found = next((i for i in range(at, len(sentences)) if sentences[i].startswith(chunk.display)), None)
        if found is None:
            groups.append((chunk.display, [chunk]))
        else:
            groups.append((sentences[found], [chunk]))
            at = found + 1
        said = chunk.display
    return groups


def _spelled(audit: Audit, sentence: str, chunk: Chunk) -> None:
    spoken = f" {' '.join(_LETTERS.findall(chunk.spoken.casefold()))} "
    for match in _LETTERS.finditer(chunk.display):
        token = match.group()
        if len(token) < 2 or not is_caps(token):
            continue
        reading = spell(token)
        if f" {reading.casefold()} " not in spoken:
            continue
        audit.spelled[token] += 1
        audit.spelled_readings.setdefault(token, reading)
        if token not in audit.spelled_examples:
            at = sentence.find(token)
            audit.spelled_examples[token] = excerpt(sentence, at, at + len(token)) if at >= 0 else chunk.display


def _unsayable(audit: Audit, chunk: Chunk) -> None:
    if not _UNSAYABLE.search(chunk.spoken):
        return
    for match in _TOKEN.finditer(chunk.spoken):
        bad = _UNSAYABLE.findall(match.group())
        if not bad:
            continue
        audit.unsayable.update(bad)
        if len(audit.unsayable_examples) < KEPT_EXAMPLES:
            audit.unsayable_examples.append({"token": match.group(), "spoken": excerpt(
                chunk.spoken, match.start(), match.end()), "display": excerpt(chunk.display, 0, 0)})


def _foreign(audit: Audit, sentence: str, chunk: Chunk) -> None:
    for word in _LETTERS.findall(chunk.spoken):
        if is_syllable(word):
            continue
        key = word.casefold()
        audit.foreign[key] += 1
        if key not in audit.foreign_forms:
            audit.foreign_forms[key] = word
            at = sentence.find(word)
            audit.foreign_examples[key] = excerpt(sentence, at, at + len(word)) if at >= 0 else chunk.display


def _cuts(audit: Audit, chunks: list[Chunk], segment: Segmenter) -> None:
    """Cuts between the chunks of one sentence that fall inside a word, judged as the chunker judges them."""
    inside = cuts_inside_words([chunk.display for chunk in chunks], [chunk.spoken for chunk in chunks], segment)
    for cut in sorted(inside):
        audit.cuts += 1
        if len(audit.cut_examples) < KEPT_EXAMPLES:
            before, after = chunks[cut - 1].spoken.split()[-6:], chunks[cut].spoken.split()[:6]
            audit.cut_examples.append({"cut": f"{before[-1] if before else ''} | {after[0] if after else ''}",
                                       "spoken": f"{' '.join(before)} | {' '.join(after)}"})


def audit_script(script: Script, segment: Segmenter = inside_word_spaces) -> Audit:
    """One article's findings. `segment` tells which spaces of a spoken sentence fall inside a word."""
    audit = Audit(articles=1, chunks=len(script.chunks))
    for sentence, chunks in sentences_of(script):
        audit.words += len(sentence.split())
        for chunk in chunks:
            _spelled(audit, sentence, chunk)
            _unsayable(audit, chunk)
            _foreign(audit, sentence, chunk)
        if len(chunks) > 1:
            _cuts(audit, chunks, segment)
    return audit
