"""Captions a person can read: at most 2 lines of 42 characters, about 1-7 s a cue, cut between words and
timed to the words (espeak-ng's word events; syllables spoken for engines without them)."""

from __future__ import annotations

import html
import re

import pytest

from readaloud import captions, config, pipeline
from readaloud.captions import MAX_CUE_MS, MAX_LINE_CHARS, MAX_LINES, MIN_CUE_MS, Spoken, read_webvtt, webvtt
from readaloud.model import Chunk, Cue, Span
from readaloud.text.vi.words import inside_word_spaces
from tests.helpers import SAMPLES

ARTICLES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))
RATE = 22050


def _parse(text: str, separator: str) -> list[tuple[int, int, list[str]]]:
    def ms(stamp: str) -> int:
        h, m, rest = stamp.split(":")
        s, milli = rest.split(separator)
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(milli)

    found = []
    for block in text.split("\n\n"):
        if block.strip() and block != "WEBVTT":
            number, timing, *shown = block.strip("\n").split("\n")
            start, end = timing.split(" --> ")
            assert number.isdigit() and shown and all(line.strip() for line in shown), block
            if separator == ".":  # WebVTT escapes & < > as HTML does; SubRip writes them as they are
                assert not re.search(r"<|&(?!amp;|lt;|gt;)", "".join(shown)), block
                shown = [html.unescape(line) for line in shown]
            found.append((ms(start), ms(end), shown))
    return found


@pytest.fixture(scope="module")
def samples_built(tmp_path_factory):
    """Every sample built with espeak-ng, with the word times the cue builder was given."""
    folder = tmp_path_factory.mktemp("captions")
    (folder / "readaloud.toml").write_text('[engine]\nname = "espeak"\n[loudness]\nenabled = false\n',
                                           encoding="utf-8")
    settings = config.load(folder / "readaloud.toml")
    given: dict[str, tuple] = {}
    real = captions.cues
    built = {}
    with pytest.MonkeyPatch.context() as patch:
        for article in ARTICLES:
            def record(chunks, spans, rate, titles=(), words=(), tempo=1.0, total=None, name=article.name):
                given[name] = (chunks, spans, rate, words, tempo)
                return real(chunks, spans, rate, titles, words, tempo, total)

            patch.setattr(captions, "cues", record)
            out = folder / f"{article.stem}.mp3"
            result = pipeline.build(str(article), out, settings, srt=True)
            script = pipeline.plan(pipeline.plan_article(str(article), settings), settings)
            built[article.name] = (script, out, given[article.name], result)
    return built


@pytest.mark.parametrize("article", [a.name for a in ARTICLES])
def test_every_cue_is_readable_in_order_and_gives_back_the_text(samples_built, article):
    script, out, (chunks, spans, rate, words, _), result = samples_built[article]
    cues = _parse(out.with_suffix(".vtt").read_text(encoding="utf-8"), ".")
    assert cues[-1][1] <= result.duration_s * 1000  # no cue outlasts the audio
    assert _parse(out.with_suffix(".srt").read_text(encoding="utf-8"), ",") == cues
    assert all(words), "espeak-ng gave word times for every chunk"
    whole_chunks = {chunk.display for chunk in chunks}
    for (start, end, shown), following in zip(cues, [*cues[1:], None], strict=True):
        assert len(shown) <= MAX_LINES and all(len(line) <= MAX_LINE_CHARS for line in shown), shown
        assert start < end <= start + MAX_CUE_MS, (shown, start, end)
        # At least about a second, unless the cue is a whole sentence (chunk) spoken faster than that.
        assert end - start >= MIN_CUE_MS - 1 or " ".join(shown) in whole_chunks, (shown, end - start)
        if following is not None:
            assert end <= following[0], (shown, end, following)
    shown_text = " ".join(" ".join(shown) for _, _, shown in cues)
    expected = " ".join(captions.heading_forms(script.chunks, script.section_titles))
    assert shown_text.split() == expected.split()


@pytest.mark.parametrize("article", [a.name for a in ARTICLES])
def test_no_line_or_cue_breaks_a_word_in_two(samples_built, article):
    # "lễ khai | giảng": Vietnamese writes a space between the syllables of one word; the word segmenter
    # (vi.words) tells where words end, and neither a line break nor the end of a cue falls inside one.
    _, out, _, _ = samples_built[article]
    cues = [shown for _, _, shown in _parse(out.with_suffix(".vtt").read_text(encoding="utf-8"), ".")]
    torn = []
    for shown in cues:
        if len(shown) == 2 and len(shown[0].split()) in inside_word_spaces(" ".join(shown).split()):
            torn.append(" / ".join(shown))
    for shown, following in zip(cues, cues[1:], strict=False):
        first, second = " ".join(shown).split(), " ".join(following).split()
        if len(first) in inside_word_spaces(first + second):
            torn.append(f"{first[-1]} | {second[0]}")
    assert torn == []


def test_the_segmenter_finds_the_spaces_inside_words():
    pieces = "Lễ khai giảng năm học mới, tại Thành phố Hồ Chí Minh.".split()
    inside = inside_word_spaces(pieces)
    assert {(pieces[cut - 1], pieces[cut]) for cut in inside} >= {("khai", "giảng"), ("năm", "học"),
                                                                  ("Hồ", "Chí"), ("Chí", "Minh.")}
    assert ("mới,", "tại") not in {(pieces[cut - 1], pieces[cut]) for cut in inside}
    assert inside_word_spaces(["một"]) == frozenset()


@pytest.mark.parametrize("article", [a.name for a in ARTICLES])
def test_each_cue_starts_within_80_ms_of_its_first_word(samples_built, article):
    script, out, (chunks, spans, rate, words, tempo), _ = samples_built[article]
    cues = _parse(out.with_suffix(".vtt").read_text(encoding="utf-8"), ".")
    # Walk the cues through the chunks by their words; a cue whose first word is spoken as written, once
    # in its chunk, is checked against that word's event time (after the trim, on the final timeline).
    position = 0
    checked = 0
    shown = captions.heading_forms(chunks, script.section_titles)
    for chunk, span, times, display in zip(chunks, spans, words, shown, strict=True):
        remaining = display.split()
        spoken = chunk.spoken
        offsets = {m.start(): m.group() for m in re.finditer(r"\S+", spoken)}
        event_at = dict(times)
        while remaining:
            start, _, lines_shown = cues[position]
            cue_words = " ".join(lines_shown).split()
            assert remaining[: len(cue_words)] == cue_words
            first = cue_words[0]
            if len(remaining) == len(display.split()):
                assert abs(start - span.start * 1000 / rate) <= 1  # a chunk's first cue: where its audio starts
            key = re.sub(r"\W", "", first.casefold())
            same = [o for o, w in offsets.items() if re.sub(r"\W", "", w.casefold()) == key]
            if key and len(same) == 1 and same[0] in event_at:
                spoken_at = span.start + max(0, event_at[same[0]]) / tempo
                assert abs(start - spoken_at * 1000 / rate) <= 80, (first, start, spoken_at * 1000 / rate)
                checked += 1
            remaining = remaining[len(cue_words):]
            position += 1
    assert position == len(cues)
    assert checked >= 0.6 * len(cues)


def test_heading_cues_read_like_the_chapter_titles(samples_built):
    script, out, _, _ = samples_built["hoi-nghi-chuyen-doi-so.txt"]
    text = out.with_suffix(".vtt").read_text(encoding="utf-8")
    assert "DỊCH VỤ CÔNG TRỰC TUYẾN TĂNG MẠNH" not in text
    assert "\nDịch vụ công trực tuyến tăng mạnh\n" in text
    assert "Dịch vụ công trực tuyến tăng mạnh" in script.section_titles


def test_warm_cache_rebuild_gives_the_same_captions(tmp_path):
    # Word times are kept with the clip: a build from the cache times its cues exactly like the first.
    (tmp_path / "readaloud.toml").write_text(
        f'[engine]\nname = "espeak"\n[loudness]\nenabled = false\n[cache]\ndir = "{tmp_path / "clips"}"\n',
        encoding="utf-8")
    settings = config.load(tmp_path / "readaloud.toml")
    first = pipeline.build(str(SAMPLES / "khai-giang.md"), tmp_path / "a.mp3", settings)
    second = pipeline.build(str(SAMPLES / "khai-giang.md"), tmp_path / "b.mp3", settings)
    assert first.synthesized > 0 and second.cached == second.chunks - 0 and second.synthesized == 0
    assert (tmp_path / "a.vtt").read_bytes() == (tmp_path / "b.vtt").read_bytes()


# --- the cue builder alone -------------------------------------------------------------------------------


def _chunk(display: str, spoken: str, role: str = "body", section: int = 0) -> Chunk:
    return Chunk(0, section, role, display, spoken, 0)


def test_without_word_times_a_chunk_is_shared_out_by_syllables_spoken():
    # "15/10/2024" is 12 syllables spoken; "Ngày" one. By characters of display the date would get far less.
    display = "Ngày 15/10/2024, Đồng Tháp thu hoạch xong toàn bộ diện tích lúa của vụ Đông Xuân năm nay."
    spoken = ("Ngày mười lăm tháng mười năm hai nghìn không trăm hai mươi tư, Đồng Tháp thu hoạch xong toàn bộ "
              "diện tích lúa của vụ Đông Xuân năm nay.")
    syllables = len(spoken.split())
    seconds_per_syllable = 0.25
    length = int(syllables * seconds_per_syllable * RATE)
    cues = captions.chunk_cues(Spoken(Span(0, length), display, spoken), RATE)
    assert [c.text.replace("\n", " ") for c in cues] == ["Ngày 15/10/2024,",
                                                         "Đồng Tháp thu hoạch xong toàn bộ diện tích lúa của vụ "
                                                         "Đông Xuân năm nay."]
    # "Đồng" is the 14th spoken syllable: it starts 13 syllables in (to the ms, rounding down).
    assert spoken.split().index("Đồng") == 13 and abs(cues[1].start_ms - 13 * 250) <= 1
    assert cues[0].end_ms == cues[1].start_ms and cues[-1].end_ms == length * 1000 // RATE


def test_word_times_place_the_cut_where_the_word_is_spoken():
    display = "Năm nay, năng suất bình quân đạt 25 tấn/ha; giá bán tại vườn từ 30.000 - 35.000 đồng/kg."
    spoken = ("Năm nay, năng suất bình quân đạt hai mươi lăm tấn trên héc ta; giá bán tại vườn từ ba mươi nghìn "
              "đến ba mươi lăm nghìn đồng trên ki lô gam.")
    offsets = [m.start() for m in re.finditer(r"\S+", spoken)]
    # A slow start, then fast: uneven on purpose, so only the events can give the right time.
    samples = [int(RATE * (0.5 * i if i < 10 else 5 + 0.1 * (i - 10))) for i in range(len(offsets))]
    length = samples[-1] + RATE
    words = tuple(zip(offsets, samples, strict=True))
    cues = captions.chunk_cues(Spoken(Span(1000, 1000 + length), display, spoken, words), RATE)
    assert [c.text.replace("\n", " ").split()[0] for c in cues] == ["Năm", "giá"]
    giá = spoken.split().index("giá;") if "giá;" in spoken.split() else spoken.split().index("giá")
    assert cues[1].start_ms == (1000 + samples[giá]) * 1000 // RATE


def test_lines_break_between_words_never_inside_and_keep_numbers_with_units():
    for text in ("Lượng giống sử dụng giảm từ 150 kg/ha xuống còn khoảng 80 kg/ha",
                 "Giá lúa tươi tại ruộng dao động từ 7.800 - 8.200 đồng/kg, nông dân có lãi."):
        shown = captions.lines(text)
        assert len(shown) == 2 and " ".join(shown) == text
        assert not re.search(r"\d$", shown[0]) and not shown[1].startswith("-"), shown
    assert captions.lines("Ngắn gọn.") == ["Ngắn gọn."]
    # A clause end is worth a less even pair of lines.
    assert captions.lines("Nhờ thời tiết thuận lợi, sâu bệnh ít, nhiều cánh đồng ở huyện Tháp Mười") == [
        "Nhờ thời tiết thuận lợi, sâu bệnh ít,", "nhiều cánh đồng ở huyện Tháp Mười"]


def test_a_long_sentence_becomes_several_short_cues():
    words = ("Các xã đã hoàn thành kế hoạch xây dựng nông thôn mới trong năm qua, với nhiều công trình "
             "giao thông, thủy lợi và trường học được nâng cấp, góp phần nâng cao đời sống người dân.")
    length = int(len(words.split()) * 0.26 * RATE)
    cues = captions.chunk_cues(Spoken(Span(0, length), words, words), RATE)
    assert len(cues) >= 3
    assert all(len(c.text.split("\n")) <= 2 and max(map(len, c.text.split("\n"))) <= 42 for c in cues)
    assert all(MIN_CUE_MS <= c.end_ms - c.start_ms <= MAX_CUE_MS for c in cues)
    assert " ".join(c.text.replace("\n", " ") for c in cues) == words
    assert all(c.text.replace("\n", " ").split()[-1][-1] in ",." for c in cues)  # cut after punctuation


def test_a_short_cue_stays_up_into_the_pause_after_it():
    chunks = [_chunk("Xin chào.", "Xin chào."), _chunk("Tạm biệt.", "Tạm biệt.")]
    spans = [Span(0, RATE // 2), Span(RATE * 3, RATE * 3 + RATE // 2)]
    cues = captions.cues(chunks, spans, RATE)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(0, 1000), (3000, 4000)]


def test_writers_keep_two_lines_and_no_blank_line_inside_a_cue():
    items = [Cue(0, 1500, "Dòng một,\n\ndòng --> hai"), Cue(1500, 3000, "  một dòng  ")]
    vtt = captions.webvtt(items)
    assert vtt == ("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nDòng một,\ndòng → hai\n\n"
                   "2\n00:00:01.500 --> 00:00:03.000\nmột dòng\n")
    assert captions.srt(items) == ("1\n00:00:00,000 --> 00:00:01,500\nDòng một,\ndòng → hai\n\n"
                                   "2\n00:00:01,500 --> 00:00:03,000\nmột dòng\n")


def test_word_times_are_kept_in_the_clip_cache_and_checked(tmp_path):
    from readaloud.cache import ClipCache, _pack, clip_key
    from readaloud.model import Audio, Speech

    cache = ClipCache(tmp_path)
    pcm = bytes(2 * RATE)
    speech = Speech(Audio(pcm, RATE), pcm, "pcm", words=((0, 0), (4, 5000), (9, 12000)))
    key = clip_key("espeak-ng test", "Xin chào các bạn")
    cache.put(key, speech)
    assert cache.get(key).words == speech.words
    plain = clip_key("espeak-ng test", "không có thời gian")
    cache.put(plain, Speech(Audio(pcm, RATE), pcm, "pcm"))
    assert cache.get(plain).words == ()
    # Times out of order, or past the clip's end: a header no build writes, so the entry is discarded.
    for bad in (((0, 0), (9, 12000), (4, 5000)), ((0, 0), (4, RATE + 1))):
        path = cache.path_for(key)
        path.write_bytes(_pack(key, Speech(Audio(pcm, RATE), pcm, "pcm", words=bad)))
        assert cache.get(key) is None and not path.exists()


def test_an_abbreviation_stays_with_the_name_after_it():
    display = "Sáng 21/6, lúc 8h30, tại TP. Cao Lãnh, UBND tỉnh tổ chức hội nghị sơ kết công tác chuyển đổi số."
    spoken = ("Sáng ngày hai mươi mốt tháng sáu, lúc tám giờ ba mươi, tại thành phố Cao Lãnh, Ủy ban nhân dân tỉnh "
              "tổ chức hội nghị sơ kết công tác chuyển đổi số.")
    length = int(len(spoken.split()) * 0.26 * RATE)
    cues = captions.chunk_cues(Spoken(Span(0, length), display, spoken), RATE)
    assert len(cues) >= 2
    assert all(not c.text.endswith("TP.") and "TP.\n" not in c.text for c in cues), cues


def test_the_segmenter_can_be_asked_from_several_threads_at_once():
    # Its model loads on first use: in a fresh process, eight threads ask at the same moment (as the
    # builds of sync --jobs do); none may meet a half-loaded model.
    import subprocess
    import sys

    code = ("import threading\nfrom readaloud.text.vi.words import inside_word_spaces\n"
            "start = threading.Barrier(8)\nfailures = []\n"
            "def ask():\n    start.wait()\n    try:\n"
            "        assert inside_word_spaces('lễ khai giảng năm học mới'.split())\n"
            "    except Exception as exc:\n        failures.append(repr(exc))\n"
            "threads = [threading.Thread(target=ask) for _ in range(8)]\n"
            "[t.start() for t in threads]\n[t.join() for t in threads]\nprint(failures)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_webvtt_reads_back_what_it_writes_with_markup_characters_escaped():
    cues = [Cue(0, 1500, "Lãi suất <5% & phí\nthấp"), Cue(1500, 3_725_042, "Hết -->")]
    text = webvtt(cues)
    assert "<5%" not in text and "&lt;5% &amp; phí" in text
    assert read_webvtt(text) == [Cue(0, 1500, "Lãi suất <5% & phí\nthấp"), Cue(1500, 3_725_042, "Hết →")]
    with pytest.raises(ValueError, match="WEBVTT"):
        read_webvtt("1\n00:00:00,000 --> 00:00:01,000\nSRT\n")
