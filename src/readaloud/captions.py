"""Caption sidecars a person can read, timed from the same sample counts the audio was assembled with.

Broadcast practice: a cue shows at most 2 lines of at most 42 characters for about 1-7 s, and is cut
between words, preferably after punctuation or before a linking word. Each chunk (a sentence, or a piece
of a long one) is cut into such cues and each cue starts where its first word is spoken:

- espeak-ng reports where each spoken word starts (word events), so those times are used as they are;
- for an engine that reports nothing, the chunk's time is shared out by syllables spoken (a Vietnamese
  syllable is one space-separated token of the spoken text), which tracks speech far better than
  characters of display text do ("15/10/2024" is 5 characters of display and 14 syllables spoken).

The display text (what captions show) and the spoken text differ where the normaliser expanded numbers,
dates and abbreviations. The two are aligned word by word: a display word that is spoken as written
(compared without case and punctuation) is pinned to that spoken word; display words in between (an
expanded "8.300 ha", an abbreviation) share the spoken words between their pinned neighbours in proportion
to their length. Most cut points follow punctuation, right after an ordinary word, so they are pinned.
"""

from __future__ import annotations

import difflib
import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from readaloud.model import Chunk, Cue, Span
from readaloud.text import inside_word_spaces
from readaloud.timeline import to_ms

MAX_LINE_CHARS = 42
MAX_LINES = 2
MAX_CUE_MS = 7000
MIN_CUE_MS = 1000

Words = tuple[tuple[int, int], ...]  # (character offset in the spoken text, sample offset in the clip)

# Cost of cutting after a word, by what ends it or what follows: the lower, the better a phrase boundary.
_AFTER_CLAUSE = 1.0  # after , ; : or a quoted sentence's end (a chunk ends where its sentence does)
_BEFORE_LINK = 3.0
_ANYWHERE = 6.0
_TIED = 10.0  # a number and its unit, a range, an abbreviation and its name (see _tied)
_IN_WORD = 10.0  # between two syllables of one word ("khai | giảng"): see vi.words
_PER_CUE = 2.0  # fewer, fuller cues read better than many flashes
_TOO_SHORT = 12.0  # a cue under MIN_CUE_MS, unless the whole chunk is that short
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*$")
_CLAUSE_END = re.compile(r"[,;:–—][\"”’)\]]*$")
_DASH = frozenset({"-", "–", "—"})
# Words that begin a phrase: cutting before them keeps the phrase whole on the next cue.
_LINKS = frozenset("và hoặc nhưng mà thì nên vì do để nếu khi của cho với tại theo từ trong ngoài trên dưới "
                   "đến sau trước như là gồm nhằm".split())


def _key(word: str) -> str:
    return "".join(c for c in word.casefold() if c.isalnum())


def _word_starts(display_words: Sequence[str], spoken_words: Sequence[str]) -> list[float]:
    """For each boundary before display word i (and after the last), the spoken-word index where it falls
    (fractional between pinned words)."""
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in display_words], [_key(w) for w in spoken_words],
                                      autojunk=False)
    pinned: dict[int, float] = {0: 0.0, len(display_words): float(len(spoken_words))}
    for block in matcher.get_matching_blocks():
        for offset in range(block.size + 1):
            pinned[block.a + offset] = float(block.b + offset)
    anchors = sorted(pinned)
    starts = [0.0] * (len(display_words) + 1)
    for left, right in zip(anchors, anchors[1:], strict=False):
        starts[left] = pinned[left]
        weights = [len(w) for w in display_words[left:right]]
        total = sum(weights) or 1
        done = 0
        for index in range(left + 1, right):
            done += weights[index - left - 1]
            starts[index] = pinned[left] + (pinned[right] - pinned[left]) * done / total
    starts[-1] = pinned[len(display_words)]
    return starts


def _spoken_times(spoken: str, words: Words, clip_samples: int) -> list[float]:
    """Sample offset (within the clip) where each spoken word starts, plus the clip's end: from the engine's
    word events when it gave them, else shared out evenly by syllable."""
    offsets = [m.start() for m in re.finditer(r"\S+", spoken)]
    count = len(offsets)
    if not words:
        return [clip_samples * index / max(1, count) for index in range(count + 1)]
    at = dict(words)
    known = [(index, float(at[offset])) for index, offset in enumerate(offsets) if offset in at]
    known = [(0, known[0][1] if known else 0.0), *known, (count, float(clip_samples))]
    times = [0.0] * (count + 1)
    for (left, t_left), (right, t_right) in zip(known, known[1:], strict=False):
        for index in range(left, right + 1):
            share = (index - left) / (right - left) if right > left else 0.0
            times[index] = t_left + (t_right - t_left) * share
    # Word events before the trimmed start (a shift below zero) and past the end are clamped to the clip.
    return [min(max(t, 0.0), float(clip_samples)) for t in times]


def _at(times: Sequence[float], position: float) -> float:
    low = int(position)
    if low >= len(times) - 1:
        return times[-1]
    return times[low] + (times[low + 1] - times[low]) * (position - low)


def _tied(last: str, following: str) -> bool:
    """Words that belong together: a number and what follows it, either side of a dash that joins two
    numbers, and an abbreviation and the name after it ("TP. Cao Lãnh", "ThS. Lê Thị Hồng"): a chunk is
    never more than one sentence, so a full stop inside one ends an abbreviation."""
    ends_in_digit = last[-1:].isdigit()
    abbreviation = last.endswith(".") and len(last) > 1 and not last[:-1].endswith(".")
    return ends_in_digit or abbreviation or (last in _DASH and following[:1].isdigit())


def _line_cut_cost(words: Sequence[str], cut: int, in_word: frozenset[int] = frozenset()) -> float:
    """Against balance (characters of difference): a clause end or a phrase start is worth a less even
    pair of lines; a number torn from its unit or from the rest of a range ("150 / kg", "7.800 / - 8.200")
    is worth a much less even one."""
    last, following = words[cut - 1], words[cut]
    if cut in in_word:
        return 40  # a word torn over two lines is harder to read than two lines of unequal length
    if _tied(last, following):
        return 15
    if _SENTENCE_END.search(last) or _CLAUSE_END.search(last):
        return -20
    if following.casefold() in _LINKS:
        return -8
    return 0


def lines(text: str, in_word: frozenset[int] = frozenset()) -> list[str]:
    """The text on as few lines as fit MAX_LINE_CHARS (at most MAX_LINES for a cue built here), cut at the
    space that balances them best, preferring one after punctuation and avoiding the spaces inside a word
    (`in_word`, as vi.words gives them). Only a single piece longer than a line (a web address) is ever
    cut inside."""
    words = text.split()
    if len(" ".join(words)) <= MAX_LINE_CHARS:
        return [" ".join(words)] if words else []
    best: tuple[float, int] | None = None
    for cut in range(1, len(words)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if len(first) > MAX_LINE_CHARS:
            break
        if len(second) > MAX_LINE_CHARS:
            continue
        score = abs(len(first) - len(second)) + _line_cut_cost(words, cut, in_word)
        if best is None or score < best[0]:
            best = (score, cut)
    if best is not None:
        return [" ".join(words[: best[1]]), " ".join(words[best[1]:])]
    # Longer than two lines (or a word longer than a line): fill greedily, cutting an overlong word.
    result: list[str] = []
    current = ""
    for word in words:
        while len(word) > MAX_LINE_CHARS:
            if current:
                result.append(current)
                current = ""
            result.append(word[:MAX_LINE_CHARS])
            word = word[MAX_LINE_CHARS:]
        if current and len(current) + 1 + len(word) > MAX_LINE_CHARS:
            result.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        result.append(current)
    return result


def _layout(words: Sequence[str], in_word: frozenset[int]) -> tuple[bool, bool]:
    """Whether `words` fit on MAX_LINES lines, and whether they do without a line break inside a word."""
    laid = lines(" ".join(words), in_word)
    breaks = set(itertools.accumulate(len(line.split()) for line in laid[:-1]))
    return len(laid) <= MAX_LINES, not breaks & in_word


def _cut_cost(words: Sequence[str], after: int, in_word: frozenset[int] = frozenset()) -> float:
    """The cost of ending a cue after words[after - 1]."""
    if after == len(words):
        return 0.0
    last, following = words[after - 1], words[after]
    if _tied(last, following):
        return _TIED
    if after in in_word:
        return _IN_WORD
    if _SENTENCE_END.search(last) or _CLAUSE_END.search(last) or following in _DASH:
        return _AFTER_CLAUSE
    if following.casefold() in _LINKS or following[:1] in "(“\"":
        return _BEFORE_LINK
    return _ANYWHERE


def _pieces(words: Sequence[str], starts_ms: Sequence[float],
            in_word: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
    """The cheapest cut of words into cues, as (first, end) word ranges: each cue fits MAX_LINES lines and
    lasts at most MAX_CUE_MS (a single word is always allowed)."""
    count = len(words)
    whole_ms = starts_ms[count] - starts_ms[0]
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * count
    for end in range(1, count + 1):
        for first in range(end - 1, -1, -1):
            duration = starts_ms[end] - starts_ms[first]
            single = end - first == 1
            fits, clean = (True, True) if single else _layout(
                words[first:end], frozenset(cut - first for cut in in_word if first < cut < end))
            if not single and (duration > MAX_CUE_MS or not fits):
                break  # a longer cue would only be longer still
            cost = best[first][0] + _PER_CUE + _cut_cost(words, end, in_word) + (0 if clean else _IN_WORD)
            if duration < MIN_CUE_MS and whole_ms >= MIN_CUE_MS:
                cost += _TOO_SHORT * (MIN_CUE_MS - duration) / MIN_CUE_MS
            if cost < best[end][0]:
                best[end] = (cost, first)
    ranges: list[tuple[int, int]] = []
    end = count
    while end > 0:
        first = best[end][1]
        ranges.append((first, end))
        end = first
    return ranges[::-1]


@dataclass(frozen=True)
class Spoken:
    """One chunk as the cue builder sees it: where it sits, what it shows, what was said, and when each
    spoken word began (empty when the engine does not say)."""

    span: Span
    display: str
    spoken: str
    words: Words = ()


def chunk_cues(item: Spoken, sample_rate: int, tempo: float = 1.0) -> list[Cue]:
    display_words = item.display.split()
    spoken_words = item.spoken.split()
    length = item.span.end - item.span.start
    if not display_words or length <= 0:
        return []
    clip_samples = round(length * tempo)  # word offsets are in the clip as spoken, before any tempo change
    times = _spoken_times(item.spoken, item.words, clip_samples)
    boundaries = _word_starts(display_words, spoken_words) if spoken_words else [0.0] * len(display_words) + [0.0]
    at_sample = [item.span.start + min(length, round(_at(times, b) / tempo)) for b in boundaries]
    at_sample[-1] = item.span.end
    at_ms = [s * 1000 / sample_rate for s in at_sample]
    in_word = inside_word_spaces(display_words)
    result = []
    for first, end in _pieces(display_words, at_ms, in_word):
        here = frozenset(cut - first for cut in in_word if first < cut < end)
        result.append(Cue(to_ms(at_sample[first], sample_rate), to_ms(at_sample[end], sample_rate),
                          "\n".join(lines(" ".join(display_words[first:end]), here))))
    return result


def _lengthen_short(items: list[Cue], end_ms: int | None) -> list[Cue]:
    """A cue shorter than MIN_CUE_MS stays up into the silence after it, until the next cue begins (the
    last one until the audio ends)."""
    result = []
    for index, cue in enumerate(items):
        if index + 1 < len(items):
            limit = items[index + 1].start_ms
        else:
            limit = cue.start_ms + MIN_CUE_MS if end_ms is None else end_ms
        end = max(cue.end_ms, min(cue.start_ms + MIN_CUE_MS, limit))
        result.append(Cue(cue.start_ms, end, cue.text))
    return result


def heading_forms(chunks: Sequence[Chunk], titles: Sequence[str]) -> list[str]:
    """Each chunk's display text, a heading's in the chapter title's form (sentence case for an ALL-CAPS
    heading), so the caption and the chapter list agree. The title's words replace the heading's where
    they are the same words apart from case."""
    result = [chunk.display for chunk in chunks]
    by_section: dict[int, list[int]] = {}
    for position, chunk in enumerate(chunks):
        if chunk.role == "heading":
            by_section.setdefault(chunk.section, []).append(position)
    for section, positions in by_section.items():
        if section >= len(titles):
            continue
        title_words = titles[section].split()
        used = 0
        for position in positions:
            words = result[position].split()
            replacement = title_words[used: used + len(words)]
            if [w.casefold() for w in replacement] != [w.casefold() for w in words]:
                break  # the heading goes on past its title (a second sentence): shown as written
            result[position] = " ".join(replacement)
            used += len(words)
    return result


def cues(chunks: Sequence[Chunk], spans: Sequence[Span], sample_rate: int, titles: Sequence[str] = (),
         words: Sequence[Words] = (), tempo: float = 1.0, total: int | None = None) -> list[Cue]:
    """Cues for every chunk that shows text and makes sound, in order. `words` holds each chunk's word
    times (clip samples, before `tempo`), or nothing for an engine without them; `total` is the length of
    the audio (samples), which no cue outlasts."""
    shown = heading_forms(chunks, titles)
    found: list[Cue] = []
    for position, (chunk, span) in enumerate(zip(chunks, spans, strict=True)):
        times = words[position] if position < len(words) else ()
        found += chunk_cues(Spoken(span, shown[position], chunk.spoken, times), sample_rate, tempo)
    return _lengthen_short(found, None if total is None else to_ms(total, sample_rate))


def _stamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _cue_text(text: str) -> str:
    # Lines kept, none blank (a blank line ends a cue in both formats), and "-->" would be read as a timing.
    kept = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in kept if line).replace("-->", "→")


def _vtt_escaped(text: str) -> str:
    # In WebVTT cue text "<" opens a tag and "&" an entity: a bare one loses text in browsers' parsers.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(items: Sequence[Cue]) -> str:
    blocks = [f"{n}\n{_stamp(c.start_ms, '.')} --> {_stamp(c.end_ms, '.')}\n{_vtt_escaped(_cue_text(c.text))}"
              for n, c in enumerate(items, start=1)]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def srt(items: Sequence[Cue]) -> str:
    blocks = [f"{n}\n{_stamp(c.start_ms, ',')} --> {_stamp(c.end_ms, ',')}\n{_cue_text(c.text)}"
              for n, c in enumerate(items, start=1)]
    return "\n\n".join(blocks) + "\n"


_TIMING = re.compile(r"(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})\s+-->\s+(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})")


def _ms(hours: str | None, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def read_webvtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file (as `webvtt` writes them, or any plain one); styling and settings are
    dropped, since only the text and times are used (by the player's transcript)."""
    if not text.lstrip("\ufeff").startswith("WEBVTT"):
        raise ValueError("not a WebVTT file (it does not start with WEBVTT)")
    found: list[Cue] = []
    for block in re.split(r"\r?\n(?:[ \t]*\r?\n)+", text.strip()):
        lines = block.splitlines()
        timing = next((n for n, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue  # the header, a NOTE, a STYLE or REGION block
        match = _TIMING.match(lines[timing].strip())
        if match is None:
            raise ValueError(f"a cue timing it cannot read: {lines[timing].strip()[:60]!r}")
        start, end = _ms(*match.group(1, 2, 3, 4)), _ms(*match.group(5, 6, 7, 8))
        shown = (html.unescape(re.sub(r"<[^>]*>", "", line)) for line in lines[timing + 1:])
        found.append(Cue(start, end, "\n".join(shown)))
    return found
