"""What a build writes, attacked: hostile output targets (-o at a FIFO, a device, a folder, a read-only file),
hostile output names (every printable ASCII character, Vietnamese, not UTF-8), and a build killed outright
(kill -9) whose ffmpeg children and temporary files must not outlive it."""

from __future__ import annotations

import math
import os
import signal
import stat
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud import audio, config, outputs, pipeline
from readaloud.cli import cli
from readaloud.errors import InputError
from tests.helpers import children_of, cli_runner

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

    if which == "mp3" and "folder" in kind:  # `-o` naming a folder is a usage mistake, caught at the option
        assert result.exit_code == 2, result.output
        assert f"{target}: is a folder; give the MP3's file name" in result.stderr
    else:
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
    assert sorted(os.listdir(out)) == ["bai.chapters.json", "bai.mp3", "bai.vtt"]


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
    assert f"failed {src / 'a.txt'}: {out / 'a.mp3'} is a FIFO; not built" in run.stderr.splitlines()
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
    # Exactly the MP3 and its sidecars, where asked, nothing else anywhere (no stray file, no other folder).
    assert _listing(tmp_path / "out") == {folder_name: "dir", f"{folder_name}/{file_name}.mp3": "file",
                                          f"{folder_name}/{file_name}.vtt": "file",
                                          f"{folder_name}/{file_name}.chapters.json": "file"}
    assert MP3(target).info.length > 1
    assert (out / f"{file_name}.vtt").read_text(encoding="utf-8").startswith("WEBVTT")


def test_a_non_utf8_output_name_is_written_without_an_encoding_error(tmp_path, article, cfg):
    folder = tmp_path / os.fsdecode(b"th\xe0nh-ph\xf4")  # Latin-1 bytes: not UTF-8
    target = folder / os.fsdecode(b"b\xe0i-\xff.mp3")
    run = subprocess.run([EXE, "--config", str(cfg), "build", str(article), "-o", os.fsencode(target)],
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert b"Traceback" not in run.stderr and b"UnicodeEncodeError" not in run.stderr
    assert sorted(os.listdir(os.fsencode(folder))) == [b"b\xe0i-\xff.chapters.json", b"b\xe0i-\xff.mp3",
                                                       b"b\xe0i-\xff.vtt"]
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


# --- 13. kill -9: children die with the build; the next build removes what it left -------------------------


def _process_alive(pid: int, started: str) -> bool:
    """Whether `pid` is still the process that had start time `started`, and not a zombie."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z" and fields[19] == started


def _start_time(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except OSError:
        return None


def _slow_encoder(folder: Path) -> Path:
    """A folder holding an `ffmpeg` that is the real one, except that an MP3 encode reads its input in real
    time (-re): minutes instead of a second or two, so an encoder that outlived its build would be caught
    still running. The same process throughout (exec), so what happens to it happens to ffmpeg."""
    real = audio.ffmpeg_path()
    fake = folder / "ffmpeg"
    fake.write_text(f"#!{sys.executable}\nimport os, sys\nargs = sys.argv[1:]\n"
                    f"if 'libmp3lame' in args and '-i' in args:\n    args.insert(args.index('-i'), '-re')\n"
                    f"os.execv({real!r}, [{real!r}, *args])\n", encoding="utf-8")
    fake.chmod(0o755)
    return folder


def _kill_mid_encode(command: list[str], env: dict[str, str]) -> None:
    """Start `command`, SIGKILL it once an MP3 encoder of its own is at work, and check that every child it
    had then is gone within 5 s (the encoders read in real time here: they would run for minutes)."""
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    children: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and run.poll() is None:
            # This run's own encoder (a child of its process), never another ffmpeg on the machine.
            encoder = children_of(run.pid, "libmp3lame")
            if encoder:
                time.sleep(0.5)  # well into the encode
                for pid in children_of(run.pid):
                    started = _start_time(int(pid))
                    if started is not None:
                        children[int(pid)] = started
                run.kill()
                break
            time.sleep(0.01)
        run.communicate(timeout=30)
        assert children, "the encoder was never seen running"
        assert run.returncode == -signal.SIGKILL
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_process_alive(pid, t) for pid, t in children.items()):
            time.sleep(0.05)
        assert [pid for pid, t in children.items() if _process_alive(pid, t)] == []
    finally:
        for pid, started in children.items():  # only if the test failed: the children it saw, by their id
            if _process_alive(pid, started):
                os.kill(pid, signal.SIGKILL)


LONG = SHORT + "\n".join(["Các xã đã hoàn thành kế hoạch xây dựng nông thôn mới trong năm qua."] * 10)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_kill_9_mid_encode_takes_ffmpeg_along_and_the_next_build_cleans_up(tmp_path, tmp_path_factory, cfg):
    article = tmp_path / "bai.txt"
    article.write_text(LONG, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bai.mp3").write_bytes(b"earlier good file")
    scratch = tmp_path_factory.mktemp("tmpdir")  # this build's TMPDIR alone
    env = {**os.environ, "TMPDIR": str(scratch)}
    slow = {**env, "PATH": f"{_slow_encoder(tmp_path_factory.mktemp('bin'))}{os.pathsep}{env['PATH']}"}
    command = [EXE, "--config", str(cfg), "build", str(article), "-o", str(out / "bai.mp3")]
    _kill_mid_encode(command, slow)
    # What kill -9 leaves: the temporary MP3 beside the output and the work folder in TMPDIR.
    assert [p.name for p in out.iterdir() if outputs.TEMP_NAME.fullmatch(p.name)]
    assert [p.name for p in scratch.iterdir() if outputs.WORK_NAME.fullmatch(p.name)]
    assert (out / "bai.mp3").read_bytes() == b"earlier good file"

    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    assert sorted(os.listdir(out)) == ["bai.chapters.json", "bai.mp3", "bai.vtt"]
    assert list(scratch.iterdir()) == []
    assert MP3(out / "bai.mp3").info.length > 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_kill_9_of_a_sync_with_two_jobs_takes_every_ffmpeg_along(tmp_path, tmp_path_factory, cfg):
    """With --jobs 2 the encoders are started by worker threads (PR_SET_PDEATHSIG follows the thread)."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for number in range(3):
        (src / f"bai-{number}.txt").write_text(LONG.replace("2025", str(2025 + number)), encoding="utf-8")
    scratch = tmp_path_factory.mktemp("tmpdir")
    env = {**os.environ, "TMPDIR": str(scratch)}
    slow = {**env, "PATH": f"{_slow_encoder(tmp_path_factory.mktemp('bin'))}{os.pathsep}{env['PATH']}"}
    command = [EXE, "--config", str(cfg), "sync", str(src), str(out), "--jobs", "2"]
    _kill_mid_encode(command, slow)
    assert [p.name for p in out.iterdir() if outputs.TEMP_NAME.fullmatch(p.name)]

    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr
    # The lock file of the killed run is taken over and removed with the run's end, like the temporaries.
    assert sorted(os.listdir(out)) == sorted(f"bai-{n}.{kind}" for n in range(3)
                                             for kind in ("mp3", "vtt", "chapters.json"))
    assert list(scratch.iterdir()) == []


def test_stale_temporaries_are_removed_and_live_or_foreign_ones_kept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    live = outputs.Staging(out)  # a build in progress (this one)
    live.file_for(".mp3").write_bytes(b"half an mp3")
    dead = outputs.Staging(out)
    dead.file_for(".mp3").write_bytes(b"half an mp3")
    os.close(dead._fd)  # its build was killed: the kernel dropped the lock
    older = out / ".readaloud-00000000000a.tmp"
    older.write_bytes(b"a temporary file of an older readaloud, unlocked")
    fifo = out / ".readaloud-0123456789ab.tmp"
    os.mkfifo(fifo)  # planted under our naming: never opened for reading (that would block), never removed
    (tmp_path / "secret").write_text("not ours", encoding="utf-8")
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "key").write_text("not ours", encoding="utf-8")
    (out / ".readaloud-ba9876543210.tmp").symlink_to(tmp_path / "secret")
    (out / ".readaloud-ba9876543211.tmp").symlink_to(tmp_path / "secrets")
    others = [".bai.mp3.0123456789ab.tmp", ".readaloud-sync.lock", "bai.mp3", ".readaloud-XYZ.tmp"]
    for name in others:
        (out / name).write_bytes(b"x")
    try:
        assert outputs.remove_stale_temps(out) == 2
        assert not dead.path.exists() and not older.exists() and live.path.is_dir()
    finally:
        live.remove()
    assert not live.path.exists() and stat.S_ISFIFO(fifo.lstat().st_mode)
    assert (out / ".readaloud-ba9876543210.tmp").is_symlink() and (tmp_path / "secret").exists()
    assert (out / ".readaloud-ba9876543211.tmp").is_symlink() and (tmp_path / "secrets" / "key").exists()
    assert all((out / name).read_bytes() == b"x" for name in others)


def test_a_staging_folder_swapped_for_a_link_mid_build_publishes_nothing(tmp_path, monkeypatch):
    # The output folder is writable by others (a web server): one of them renames the build's staging folder
    # away and puts a link to a folder of theirs in its place, hoping the build writes or moves through it.
    from readaloud import pipeline

    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "victim.conf").write_bytes(b"DB_PASSWORD=hunter2\n")
    article = tmp_path / "a.txt"
    article.write_text(SHORT, encoding="utf-8")
    real_write_tags = pipeline.write_tags

    def swap_then_tag(mp3, info):
        staging = mp3.parent
        staging.rename(tmp_path / "moved-away")
        staging.symlink_to(victim)
        return real_write_tags(mp3, info)

    monkeypatch.setattr(pipeline, "write_tags", swap_then_tag)
    settings = config.load(None).with_engine("espeak")
    with pytest.raises(Exception):  # noqa: B017 (whatever fails first: mutagen, or the check before moving)
        pipeline.build(str(article), out / "a.mp3", settings)
    # No file of theirs is overwritten (the build's own names are random and new); what was written through
    # the link is never moved into the output folder.
    assert (victim / "victim.conf").read_bytes() == b"DB_PASSWORD=hunter2\n"
    assert not (out / "a.mp3").exists() and not (out / "a.vtt").exists()


def test_stale_work_folders_are_removed_and_live_or_foreign_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    with outputs.work_folder() as live:
        (live / "article.pcm").write_bytes(b"pcm")
        dead = tmp_path / "readaloud-build-dead0000"
        dead.mkdir()
        (dead / outputs.WORK_LOCK).write_bytes(b"")  # its owner is gone: nobody holds the lock
        (dead / "article.pcm").write_bytes(b"pcm")
        young = tmp_path / "readaloud-build-young000"
        young.mkdir()  # no lock yet: being made this instant
        old = tmp_path / "readaloud-build-old00000"
        old.mkdir()  # no lock, hours old: its maker died before it could lock it
        os.utime(old, (time.time() - 2 * outputs.UNLOCKED_WORK_AGE_S,) * 2)
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "readaloud-build-link0000").symlink_to(tmp_path / "elsewhere")
        (tmp_path / "readaloud-notes").mkdir()  # someone's own folder, not of our naming
        assert outputs.remove_stale_work_folders() == 2
        assert live.is_dir() and young.is_dir() and not dead.exists() and not old.exists()
        assert (tmp_path / "readaloud-build-link0000").is_symlink() and (tmp_path / "elsewhere").is_dir()
        assert (tmp_path / "readaloud-notes").is_dir()
    assert not live.exists()
