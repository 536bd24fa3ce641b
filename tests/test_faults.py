"""Faults injected into the network, the engine and the system: every run ends in a retry that succeeds, a
fallback, or a clear failure, and never leaves a partial file or loses an earlier good one."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import responses
from mutagen.mp3 import MP3

from readaloud import audio
from readaloud.audio import runner as audio_runner
from readaloud.cache import CachedEngine, ClipCache, clip_key
from readaloud.cli import cli
from readaloud.config import GttsSettings
from readaloud.engines.gtts import GttsEngine
from readaloud.engines.runner import RetryPolicy, synthesize_in_order
from readaloud.engines.throttle import RateLimiter, Throttled
from readaloud.errors import TransientEngineError
from tests.helpers import ROOT, children_of, cli_runner
from tests.helpers.google import google_reply

ENDPOINT = re.compile(r"https://translate\.google\.com/.*")
EXE = str(Path(sys.executable).with_name("readaloud"))
SHORT = ("Tin ngắn buổi sáng\nUBND tỉnh họp bàn kế hoạch năm 2025. Các sở báo cáo tiến độ.\nPHẦN HAI\n"
         "Nông dân phấn khởi.\n")


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def newsroom(tmp_path):
    """An article with an earlier good MP3 beside it; the test checks that nothing else appears."""
    (tmp_path / "bai.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "bai.mp3").write_bytes(b"earlier good file")
    return tmp_path


# --- Google faults: each ends in a retry that succeeds, or a clean failure --------------------------------


def _once_then_audio(first, tone_mp3):
    state = {"n": 0}

    def reply(request):
        state["n"] += 1
        if state["n"] == 1:
            if isinstance(first, Exception):
                raise first
            return first
        return 200, {}, google_reply(tone_mp3)

    return reply


@pytest.mark.parametrize("first", [
    (429, {"Retry-After": "1"}, "slow down"),
    (429, {}, "slow down"),
    (500, {}, "oops"),
    (503, {"Retry-After": "2"}, "unavailable"),
    requests.ConnectionError("connection refused"),
    requests.ReadTimeout("read timed out"),
    requests.exceptions.ChunkedEncodingError("connection reset mid-body"),
    (200, {}, ")]}'\n\n12\n[[\"di\",1]]\n"),  # no audio at all
], ids=["429-retry-after", "429", "500", "503", "refused", "read-timeout", "reset", "no-audio"])
@responses.activate
def test_one_fault_then_success(first, tone_mp3, tmp_path):
    responses.add_callback(responses.POST, ENDPOINT, callback=_once_then_audio(first, tone_mp3))
    waits: list[float] = []
    cache = ClipCache(tmp_path / "clips")
    engine = CachedEngine(GttsEngine(), cache)
    clips = list(synthesize_in_order(engine, ["xin chào"], RetryPolicy(), sleep=waits.append))
    assert len(clips) == 1 and clips[0].audio.samples > 0
    assert len(responses.calls) == 2 and len(waits) == 1
    if isinstance(first, tuple) and "Retry-After" in first[1]:
        assert waits == [float(first[1]["Retry-After"])]
    assert len(list(cache.folder.glob("??/*.clip"))) == 1  # only the good clip was kept


@pytest.mark.parametrize("bad", ["truncated", "not-mp3"])
@responses.activate
def test_broken_audio_is_never_cached_or_played(bad, tone_mp3, tmp_path):
    payload = tone_mp3[: len(tone_mp3) * 2 // 3] if bad == "truncated" else b"<html>captcha</html>" * 20
    responses.add(responses.POST, ENDPOINT, body=google_reply(payload))
    cache = ClipCache(tmp_path / "clips")
    with pytest.raises(TransientEngineError, match="not whole MP3 audio"):
        list(synthesize_in_order(CachedEngine(GttsEngine(), cache), ["xin chào"], RetryPolicy(attempts=3),
                                 sleep=lambda _: None))
    assert len(responses.calls) == 3
    assert not cache.folder.exists() or not list(cache.folder.rglob("*.clip"))


class _Endless(io.RawIOBase):
    """A reply body that never ends: a line every few milliseconds, until the test stops it."""

    def __init__(self, stop: threading.Event):
        self.stop = stop

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.stop.wait(0.005):
            return 0
        chunk = b"[\"still\",\"going\"]\n"
        buffer[: len(chunk)] = chunk
        return len(chunk)


@responses.activate
def test_a_reply_that_never_ends_is_cut_off_and_retried(tone_mp3, tmp_path):
    stop = threading.Event()
    state = {"n": 0}

    def reply(request):
        state["n"] += 1
        if state["n"] == 1:
            return 200, {}, io.BufferedReader(_Endless(stop))
        return 200, {}, google_reply(tone_mp3)

    responses.add_callback(responses.POST, ENDPOINT, callback=reply)
    cache = ClipCache(tmp_path / "clips")
    engine = CachedEngine(GttsEngine(GttsSettings(timeout_s=0.2)), cache)
    started = time.monotonic()
    try:
        clips = list(synthesize_in_order(engine, ["xin chào"], RetryPolicy(), sleep=lambda _: None))
    finally:
        stop.set()
    assert len(clips) == 1 and state["n"] == 2
    assert time.monotonic() - started < 5  # deadline 0.6 s, not forever
    # The cut-off reply left nothing behind: the cache holds exactly one entry, the good clip, whole and
    # playable, and no temporary file of an abandoned write.
    key = clip_key(engine.identity(), "xin chào")
    assert sorted(p.relative_to(cache.folder) for p in cache.folder.rglob("*") if p.is_file()) == [
        cache.path_for(key).relative_to(cache.folder)]
    stored = cache.get(key)
    assert stored is not None and stored.original == tone_mp3 and stored.audio.samples > 0
    assert stored.audio.pcm == clips[0].audio.pcm


def test_rate_cap_holds_across_threads():
    starts: list[float] = []
    lock = threading.Lock()

    class Fake:
        name, max_chars, concurrency = "fake", 100, 8

        def identity(self):
            return "fake"

        def synthesize(self, text):
            with lock:
                starts.append(time.monotonic())

    engine = Throttled(Fake(), RateLimiter(10.0))
    threads = [threading.Thread(target=lambda: [engine.synthesize("x") for _ in range(5)]) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert len(starts) == 20
    # No window of one second holds more than 10 starts.
    worst = max(sum(1 for t in starts if s <= t < s + 1.0) for s in starts)
    assert worst <= 10
    assert starts[-1] - starts[0] >= 1.0  # the 11th start waited for the first to leave the window


# --- System faults: through the real command, in a subprocess --------------------------------------------


def _build(newsroom: Path, *extra, preexec=None, env=None, timeout=120):
    return subprocess.run([EXE, "build", str(newsroom / "bai.txt"), "-o", str(newsroom / "bai.mp3"),
                           "--engine", "espeak", *extra], capture_output=True, text=True, cwd=newsroom,
                          preexec_fn=preexec, env=env, timeout=timeout)


def test_ffmpeg_missing(newsroom, monkeypatch):
    import imageio_ffmpeg

    audio.ffmpeg_path.cache_clear()
    monkeypatch.setattr("shutil.which", lambda name: None)

    def gone():
        raise RuntimeError("No ffmpeg exe could be found")

    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", gone)
    try:
        result = cli_runner().invoke(cli, ["build", str(newsroom / "bai.txt"), "-o", str(newsroom / "bai.mp3"),
                                           "--engine", "espeak"])
    finally:
        audio.ffmpeg_path.cache_clear()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "readaloud: error: ffmpeg not found: install ffmpeg or the imageio-ffmpeg package (No ffmpeg exe could be "
        "found)"]
    assert folder_state(newsroom) == {"bai.mp3": b"earlier good file", "bai.txt": SHORT.encode()}


def test_ffmpeg_failing(newsroom, monkeypatch, tmp_path_factory):
    fake = tmp_path_factory.mktemp("bin") / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'Conversion failed: simulated codec error' >&2\nexit 1\n")
    fake.chmod(0o755)
    audio.ffmpeg_path.cache_clear()
    monkeypatch.setattr(audio_runner, "ffmpeg_path", lambda: str(fake))
    result = cli_runner().invoke(cli, ["build", str(newsroom / "bai.txt"), "-o", str(newsroom / "bai.mp3"),
                                       "--engine", "espeak"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("readaloud: error: ")
    assert lines[0].endswith("failed: Conversion failed: simulated codec error")  # ffmpeg's own last line
    assert folder_state(newsroom) == {"bai.mp3": b"earlier good file", "bai.txt": SHORT.encode()}


def test_ffmpeg_killed_mid_encode(newsroom):
    long_text = SHORT + "\n".join(["Các xã đã hoàn thành kế hoạch xây dựng nông thôn mới trong năm qua."] * 20)
    (newsroom / "bai.txt").write_text(long_text, encoding="utf-8")
    run = subprocess.Popen([EXE, "build", str(newsroom / "bai.txt"), "-o", str(newsroom / "bai.mp3"), "--engine",
                            "espeak"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = False
    deadline = time.monotonic() + 60
    while not killed and time.monotonic() < deadline and run.poll() is None:
        # Only this build's own encoder (a child of its process), never another ffmpeg on the machine.
        found = children_of(run.pid, "libmp3lame")
        for pid in found:
            try:
                os.kill(int(pid), signal.SIGKILL)
                killed = True
            except ProcessLookupError:
                pass
        time.sleep(0.02)
    _, err = run.communicate(timeout=120)
    assert killed, "the encoder was never seen running"
    assert run.returncode == 1
    assert err.strip().splitlines() == [err.strip()] and "ffmpeg was killed by SIGKILL" in err
    assert folder_state(newsroom) == {"bai.mp3": b"earlier good file", "bai.txt": long_text.encode()}
    again = _build(newsroom)
    assert again.returncode == 0 and MP3(newsroom / "bai.mp3").info.length > 10


def test_read_only_output_folder(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "bai.mp3").write_bytes(b"earlier good file")
    article = tmp_path / "bai.txt"
    article.write_text(SHORT, encoding="utf-8")
    # chmod does not stop root (CI runs as root), so the folder is made read-only the way a full or
    # remounted volume is: a read-only bind mount.
    mounted = subprocess.run(f"mount --bind {out} {out} && mount -o remount,ro,bind {out}", shell=True,
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {mounted.stderr.strip()}")
    try:
        run = subprocess.run([EXE, "build", str(article), "-o", str(out / "bai.mp3"), "--engine", "espeak"],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)
        state = folder_state(out)
    finally:
        subprocess.run(["umount", str(out)], check=True)
    assert run.returncode == 1, run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Read-only file system" in run.stderr, run.stderr
    assert state == {"bai.mp3": b"earlier good file"}


def test_disk_full(newsroom):
    def small_disk():
        # Any file write past 150 kB fails (EFBIG / SIGXFSZ), as on a full disk.
        resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))

    long_text = SHORT + "\n".join(["Các xã đã hoàn thành kế hoạch xây dựng nông thôn mới trong năm qua."] * 20)
    (newsroom / "bai.txt").write_text(long_text, encoding="utf-8")
    full = _build(newsroom, preexec=small_disk)
    assert full.returncode == 1
    # One error; the clip cache, on the same full disk, may add its one warning that it is no longer written.
    lines = [line for line in full.stderr.strip().splitlines() if not line.startswith("readaloud: warning: clip")]
    assert len(lines) == 1 and len(full.stderr.strip().splitlines()) <= 2, full.stderr
    assert "too large" in full.stderr or "SIGXFSZ" in full.stderr
    assert folder_state(newsroom) == {"bai.mp3": b"earlier good file", "bai.txt": long_text.encode()}
    again = _build(newsroom)
    assert again.returncode == 0 and MP3(newsroom / "bai.mp3").info.length > 5


def _own_tmpdir(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A temporary folder for one child process alone (TMPDIR), and the environment that gives it: what is
    left in it afterwards was left by that child, and nothing else on the machine writes there."""
    folder = tmp_path_factory.mktemp("tmpdir")
    return folder, {**os.environ, "TMPDIR": str(folder)}


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopped_mid_build_leaves_nothing_half_written(newsroom, signum, tmp_path_factory):
    long_text = SHORT + "\n".join(["Các xã đã hoàn thành kế hoạch xây dựng nông thôn mới trong năm qua."] * 20)
    (newsroom / "bai.txt").write_text(long_text, encoding="utf-8")
    scratch, env = _own_tmpdir(tmp_path_factory)
    run = subprocess.Popen([EXE, "build", str(newsroom / "bai.txt"), "-o", str(newsroom / "bai.mp3"), "--engine",
                            "espeak"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Wait until the work is under way (an ffmpeg child exists and the build's scratch folder is in
    # TMPDIR), then stop it.
    under_way = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        children = children_of(run.pid)
        if children and list(scratch.glob("readaloud-*")):
            under_way = True
            break
        time.sleep(0.02)
    run.send_signal(signum)
    _, err = run.communicate(timeout=120)
    assert under_way, f"the build was never seen at work in {scratch}: {err}"
    assert run.returncode == 128 + signum, err
    assert f"stopped by {signal.Signals(signum).name}" in err
    assert folder_state(newsroom) == {"bai.mp3": b"earlier good file", "bai.txt": long_text.encode()}
    assert list(scratch.iterdir()) == []  # its scratch folder (readaloud-*) was removed on the way out
    again = _build(newsroom)
    assert again.returncode == 0 and MP3(newsroom / "bai.mp3").info.length > 10


SYNC_LOCK = ".readaloud-sync.lock"


def _sync_article(number: int) -> str:
    """A short article whose every sentence is its own (no clip shared with another article)."""
    return (f"Tin số {number}: xã {number} họp dân\n"
            f"Sáng nay xã {number} họp với {number * 37 + 12} hộ dân về mùa nước nổi. "
            f"Có {number * 5 + 3} ý kiến đề nghị nạo vét kênh số {number}. "
            f"Xã {number} sẽ làm xong trước ngày {number % 28 + 1} tháng sau.\n")


def _sync(config: Path, src: Path, out: Path, env: dict[str, str], *extra: str, timeout: float = 300):
    return subprocess.run([EXE, "--config", str(config), "sync", str(src), str(out), "--engine", "espeak", *extra],
                          capture_output=True, text=True, env=env, timeout=timeout)


def _files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("jobs", [1, 2])
def test_sigterm_mid_sync_keeps_finished_mp3s_and_leaves_nothing_half_written(tmp_path, tmp_path_factory, jobs):
    from mutagen.id3 import ID3

    src, out = tmp_path / "articles", tmp_path / "audio"
    config = tmp_path / "readaloud.toml"
    config.write_text('[engine]\nname = "espeak"\n[cache]\ndir = "clips"\n[loudness]\nenabled = false\n',
                      encoding="utf-8")
    scratch, env = _own_tmpdir(tmp_path_factory)
    # Two articles an earlier night built.
    old = {f"cu/bai-{n}.txt": _sync_article(n) for n in (1, 2)}
    for name, text in old.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    first = _sync(config, src, out, env, "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["built"] == 2
    earlier = _files_under(out)
    assert set(earlier) == {f"cu/bai-{n}.{kind}" for n in (1, 2) for kind in ("mp3", "vtt", "chapters.json")}  # no lock
    # Tonight: 16 new articles, far more than get built before the run is stopped.
    new = {f"moi/bai-{n:02}.txt": _sync_article(n) for n in range(10, 26)}
    for name, text in new.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")

    run = subprocess.Popen([EXE, "--config", str(config), "sync", str(src), str(out), "--engine", "espeak",
                            "--jobs", str(jobs)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    # Stop it once a new MP3 is finished and another article's build is under way (its scratch folder is
    # in TMPDIR).
    under_way = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        if list((out / "moi").glob("*.mp3")) and list(scratch.glob("readaloud-*")):
            under_way = True
            run.send_signal(signal.SIGTERM)
            break
        time.sleep(0.005)
    stdout, err = run.communicate(timeout=120)
    assert under_way, f"the sync was never seen mid-run (exit {run.returncode}): {err}"
    assert run.returncode == 143, err
    assert "readaloud: stopped by SIGTERM" in err
    assert stdout == ""  # no summary: the run did not finish

    # Nothing half-written anywhere in OUT: no hidden temporary file (.name.mp3.XXXX.tmp), only whole MP3s
    # each with its captions and chapters; the lock file removed on the way out.
    after = _files_under(out)
    assert [name for name in after if Path(name).name.startswith(".")] == []
    assert all(name.endswith((".mp3", ".vtt", ".chapters.json")) for name in after), sorted(after)
    mp3s = sorted(name for name in after if name.endswith(".mp3"))
    for kind in (".vtt", ".chapters.json"):
        assert sorted(name for name in after if name.endswith(kind)) == [n[:-4] + kind for n in mp3s]
    kept = [name for name in mp3s if name.startswith("moi/")]
    assert 1 <= len(kept) < len(new), kept  # stopped mid-run: some built, not all
    for name in kept:
        source = src / (name[:-4] + ".txt")
        mp3 = out / name
        assert ID3(mp3)["TXXX:readaloud:source-sha256"].text == [hashlib.sha256(source.read_bytes()).hexdigest()]
        assert MP3(mp3).info.length > 3
        assert after[name[:-4] + ".vtt"].decode("utf-8").startswith("WEBVTT")
    # The MP3s of earlier nights are untouched, byte for byte.
    assert {name: after[name] for name in earlier} == earlier
    # No scratch folder left in TMPDIR, none in the clip cache's folders either.
    assert list(scratch.iterdir()) == []
    assert list((tmp_path / "clips").rglob(".*.tmp")) == []
    assert SYNC_LOCK not in after

    # The next run starts (no "another sync is running") and completes every article: the ones finished
    # before the stop are whole and up to date; the rest are built now.
    again = _sync(config, src, out, env, "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["built"], report["up_to_date"], report["failed"]) == (len(new) - len(kept), 2 + len(kept), 0)
    built_now = {Path(o["output"]).relative_to(out).as_posix() for o in report["articles"] if o["action"] == "built"}
    assert built_now == {name[:-4] + ".mp3" for name in new} - set(kept)
    final = _files_under(out)
    assert {name for name in final if name.endswith(".mp3")} == {
        name[:-4] + ".mp3" for name in [*old, *new]}
    assert {name: final[name] for name in earlier} == earlier
    assert {name: final[name] for name in kept} == {name: after[name] for name in kept}
    assert list(scratch.iterdir()) == []


def test_json_result_on_failure_is_still_parseable(newsroom):
    (newsroom / "bai.txt").write_text("", encoding="utf-8")
    run = _build(newsroom, "--json")
    assert run.returncode == 1
    payload = json.loads(run.stdout)
    assert payload["ok"] is False and "empty" in payload["error"]
    assert ROOT.exists()  # the repository was not touched
