"""Every ffmpeg call readaloud makes, plus the PCM helpers around them.

ffmpeg is the system's when one is on PATH (distributions patch and update it), otherwise the static
build inside the `imageio-ffmpeg` wheel, so a machine with only Python and pip works. Command lines are
built with ffmpeg-python and run here, in one function, so the binding can be swapped without touching
callers and every failure carries ffmpeg's own last line. Paths go in as `file:` URLs so a name that
starts with "-" is never read as an option.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

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


def _run(args: list[str], stdin: bytes | None = None, what: str = "ffmpeg") -> bytes:
    command = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise ToolError(f"cannot run ffmpeg at {command[0]}: {exc.strerror}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[-1] if lines else f"exit status {done.returncode}"
        raise ToolError(f"{what} failed: {detail}")
    return done.stdout


def _url(path: Path | str) -> str:
    return "file:" + str(Path(path).absolute())


def decode(data: bytes, sample_rate: int) -> Audio:
    """Any audio ffmpeg understands (engine MP3s) -> mono 16-bit PCM at `sample_rate`."""
    import ffmpeg

    args = ffmpeg.input("pipe:0").output("pipe:1", format="s16le", acodec="pcm_s16le", ac=1,
                                         ar=sample_rate).get_args()
    pcm = _run(args, stdin=data, what="decoding audio")
    return Audio(pcm[: len(pcm) // 2 * 2], sample_rate)


def decode_file(path: Path | str, sample_rate: int) -> Audio:
    import ffmpeg

    args = ffmpeg.input(_url(path)).output("pipe:1", format="s16le", acodec="pcm_s16le", ac=1,
                                           ar=sample_rate).get_args()
    return Audio(_run(args, what=f"decoding {path}"), sample_rate)


def encode_mp3(pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int) -> None:
    """Raw mono s16le PCM file -> constant-bitrate mono MP3, in one encode.

    CBR because VBR seeks inaccurately in long files on some players; no ID3 from ffmpeg because the
    tagger writes the whole tag afterwards.
    """
    import ffmpeg

    args = (
        ffmpeg.input(_url(pcm_path), format="s16le", ac=1, ar=pcm_rate)
        .output(_url(out_path), format="mp3", acodec="libmp3lame", audio_bitrate=f"{bitrate_kbps}k",
                ac=1, ar=sample_rate, id3v2_version=0, write_id3v1=0)
        .get_args()
    )
    _run(args, what="MP3 encoding")


def _segment(audio: Audio):
    with warnings.catch_warnings():
        # pydub looks for an ffmpeg on PATH at import and warns when there is none; it is only used
        # here on PCM already in memory, never to run a converter.
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    return AudioSegment(data=audio.pcm, sample_width=2, frame_rate=audio.sample_rate, channels=1)


def trim(audio: Audio, threshold_dbfs: float = SILENCE_DBFS) -> Audio:
    """Cut the engine's own leading and trailing silence (1 ms resolution) so configured pauses are the
    pauses heard."""
    segment = _segment(audio)
    from pydub.silence import detect_leading_silence

    lead_ms = detect_leading_silence(segment, silence_threshold=threshold_dbfs, chunk_size=1)
    tail_ms = detect_leading_silence(segment.reverse(), silence_threshold=threshold_dbfs, chunk_size=1)
    start = lead_ms * audio.sample_rate // 1000
    end = max(start, audio.samples - tail_ms * audio.sample_rate // 1000)
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
    text = _run(args, what=f"reading chapters of {path}").decode("utf-8", "replace")
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
