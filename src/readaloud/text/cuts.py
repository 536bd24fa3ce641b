"""Where a cut between the pieces of a sentence would split a word: the one judgement the chunker makes
when it picks its cuts and the audit makes when it counts them (`cuts_inside_words`).

Written Vietnamese puts a space between the syllables of a word ("chuẩn bị"), so underthesea's segmenter
(`vi.words.inside_word_spaces`) tells where words end; a name written with a spaced hyphen ("Thừa Thiên -
Huế") is one word, and so is a place's name with its administrative unit ("thành phố Hồ Chí Minh", "quận
1"); a cut where the sentence pauses anyway (a clause mark, a bracket, a dash) splits none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from readaloud.text.vi.places import ADMINISTRATIVE_UNITS, NUMBERED_UNITS, UNCUT_HYPHENATED_NAMES
from readaloud.text.vi.words import inside_word_spaces

# Which spaces of a text split at its spaces fall inside a word (vi.words.inside_word_spaces).
Segmenter = Callable[[Sequence[str]], frozenset[int]]

# Closing quotes and brackets: a clause or sentence mark before them still ends the clause or sentence.
CLOSING_MARKS = "\"”’»)]"
# Opening quotes and brackets: what may stand before a word as written, and is looked past to the word.
LEADING_MARKS = "\"“‘«(["
_CLAUSE_END = (",", ";", ":", "…", "!", "?")
_DASHES = ("-", "–", "—")
_PAUSES = (*_CLAUSE_END, ".")  # what may end a piece's spoken text as a pause
_OPENING_MARKS = ("(", "[")  # the normaliser reads a bracketed aside between pauses


# Around a word as written: what is stripped before it is compared with a hyphenated name's words.
_EDGE_MARKS = "\"“”‘’«»()[],.;:!?…"
_NAMES: dict[str, list[tuple[str, ...]]] = {}  # the names by their first word, so a word is looked up once
for _name in UNCUT_HYPHENATED_NAMES:
    _NAMES.setdefault(_name.casefold().split()[0], []).append(tuple(_name.casefold().split()))


_UNITS = frozenset(tuple(unit.split()) for unit in ADMINISTRATIVE_UNITS)
_UNIT_LENGTHS = sorted({len(unit) for unit in _UNITS})
_NUMBERED = frozenset((unit,) for unit in NUMBERED_UNITS)


def _name_cuts(words: list[str]) -> set[int]:
    """The cuts inside a name written with a spaced hyphen ("Thừa Thiên - Huế") and between an administrative
    unit and the place's name after it ("thành phố Hồ Chí Minh", "quận 1"): one name, never cut."""
    folded = ["-" if word in _DASHES else word.strip(_EDGE_MARKS).casefold() for word in words]
    cuts: set[int] = set()
    for start, word in enumerate(folded):
        for name in _NAMES.get(word, ()):
            if tuple(folded[start:start + len(name)]) == name:
                cuts.update(range(start + 1, start + len(name)))
        if start and _after_unit(words, start):
            cuts.add(start)
    return cuts


def _after_unit(words: list[str], start: int) -> bool:
    """Whether words[start] is a place's name (a capitalised word, or a number for NUMBERED_UNITS) right after
    an administrative unit, with no mark between them (a comma ends the unit's phrase)."""
    name = words[start].lstrip(LEADING_MARKS)[:1]
    if not (name.isalpha() and name.isupper()) and not name.isdigit():
        return False
    for size in _UNIT_LENGTHS:
        if size > start:
            break
        unit = [word.casefold() for word in words[start - size:start]]
        unit[0] = unit[0].lstrip(LEADING_MARKS)
        if tuple(unit) in (_NUMBERED if name.isdigit() else _UNITS):
            return True
    return False


def cuts_inside_words(displays: Sequence[str], spokens: Sequence[str], segment: Segmenter = inside_word_spaces,
                      whole: bool = False) -> frozenset[int]:
    """The cuts between the pieces of one sentence (a cut i falls before piece i) that split one word.

    The pieces are (display, spoken) pairs given as two lists: the sentence's words and their readings
    when the chunker weighs its cuts, the chunks it made when the audit counts them, so both judge a cut
    the same way. A cut splits a word where `segment` (underthesea's segmenter), run on the spoken text
    around the cut (SEGMENT_WINDOW words each side of what will be said, so "TP.HCM" is "Thành phố Hồ Chí
    Minh"), puts the syllables on both sides in one word, unless the sentence pauses there anyway (a clause
    mark or a bracket, a dash after it); and a cut inside a name written with a spaced hyphen ("Thừa
    Thiên - Huế") or between a place's name and its unit ("tỉnh | Quảng Nam") always does. With `whole`,
    every cut is judged on the whole sentence, segmented once: the chunker's estimate of every cut at once,
    where a window per cut would segment the sentence again for each of them."""
    tokens: list[str] = []
    starts: list[int] = []  # where each piece's spoken text starts among the tokens
    words: list[str] = []  # the written words of the whole sentence
    firsts: list[int] = []  # where each piece's written words start among them
    for index, (display, spoken) in enumerate(zip(displays, spokens, strict=True)):
        starts.append(len(tokens))
        firsts.append(len(words))
        tokens.extend(spoken.split())
        words.extend(display.split())
        # A piece said alone loses its comma (a word's reading alone has none; a bracket is read as a
        # pause): the pause is put back, on the piece's last word as the whole sentence's reading has it,
        # so that the same spoken sentence cut into words or into chunks is the same text to the segmenter
        # (which it segments once).
        pauses = display.rstrip(CLOSING_MARKS).endswith(_PAUSES) or (
            index + 1 < len(displays) and displays[index + 1].startswith(_OPENING_MARKS))
        if tokens and pauses and not spoken.endswith(_PAUSES):
            tokens[-1] += ","
    names = _name_cuts(words)
    inside = {cut for cut in range(1, len(starts)) if 0 < firsts[cut] < len(words) and firsts[cut] in names}
    # Only the other cuts that are no clause break need the segmenter, each on the words around it.
    asked = [cut for cut in range(1, len(starts)) if cut not in inside
             and not (0 < firsts[cut] < len(words) and _is_clause_break(words, firsts[cut]))]
    if asked and (whole or SEGMENT_WINDOW >= len(tokens)):  # one window holds the sentence: segmented once
        joined = segment(tokens)
        inside.update(cut for cut in asked if starts[cut] in joined)
        return frozenset(inside)
    for cut in asked:
        space = starts[cut]
        low = max(0, space - SEGMENT_WINDOW)
        if space - low in segment(tokens[low:space + SEGMENT_WINDOW]):
            inside.add(cut)
    return frozenset(inside)


# The words either side of a cut the segmenter is shown. Its CRF looks two words each way: on 793 corpus
# articles a window of six gave the whole sentence's verdict on all 18,031 chunk cuts, at a fraction of the
# cost (the segmenter's time grows with the words it is shown).
SEGMENT_WINDOW = 6


def _is_clause_break(words: list[str], cut: int) -> bool:
    """A cut before words[cut] that falls where the sentence pauses anyway: after , ; : … ! ? (inside
    quotes or brackets too), before a dash or before a bracket (read as a pause)."""
    return (words[cut - 1].rstrip(CLOSING_MARKS).endswith(_CLAUSE_END) or words[cut] in _DASHES
            or words[cut].startswith(_OPENING_MARKS))
