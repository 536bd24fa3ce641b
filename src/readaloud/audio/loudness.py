"""Loudness: the EBU R 128 meter and the gain-and-limiter chain that masters speech, as ffmpeg filters.

`measure_loudness` meters a file in one pass; `RunningMeter` meters PCM while it is being written.
"""

from __future__ import annotations

import math
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from readaloud.audio import runner
from readaloud.errors import ToolError

# alimiter's timing: 5 ms to clamp a peak, 50 ms to let go (its defaults; short enough for speech).
_LIMITER_ATTACK_MS = 5
_LIMITER_RELEASE_MS = 50


@dataclass(frozen=True)
class Loudness:
    """EBU R 128 figures: integrated loudness (LUFS) and true peak (dBTP, 4x oversampled)."""

    integrated_lufs: float
    true_peak_dbtp: float


@dataclass(frozen=True)
class Mastering:
    """Gain then a peak limiter: speech brought to the target loudness without exceeding the ceiling."""

    gain_db: float
    ceiling_db: float  # limiter ceiling in dBFS (sample peak); set below the true-peak target


_SUMMARY_I = re.compile(r"^\s*I:\s*(-?[\d.]+|-inf)\s+LUFS", re.MULTILINE)
_SUMMARY_PEAK = re.compile(r"^\s*Peak:\s*(-?[\d.]+|-inf)\s+dBFS", re.MULTILINE)


def parse_summary(stderr: bytes, what: str) -> Loudness:
    """The figures in the summary ffmpeg's ebur128 filter logs at the end (true peak nan when not metered)."""
    text = stderr.decode("utf-8", "replace")
    integrated = _SUMMARY_I.findall(text)
    peak = _SUMMARY_PEAK.findall(text)
    if not integrated:
        raise ToolError(f"{what}: ffmpeg printed no loudness summary")
    return Loudness(float(integrated[-1]), float(peak[-1]) if peak else math.nan)


# Tied to the filters' own log prefix, so a file name in ffmpeg's log never reads as a figure; not to the
# start of a line, where ffmpeg's progress report (ending in a carriage return) may stand first.
_BLOCK = re.compile(rb"\[Parsed_ebur128_\d+ @ [^\]]*\] t:\s*[\d.]+\s+TARGET:-?\d+ LUFS\s+M:\s*(-?[\d.]+|-inf|nan)\s")
_UPSAMPLED_PEAK = re.compile(r"\[Parsed_astats_\d+ @ [^\]]*\] Peak level dB:\s*(-?[\d.]+|-inf)\s*$", re.MULTILINE)
# EBU R 128 gating: blocks under -70 LUFS are left out, then those more than 10 LU under the rest's mean.
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = 10.0


@dataclass(frozen=True)
class Metered:
    """What the meter on one encoded section heard: the loudness of each 400 ms block, one every 100 ms
    (the blocks EBU R 128 gates and averages), and the true peak. Sections' blocks put together give the
    whole file's integrated loudness (`integrated`); their true peak is the highest of theirs."""

    blocks: tuple[float, ...]
    true_peak_dbtp: float


def integrated(blocks: Sequence[float]) -> float:
    """Integrated loudness (LUFS) from momentary block loudness, gated as EBU R 128 says; -inf for silence."""
    audible = [block for block in blocks if block > _ABSOLUTE_GATE_LUFS]
    if not audible:
        return -math.inf
    gate = 10 * math.log10(sum(10 ** (block / 10) for block in audible) / len(audible)) - _RELATIVE_GATE_LU
    kept = [10 ** (block / 10) for block in audible if block > gate]
    return 10 * math.log10(sum(kept) / len(kept))


def meter_encoded(stream: Any, rate: int) -> Any:
    """`stream` (an encoded section, decoded) through the meter `parse_metered` reads: ebur128 logging every
    block on one branch, and on the other the sample peak 4x oversampled, which is the true peak as ITU-R
    BS.1770 defines it. ffmpeg's own true-peak meter (ebur128 peak=true) reads the same figure at a higher
    cost (2.9 s against 2.2 s for this meter on 10 minutes, Debian's ffmpeg 5.1)."""
    import ffmpeg

    split = stream.filter("aformat", sample_fmts="flt").filter_multi_output("asplit")
    blocks = split.stream(0).filter("ebur128", peak="none", framelog="info")
    peak = split.stream(1).filter("aresample", 4 * rate).filter(
        "astats", measure_perchannel="none", measure_overall="Peak_level")
    return ffmpeg.merge_outputs(blocks.output("-", format="null"), peak.output("-", format="null"))


def parse_metered(stderr: bytes, what: str) -> Metered:
    """The blocks and peak `meter_encoded` logged."""
    peak = _UPSAMPLED_PEAK.findall(stderr.decode("utf-8", "replace"))
    found = _BLOCK.findall(stderr)
    if not peak or not found:
        raise ToolError(f"{what}: ffmpeg printed no {'peak level' if not peak else 'loudness blocks'}")
    return Metered(tuple(float(value) for value in found if value != b"nan"), float(peak[-1]))


def meter(stream: Any, true_peak: bool = True) -> Any:
    """`stream` (an ffmpeg-python stream) through the loudness meter."""
    # framelog=verbose keeps the per-100 ms lines out of the info-level log; only the summary is printed.
    # True peak (4x oversampling) triples the cost, so passes that only need loudness skip it.
    return stream.filter("ebur128", peak="true" if true_peak else "none", framelog="verbose")


def master(stream: Any, mastering: Mastering) -> Any:
    """`stream` (an ffmpeg-python stream) through the gain and the limiter."""
    limit = 10 ** (mastering.ceiling_db / 20)
    # level=0: alimiter would otherwise re-normalise its output up to the ceiling.
    return stream.filter("volume", f"{mastering.gain_db:.2f}dB").filter(
        "alimiter", limit=f"{limit:.4f}", level=0, attack=_LIMITER_ATTACK_MS, release=_LIMITER_RELEASE_MS)


def measure_loudness(path: Path, raw_rate: int | None = None, mastering: Mastering | None = None,
                     true_peak: bool = True) -> Loudness:
    """Integrated loudness and true peak of an audio file (or raw mono s16le PCM at `raw_rate`), optionally
    as it would be after `mastering`. Without true peak, `true_peak_dbtp` is nan."""
    import ffmpeg

    source = (ffmpeg.input(runner.url(path), format="s16le", ac=1, ar=raw_rate) if raw_rate
              else ffmpeg.input(runner.url(path)))
    stream = source.audio if mastering is None else master(source.audio, mastering)
    args = meter(stream, true_peak).output("-", format="null").get_args()
    done = runner.run(args, what=f"measuring loudness of {path}", loglevel="info")
    return parse_summary(done.stderr, f"measuring loudness of {path}")


class RunningMeter:
    """Integrated loudness of raw mono s16le PCM, measured by an ffmpeg on the other core while the PCM is
    being written, so the raw figure is ready the moment the last clip is (a separate pass over the file
    afterwards costs about 6% of a long build). Use as a context manager; `finish()` gives the figure."""

    def __init__(self, rate: int) -> None:
        import ffmpeg

        args = meter(ffmpeg.input("pipe:0", format="s16le", ac=1, ar=rate).audio, true_peak=False).output(
            "-", format="null").get_args()
        self._log: IO[bytes] = tempfile.TemporaryFile()
        try:
            self._process, self._input = runner.start_fed(args, self._log)
        except ToolError:
            self._log.close()
            raise
        self._broken = False

    def feed(self, pcm: bytes) -> None:
        if self._broken or not pcm:
            return
        try:
            self._input.write(pcm)
        except BrokenPipeError:  # ffmpeg stopped early: finish() reports why
            self._broken = True

    def finish(self) -> float:
        """Close the input and wait for the figure (LUFS; -inf for silence)."""
        try:
            self._input.close()
        except BrokenPipeError:
            pass
        returncode = self._process.wait()
        self._log.seek(0)
        log = self._log.read()
        runner.check_exit(returncode, log, "measuring loudness")
        return parse_summary(log, "measuring loudness").integrated_lufs

    def __enter__(self) -> RunningMeter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process.poll() is None:  # left early (an error, Ctrl-C): the figure is not wanted
            self._process.kill()
            self._process.wait()
        self._log.close()
