"""Raw PCM to the published MP3: one encode, mastered on the way if asked, optionally metered as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from readaloud.audio import runner
from readaloud.audio.loudness import Loudness, Mastering, master, meter, parse_summary


def _encode_args(pcm_path: Path, pcm_rate: int, bitrate_kbps: int, sample_rate: int, mastering: Mastering | None,
                 tempo: float) -> tuple[Any, dict[str, object]]:
    import ffmpeg

    stream = ffmpeg.input(runner.url(pcm_path), format="s16le", ac=1, ar=pcm_rate).audio
    if tempo != 1.0:
        stream = stream.filter("atempo", f"{tempo:.3f}")
    stream = stream.filter("aresample", sample_rate)
    if mastering is not None:
        stream = master(stream, mastering)
    # LAME's own quality setting, as ffmpeg leaves it. Its most careful one (compression_level 0) took 3.2x
    # as long on Debian's ffmpeg 5.1 and 1.5x on the bundled 9.0 (5.7 min of limited speech at 64 kbit/s),
    # for true peaks 0.4 dB lower on the one and 0.5 dB higher on the other. Where the encoder's peaks
    # overshoot the headroom (mastering.CEILING_HEADROOM_DB), the mastering loop encodes once more.
    codec: dict[str, object] = {"acodec": "libmp3lame", "audio_bitrate": f"{bitrate_kbps}k", "ac": 1,
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
    runner.run(_output_args(args, f"file:{out_path.name}"), what="MP3 encoding", cwd=out_path.parent)


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
    metering = meter(ffmpeg.input("pipe:0", format="mp3").audio).output("-", format="null").get_args()
    _, metered = runner.run_piped(encode, metering, what="MP3 encoding", cwd=out_path.parent)
    return parse_summary(metered.stderr, "measuring the MP3")
