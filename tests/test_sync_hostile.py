"""`readaloud sync` against a hostile or broken tree (issue 10, points 5, 6, 11 and 14): a lock path that is
a link, a FIFO or someone else's file; links that loop; a tree 1000 folders deep; an article of 3 GB; a
folder where an MP3 goes. Each is refused or skipped with one line naming it, the rest of the archive is
built, nothing outside its place is touched, and nothing hangs.

Whatever could hang if it regressed (a FIFO) runs in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from readaloud import pipeline
from readaloud.cli import cli
from tests.helpers import cli_runner

LOCK = ".readaloud-sync.lock"
GOOD = "Mưa lớn\nMưa lớn ở Sa Đéc suốt đêm. Nước lên nhanh.\n"


@pytest.fixture
def tree(tmp_path):
    """(SRC, OUT, config file): two good articles, espeak-ng, loudness matching off, a clip cache."""
    src, out = tmp_path / "articles", tmp_path / "audio"
    (src / "tin").mkdir(parents=True)
    (src / "tin/mưa.txt").write_text(GOOD, encoding="utf-8")
    (src / "lũ.md").write_text("---\ntitle: Lũ về\n---\n\nNước sông dâng cao. Dân chuyển đồ lên gác.\n",
                               encoding="utf-8")
    config = tmp_path / "readaloud.toml"
    config.write_text('[engine]\nname = "espeak"\n[cache]\ndir = "clips"\n[loudness]\nenabled = false\n',
                      encoding="utf-8")
    return src, out, config


def sync(config: Path, src: Path, out: Path, *extra: str):
    """`readaloud sync` in this process: the click result and the --json report (when --json is given)."""
    result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out), *extra])
    report = json.loads(result.stdout) if "--json" in extra and result.stdout.startswith("{") else None
    return result, report


def sync_in_subprocess(config: Path, src: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`readaloud sync` in a child process that cannot hang the suite; its stderr ends with a line
    `peak-rss-kb N`, the child's peak resident memory. Read from VmHWM, which belongs to the program the
    child runs: getrusage's ru_maxrss survives exec, so it would report a large parent (the test suite)."""
    code = ("import re, sys\nfrom readaloud.cli import main\nsys.argv[0] = 'readaloud'\n"
            "try:\n    main()\nfinally:\n"
            "    status = open('/proc/self/status', encoding='ascii').read()\n"
            "    print('peak-rss-kb', re.search(r'VmHWM:\\s+(\\d+) kB', status)[1], file=sys.stderr)\n")
    return subprocess.run([sys.executable, "-c", code, "--config", str(config), "sync", str(src), str(out), *extra],
                          capture_output=True, text=True, timeout=120)


def errors(stderr: str) -> list[str]:
    """The lines that are not the child's memory figure."""
    return [line for line in stderr.splitlines() if not line.startswith("peak-rss-kb ")]


def other_lines(stderr: str) -> list[str]:
    """stderr without the "built" lines (one per article built, when stderr is not a terminal)."""
    return [line for line in stderr.splitlines() if not line.startswith("built  ")]


def files_under(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.name != LOCK)


# --- point 5: the lock file --------------------------------------------------------------------------------


def test_a_lock_path_linked_to_another_file_is_refused_and_that_file_is_untouched(tree, tmp_path):
    src, out, config = tree
    victim = tmp_path / "victim.conf"
    victim.write_bytes(b"DB_PASSWORD=hunter2\n")
    before = victim.stat()
    out.mkdir()
    (out / LOCK).symlink_to(victim)
    # A dry run does not lock at all (issue 11: it changes nothing on disk): the link is not even opened.
    result, _ = sync(config, src, out, "--dry-run")
    assert result.exit_code == 0 and (out / LOCK).is_symlink()
    assert victim.read_bytes() == b"DB_PASSWORD=hunter2\n" and victim.stat().st_mtime_ns == before.st_mtime_ns
    result, _ = sync(config, src, out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"readaloud: error: {out / LOCK}: is a link, not readaloud's lock file; not touched (remove it to sync)"]
    assert victim.read_bytes() == b"DB_PASSWORD=hunter2\n" and victim.stat().st_mtime_ns == before.st_mtime_ns
    assert files_under(out) == []  # nothing built

    # A dangling link is not followed to create its target either.
    (out / LOCK).unlink()
    (out / LOCK).symlink_to(tmp_path / "created-by-the-lock")
    result, report = sync(config, src, out, "--json")
    assert result.exit_code == 1 and report["ok"] is False and "is a link" in report["error"]
    assert not (tmp_path / "created-by-the-lock").exists()


@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)], ids=["sync", "dry-run"])
def test_a_fifo_at_the_lock_path_is_refused_without_hanging(tree, dry_run):
    src, out, config = tree
    out.mkdir()
    os.mkfifo(out / LOCK)
    done = sync_in_subprocess(config, src, out, *dry_run)  # would block forever on opening the FIFO
    if dry_run:  # a dry run takes no lock: the FIFO is never opened
        assert done.returncode == 0 and "2 would be built" in done.stdout
        assert stat.S_ISFIFO(os.lstat(out / LOCK).st_mode)
        return
    assert done.returncode == 1
    assert errors(done.stderr) == [
        f"readaloud: error: {out / LOCK}: is a FIFO, not readaloud's lock file; not touched (remove it to sync)"]
    assert done.stdout == "" and files_under(out) == []


def test_a_lock_path_that_is_a_hard_link_a_folder_or_another_file_is_refused_untouched(tree, tmp_path):
    src, out, config = tree
    out.mkdir()
    other = tmp_path / "notes.txt"
    other.write_bytes(b"12345\n")  # pid-like content: only the second name gives it away
    os.link(other, out / LOCK)
    result, _ = sync(config, src, out)
    assert result.exit_code == 1 and result.stderr.splitlines() == [
        f"readaloud: error: {out / LOCK}: has other names (hard links), not readaloud's lock file; "
        "not touched (remove it to sync)"]
    assert other.read_bytes() == b"12345\n"

    (out / LOCK).unlink()
    (out / LOCK).write_bytes(b"something of someone's\n")
    result, _ = sync(config, src, out)
    assert result.exit_code == 1 and "holds something other than a pid" in result.stderr
    assert (out / LOCK).read_bytes() == b"something of someone's\n"

    (out / LOCK).unlink()
    (out / LOCK).mkdir()
    result, _ = sync(config, src, out)
    assert result.exit_code == 1 and f"{out / LOCK}: is a folder, not readaloud's lock file" in result.stderr
    assert files_under(out) == []


def test_an_old_lock_file_is_taken_over_and_removed_after_the_run(tree):
    src, out, config = tree
    out.mkdir()
    (out / LOCK).write_bytes(b"4242\n")  # left by a run killed mid-way (an older readaloud)
    result, _ = sync(config, src, out)
    assert result.exit_code == 0, result.stderr
    assert not (out / LOCK).exists()  # OUT is the public folder: nothing of the run's own is left there
    assert files_under(out) == ["lũ.chapters.json", "lũ.mp3", "lũ.vtt", "tin", "tin/mưa.chapters.json", "tin/mưa.mp3",
                                "tin/mưa.vtt"]
    result, _ = sync(config, src, out)
    assert result.exit_code == 0 and "0 built, 2 up to date" in result.stdout


# --- point 6: links that loop, a tree 1000 folders deep -------------------------------------------------


def test_links_that_loop_are_reported_and_skipped_and_the_rest_is_built(tree):
    src, out, config = tree
    (src / "a.txt").symlink_to("b.txt")
    (src / "b.txt").symlink_to("a.txt")
    (src / "tin/self.md").symlink_to("self.md")
    (src / "tin/up").symlink_to("..")  # a folder link to its parent: a cycle os.walk would not follow
    (src / "vòng").symlink_to("vòng")  # a folder-like name that loops: not an article, ignored
    result, report = sync(config, src, out, "--json")
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    assert other_lines(result.stderr) == [f"readaloud: warning: {src / name}: a link that loops; skipped"
                                          for name in ("a.txt", "b.txt", "tin/self.md")]
    assert (report["built"], report["failed"]) == (2, 0)
    assert files_under(out) == ["lũ.chapters.json", "lũ.mp3", "lũ.vtt", "tin", "tin/mưa.chapters.json", "tin/mưa.mp3",
                                "tin/mưa.vtt"]


def test_an_mp3_path_that_is_a_link_loop_fails_that_article_only(tree):
    src, out, config = tree
    (out / "tin").mkdir(parents=True)
    (out / "tin/mưa.mp3").symlink_to("mưa.mp3")
    result, report = sync(config, src, out, "--json")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert other_lines(result.stderr) == [
        f"failed {src / 'tin/mưa.txt'}: {out / 'tin/mưa.mp3'}: a link that loops; not built"]
    assert (report["built"], report["failed"]) == (1, 1)
    assert (out / "tin/mưa.mp3").is_symlink() and (out / "lũ.mp3").is_file()


def chain(root: Path, name: str, levels: int) -> int:
    """`levels` nested folders `name/name/...` under root, made through folder descriptors (the full path
    may exceed PATH_MAX, and os.makedirs recurses once per level); returns a descriptor of the deepest."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(levels):
        os.mkdir(name, dir_fd=fd)
        deeper = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = deeper
    return fd


def write_article(folder_fd: int) -> None:
    """bài.txt (a good article) in the folder, which is then closed."""
    fd = os.open("bài.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder_fd)
    os.write(fd, GOOD.encode())
    os.close(fd)
    os.close(folder_fd)


def remove_chain(root: Path, name: str) -> None:
    """Remove a chain made by chain() and whatever files its folders hold, without recursion (shutil.rmtree
    recurses once per level)."""
    fds = [os.open(root, os.O_RDONLY | os.O_DIRECTORY)]
    while name in os.listdir(fds[-1]):
        fds.append(os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fds[-1]))
    for level in range(len(fds) - 1, 0, -1):
        for entry in os.listdir(fds[level]):
            os.unlink(entry, dir_fd=fds[level])
        os.close(fds[level])
        os.rmdir(name, dir_fd=fds[level - 1])
    os.close(fds[0])


def test_a_tree_1000_folders_deep_is_built_and_one_too_long_to_list_is_reported(tree):
    src, out, config = tree
    (src / "sâu").mkdir()
    (src / "dài").mkdir()
    try:
        deepest = chain(src / "sâu", "d", 1000)  # a path of ~2 KB: listable, buildable
        write_article(deepest)
        too_long = chain(src / "dài", "e", 2100)  # over PATH_MAX (4096): cannot be listed by its path
        write_article(too_long)

        result, report = sync(config, src, out, "--json")
        assert result.exit_code == 0 and "Traceback" not in result.stderr
        [line] = other_lines(result.stderr)  # the one folder that cannot be listed, named
        assert line.startswith(f"readaloud: warning: {src / 'dài'}/e/e/")
        assert line.endswith("/e: cannot be listed (File name too long); the articles in it are skipped")
        assert (report["built"], report["failed"]) == (3, 0)
        deep_mp3 = out / "sâu" / Path(*["d"] * 1000) / "bài.mp3"
        assert deep_mp3.is_file() and deep_mp3.with_suffix(".vtt").is_file()
        assert (out / "tin/mưa.mp3").is_file() and (out / "lũ.mp3").is_file()

        result, report = sync(config, src, out, "--json")  # and the next night it is up to date
        assert (report["up_to_date"], report["failed"]) == (3, 0)
    finally:
        remove_chain(src / "sâu", "d")
        remove_chain(src / "dài", "e")
        if (out / "sâu").exists():
            remove_chain(out / "sâu", "d")


# --- point 11: the size limit before any read --------------------------------------------------------------


def test_a_3_gb_article_is_refused_from_its_size_without_being_read(tree):
    src, out, config = tree
    result, _ = sync(config, src, out)
    assert result.exit_code == 0
    # Its MP3 is there and current, so the check gets as far as hashing the article: then it grows to 3 GB
    # (sparse: no disk used).
    with open(src / "tin/mưa.txt", "r+b") as article:
        article.truncate(3_000_000_000)
    for extra in ((), ("--dry-run",)):
        done = sync_in_subprocess(config, src, out, *extra)
        assert done.returncode == 1
        assert errors(done.stderr) == [
            f"failed {src / 'tin/mưa.txt'}: over the 2 MB limit for one article "
            "(set [reading] max_article_bytes to change it)"]
        assert "0 up to date" not in done.stdout and "1 up to date, 1 failed" in done.stdout
        peak_mb = int(done.stderr.split("peak-rss-kb ")[1]) / 1024
        assert peak_mb < 200, f"peak memory {peak_mb:.0f} MB"  # read whole, it was over 3000 MB
    assert (src / "tin/mưa.txt").stat().st_size == 3_000_000_000


def test_an_article_just_over_the_limit_set_in_the_settings_is_refused_and_one_at_it_is_checked(tree):
    src, out, config = tree
    size = len(GOOD.encode())
    config.write_text(config.read_text(encoding="utf-8") + f"[reading]\nmax_article_bytes = {size}\n",
                      encoding="utf-8")
    result, report = sync(config, src, out, "--json")
    assert result.exit_code == 1 and report["failed"] == 1  # lũ.md is a little longer
    result, report = sync(config, src, out, "--json")
    assert report["up_to_date"] == 1 and report["failed"] == 1  # mưa.txt, exactly at the limit, hashed in full
    (src / "tin/mưa.txt").write_text(GOOD + "x", encoding="utf-8")
    result, report = sync(config, src, out, "--json")
    assert report["failed"] == 2 and "over the" in result.stderr


# --- point 14: something other than a file where an MP3 goes ----------------------------------------------


def test_a_folder_where_the_mp3_goes_is_reported_in_one_line_each_run_and_never_built(tree, monkeypatch):
    src, out, config = tree
    (out / "tin/mưa.mp3").mkdir(parents=True)
    (out / "tin/mưa.mp3/keep.txt").write_text("mine", encoding="utf-8")
    built: list[str] = []
    real_build = pipeline.build

    def counting_build(path, output, settings, **kwargs):
        built.append(Path(path).name)
        return real_build(path, output, settings, **kwargs)

    monkeypatch.setattr(pipeline, "build", counting_build)
    for night, expected in ((1, "1 built, 0 up to date"), (2, "0 built, 1 up to date")):
        result, _ = sync(config, src, out)
        assert result.exit_code == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[0] == \
            f"failed {src / 'tin/mưa.txt'}: {out / 'tin/mưa.mp3'} is a folder; not built"
        assert len([line for line in result.stderr.splitlines() if "mưa" in line]) == 1, night
        assert f"sync: {expected}, 1 failed" in result.stdout
    assert built == ["lũ.md"]  # never attempted: no engine work thrown away every night
    assert (out / "tin/mưa.mp3/keep.txt").read_text(encoding="utf-8") == "mine"

    result, _ = sync(config, src, out, "--dry-run")
    assert result.exit_code == 1 and f"{out / 'tin/mưa.mp3'} is a folder; not built" in result.stderr

    # The captions' place counts too: the MP3 would be built and then fail on its sidecar.
    (out / "tin/mưa.mp3/keep.txt").unlink()
    (out / "tin/mưa.mp3").rmdir()
    (out / "tin/mưa.vtt").mkdir()
    result, _ = sync(config, src, out)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"failed {src / 'tin/mưa.txt'}: {out / 'tin/mưa.vtt'} is a folder; not built"]
    assert not (out / "tin/mưa.mp3").exists() and built == ["lũ.md"]


def test_a_fifo_where_the_mp3_goes_is_reported_without_hanging(tree):
    src, out, config = tree
    (out / "tin").mkdir(parents=True)
    os.mkfifo(out / "tin/mưa.mp3")  # reading its tag would block forever
    done = sync_in_subprocess(config, src, out)
    assert done.returncode == 1
    lines = errors(done.stderr)
    assert lines[0] == f"failed {src / 'tin/mưa.txt'}: {out / 'tin/mưa.mp3'} is a FIFO; not built"
    assert len(lines) == 2 and lines[1].startswith(f"built  {out / 'lũ.mp3'}  (new; ")
    assert (out / "lũ.mp3").is_file() and not (out / "tin/mưa.vtt").exists()


def test_a_failed_article_leaves_no_empty_folders_in_out(tree):
    src, out, config = tree
    (src / "mới/tuần này").mkdir(parents=True)
    (src / "mới/tuần này/rỗng.txt").write_text("   \n", encoding="utf-8")
    result, report = sync(config, src, out, "--json")
    assert result.exit_code == 1 and (report["built"], report["failed"]) == (2, 1)
    assert not (out / "mới").exists()


def test_a_lock_taken_on_a_file_removed_meanwhile_is_not_trusted(tmp_path, monkeypatch):
    # The run holding the lock removes the file as it ends; a run that opened that file just before locks a
    # file with no name, and must notice and lock the file that has the name instead.
    import fcntl

    from readaloud import sync as syncing

    out = tmp_path / "out"
    out.mkdir()
    real_open = syncing._open_lock
    opened: list[int] = []

    def open_then_lose_the_race(path):
        fd = real_open(path)
        if not opened:
            os.unlink(path)  # the other run's last act
        opened.append(fd)
        return fd

    monkeypatch.setattr(syncing, "_open_lock", open_then_lose_the_race)
    with syncing.hold_lock(out) as path:
        assert len(opened) == 2 and path.exists()
        with open(path, "rb") as rival, pytest.raises(BlockingIOError):
            fcntl.flock(rival, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the named file is the one held
    assert not path.exists()
