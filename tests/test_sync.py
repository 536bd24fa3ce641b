"""`readaloud sync`, the nightly job: exactly the work that is needed, and nothing lost."""

from __future__ import annotations

import fcntl
import json
import re
from pathlib import Path

import pytest
import requests
import responses
from mutagen.id3 import ID3

from readaloud import pipeline
from readaloud.cli import cli
from readaloud.engines.espeak import EspeakEngine
from readaloud.reader import read_article

from .conftest import cli_runner, google_reply

ARTICLES = {
    "thoi-su/lua.txt": "Lúa trúng mùa\nNông dân Tháp Mười phấn khởi. Giá lúa tăng 5%.\n",
    "thoi-su/hop.txt": "Họp tổng kết\nUBND tỉnh họp tổng kết năm 2024. Các sở báo cáo kết quả.\n",
    "giao-duc/khai giảng.md": "---\ntitle: Khai giảng\n---\nHọc sinh Sa Đéc vào năm học mới. Trường sạch đẹp.\n",
    "-lạ/tin ngắn.txt": "Tin ngắn\nMưa lớn ở Tân Hồng. Nước lên nhanh.\n",
}


@pytest.fixture
def archive(tmp_path):
    src, out = tmp_path / "articles", tmp_path / "audio"
    for name, text in ARTICLES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (tmp_path / "lexicon.toml").write_text('[words]\n"ĐTO" = "Đồng Tháp Online"\n', encoding="utf-8")
    config = tmp_path / "readaloud.toml"
    config.write_text('[engine]\nname = "espeak"\n[reading]\nlexicon = "lexicon.toml"\n[cache]\ndir = "clips"\n'
                      "[loudness]\nenabled = false\n", encoding="utf-8")
    return src, out, config


@pytest.fixture
def calls(monkeypatch):
    spoken: list[str] = []
    original = EspeakEngine.synthesize
    monkeypatch.setattr(EspeakEngine, "synthesize", lambda self, text: spoken.append(text) or original(self, text))
    return spoken


def sync(config: Path, src: Path, out: Path, *extra: str):
    result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out), "--json", *extra])
    return result, (json.loads(result.stdout) if result.stdout.strip().startswith("{") else None)


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(out)): (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != ".readaloud-sync.lock"}


def test_first_sync_mirrors_the_tree_and_a_second_does_nothing(archive, calls):
    src, out, config = archive
    result, report = sync(config, src, out)
    assert result.exit_code == 0, result.output
    assert report["built"] == 4 and report["failed"] == 0
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.mp3")) == [
        "-lạ/tin ngắn.mp3", "giao-duc/khai giảng.mp3", "thoi-su/hop.mp3", "thoi-su/lua.mp3"]
    first_calls = len(calls)
    assert first_calls > 0
    before = snapshot(out)
    calls.clear()
    result, report = sync(config, src, out)
    assert result.exit_code == 0 and report["up_to_date"] == 4 and report["built"] == 0
    assert calls == []  # zero engine calls
    assert snapshot(out) == before  # no file rewritten: same bytes, same modification times


def test_editing_one_sentence_speaks_only_that_sentence(archive, calls):
    src, out, config = archive
    sync(config, src, out)
    article = src / "thoi-su/hop.txt"
    settings = cli_settings(config)
    before = {c.spoken for c in pipeline.plan(read_article(str(article)), settings).chunks}
    article.write_text(ARTICLES["thoi-su/hop.txt"].replace("Các sở báo cáo kết quả.", "Các sở báo cáo tiến độ."),
                       encoding="utf-8")
    after = [c.spoken for c in pipeline.plan(read_article(str(article)), settings).chunks]
    calls.clear()
    result, report = sync(config, src, out)
    assert [o["reason"] for o in report["articles"] if o["action"] == "built"] == ["source changed"]
    assert calls == [text for text in after if text not in before]
    assert len(calls) == 1


def cli_settings(config: Path):
    from readaloud import config as cfg

    return cfg.load(config)


def test_a_lexicon_change_rebuilds_exactly_the_articles_with_the_word(archive, calls):
    src, out, config = archive
    sync(config, src, out)
    before = snapshot(out)
    (config.parent / "lexicon.toml").write_text('[words]\n"ĐTO" = "Đồng Tháp Online"\n"Sa Đéc" = "Sa Đét"\n',
                                                encoding="utf-8")
    calls.clear()
    result, report = sync(config, src, out)
    built = [(Path(o["source"]).name, o["reason"]) for o in report["articles"] if o["action"] == "built"]
    assert built == [("khai giảng.md", "lexicon changed")]
    assert any("Sa Đét" in text for text in calls)
    after = snapshot(out)
    assert {k for k in after if after[k] != before[k]} == {"giao-duc/khai giảng.mp3", "giao-duc/khai giảng.vtt"}


@responses.activate
def test_a_fallback_article_is_upgraded_when_google_answers(archive, tone_mp3):
    src, out, config = archive
    config.write_text(config.read_text(encoding="utf-8").replace('name = "espeak"', 'name = "auto"')
                      + "[gtts]\nbackoff_s = 0.01\nmax_requests_per_s = 100.0\n", encoding="utf-8")
    endpoint = re.compile(r"https://translate\.google\.com/.*")
    responses.add(responses.POST, endpoint, body=requests.ConnectionError("no network tonight"))
    result, report = sync(config, src, out)
    assert report["built"] == 4 and all(o["fallback"] for o in report["articles"])
    mp3 = out / "thoi-su/lua.mp3"
    assert ID3(mp3)["TXXX:readaloud:engine"].text[0].startswith("espeak-ng")
    responses.replace(responses.POST, endpoint, body=google_reply(tone_mp3))
    result, report = sync(config, src, out)
    assert result.exit_code == 0, result.output
    assert {o["reason"] for o in report["articles"]} == {"fallback engine: upgrading"}
    assert ID3(mp3)["TXXX:readaloud:engine"].text[0].startswith("gtts ")
    responses.calls.reset()
    result, report = sync(config, src, out)
    assert report["up_to_date"] == 4 and len(responses.calls) == 0


def test_a_second_sync_on_the_same_folder_is_refused(archive):
    src, out, config = archive
    out.mkdir(parents=True)
    with open(out / ".readaloud-sync.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out)])
    assert result.exit_code == 4
    assert result.stderr.splitlines() == [
        f"readaloud: error: {out}: another readaloud sync is running on this folder (pid 4242); "
        "try again when it has finished"]
    assert not list(out.rglob("*.mp3"))
    result, report = sync(config, src, out)  # released: the next run completes
    assert result.exit_code == 0 and report["built"] == 4


def test_one_bad_article_is_reported_and_the_run_goes_on(archive):
    src, out, config = archive
    (src / "thoi-su/hong.txt").write_bytes(b"\x00\x01binary\xff" * 50)
    (src / "thoi-su/rong.txt").write_text("   \n", encoding="utf-8")
    result, report = sync(config, src, out)
    assert result.exit_code == 1
    failed = {Path(o["source"]).name: o["reason"] for o in report["articles"] if o["action"] == "failed"}
    assert set(failed) == {"hong.txt", "rong.txt"}
    assert "binary" in failed["hong.txt"] and "empty" in failed["rong.txt"]
    assert report["built"] == 4 and not (out / "thoi-su/hong.mp3").exists()


def test_dry_run_builds_nothing_and_escapes_are_ignored(archive, tmp_path, calls):
    src, out, config = archive
    outside = tmp_path / "secret.txt"
    outside.write_text("Bí mật\nKhông được đọc.\n", encoding="utf-8")
    (src / "thoi-su/link.txt").symlink_to(outside)  # a link out of the archive is not followed
    (src / ".nhap.txt").write_text("Bản nháp\nChưa đăng.\n", encoding="utf-8")
    result, report = sync(config, src, out, "--dry-run")
    assert result.exit_code == 0
    assert report["would_build"] == 4 and calls == []
    assert {Path(o["source"]).name for o in report["articles"]} == {"lua.txt", "hop.txt", "khai giảng.md",
                                                                    "tin ngắn.txt"}
    assert not list(out.rglob("*.mp3"))


def test_sigterm_during_sync_leaves_no_partial_file_and_releases_the_lock(archive):
    import signal
    import subprocess
    import sys
    import time

    src, out, config = archive
    long_text = "Tin dài\n" + "\n".join(["Các xã đã hoàn thành kế hoạch xây dựng nông thôn mới."] * 40)
    for n in range(6):
        (src / f"dai-{n}.txt").write_text(long_text.replace("Tin dài", f"Tin dài số {n}"), encoding="utf-8")
    exe = str(Path(sys.executable).with_name("readaloud"))
    run = subprocess.Popen([exe, "--config", str(config), "sync", str(src), str(out)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.rglob("*.mp3")):
        time.sleep(0.05)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 143, err
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for mp3 in out.rglob("*.mp3"):  # whatever was finished is whole and tagged
        assert ID3(mp3)["TXXX:readaloud:source-sha256"].text[0]
    result, report = sync(config, src, out)
    assert result.exit_code == 0 and report["failed"] == 0
    assert len(list(out.rglob("*.mp3"))) == 10
