"""Every ffmpeg call readaloud makes, plus the PCM helpers around them.

ffmpeg is the system's when one is on PATH (distributions patch and update it), otherwise the static
build inside the `imageio-ffmpeg` wheel, so a machine with only Python and pip works. Command lines are
built with ffmpeg-python and run here, in one function, so the binding can be swapped without touching
callers and every failure carries ffmpeg's own last line. Paths go in as `file:` URLs so a name that
starts with "-" is never read as an option.
"""

from __future__ import annotations

import functools
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readaloud.errors import ToolError
from readaloud.model import Audio

SILENCE_DBFS = -50.0  # below this an engine clip's edge counts as silence to trim


@functools.cache
def ffmpeg_path() -> str:
    """The ffmpeg to run: the system's if present, else the one shipped in imageio-ffmpeg."""
    system = shutil.which("ffmpeg")
    if system:
        return system
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise ToolError(f"ffmpeg not found: install ffmpeg or the imageio-ffmpeg package ({exc})") from None


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent (never in a freshly forked child); None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    function.restype = ctypes.c_int
    return function


def _child_options() -> dict[str, Any]:
    """Popen arguments that make an ffmpeg die with readaloud, however readaloud dies (kill -9, the OOM
    killer): otherwise it runs on and finishes a temporary MP3 nobody will rename or remove.

    Linux sends PR_SET_PDEATHSIG's signal when the *thread* that started the child ends, not the process:
    every ffmpeg here is waited for (or killed) by the thread that started it, so that thread outlives it.
    The parent may die between fork and prctl; the child then already has another parent, and stops itself.
    """
    prctl = _prctl()
    if prctl is None:
        return {}
    parent = os.getpid()

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return {"preexec_fn": die_with_parent}


def _run(args: list[str], stdin: bytes | None = None, what: str = "ffmpeg",
         loglevel: str = "error", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg (in folder `cwd` if given); on failure raise ToolError carrying ffmpeg's own last line."""
    command = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", loglevel, "-y", *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, check=False, cwd=cwd, **_child_options())
    except OSError as exc:
        raise ToolError(f"cannot run ffmpeg at {command[0]}: {exc.strerror}") from None
    _check_exit(done.returncode, done.stderr, what)
    return done


def _check_exit(returncode: int, stderr: bytes, what: str) -> None:
    """Raise ToolError for an ffmpeg that failed: killed by a signal, or with its own last line."""
    if returncode < 0:
        raise ToolError(f"{what} failed: ffmpeg was killed by {signal.Signals(-returncode).name}")
    if returncode != 0:
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        raise ToolError(f"{what} failed: {lines[-1] if lines else f'exit status {returncode}'}")


def _url(path: Path | str) -> str:
    return "file:" + str(Path(path).absolute())


# MPEG audio frame sizes, for checking an MP3 reply is whole before it is used (ffmpeg decodes a truncated
# MP3 without complaint, just shorter). Bit rates in kbit/s by [MPEG-1?][layer][index].
_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frames_complete(data: bytes) -> bool:
    """Whether `data` is a run of whole MPEG audio frames (after an optional ID3v2 tag), the last one
    included: False for a truncated or non-MP3 reply."""
    position = 0
    if data[:3] == b"ID3" and len(data) >= 10:
        position = 10 + ((data[6] & 0x7F) << 21 | (data[7] & 0x7F) << 14 | (data[8] & 0x7F) << 7 | (data[9] & 0x7F))
    frames = 0
    while position + 4 <= len(data):
        b1, b2 = data[position + 1], data[position + 2]
        if data[position] != 0xFF or b1 & 0xE0 != 0xE0:
            return False
        version, layer_bits = (b1 >> 3) & 3, (b1 >> 1) & 3
        bitrate_index, rate_index, padding = b2 >> 4, (b2 >> 2) & 3, (b2 >> 1) & 1
        if version == 1 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
            return False
        layer = 4 - layer_bits
        mpeg1 = version == 3
        bitrate = _BITRATES[(mpeg1, layer)][bitrate_index] * 1000
        rate = _RATES[version][rate_index]
        if layer == 1:
            length = (12 * bitrate // rate + padding) * 4
        else:
            length = (144 if mpeg1 or layer == 2 else 72) * bitrate // rate + padding
        position += length
        frames += 1
    return frames > 0 and position == len(data)


def decode(data: bytes, sample_rate: int) -> Audio:
    """Any audio ffmpeg understands (engine MP3s) -> mono 16-bit PCM at `sample_rate`."""
    import ffmpeg

    args = ffmpeg.input("pipe:0").output("pipe:1", format="s16le", acodec="pcm_s16le", ac=1,
                                         ar=sample_rate).get_args()
    pcm = _run(args, stdin=data, what="decoding audio").stdout
    return Audio(pcm[: len(pcm) // 2 * 2], sample_rate)


def decode_file(path: Path | str, sample_rate: int) -> Audio:
    import ffmpeg

    args = ffmpeg.input(_url(path)).output("pipe:1", format="s16le", acodec="pcm_s16le", ac=1,
                                           ar=sample_rate).get_args()
    return Audio(_run(args, what=f"decoding {path}").stdout, sample_rate)


def reencode_image(data: bytes, kind: str, max_side_px: int, max_pixels: int, timeout_s: float) -> bytes | None:
    """A JPEG or PNG (`kind` "jpeg" or "png") decoded and encoded again in the same format from its pixels
    alone: no metadata, at most `max_side_px` on either side. None when ffmpeg finds no decodable image in
    it, or takes longer than `timeout_s` (then it is killed); ToolError only when ffmpeg cannot be run.
    The image comes in on stdin and leaves on stdout, so ffmpeg never opens a path; only that one demuxer
    is allowed, and the decoder refuses images of more than `max_pixels`."""
    import ffmpeg

    codec = {"vcodec": "png"} if kind == "png" else {"vcodec": "mjpeg", "q:v": 2, "pix_fmt": "yuvj420p"}
    stream = ffmpeg.input("pipe:0", format=f"{kind}_pipe", max_pixels=max_pixels).video
    stream = stream.filter("scale", w=f"min({max_side_px},iw)", h=f"min({max_side_px},ih)",
                           force_original_aspect_ratio="decrease")
    stream = stream.filter("sidedata", mode="delete")  # an ICC profile or other side data is not carried over
    args = stream.output("pipe:1", format="image2pipe", frames=1, map_metadata=-1, fflags="+bitexact",
                         flags="+bitexact", **codec).get_args()
    command = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", *args]
    try:
        done = subprocess.run(command, input=data, capture_output=True, check=False, timeout=timeout_s,
                              **_child_options())
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        return None
    except OSError as exc:
        raise ToolError(f"cannot run ffmpeg at {command[0]}: {exc.strerror}") from None
    return done.stdout if done.returncode == 0 and done.stdout else None


def mp3_to_wav(mp3: Path, wav: Path) -> None:
    """A WAV copy of an MP3, for players that take nothing else (aplay)."""
    import ffmpeg

    _run(ffmpeg.input(_url(mp3)).output(_url(wav), format="wav", acodec="pcm_s16le").get_args(),
         what=f"decoding {mp3}")


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


def _parse_summary(stderr: bytes, what: str) -> Loudness:
    text = stderr.decode("utf-8", "replace")
    integrated = _SUMMARY_I.findall(text)
    peak = _SUMMARY_PEAK.findall(text)
    if not integrated:
        raise ToolError(f"{what}: ffmpeg printed no loudness summary")
    return Loudness(float(integrated[-1]), float(peak[-1]) if peak else math.nan)


def _meter(stream, true_peak: bool = True):
    # framelog=verbose keeps the per-100 ms lines out of the info-level log; only the summary is printed.
    # True peak (4x oversampling) triples the cost, so passes that only need loudness skip it.
    return stream.filter("ebur128", peak="true" if true_peak else "none", framelog="verbose")


def _master(stream, mastering: Mastering):
    limit = 10 ** (mastering.ceiling_db / 20)
    # level=0: alimiter would otherwise re-normalise its output up to the ceiling.
    return stream.filter("volume", f"{mastering.gain_db:.2f}dB").filter(
        "alimiter", limit=f"{limit:.4f}", level=0, attack=5, release=50)


def measure_loudness(path: Path, raw_rate: int | None = None, mastering: Mastering | None = None,
                     true_peak: bool = True) -> Loudness:
    """Integrated loudness and true peak of an audio file (or raw mono s16le PCM at `raw_rate`), optionally
    as it would be after `mastering`. Without true peak, `true_peak_dbtp` is nan."""
    import ffmpeg

    source = ffmpeg.input(_url(path), format="s16le", ac=1, ar=raw_rate) if raw_rate else ffmpeg.input(_url(path))
    stream = source.audio if mastering is None else _master(source.audio, mastering)
    args = _meter(stream, true_peak).output("-", format="null").get_args()
    done = _run(args, what=f"measuring loudness of {path}", loglevel="info")
    return _parse_summary(done.stderr, f"measuring loudness of {path}")


class RunningMeter:
    """Integrated loudness of raw mono s16le PCM, measured by an ffmpeg on the other core while the PCM is
    being written, so the raw figure is ready the moment the last clip is (a separate pass over the file
    afterwards costs about 6% of a long build). Use as a context manager; `finish()` gives the figure."""

    def __init__(self, rate: int) -> None:
        import tempfile

        import ffmpeg

        args = _meter(ffmpeg.input("pipe:0", format="s16le", ac=1, ar=rate).audio, true_peak=False).output(
            "-", format="null").get_args()
        # ffmpeg's log goes to a file, not a pipe, so a chatty ffmpeg can never stall waiting for a reader.
        self._log = tempfile.TemporaryFile()
        command = [ffmpeg_path(), "-hide_banner", "-loglevel", "info", *args]
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                             stderr=self._log, **_child_options())
        except OSError as exc:
            self._log.close()
            raise ToolError(f"cannot run ffmpeg at {command[0]}: {exc.strerror}") from None
        self._broken = False

    def feed(self, pcm: bytes) -> None:
        if self._broken or not pcm:
            return
        try:
            self._process.stdin.write(pcm)
        except BrokenPipeError:  # ffmpeg stopped early: finish() reports why
            self._broken = True

    def finish(self) -> float:
        """Close the input and wait for the figure (LUFS; -inf for silence)."""
        try:
            self._process.stdin.close()
        except BrokenPipeError:
            pass
        returncode = self._process.wait()
        self._log.seek(0)
        log = self._log.read()
        _check_exit(returncode, log, "measuring loudness")
        return _parse_summary(log, "measuring loudness").integrated_lufs

    def __enter__(self) -> RunningMeter:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process.poll() is None:  # left early (an error, Ctrl-C): the figure is not wanted
            self._process.kill()
            self._process.wait()
        self._log.close()


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


def _encode_args(pcm_path: Path, pcm_rate: int, bitrate_kbps: int, sample_rate: int, mastering: Mastering | None,
                 tempo: float) -> tuple[Any, dict[str, object]]:
    import ffmpeg

    stream = ffmpeg.input(_url(pcm_path), format="s16le", ac=1, ar=pcm_rate).audio
    if tempo != 1.0:
        stream = stream.filter("atempo", f"{tempo:.3f}")
    stream = stream.filter("aresample", sample_rate)
    if mastering is not None:
        stream = _master(stream, mastering)
    # compression_level 0 is LAME's most careful quantisation (-q 0): about 20% slower, and at 64 kbit/s its
    # lower noise keeps limited speech peaks about 0.5 dB lower (measured).
    codec = {"acodec": "libmp3lame", "audio_bitrate": f"{bitrate_kbps}k", "compression_level": 0, "ac": 1,
             "ar": sample_rate}
    return stream, codec


# Stands in for the output's name while ffmpeg-python builds the command line, then is replaced: a path never
# passes through ffmpeg-python (which cannot hash a name that is not UTF-8) nor through the tee muxer's syntax.
_OUTPUT = "readaloud-output-name"


def _output_args(args: list[str], name: str) -> list[str]:
    """ffmpeg-python's arguments with the output (always the last one) named."""
    assert _OUTPUT in args[-1], args
    return [*args[:-1], args[-1].replace(_OUTPUT, name)]


def encode_mp3(pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int,
               mastering: Mastering | None = None, tempo: float = 1.0) -> None:
    """Raw mono s16le PCM file -> constant-bitrate mono MP3, in one encode, mastered on the way if asked.

    CBR because VBR seeks inaccurately in long files on some players; no ID3 from ffmpeg because the
    tagger writes the whole tag afterwards. Written to a seekable file, so LAME's Info header (with the
    encoder delay, for gapless decoding) is filled in and chapter times land on the audio.
    """
    import ffmpeg

    stream, codec = _encode_args(pcm_path, pcm_rate, bitrate_kbps, sample_rate, mastering, tempo)
    args = ffmpeg.output(stream, _OUTPUT, format="mp3", id3v2_version=0, write_id3v1=0, **codec).get_args()
    # Run in the output's folder, so only the bare name is on the command line; `file:` keeps a name with
    # a colon or a leading "-" literal.
    _run(_output_args(args, f"file:{out_path.name}"), what="MP3 encoding", cwd=out_path.parent)


def _tee_escape(text: str) -> str:
    """`text` as one literal part of a tee muxer target list: every character that is not a plain letter,
    digit, ".", "_" or "-" backslash-escaped (the list's own syntax gives meaning to |, [, ], quotes,
    backslashes and whitespace at either end)."""
    return re.sub(r"([^A-Za-z0-9._-])", r"\\\1", text)


def encode_and_measure(pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int,
                       mastering: Mastering | None = None, tempo: float = 1.0) -> Loudness:
    """`encode_mp3`, and the MP3's own loudness and true peak, measured while it is written.

    ffmpeg's tee muxer writes the encoded frames both to the file (seekable, so its Info header is
    completed) and to a pipe, from which a second ffmpeg decodes and meters them on the other core: the
    check on the real file costs almost no extra time.
    """
    import ffmpeg

    stream, codec = _encode_args(pcm_path, pcm_rate, bitrate_kbps, sample_rate, mastering, tempo)
    targets = (f"[f=mp3:id3v2_version=0:write_id3v1=0]{_OUTPUT}"
               f"|[f=mp3:id3v2_version=0:write_id3v1=0:write_xing=0]pipe\\:1")
    encode = ffmpeg.output(stream, targets, format="tee", **codec).get_args()
    encode = _output_args(encode, _tee_escape(f"file:{out_path.name}"))
    meter = _meter(ffmpeg.input("pipe:0", format="mp3").audio).output("-", format="null").get_args()
    encoded, metered = _run_piped(encode, meter, what="MP3 encoding", cwd=out_path.parent)
    return _parse_summary(metered.stderr, "measuring the MP3")


def _run_piped(first: list[str], second: list[str], what: str,
               cwd: Path | None = None) -> tuple[subprocess.CompletedProcess[bytes], ...]:
    """Two ffmpeg processes, the first's stdout feeding the second's stdin, run to completion together (the
    first in folder `cwd` if given)."""
    base = [ffmpeg_path(), "-hide_banner", "-nostdin", "-y"]
    try:
        producer = subprocess.Popen([*base, "-loglevel", "error", *first], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, cwd=cwd, **_child_options())
    except OSError as exc:
        raise ToolError(f"cannot run ffmpeg at {base[0]}: {exc.strerror}") from None
    try:
        consumer = subprocess.Popen([*base[:2], "-loglevel", "info", *second], stdin=producer.stdout,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **_child_options())
    except OSError as exc:
        producer.kill()
        producer.wait()
        raise ToolError(f"cannot run ffmpeg at {base[0]}: {exc.strerror}") from None
    producer.stdout.close()  # the consumer holds the only reading end now
    try:
        consumer_err = consumer.communicate()[1]
        producer_err = producer.communicate()[1]
    except BaseException:
        for process in (producer, consumer):
            process.kill()
            process.wait()
        raise
    results = []
    for process, err in ((producer, producer_err), (consumer, consumer_err)):
        _check_exit(process.returncode, err, what)
        results.append(subprocess.CompletedProcess(process.args, process.returncode, b"", err))
    return tuple(results)


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


def _segment(audio: Audio):
    with warnings.catch_warnings():
        # pydub looks for an ffmpeg on PATH at import and warns when there is none; it is only used
        # here on PCM already in memory, never to run a converter.
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    return AudioSegment(data=audio.pcm, sample_width=2, frame_rate=audio.sample_rate, channels=1)


def trim_bounds(audio: Audio, threshold_dbfs: float = SILENCE_DBFS) -> tuple[int, int]:
    """The samples [start, end) left once the engine's own leading and trailing silence is cut (1 ms
    resolution); the start also shifts the engine's word times."""
    segment = _segment(audio)
    from pydub.silence import detect_leading_silence

    lead_ms = detect_leading_silence(segment, silence_threshold=threshold_dbfs, chunk_size=1)
    tail_ms = detect_leading_silence(segment.reverse(), silence_threshold=threshold_dbfs, chunk_size=1)
    start = lead_ms * audio.sample_rate // 1000
    return start, max(start, audio.samples - tail_ms * audio.sample_rate // 1000)


def trim(audio: Audio, threshold_dbfs: float = SILENCE_DBFS) -> Audio:
    """Cut the engine's own leading and trailing silence so configured pauses are the pauses heard."""
    start, end = trim_bounds(audio, threshold_dbfs)
    return Audio(audio.pcm[start * 2 : end * 2], audio.sample_rate)


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
    segment = _segment(audio)
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

    args = ffmpeg.input(_url(path)).output("pipe:1", format="ffmetadata").get_args()
    text = _run(args, what=f"reading chapters of {path}").stdout.decode("utf-8", "replace")
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
