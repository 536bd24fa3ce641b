"""The editor's commands: preview, say, lexicon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud.cli import cli
from tests.helpers import cli_runner

ARTICLE = """Lúa trúng mùa ở Tháp Mười
Vụ Đông Xuân năm nay đạt 7,2 tấn/ha. Giá lúa tăng mạnh.
THỊ TRƯỜNG
Thương lái đến tận ruộng thu mua. Nông dân phấn khởi.
"""


@pytest.fixture
def desk(tmp_path):
    """An article, a config with the offline engine, a cache and a lexicon, all in tmp_path."""
    (tmp_path / "bai.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "lexicon.toml").write_text('# Cách đọc của tòa soạn\n\n[words]\n"ĐTO" = "Đồng Tháp Online"\n',
                                           encoding="utf-8")
    (tmp_path / "readaloud.toml").write_text(
        '[engine]\nname = "espeak"\n[reading]\nlexicon = "lexicon.toml"\n[cache]\ndir = "clips"\n', encoding="utf-8")
    return tmp_path


def run(desk: Path, *args: str):
    return cli_runner().invoke(cli, ["--config", str(desk / "readaloud.toml"), *args])


def test_preview_marks_cached_and_new_chunks(desk):
    fresh = run(desk, "preview", str(desk / "bai.txt"))
    assert fresh.exit_code == 0, fresh.output
    assert fresh.stdout.count("[new]") == 6 and "[cached" not in fresh.stdout
    assert "== 1. Thị trường" in fresh.stdout and "bảy phẩy hai tấn trên héc ta" in fresh.stdout
    assert run(desk, "build", str(desk / "bai.txt")).exit_code == 0
    warm = run(desk, "preview", str(desk / "bai.txt"))
    assert warm.stdout.count("[cached:espeak]") == 6 and "0 to synthesise" in warm.stdout
    (desk / "bai.txt").write_text(ARTICLE.replace("Giá lúa tăng mạnh.", "Giá lúa tăng nhẹ."), encoding="utf-8")
    edited = run(desk, "preview", str(desk / "bai.txt"))
    new_lines = [line for line in edited.stdout.splitlines() if "[new]" in line]
    assert len(new_lines) == 1 and "Giá lúa tăng nhẹ." in new_lines[0]


def test_preview_renders_a_part(desk):
    out = desk / "part.mp3"
    result = run(desk, "preview", str(desk / "bai.txt"), "--section", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "chunks 3-5" in result.stdout
    whole = run(desk, "build", str(desk / "bai.txt"), "-o", str(desk / "whole.mp3"), "--json")
    whole_s = json.loads(whole.stdout)["duration_s"]
    assert 0.2 * whole_s < MP3(out).info.length < 0.7 * whole_s
    two = run(desk, "preview", str(desk / "bai.txt"), "--chunks", "1-2", "-o", str(desk / "two.mp3"))
    assert "chunks 1-2" in two.stdout and "0 synthesised, 2 from cache" in two.stdout
    assert run(desk, "preview", str(desk / "bai.txt"), "--chunks", "5-2").exit_code == 2
    beyond = run(desk, "preview", str(desk / "bai.txt"), "--chunks", "40-41")
    assert beyond.exit_code == 1 and "no chunks 40-41 (the article has 6 chunks" in beyond.stderr


def test_say_speaks_one_line_through_the_rules(desk):
    out = desk / "say.mp3"
    result = run(desk, "say", "Ngày 2/9/2025, ĐTO đưa tin UBND tỉnh họp.", "-o", str(out))
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == ("Ngày hai tháng chín năm hai nghìn không trăm hai mươi lăm, Đồng Tháp Online đưa tin "
                     "Ủy ban nhân dân tỉnh họp.")
    assert MP3(out).info.length > 2


def test_lexicon_add_list_remove_and_the_script_follows(desk):
    before = run(desk, "script", str(desk / "bai.txt")).stdout
    assert "Tháp Mười" in before
    added = run(desk, "lexicon", "add", "Tháp Mười", "Tháp Mừi")
    assert added.exit_code == 0, added.output
    listed = json.loads(run(desk, "lexicon", "list", "--json").stdout)
    assert listed == {"ĐTO": "Đồng Tháp Online", "Tháp Mười": "Tháp Mừi"}
    text = (desk / "lexicon.toml").read_text(encoding="utf-8")
    assert text.startswith("# Cách đọc của tòa soạn\n")  # the editors' comment is kept
    assert "Tháp Mừi" in run(desk, "script", str(desk / "bai.txt")).stdout.splitlines()[0]
    assert run(desk, "lexicon", "remove", "Tháp Mười").exit_code == 0
    assert run(desk, "script", str(desk / "bai.txt")).stdout == before
    missing = run(desk, "lexicon", "remove", "Không có")
    assert missing.exit_code == 1 and "'Không có' is not in the lexicon" in missing.stderr


def test_lexicon_without_a_configured_file_says_how_to_set_one(tmp_path):
    result = cli_runner().invoke(cli, ["lexicon", "list"])
    assert result.exit_code == 2
    assert "no lexicon file is configured" in result.stderr


def test_preview_under_auto_counts_only_google_clips_as_saved_requests(desk):
    # Clips espeak-ng spoke do not spare Google a request; preview says so instead of calling them cached.
    assert run(desk, "build", str(desk / "bai.txt")).exit_code == 0  # espeak-ng, per the desk's config
    result = run(desk, "preview", str(desk / "bai.txt"), "--engine", "auto")
    assert result.exit_code == 0, result.output
    summary = result.stdout.splitlines()[-1]
    speakable = sum(1 for line in result.stdout.splitlines() if line[:4].strip().isdigit())
    assert summary.startswith(f"-- {speakable} chunks, 0 cached, {speakable} to synthesise by gtts (")
    assert "of them cached for the fallback voice" in summary


@pytest.mark.parametrize("rate", [140, 165, 220])
def test_the_estimated_duration_is_within_a_tenth_of_the_built_file(desk, rate):
    article = desk / "bai.md"
    article.write_text((Path(__file__).parent.parent / "samples" / "khai-giang.md").read_text(encoding="utf-8"),
                       encoding="utf-8")
    env_rate = {"READALOUD_ENGINE_RATE": str(rate)}
    shown = cli_runner().invoke(cli, ["--config", str(desk / "readaloud.toml"), "preview", str(article)], env=env_rate)
    minutes, seconds = shown.stdout.splitlines()[-1].rsplit("about ", 1)[1].split(":")
    estimate = int(minutes) * 60 + int(seconds)
    built = cli_runner().invoke(cli, ["--config", str(desk / "readaloud.toml"), "build", str(article), "--json"],
                                env=env_rate)
    assert built.exit_code == 0, built.output
    actual = json.loads(built.stdout)["duration_s"]
    assert abs(estimate - actual) <= 0.1 * actual, (estimate, actual)


def _fake_player(folder: Path, name: str) -> Path:
    """A stand-in player on PATH that records the file it was given and its first bytes."""
    folder.mkdir(exist_ok=True)
    log = folder / f"{name}.log"
    player = folder / name
    # The script finds its own tools; readaloud's PATH holds only this folder, so no player the host has can win.
    player.write_text(f'#!/bin/sh\nPATH=/usr/bin:/bin\nfor last; do :; done\necho "$last" > {log}\n'
                      f'head -c 4 "$last" >> {log}\n', encoding="utf-8")
    player.chmod(0o755)
    return log


def test_play_uses_the_first_player_found_and_gives_aplay_a_wav(desk, monkeypatch):
    bin_dir = desk / "bin"
    monkeypatch.setenv("PATH", str(bin_dir))
    aplay_log = _fake_player(bin_dir, "aplay")
    result = run(desk, "preview", str(desk / "bai.txt"), "--section", "1", "--play")
    assert result.exit_code == 0, result.output
    played, magic = aplay_log.read_text(encoding="latin-1").split("\n", 1)
    assert played.endswith(".wav") and magic.startswith("RIFF")  # ALSA's aplay cannot take MP3
    assert not list(desk.rglob("*.wav"))  # the copy was made aside, and removed: no user's .wav replaced
    ffplay_log = _fake_player(bin_dir, "ffplay")  # found before aplay
    aplay_log.unlink()
    result = run(desk, "say", "Xin chào", "--play", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    played, magic = ffplay_log.read_text(encoding="latin-1").split("\n", 1)
    assert played.endswith("say.mp3") and magic.startswith("ID3") and not aplay_log.exists()


def _failing_player(folder: Path, name: str, complaint: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"#!/bin/sh\necho '{complaint}' >&2\nexit 1\n", encoding="utf-8")
    (folder / name).chmod(0o755)


def test_a_failing_player_gives_way_to_the_next_and_all_failing_is_an_error(desk, monkeypatch):
    bin_dir = desk / "bin"
    monkeypatch.setenv("PATH", str(bin_dir))
    _failing_player(bin_dir, "ffplay", "ALSA lib confmisc.c: cannot find card 0")
    mpv_log = _fake_player(bin_dir, "mpv")
    result = run(desk, "say", "Xin chào", "--play", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    assert mpv_log.read_text(encoding="latin-1").split("\n", 1)[0].endswith("say.mp3")
    _failing_player(bin_dir, "mpv", "mpv: no audio output")
    for args in (["say", "Xin chào", "--engine", "espeak"], ["preview", str(desk / "bai.txt"), "--section", "1"]):
        result = run(desk, *args, "--play")
        assert result.exit_code == 1, result.output
        error = [line for line in result.stderr.splitlines() if line.startswith("readaloud: error:")]
        assert len(error) == 1 and "could not play" in error[0], result.stderr
        assert "ffplay exited 1 (ALSA lib confmisc.c: cannot find card 0)" in error[0]
        assert "mpv exited 1 (mpv: no audio output)" in error[0]


def test_no_player_at_all_is_said_and_the_file_is_kept(desk, monkeypatch):
    monkeypatch.setenv("PATH", str(desk / "empty-bin"))
    result = run(desk, "say", "Xin chào", "--play", "--engine", "espeak")
    assert result.exit_code == 0 and "no audio player found" in result.stderr, result.output
    assert (desk / "clips" / "previews" / "say.mp3").stat().st_size > 1000


def test_previews_without_an_output_replace_each_other_in_the_cache_folder(desk):
    for _ in range(2):
        assert run(desk, "preview", str(desk / "bai.txt"), "--chunks", "1-2").exit_code == 0
        assert run(desk, "say", "Xin chào").exit_code == 0
    assert sorted(path.name for path in (desk / "clips" / "previews").iterdir()) == ["preview-bai.mp3", "say.mp3"]
    assert MP3(desk / "clips" / "previews" / "preview-bai.mp3").info.length > 1


def test_lexicon_edits_keep_the_editors_comments(desk):
    (desk / "lexicon.toml").write_text(
        "# Cách đọc của tòa soạn\n\n[words]\n"
        "# Tên riêng: theo đề nghị của ban biên tập\n"
        '"Tháp Mười" = "Tháp Mừi"  # giọng miền Tây\n'
        '"ĐTO" = "Đồng Tháp Online"\n'
        "# hết\n", encoding="utf-8")
    assert run(desk, "lexicon", "add", "HAGL", "Hoàng Anh Gia Lai").exit_code == 0
    assert (desk / "lexicon.toml").read_text(encoding="utf-8") == (
        "# Cách đọc của tòa soạn\n\n[words]\n"
        '"HAGL" = "Hoàng Anh Gia Lai"\n'
        "# Tên riêng: theo đề nghị của ban biên tập\n"
        '"Tháp Mười" = "Tháp Mừi"  # giọng miền Tây\n'
        '"ĐTO" = "Đồng Tháp Online"\n'
        "# hết\n")
    assert run(desk, "lexicon", "remove", "Tháp Mười").exit_code == 0
    text = (desk / "lexicon.toml").read_text(encoding="utf-8")
    assert "ban biên tập" not in text and "giọng miền Tây" not in text and text.endswith("# hết\n")
    assert json.loads(run(desk, "lexicon", "list", "--json").stdout) == {"HAGL": "Hoàng Anh Gia Lai",
                                                                         "ĐTO": "Đồng Tháp Online"}


def test_every_command_reports_the_fallback_the_same_way(desk):
    # Offline under `auto`: Google cannot be reached, espeak-ng speaks. build, preview and say (and sync,
    # tested with the archive) all warn in one line and exit 3.
    runs = {"build": run(desk, "build", str(desk / "bai.txt"), "-o", str(desk / "b.mp3"), "--engine", "auto"),
            "preview": run(desk, "preview", str(desk / "bai.txt"), "--section", "1", "-o", str(desk / "p.mp3"),
                           "--engine", "auto"),
            "say": run(desk, "say", "Xin chào", "-o", str(desk / "s.mp3"), "--engine", "auto")}
    for command, result in runs.items():
        assert result.exit_code == 3, (command, result.output)
        warnings = result.stderr.splitlines()
        assert len(warnings) == 1 and warnings[0].startswith("readaloud: warning: gtts failed ("), command
        assert warnings[0].endswith("; espeak is asked for all of it instead"), command
        assert "spoken by espeak-ng " in result.stdout, command
    for name in ("b.mp3", "p.mp3", "s.mp3"):
        assert MP3(desk / name).info.length > 0.5
