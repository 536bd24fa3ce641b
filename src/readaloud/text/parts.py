"""Where each written word's part of a sentence's reading lies, so that a chunk's spoken text can be cut
from the sentence's own reading (`chunk.chunk_sentence`): the words read alone are lined up with the
sentence read whole, in time that grows with the sentence's length.
"""

from __future__ import annotations

import re


def words_of(spoken: str) -> list[str]:
    """The words of a reading, case-folded, without punctuation."""
    return _WORD.findall(spoken.casefold())


_WORD = re.compile(r"[^\W_]+")


def parts_of_reading(readings: list[str], spoken: str) -> tuple[list[int], frozenset[int]]:
    """Where each word's part of the sentence's reading `spoken` starts (and, last, its end), and the cuts
    whose place in it is not known.

    A word that reads alone as in the sentence (all its words said there, side by side, as in nine long
    news sentences in ten) has its part found. A word that reads otherwise there does so because of the
    words before it ("4" after "thứ" is "tư", "14.3" after "sáng" a date, "kg" after a number a unit), so
    the cut before it is unknown: it stays with them. The cut after it is known where the next word reads
    as alone: what the sentence says between them is its own. A cut between two words that read as alone
    is unknown when the sentence says something between them that neither says alone. Punctuation goes
    with the word before it, a word said as no word (a dash) starts where the next one does, and an
    unknown cut is given the start of the part it falls in."""
    found = list(_WORD.finditer(spoken))
    said = [words_of(reading) for reading in readings]
    where = aligned([match.group().casefold() for match in found], [word for words in said for word in words])
    # Per word: the first and last places its words are said in the sentence, when they all are, side by
    # side; None when the word reads otherwise there. A word said as no word has no places.
    places: list[tuple[int, int] | None] = []
    first = 0
    for words in said:
        heard = where[first:first + len(words)]
        first += len(words)
        together = _UNSAID not in heard and all(b == a + 1 for a, b in zip(heard, heard[1:], strict=False))
        places.append((heard[0], heard[-1]) if heard and together else None)
    following: list[int | None] = [None] * (len(said) + 1)  # the first word from here on that says something
    for index in range(len(said) - 1, -1, -1):
        following[index] = index if said[index] else following[index + 1]
    starts = [0] * (len(readings) + 1)
    starts[-1] = len(spoken)
    unknown: set[int] = set()
    last_said: int | None = -1  # where the last word before the cut that says something ends; None: unknown
    for index in range(1, len(said)):
        if said[index - 1]:
            place = places[index - 1]
            last_said = None if place is None else place[1]
        after = following[index]
        if after is None:  # only words said as nothing follow
            starts[index] = len(spoken)
        elif (here := places[after]) is None or (last_said is not None and here[0] != last_said + 1):
            unknown.add(index)
        else:
            starts[index] = found[here[0]].start()
    for index in range(1, len(readings)):
        if index in unknown:
            starts[index] = starts[index - 1]
    return starts, frozenset(unknown)


# How far apart, in words, the two readings may drift before they agree again: a date or a score reads a
# few words longer or shorter in the sentence than alone. Past it the words left are one stretch.
_DRIFT = 8
_UNSAID = -1  # in aligned's answer: a word the sentence does not say


def aligned(heard: list[str], said: list[str]) -> list[int]:
    """For each word of `said` (the words' readings, one after another), where `heard` (the sentence's
    reading) says it, or _UNSAID. Where the two part, they are taken to agree again at the nearest two words
    in a row that both say (one at the end), within _DRIFT words: a bounded search per disagreement, so
    that the time grows with the sentence's length, as a diff's would not."""
    where = [_UNSAID] * len(said)
    at = 0  # in heard
    index = 0  # in said
    while index < len(said) and at < len(heard):
        if said[index] == heard[at]:
            where[index] = at
            index, at = index + 1, at + 1
            continue
        again = _agreeing(heard, said, at, index)
        if again is None:
            break
        at, index = again
    return where


def _agreeing(heard: list[str], said: list[str], at: int, index: int) -> tuple[int, int] | None:
    """The nearest places at or after `at` in heard and `index` in said where the two agree again."""
    for total in range(1, 2 * _DRIFT + 1):
        for skip_heard in range(max(0, total - _DRIFT), min(total, _DRIFT) + 1):
            here, there = at + skip_heard, index + total - skip_heard
            if here >= len(heard) or there >= len(said) or heard[here] != said[there]:
                continue
            last = here + 1 == len(heard) or there + 1 == len(said)
            if last or heard[here + 1] == said[there + 1]:
                return here, there
    return None
