"""`readaloud feed` and `sync --feed`: the podcast feed of a folder of MP3s, read back as podcast apps read
it (feedparser, and lxml for the Podcasting 2.0 tags feedparser does not expose), every address followed
back to the file it names.

The archive (three short articles, espeak-ng, loudness matching off) is built once for the module by a
real `sync --feed`; tests that change it work on a copy.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from urllib.parse import unquote

import feedparser
import pytest
from lxml import etree
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from readaloud import config as cfg
from readaloud import outputs
from readaloud.cli import cli
from readaloud.feed import write_feed
from readaloud.feed.rss import PODCAST_NS, url_of
from tests.helpers import cli_runner

BASE = "https://cdn.baothu.vn/audio/"
HOSTILE_TITLE = 'Lũ về <script>alert("x")</script> & "ngoặc" \'đơn\''
ARTICLES = {
    "tin/lũ về.md": (
        f"---\ntitle: '{HOSTILE_TITLE.replace(chr(39), chr(39) * 2)}'\nauthor: Lan & <b>Hùng</b>\n"
        "date: 2025-10-02\nurl: https://baothu.vn/lu-ve?a=1&b=2\n---\n\n"
        "Nước lên nhanh <img src=x onerror=alert(1)> & dân sơ tán. Chính quyền hỗ trợ.\n"),
    "giao-duc/khai giảng.md": (
        "---\ntitle: Khai giảng năm học mới\ndate: 2025-09-05\n---\n\n"
        "Học sinh vào năm học mới. Trường lớp sạch đẹp.\n\n## Chuẩn bị\n\nThầy cô sẵn sàng.\n"),
    "tin ngắn.txt": "Mưa lớn\nMưa lớn suốt đêm. Nước lên nhanh.\n",  # no date: the file's time, the newest
}
CONFIG = ('[engine]\nname = "espeak"\n[loudness]\nenabled = false\n[cache]\ndir = "clips"\n'
          '[publication]\nname = "Báo Thử"\nsite = "baothu.vn"\n'
          f'[feed]\nbase_url = "{BASE}"\nimage = "art/bìa.png"\nemail = "toasoan@baothu.vn"\n')


def run(*args: str):
    result = cli_runner().invoke(cli, list(args))
    data = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, data


def make_archive(root: Path) -> tuple[Path, Path, Path]:
    src, out = root / "articles", root / "audio"
    for name, text in ARTICLES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (out / "art").mkdir(parents=True)
    (out / "art" / "bìa.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    config = root / "readaloud.toml"
    config.write_text(CONFIG, encoding="utf-8")
    return src, out, config


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(SRC, OUT, config, sync's JSON report) after one `sync --feed`."""
    src, out, config = make_archive(tmp_path_factory.mktemp("feed"))
    result, report = run("--config", str(config), "sync", str(src), str(out), "--feed", "--json")
    assert result.exit_code == 0, result.output
    return src, out, config, report


@pytest.fixture
def copy(built, tmp_path):
    """A copy of the built archive (times kept) to change."""
    src, out, config, _ = built
    shutil.copytree(src.parent, tmp_path / "copy", symlinks=True)
    root = tmp_path / "copy"
    return root / "articles", root / "audio", root / "readaloud.toml"


def file_of(url: str, out: Path) -> Path:
    """The file under OUT a feed address names."""
    assert url.startswith(BASE), url
    return out / unquote(url[len(BASE):])


def items(out: Path) -> list[etree._Element]:
    return etree.parse(str(out / "feed.xml")).getroot().findall("channel/item")


# --- what podcast apps read ------------------------------------------------------------------------------------


def test_the_feed_parses_cleanly_newest_first_with_the_channel_from_the_settings(built):
    _, out, _, report = built
    assert report["feed"]["ok"] and report["feed"]["episodes"] == 3 and report["feed"]["skipped"] == []
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    channel = parsed.feed
    assert (channel.title, channel.link, channel.language) == ("Báo Thử", "https://baothu.vn", "vi")
    assert channel.image.href == BASE + "art/b%C3%ACa.png" and file_of(channel.image.href, out).is_file()
    assert channel.tags[0].term == "News" and channel.itunes_type == "episodic"
    assert etree.parse(str(out / "feed.xml")).findtext("channel/{http://www.itunes.com/dtds/podcast-1.0.dtd}explicit") \
        == "false"
    assert channel.publisher_detail.email == "toasoan@baothu.vn"  # itunes:owner
    titles = [entry.title for entry in parsed.entries]
    assert titles == ["Mưa lớn", HOSTILE_TITLE, "Khai giảng năm học mới"]  # undated = file time: newest
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    guids = [entry.id for entry in parsed.entries]
    assert len(set(guids)) == 3 and "https://baothu.vn/lu-ve?a=1&b=2" in guids


def test_every_address_in_the_feed_names_its_file_with_the_right_size_and_length(built):
    _, out, _, _ = built
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    for entry, item in zip(parsed.entries, items(out), strict=True):
        (enclosure,) = entry.enclosures
        mp3 = file_of(enclosure.href, out)
        assert mp3.suffix == ".mp3" and int(enclosure.length) == mp3.stat().st_size
        assert enclosure.type == "audio/mpeg"
        assert abs(int(entry.itunes_duration) - MP3(mp3).info.length) <= 0.5
        (transcript,) = item.findall(f"{{{PODCAST_NS}}}transcript")
        assert dict(transcript.attrib) == {"url": transcript.get("url"), "type": "text/vtt", "language": "vi",
                                           "rel": "captions"}
        assert file_of(transcript.get("url"), out) == mp3.with_suffix(".vtt")
        (chapters,) = item.findall(f"{{{PODCAST_NS}}}chapters")
        assert chapters.get("type") == "application/json+chapters"
        assert file_of(chapters.get("url"), out) == mp3.with_suffix(".chapters.json")
    assert file_of(parsed.entries[0].enclosures[0].href, out) == out / "tin ngắn.mp3"
    assert "tin%20ng%E1%BA%AFn.mp3" in parsed.entries[0].enclosures[0].href  # each segment percent-encoded


def test_the_chapters_file_beside_each_mp3_holds_its_chap_frames(built):
    _, out, _, _ = built
    for mp3 in sorted(out.rglob("*.mp3")):
        document = json.loads(mp3.with_suffix(".chapters.json").read_text(encoding="utf-8"))
        frames = sorted(ID3(mp3).getall("CHAP"), key=lambda frame: frame.start_time)
        assert document["version"] == "1.2.0" and document["title"] == ID3(mp3)["TIT2"].text[0]
        assert [(round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["title"])
                for c in document["chapters"]] == [
            (f.start_time, f.end_time, f.sub_frames["TIT2"].text[0]) for f in frames]
    chapters = json.loads((out / "giao-duc/khai giảng.chapters.json").read_text(encoding="utf-8"))["chapters"]
    assert [c["title"] for c in chapters] == ["Khai giảng năm học mới", "Chuẩn bị"]


def test_hostile_tag_text_reaches_the_app_as_text_never_as_markup(built):
    _, out, _, _ = built
    raw = (out / "feed.xml").read_bytes()
    assert b"<script" not in raw and b"<img" not in raw and b"<b>" not in raw
    (item,) = [item for item in items(out) if item.findtext("title") == HOSTILE_TITLE]  # back to the letter
    assert item.findtext("description") == "Nước lên nhanh & dân sơ tán."  # the reader dropped the <img>
    assert item.findtext("link") == "https://baothu.vn/lu-ve?a=1&b=2"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Lan & <b>Hùng</b>"


def test_build_json_and_its_result_name_the_chapters_file(built, tmp_path):
    src, _, config, _ = built
    out = tmp_path / "bai.mp3"
    result, data = run("--config", str(config), "build", str(src / "tin ngắn.txt"), "-o", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert data["captions"] == [str(out.with_suffix(".vtt"))]
    assert data["chapters_file"] == str(out.with_suffix(".chapters.json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.chapters.json", "bai.mp3", "bai.vtt"]


# --- what is left out, and refused ----------------------------------------------------------------------------


def test_mp3s_that_are_not_readalouds_are_left_out_with_a_warning_naming_them(copy, tone_mp3):
    _, out, config = copy
    (out / "nhac.mp3").write_bytes(tone_mp3)  # an MP3 without readaloud's tag
    (out / "hong.mp3").write_bytes(b"not audio at all")
    (out / ".an").mkdir()
    (out / ".an" / "x.mp3").write_bytes(b"hidden: never read")
    result, data = run("--config", str(config), "feed", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert data["episodes"] == 3 and sorted(Path(s["file"]).name for s in data["skipped"]) == ["hong.mp3", "nhac.mp3"]
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2 and all(line.startswith("readaloud: warning: ") for line in warnings)
    assert any(str(out / "nhac.mp3") in line and "not made by readaloud" in line for line in warnings)
    assert len(items(out)) == 3


def test_a_missing_base_url_is_one_line_naming_the_setting(copy):
    _, out, config = copy
    config.write_text(CONFIG.replace(f'base_url = "{BASE}"\n', ""), encoding="utf-8")
    before = (out / "feed.xml").read_bytes()
    result, _ = run("--config", str(config), "feed", str(out))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("readaloud: error: no [feed] base_url: ") and result.stderr.count("\n") == 1
    # sync --feed says so before building anything
    (copy[0] / "moi.txt").write_text("Tin mới\nCó tin mới.\n", encoding="utf-8")
    result, _ = run("--config", str(config), "sync", str(copy[0]), str(out), "--feed")
    assert result.exit_code == 2 and "[feed] base_url" in result.stderr
    assert not (out / "moi.mp3").exists() and (out / "feed.xml").read_bytes() == before


def test_a_bad_out_dir_is_one_line_and_exit_2(tmp_path, built):
    _, _, config, _ = built
    result, _ = run("--config", str(config), "feed", str(tmp_path / "khong-co"))
    assert result.exit_code == 2
    assert result.stderr == f"readaloud: error: {tmp_path / 'khong-co'}: no such folder (the feed lists the MP3s " \
                            "under OUT_DIR)\n"
    (tmp_path / "tep").write_text("x", encoding="utf-8")
    result, data = run("--config", str(config), "feed", str(tmp_path / "tep"), "--json")
    assert result.exit_code == 2 and data["ok"] is False and data["exit_code"] == 2


def test_feed_settings_are_checked_and_change_no_fingerprint(tmp_path):
    path = tmp_path / "r.toml"
    for bad, key in (('base_url = "ftp://x"', "base_url"), ('base_url = "https://a.vn/x?t=1"', "base_url"),
                     ("base_url = 'https://a.vn/\"<b>'", "base_url"), ('image = "../../bi mat.png"', "image"),
                     ('image = "bia.gif"', "image"),
                     ('file = "../feed.xml"', "file"), ('max_items = -1', "max_items")):
        path.write_text(f"[feed]\n{bad}\n", encoding="utf-8")
        with pytest.raises(cfg.ConfigError, match=rf"feed\.{key}: expected"):
            cfg.load(path)
    path.write_text('[feed]\ntitle = "Khác"\nbase_url = "https://a.vn/"\nmax_items = 5\n', encoding="utf-8")
    assert cfg.fingerprint(cfg.load(path)) == cfg.fingerprint(cfg.load(None))


def test_addresses_keep_the_bytes_of_any_file_name():
    assert url_of("https://a.vn/x", "tin/bài 1#?.mp3") == "https://a.vn/x/tin/b%C3%A0i%201%23%3F.mp3"
    assert url_of("https://a.vn", os.fsdecode(b"b\xe0i.mp3")) == "https://a.vn/b%E0i.mp3"  # not UTF-8


# --- keeping it up to date ------------------------------------------------------------------------------------


def test_sync_feed_lists_a_new_article_and_leaves_an_unchanged_feed_alone(copy):
    src, out, config = copy
    (src / "moi.txt").write_text("Tin mới nhất\nCó tin mới. Rất mới.\n", encoding="utf-8")
    result, report = run("--config", str(config), "sync", str(src), str(out), "--feed", "--json")
    assert result.exit_code == 0, result.output
    assert report["built"] == 1 and report["feed"]["changed"] and report["feed"]["episodes"] == 4
    assert items(out)[0].findtext("title") == "Tin mới nhất"
    stamp = (out / "feed.xml").stat().st_mtime_ns
    result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out), "--feed"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("feed: 4 episodes; ") and "unchanged" in result.stdout
    assert (out / "feed.xml").stat().st_mtime_ns == stamp
    config.write_text(CONFIG + "max_items = 2\n", encoding="utf-8")
    result, data = run("--config", str(config), "feed", str(out), "--json")
    assert (data["episodes"], data["found"], len(items(out))) == (2, 4, 2)


def test_a_feed_that_cannot_be_written_fails_the_sync_and_keeps_the_articles(copy):
    src, out, config = copy
    (out / "feed.xml").unlink()
    (out / "feed.xml").mkdir()
    (src / "moi.txt").write_text("Tin mới\nCó tin mới.\n", encoding="utf-8")
    result, report = run("--config", str(config), "sync", str(src), str(out), "--feed", "--json")
    assert result.exit_code == 1
    assert report["ok"] is False and report["built"] == 1 and report["feed"]["ok"] is False
    assert "feed.xml: is a directory" in report["feed"]["error"]
    assert result.stderr.splitlines()[-1].startswith("readaloud: error: feed not written: ")
    assert (out / "moi.mp3").is_file()


def test_the_feed_is_replaced_whole_or_not_at_all(copy, monkeypatch):
    _, out, config = copy
    before = (out / "feed.xml").read_bytes()
    (out / "tin ngắn.mp3").unlink()  # the next feed differs

    def broken(self, temp, final):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.Staging, "move", broken)
    with pytest.raises(OSError, match="No space left"):
        write_feed(out, cfg.load(config))
    assert (out / "feed.xml").read_bytes() == before
    assert not [p for p in out.iterdir() if p.name.startswith(".readaloud-")]  # no temporary left
    monkeypatch.undo()
    report = write_feed(out, cfg.load(config))
    assert report.changed and report.episodes == 2
    assert not [p for p in out.iterdir() if p.name.startswith(".readaloud-")]


def test_sync_rebuilds_an_mp3_whose_captions_are_missing_from_the_clip_cache(copy):
    src, out, config = copy
    (out / "tin ngắn.vtt").unlink()
    result, report = run("--config", str(config), "sync", str(src), str(out), "--json")
    assert result.exit_code == 0, result.output
    (rebuilt,) = [a for a in report["articles"] if a["action"] == "built"]
    assert (Path(rebuilt["source"]).name, rebuilt["reason"], rebuilt["synthesized"]) == (
        "tin ngắn.txt", "captions missing", 0)
    assert (out / "tin ngắn.vtt").is_file()


def test_a_missing_chapters_file_is_written_from_the_mp3s_chapters_without_a_rebuild(copy):
    src, out, config = copy
    mp3 = out / "tin ngắn.mp3"
    expected = json.loads((out / "tin ngắn.chapters.json").read_text(encoding="utf-8"))
    (out / "tin ngắn.chapters.json").unlink()  # as beside an MP3 built before builds wrote chapters files
    before = mp3.stat().st_mtime_ns
    result, report = run("--config", str(config), "sync", str(src), str(out), "--feed", "--json")
    assert result.exit_code == 0, result.output
    assert all(a["action"] != "built" for a in report["articles"])
    assert mp3.stat().st_mtime_ns == before
    written = json.loads((out / "tin ngắn.chapters.json").read_text(encoding="utf-8"))
    assert written["chapters"] == [{**c, "startTime": pytest.approx(c["startTime"]),
                                    "endTime": pytest.approx(c["endTime"])} for c in expected["chapters"]]
    assert written["title"] == expected["title"]
    linked = [file_of(item.find(f"{{{PODCAST_NS}}}chapters").get("url"), out) for item in items(out)]
    assert out / "tin ngắn.chapters.json" in linked


def test_a_chapters_file_that_cannot_be_written_leaves_that_episode_without_chapters(copy):
    _, out, config = copy
    (out / "tin ngắn.chapters.json").unlink()
    (out / "tin ngắn.chapters.json").mkdir()  # in the way: a folder
    (out / "giao-duc/khai giảng.chapters.json").unlink()
    (out / "giao-duc/khai giảng.chapters.json").symlink_to(out / "art")  # a link: never replaced
    warnings: list[str] = []
    report = write_feed(out, cfg.load(config), warn=warnings.append)
    assert report.episodes == 3 and report.chapters_written == 0
    assert len(warnings) == 2 and all("listed without chapters" in w for w in warnings), warnings
    chapters = {file_of(item.find("enclosure").get("url"), out).name: item.find(f"{{{PODCAST_NS}}}chapters")
                for item in items(out)}
    assert chapters["tin ngắn.mp3"] is None and chapters["khai giảng.mp3"] is None
    assert chapters["lũ về.mp3"] is not None
    assert (out / "giao-duc/khai giảng.chapters.json").is_symlink()


def test_an_address_shared_by_two_episodes_is_the_guid_of_neither(copy):
    src, out, config = copy
    (src / "tin/lũ về 2.md").write_text(ARTICLES["tin/lũ về.md"].replace("2025-10-02", "2025-10-03"),
                                        encoding="utf-8")
    result, _ = run("--config", str(config), "sync", str(src), str(out), "--feed", "--json")
    assert result.exit_code == 0, result.output
    guids = [entry.id for entry in feedparser.parse((out / "feed.xml").read_bytes()).entries]
    assert len(set(guids)) == 4 and "https://baothu.vn/lu-ve?a=1&b=2" not in guids


def test_a_folder_without_readaloud_mp3s_gets_no_feed_and_says_so(tmp_path, copy):
    src, _, config = copy
    result, data = run("--config", str(config), "feed", str(src), "--json")
    assert result.exit_code == 1
    assert data["error"] == (f"{src}: no MP3 made by readaloud under it; no feed written (give the folder "
                             "`build -o` or `sync` writes the MP3s into)")
    assert not (src / "feed.xml").exists()


def test_a_feed_without_artwork_or_owner_is_written_with_a_warning_for_each(copy):
    _, out, config = copy
    config.write_text(config.read_text(encoding="utf-8").replace('image = "art/bìa.png"\n', "")
                      .replace('email = "toasoan@baothu.vn"\n', ""), encoding="utf-8")
    warnings: list[str] = []
    report = write_feed(out, cfg.load(config), warn=warnings.append)
    assert report.episodes == 3
    assert [w.split(":")[0] for w in warnings] == ["no [feed] image", "no [feed] email"]
