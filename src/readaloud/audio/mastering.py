"""Mastering: the gain that brings speech to the loudness target under the true-peak limit, found from
the limiter's measured curve, and the encode loop that checks both on the MP3 itself.

Every tolerance of the loudness promise is named here, once; the pipeline reads the same names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from readaloud.audio import sections
from readaloud.audio.encode import DEFAULT_QUALITY, SectionedEncode
from readaloud.audio.loudness import Loudness, Mastering, Metered, measure_loudness

# The promise a mastered MP3 keeps: integrated loudness within LOUDNESS_TOLERANCE_LU of the target, true peak at
# or below the limit. A build whose MP3 misses either says so.
LOUDNESS_TOLERANCE_LU = 0.5
# The encode loop aims this far (dB of true peak, LU of loudness) inside both limits, and turns a last encode
# down by this much more than its excess, so what it settles for never sits on the edge of a miss.
AIM_MARGIN = 0.1
_AIM_LOUDNESS_LU = LOUDNESS_TOLERANCE_LU - AIM_MARGIN  # 0.4 LU: close enough to stop encoding again
# The limiter works on samples and the encoder's noise adds to limited speech peaks, by 0.5 to 2.5 dB on
# espeak-ng's voices (measured): the first ceiling sits this far under the true-peak limit.
CEILING_HEADROOM_DB = 1.5
# When peaks overshoot, the ceiling drops by the excess and this much more.
_CEILING_EXTRA_DB = 0.3
# A section whose peaks overshoot by no more than this is simply turned down by its excess (gain and ceiling
# together), which needs no new limiter curve; past it, the ceiling is lowered and the gain fitted again.
SCALE_DOWN_DB = 0.5
_TURNS = 2  # at most this many turns down of one section before the loop looks at the whole again


# Resampling to the MP3 rate and encoding measured about 0.4 LU quieter than the PCM metered at its own rate
# (64 kbit/s mono speech, 22.05 or 24 kHz to 44.1 kHz); the PCM is mastered this much above the target.
MP3_LOSS_LU = 0.4

# The limiter curve: measured at the unlimited gain and CURVE_SPAN_DB more; an aim needing a gain more than
# _EXTRAPOLATE_DB past the farther point is measured too, rather than trusted to the straight line.
_CURVE_SPAN_DB = 6.0
_EXTRAPOLATE_DB = 0.5
# Through the limiter, loudness follows gain at about half the rate: the slope assumed when the two points
# share a gain, and how a loudness miss turns into a gain change. It never falls under _MIN_SLOPE.
_LIMITED_SLOPE = 0.5
_MIN_SLOPE = 0.05
_GAIN_LIMIT_DB = 40.0  # no gain beyond this either way, whatever the curve says


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
        slope = max(_MIN_SLOPE, (l1 - l0) / (g1 - g0)) if g1 != g0 else _LIMITED_SLOPE
        return max(-_GAIN_LIMIT_DB, min(_GAIN_LIMIT_DB, g0 + (aim_lufs - l0) / slope))


def first_ceiling(true_peak_db: float) -> float:
    """The limiter ceiling a build starts from for a true-peak limit of `true_peak_db`."""
    return true_peak_db - CEILING_HEADROOM_DB


def measure_limiter_curve(pcm_path: Path, pcm_rate: int, aim_lufs: float, ceiling_db: float,
                          raw_lufs: float | None = None, workers: int = 2) -> LimiterCurve:
    """The raw loudness (measured here unless given) gives the gain that would be right without limiting, a
    lower bound; that gain and _CURVE_SPAN_DB more are then measured through the limiter at the same time
    (one on each core). When the aim lies beyond both, a third point is measured where the line between
    them says, and kept instead of the farther one. With one worker the two are measured in turn."""
    from concurrent.futures import ThreadPoolExecutor

    raw = raw_lufs if raw_lufs is not None else measure_loudness(pcm_path, pcm_rate, true_peak=False).integrated_lufs
    if not math.isfinite(raw):  # silence: nothing to bring up
        return LimiterCurve(raw, ceiling_db, ((0.0, raw), (0.0, raw)))

    def through_limiter(gain: float) -> float:
        return measure_loudness(pcm_path, pcm_rate, Mastering(gain, ceiling_db), true_peak=False).integrated_lufs

    low = aim_lufs - raw
    high = low + _CURVE_SPAN_DB
    with ThreadPoolExecutor(max_workers=min(2, max(1, workers))) as pool:
        low_lufs, high_lufs = pool.map(through_limiter, (low, high))
    curve = LimiterCurve(raw, ceiling_db, ((low, low_lufs), (high, high_lufs)))
    gain = curve.gain_for(aim_lufs)
    # (span + slack) is summed first, exactly, so the comparison is the one always made.
    if gain > low + (_CURVE_SPAN_DB + _EXTRAPOLATE_DB):  # driven harder than both guesses
        curve = LimiterCurve(raw, ceiling_db, ((high, high_lufs), (gain, through_limiter(gain))))
    return curve


def fit_mastering(pcm_path: Path, pcm_rate: int, target_lufs: float, ceiling_db: float,
                  curve: LimiterCurve | None = None, raw_lufs: float | None = None,
                  workers: int = 2) -> tuple[Mastering, LimiterCurve]:
    """The gain that brings raw PCM to `target_lufs` once limited at `ceiling_db` and encoded, from a
    known curve when one is given (no measuring), else a measured one (`raw_lufs`, the PCM's own loudness,
    spares one pass when known); returns both."""
    aim = target_lufs + MP3_LOSS_LU
    if curve is None or curve.ceiling_db != ceiling_db:
        curve = measure_limiter_curve(pcm_path, pcm_rate, aim, ceiling_db, raw_lufs, workers)
    if not math.isfinite(curve.raw_lufs):
        return Mastering(0.0, ceiling_db), curve
    return Mastering(round(curve.gain_for(aim), 2), ceiling_db), curve


def missed(got: Loudness, target_lufs: float, true_peak_db: float) -> bool:
    """Whether a mastered MP3's figures break the promise: peaks over the limit, or loudness off target by
    more than LOUDNESS_TOLERANCE_LU."""
    return got.true_peak_dbtp > true_peak_db or abs(got.integrated_lufs - target_lufs) > LOUDNESS_TOLERANCE_LU


def master_mp3(pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int,
               target_lufs: float, true_peak_db: float, rounds: int = 4, tempo: float = 1.0,
               curves: dict[float, LimiterCurve] | None = None, raw_lufs: float | None = None,
               quiet: Sequence[tuple[int, int]] = (), workers: int = 1,
               quality: int = DEFAULT_QUALITY) -> Loudness:
    """Encode an MP3 whose own integrated loudness is `target_lufs` and whose true peak is at or below
    `true_peak_db`, both measured on the file as it is written; returns those figures.

    The limiter works on samples, and the MP3 encoder's noise adds to the peaks of hard-limited speech, so:
    limit CEILING_HEADROOM_DB under the limit. A section whose peaks overshoot by up to SCALE_DOWN_DB is
    encoded again turned down by its excess; by more, the ceiling is lowered by the excess and the gain
    fitted again; for loudness alone, the gain is corrected. If peaks still overshoot after `rounds`, the
    last encode turns down by the excess: the true-peak limit is never traded away, loudness may then sit
    a little under the target.

    With `workers` > 1 and `quiet` stretches of the PCM (input samples [start, end) of silence) to cut in,
    the MP3 is encoded in sections side by side (`sections`); a section whose peaks overshoot is encoded
    again alone. Speed changes (`tempo`) keep one section: atempo's output length is not exact per piece.

    `curves` (by ceiling) are limiter curves known from an earlier build of the same clips; curves
    measured here are added to it, so the caller can keep them. `raw_lufs` is the PCM's own loudness when
    already measured (RunningMeter).
    """
    curves = curves if curves is not None else {}
    ceiling = first_ceiling(true_peak_db)
    if curves and min(curves) < ceiling:  # an earlier build of these clips had to go lower: start there
        ceiling = min(curves)

    def fit(at: float) -> Mastering:
        mastering, curves[at] = fit_mastering(pcm_path, pcm_rate, target_lufs, at, curves.get(at), raw_lufs, workers)
        return mastering

    def _encode_mastered(planned: list[sections.Section]) -> Loudness:
        nonlocal ceiling
        aim = true_peak_db - AIM_MARGIN
        turned: dict[int, int] = {}

        def turn_down(number: int, metered: Metered, mastering: Mastering | None) -> Mastering | None:
            """A section whose peaks overshoot a little is encoded again at once, turned down by its excess."""
            excess = metered.true_peak_dbtp - aim
            if mastering is None or not 0 < excess <= SCALE_DOWN_DB or turned.get(number, 0) >= _TURNS:
                return None
            turned[number] = turned.get(number, 0) + 1
            return _turned_down(mastering, excess + AIM_MARGIN)

        with SectionedEncode(pcm_path, pcm_rate, out_path, bitrate_kbps, sample_rate, planned, tempo,
                             workers, quality) as encoding:
            again: dict[int, Mastering | None] = dict.fromkeys(range(len(planned)), fit(ceiling))
            for attempt in range(rounds):
                encoding.encode(again, turn_down if attempt < rounds - 1 else None)
                got = encoding.loudness()
                off = target_lufs - got.integrated_lufs
                over = {number: peak - aim for number, peak in enumerate(encoding.peaks()) if peak > aim}
                if (not over and abs(off) <= _AIM_LOUDNESS_LU) or attempt == rounds - 1:
                    break
                if not math.isfinite(off):  # silence (nothing above the gate): no gain brings it to the target
                    break
                now = encoding.masterings
                if not over:  # only loudness is off: move the gain (the limiter passes about half of it)
                    again = {number: Mastering(round(m.gain_db + off / _LIMITED_SLOPE, 2), m.ceiling_db)
                             for number, m in enumerate(now) if m is not None}
                elif attempt < rounds - 2:  # overshooting by more than a turn down mends: a lower ceiling
                    ceiling = round(ceiling - max(over.values()) - _CEILING_EXTRA_DB, 2)
                    again = dict.fromkeys(over, fit(ceiling))
                else:
                    # Gain and ceiling down together: the limiter acts exactly as before and the section's
                    # output, encoder noise included, is turned down by its excess.
                    again = {number: _turned_down(now[number], excess + AIM_MARGIN)
                             for number, excess in over.items()}
            encoding.join()
        return got

    planned = sections.plan(pcm_path.stat().st_size // 2, pcm_rate, sample_rate, quiet if tempo == 1.0 else (),
                            workers)
    try:
        return _encode_mastered(planned)
    except sections.Misaligned:
        # An ffmpeg or LAME that frames sections otherwise than the plan assumes: one piece is always right.
        return _encode_mastered([sections.Section(0, 0, None)])


def _turned_down(mastering: Mastering | None, step: float) -> Mastering:
    assert mastering is not None, "every section is encoded before any is turned down"
    return Mastering(round(mastering.gain_db - step, 2), round(mastering.ceiling_db - step, 2))
