"""Caption sidecars: one cue per chunk (a sentence, or a piece of a long one) showing the display text,
timed from the same sample counts the audio was assembled with."""

from __future__ import annotations

from collections.abc import Sequence

from readaloud.model import Chunk, Cue, Span
from readaloud.timeline import to_ms


def cues(chunks: Sequence[Chunk], spans: Sequence[Span], sample_rate: int) -> list[Cue]:
    """Cues for every chunk that shows text and makes sound, in order."""
    return [Cue(to_ms(span.start, sample_rate), to_ms(span.end, sample_rate), chunk.display)
            for chunk, span in zip(chunks, spans, strict=True) if chunk.display and span.end > span.start]


def _stamp(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def _one_line(text: str) -> str:
    # A blank line ends a cue in both formats, and "-->" would be read as a timing line.
    return " ".join(text.split()).replace("-->", "→")


def webvtt(items: Sequence[Cue]) -> str:
    blocks = [f"{n}\n{_stamp(c.start_ms, '.')} --> {_stamp(c.end_ms, '.')}\n{_one_line(c.text)}"
              for n, c in enumerate(items, start=1)]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"


def srt(items: Sequence[Cue]) -> str:
    blocks = [f"{n}\n{_stamp(c.start_ms, ',')} --> {_stamp(c.end_ms, ',')}\n{_one_line(c.text)}"
              for n, c in enumerate(items, start=1)]
    return "\n\n".join(blocks) + "\n"
