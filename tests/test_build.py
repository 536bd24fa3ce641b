"""End to end with the real espeak-ng and ffmpeg: build a sample, then read the MP3 back as a player would."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3, BitrateMode

from readaloud import audio, config, pipeline
from readaloud.text.reader import read_article
from readaloud.text.segment import display_heading
from tests.helpers import SAMPLES
from tests.helpers.audio_probes import probe_chapters, silences

SAMPLE = SAMPLES / "lua-dong-xuan.txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    cfg = folder / "readaloud.toml"
    cfg.write_text("[engine]\nname = \"espeak\"\n[pauses]\ntitle = 900\nheading = 1500\nparagraph = 600\n"
                   "sentence = 350\nchunk = 150\n", encoding="utf-8")
    settings = config.load(cfg)
    out = folder / "lua.mp3"
    result = pipeline.build(str(SAMPLE), out, settings)
    return settings, result, out


def test_duration_is_what_the_text_and_pauses_need(built):
    settings, result, out = built
    info = MP3(out).info
    assert abs(info.length - result.duration_s) < 0.1
    script = pipeline.plan(read_article(str(SAMPLE)), settings)
    pauses_s = sum(c.pause_after_ms for c in script.chunks) / 1000
    syllables = sum(len(c.spoken.split()) for c in script.chunks)
    # espeak-ng at 165 words (Vietnamese: syllables) per minute, give or take what punctuation adds.
    speech_s = syllables * 60 / settings.engine.rate
    assert 0.6 * speech_s < info.length - pauses_s < 1.6 * speech_s
    assert (info.channels, info.sample_rate, info.bitrate) == (1, 44100, 64000)
    assert info.bitrate_mode == BitrateMode.CBR


def test_id3v24_frames_read_back(built):
    _, result, out = built
    tags = ID3(out)
    assert tags.version[:2] == (2, 4)
    article = read_article(str(SAMPLE))
    assert tags["TIT2"].text == [article.title]
    assert tags["TLAN"].text == ["vie"]
    assert tags["TXXX:readaloud:engine"].text[0].startswith("espeak-ng ")
    toc = tags.getall("CTOC")[0]
    assert toc.child_element_ids == [f"chp{i}" for i in range(len(result.chapters))]


def test_chapters_follow_the_headings_in_stored_time_order(built):
    _, result, out = built
    article = read_article(str(SAMPLE))
    # Chapter titles are in display form: ALL-CAPS headings in sentence case, acronyms as written.
    headings = [display_heading(b.text) for b in article.blocks if b.kind == "heading"]
    assert len(headings) >= 2 and "HTX liên kết tiêu thụ, giảm chi phí" in headings
    stored = ID3(out).getall("CHAP")  # mutagen keeps the order frames are stored in
    assert [c.sub_frames["TIT2"].text[0] for c in stored] == [article.title, *headings]
    assert [c.start_time for c in stored] == sorted(c.start_time for c in stored)
    # ffmpeg numbers chapters in stored order too; that is what players built on it show.
    probed = probe_chapters(out)
    assert [title for _, _, title in probed] == [article.title, *headings]
    starts = [start for start, _, _ in probed]
    assert starts == sorted(starts) and starts[0] == 0


def test_heading_pause_is_heard_at_each_chapter_boundary(built):
    settings, _, out = built
    decoded = audio.decode_file(out, 44100)  # gapless: the encoder's delay is skipped, t=0 is our t=0
    gaps = silences(decoded, min_ms=200)
    # The stored CHAP times, which players use. (ffmpeg's own chapter list is shifted ~25 ms earlier:
    # it subtracts the encoder delay from chapter times.)
    for chapter in ID3(out).getall("CHAP")[1:]:
        title = chapter.sub_frames["TIT2"].text[0]
        ending_here = [g for g in gaps if abs(g.end_ms - chapter.start_time) <= 30]
        assert ending_here, f"no silence ends at chapter {title!r} ({chapter.start_time} ms)"
        measured = ending_here[0].end_ms - ending_here[0].start_ms
        assert abs(measured - settings.pauses.heading) <= 30, (title, measured)


def test_failed_build_leaves_earlier_output_untouched(tmp_path):
    out = tmp_path / "bai.mp3"
    out.write_bytes(b"earlier good file")
    article = tmp_path / "bai.txt"
    article.write_bytes(b"")
    with pytest.raises(Exception, match="empty"):
        pipeline.build(str(article), out, config.Settings().with_engine("espeak"))
    assert out.read_bytes() == b"earlier good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.mp3", "bai.txt"]


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*") if p.suffix in (".txt", ".md")))
def test_every_sample_builds(tmp_path, sample):
    out = tmp_path / "x.mp3"
    result = pipeline.build(str(SAMPLES / sample), out, config.Settings().with_engine("espeak"))
    assert MP3(out).info.length > 20
    assert len(result.chapters) >= 2
    assert sorted(Path(tmp_path).iterdir()) == [out.with_suffix(".chapters.json"), out, out.with_suffix(".vtt")]


def test_encoder_failure_leaves_no_partial_file(tmp_path):
    out = tmp_path / "bai.mp3"
    out.write_bytes(b"earlier good file")
    from dataclasses import replace

    from readaloud.errors import ToolError

    # A sample rate MP3 does not have makes LAME refuse. Settings files cannot say it (config refuses it
    # first), so it is set directly, to make the encoder itself fail.
    settings = config.load(None).with_engine("espeak")
    settings = replace(settings, mp3=replace(settings.mp3, sample_rate=12345))
    with pytest.raises(ToolError, match="MP3 encoding failed"):
        pipeline.build(str(SAMPLES / "khai-giang.md"), out, settings)
    assert out.read_bytes() == b"earlier good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.mp3"]  # no temporary MP3, no sidecar


def test_a_cms_pages_web_image_is_the_cover_when_a_copy_is_beside_the_article(tmp_path):
    # samples/cay-an-trai.html names its lead image by URL (og:image); the sample folder holds a copy under
    # images/ with the same file name, which becomes the cover. readaloud never downloads it.
    settings = config.load(SAMPLES / "readaloud.toml").with_engine("espeak")
    warnings: list[str] = []
    out = tmp_path / "cay.mp3"
    pipeline.build(str(SAMPLES / "cay-an-trai.html"), out, settings, warn=warnings.append)
    cover = ID3(out).getall("APIC")
    assert len(cover) == 1 and cover[0].mime == "image/jpeg"
    # Its pixels, encoded again (tests/test_cover.py checks the size and that nothing else is carried over).
    assert cover[0].data.startswith(b"\xff\xd8\xff") and cover[0].data.endswith(b"\xff\xd9")
    assert not any("cover" in w for w in warnings)
    # Without a copy: built without a cover, one warning saying where a copy would be looked for.
    page = tmp_path / "page.html"
    page.write_text((SAMPLES / "cay-an-trai.html").read_text(encoding="utf-8"), encoding="utf-8")
    article = read_article(str(page))
    missing: list[str] = []
    assert pipeline.load_cover(article, missing.append) is None
    assert missing == [f"{page}: cover image is a web address and no copy named "
                       "quyt-hong-lai-vung.jpg is beside the article or in images/ there; built without a cover"]
