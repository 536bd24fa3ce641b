"""One sentence -> chunks within the engine's limit, each a (display, spoken) pair.

The limit applies to the spoken text, because that is what the engine receives, and normalising makes
text longer ("1.250.000" is 7 characters written and 33 spoken). Cuts fall between words where they do not
change the reading and never inside a Vietnamese word (underthesea's segmenter says where words end, and
a name written with a spaced hyphen, "Thừa Thiên - Huế", is one word), clause breaks preferred, then
the places before a conjunction or preposition, the pieces as even as possible; a token whose reading
alone is too long (a huge number) has its reading cut after a number group. Used by `segment.make_script`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from readaloud import budget
from readaloud.text.cuts import LEADING_MARKS, _is_clause_break, _name_cuts, cuts_inside_words
from readaloud.text.parts import parts_of_reading, words_of
from readaloud.text.vi import numbers as num
from readaloud.text.vi.sentences import PHRASE_OPENERS

Speak = Callable[[str], str]

# How a cut is judged, compared as a tuple: cuts that change the reading, then cuts inside a word, then
# cuts that are not a clause break, then the number of pieces, then the sum of the squared piece lengths
# (smallest when the pieces are even). So a word is cut only when nothing else fits, a clause break is
# always preferred to a cut between two words of a clause, and among equally good cuts the most even ones
# win instead of the longest first piece and a one-word remainder.
# What one cut costs: (changes the reading, inside a word, not a clause break, a penalty added to the
# squared lengths).
_CutCost = tuple[int, int, int, int]
# The search adds the tuples up as one integer, a field of _FIELD bits each (compared the same way, as
# integers are faster than tuples): no sum of squared lengths, count of cuts or pieces comes near 2**48.
_FIELD = 48


def _packed(unsafe: int, inside: int, loose: int, pieces: int, squares: int) -> int:
    return ((((unsafe << _FIELD | inside) << _FIELD | loose) << _FIELD | pieces) << _FIELD) | squares


# How long a piece of units i..j is: a function of (i, j), or, when every piece's length is where its last
# unit ends less where its first starts, those two lists (faster: the search asks for every piece in reach).
_Lengths = Callable[[int, int], int] | tuple[list[int], list[int]]


def _cheapest_cuts(count: int, length: _Lengths, cut_cost: Callable[[int], _CutCost | None],
                   max_chars: int) -> list[int] | None:
    """The ends of the pieces (the last is `count`) cutting units 0..count into pieces of `length` <= max_chars
    at the lowest total cost; None when no such cutting exists. `cut_cost(i)` is the _CutCost of a cut
    before unit i, None where no cut may fall. A piece's length is assumed to grow as the piece grows to
    the left, so the search stops at the first piece that does not fit."""
    if not count:
        return []
    starts, ends = length if isinstance(length, tuple) else ([], [])
    size_of = None if isinstance(length, tuple) else length
    # A cut's cost does not depend on the piece it ends, so it is asked once per cut, not once per piece;
    # each is packed with the piece it adds (the squared length is added per piece). `ready[i]` is the cost
    # of the cheapest cutting of units 0..i with the cut before unit i added, None where there is none.
    cut_costs: list[int | None] = [_packed(0, 0, 0, 1, 0)]
    for start in range(1, count):
        cost = cut_cost(start)
        cut_costs.append(None if cost is None else _packed(cost[0], cost[1], cost[2], 1, cost[3]))
    ready: list[int | None] = [cut_costs[0]] + [None] * count
    back = [0] * (count + 1)
    best = None
    for end in range(1, count + 1):
        budget.check()
        best = None
        for start in range(end - 1, -1, -1):
            size = ends[end] - starts[start] if size_of is None else size_of(start, end)
            if size > max_chars:
                break
            base = ready[start]
            if base is None:
                continue
            total = base + size * size
            if best is None or total < best:
                best, back[end] = total, start
        cut = cut_costs[end] if end < count else None
        ready[end] = None if best is None or cut is None else best + cut
    if best is None:
        return None
    pieces: list[int] = []
    end = count
    while end:
        pieces.append(end)
        end = back[end]
    return pieces[::-1]


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _opens_phrase(words: list[str], cut: int) -> bool:
    """Whether words[cut] opens a phrase and words[cut - 1] does not ("tăng | so với", not "so | với")."""
    def opener(word: str) -> bool:
        return word.lstrip(LEADING_MARKS).casefold() in PHRASE_OPENERS
    return opener(words[cut]) and not opener(words[cut - 1])


def _before_name(words: list[str], cut: int) -> bool:
    """Whether words[cut] is a capitalised word right after another word of the clause: the cut would part
    a name from its title or the rest of it ("Thành phố | Hồ Chí Minh", "Bộ trưởng | Nguyễn …")."""
    first = words[cut][:1]
    return first.isalpha() and first.isupper()


def _off_phrase(max_chars: int) -> int:
    """What a cut between two words of a clause costs: as much as pieces 15% of the limit off even, unless
    it falls before a word that opens a phrase ("… liên kết | với doanh nghiệp", not "… với doanh | nghiệp")."""
    return 2 * (max_chars * 15 // 100) ** 2


def _cut_cost(words: list[str], cut: int, inside: frozenset[int], off_phrase: int, unsafe: int = 0) -> _CutCost:
    inside_word = int(cut in inside)
    if _is_clause_break(words, cut):
        return unsafe, inside_word, 0, 0
    if _opens_phrase(words, cut):
        return unsafe, inside_word, 1, 0
    # Before a capitalised word the cut parts a name or its title: twice as bad as any other.
    return unsafe, inside_word, 1, off_phrase * (2 if _before_name(words, cut) else 1)


# The search runs again while its estimates prove wrong; a run that has not settled after this many rounds
# (news text settles in at most six) is finished by _fit_pieces instead, so hostile text ("1 - 1 - 1 …")
# costs a bounded number of rounds.
_ROUNDS = 8
# A cut is checked on the written text within this many times the limit on each side of it: the whole of
# any ordinary sentence, and a bounded amount of a runaway one, so that checking costs the same per cut
# however long the sentence is.
_CHECK_REACH = 1


def _chunk_words(words: list[str], word_lengths: list[int], max_chars: int, speak: Speak,
                 inside: frozenset[int] = frozenset(), prefix: str = "",
                 suffix: str = "") -> list[tuple[str, str]] | None:
    """Cut a run of words, each fitting alone, into (display, spoken) pieces within `max_chars`.

    `prefix`/`suffix` are spoken text glued to the first/last piece (the end or start of a neighbouring
    token's reading that is too long for one chunk); None if they cannot fit. A cut must keep the reading
    (cutting "80 kg/ha" after "80" would leave "kg/ha" without its number) unless no cut that does fits,
    and must not fall in `inside` (the cuts inside a word) unless no other cut fits.

    Normalising is the cost here, so the search works on estimates and checks only what it picks: a
    piece's length is first taken as its words' own readings put together, and every cut as keeping the
    reading. The pieces picked are then spoken, and their cuts checked (the text around the cut, spoken up
    to the cut and from it, must say what it says whole); wherever an estimate was wrong the exact figure
    replaces it and the search runs again, until what it picks holds. Only a handful of the cuts are ever
    checked, and each check speaks a bounded stretch of text, so the work grows with the run's length.
    """
    run = _WordRun(words, word_lengths, max_chars, speak, inside, prefix, suffix)
    ends = run.settled_cuts()
    return None if ends is None else run.pieces(ends)


class _WordRun:
    """One run of words being cut by _chunk_words, with what is known so far: the readings of the pieces
    spoken, their exact lengths and which cuts were checked to keep the reading."""

    def __init__(self, words: list[str], word_lengths: list[int], max_chars: int, speak: Speak,
                 inside: frozenset[int], prefix: str, suffix: str) -> None:
        self.words, self.max_chars, self.speak, self.inside = words, max_chars, speak, inside
        self.prefix, self.suffix = prefix, suffix
        self.count = count = len(words)
        self.spoken_cache: dict[tuple[int, int], str] = {}
        # Where each word starts in the written run, to find the words within reach of a cut.
        self.starts = [0] * (count + 1)
        for index, word in enumerate(words):
            self.starts[index + 1] = self.starts[index] + len(word) + 1
        self.reach = int(_CHECK_REACH * max_chars)
        self.safe: dict[int, bool] = {}
        self.heads = [0] * (count + 1)  # estimated spoken length of words[:i] and the space after it
        for index, size in enumerate(word_lengths):
            self.heads[index + 1] = self.heads[index] + size + 1
        self.exact: dict[tuple[int, int], int] = {(i, i + 1): word_lengths[i] for i in range(count)}
        self.off_phrase = _off_phrase(max_chars)

    def spoken(self, start: int, end: int) -> str:
        key = (start, end)
        if key not in self.spoken_cache:
            self.spoken_cache[key] = self.speak(" ".join(self.words[start:end]))
        return self.spoken_cache[key]

    def check(self, cut: int) -> bool:
        """Whether cutting before words[cut] keeps the reading of the text within reach of the cut."""
        if cut not in self.safe:
            starts = self.starts
            low = max(0, bisect.bisect_right(starts, starts[cut] - self.reach) - 1)
            high = min(self.count, bisect.bisect_left(starts, starts[cut] + self.reach))
            self.safe[cut] = (words_of(self.spoken(low, cut)) + words_of(self.spoken(cut, high))
                              == words_of(self.spoken(low, high)))
        return self.safe[cut]

    def glued(self, start: int, end: int, size: int) -> int:
        """`size` with the prefix or suffix that goes with the first or last piece."""
        if self.prefix and start == 0:
            size += len(self.prefix) + 1
        if self.suffix and end == self.count:
            size += len(self.suffix) + 1
        return size

    def length(self, start: int, end: int) -> int:
        """The piece's spoken length: exact once spoken, else estimated from its words' readings."""
        size = self.exact.get((start, end))
        if size is None:
            size = self.heads[end] - self.heads[start] - 1
        return self.glued(start, end, size) if self.prefix or self.suffix else size

    def exact_length(self, start: int, end: int) -> int:
        return self.glued(start, end, len(self.spoken(start, end)))

    def cut_cost(self, cut: int) -> _CutCost:
        return _cut_cost(self.words, cut, self.inside, self.off_phrase, int(not self.safe.get(cut, True)))

    def holds(self, ends: list[int]) -> bool:
        """Whether the cutting `ends` fits and keeps the reading, learning the exact figures on the way.

        Lengths first: they cost a piece's reading each, a check several. The cuts are checked once the
        pieces fit, as the pieces that do not will move."""
        fits = True
        for start, end in zip([0, *ends[:-1]], ends, strict=True):
            if (start, end) not in self.exact:
                self.exact[(start, end)] = len(self.spoken(start, end))
                fits = fits and self.length(start, end) <= self.max_chars
        return fits and all([self.check(end) for end in ends[:-1]])

    def settled_cuts(self) -> list[int] | None:
        """The ends of the pieces, searched again while the estimates prove wrong; None if nothing fits."""
        ends: list[int] | None = None
        for _ in range(_ROUNDS):
            budget.check()
            ends = _cheapest_cuts(self.count, self.length, self.cut_cost, self.max_chars)
            if ends is None or self.holds(ends):
                return ends
        assert ends is not None  # _ROUNDS > 0, and a round without cuts has returned
        return _fit_pieces(ends, self.exact_length, self.max_chars, self.inside)

    def pieces(self, ends: list[int]) -> list[tuple[str, str]]:
        """(display, spoken) for each piece, the prefix and suffix glued to the first and last."""
        pieces: list[tuple[str, str]] = []
        start = 0
        for end in ends:
            pieces.append((" ".join(self.words[start:end]),
                           _join(self.prefix if start == 0 else "", self.spoken(start, end),
                                 self.suffix if end == self.count else "")))
            start = end
        return pieces


def _fit_pieces(ends: list[int], exact_length: Callable[[int, int], int], max_chars: int,
                inside: frozenset[int] = frozenset()) -> list[int] | None:
    """The cutting `ends`, with every piece that is too long when spoken cut again into the fewest pieces
    that fit, each as long as it can be (found by halving, so a piece costs a few readings) and then
    moved back to the nearest cut outside a word (`inside`: the cuts inside one) if there is one; None if
    a single word does not fit. For a run the search could not settle: its cuts are kept as they are."""
    fitted: list[int] = []
    start = 0
    for end in ends:
        while exact_length(start, end) > max_chars:
            if exact_length(start, start + 1) > max_chars:
                return None
            fits, too_long = start + 1, end  # the longest fitting piece from `start` ends in [fits, too_long)
            while too_long - fits > 1:
                middle = (fits + too_long) // 2
                if exact_length(start, middle) <= max_chars:
                    fits = middle
                else:
                    too_long = middle
            fits = next((cut for cut in range(fits, start, -1) if cut not in inside), fits)
            fitted.append(fits)
            start = fits
        fitted.append(end)
        start = end
    return fitted


# In a number's reading the groups end with these words: a reading too long for one chunk is cut after
# one of them ("… tỷ | năm trăm …"), never inside a group ("một trăm hai | mươi ba").
_GROUP_ENDS = frozenset({num.BILLION, num.MILLION, *num.THOUSAND.values()})


def _split_reading(reading: str, max_chars: int) -> list[str]:
    """The reading of one written token that is too long for a chunk, cut into even pieces within
    `max_chars`: after a number group or a comma where possible, else at a space, and a run without
    spaces longer than the limit (a pasted hash, a mangled URL) anywhere."""
    units: list[str] = []
    glued: list[bool] = []  # joined to the unit before without a space
    for word in reading.split(" "):
        if not word:
            continue
        parts = -(-len(word) // max_chars)
        size = -(-len(word) // parts)
        for index in range(parts):
            units.append(word[index * size:(index + 1) * size])
            glued.append(index > 0)
    if not units:
        return []
    offsets = [0]
    spaces = [0]
    for unit, joined in zip(units, glued, strict=True):
        offsets.append(offsets[-1] + len(unit))
        spaces.append(spaces[-1] + (0 if joined else 1))

    def length(start: int, end: int) -> int:
        return offsets[end] - offsets[start] + spaces[end] - spaces[start + 1]

    def cut_cost(cut: int) -> _CutCost:
        if glued[cut]:
            return 1, 0, 1, 0
        return 0, 0, int(units[cut - 1].rstrip(",") not in _GROUP_ENDS), 0

    ends = _cheapest_cuts(len(units), length, cut_cost, max_chars) or list(range(1, len(units) + 1))
    pieces = []
    start = 0
    for end in ends:
        text = units[start]
        for unit, joined in zip(units[start + 1:end], glued[start + 1:end], strict=True):
            text += unit if joined else " " + unit
        pieces.append(text)
        start = end
    return pieces


def chunk_sentence(display: str, max_chars: int, speak: Speak) -> list[tuple[str, str]]:
    """Cut one sentence into (display, spoken) pieces whose spoken text fits `max_chars`.

    Cuts fall between words, at places that do not change how the sentence is read, and never inside a
    word (two syllables the segmenter joins, a hyphenated name) unless a word alone is too long for the
    limit. A cutting that uses clause breaks only (, ; : … ! ? or before a dash) is preferred when it
    exists, the most even one of them; otherwise the fewest, most even pieces (about total/limit equal
    parts), clause breaks still preferred among equals, then cuts before a conjunction or preposition,
    and cuts before a capitalised word (inside a name or after its title) least. The display pieces
    joined with single spaces give back the sentence.

    A single written token whose reading alone exceeds the limit (a huge number) has its reading cut after
    a number group ("… triệu | tám trăm …"); the first or last part of it goes with the neighbouring
    words, so that every piece still carries some of the written text. Only a token that reads longer
    than twice the limit, or a sentence that is nothing but such a token, leaves a piece with no display
    text (there is nothing written left to pair it with).
    """
    spoken = speak(display)
    if len(spoken) <= max_chars:
        return [(display, spoken)]
    speak = _knowing(speak, display, spoken)
    words = display.split(" ")
    said: dict[str, str] = {}  # a word repeated in the sentence is spoken once
    readings: list[str] = []
    for word in words:
        if word not in said:
            budget.check()  # a runaway sentence is read word by word here first
            said[word] = speak(word)
        readings.append(said[word])
    pieces = _chunk_parts(words, spoken, *parts_of_reading(readings, spoken), max_chars)
    if pieces is not None:
        return pieces
    lengths = [len(reading) for reading in readings]
    long = [index for index, size in enumerate(lengths) if size > max_chars]
    inside = _every_inside(words, readings) if long else frozenset(_name_cuts(words))
    if long:
        return _LongTokens(words, readings, long, max_chars, speak, inside).pieces()
    pieces = _chunk_words(words, lengths, max_chars, speak, inside)
    for attempt in range(_RECHECKS):
        missed = _missed_inside(pieces) - inside if pieces else frozenset()
        if not missed:
            break
        inside |= missed | (_every_inside(words, readings) if attempt == 0 else frozenset())
        pieces = _chunk_words(words, lengths, max_chars, speak, inside)
    return pieces or [(display, spoken)]


def _every_inside(words: list[str], readings: list[str]) -> frozenset[int]:
    """Every cut between `words` (read as `readings`) that splits a word, as the whole sentence segmented
    once finds them: when the first cutting split a word, the next search knows them all, so that it
    settles at once instead of meeting them one by one."""
    return cuts_inside_words(words, readings, whole=True)


def _chunk_parts(words: list[str], spoken: str, starts: list[int], unknown: frozenset[int],
                 max_chars: int) -> list[tuple[str, str]] | None:
    """The sentence cut as chunk_sentence says, its pieces' spoken text being parts of `spoken` (the words'
    parts at `starts`, never cut at the `unknown` cuts): the pieces say together what the sentence says and
    every length is known, so one search settles it. None if a part between two cuts is too long or a piece
    would say nothing."""
    # Where the piece before each boundary ends: without the space before the next word, nor a comma or
    # semicolon, as the normaliser ends any text it reads (the chunk's own pause stands for them).
    # A word said as nothing (a dash) has an empty part: its piece ends where it starts.
    ends = list(starts)
    for index, start in enumerate(starts):
        while start > 0 and (spoken[start - 1].isspace() or spoken[start - 1] in ",;"):
            start -= 1
        ends[index] = max(start, starts[index - 1]) if index else start

    def length(start: int, end: int) -> int:
        return ends[end] - starts[start]

    bounds = [cut for cut in range(len(words) + 1) if cut not in unknown]
    if any(length(start, end) > max_chars for start, end in zip(bounds, bounds[1:], strict=False)):
        return None
    off_phrase = _off_phrase(max_chars)
    # First as if no word but a hyphenated name could be split; then the cuts picked are judged, and a
    # cut found inside a word is avoided in a new search. Words found cost only the cuttings that split
    # them, so a cutting that splits none of those found is the cheapest with every word known.
    inside = frozenset(_name_cuts(words))
    parts = [spoken[starts[i]:starts[i + 1]].rstrip() for i in range(len(words))]  # with their pauses
    for attempt in range(_RECHECKS + 1):
        def cost(cut: int, known: frozenset[int] = inside) -> _CutCost | None:
            return None if cut in unknown else _cut_cost(words, cut, known, off_phrase)

        cuts = _cheapest_cuts(len(words), (starts, ends), cost, max_chars)
        if cuts is None:
            return None
        pieces = [(" ".join(words[start:end]), spoken[starts[start]:ends[end]])
                  for start, end in zip([0, *cuts[:-1]], cuts, strict=True)]
        if not all(said for _, said in pieces):
            return None
        missed = _missed_inside(pieces) - inside
        if not missed:
            break
        inside |= missed | (_every_inside(words, parts) if not attempt else frozenset())
    return pieces


# The words read alone stand in for the sentence's reading when the chunker judges its cuts, and a word
# can read otherwise in context ("kg" alone is "kg", after "2.000" it is "ki lô gam"): the pieces picked
# are judged again as said, and a cut found inside a word is avoided in a new search, at most this many
# times; a cut the search cannot avoid stays.
_RECHECKS = 3


def _missed_inside(pieces: list[tuple[str, str]]) -> frozenset[int]:
    """The cuts between `pieces` (as indices into the sentence's words) that fall inside a word as said."""
    inside = cuts_inside_words([display for display, _ in pieces], [spoken for _, spoken in pieces])
    firsts = [0]
    for display, _ in pieces[:-1]:
        firsts.append(firsts[-1] + len(display.split(" ")))
    return frozenset(firsts[cut] for cut in inside)


def _knowing(speak: Speak, text: str, reading: str) -> Speak:
    """`speak`, with the reading of `text` already known: checking a cut speaks the text on both sides of
    it, which for a sentence of up to twice the limit is the whole sentence, read once already."""
    def speak_known(asked: str) -> str:
        return reading if asked == text else speak(asked)
    return speak_known


class _LongTokens:
    """A sentence holding tokens too long to be spoken in one piece, cut as chunk_sentence describes:
    each long reading cut into parts, and the runs of ordinary words between them chunked with the
    neighbouring parts glued on where they fit."""

    def __init__(self, words: list[str], readings: list[str], long: list[int], max_chars: int,
                 speak: Speak, inside: frozenset[int]) -> None:
        self.words, self.readings, self.max_chars, self.speak = words, readings, max_chars, speak
        self.inside = inside
        self.lengths = [len(reading) for reading in readings]
        # Runs of ordinary words between the tokens too long to be spoken in one piece.
        bounds = [-1, *long, len(words)]
        self.runs = [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]
        self.parts = {index: _split_reading(readings[index], max_chars) for index in long}
        # Which part of each long reading joins its neighbours: the last part goes with the words after it,
        # the first with the words before it when the last cannot, or when more than two parts would be bare.
        self.with_next = {index: index + 1 < len(words) and index + 1 not in self.parts
                          and self._fits_with(index + 1, self.parts[index][-1]) for index in long}
        self.with_previous = {index: index > 0 and index - 1 not in self.parts
                              and self._fits_with(index - 1, self.parts[index][0])
                              and (not self.with_next[index] or len(self.parts[index]) > 2) for index in long}

    def _fits_with(self, word: int, part: str) -> bool:
        return self.lengths[word] + 1 + len(part) <= self.max_chars

    def pieces(self) -> list[tuple[str, str]]:
        chunked_runs = [self._chunk_run(number, start, end) for number, (start, end) in enumerate(self.runs)]
        pieces: list[tuple[str, str]] = []
        for number, (start, _) in enumerate(self.runs):
            if number:
                self._place_long(start - 1, pieces)
            pieces.extend(chunked_runs[number])
        return pieces

    def _chunk_run(self, number: int, start: int, end: int) -> list[tuple[str, str]]:
        """The run of words[start:end], with the parts of the long readings around it that fit; a part that
        does not is marked as staying with its own token."""
        if start == end:
            return []
        before = start - 1 if number else None
        after = end if end < len(self.words) else None
        prefix = self.parts[before][-1] if before is not None and self.with_next[before] else ""
        suffix = self.parts[after][0] if after is not None and self.with_previous[after] else ""
        chunked, keep_prefix, keep_suffix = self._chunk_glued(start, end, prefix, suffix)
        if before is not None and not keep_prefix:
            self.with_next[before] = False
        if after is not None and not keep_suffix:
            self.with_previous[after] = False
        return chunked

    def _chunk_glued(self, start: int, end: int, prefix: str,
                     suffix: str) -> tuple[list[tuple[str, str]], bool, bool]:
        """The run chunked with both glued parts, else with one of them, else with none; and which were kept."""
        words, lengths = self.words[start:end], self.lengths[start:end]
        inside = frozenset(cut - start for cut in self.inside if start < cut < end)
        for keep_prefix, keep_suffix in ((True, True), (True, False), (False, True), (False, False)):
            chunked = _chunk_words(words, lengths, self.max_chars, self.speak, inside,
                                   prefix if keep_prefix else "", suffix if keep_suffix else "")
            if chunked is not None:
                return chunked, keep_prefix, keep_suffix
        # Cannot happen: every word of a run fits alone.
        return list(zip(words, self.readings[start:end], strict=True)), False, False

    def _place_long(self, index: int, pieces: list[tuple[str, str]]) -> None:
        """Append the parts of the long reading at `index` that went with neither neighbour."""
        parts = self.parts[index]
        bare = parts[int(self.with_previous[index]):len(parts) - int(self.with_next[index])]
        if bare:
            pieces.append((self.words[index], bare[0]))
            pieces.extend(("", part) for part in bare[1:])
        else:  # both ends went to the neighbours: the written token goes where its reading starts
            pieces[-1] = (_join(pieces[-1][0], self.words[index]), pieces[-1][1])
