"""Probes tests use to look inside built audio: the pauses heard, and the chapters ffmpeg sees.

Kept out of readaloud itself, which never needs them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from readaloud.audio import SILENCE_DBFS, decoding, runner
from readaloud.model import Audio


@dataclass(frozen=True)
class Silence:
    start_ms: int
    end_ms: int


def silences(audio: Audio, min_ms: int = 100, threshold_dbfs: float = SILENCE_DBFS,
             window_ms: int = 5) -> list[Silence]:
    """Stretches at least `min_ms` long in which every `window_ms` window is below `threshold_dbfs`.

    Short windows keep the edges honest: a long averaging window (pydub's detect_silence) counts the
    quiet start of a consonant such as "h" as silence and reports pauses tens of ms too long.
    """
    segment = decoding.segment(audio)
    found: list[Silence] = []
    run_start: int | None = None
    for start in range(0, len(segment), window_ms):
        quiet = segment[start : start + window_ms].dBFS < threshold_dbfs
        if quiet and run_start is None:
            run_start = start
        elif not quiet and run_start is not None:
            if start - run_start >= min_ms:
                found.append(Silence(run_start, start))
            run_start = None
    if run_start is not None and len(segment) - run_start >= min_ms:
        found.append(Silence(run_start, len(segment)))
    return found


def probe_chapters(path: Path) -> list[tuple[float, float, str]]:
    """Chapters as ffmpeg's demuxer sees them, in the order it numbers them: (start_s, end_s, title)."""
    import ffmpeg

    args = ffmpeg.input(runner.url(path)).output("pipe:1", format="ffmetadata").get_args()
    text = runner.run(args, what=f"reading chapters of {path}").stdout.decode("utf-8", "replace")
    sections: list[dict[str, str]] = []
    for line in text.splitlines():
        if line == "[CHAPTER]":
            sections.append({})
        elif sections and "=" in line:
            key, _, value = line.partition("=")
            sections[-1][key] = value
    chapters = []
    for fields in sections:
        num, den = (int(x) for x in fields.get("TIMEBASE", "1/1000").split("/"))
        chapters.append((int(fields["START"]) * num / den, int(fields["END"]) * num / den,
                         fields.get("title", "")))
    return chapters
