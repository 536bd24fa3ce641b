"""The command line as users and scripts meet it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from readaloud.cli import cli
from tests.helpers import ROOT, SAMPLES, cli_runner


def invoke(*args, input=None):
    return cli_runner().invoke(cli, [str(a) for a in args], input=input)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the article is empty"),
    (b"\x00\x01\x02binary\xff\xfe" * 100, "looks like a binary file, not article text"),
])
def test_bad_article_is_one_line_and_no_output(tmp_path, content, message):
    article = tmp_path / "bai.txt"
    article.write_bytes(content)
    out = tmp_path / "bai.mp3"
    result = invoke("build", article, "-o", out, "--engine", "espeak")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"readaloud: error: {article}: {message}"]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.txt"]


def test_missing_file(tmp_path):
    result = invoke("build", tmp_path / "khong-co.txt", "--engine", "espeak")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"readaloud: error: {tmp_path / 'khong-co.txt'}: no such file"]
    assert list(tmp_path.iterdir()) == []


def test_json_failure_is_reported_on_stdout_too(tmp_path):
    result = invoke("build", tmp_path / "x.txt", "--engine", "espeak", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and "no such file" in payload["error"]


def test_build_json_summary(tmp_path, fast_config):
    out = tmp_path / "kg.mp3"
    result = invoke("build", SAMPLES / "khai-giang.md", "-o", out, "--engine", "espeak", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert payload["output"] == str(out)
    assert payload["engine"].startswith("espeak-ng 1.")
    assert payload["duration_s"] > 20
    assert payload["chunks"] > 10
    # A cold cache: every chunk spoken by the engine asked for, none from the cache, nothing to warn about.
    assert payload["synthesized"] == payload["chunks"] and payload["cached"] == 0
    assert payload["fallback"] is False and payload["warnings"] == [] and result.stderr == ""
    chapters = payload["chapters"]
    # The first chapter is the article's title (from its front matter) and starts the file; the chapters
    # follow each other without gap or overlap up to the end of the audio.
    assert chapters[0]["title"] == "Hơn 380.000 học sinh Đồng Tháp hân hoan bước vào năm học mới"
    assert chapters[0]["start_ms"] == 0
    assert [c["title"] for c in chapters[1:]] == [
        "Không khí rộn ràng ngày tựu trường", "Quan tâm học sinh khó khăn", "Nâng cao chất lượng giáo dục"]
    assert all(a["end_ms"] == b["start_ms"] for a, b in zip(chapters, chapters[1:], strict=False))
    assert all(c["start_ms"] < c["end_ms"] for c in chapters)
    assert chapters[-1]["end_ms"] == round(payload["duration_s"] * 1000)

    # Built again: every chunk comes from the clip cache, none from the engine.
    again = invoke("build", SAMPLES / "khai-giang.md", "-o", out, "--engine", "espeak", "--json")
    assert again.exit_code == 0, again.output
    second = json.loads(again.stdout)
    assert (second["synthesized"], second["cached"]) == (0, payload["chunks"])
    assert second["fallback"] is False and second["warnings"] == []

    # Under `auto` with no network, and a cover image that does not exist: espeak-ng speaks the whole
    # article as the fallback (exit 3), and both warnings are in the summary, as printed on stderr.
    article = tmp_path / "kg.md"
    article.write_text((SAMPLES / "khai-giang.md").read_text(encoding="utf-8").replace(
        "publication:", "image: khong-co.png\npublication:", 1), encoding="utf-8")
    fell = invoke("--config", fast_config, "build", article, "-o", tmp_path / "auto.mp3", "--json")
    assert fell.exit_code == 3, fell.output
    third = json.loads(fell.stdout)
    assert third["fallback"] is True and third["engine"].startswith("espeak-ng 1.")
    assert third["synthesized"] + third["cached"] == third["chunks"] and third["synthesized"] > 0
    assert third["warnings"] == [
        f"{article}: cover image khong-co.png not used: no such file",
        "gtts failed (cannot reach translate.google.com (ConnectionError)); espeak is asked for "
        "all of it instead"]
    assert fell.stderr.splitlines() == [f"readaloud: warning: {w}" for w in third["warnings"]]


def test_script_prints_one_chunk_per_line_without_digits():
    result = invoke("script", SAMPLES / "lua-dong-xuan.txt")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 20
    assert all(line.strip() for line in lines)
    assert not re.search(r"\d", result.stdout)


def test_script_json_pairs_display_and_spoken():
    result = invoke("script", SAMPLES / "hoi-nghi-chuyen-doi-so.txt", "--json")
    payload = json.loads(result.stdout)
    chunks = payload["chunks"]
    assert {"index", "section", "role", "display", "spoken", "pause_after_ms"} <= set(chunks[0])
    assert chunks[0]["role"] == "title"
    assert all(len(c["spoken"]) <= 100 for c in chunks)  # auto may use gTTS: its limit applies
    assert [c["index"] for c in chunks] == list(range(len(chunks)))


def test_script_json_of_an_article_that_cannot_be_read_is_json_too(tmp_path):
    missing, empty = tmp_path / "khong-co.txt", tmp_path / "rong.txt"
    empty.write_bytes(b"")
    for article in (missing, empty):
        result = invoke("script", article, "--json")
        assert result.exit_code == 1
        payload = json.loads(result.stdout)
        assert payload["ok"] is False and payload["article"] == str(article) and payload["exit_code"] == 1
        assert payload["error"].startswith(str(article))
        assert result.stderr.splitlines() == [f"readaloud: error: {payload['error']}"]


def test_script_from_stdin():
    result = invoke("script", "-", input="Tiêu đề\nHôm nay có 25 người.\n".encode())
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Tiêu đề"
    assert "hai mươi lăm" in result.stdout


def test_unknown_config_key_is_a_usage_error(tmp_path):
    cfg = tmp_path / "readaloud.toml"
    cfg.write_text("[pauses]\nheadin = 900\n", encoding="utf-8")
    result = invoke("--config", cfg, "script", SAMPLES / "khai-giang.md")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"readaloud: error: {cfg}: pauses: unknown key 'headin' "
        "(known: chunk, heading, paragraph, sentence, title)"]


def test_help_explains_exit_codes():
    result = invoke("build", "--help")
    assert "Exit codes" in result.stdout and "fallback" in result.stdout


def test_installed_command_and_module_run(tmp_path):
    exe = Path(sys.executable).with_name("readaloud")
    out = tmp_path / "a b - bài.mp3"
    env = {**os.environ, "PATH": os.environ.get("PATH", "")}
    done = subprocess.run([str(exe), "build", str(SAMPLES / "khai-giang.md"), "-o", str(out), "--engine",
                           "espeak", "--json"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["output"] == str(out) and out.stat().st_size > 10_000
    module = subprocess.run([sys.executable, "-m", "readaloud", "--help"], capture_output=True, text=True,
                            timeout=60)
    assert module.returncode == 0 and "build" in module.stdout


@pytest.mark.parametrize("command", [["build", "ARTICLE"], ["preview", "ARTICLE"], ["say", "Xin chào"]])
@pytest.mark.parametrize("name", ["bai.wav", "bai", "bai.mp3.tmp"])
def test_an_output_name_not_ending_in_mp3_is_refused(tmp_path, command, name):
    article = tmp_path / "bai.txt"
    article.write_text("Tiêu đề\nMột câu.\n", encoding="utf-8")
    args = [str(article) if arg == "ARTICLE" else arg for arg in command]
    result = invoke(*args, "-o", tmp_path / name, "--engine", "espeak")
    assert result.exit_code == 2
    assert "readaloud writes MP3 only" in result.stderr and name in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bai.txt"]


def test_one_chapter_is_said_in_the_singular(tmp_path):
    article = tmp_path / "bai.txt"
    article.write_text("Tiêu đề\nMột câu ngắn.\n", encoding="utf-8")
    result = invoke("build", article, "-o", tmp_path / "bai.mp3", "--engine", "espeak")
    assert result.exit_code == 0, result.output
    assert ", 1 chapter, spoken by espeak-ng" in result.stdout


def test_an_output_that_is_a_folder_is_named_as_one(tmp_path):
    article = tmp_path / "bai.txt"
    article.write_text("Tiêu đề\nMột câu.\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    result = invoke("build", article, "-o", f"{tmp_path / 'out'}/", "--engine", "espeak")
    assert result.exit_code == 2
    assert f"{tmp_path / 'out'}: is a folder; give the MP3's file name, e.g. {tmp_path / 'out' / 'bai.mp3'}" \
        in result.stderr
    assert list((tmp_path / "out").iterdir()) == []


def test_inspect_of_a_missing_file_says_so_plainly(tmp_path):
    result = invoke("inspect", tmp_path / "nope.mp3")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"readaloud: error: {tmp_path / 'nope.mp3'}: no such file"]
