"""The editor's commands: preview, say, lexicon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud.cli import cli

from .conftest import cli_runner

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
