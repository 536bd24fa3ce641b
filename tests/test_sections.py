"""An MP3 encoded in sections side by side decodes as one encode would: same length, every sound where it
was, silence at the joins, and an Info header (frame count, gapless padding, checksums) true of the whole.
Real ffmpeg and mutagen; the sections' minimum length is lowered so short test audio is cut too."""

from __future__ import annotations

import math
import random
from array import array
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud import audio, pipeline
from readaloud.audio import encode, frames, loudness, mastering, runner, sections
from readaloud.audio.loudness import Mastering
from readaloud.errors import ToolError
from tests.helpers import SAMPLES

BURST_S, GAP_S = 0.7, 0.45


def tone_bursts(rate: int, count: int) -> tuple[bytes, list[tuple[int, int]], list[int]]:
    """PCM of `count` tone bursts each followed by digital silence; returns it, the silences (input
    samples) and where each burst starts."""
    pcm = array("h")
    quiet, onsets = [], []
    for number in range(count):
        onsets.append(len(pcm))
        frequency = 300 + 40 * number
        burst = int(BURST_S * rate)
        pcm.extend(int(12000 * math.sin(2 * math.pi * frequency * n / rate) * min(1.0, n / 50, (burst - n) / 50))
                   for n in range(burst))
        quiet.append((len(pcm), len(pcm) + int(GAP_S * rate)))
        pcm.extend([0] * int(GAP_S * rate))
    return pcm.tobytes(), quiet, onsets


def decoded(path: Path) -> array:
    import ffmpeg

    args = ffmpeg.input(runner.url(path)).output("pipe:1", format="s16le", ac=1, ar=44100).get_args()
    return array("h", runner.run(args, what="decoding").stdout)


def onsets_in(samples: array, threshold: int = 1500) -> list[int]:
    """The first sample of each sound after at least 0.2 s under `threshold`."""
    found, quiet_run = [], 10**9
    for position, value in enumerate(samples):
        if abs(value) >= threshold:
            if quiet_run >= 8820:
                found.append(position)
            quiet_run = 0
        else:
            quiet_run += 1
    return found


@pytest.fixture
def short_sections(monkeypatch):
    monkeypatch.setattr(sections, "MIN_SECTION_S", 3.0)
    monkeypatch.setattr(sections, "SECTION_S", 7.0)


def encode_both(folder: Path, rate: int, count: int) -> tuple[Path, Path, list[sections.Section], list[int]]:
    """The same PCM (24 bursts, 27.6 s) encoded whole and in `count` sections."""
    pcm, quiet, onsets = tone_bursts(rate, 24)
    source = folder / "speech.pcm"
    source.write_bytes(pcm)
    sections.SECTION_S = (len(pcm) // 2) / rate / count
    planned = sections.plan(len(pcm) // 2, rate, 44100, quiet, 2)
    whole, cut = folder / "whole.mp3", folder / "cut.mp3"
    level = Mastering(3.0, -3.0)
    with encode.SectionedEncode(source, rate, whole, 64, 44100, [sections.Section(0, 0, None)]) as one:
        one.encode({0: level})
        one.join()
    with encode.SectionedEncode(source, rate, cut, 64, 44100, planned, workers=2) as several:
        several.encode(dict.fromkeys(range(len(planned)), level))
        several.join()
    return whole, cut, planned, [round(onset * 44100 / rate) for onset in onsets]


@pytest.mark.parametrize("rate", [22050, 24000])
def test_sections_decode_as_one_encode(tmp_path, short_sections, rate):
    whole, cut, planned, onsets = encode_both(tmp_path, rate, 4)
    assert len(planned) == 4
    one, joined = decoded(whole), decoded(cut)
    assert len(joined) == len(one)
    heard_one, heard_joined = onsets_in(one), onsets_in(joined)
    assert len(heard_joined) == len(onsets) == len(heard_one)
    # Every burst starts where it does in the single encode (24 kHz input: within the resampler's sample).
    assert max(abs(a - b) for a, b in zip(heard_one, heard_joined, strict=True)) <= (0 if rate == 22050 else 1)
    # Silence at every join, so no click: the section boundaries sit in the gaps.
    boundary = 0
    for section in planned[:-1]:
        assert section.frames is not None
        boundary += section.frames * sections.FRAME
        assert max(abs(x) for x in joined[boundary - 2000 : boundary + 2000]) <= 2


def test_joined_info_header_is_true_of_the_whole(tmp_path, short_sections):
    _, cut, planned, _ = encode_both(tmp_path, 22050, 3)
    data = cut.read_bytes()
    offsets = sections._frames(data)
    at = sections._info(data, 0)
    assert int.from_bytes(data[at + 8 : at + 12], "big") == len(offsets) - 1  # audio frames, header excluded
    assert int.from_bytes(data[at + 12 : at + 16], "big") == len(data)
    lame = at + sections._LAME
    audio_bytes = data[offsets[1]:]
    assert int.from_bytes(data[lame + 32 : lame + 34], "big") == sections._crc16(audio_bytes)
    header = bytearray(data[: offsets[1]])
    stored = int.from_bytes(header[lame + 34 : lame + 36], "big")
    header[lame + 34 : lame + 36] = b"\0\0"
    assert stored == sections._crc16(bytes(header[:190]))
    # Players: mutagen and the gapless reckoning agree with the audio's length.
    info = MP3(cut).info
    samples = sum(section.end - section.start for section in planned)  # approximately: cuts drop a frame each
    assert abs(frames.playing_seconds(cut, info) - len(decoded(cut)) / 44100) < 1e-6
    assert abs(frames.playing_seconds(cut, info) - samples / 22050) < 0.1


def test_crc_of_joined_parts_from_theirs():
    generator = random.Random(7)
    for _ in range(20):
        first = bytes(generator.randrange(256) for _ in range(generator.randrange(0, 300)))
        second = bytes(generator.randrange(256) for _ in range(generator.randrange(0, 300)))
        assert sections.combine_crc16(sections._crc16(first), sections._crc16(second), len(second)) == \
            sections._crc16(first + second)


def test_plan_cuts_only_in_pauses_long_enough(short_sections, monkeypatch):
    monkeypatch.setattr(sections, "SECTION_S", 20.0)
    rate = 22050
    total = 60 * rate
    quiet = [(10 * rate, 10 * rate + 300), (29 * rate, int(29.5 * rate)), (44 * rate, int(44.6 * rate))]
    planned = sections.plan(total, rate, 44100, quiet)
    # The first pause is too short for a frame and its margins; the cuts fall in the other two.
    assert len(planned) == 3
    for section, (start, end) in zip(planned, quiet[1:], strict=False):
        assert start <= section.end < end
    assert planned[0].start == 0 and planned[-1].end == total
    for before, after in zip(planned, planned[1:], strict=False):
        assert before.end < after.start
        assert after.start * 2 % sections.FRAME == 0  # the next section starts on a frame boundary


@pytest.mark.parametrize(("total_s", "out_rate", "quiet", "expected"), [
    (50, 44100, [(25 * 22050, 26 * 22050)], 1),  # too short for two sections of at least MIN_SECTION_S
    (600, 44100, [], 1),  # nowhere quiet to cut
    (600, 22050, [(300 * 22050, 301 * 22050)], 1),  # MPEG-2 output: not cut
    (600, 44100, [(300 * 22050, 301 * 22050)], 2),  # one pause: one cut
    (120, 44100, [(60 * 22050, 61 * 22050)], 2),  # one section a core, though shorter than SECTION_S
])
def test_plan_keeps_one_section_when_it_cannot_cut(total_s, out_rate, quiet, expected):
    assert len(sections.plan(total_s * 22050, 22050, out_rate, quiet, 4)) == expected


def test_an_encoder_making_other_frames_is_an_error(tmp_path, short_sections):
    _, cut, planned, _ = encode_both(tmp_path, 22050, 2)
    part = tmp_path / "part.mp3"
    part.write_bytes(cut.read_bytes())
    with pytest.raises(ToolError, match="the encoder made .* frames where .* were planned"):
        sections.join([part, part], [(planned[0].frames or 0) + 1, None], tmp_path / "cut.mp3")


def test_overshooting_section_is_encoded_again_alone(tmp_path, short_sections, monkeypatch):
    """Peaks a little over the limit in one section: that section alone is encoded again at once, turned
    down by its excess; no limiter curve is measured again."""
    pcm, quiet, _ = tone_bursts(22050, 24)
    source = tmp_path / "speech.pcm"
    source.write_bytes(pcm)
    encoded: list[tuple[int, Mastering]] = []
    real = encode._encode_section

    def spy(pcm_path, pcm_rate, section, whole, *args, **kwargs):
        metered = real(pcm_path, pcm_rate, section, whole, *args, **kwargs)
        encoded.append((section.start, args[3]))  # out_path, bit rate, sample rate, then the mastering
        if section.start > 0 and sum(1 for start, _ in encoded if start == section.start) == 1 \
                and min(start for start, _ in encoded if start > 0) == section.start:
            return loudness.Metered(metered.blocks, -1.2)  # as if the encoder pushed its peaks 0.3 dB over
        return metered

    monkeypatch.setattr(encode, "_encode_section", spy)
    curves: dict = {}
    got = mastering.master_mp3(source, 22050, tmp_path / "out.mp3", 64, 44100, -16.0, -1.5, quiet=quiet, workers=2,
                               curves=curves)
    starts = [start for start, _ in encoded]
    assert len(set(starts)) == 4 and len(starts) == 5
    twice = [start for start in set(starts) if starts.count(start) == 2]
    assert len(twice) == 1
    first, again = (m for start, m in encoded if start == twice[0])
    step = -1.2 - (-1.5 - mastering.AIM_MARGIN) + mastering.AIM_MARGIN
    assert first.gain_db - again.gain_db == pytest.approx(step, abs=0.011)
    assert first.ceiling_db - again.ceiling_db == pytest.approx(step, abs=0.011)
    assert len(curves) == 1  # one limiter curve, at the first ceiling
    assert got.true_peak_dbtp <= -1.5 and abs(got.integrated_lufs + 16) <= 0.5


def test_build_on_two_cores_matches_one(tmp_path, monkeypatch):
    """Same chapters, captions and length from a build encoded in sections on two cores as from one encode."""
    settings_path = tmp_path / "readaloud.toml"
    settings_path.write_text(f'[engine]\nname = "espeak"\n[cache]\ndir = "{tmp_path / "clips"}"\n', encoding="utf-8")
    from readaloud import config

    settings = config.load(settings_path)
    seen: list[int] = []
    real_plan = sections.plan

    def counted(*args, **kwargs):
        planned = real_plan(*args, **kwargs)
        seen.append(len(planned))
        return planned

    monkeypatch.setattr(sections, "plan", counted)
    article = str(SAMPLES / "lua-dong-xuan.txt")
    monkeypatch.setattr(sections, "SECTION_S", 10.0**6)
    monkeypatch.setattr(sections, "MIN_SECTION_S", 10.0**6)
    one = pipeline.build(article, tmp_path / "one.mp3", settings, cores=1)
    monkeypatch.setattr(sections, "SECTION_S", 20.0)
    monkeypatch.setattr(sections, "MIN_SECTION_S", 10.0)
    two = pipeline.build(article, tmp_path / "two.mp3", settings, cores=2)
    assert seen[0] == 1 and seen[1] > 1
    assert one.chapters == two.chapters and one.duration_s == two.duration_s
    assert (tmp_path / "one.vtt").read_text(encoding="utf-8") == (tmp_path / "two.vtt").read_text(encoding="utf-8")
    assert len(decoded(tmp_path / "one.mp3")) == len(decoded(tmp_path / "two.mp3"))
    measured = audio.measure_loudness(tmp_path / "two.mp3")
    assert abs(measured.integrated_lufs + 16) <= 0.5 and measured.true_peak_dbtp <= -1.5
    assert two.loudness_lufs is not None and abs(two.loudness_lufs - measured.integrated_lufs) <= 0.1
    assert not list(tmp_path.rglob("*.section*"))  # the section files are gone


def test_the_lame_quality_setting_reaches_every_section(tmp_path, short_sections, monkeypatch):
    """[mp3] quality is the encoder's compression_level, for each section of a build; and it changes the MP3."""
    from readaloud import config

    seen: list[int] = []
    real = encode._encode_section

    def spy(*args, **kwargs):
        seen.append(args[-1])
        return real(*args, **kwargs)

    monkeypatch.setattr(encode, "_encode_section", spy)
    settings_path = tmp_path / "readaloud.toml"
    settings_path.write_text(f'[engine]\nname = "espeak"\n[mp3]\nquality = 2\n[cache]\ndir = "{tmp_path / "c"}"\n',
                             encoding="utf-8")
    pipeline.build(str(SAMPLES / "lua-dong-xuan.txt"), tmp_path / "q2.mp3", config.load(settings_path), cores=2)
    assert len(seen) > 1 and set(seen) == {2}
    pcm, _, _ = tone_bursts(22050, 4)
    (tmp_path / "t.pcm").write_bytes(pcm)
    made = []
    for quality in (0, 7):
        audio.encode_mp3(tmp_path / "t.pcm", 22050, tmp_path / f"q{quality}.mp3", 64, 44100, quality=quality)
        made.append((tmp_path / f"q{quality}.mp3").read_bytes())
    assert made[0] != made[1] and all(frames.mp3_frames_complete(data) for data in made)


def test_a_build_held_to_one_core_runs_one_thing_at_a_time(tmp_path, monkeypatch):
    """`cores=1` (each build of `sync --jobs N`): one clip synthesised at a time, no meter beside the
    synthesis or the encoder; the figures are the same promise, measured afterwards."""
    from readaloud import config
    from readaloud.engines import runner as engine_runner

    piped, fed, most = [], [], []
    real_piped, real_fed, real_speak = runner.run_piped, runner.start_fed, engine_runner.synthesize_in_order

    def counted_piped(*args, **kwargs):
        piped.append(1)
        return real_piped(*args, **kwargs)

    def counted_fed(*args, **kwargs):
        fed.append(1)
        return real_fed(*args, **kwargs)

    def counted_speak(*args, **kwargs):
        most.append(kwargs.get("most"))
        return real_speak(*args, **kwargs)

    monkeypatch.setattr(runner, "run_piped", counted_piped)
    monkeypatch.setattr(runner, "start_fed", counted_fed)
    monkeypatch.setattr(pipeline, "synthesize_in_order", counted_speak)
    settings_path = tmp_path / "readaloud.toml"
    settings_path.write_text(f'[engine]\nname = "espeak"\n[cache]\ndir = "{tmp_path / "c"}"\n', encoding="utf-8")
    settings = config.load(settings_path)
    result = pipeline.build(str(SAMPLES / "lua-dong-xuan.txt"), tmp_path / "one.mp3", settings, cores=1)
    assert (piped, fed, most) == ([], [], [1])
    assert result.loudness_lufs is not None and abs(result.loudness_lufs + 16) <= 0.5
    assert result.true_peak_dbtp is not None and result.true_peak_dbtp <= -1.5
    pipeline.build(str(SAMPLES / "lua-dong-xuan.txt"), tmp_path / "two.mp3", settings, cores=2)
    assert piped and most[-1] == 2  # the clips are cached now, so no meter is fed during synthesis


def test_silence_is_encoded_silent_not_driven_to_noise(tmp_path):
    """Nothing above the loudness gate: no gain can reach the target, so none is tried (it once became an
    infinite gain and the MP3 loud noise)."""
    source = tmp_path / "quiet.pcm"
    source.write_bytes(bytes(2 * 22050 * 5))
    got = mastering.master_mp3(source, 22050, tmp_path / "quiet.mp3", 64, 44100, -16.0, -1.5, workers=2)
    assert got.integrated_lufs == -math.inf
    assert max(abs(x) for x in decoded(tmp_path / "quiet.mp3")) <= 1


def test_a_file_name_in_ffmpegs_log_is_never_read_as_a_figure(tmp_path):
    """The meter reads the filters' own lines only: a folder named like a loudness figure changes nothing."""
    pcm, quiet, _ = tone_bursts(22050, 6)
    (tmp_path / "t.pcm").write_bytes(pcm)
    figures = []
    for folder in (tmp_path / "plain", tmp_path / "Radio M: 99 [Parsed_astats_0 @ x] Peak level dB: 5"):
        folder.mkdir()
        with encode.SectionedEncode(tmp_path / "t.pcm", 22050, folder / "o.mp3", 64, 44100,
                                    [sections.Section(0, 0, None)], workers=1) as one:  # metered from the file
            one.encode({0: Mastering(0.0, -1.0)})
            one.join()
            figures.append(one.loudness())
    assert figures[0] == figures[1]
    assert figures[0].true_peak_dbtp < 0 and -40 < figures[0].integrated_lufs < 0


def test_a_network_engine_keeps_its_requests_in_flight_on_one_core(tmp_path, monkeypatch):
    """`most` holds a local engine to the build's cores; a network engine waits on its service, not a core."""
    from readaloud.engines import registry

    seen = []

    def spy(*args, **kwargs):
        seen.append((args[1].name, kwargs.get("most")))
        raise pipeline.SynthesisError("stop here")

    monkeypatch.setattr(pipeline, "render", spy)
    from readaloud import config

    settings_path = tmp_path / "readaloud.toml"
    settings_path.write_text('[engine]\nname = "auto"\n[cache]\nenabled = false\n', encoding="utf-8")
    with pytest.raises(pipeline.SynthesisError):
        pipeline.build(str(SAMPLES / "lua-dong-xuan.txt"), tmp_path / "x.mp3", config.load(settings_path), cores=1)
    assert [name for name, _ in seen] == list(registry.candidates(config.EngineSettings()))
    assert {name: most for name, most in seen} == {
        name: None if registry.spec(name).needs_network else 1 for name in registry.candidates(config.EngineSettings())}
