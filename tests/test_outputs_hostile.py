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

from readaloud import audio, config, pipeline
from readaloud.cli import cli
from readaloud.errors import InputError

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


# --- 4. -o at something that is not a regular file --------------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link_to_fifo(path: Path) -> None:
    os.mkfifo(path.with_name("real-fifo"))
    path.symlink_to("real-fifo")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("kept", encoding="utf-8")


def _link_to_folder(path: Path) -> None:
    path.with_name("real-folder").mkdir()
    path.symlink_to("real-folder")


def _read_only(path: Path) -> None:
    path.write_bytes(b"an MP3 someone made read-only")
    path.chmod(0o444)


def _device(path: Path) -> None:
    # A character device like /dev/null (1, 3), made under the test's own folder, never the real one.
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")


HOSTILE = {"fifo": (_fifo, "is a FIFO, not a regular file"),
           "link to a fifo": (_link_to_fifo, "is a link to a FIFO, not a regular file"),
           "folder": (_folder, "is a directory, not a file"),
           "link to a folder": (_link_to_folder, "is a link to a directory, not a file"),
           "read-only file": (_read_only, "is a read-only file"),
           "device": (_device, "is a character device, not a regular file")}


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("which", ["mp3", "vtt", "srt"])
def test_a_target_that_is_not_a_regular_file_is_refused_and_nothing_is_written(tmp_path, article, cfg, kind, which):
    out = tmp_path / "out"
    out.mkdir()
    make, problem = HOSTILE[kind]
    target = out / f"bai.{which}"
    make(target)
    before = _listing(tmp_path)
    read_only_bytes = target.read_bytes() if kind == "read-only file" else None

    result = _build(cfg, article, out / "bai.mp3", "--srt")

    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [f"readaloud: error: {target}: {problem}; not replaced"]
    # Nothing written anywhere: no MP3 beside a refused caption file, no temporary, the target as it was.
    assert _listing(tmp_path) == before
    if read_only_bytes is not None:
        assert target.read_bytes() == read_only_bytes


def test_a_link_to_a_regular_file_is_replaced_and_its_target_kept(tmp_path, article, cfg):
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "elsewhere.mp3").write_bytes(b"the link's target")
    (out / "bai.mp3").symlink_to(tmp_path / "elsewhere.mp3")
    result = _build(cfg, article, out / "bai.mp3")
    assert result.exit_code == 0, result.stderr
    assert not (out / "bai.mp3").is_symlink() and MP3(out / "bai.mp3").info.length > 1
    assert (tmp_path / "elsewhere.mp3").read_bytes() == b"the link's target"
    assert sorted(os.listdir(out)) == ["bai.mp3", "bai.vtt"]


def test_a_fifo_that_appears_at_a_caption_path_during_the_build_stops_it_before_any_rename(tmp_path, article, cfg,
                                                                                         monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "bai.mp3").write_bytes(b"earlier good file")
    real_master = audio.master_mp3

    def master_then_plant(*args, **kwargs):
        got = real_master(*args, **kwargs)
        os.mkfifo(out / "bai.vtt")  # after the first check, before the files are moved into place
        return got

    monkeypatch.setattr(audio, "master_mp3", master_then_plant)
    with pytest.raises(InputError, match=r"bai\.vtt: is a FIFO, not a regular file; not replaced$"):
        pipeline.build(str(article), out / "bai.mp3", config.load(cfg))
    assert _listing(out) == {"bai.mp3": "file", "bai.vtt": "fifo"}
    assert (out / "bai.mp3").read_bytes() == b"earlier good file"


def test_sync_reports_a_fifo_named_like_an_mp3_and_builds_the_rest(tmp_path, cfg):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    (src / "a.txt").write_text(SHORT, encoding="utf-8")
    (src / "b.txt").write_text(SHORT.replace("2025", "2026"), encoding="utf-8")
    os.mkfifo(out / "a.mp3")  # reading its tag to decide would block for ever
    run = subprocess.run([EXE, "--config", str(cfg), "sync", str(src), str(out)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1, run.stderr
    assert f"{out / 'a.mp3'}: is a FIFO, not a regular file; not replaced" in run.stderr
    assert stat.S_ISFIFO((out / "a.mp3").lstat().st_mode)
    assert not (out / "a.vtt").exists()
    assert MP3(out / "b.mp3").info.length > 1


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
