"""Mastering: the gain that brings speech to the loudness target under the true-peak limit, found from
the limiter's measured curve, and the encode loop that checks both on the MP3 itself."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from readaloud.audio.encode import encode_and_measure
from readaloud.audio.loudness import Loudness, Mastering, measure_loudness

# Resampling to the MP3 rate and encoding measured about 0.4 LU quieter than the PCM metered at its own rate
# (64 kbit/s mono speech, 22.05 or 24 kHz to 44.1 kHz); the PCM is mastered this much above the target.
MP3_LOSS_LU = 0.4


@dataclass(frozen=True)
class LimiterCurve:
    """How loud some PCM comes out of the limiter at a ceiling, measured at two gains.

    Pauses do not change it (EBU R 128 gating ignores silence), so it can be kept with the clips and
    reused when only pauses, the loudness target, the bit rate or the tags change."""

    raw_lufs: float
    ceiling_db: float
    points: tuple[tuple[float, float], ...]  # (gain dB, integrated LUFS after gain and limiter)

    def gain_for(self, aim_lufs: float) -> float:
        (g0, l0), (g1, l1) = self.points[0], self.points[-1]
        slope = max(0.05, (l1 - l0) / (g1 - g0)) if g1 != g0 else 0.5
        return max(-40.0, min(40.0, g0 + (aim_lufs - l0) / slope))


def measure_limiter_curve(pcm_path: Path, pcm_rate: int, aim_lufs: float, ceiling_db: float,
                          raw_lufs: float | None = None) -> LimiterCurve:
    """The raw loudness (measured here unless given) gives the gain that would be right without limiting, a
    lower bound; that gain
    and 6 dB more are then measured through the limiter at the same time (one on each core). When the aim
    lies beyond both, a third point is measured where the line between them says, and kept instead of
    the farther one."""
    from concurrent.futures import ThreadPoolExecutor

    raw = raw_lufs if raw_lufs is not None else measure_loudness(pcm_path, pcm_rate, true_peak=False).integrated_lufs
    if not math.isfinite(raw):  # silence: nothing to bring up
        return LimiterCurve(raw, ceiling_db, ((0.0, raw), (0.0, raw)))

    def through_limiter(gain: float) -> float:
        return measure_loudness(pcm_path, pcm_rate, Mastering(gain, ceiling_db), true_peak=False).integrated_lufs

    low = aim_lufs - raw
    with ThreadPoolExecutor(max_workers=2) as pool:
        low_lufs, high_lufs = pool.map(through_limiter, (low, low + 6.0))
    curve = LimiterCurve(raw, ceiling_db, ((low, low_lufs), (low + 6.0, high_lufs)))
    gain = curve.gain_for(aim_lufs)
    if gain > low + 6.5:  # driven harder than both guesses
        curve = LimiterCurve(raw, ceiling_db, ((low + 6.0, high_lufs), (gain, through_limiter(gain))))
    return curve


def fit_mastering(pcm_path: Path, pcm_rate: int, target_lufs: float, ceiling_db: float,
                  curve: LimiterCurve | None = None, raw_lufs: float | None = None) -> tuple[Mastering, LimiterCurve]:
    """The gain that brings raw PCM to `target_lufs` once limited at `ceiling_db` and encoded, from a
    known curve when one is given (no measuring), else a measured one (`raw_lufs`, the PCM's own loudness,
    spares one pass when known); returns both."""
    aim = target_lufs + MP3_LOSS_LU
    if curve is None or curve.ceiling_db != ceiling_db:
        curve = measure_limiter_curve(pcm_path, pcm_rate, aim, ceiling_db, raw_lufs)
    if not math.isfinite(curve.raw_lufs):
        return Mastering(0.0, ceiling_db), curve
    return Mastering(round(curve.gain_for(aim), 2), ceiling_db), curve


def master_mp3(pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int,
               target_lufs: float, true_peak_db: float, rounds: int = 4, tempo: float = 1.0,
               curves: dict[float, LimiterCurve] | None = None, raw_lufs: float | None = None) -> Loudness:
    """Encode an MP3 whose own integrated loudness is `target_lufs` and whose true peak is at or below
    `true_peak_db`, both measured on the file as it is written; returns those figures.

    The limiter works on samples, and the MP3 encoder's noise adds to the peaks of hard-limited speech, by
    0.5 to 2.5 dB on espeak-ng's voices (measured), so: limit 1.5 dB under the limit; on a miss, lower the
    ceiling by the excess and fit the gain again (or, for loudness alone, correct the gain). If peaks still
    overshoot after `rounds`, the last encode simply turns down by the excess: the true-peak limit is never
    traded away, loudness may then sit a little under the target.

    `curves` (by ceiling) are limiter curves known from an earlier build of the same clips; curves
    measured here are added to it, so the caller can keep them. `raw_lufs` is the PCM's own loudness when
    already measured (RunningMeter).
    """
    curves = curves if curves is not None else {}
    ceiling = true_peak_db - 1.5
    if curves and min(curves) < ceiling:  # an earlier build of these clips had to go lower: start there
        ceiling = min(curves)
    mastering, curves[ceiling] = fit_mastering(pcm_path, pcm_rate, target_lufs, ceiling, curves.get(ceiling),
                                               raw_lufs)
    for attempt in range(rounds):
        got = encode_and_measure(pcm_path, pcm_rate, out_path, bitrate_kbps, sample_rate, mastering, tempo)
        excess = got.true_peak_dbtp - (true_peak_db - 0.1)
        off = target_lufs - got.integrated_lufs
        if excess <= 0 and abs(off) <= 0.4:
            return got
        if attempt == rounds - 1:
            break
        if excess <= 0:  # loud or quiet by more than 0.4 LU, peaks fine: move the gain (limiting halves it)
            mastering = Mastering(round(mastering.gain_db + 2 * off, 2), mastering.ceiling_db)
        elif attempt < rounds - 2:
            ceiling = round(ceiling - excess - 0.3, 2)
            mastering, curves[ceiling] = fit_mastering(pcm_path, pcm_rate, target_lufs, ceiling, curves.get(ceiling),
                                                       raw_lufs)
        else:
            # Gain and ceiling down together: the limiter acts exactly as before and the whole output,
            # encoder noise included, is scaled down by the excess.
            step = excess + 0.1
            mastering = Mastering(round(mastering.gain_db - step, 2), mastering.ceiling_db - step)
    return got
