"""The player's files, read as a browser and a CMS would get them (the browser tests in tests/web/ play
them in Chromium): what is written, what the markup holds, how hostile text and names come out."""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud import config, pipeline
from readaloud.captions import read_webvtt
from readaloud.cli import cli
from readaloud.errors import InputError
from readaloud.model import Cue
from readaloud.player import CSS_NAME, JS_NAME, asset_bytes, load_article, write_index, write_player
from readaloud.player.article import paragraphs, slug_for
from tests.helpers import cli_runner

ARTICLE = """---
title: "Mưa lớn & <triều cường> ở miền Tây"
author: Bích Ngọc
date: 2025-10-02
---

Chiều qua, mưa lớn kéo dài hai giờ làm nhiều tuyến đường ngập sâu. Người dân phải dắt xe qua đoạn ngập.

## Nước rút chậm

Đến tối, nước vẫn chưa rút hết ở các con hẻm nhỏ.

## Dự báo những ngày tới

Cơ quan khí tượng cho biết mưa còn kéo dài đến cuối tuần.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("player")
    source = folder / "mua lớn.md"
    source.write_text(ARTICLE, encoding="utf-8")
    settings_file = folder / "readaloud.toml"
    settings_file.write_text('[engine]\nname = "espeak"\n', encoding="utf-8")
    out = folder / "Mưa lớn miền Tây.mp3"
    pipeline.build(str(source), out, config.load(settings_file))
    return out


class _Markup(HTMLParser):
    """Tags, attributes and text as a browser's parser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> _Markup:
    markup = _Markup()
    markup.feed(html)
    return markup


def test_cues_follow_the_transcripts_paragraphs_and_headings():
    cues = [Cue(0, 1, "Tiêu đề bài"), Cue(1, 2, "Câu một, phần đầu"), Cue(2, 3, "phần sau."),
            Cue(3, 4, "Mục hai"), Cue(4, 5, "Câu hai."), Cue(5, 6, "Bài: Lan Anh")]
    transcript = "Tiêu đề bài\n\nCâu một, phần đầu phần sau.\n\nMục hai\n\nCâu hai."
    found = paragraphs(cues, transcript, ["Tiêu đề bài", "Mục hai"])
    assert [[c.text for c in p.cues] for p in found] == [
        ["Tiêu đề bài"], ["Câu một, phần đầu", "phần sau."], ["Mục hai"], ["Câu hai."], ["Bài: Lan Anh"]]
    assert [p.heading for p in found] == [True, False, True, False, False]
    assert [len(p.cues) for p in paragraphs(cues, None, [])] == [1] * 6  # no transcript: a cue a paragraph


def test_slugs_are_ascii_and_never_empty():
    assert slug_for("Khai giảng Đồng Tháp 2024") == "khai-giang-dong-thap-2024"
    assert slug_for("../<script>") == "script"
    assert slug_for("…") == "bai"


def test_the_player_is_written_beside_the_mp3_with_its_own_small_files(built):
    files = write_player(built)
    folder = built.parent
    assert files.fragment == folder / "Mưa lớn miền Tây.player.html"
    assert files.page == folder / "Mưa lớn miền Tây.demo.html"
    assert (folder / CSS_NAME).read_bytes() == asset_bytes()[CSS_NAME]
    assert (folder / JS_NAME).read_bytes() == asset_bytes()[JS_NAME]
    # The budget: the CSS and the script together at most 20 KB, unminified.
    assert sum(len(data) for data in asset_bytes().values()) <= 20 * 1024
    assert not [p for p in folder.iterdir() if p.name.startswith(".readaloud-")]  # no staging left


def test_the_fragment_plays_without_script_and_names_every_control_in_vietnamese(built):
    files = write_player(built)
    markup = parse(files.fragment.read_text(encoding="utf-8"))
    tags = {tag: attrs for tag, attrs in markup.elements}
    audio, track = tags["audio"], tags["track"]
    assert "controls" in audio and audio["src"] == "M%C6%B0a%20l%E1%BB%9Bn%20mi%E1%BB%81n%20T%C3%A2y.mp3"
    assert track == {"kind": "captions", "src": audio["src"][:-4] + ".vtt", "srclang": "vi", "label": "Tiếng Việt",
                     "default": None}
    links = {attrs.get("class"): attrs.get("href") for tag, attrs in markup.elements if tag == "a"}
    assert links["ra-download"] == audio["src"] and links["ra-transcript-link"] == "#ra-mua-lon-mien-tay-transcript"
    # The enhanced controls are hidden until the script runs; each is a real button with its name as text.
    hidden = [attrs["class"] for tag, attrs in markup.elements if "hidden" in attrs]
    assert hidden == ["ra-controls", "ra-chapters"]
    html = files.fragment.read_text(encoding="utf-8")
    for name in ("Phát", "Lùi 10 giây", "Tới 10 giây", "0,75×", "1×", "1,25×", "1,5×", "1,75×", "2×"):
        assert re.search(rf"<button[^>]*>(<span[^>]*>[^<]*</span> )?(<span[^>]*>)?{re.escape(name)}", html), name
    episode = load_article(built)
    chapters = [attrs for tag, attrs in markup.elements if attrs.get("class") == "ra-chapter"]
    assert [float(a["data-start"]) for a in chapters] == [c.start_ms / 1000 for c in episode.chapters]
    assert len(chapters) == 3


def test_the_transcript_is_the_caption_cues_in_order_with_their_times(built):
    files = write_player(built)
    markup = parse(files.fragment.read_text(encoding="utf-8"))
    cues = [attrs for tag, attrs in markup.elements if attrs.get("class") == "ra-cue"]
    written = read_webvtt(built.with_suffix(".vtt").read_text(encoding="utf-8"))
    assert [(float(c["data-start"]), float(c["data-end"])) for c in cues] == [
        (cue.start_ms / 1000, cue.end_ms / 1000) for cue in written]
    found = load_article(built).paragraphs
    assert [p.heading for p in found] == [True, False, True, False, True, False, False]
    assert [c.text for c in found[2].cues] == ["Nước rút chậm"]
    assert [c.text for c in found[-1].cues] == ["Bích Ngọc"]  # the byline, spoken last, not in the transcript


def test_text_from_the_article_is_escaped_everywhere(built):
    html = write_player(built).page.read_text(encoding="utf-8")
    assert "<triều cường>" not in html and "&lt;triều cường&gt;" in html
    assert 'aria-label="Nghe bài: Mưa lớn &amp; &lt;triều cường&gt; ở miền Tây"' in html
    assert html.count("<script") == 1  # the player's own, nothing from the article


def test_a_media_url_points_every_link_there_and_a_script_url_is_refused(built):
    files = write_player(built, "https://cdn.example.vn/am-thanh/2025")
    srcs = re.findall(r'(?:src|href)="([^"#]+)"', files.fragment.read_text(encoding="utf-8"))
    assert srcs and all(s.startswith("https://cdn.example.vn/am-thanh/2025/") for s in srcs)
    # The demo page lies beside the MP3 and is tried from there: its links stay relative.
    beside = re.findall(r'(?:src|href)="([^"#]+)"', files.page.read_text(encoding="utf-8"))
    assert beside and not any("://" in s or s.startswith("/") for s in beside)
    for bad in ("javascript:alert(1)", "https://cdn.example.vn/a?token=1", "/audio/../secret/", 'https://x.vn/"<b>'):
        with pytest.raises(InputError, match="not the address of a folder"):
            write_player(built, bad)


def test_an_index_links_each_article_relative_to_the_page_with_unique_ids(built, tmp_path):
    index = built.parent.parent / "index.html"
    episodes = write_index([built, built], index, "Tin <nóng>")
    assert [e.slug for e in episodes] == ["mua-lon-mien-tay", "mua-lon-mien-tay-2"]
    html = index.read_text(encoding="utf-8")
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    folder = built.parent.name
    assert f'src="{folder}/M%C6%B0a%20l%E1%BB%9Bn%20mi%E1%BB%81n%20T%C3%A2y.mp3"' in html
    assert "<title>Tin &lt;nóng&gt;</title>" in html


def test_cli_player_refuses_an_mp3_readaloud_did_not_make_and_writes_nothing(tmp_path, tone_mp3):
    stranger = tmp_path / "nhac.mp3"
    stranger.write_bytes(tone_mp3)
    result = cli_runner().invoke(cli, ["player", str(stranger), "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"].startswith(f"{stranger}: not an MP3 readaloud built")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nhac.mp3"]


def test_cli_player_names_the_missing_captions(built, tmp_path):
    lonely = tmp_path / "bai.mp3"
    lonely.write_bytes(built.read_bytes())
    result = cli_runner().invoke(cli, ["player", str(lonely)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'bai.vtt'}: missing" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.mp3"]


def test_build_player_writes_the_player_and_reports_it(tmp_path):
    source = tmp_path / "tin.txt"
    source.write_text("Tin ngắn\n\nSáng nay trời nắng nhẹ.\n", encoding="utf-8")
    out = tmp_path / "tin.mp3"
    args = ["build", str(source), "--engine", "espeak", "-o", str(out), "--player", "--json"]
    result = cli_runner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["player"]["fragment"] == str(tmp_path / "tin.player.html")
    assert Path(report["player"]["page"]).is_file() and MP3(out).info.length > 1


def test_a_name_that_is_not_utf8_is_linked_by_its_bytes(built):
    odd = built.parent / os.fsdecode(b"bai \xff.mp3")
    shutil.copy(built, odd)
    shutil.copy(built.with_suffix(".vtt"), odd.with_suffix(".vtt"))
    html = write_player(odd).fragment.read_text(encoding="utf-8")
    assert 'src="bai%20%FF.mp3"' in html


def test_an_index_in_a_missing_folder_is_refused_before_anything_is_written(built, tmp_path):
    before = sorted(p.name for p in built.parent.iterdir())
    result = cli_runner().invoke(cli, ["player", str(built), "--index", str(tmp_path / "nowhere" / "index.html")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nowhere'}: no such folder" in result.stderr
    assert sorted(p.name for p in built.parent.iterdir()) == before


def test_build_checks_the_media_url_before_it_speaks(tmp_path):
    source = tmp_path / "tin.txt"
    source.write_text("Tin ngắn\n\nSáng nay trời nắng nhẹ.\n", encoding="utf-8")
    base = ["build", str(source), "--engine", "espeak", "-o", str(tmp_path / "tin.mp3")]
    bad = cli_runner().invoke(cli, [*base, "--player", "--media-url", "javascript:alert(1)"])
    alone = cli_runner().invoke(cli, [*base, "--media-url", "/audio/"])
    assert (bad.exit_code, alone.exit_code) == (2, 2)
    assert "not the address of a folder" in bad.stderr and "give it with --player" in alone.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tin.txt"]
