"""What a build writes, attacked: hostile output targets (-o at a FIFO, a device, a folder, a read-only file),
hostile output names (every printable ASCII character, Vietnamese, not UTF-8), and a build killed outright
(kill -9) whose ffmpeg children and temporary files must not outlive it."""

from __future__ import annotations

import math
import os
import stat
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud import audio
from readaloud.cli import cli

from .conftest import cli_runner

EXE = str(Path(sys.executable).with_name("readaloud"))
SHORT = "Tin ngắn buổi sáng\nUBND tỉnh họp bàn kế hoạch năm 2025. Các sở báo cáo tiến độ.\n"
PRINTABLE = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) != "/")  # every printable ASCII but "/"


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "bai.txt"
    path.write_text(SHORT, encoding="utf-8")
    return path


@pytest.fixture
def cfg(tmp_path) -> Path:
    """espeak-ng, clips cached in one folder for the test (the same clips in every build of it)."""
    path = tmp_path / "readaloud.toml"
    path.write_text(f'[engine]\nname = "espeak"\n[cache]\ndir = "{tmp_path / "clips"}"\n', encoding="utf-8")
    return path


def _build(cfg: Path, article: Path, output: Path, *extra: str):
    return cli_runner().invoke(cli, ["--config", str(cfg), "build", str(article), "-o", str(output), *extra])


def _listing(folder: Path) -> dict[str, str]:
    """Every entry under `folder` (links not followed) and what it is, so any new or changed entry shows."""
    kinds = {stat.S_IFREG: "file", stat.S_IFDIR: "dir", stat.S_IFIFO: "fifo", stat.S_IFLNK: "link",
             stat.S_IFCHR: "chardev"}
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            found[str(path.relative_to(folder))] = kinds.get(stat.S_IFMT(path.lstat().st_mode), "other")
    return found


# --- 7. names that mean something to ffmpeg's syntax or are not UTF-8 --------------------------------------


@pytest.mark.parametrize("folder_name, file_name", [
    ("plain", PRINTABLE),  # quotes, |, [ ], :, \, spaces, a leading space...
    (PRINTABLE, PRINTABLE),
    ("q'dir", "-a'b"),  # the two cases; a leading "-" is not an option
    ("Thời sự", "Lúa đông xuân được mùa, giá tăng"),
])
def test_any_output_name_is_written_at_exactly_that_path(tmp_path, article, cfg, folder_name, file_name):
    out = tmp_path / "out" / folder_name
    target = out / f"{file_name}.mp3"
    result = _build(cfg, article, target)
    assert result.exit_code == 0, result.stderr
    # Exactly the MP3 and its captions, where asked, nothing else anywhere (no stray file, no other folder).
    assert _listing(tmp_path / "out") == {folder_name: "dir", f"{folder_name}/{file_name}.mp3": "file",
                                          f"{folder_name}/{file_name}.vtt": "file"}
    assert MP3(target).info.length > 1
    assert (out / f"{file_name}.vtt").read_text(encoding="utf-8").startswith("WEBVTT")


def test_a_non_utf8_output_name_is_written_without_an_encoding_error(tmp_path, article, cfg):
    folder = tmp_path / os.fsdecode(b"th\xe0nh-ph\xf4")  # Latin-1 bytes: not UTF-8
    target = folder / os.fsdecode(b"b\xe0i-\xff.mp3")
    run = subprocess.run([EXE, "--config", str(cfg), "build", str(article), "-o", os.fsencode(target)],
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr and b"UnicodeEncodeError" not in run.stderr
    assert sorted(os.listdir(os.fsencode(folder))) == [b"b\xe0i-\xff.mp3", b"b\xe0i-\xff.vtt"]
    assert MP3(target).info.length > 1


def _tone(folder: Path, rate: int = 24000) -> Path:
    pcm = folder / "tone.pcm"
    pcm.write_bytes(b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * 330 * i / rate)))
                             for i in range(rate)))
    return pcm


@pytest.mark.parametrize("name", [PRINTABLE + " ", " -x", "file:y", "a|b", "[f=wav]c", "Lúa đông xuân",
                                  os.fsdecode(b"\xff\xfe")])
def test_the_encoders_write_any_file_name_literally(tmp_path, name):
    """audio's own encoders, given a hostile name directly (the build hands them only names of its own)."""
    pcm = _tone(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    audio.encode_mp3(pcm, 24000, out / f"{name}.1", 64, 44100)
    loudness = audio.encode_and_measure(pcm, 24000, out / f"{name}.2", 64, 44100)
    assert sorted(os.listdir(out)) == [f"{name}.1", f"{name}.2"]
    assert (out / f"{name}.1").read_bytes()[-1000:] == (out / f"{name}.2").read_bytes()[-1000:]  # same frames
    assert MP3(out / f"{name}.2").info.length == pytest.approx(1.0, abs=0.1)
    assert -40 < loudness.integrated_lufs < 0
