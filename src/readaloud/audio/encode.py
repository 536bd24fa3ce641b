"""Raw PCM to the published MP3: one encode, mastered on the way if asked, optionally metered as written."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from readaloud.audio import runner
from readaloud.audio.loudness import Loudness, Mastering, Metered, integrated, master, meter_encoded, parse_metered
from readaloud.audio.sections import Section, join

# LAME's quality setting (ffmpeg's compression_level): 0 is its most careful and slowest, 9 its fastest. At 7 a
# 10-minute encode took 0.39x the time of LAME's own default on Debian's ffmpeg 5.1 and 0.58x on the bundled
# 9.0, with true peaks 0.9 dB nearer the limiter's ceiling and a wideband PESQ of 4.34 against 4.27 on espeak-ng's
# speech at 64 kbit/s (README, Measurements). [mp3] quality sets it.
DEFAULT_QUALITY = 7


def _encode_args(pcm_path: Path, pcm_rate: int, bitrate_kbps: int, sample_rate: int, mastering: Mastering | None,
                 tempo: float, source: tuple[int, int] | None = None,
                 quality: int = DEFAULT_QUALITY) -> tuple[Any, dict[str, object]]:
    """The filters and codec options of an encode of the PCM, or of its samples [start, end) in `source`."""
    import ffmpeg

    if source is None:
        stream = ffmpeg.input(runner.url(pcm_path), format="s16le", ac=1, ar=pcm_rate).audio
    else:  # the section's first sample read straight from its place in the file; the end cut exactly
        stream = ffmpeg.input(runner.url(pcm_path), format="s16le", ac=1, ar=pcm_rate,
                              skip_initial_bytes=2 * source[0]).audio.filter("atrim", end_sample=source[1] - source[0])
    if tempo != 1.0:
        stream = stream.filter("atempo", f"{tempo:.3f}")
    stream = stream.filter("aresample", sample_rate)
    if mastering is not None:
        stream = master(stream, mastering)
    codec: dict[str, object] = {"acodec": "libmp3lame", "audio_bitrate": f"{bitrate_kbps}k", "ac": 1,
                                "ar": sample_rate, "compression_level": quality}
    return stream, codec


# Stands in for the output's name while ffmpeg-python builds the command line, then is replaced: a path never
# passes through ffmpeg-python (which cannot hash a name that is not UTF-8) nor through the tee muxer's syntax.
_OUTPUT = "readaloud-output-name"


def _output_args(args: list[str], name: str) -> list[str]:
    """ffmpeg-python's arguments with the output (always the last one) named."""
    assert _OUTPUT in args[-1], args
    return [*args[:-1], args[-1].replace(_OUTPUT, name)]


def encode_mp3(pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int,
               mastering: Mastering | None = None, tempo: float = 1.0, quality: int = DEFAULT_QUALITY) -> None:
    """Raw mono s16le PCM file -> constant-bitrate mono MP3, in one encode, mastered on the way if asked.

    CBR because VBR seeks inaccurately in long files on some players; no ID3 from ffmpeg because the
    tagger writes the whole tag afterwards. Written to a seekable file, so LAME's Info header (with the
    encoder delay, for gapless decoding) is filled in and chapter times land on the audio.
    """
    stream, codec = _encode_args(pcm_path, pcm_rate, bitrate_kbps, sample_rate, mastering, tempo, quality=quality)
    _write_mp3(stream, codec, out_path)


def _write_mp3(stream: Any, codec: dict[str, object], out_path: Path) -> None:
    """Run the encode of `stream` with `codec` into `out_path`, an MP3 with no tags of ffmpeg's."""
    import ffmpeg

    args = ffmpeg.output(stream, _OUTPUT, format="mp3", id3v2_version=0, write_id3v1=0, **codec).get_args()
    # Run in the output's folder, so only the bare name is on the command line; `file:` keeps a name with
    # a colon or a leading "-" literal.
    runner.run(_output_args(args, f"file:{out_path.name}"), what="MP3 encoding", cwd=out_path.parent)


def _tee_escape(text: str) -> str:
    """`text` as one literal part of a tee muxer target list: every character that is not a plain letter,
    digit, ".", "_" or "-" backslash-escaped (the list's own syntax gives meaning to |, [, ], quotes,
    backslashes and whitespace at either end)."""
    return re.sub(r"([^A-Za-z0-9._-])", r"\\\1", text)


def _encode_section(pcm_path: Path, pcm_rate: int, section: Section, whole: bool, out_path: Path, bitrate_kbps: int,
                    sample_rate: int, mastering: Mastering | None, tempo: float, quality: int,
                    alongside: bool = True) -> Metered:
    """One section of the PCM (all of it when `whole`) encoded to `out_path`, and metered.

    `alongside`: ffmpeg's tee muxer writes the encoded frames both to the file (seekable, so its Info
    header is completed) and to a pipe, from which a second ffmpeg decodes and meters them on the other
    core. Otherwise (a build held to one core) the file is metered once written.
    """
    import ffmpeg

    source = None if whole else (section.start, section.end)
    stream, codec = _encode_args(pcm_path, pcm_rate, bitrate_kbps, sample_rate, mastering, tempo, source, quality)
    if not alongside:
        _write_mp3(stream, codec, out_path)
        metering = meter_encoded(ffmpeg.input(runner.url(out_path)).audio, sample_rate).get_args()
        return parse_metered(runner.run(metering, what="measuring the MP3", loglevel="info").stderr,
                             "measuring the MP3")
    targets = (f"[f=mp3:id3v2_version=0:write_id3v1=0]{_OUTPUT}"
               f"|[f=mp3:id3v2_version=0:write_id3v1=0:write_xing=0]pipe\\:1")
    encode = ffmpeg.output(stream, targets, format="tee", **codec).get_args()
    encode = _output_args(encode, _tee_escape(f"file:{out_path.name}"))
    metering = meter_encoded(ffmpeg.input("pipe:0", format="mp3").audio, sample_rate).get_args()
    _, metered = runner.run_piped(encode, metering, what="MP3 encoding", cwd=out_path.parent)
    return parse_metered(metered.stderr, "measuring the MP3")


# Asked after a section's encode (its number, what the meter heard, its mastering): a mastering to encode it
# with again at once, or None.
Retry = Callable[[int, Metered, Mastering | None], Mastering | None]


class SectionedEncode:
    """An article's MP3 made in sections (`sections.plan`), up to `workers` encoded at once, each into a
    file of its own and metered as written; `join()` puts them together in `out_path`. A section can be
    encoded again (its peaks overshot) without the others. Use as a context manager: the section files go."""

    def __init__(self, pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int,
                 planned: list[Section], tempo: float = 1.0, workers: int = 1, quality: int = DEFAULT_QUALITY):
        self.pcm_path, self.pcm_rate, self.out_path, self.quality = pcm_path, pcm_rate, out_path, quality
        self.bitrate_kbps, self.sample_rate, self.tempo = bitrate_kbps, sample_rate, tempo
        self.sections = planned
        self.workers = max(1, workers)
        # The first section is written to the output itself; the join appends the others to it.
        self.paths = [out_path, *(out_path.with_name(f"{out_path.stem}.section{n}{out_path.suffix}")
                                  for n in range(1, len(planned)))]
        self.metered: list[Metered | None] = [None] * len(planned)
        self.masterings: list[Mastering | None] = [None] * len(planned)  # each section's, as last encoded

    def encode(self, masterings: Mapping[int, Mastering | None], again: Retry | None = None) -> None:
        """Encode (again) each section numbered in `masterings` with its mastering, side by side. `again`,
        asked after each section's encode, may return a mastering to encode that section with once more at
        once (its peaks overshot), so the cores never wait for the others to finish first."""
        from concurrent.futures import ThreadPoolExecutor

        whole = len(self.sections) == 1

        def one(number: int) -> None:
            mastering = masterings[number]
            while True:
                metered = _encode_section(self.pcm_path, self.pcm_rate, self.sections[number], whole,
                                          self.paths[number], self.bitrate_kbps, self.sample_rate, mastering,
                                          self.tempo, self.quality, alongside=self.workers > 1)
                self.metered[number], self.masterings[number] = metered, mastering
                follow = again(number, metered, mastering) if again is not None else None
                if follow is None:
                    return
                mastering = follow

        which = sorted(masterings)
        if len(which) == 1 or self.workers == 1:
            for number in which:
                one(number)
            return
        with ThreadPoolExecutor(max_workers=min(self.workers, len(which))) as pool:
            list(pool.map(one, which))

    def peaks(self) -> list[float]:
        return [self.measured(number).true_peak_dbtp for number in range(len(self.sections))]

    def measured(self, number: int) -> Metered:
        metered = self.metered[number]
        assert metered is not None, "encode() every section first"
        return metered

    def loudness(self) -> Loudness:
        """The whole file's figures: loudness from every section's blocks, the highest true peak."""
        blocks = [block for number in range(len(self.sections)) for block in self.measured(number).blocks]
        return Loudness(round(integrated(blocks), 2), max(self.peaks()))

    def join(self) -> None:
        if len(self.sections) > 1:
            join(self.paths, [section.frames for section in self.sections], self.out_path)
        self._remove_parts()

    def _remove_parts(self) -> None:
        for path in self.paths[1:]:
            path.unlink(missing_ok=True)

    def __enter__(self) -> SectionedEncode:
        return self

    def __exit__(self, *exc: object) -> None:
        self._remove_parts()


def encode_and_measure(pcm_path: Path, pcm_rate: int, out_path: Path, bitrate_kbps: int, sample_rate: int,
                       mastering: Mastering | None = None, tempo: float = 1.0,
                       quality: int = DEFAULT_QUALITY) -> Loudness:
    """`encode_mp3`, and the MP3's own loudness and true peak, measured while it is written."""
    whole = [Section(0, 0, None)]
    # Two workers: the meter reads the encoder's output as it comes, on the other core.
    with SectionedEncode(pcm_path, pcm_rate, out_path, bitrate_kbps, sample_rate, whole, tempo, workers=2,
                         quality=quality) as encoding:
        encoding.encode({0: mastering})
        encoding.join()
        return encoding.loudness()
