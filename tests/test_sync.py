"""`readaloud sync`, the nightly job: exactly the work that is needed, nothing rewritten that need not be,
nothing lost when an article fails, and never two runs on one folder.

Every test asserts the state of the output folder (files, bytes, modification times, tags) and the
engine calls made, not only exit codes. Articles are small (2-3 sentences) and spoken by espeak-ng with
loudness matching off, so a whole sync of the test archive takes about a second.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import responses
from mutagen.id3 import ID3

from readaloud import config as cfg
from readaloud import pipeline, tags
from readaloud import sync as syncing
from readaloud.cli import cli
from readaloud.engines.espeak import EspeakEngine
from readaloud.text import lexicon
from readaloud.text.reader import read_article
from tests.helpers import cli_runner
from tests.helpers.google import google_reply, spoken_text_of

GOOGLE = re.compile(r"https://translate\.google\.com/.*")

# A txt, a Markdown file and an HTML page, in folders, with spaces, Vietnamese letters and a leading "-" in
# their names. "Sa Đéc" is in exactly two of them (for the lexicon test); "ĐTO" in one.
ARTICLES = {
    "thoi-su/lúa đông xuân.txt": (
        "Lúa đông xuân trúng mùa\n"
        "Nông dân Tháp Mười phấn khởi vì lúa được giá. Thương lái đến tận ruộng thu mua. "
        "Nhiều hộ lãi gấp đôi năm ngoái.\n"),
    "thoi-su/-họp tổng kết.md": (
        "---\ntitle: Họp tổng kết năm\nauthor: Ngọc Trâm\n---\n\n"
        "ĐTO - Sáng nay tỉnh họp tổng kết công tác năm. Các sở báo cáo kết quả.\n"),
    "giao-duc/khai giảng.html": (
        "<html><head><title>Khai giảng</title></head><body><article><h1>Khai giảng năm học mới</h1>"
        "<p>Học sinh Sa Đéc vào năm học mới. Trường lớp sạch đẹp.</p></article></body></html>\n"),
    "tin ngắn.txt": "Mưa lớn\nMưa lớn ở Sa Đéc suốt đêm. Nước lên nhanh.\n",
}
LOCK = ".readaloud-sync.lock"


@pytest.fixture
def archive(tmp_path):
    """(SRC, OUT, config file): the articles above, espeak-ng, a lexicon, a clip cache inside tmp_path."""
    src, out = tmp_path / "articles", tmp_path / "audio"
    for name, text in ARTICLES.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(text, encoding="utf-8")
    (tmp_path / "lexicon.toml").write_text('[words]\n"ĐTO" = "Đồng Tháp Online"\n', encoding="utf-8")
    config = tmp_path / "readaloud.toml"
    config.write_text('[engine]\nname = "espeak"\n[reading]\nlexicon = "lexicon.toml"\n[cache]\ndir = "clips"\n'
                      "[loudness]\nenabled = false\n"
                      "[gtts]\nbackoff_s = 0.01\nmax_backoff_s = 0.05\ntimeout_s = 2.0\nmax_requests_per_s = 500.0\n",
                      encoding="utf-8")
    return src, out, config


@pytest.fixture
def calls(monkeypatch):
    """Every text handed to espeak-ng, in order."""
    spoken: list[str] = []
    original = EspeakEngine.synthesize

    def counting(self, text):
        spoken.append(text)
        return original(self, text)

    monkeypatch.setattr(EspeakEngine, "synthesize", counting)
    return spoken


def sync(config: Path, src: Path, out: Path, *extra: str):
    """`readaloud sync --json`: the click result and the parsed report."""
    result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out), "--json", *extra])
    report = json.loads(result.stdout) if result.stdout.strip().startswith("{") else None
    return result, report


def snapshot(out: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under OUT but the lock: (modification time in ns, bytes)."""
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != LOCK}


def names(report: dict, action: str, src: Path) -> dict[str, str]:
    return {Path(o["source"]).relative_to(src).as_posix(): o["reason"]
            for o in report["articles"] if o["action"] == action}


def settings_of(config: Path):
    return cfg.load(config)


def spoken_chunks(article: Path, settings) -> list[str]:
    return [c.spoken for c in pipeline.plan(read_article(str(article)), settings).chunks if c.spoken.strip()]


def txxx(mp3: Path, name: str) -> str:
    return ID3(mp3)[f"TXXX:readaloud:{name}"].text[0]


# --- the done-when tests -----------------------------------------------------------------------------------


def test_a_second_sync_of_an_unchanged_tree_calls_no_engine_and_rewrites_nothing(archive, calls):
    src, out, config = archive
    result, report = sync(config, src, out)
    assert result.exit_code == 0, result.output
    assert (report["built"], report["up_to_date"], report["failed"]) == (4, 0, 0)
    assert {n for n in snapshot(out)} == {  # the tree mirrored, each MP3 with its captions and chapters
        f"{stem}{kind}" for stem in ("thoi-su/lúa đông xuân", "thoi-su/-họp tổng kết", "giao-duc/khai giảng",
                                     "tin ngắn") for kind in (".mp3", ".vtt", ".chapters.json")}
    for name in ARTICLES:
        mp3 = (out / name).with_suffix(".mp3")
        assert txxx(mp3, "source-sha256") == hashlib.sha256((src / name).read_bytes()).hexdigest()
    assert len(calls) == sum(o["synthesized"] for o in report["articles"]) > 0
    before = snapshot(out)
    calls.clear()

    result, report = sync(config, src, out)
    assert result.exit_code == 0, result.output
    assert (report["built"], report["up_to_date"], report["failed"]) == (0, 4, 0)
    assert {o["reason"] for o in report["articles"]} == {"up to date"}
    assert calls == []  # not one engine call
    assert snapshot(out) == before  # no file written: same names, bytes and modification times

    # The human form: nothing per article when nothing happens, one summary line on stdout.
    plain = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out)])
    assert plain.exit_code == 0
    assert re.fullmatch(r"sync: 0 built, 4 up to date, 0 failed in \d+\.\d s\n", plain.stdout)
    assert plain.stderr == ""
    assert snapshot(out) == before and calls == []


def test_editing_one_sentence_sends_the_engine_only_that_sentences_chunks(archive, calls):
    src, out, config = archive
    sync(config, src, out)
    before_files = snapshot(out)
    article = src / "thoi-su/lúa đông xuân.txt"
    settings = settings_of(config)
    before = spoken_chunks(article, settings)
    article.write_text(ARTICLES["thoi-su/lúa đông xuân.txt"].replace(
        "Thương lái đến tận ruộng thu mua.", "Thương lái đến tận ruộng thu mua lúa tươi."), encoding="utf-8")
    after = spoken_chunks(article, settings)
    changed = [text for text in after if text not in before]
    assert len(changed) == 1 and len(after) == len(before)  # the test edits exactly one chunk's text
    calls.clear()

    result, report = sync(config, src, out)
    assert result.exit_code == 0, result.output
    assert names(report, "built", src) == {"thoi-su/lúa đông xuân.txt": "source changed"}
    assert calls == changed  # exactly the changed chunk, once
    built = next(o for o in report["articles"] if o["action"] == "built")
    assert (built["synthesized"], built["cached"]) == (1, len(after) - 1)
    mp3 = out / "thoi-su/lúa đông xuân.mp3"
    assert txxx(mp3, "source-sha256") == hashlib.sha256(article.read_bytes()).hexdigest()
    after_files = snapshot(out)
    assert {k for k in after_files if after_files[k] != before_files[k]} == {
        "thoi-su/lúa đông xuân.mp3", "thoi-su/lúa đông xuân.vtt", "thoi-su/lúa đông xuân.chapters.json"}
    assert "thu mua lúa tươi" in (out / "thoi-su/lúa đông xuân.vtt").read_text(encoding="utf-8")


def test_a_lexicon_change_rebuilds_exactly_the_articles_containing_the_word(archive, calls):
    src, out, config = archive
    lexicon_file = config.parent / "lexicon.toml"
    sync(config, src, out)
    before = snapshot(out)
    lexicon_file.write_text('[words]\n"ĐTO" = "Đồng Tháp Online"\n"Sa Đéc" = "Sa Đét"\n', encoding="utf-8")
    calls.clear()

    result, report = sync(config, src, out, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert names(report, "built", src) == {"giao-duc/khai giảng.html": "lexicon changed",
                                           "tin ngắn.txt": "lexicon changed"}
    assert calls and all("Sa Đét" in text for text in calls)  # only the chunks that say the word
    after = snapshot(out)
    assert {k for k in after if after[k] != before[k]} == {
        f"{stem}{kind}" for stem in ("giao-duc/khai giảng", "tin ngắn") for kind in (".mp3", ".vtt", ".chapters.json")}
    words = lexicon.load(lexicon_file)
    for name in ARTICLES:  # every MP3 records the digest of exactly the entries its article uses
        article = pipeline.plan(read_article(str(src / name)), settings_of(config)).article
        assert txxx((out / name).with_suffix(".mp3"), "lexicon") == lexicon.relevant_digest(
            words, pipeline.article_text(article))

    # An entry for a word no article contains rebuilds nothing; nor does one that is only part of a word
    # there ("Kha" in "Khai giảng"), which the normaliser would not match either.
    lexicon_file.write_text(lexicon_file.read_text(encoding="utf-8") + '"Hồng Ngự" = "Hồng Ngự"\n"Kha" = "ka"\n',
                            encoding="utf-8")
    before, calls[:] = snapshot(out), []
    result, report = sync(config, src, out)
    assert report["up_to_date"] == 4 and calls == [] and snapshot(out) == before

    # Taking the entry out again rebuilds the same two, from the clip cache alone.
    lexicon_file.write_text('[words]\n"ĐTO" = "Đồng Tháp Online"\n', encoding="utf-8")
    result, report = sync(config, src, out)
    assert set(names(report, "built", src)) == {"giao-duc/khai giảng.html", "tin ngắn.txt"}
    assert calls == [] and sum(o["synthesized"] for o in report["articles"]) == 0


def test_the_mp3_transcript_stands_in_for_the_article_in_the_lexicon_check(archive):
    # sync reads an article's text from its MP3 (USLT + TPE1) instead of re-reading the article; for any
    # lexicon this must give the digest build() computes from the article itself.
    src, out, config = archive
    sync(config, src, out)
    settings = settings_of(config)
    for name in ARTICLES:
        article = pipeline.plan(read_article(str(src / name)), settings).article
        text = pipeline.article_text(article)
        tokens = text.split()
        words = {w: "x" for w in tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]}
        words["Ngọc Trâm"] = "y"  # the author (front matter) counts too
        facts = tags.read_build_facts((out / name).with_suffix(".mp3"))
        checker = syncing.Checker(settings, lambda _source, _spoke: False)
        checker.words = words
        assert checker._lexicon_digest(src / name, facts) == lexicon.relevant_digest(words, text)
        # An MP3 without a transcript takes the long way (reading the article) to the same answer.
        assert checker._lexicon_digest(src / name, dataclasses.replace(facts, transcript=None)) == \
            lexicon.relevant_digest(words, text)
    # "ĐTO" opens one article's lead as its dateline, which is not read: it does not count there.
    assert txxx(out / "thoi-su/-họp tổng kết.mp3", "lexicon") == lexicon.relevant_digest({}, "")


def test_an_article_spoken_by_the_fallback_engine_is_upgraded_when_google_answers(archive, calls, tone_mp3):
    src, out, config = archive
    config.write_text(config.read_text(encoding="utf-8").replace('name = "espeak"', 'name = "auto"'),
                      encoding="utf-8")
    # Tonight Google is unreachable: the offline fixture makes name resolution fail.
    result, report = sync(config, src, out)
    assert result.exit_code == 3, result.output  # built, by the fallback engine: as for build, preview and say
    assert report["built"] == 4 and all(o["fallback"] for o in report["articles"])
    for name in ARTICLES:
        assert txxx((out / name).with_suffix(".mp3"), "engine").startswith("espeak-ng ")
    fallback_files = snapshot(out)
    calls.clear()

    # Still unreachable the next night: one probe for the whole run, nothing rebuilt, nothing rewritten.
    with responses.RequestsMock() as google:
        google.add(responses.POST, GOOGLE, body=requests.ConnectionError("no route to host"))
        result, report = sync(config, src, out)
        assert result.exit_code == 0 and report["up_to_date"] == 4
        assert len(google.calls) == 1
    assert "gtts does not answer" in result.stderr and "articles spoken by espeak are kept" in result.stderr
    assert calls == [] and snapshot(out) == fallback_files

    # A dry run does not ask Google (it would send a request and fill the cache): it says what would happen.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as google:
        google.add(responses.POST, GOOGLE, body=requests.ConnectionError("must not be asked"))
        result, report = sync(config, src, out, "--dry-run")
        assert result.exit_code == 0 and len(google.calls) == 0, result.output
        # Whether they are rebuilt is Google's call: counted apart from what would surely be built.
        assert (report["would_build"], report["would_try_upgrade"]) == (0, 4)
        assert {o["reason"] for o in report["articles"]} == {"fallback engine espeak: upgraded if gtts answers"}
        plain = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out), "--dry-run"])
        assert plain.stdout.startswith("sync (dry run): 0 would be built, 4 would try to upgrade to a better voice, "
                                       "0 up to date, 0 failed"), plain.stdout
        assert all(line.startswith("would try to upgrade  ")
                   and line.endswith("(fallback engine espeak: upgraded if gtts answers)")
                   for line in plain.stderr.splitlines())
    assert calls == [] and snapshot(out) == fallback_files

    # Google answers: every fallback article is rebuilt with its voice, each chunk requested exactly once
    # (the probe's request is one of them, kept in the clip cache and used by the build).
    settings = settings_of(config)
    wanted = sorted({text for name in ARTICLES for text in spoken_chunks(src / name, settings)})
    with responses.RequestsMock() as google:
        asked: list[str] = []

        def reply(request):
            asked.append(spoken_text_of(request))
            return 200, {}, google_reply(tone_mp3)

        google.add_callback(responses.POST, GOOGLE, callback=reply)
        result, report = sync(config, src, out)
        assert result.exit_code == 0, result.output
        assert {o["reason"] for o in report["articles"]} == {"fallback engine espeak: upgrading"}
        assert not any(o["fallback"] for o in report["articles"])
        assert sorted(asked) == wanted and len(google.calls) == len(wanted)
    assert calls == []  # espeak-ng not asked at all
    for name in ARTICLES:
        assert txxx((out / name).with_suffix(".mp3"), "engine").startswith("gtts ")
    upgraded = snapshot(out)

    # Upgraded articles are up to date: no request, no write.
    with responses.RequestsMock(assert_all_requests_are_fired=False) as google:
        google.add_callback(responses.POST, GOOGLE, callback=reply)
        result, report = sync(config, src, out)
        assert report["up_to_date"] == 4 and len(google.calls) == 0
    assert snapshot(out) == upgraded


def test_a_second_sync_on_the_same_output_folder_is_refused(archive, calls):
    src, out, config = archive
    out.mkdir(parents=True)
    with open(out / LOCK, "a+") as held:  # another run holds the lock
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242\n")
        held.flush()
        result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out)])
        assert result.exit_code == 4
        assert result.stderr.splitlines() == [
            f"readaloud: error: {out}: another readaloud sync is running on this folder (pid 4242); "
            "not starting a second one"]
        assert result.stdout == ""
        result, report = sync(config, src, out)
        assert result.exit_code == 4 and report["ok"] is False and "pid 4242" in report["error"]
        with pytest.raises(syncing.SyncLocked):
            syncing.run(src, out, settings_of(config))
    assert [p.name for p in out.iterdir()] == [LOCK] and calls == []  # nothing built, nothing written
    result, report = sync(config, src, out)  # released: the next run does the work
    assert result.exit_code == 0 and report["built"] == 4


def test_a_lock_held_by_another_process_is_respected_and_freed_when_it_ends(archive):
    src, out, config = archive
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from readaloud.sync import hold_lock\n"
                               "with hold_lock(Path(sys.argv[1])):\n print('held', flush=True); sys.stdin.read()",
         str(out)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        result, _ = sync(config, src, out)
        assert result.exit_code == 4 and f"(pid {holder.pid})" in result.stderr
    finally:
        holder.communicate(timeout=30)  # closing stdin ends it
    result, report = sync(config, src, out)
    assert result.exit_code == 0 and report["built"] == 4


# --- failures, reasons, paths ------------------------------------------------------------------------------


def test_a_failing_article_is_reported_and_skipped_and_the_run_goes_on(archive, calls, monkeypatch):
    src, out, config = archive
    (src / "thoi-su/hỏng.txt").write_bytes(b"\x00\x01binary\xff" * 50)
    (src / "thoi-su/rỗng.txt").write_text("   \n", encoding="utf-8")
    result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out)])
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed ")]
    assert len(failed) == 2
    assert failed[0].startswith(f"failed {src / 'thoi-su/hỏng.txt'}: ") and "binary" in failed[0]
    assert failed[1].startswith(f"failed {src / 'thoi-su/rỗng.txt'}: ") and "empty" in failed[1]
    assert all(line.count(str(src)) == 1 for line in failed), failed  # the path is named once
    assert len([line for line in result.stderr.splitlines() if line.startswith("built  ")]) == 4
    assert re.fullmatch(r"sync: 4 built, 0 up to date, 2 failed in \d+\.\d s\n", result.stdout)
    assert sorted(p.name for p in out.rglob("*.mp3")) == sorted(Path(n).with_suffix(".mp3").name for n in ARTICLES)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]

    # The next night the good articles are up to date and the bad ones are reported again.
    calls.clear()
    result, report = sync(config, src, out)
    assert result.exit_code == 1 and report["ok"] is False
    assert (report["up_to_date"], report["failed"]) == (4, 2) and calls == []

    # An unexpected exception in one build is reported with its class name; the others still build.
    real_build = pipeline.build

    def build(path, output, settings, **kwargs):
        if "khai giảng" in path:
            raise RuntimeError("disk gremlin")
        return real_build(path, output, settings, **kwargs)

    monkeypatch.setattr(pipeline, "build", build)
    (src / "tin ngắn.txt").write_text(ARTICLES["tin ngắn.txt"].replace("suốt đêm", "cả đêm"), encoding="utf-8")
    (out / "giao-duc/khai giảng.mp3").unlink()
    result, report = sync(config, src, out)
    assert result.exit_code == 1
    assert names(report, "failed", src)["giao-duc/khai giảng.html"] == "RuntimeError: disk gremlin"
    assert names(report, "built", src) == {"tin ngắn.txt": "source changed"}


def test_dry_run_says_what_would_be_built_and_why_and_writes_nothing(archive, calls, monkeypatch):
    src, out, config = archive
    result, report = sync(config, src, out, "--dry-run")
    assert result.exit_code == 0 and report["dry_run"] is True
    assert report["would_build"] == 4 and set(names(report, "would-build", src).values()) == {"new"}
    assert not out.exists() and calls == []  # a dry run changes nothing on disk: not even OUT is made

    sync(config, src, out)
    assert not (out / LOCK).exists()  # a real run leaves no lock file in the public folder
    (src / "tin ngắn.txt").write_text(ARTICLES["tin ngắn.txt"] + "Đường ngập sâu.\n", encoding="utf-8")
    (out / "thoi-su/-họp tổng kết.mp3").unlink()
    (out / "giao-duc/khai giảng.mp3").write_bytes(b"not an mp3 at all")
    before, calls[:] = snapshot(out), []
    plain = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out), "--dry-run"])
    assert plain.exit_code == 0
    assert plain.stderr.splitlines() == [
        f"would build  {out / 'giao-duc/khai giảng.mp3'}  (unreadable output)",
        f"would build  {out / 'thoi-su/-họp tổng kết.mp3'}  (new)",
        f"would build  {out / 'tin ngắn.mp3'}  (source changed)"]
    assert re.fullmatch(r"sync \(dry run\): 3 would be built, 1 up to date, 0 failed in \d+\.\d s\n", plain.stdout)
    assert snapshot(out) == before and calls == []

    sync(config, src, out)
    calls.clear()
    config.write_text(config.read_text(encoding="utf-8") + "[pauses]\nsentence = 500\n", encoding="utf-8")
    result, report = sync(config, src, out, "--dry-run")
    assert set(names(report, "would-build", src).values()) == {"settings changed"}
    config.write_text(config.read_text(encoding="utf-8").replace("sentence = 500", "sentence = 400"),
                      encoding="utf-8")  # the default again: the MP3s match the settings
    with monkeypatch.context() as patch:
        patch.setattr(syncing, "RULES_VERSION", "reading-rules-of-tomorrow")
        result, report = sync(config, src, out, "--dry-run")
    assert set(names(report, "would-build", src).values()) == {"reading rules changed"}
    assert sync(config, src, out, "--dry-run")[1]["up_to_date"] == 4
    # Asking for another engine than the one that spoke (the fingerprint leaves the engine name out).
    result, report = sync(config, src, out, "--dry-run", "--engine", "gtts")
    assert set(names(report, "would-build", src).values()) == {"engine changed"}
    assert calls == []


def test_a_settings_change_rebuilds_every_article_from_the_clip_cache(archive, calls):
    src, out, config = archive
    sync(config, src, out)
    config.write_text(config.read_text(encoding="utf-8") + "[pauses]\nsentence = 650\n", encoding="utf-8")
    calls.clear()
    result, report = sync(config, src, out)
    assert set(names(report, "built", src).values()) == {"settings changed"} and report["built"] == 4
    assert calls == [] and all(o["synthesized"] == 0 and o["cached"] > 0 for o in report["articles"])
    for name in ARTICLES:
        assert txxx((out / name).with_suffix(".mp3"), "settings") == cfg.fingerprint(settings_of(config))


def test_only_articles_inside_src_are_read_and_only_paths_inside_out_are_written(archive, tmp_path, calls):
    src, out, config = archive
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "mat.txt").write_text("Bí mật\nKhông được đọc. Không được đăng.\n", encoding="utf-8")
    (src / "thoi-su/lien-ket.txt").symlink_to(secret / "mat.txt")  # a link out of SRC
    (src / "ngoai").symlink_to(secret, target_is_directory=True)  # a linked folder out of SRC
    (src / ".nhap").mkdir()
    (src / ".nhap/bai.txt").write_text("Bản nháp\nChưa đăng. Còn sửa.\n", encoding="utf-8")  # hidden folder
    (src / ".bai-an.txt").write_text("Ẩn\nKhông đọc. Không đăng.\n", encoding="utf-8")  # hidden file
    (src / "ghi-chu.pdf").write_bytes(b"%PDF-1.4")  # not an article type
    (src / "giao-duc/.khai giảng.mp3.3f2a.tmp").write_bytes(b"")  # a temporary file
    (src / "thoi-su/lúa đông xuân.md").write_text("# Trùng tên\n\nCùng tên MP3. Không được đè.\n",
                                                  encoding="utf-8")  # same MP3 name as the .txt beside it
    (src / "lan-ra").mkdir()
    (src / "lan-ra/bai.txt").write_text("Bài\nRa ngoài. Không được ghi.\n", encoding="utf-8")
    out.mkdir()
    (out / "lan-ra").symlink_to(secret, target_is_directory=True)  # a link in OUT would write outside it

    result, report = sync(config, src, out)
    assert result.exit_code == 1  # the two colliding articles
    assert names(report, "built", src).keys() == {"giao-duc/khai giảng.html", "thoi-su/-họp tổng kết.md",
                                                  "tin ngắn.txt"}
    failed = names(report, "failed", src)
    assert failed.keys() == {"thoi-su/lúa đông xuân.md", "thoi-su/lúa đông xuân.txt"}
    assert "rename one of them" in failed["thoi-su/lúa đông xuân.txt"]
    warnings = "\n".join(result.stderr.splitlines())
    assert "lien-ket.txt: a link to a file outside" in warnings and "ngoai: a link to a folder outside" in warnings
    assert "lan-ra/bai.txt: its MP3" in warnings
    assert sorted(p.name for p in secret.iterdir()) == ["mat.txt"]  # nothing written outside OUT
    assert not any("Bí mật" in text or "nháp" in text.lower() for text in calls)
    assert not (out / "thoi-su/lúa đông xuân.mp3").exists()


def test_names_starting_with_a_dash_work_from_inside_the_source_folder(tmp_path, monkeypatch, calls):
    src = tmp_path / "bai"
    src.mkdir()
    (src / "-tin nhanh.txt").write_text("Tin nhanh\nTrời nắng nhẹ. Gió mát.\n", encoding="utf-8")
    config = tmp_path / "readaloud.toml"
    config.write_text('[engine]\nname = "espeak"\n[cache]\ndir = "clips"\n[loudness]\nenabled = false\n',
                      encoding="utf-8")
    monkeypatch.chdir(src)  # SRC_DIR "." makes the article's path "-tin nhanh.txt", like an option
    result = cli_runner().invoke(cli, ["--config", str(config), "sync", ".", "../audio"])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("built  ../audio/-tin nhanh.mp3  (new; ")
    mp3 = tmp_path / "audio/-tin nhanh.mp3"
    assert txxx(mp3, "source-sha256") == hashlib.sha256((src / "-tin nhanh.txt").read_bytes()).hexdigest()


# --- the run itself ----------------------------------------------------------------------------------------


def test_jobs_report_as_builds_finish_and_the_report_keeps_source_order(archive, calls):
    src, out, config = archive
    seen: list[str] = []
    report = syncing.run(src, out, settings_of(config), jobs=3, on_outcome=lambda o: seen.append(o.source))
    assert report.built == 4 and report.failed == 0
    in_order = [str(src / n) for n in ("giao-duc/khai giảng.html", "thoi-su/-họp tổng kết.md",
                                       "thoi-su/lúa đông xuân.txt", "tin ngắn.txt")]
    assert [o.source for o in report.outcomes] == in_order  # sorted paths, whatever finished first
    assert sorted(seen) == sorted(in_order)  # each reported once, as it finished
    assert all(o.engine and o.engine.startswith("espeak-ng ") and o.seconds > 0 for o in report.outcomes)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_interrupt_stops_the_run_leaves_no_partial_file_and_frees_the_lock(archive, monkeypatch, jobs):
    src, out, config = archive
    real_build = pipeline.build
    started: list[str] = []

    def build(path, output, settings, **kwargs):
        started.append(path)
        if len(started) == 2:
            raise KeyboardInterrupt  # Ctrl-C (or the CLI's SIGTERM) in the middle of the run
        return real_build(path, output, settings, **kwargs)

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(pipeline, "build", build)
        syncing.run(src, out, settings_of(config), jobs=jobs)
    assert len(started) < 4  # the rest of the queue was dropped, not built
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    for mp3 in out.rglob("*.mp3"):  # whatever was finished is whole and tagged
        assert txxx(mp3, "source-sha256")
    with syncing.hold_lock(out):  # released
        pass
    report = syncing.run(src, out, settings_of(config))
    assert report.failed == 0 and report.built + report.up_to_date == 4


def test_on_a_terminal_a_progress_bar_then_the_lines(archive):
    import pty

    src, out, config = archive
    leader, follower = pty.openpty()
    exe = str(Path(sys.executable).with_name("readaloud"))
    done = subprocess.run([exe, "--config", str(config), "sync", str(src), str(out), "--dry-run"],
                          stdout=subprocess.PIPE, stderr=follower, text=True, timeout=60,
                          env={**os.environ, "COLUMNS": "200"})
    os.close(follower)
    shown = b""
    while True:
        try:
            piece = os.read(leader, 65536)
        except OSError:
            break
        if not piece:
            break
        shown += piece
    os.close(leader)
    terminal = shown.decode("utf-8", "replace")
    assert done.returncode == 0
    assert "sync" in terminal and "4/4" in terminal  # click's bar, with its position
    assert terminal.rstrip().endswith(f"would build  {out / 'tin ngắn.mp3'}  (new)")
    assert done.stdout.startswith("sync (dry run): 4 would be built")


def test_help_teaches_cron_use_and_exit_codes():
    result = cli_runner().invoke(cli, ["sync", "--help"])
    assert result.exit_code == 0
    text = result.stdout
    # The crontab line is whole on one line of the help, so it can be pasted as it is.
    cron = [line.strip() for line in text.splitlines() if line.strip().startswith("15 2 * * * ")]
    assert cron == ["15 2 * * * cd /srv/paper && .venv/bin/readaloud --config readaloud.toml sync articles/ "
                    "public/audio/ --jobs 2 >> /var/log/readaloud.log 2>&1"]
    for code in ("0  every article", "1  some articles failed", "2  usage", "4  another sync"):
        assert code in text
    assert cli_runner().invoke(cli, ["sync", "a", "b", "--jobs", "0"]).exit_code == 2
