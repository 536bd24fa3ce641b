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

from .conftest import ROOT, SAMPLES, cli_runner


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


def test_build_json_summary(tmp_path):
    out = tmp_path / "kg.mp3"
    result = invoke("build", SAMPLES / "khai-giang.md", "-o", out, "--engine", "espeak", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert payload["output"] == str(out)
    assert payload["engine"].startswith("espeak-ng 1.")
    assert payload["duration_s"] > 20
    assert payload["chunks"] > 10
    assert [c["start_ms"] for c in payload["chapters"]] == sorted(c["start_ms"] for c in payload["chapters"])
    assert payload["chapters"][0]["title"] == "Khai giảng năm học mới" or payload["chapters"][0]["start_ms"] == 0


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
