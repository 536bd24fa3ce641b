"""Where Vietnamese words end. Written Vietnamese puts a space between syllables, so "khai giảng" is one
word spelt as two space-separated pieces; only a word segmenter can tell. underthesea's CRF segmenter
(its model ships inside the wheel and runs offline, about a millisecond a sentence) says which spaces
fall inside a word, so captions never break a line or a cue there.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence

# underthesea loads its model on first use without a lock: two builds at once (sync --jobs 2) met a
# half-loaded tagger ("'NoneType' object has no attribute 'process'"). Calls take about a millisecond,
# so they simply take turns.
_one_at_a_time = threading.Lock()


@functools.cache
def _segmenter() -> Callable[..., str]:
    from underthesea import word_tokenize

    segment: Callable[..., str] = word_tokenize
    return segment


def inside_word_spaces(pieces: Sequence[str]) -> frozenset[int]:
    """For text split at its spaces into `pieces`, the cuts (a cut i falls between pieces[i - 1] and
    pieces[i]) that would split one word. Empty when the segmenter's output cannot be lined up with the
    text: then nothing is forbidden rather than something wrongly."""
    text = " ".join(pieces)
    if len(pieces) < 2:
        return frozenset()
    with _one_at_a_time:
        joined = _segmenter()(text, format="text")  # the syllables of one word joined by "_"
    inside: set[int] = set()
    cut = 0
    at = 0
    for char in text:
        if char == " ":
            cut += 1
            while at < len(joined) and joined[at] == " " and at + 1 < len(joined) and joined[at + 1] == " ":
                at += 1
            if at >= len(joined) or joined[at] not in " _":
                return frozenset()
            if joined[at] == "_":
                inside.add(cut)
            at += 1
            continue
        while at < len(joined) and joined[at] == " ":  # a space the segmenter put before punctuation
            at += 1
        if at >= len(joined) or joined[at] != char:
            return frozenset()
        at += 1
    return frozenset(inside)
