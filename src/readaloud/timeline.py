"""Pure arithmetic of the final audio: where each chunk sits and where each chapter starts.

Everything is counted in whole samples at the assembly rate, so chapter times, caption cues and the
silences actually written agree exactly; milliseconds appear only at the edges (tags, captions).
"""

from __future__ import annotations

from collections.abc import Sequence

from readaloud.model import Chapter, Chunk, Span


def pause_samples(ms: int, sample_rate: int) -> int:
    return ms * sample_rate // 1000


def to_ms(samples: int, sample_rate: int) -> int:
    return samples * 1000 // sample_rate


def layout(clip_samples: Sequence[int], pauses_ms: Sequence[int], sample_rate: int,
           start: int = 0) -> tuple[list[Span], int]:
    """Spans of each clip when each is followed by its pause, beginning at `start` (after an intro);
    returns (spans, the sample after the last pause)."""
    spans: list[Span] = []
    position = start
    for length, pause in zip(clip_samples, pauses_ms, strict=True):
        spans.append(Span(position, position + length))
        position += length + pause_samples(pause, sample_rate)
    return spans, position


def stretch(spans: Sequence[Span], total: int, tempo: float) -> tuple[list[Span], int]:
    """Positions after playing `tempo` times faster (ffmpeg atempo keeps the sample rate)."""
    if tempo == 1.0:
        return list(spans), total
    return [Span(round(s.start / tempo), round(s.end / tempo)) for s in spans], round(total / tempo)


def chapters(chunks: Sequence[Chunk], spans: Sequence[Span], titles: Sequence[str], total: int,
             sample_rate: int) -> tuple[Chapter, ...]:
    """One chapter per section: the first starts at 0, each later one where its first chunk's speech
    starts, and each ends where the next begins (the last at the end of the audio)."""
    starts: dict[int, int] = {}
    for chunk, span in zip(chunks, spans, strict=True):
        starts.setdefault(chunk.section, 0 if chunk.section == 0 else span.start)
    ordered = sorted(starts.items())
    result = []
    for position, (section, start) in enumerate(ordered):
        end = ordered[position + 1][1] if position + 1 < len(ordered) else total
        result.append(Chapter(titles[section], to_ms(start, sample_rate), to_ms(end, sample_rate)))
    return tuple(result)
