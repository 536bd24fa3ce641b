"""The finished file as a listener, a podcast app and a screen-reader user meet it: loudness, pauses,
chapters, captions and tags, measured on the decoded MP3 (real espeak-ng, ffmpeg and mutagen)."""

from __future__ import annotations

import hashlib
import html
import json
import struct
from array import array
from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

import readaloud
from readaloud import audio, captions, config, pipeline
from readaloud.audio import mastering
from readaloud.cli import cli
from readaloud.engines.espeak import EspeakEngine
from readaloud.model import Audio, Speech
from readaloud.text import lexicon
from tests.helpers import SAMPLES, cli_runner
from tests.helpers.audio_probes import Silence, probe_chapters, silences

NNPTNT = "Nông nghiệp và Phát triển nông thôn"
PAUSES = {"title": 900, "heading": 1500, "paragraph": 650, "sentence": 350, "chunk": 180}


def write_config(folder: Path, **tables: dict) -> Path:
    tables = {"engine": {"name": "espeak"}, "pauses": PAUSES, **tables}
    lines = []
    for name, values in tables.items():
        lines.append(f"[{name}]")
        lines.extend(f"{key} = {json.dumps(value)}" for key, value in values.items())
    path = folder / "readaloud.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    # A lexicon with one word the article uses (NN&PTNT) and one it does not: the MP3 records the first only.
    (folder / "lexicon.toml").write_text(f'[words]\n"NN&PTNT" = "{NNPTNT}"\n"Covid-19" = "cô vít mười chín"\n',
                                         encoding="utf-8")
    settings = config.load(write_config(folder, reading={"lexicon": "lexicon.toml"}))
    out = folder / "mua.mp3"
    result = pipeline.build(str(SAMPLES / "mua-nuoc-noi.md"), out, settings, srt=True)
    script = pipeline.plan(pipeline.read_article(str(SAMPLES / "mua-nuoc-noi.md")), settings)
    return result, script, out, audio.decode_file(out, 44100)


def test_loudness_and_true_peak_of_the_file(built):
    result, _, out, _ = built
    measured = audio.measure_loudness(out)
    assert abs(measured.integrated_lufs - (-16.0)) <= 0.5
    assert measured.true_peak_dbtp <= -1.5
    # The build's own meter (gating blocks, 4x oversampled peak) against ffmpeg's ebur128 summary, which
    # prints one decimal: the same figures within that rounding.
    assert abs(result.loudness_lufs - measured.integrated_lufs) <= 0.05 + 1e-9
    assert abs(result.true_peak_dbtp - measured.true_peak_dbtp) <= 0.05 + 1e-9


@pytest.mark.parametrize(("label", "gain_db"), [("quiet", -24.0), ("hot", 9.0)])
def test_loudness_whatever_the_engine_level(tmp_path, monkeypatch, label, gain_db):
    speak = EspeakEngine.synthesize
    factor = 10 ** (gain_db / 20)

    def scaled(self, text):  # the same voice, delivered much quieter or clipping hot
        clip = speak(self, text).audio
        samples = array("h")
        samples.frombytes(clip.pcm)
        out = array("h", (max(-32768, min(32767, int(s * factor))) for s in samples)).tobytes()
        return Speech(Audio(out, clip.sample_rate), out, "pcm")

    monkeypatch.setattr(EspeakEngine, "synthesize", scaled)
    out = tmp_path / f"{label}.mp3"
    pipeline.build(str(SAMPLES / "khai-giang.md"), out, config.load(write_config(tmp_path)))
    measured = audio.measure_loudness(out)
    assert abs(measured.integrated_lufs - (-16.0)) <= 0.5, measured
    assert measured.true_peak_dbtp <= -1.5, measured


def test_loudness_metered_while_written_is_that_of_the_file(tmp_path, monkeypatch):
    # A cold build measures the assembled PCM as it is written instead of in a pass afterwards; the two
    # figures are the same, and the build makes no raw pass of its own (only the limiter-curve passes).
    settings = config.load(write_config(tmp_path, cache={"dir": str(tmp_path / "clips")}))
    passes, kept = [], {}
    measure = audio.measure_loudness

    def counted(path, raw_rate=None, mastering=None, true_peak=True):
        passes.append(mastering)
        return measure(path, raw_rate, mastering, true_peak)

    render = pipeline.render

    def keep_pcm(*args, **kwargs):
        rendered = render(*args, **kwargs)
        kept["raw"] = rendered.raw_lufs
        kept["pcm"] = rendered.pcm_path.read_bytes()
        kept["rate"] = rendered.sample_rate
        return rendered

    monkeypatch.setattr(mastering, "measure_loudness", counted)
    monkeypatch.setattr(pipeline, "render", keep_pcm)
    pipeline.build(str(SAMPLES / "khai-giang.md"), tmp_path / "k.mp3", settings)
    assert kept["raw"] is not None and None not in passes and len(passes) >= 2
    pcm = tmp_path / "k.pcm"
    pcm.write_bytes(kept["pcm"])
    afterwards = measure(pcm, kept["rate"], true_peak=False).integrated_lufs
    assert abs(kept["raw"] - afterwards) <= 0.05, (kept["raw"], afterwards)
    # Built again from the cache, the kept limiter curve is used: nothing is measured before the encode.
    passes.clear()
    pipeline.build(str(SAMPLES / "khai-giang.md"), tmp_path / "k2.mp3", settings)
    assert passes == [] and kept["raw"] is None


# An article with every kind of pause by construction: a title, a lead of two sentences, a heading, and a
# sentence far over espeak-ng's 300-character limit (so it is cut into chunks, with chunk pauses between
# them) however the segmenter splits sentences.
PAUSED_ARTICLE = (
    "# Khoảng lặng trong bài đọc\n\n"
    "Mùa nước nổi năm nay về muộn. Nông dân vẫn chủ động sinh kế.\n\n"
    "## Sinh kế đầu nguồn\n\n"
    "Nông dân các xã vùng đầu nguồn như Tân Hội, Tân Hòa, Thường Phước, Thường Thới Hậu, Long Khánh, Long "
    "Thuận, Phú Thuận và Bình Thạnh đã chuyển sang trồng sen lấy gương và ngó, nuôi cá đồng và tôm càng xanh "
    "trong ruộng lúa, hái bông điên điển, bắt ốc, cắt bông súng, nuôi lươn và ếch trong bể lót bạt, trồng rau "
    "muống trên phần diện tích ngập nước để bán cho thương lái trong suốt mùa nước nổi năm nay.\n\n"
    "Thương lái đến tận ruộng thu mua.\n")


@pytest.fixture(scope="module")
def paused(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paused")
    article = folder / "khoang-lang.md"
    article.write_text(PAUSED_ARTICLE, encoding="utf-8")
    settings = config.load(write_config(folder))
    out = folder / "khoang-lang.mp3"
    result = pipeline.build(str(article), out, settings)
    script = pipeline.plan(pipeline.read_article(str(article)), settings)
    return result, script, out, audio.decode_file(out, 44100)


def _silence_between(gaps: list[Silence], start_ms: int, end_ms: int) -> list[Silence]:
    return [g for g in gaps if g.start_ms < end_ms and g.end_ms > start_ms]


@pytest.mark.parametrize(("fixture", "required"), [
    ("built", ("title", "heading", "paragraph", "sentence")),  # the real sample: whatever chunking it gets
    ("paused", ("title", "heading", "paragraph", "sentence", "chunk")),  # every pause, the chunk pause included
])
def test_each_configured_pause_is_the_pause_heard(request, fixture, required):
    result, script, out, decoded = request.getfixturevalue(fixture)
    vtt = out.with_suffix(".vtt").read_text(encoding="utf-8")
    cues = _parse_vtt(vtt, script)
    assert len(cues) == len([c for c in script.chunks if c.display])
    checked: dict[int, list[int]] = {}
    gaps = silences(decoded, min_ms=80)  # found once for the whole file, then looked up between each two cues
    for chunk, (_, end, _), (next_start, _, _) in zip(script.chunks, cues, cues[1:], strict=False):
        found = _silence_between(gaps, end, next_start)
        assert len(found) == 1, (chunk.display, end, next_start, found)
        checked.setdefault(chunk.pause_after_ms, []).append(found[0].end_ms - found[0].start_ms)
    assert set(checked) >= {PAUSES[kind] for kind in required}, checked
    for configured, measured in checked.items():
        assert all(abs(m - configured) <= 30 for m in measured), (configured, measured)


def _parse_vtt(text: str, script=None) -> list[tuple[int, int, str]]:
    """(start, end, text) of each cue, its lines joined; with `script`, of each chunk instead (a chunk
    shows as one or more cues: from the first one's start to the last one's end)."""
    def ms(stamp: str) -> int:
        h, m, rest = stamp.split(":")
        s, milli = rest.split(".")
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(milli)

    blocks = text.split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = []
    for block in blocks[1:]:
        if block.strip():
            _, timing, *lines = block.strip().split("\n")
            start, end = timing.split(" --> ")
            cues.append((ms(start), ms(end), html.unescape(" ".join(lines))))  # WebVTT escapes & < >
    if script is None:
        return cues
    chunks = []
    for display in captions.heading_forms(script.chunks, script.section_titles):
        if not display:
            continue
        words = len(display.split())
        taken = []
        while sum(len(c[2].split()) for c in taken) < words:
            taken.append(cues.pop(0))
        chunks.append((taken[0][0], taken[-1][1], " ".join(c[2] for c in taken)))
    assert not cues
    return chunks


def test_captions_show_display_text_and_start_where_speech_starts(built):
    result, script, out, decoded = built
    cues = _parse_vtt(out.with_suffix(".vtt").read_text(encoding="utf-8"), script)
    assert [c[2] for c in cues] == [d for d in captions.heading_forms(script.chunks, script.section_titles) if d]
    assert "15/10/2024" in " ".join(c[2] for c in cues)  # as written, not as spoken
    gaps = silences(decoded, min_ms=80)
    for start, _, caption in cues[1:]:  # each chunk's first cue
        assert any(abs(g.end_ms - start) <= 40 for g in gaps), (caption, start)
    vtt_cues = len(_parse_vtt(out.with_suffix(".vtt").read_text(encoding="utf-8")))
    srt = out.with_suffix(".srt").read_text(encoding="utf-8")
    assert srt.startswith("1\n00:00:00,000 --> ") and srt.count(" --> ") == vtt_cues
    assert result.captions == (str(out.with_suffix(".vtt")), str(out.with_suffix(".srt")))


def test_chapters_in_stored_time_order_as_ffmpeg_reads_them(built):
    result, script, out, _ = built
    probed = probe_chapters(out)
    assert [title for _, _, title in probed] == list(script.section_titles)
    starts = [start for start, _, _ in probed]
    assert starts == sorted(starts)
    assert abs(probed[-1][1] - MP3(out).info.length) < 0.1


def test_every_tag_reads_back(built):
    result, script, out, _ = built
    tags = ID3(out)
    assert tags.version[:2] == (2, 4)
    assert tags["TIT2"].text == ["Mùa nước nổi về muộn, nông dân đầu nguồn chủ động sinh kế"]
    assert tags["TPE1"].text == ["Minh Khoa"]
    assert tags["TPUB"].text == ["Báo Đồng Tháp Online"]
    assert str(tags["TDRC"].text[0]) == "2024-10-15"
    assert tags["TCON"].text == ["Speech"] and tags["TLAN"].text == ["vie"]
    assert tags.getall("WOAS")[0].url.startswith("https://baodongthap.vn/")
    assert tags.getall("COMM")[0].text[0].startswith("Ngày 15/10/2024, mực nước sông Tiền")
    transcript = tags.getall("USLT")[0].text
    assert transcript.startswith("Mùa nước nổi về muộn") and "## " not in transcript and "Minh Khoa" not in transcript
    cover = tags.getall("APIC")[0]
    assert cover.mime == "image/png" and cover.type == 3
    assert cover.data.startswith(b"\x89PNG\r\n\x1a\n")  # its pixels encoded again (tests/test_cover.py)
    assert tags["TXXX:readaloud:version"].text == [readaloud.__version__]
    assert tags["TXXX:readaloud:engine"].text == [result.engine] and result.engine.startswith("espeak-ng ")
    assert tags["TXXX:readaloud:source-sha256"].text == [
        hashlib.sha256((SAMPLES / "mua-nuoc-noi.md").read_bytes()).hexdigest()]
    assert tags["TXXX:readaloud:settings"].text == [config.fingerprint(config.load(out.parent / "readaloud.toml"))]
    assert len(tags["TXXX:readaloud:settings"].text[0]) == 16
    assert tags["TXXX:readaloud:rules"].text == [readaloud.RULES_VERSION]
    # The lexicon entries the article uses (NN&PTNT, not Covid-19), as a digest: editing only Covid-19's reading
    # must not make this article stale.
    assert any(NNPTNT in c.spoken for c in script.chunks)  # the entry was used
    used_only = lexicon.relevant_digest({"NN&PTNT": NNPTNT}, "NN&PTNT")
    assert tags["TXXX:readaloud:lexicon"].text == [used_only]
    assert used_only != lexicon.relevant_digest({}, "")
    assert used_only != lexicon.relevant_digest({"NN&PTNT": NNPTNT, "Covid-19": "cô vít mười chín"},
                                                "NN&PTNT Covid-19")
    assert sorted(f.desc for f in tags.getall("TXXX")) == sorted([
        "readaloud:version", "readaloud:engine", "readaloud:source-sha256", "readaloud:settings", "readaloud:rules",
        "readaloud:lexicon"])
    toc = tags.getall("CTOC")[0]
    assert toc.flags == 3  # top level, ordered
    assert [c.sub_frames["TIT2"].text[0] for c in tags.getall("CHAP")] == list(script.section_titles)


def test_inspect_reports_what_was_built(built):
    result, script, out, _ = built
    run = cli_runner().invoke(cli, ["inspect", str(out), "--json"])
    assert run.exit_code == 0, run.output
    seen = json.loads(run.stdout)
    assert seen["bitrate_kbps"] == 64 and seen["bitrate_mode"] == "CBR" and seen["channels"] == 1
    assert seen["sample_rate"] == 44100
    # Both give the length players show (the encoder's delay and padding left out), to the millisecond.
    # Both are counted down to whole milliseconds, as build --json prints it.
    reported = int(round(result.duration_s * 1000, 6)) / 1000
    assert abs(seen["duration_s"] - reported) <= 0.001 + 1e-9, (seen["duration_s"], reported)
    assert abs(seen["loudness_lufs"] + 16) <= 0.5 and seen["true_peak_dbtp"] <= -1.5
    assert [c["title"] for c in seen["chapters"]] == list(script.section_titles)
    assert seen["engine"] == result.engine and seen["cover"] == "image/png"
    text = cli_runner().invoke(cli, ["inspect", str(out)])
    assert "chapters:    4" in text.stdout and "LUFS" in text.stdout
    # The text form shows the same provenance as --json, the lexicon digest included.
    for key in ("engine", "source_sha256", "settings", "rules", "lexicon"):
        assert seen[key] and seen[key] in text.stdout, key


def _tone_file(path: Path, seconds: float, rate: int = 22050) -> Path:
    import math

    pcm = path.with_suffix(".pcm")
    pcm.write_bytes(b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * 330 * i / rate)))
                             for i in range(int(rate * seconds))))
    audio.encode_mp3(pcm, rate, path, 64, rate)
    return path


def test_tempo_intro_and_outro_keep_chapters_and_captions_on_the_audio(tmp_path):
    _tone_file(tmp_path / "intro.mp3", 1.0)
    _tone_file(tmp_path / "outro.mp3", 1.0)
    cfg = write_config(tmp_path, audio={"tempo": 1.25, "intro": "intro.mp3", "outro": "outro.mp3"})
    out = tmp_path / "kg.mp3"
    result = pipeline.build(str(SAMPLES / "khai-giang.md"), out, config.load(cfg))
    plain_folder = tmp_path / "plain"
    plain_folder.mkdir()
    plain = pipeline.build(str(SAMPLES / "khai-giang.md"), plain_folder / "kg.mp3",
                           config.load(write_config(plain_folder)))
    # Speech and pauses 1.25x faster, plus the two one-second tones (also 1.25x faster), each set off by
    # a paragraph pause.
    expected = (plain.duration_s + 2.0 + 2 * PAUSES["paragraph"] / 1000) / 1.25
    assert abs(result.duration_s - expected) < 0.15
    assert abs(MP3(out).info.length - result.duration_s) < 0.15
    decoded = audio.decode_file(out, 44100)
    gaps = silences(decoded, min_ms=80)
    script = pipeline.plan(pipeline.read_article(str(SAMPLES / "khai-giang.md")), config.load(cfg))
    cues = _parse_vtt(out.with_suffix(".vtt").read_text(encoding="utf-8"), script)
    assert abs(cues[0][0] - (1000 + PAUSES["paragraph"]) / 1.25) <= 40  # after the intro and its pause
    for start, _, caption in cues:
        assert any(abs(g.end_ms - start) <= 40 for g in gaps), (caption, start)
    assert result.chapters[0].start_ms == 0 and result.chapters[-1].end_ms == int(result.duration_s * 1000)
