"""What the player stands on, proven in Chromium with a page written by hand: readaloud's MP3 decodes to the
length the build reports, plays, seeks by byte range, and its WebVTT captions load as cues; speed takes."""

from __future__ import annotations

import pytest

from tests.helpers.browser import screenshot, vtt_cues

PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Hà Nội mở thêm tuyến xe buýt điện</title></head>
<body><h1>Hà Nội mở thêm tuyến xe buýt điện</h1>
<audio controls preload="metadata" src="{mp3}">
<track kind="captions" src="{vtt}" srclang="vi" label="Tiếng Việt" default>
</audio></body></html>
"""

AUDIO = "document.querySelector('audio')"


@pytest.fixture(scope="module")
def site(article, serve):
    mp3, summary = article
    (mp3.parent / "audio.html").write_text(PAGE.format(mp3=mp3.name, vtt=mp3.with_suffix(".vtt").name),
                                           encoding="utf-8")
    return serve(mp3.parent), mp3, summary


@pytest.fixture
def loaded(site, page):
    """The hand-written page, its audio's metadata read (duration known)."""
    server, mp3, summary = site
    page.goto(server.url("audio.html"))
    page.wait_for_function(f"{AUDIO}.readyState >= 1")
    return page, server, mp3, summary


def press_play(page) -> None:
    """Press Play on the native controls with the mouse, as a listener would (no autoplay switch)."""
    box = page.locator("audio").bounding_box()
    page.locator("audio").click(position={"x": 26, "y": box["height"] / 2})


def test_mp3_decodes_to_the_length_the_build_reports(loaded):
    page, _, _, summary = loaded
    duration = page.evaluate(f"{AUDIO}.duration")
    assert duration == pytest.approx(summary["duration_s"], abs=0.1)


def test_pressing_play_advances_the_time(loaded):
    page, *_ = loaded
    press_play(page)
    page.wait_for_function(f"{AUDIO}.currentTime > 0.5")
    assert page.evaluate(f"{AUDIO}.paused") is False
    assert page.evaluate(f"{AUDIO}.error") is None


def test_seeking_is_served_by_a_byte_range(loaded):
    page, server, mp3, _ = loaded
    page.evaluate(f"{AUDIO}.currentTime = 12")
    page.wait_for_function(f"!{AUDIO}.seeking && {AUDIO}.readyState >= 2")
    assert page.evaluate(f"{AUDIO}.currentTime") == pytest.approx(12, abs=0.05)
    press_play(page)
    page.wait_for_function(f"{AUDIO}.currentTime > 12.3")
    ranges = server.ranges(mp3.name)
    assert ranges and all(r.status == 206 for r in ranges), server.served
    # Past the first request (bytes=0-), a seek into the file asks for the bytes from there on.
    assert any(not r.range.startswith("bytes=0-") for r in ranges), ranges


def test_caption_cues_are_those_of_the_vtt(loaded):
    page, _, mp3, _ = loaded
    page.wait_for_function(f"{AUDIO}.textTracks[0].cues && {AUDIO}.textTracks[0].cues.length > 0")
    cues = page.evaluate(f"Array.from({AUDIO}.textTracks[0].cues, c => [c.startTime, c.endTime, c.text])")
    track = page.evaluate(f"[{AUDIO}.textTracks[0].language, {AUDIO}.textTracks[0].mode]")
    expected = vtt_cues(mp3.with_suffix(".vtt"))
    assert track == ["vi", "showing"]
    assert len(cues) == len(expected) >= 4
    assert cues[0][0] == pytest.approx(expected[0][0], abs=0.001)
    assert [c[2] for c in cues] == [e[2] for e in expected]
    assert [round(c[1], 3) for c in cues] == [round(e[1], 3) for e in expected]


def test_playback_rate_one_and_a_half_takes(loaded):
    page, *_ = loaded
    press_play(page)
    page.wait_for_function(f"{AUDIO}.currentTime > 0.2")
    speed = page.evaluate("""async () => {
        const audio = document.querySelector('audio');
        audio.playbackRate = 1.5;
        await new Promise(done => setTimeout(done, 300));
        const media = audio.currentTime, wall = performance.now();
        await new Promise(done => setTimeout(done, 1500));
        return [audio.playbackRate, (audio.currentTime - media) / ((performance.now() - wall) / 1000)];
    }""")
    assert speed[0] == 1.5
    assert speed[1] == pytest.approx(1.5, abs=0.25)


def test_vietnamese_text_is_drawn_in_the_screenshot(loaded):
    """out/screenshots/audio-page.png is for a person to look at; here each Vietnamese letter, drawn in the
    heading's font on a canvas, must differ from what the font draws for a character no font has (the
    empty box a missing glyph shows)."""
    page, *_ = loaded
    path = screenshot(page, "audio-page")
    assert path.stat().st_size > 1000
    missing = page.evaluate("""(letters) => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 48;
        const pen = canvas.getContext('2d');
        pen.font = '32px ' + getComputedStyle(document.querySelector('h1')).fontFamily;
        const draw = letter => {
            pen.clearRect(0, 0, 48, 48);
            pen.fillText(letter, 4, 36);
            return pen.getImageData(0, 0, 48, 48).data.join();
        };
        const box = draw('\\u0378');
        return [...letters].filter(letter => draw(letter) === box);
    }""", "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĐƯƠ")
    assert missing == []
