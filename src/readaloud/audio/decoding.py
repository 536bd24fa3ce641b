"""Audio into PCM and back out: decoding engine replies and jingles, trimming an engine's own silence,
and a WAV copy for players that take nothing else."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from readaloud.audio import runner
from readaloud.model import Audio

SILENCE_DBFS = -50.0  # below this an engine clip's edge counts as silence to trim


def decode(data: bytes, sample_rate: int) -> Audio:
    """Any audio ffmpeg understands (engine MP3s) -> mono 16-bit PCM at `sample_rate`."""
    import ffmpeg

    args = ffmpeg.input("pipe:0").output("pipe:1", format="s16le", acodec="pcm_s16le", ac=1,
                                         ar=sample_rate).get_args()
    pcm = runner.run(args, stdin=data, what="decoding audio").stdout
    return Audio(pcm[: len(pcm) // 2 * 2], sample_rate)


def decode_file(path: Path | str, sample_rate: int) -> Audio:
    """An audio file (a jingle, a built MP3) -> mono 16-bit PCM at `sample_rate`."""
    import ffmpeg

    args = ffmpeg.input(runner.url(path)).output("pipe:1", format="s16le", acodec="pcm_s16le", ac=1,
                                                 ar=sample_rate).get_args()
    return Audio(runner.run(args, what=f"decoding {path}").stdout, sample_rate)


def mp3_to_wav(mp3: Path, wav: Path) -> None:
    """A WAV copy of an MP3, for players that take nothing else (aplay)."""
    import ffmpeg

    runner.run(ffmpeg.input(runner.url(mp3)).output(runner.url(wav), format="wav", acodec="pcm_s16le").get_args(),
               what=f"decoding {mp3}")


def segment(audio: Audio) -> Any:
    """`audio` as a pydub AudioSegment (in memory; pydub never runs a converter here)."""
    with warnings.catch_warnings():
        # pydub looks for an ffmpeg on PATH at import and warns when there is none; it is only used
        # here on PCM already in memory, never to run a converter.
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment

    return AudioSegment(data=audio.pcm, sample_width=2, frame_rate=audio.sample_rate, channels=1)


def trim_bounds(audio: Audio, threshold_dbfs: float = SILENCE_DBFS) -> tuple[int, int]:
    """The samples [start, end) left once the engine's own leading and trailing silence is cut (1 ms
    resolution); the start also shifts the engine's word times."""
    whole = segment(audio)
    from pydub.silence import detect_leading_silence

    lead_ms = detect_leading_silence(whole, silence_threshold=threshold_dbfs, chunk_size=1)
    tail_ms = detect_leading_silence(whole.reverse(), silence_threshold=threshold_dbfs, chunk_size=1)
    start = lead_ms * audio.sample_rate // 1000
    return start, max(start, audio.samples - tail_ms * audio.sample_rate // 1000)

