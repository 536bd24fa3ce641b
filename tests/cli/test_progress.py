"""Progress on a terminal (issue 11, point 10): build, preview and sync show it on stderr when a person is
watching, and never in a cron log, a pipe, JSON output or with --quiet. Real processes on a real
pseudo-terminal, since that is what the progress bar looks for."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

EXE = str(Path(sys.executable).parent / "readaloud")

ARTICLE = "Mưa lớn ở miền Tây\n" + "".join(
    f"Câu thứ {n} nói về cơn mưa kéo dài suốt đêm qua ở các huyện phía bắc của tỉnh.\n" for n in range(1, 9))


@pytest.fixture
def desk(tmp_path):
    (tmp_path / "bai.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tin.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "readaloud.toml").write_text('[engine]\nname = "espeak"\n[cache]\ndir = "clips"\n', encoding="utf-8")
    return tmp_path


def _on_a_terminal(desk: Path, *args: str) -> tuple[int, str, str]:
    """Run readaloud with stderr on a pseudo-terminal (stdout stays a pipe); (exit code, stdout, stderr)."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TMPDIR": str(desk), "COLUMNS": "120"}
    with subprocess.Popen([EXE, "--config", str(desk / "readaloud.toml"), *args], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=follower, env=env, cwd=desk) as run:
        os.close(follower)
        seen = bytearray()
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # EIO: the process closed the terminal
                break
            if not data:
                break
            seen += data
        stdout = run.stdout.read().decode("utf-8") if run.stdout else ""
    os.close(leader)
    return run.returncode, stdout, seen.decode("utf-8", "replace")


def _chunks(desk: Path) -> int:
    done = subprocess.run([EXE, "--config", str(desk / "readaloud.toml"), "script", str(desk / "bai.txt")],
                          capture_output=True, text=True, check=True)
    return len(done.stdout.splitlines())


def test_build_shows_chunks_spoken_time_left_and_encoding_on_a_terminal(desk):
    total = _chunks(desk)
    code, stdout, terminal = _on_a_terminal(desk, "build", "bai.txt", "-o", "bai.mp3")
    assert code == 0, terminal
    assert "bai.txt: speaking" in terminal and f"{total}/{total}" in terminal and "bai.txt: encoding" in terminal
    assert stdout.startswith("bai.mp3: ")  # the result line is not mixed into the bar
    assert (desk / "bai.mp3").stat().st_size > 10_000


@pytest.mark.parametrize("silenced", [("--quiet",), ("--json",)], ids=["quiet", "json"])
def test_quiet_and_json_silence_the_bar(desk, silenced):
    code, stdout, terminal = _on_a_terminal(desk, "build", "bai.txt", "-o", "bai.mp3", *silenced)
    assert code == 0 and terminal == "", terminal
    assert stdout


def test_no_bar_when_stderr_is_not_a_terminal(desk):
    done = subprocess.run([EXE, "--config", str(desk / "readaloud.toml"), "build", "bai.txt", "-o", "bai.mp3"],
                          capture_output=True, text=True, cwd=desk)
    assert done.returncode == 0 and done.stderr == ""  # a cron log gets nothing but warnings and errors


def test_preview_of_a_section_shows_progress(desk):
    code, _, terminal = _on_a_terminal(desk, "preview", "bai.txt", "--section", "0", "-o", "p.mp3")
    assert code == 0 and "bai.txt: speaking" in terminal and "encoding" in terminal


def test_sync_shows_articles_and_the_chunks_inside_the_one_being_built(desk):
    total = _chunks(desk)
    code, stdout, terminal = _on_a_terminal(desk, "sync", "src", "out")
    assert code == 0, terminal
    assert "sync" in terminal and "1/1" in terminal and f"tin.txt {total}/{total} chunks" in terminal
    assert stdout.startswith("sync: 1 built")
    code, _, terminal = _on_a_terminal(desk, "sync", "src", "out2", "--quiet")
    assert code == 0 and "chunks" not in terminal and "sync  [" not in terminal
