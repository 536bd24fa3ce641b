"""Hostile input at the command line (issue 10, points 9 and 10): whatever ends a build, `--json` prints
JSON on stdout and stderr holds one line, never a traceback; no file name can add a line to a log or
hide what follows it on a terminal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from readaloud.cli import Stopped, cli, one_line
from tests.helpers import ROOT, cli_runner

EXE = Path(sys.executable).with_name("readaloud")
NEWLINE_NAME = "a\nreadaloud: built b.mp3.txt"
TERMINAL_NAME = "c\x1b[2J\u202eevil.txt"  # clears the screen, then shows the rest reversed


def invoke(*args, input=None):
    return cli_runner().invoke(cli, [str(a) for a in args], input=input)


def article(folder: Path, name: str = "bai.txt", text: str = "Tiêu đề\n\nMột đoạn văn ngắn.\n") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def assert_json_failure(stdout: str, stderr: str, exit_code: int) -> dict:
    """stdout is exactly one JSON failure; stderr is exactly its line; the exit code is the one it names."""
    payload = json.loads(stdout)
    assert payload["ok"] is False
    assert payload["exit_code"] == exit_code != 0
    assert stderr.splitlines() == [f"readaloud: error: {one_line(payload['error'])}"]
    assert "Traceback" not in stderr
    return payload


def assert_json_outcome(stdout: str, stderr: str, exit_code: int) -> dict:
    """For attacks another change may turn into a success (a cache that degrades, a non-UTF-8 name written
    as is): either a JSON success or exactly one JSON failure, never a traceback."""
    payload = json.loads(stdout)
    assert "Traceback" not in stderr
    if payload["ok"]:
        assert exit_code in (0, 3)
        assert len(stderr.splitlines()) == len(payload["warnings"])  # one line per warning, nothing else
        return payload
    return assert_json_failure(stdout, stderr, exit_code)


# -- point 9: every failure under --json is JSON and one line --------------------------------------------

def test_the_size_limit(tmp_path):
    config = tmp_path / "readaloud.toml"
    config.write_text("[reading]\nmax_article_bytes = 1000\n", encoding="utf-8")
    big = article(tmp_path, text="Tiêu đề\n\n" + "Một câu. " * 200)
    result = invoke("--config", config, "build", big, "--engine", "espeak", "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["article"] == str(big) and "over the 0.001 MB limit" in payload["error"]
    assert not big.with_suffix(".mp3").exists()


def test_a_cache_folder_that_cannot_be_made(tmp_path):
    # A regular file where the cache folder should be: a folder inside it cannot be made, even by root.
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    config = tmp_path / "readaloud.toml"
    config.write_text(f'[cache]\ndir = "{blocker / "clips"}"\n', encoding="utf-8")
    source = article(tmp_path)
    result = invoke("--config", config, "build", source, "-o", tmp_path / "out.mp3", "--engine", "espeak", "--json")
    assert_json_outcome(result.stdout, result.stderr, result.exit_code)


def test_an_os_error_escaping_the_build(tmp_path, monkeypatch):
    from readaloud import pipeline

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "/var/cache/readaloud/ab")

    monkeypatch.setattr(pipeline, "build", refuse)
    result = invoke("build", article(tmp_path), "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["error"] == "/var/cache/readaloud/ab: Permission denied"


def test_a_non_utf8_output_name(tmp_path, fast_config):
    out = tmp_path / "out\udcff.mp3"  # the file system's byte 0xff, as Python decodes it
    result = invoke("--config", fast_config, "build", article(tmp_path), "-o", out, "--engine", "espeak", "--json")
    payload = assert_json_outcome(result.stdout, result.stderr, result.exit_code)
    if payload["ok"]:
        assert payload["output"] == str(out)  # the \udcff escape reads back as the same name


def test_an_unencodable_name_in_the_failure_itself(tmp_path, monkeypatch):
    from readaloud import pipeline

    def fail(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "out\udcff.mp3", 3, 4, "surrogates not allowed")

    monkeypatch.setattr(pipeline, "build", fail)
    name = str(tmp_path / "bai\udcff.txt")
    result = invoke("build", name, "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["article"] == name  # round-trips through the \udcff escape
    assert "bai\\udcff.txt" in result.stdout  # written as a JSON \u escape, which UTF-8 can carry
    assert payload["error"].startswith("internal error: UnicodeEncodeError: ")
    assert "\\udcff" in result.stderr  # shown escaped on the line, not as a raw surrogate


def test_deeply_nested_toml_in_the_settings_file(tmp_path):
    config = tmp_path / "readaloud.toml"
    config.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = invoke("--config", config, "build", article(tmp_path), "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["exit_code"] == 2
    assert payload["error"] == f"{config}: config is nested too deeply to read"


def test_a_number_too_long_for_python_in_the_settings_file(tmp_path):
    config = tmp_path / "readaloud.toml"
    config.write_text("[reading]\nmax_article_bytes = " + "9" * 5000 + "\n", encoding="utf-8")
    result = invoke("--config", config, "build", article(tmp_path), "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["exit_code"] == 2 and payload["error"].startswith(f"{config}: config has a value that cannot")
    assert "set_int_max_str_digits" not in payload["error"]  # Python's advice to programmers is not shown


def test_memory_error(tmp_path, monkeypatch):
    from readaloud import pipeline

    def exhaust(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(pipeline, "build", exhaust)
    result = invoke("build", article(tmp_path), "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["error"] == "internal error: MemoryError" and payload["exit_code"] == 1


def test_any_unexpected_exception_is_one_line_even_without_json(tmp_path, monkeypatch):
    from readaloud import pipeline

    def bug(*args, **kwargs):
        raise RuntimeError("boom\nTraceback (most recent call last):")

    monkeypatch.setattr(pipeline, "build", bug)
    result = invoke("build", article(tmp_path))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "readaloud: error: internal error: RuntimeError: boom\\nTraceback (most recent call last):"]


def test_a_stray_cdata_opener_in_an_html_page(tmp_path):
    page = article(tmp_path, "trang.html", "<html><body><h1>Tiêu đề</h1><p>Một đoạn văn.</p><![ x </body></html>")
    result = invoke("build", page, "--engine", "espeak", "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["exit_code"] == 1
    assert payload["error"] == f"{page}: the HTML is malformed (the parser rejected it, e.g. a stray '<![')"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["trang.html"]


@pytest.mark.parametrize(("value", "reason"), [
    ("2024-02-30", "day is out of range for month"),
    ("2024-13-01", "month must be in 1..12"),
    ("9" * 5000, "Exceeds the limit (4300 digits) for integer string conversion"),
])
def test_an_impossible_date_or_number_in_front_matter(tmp_path, value, reason):
    source = article(tmp_path, "bai.md", f"---\ntitle: Tiêu đề\ndate: {value}\n---\n\nMột đoạn văn.\n")
    result = invoke("build", source, "--engine", "espeak", "--json")
    payload = assert_json_failure(result.stdout, result.stderr, result.exit_code)
    assert payload["error"] == f"{source}: front matter has an impossible date or number ({reason})"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.md"]


def test_stopped_keyboard_interrupt_and_exit_still_end_the_command_as_before(tmp_path, monkeypatch, capsys):
    from readaloud import cli as command
    from readaloud import pipeline

    source = article(tmp_path)

    def stopped(*args, **kwargs):
        raise Stopped(signal.SIGTERM)

    # Through main(), which reports Stopped; its signal handlers are not installed in the test process.
    monkeypatch.setattr(pipeline, "build", stopped)
    monkeypatch.setattr(signal, "signal", lambda *args: None)
    monkeypatch.setattr(sys, "argv", ["readaloud", "build", str(source), "--json"])
    with pytest.raises(SystemExit) as ended:
        command.main()
    assert ended.value.code == 143
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {
        "ok": False, "article": str(source), "error": "stopped by SIGTERM; nothing half-written was kept",
        "exit_code": 143}
    assert captured.err.splitlines() == ["readaloud: stopped by SIGTERM; nothing half-written was kept"]

    def exits(*args, **kwargs):
        raise SystemExit(7)

    monkeypatch.setattr(pipeline, "build", exits)
    result = invoke("build", source)
    assert result.exit_code == 7 and "internal error" not in result.stderr

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build", interrupted)
    result = invoke("build", source)
    assert "internal error" not in result.stderr and result.exit_code == 1  # click's own "Aborted!"


def _run(*args, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """The installed command, as cron or a CMS job runs it (bytes: names need not be UTF-8)."""
    return subprocess.run([str(EXE), *(os.fsencode(a) if isinstance(a, Path) else a for a in args)],
                          capture_output=True, cwd=ROOT, timeout=timeout)


def test_the_installed_command_answers_json_for_each_attack(tmp_path):
    page = article(tmp_path, "trang.html", "<h1>Tiêu đề</h1><p>Một đoạn văn.</p><![ x")
    dated = article(tmp_path, "bai.md", "---\ntitle: Tiêu đề\ndate: 2024-02-30\n---\n\nMột đoạn văn.\n")
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    attacks = [
        (["build", page, "--engine", "espeak", "--json"], 1, "the HTML is malformed"),
        (["build", dated, "--engine", "espeak", "--json"], 1, "impossible date"),
        (["--config", deep, "build", dated, "--engine", "espeak", "--json"], 2, "nested too deeply"),
    ]
    for args, code, words in attacks:
        done = _run(*args)
        stdout, stderr = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
        payload = assert_json_failure(stdout, stderr, done.returncode)
        assert done.returncode == code and words in payload["error"], stderr


def test_the_installed_command_with_a_non_utf8_output_name(tmp_path):
    out = os.fsencode(tmp_path) + b"/out\xff.mp3"
    done = _run("build", article(tmp_path), "-o", out, "--engine", "espeak", "--json", timeout=300)
    payload = assert_json_outcome(done.stdout.decode("utf-8"), done.stderr.decode("utf-8"), done.returncode)
    if payload["ok"]:
        assert os.fsencode(payload["output"]) == out
    else:
        assert not any(name.endswith(b".mp3") for name in os.listdir(os.fsencode(tmp_path)))


# -- point 10: no name forges a log line or hides text on a terminal --------------------------------------

def test_one_line_escapes_every_line_breaking_or_hiding_character():
    hostile = ("".join(chr(c) for c in range(0x20)) + "\x7f" + "".join(chr(c) for c in range(0x80, 0xa0))
               + "\u2028\u2029\u061c\u200e\u200f" + "".join(chr(c) for c in range(0x202a, 0x202f))
               + "".join(chr(c) for c in range(0x2066, 0x206a)) + "\udcff")
    shown = one_line(hostile)
    assert shown.isascii() and shown.isprintable()
    assert shown.startswith("\\x00\\x01") and "\\n" in shown and "\\r" in shown and "\\t" in shown
    assert "\\x1b" in shown and "\\x7f" in shown and "\\x85" in shown and "\\x9b" in shown
    assert "\\u202e" in shown and "\\u2066" in shown and "\\u2028" in shown and shown.endswith("\\udcff")
    vietnamese = "Đồng Tháp: “bài viết” — 2/9, 100% (ảnh)"
    assert one_line(vietnamese) == vietnamese


@pytest.mark.parametrize(("name", "escaped"), [
    (NEWLINE_NAME, "a\\nreadaloud: built b.mp3.txt"),
    (TERMINAL_NAME, "c\\x1b[2J\\u202eevil.txt"),
])
def test_a_failing_article_with_a_hostile_name_is_one_escaped_line(tmp_path, name, escaped):
    source = article(tmp_path, name, "")
    result = invoke("build", source, "--engine", "espeak")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"readaloud: error: {tmp_path}/{escaped}: the article is empty"]


def test_the_installed_command_writes_one_escaped_line_for_a_newline_name(tmp_path):
    source = article(tmp_path, NEWLINE_NAME, "")
    done = _run("build", source, "--engine", "espeak")
    assert done.returncode == 1
    assert done.stderr.decode("utf-8").splitlines() == [
        f"readaloud: error: {tmp_path}/a\\nreadaloud: built b.mp3.txt: the article is empty"]


def test_sync_logs_one_line_per_article_whatever_their_names(tmp_path, fast_config):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    article(src, "mot.txt")
    article(src, "hai.txt", "Tiêu đề hai\n\nMột đoạn văn khác.\n")
    article(src, NEWLINE_NAME, "")  # fails: empty
    article(src, TERMINAL_NAME, "")  # fails: empty
    result = invoke("--config", fast_config, "sync", src, out, "--engine", "espeak")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 4, lines  # one per article: two built, two failed, none forged
    assert sum(line.startswith("built  ") for line in lines) == 2
    failed = sorted(line for line in lines if line.startswith("failed "))
    assert failed == [f"failed {src}/a\\nreadaloud: built b.mp3.txt: the article is empty",
                      f"failed {src}/c\\x1b[2J\\u202eevil.txt: the article is empty"]
    assert result.stdout.startswith("sync: 2 built, 0 up to date, 2 failed")


def test_a_usage_error_quoting_a_hostile_name_keeps_its_error_on_one_line(tmp_path):
    missing = tmp_path / "khong\nco\x1b\u202e"
    result = invoke("sync", missing, tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for 'SRC_DIR': Directory '{tmp_path}/khong\\nco\\x1b\\u202e' does not exist.")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", [["-o", "x.wav"], ["--engine", "nope"], ["--rate", "abc"]])
def test_a_usage_error_under_json_is_json_too(tmp_path, bad):
    article = tmp_path / "a.txt"
    article.write_text("Tiêu đề\nMột câu.\n", encoding="utf-8")
    result = invoke("build", article, "--json", *bad)
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["ok"] is False and payload["exit_code"] == 2
    assert result.stderr.splitlines() == [f"readaloud: error: {payload['error']}"]
    assert " build: Invalid value for " in payload["error"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
