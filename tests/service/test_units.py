"""The service's parts on their own: slugs, reading a request, the SQLite job store, signatures, and the
small rules of the API (which files /media may serve, how a callback is retried)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from readaloud.errors import InputError
from readaloud.service import callbacks, requests, signing
from readaloud.service.app import _published
from readaloud.service.jobs import (
    Job,
    KeyReused,
    Submission,
    checked_callback,
    checked_key,
    checked_meta,
    is_job_id,
    sanitise_slug,
)
from readaloud.service.store_sqlite import SqliteJobStore

ARTICLE = "Mưa lớn ở miền Trung\n\nNhiều tuyến đường bị ngập sâu sau đêm mưa lớn.\n".encode()

# --- slugs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "expected"), [
    ("Thời sự/Bài 1", "thoi-su/bai-1"),
    ("../../etc/passwd", "etc/passwd"),
    ("/tuyet-doi/bai", "tuyet-doi/bai"),
    ("a\\b\\c", "a/b/c"),
    ("Đường Điện Biên Phủ", "duong-dien-bien-phu"),
    ("ĐỒNG BẰNG SÔNG CỬU LONG", "dong-bang-song-cuu-long"),
    ("  Kinh tế  //  Giá vàng!!  ", "kinh-te/gia-vang"),
    ("tin\x00\x1b[31mđỏ", "tin-31mdo"),
    ("2026/11/02/bai", "2026/11/02/bai"),
    ("x" * 150, "x" * 100),
    ("Cà phê.mp3", "ca-phe-mp3"),
])
def test_sanitise_slug(given: str, expected: str) -> None:
    assert sanitise_slug(given) == expected


@pytest.mark.parametrize("given", ["", "/", "..", "../..", "?!/@@", "   ", "—/…"])
def test_sanitise_slug_with_nothing_usable(given: str) -> None:
    with pytest.raises(InputError, match="no letters or digits"):
        sanitise_slug(given)


def test_sanitise_slug_at_most_four_levels() -> None:
    assert sanitise_slug("a/b/c/d") == "a/b/c/d"
    with pytest.raises(InputError, match="more than 4 folder levels"):
        sanitise_slug("a/b/c/d/e")


# --- reading a request ---------------------------------------------------------------------------------------


def test_media_type() -> None:
    assert requests.media_type("Text/Markdown; charset=UTF-8") == "text/markdown"
    assert requests.media_type(None) == ""
    assert requests.media_type("") == ""


@pytest.mark.parametrize(("content_type", "suffix"), [("text/plain", ".txt"), ("text/markdown; charset=utf-8", ".md"),
                                                      ("text/x-markdown", ".md"), ("TEXT/HTML", ".html")])
def test_from_raw_takes_the_format_from_the_type(content_type: str, suffix: str) -> None:
    submission = requests.from_raw(ARTICLE, content_type, {}, "")
    assert (submission.suffix, submission.name, submission.article) == (suffix, f"article{suffix}", ARTICLE)
    assert (submission.slug, submission.meta, submission.callback_url) == ("", {}, "")


def test_from_raw_metadata() -> None:
    fields = {"title": "  Tiêu đề  ", "author": "", "url": "https://bao.example/a", "date": "2026-11-02",
              "slug": "Thời sự/Bài 1", "callback_url": "http://cms.example/hook"}
    submission = requests.from_raw(ARTICLE, "text/plain", fields, "khoa-1")
    assert submission.meta == {"title": "Tiêu đề", "url": "https://bao.example/a", "date": "2026-11-02"}
    assert submission.slug == "thoi-su/bai-1"
    assert submission.callback_url == "http://cms.example/hook"
    assert submission.idempotency_key == "khoa-1"


@pytest.mark.parametrize(("content_type", "message"), [
    ("application/pdf", "article: unsupported type 'application/pdf'"),
    ("", "article: unsupported type '(none)'"),
])
def test_from_raw_unsupported_type(content_type: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        requests.from_raw(ARTICLE, content_type, {}, "")


def test_from_json() -> None:
    body = json.dumps({"article": ARTICLE.decode(), "format": "markdown", "title": "Tựa", "slug": "a/b"}).encode()
    submission = requests.from_json(body, "")
    assert (submission.suffix, submission.name, submission.article) == (".md", "article.md", ARTICLE)
    assert submission.meta == {"title": "Tựa"} and submission.slug == "a/b"
    assert requests.from_json(json.dumps({"article": "x"}).encode(), "").suffix == ".txt"


@pytest.mark.parametrize(("body", "message"), [
    (b"{", "request: not valid JSON"),
    (b"\xff\xfe", "request: not valid JSON"),
    (b"[]", "request: expected a JSON object"),
    (b'{"text": "x"}', "request: expected a JSON object"),
    (b'{"article": 1}', "request: expected a JSON object"),
    (b'{"article": "x", "format": "pdf"}', "format 'pdf'"),
    (b'{"article": "x", "format": ["md"]}', "format "),
    (b'{"article": "x", "format": {"a": 1}}', "format "),
    (b'{"article": "x", "title": 3}', "title: expected text, got int"),
    (b'{"article": "x", "slug": "!!"}', "slug '!!'"),
    (b'{"article": "x", "callback_url": "javascript:alert(1)"}', "callback_url"),
])
def test_from_json_refuses(body: bytes, message: str) -> None:
    with pytest.raises(InputError) as caught:
        requests.from_json(body, "")
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


@pytest.mark.parametrize(("filename", "part_type", "suffix", "name"), [
    ("bai.txt", "application/octet-stream", ".txt", "bai.txt"),
    ("Bai.MARKDOWN", None, ".md", "Bai.MARKDOWN"),
    ("trang.htm", "text/plain", ".html", "trang.htm"),
    (None, "text/markdown", ".md", "article.md"),
    ("khong-duoi", "text/html", ".html", "khong-duoi"),
    ("../../etc/bai.txt", None, ".txt", "bai.txt"),
    ("C:\\Users\\x\\bài viết.txt", None, ".txt", "bài_viết.txt"),
])
def test_from_form(filename: str | None, part_type: str | None, suffix: str, name: str) -> None:
    submission = requests.from_form(ARTICLE, filename, part_type, {"title": "Tựa"}, "")
    assert (submission.suffix, submission.name, submission.meta) == (suffix, name, {"title": "Tựa"})


@pytest.mark.parametrize(("filename", "part_type", "message"), [
    ("bai.pdf", "application/pdf", "bai.pdf: unsupported file type '.pdf'"),
    ("bai.docx", "text/plain", "bai.docx: unsupported file type '.docx'"),  # the name's extension decides
    (None, "image/png", "article: unsupported file type 'image/png'"),
    (None, None, "article: unsupported file type '(none)'"),
])
def test_from_form_refuses(filename: str | None, part_type: str | None, message: str) -> None:
    with pytest.raises(InputError) as caught:
        requests.from_form(ARTICLE, filename, part_type, {}, "")
    assert str(caught.value).startswith(message)


def test_checked_fields() -> None:
    assert checked_meta({"title": "Cafe\u0301", "slug": "not-meta", "other": "x"}) == {"title": "Café"}
    for bad in ("hai\ndòng", "tab\tkhông", "x" * 2001):
        with pytest.raises(InputError, match="title: must be one line"):
            checked_meta({"title": bad})
    assert checked_callback("") == "" and checked_callback("https://cms.example/a?b=1") == "https://cms.example/a?b=1"
    for bad in ("ftp://cms.example", "http://", "http:// x", "cms.example/hook", "http://a/" + "x" * 2000):
        with pytest.raises(InputError, match="callback_url"):
            checked_callback(bad)
    assert checked_key("bai-42") == "bai-42"
    for bad in ("k" * 201, "a\nb"):
        with pytest.raises(InputError, match="Idempotency-Key"):
            checked_key(bad)


def test_digest_tells_requests_apart() -> None:
    base = Submission(ARTICLE, ".txt", "article.txt", {"title": "A"}, "a", "", "k")
    assert base.digest == Submission(ARTICLE, ".txt", "other-name.txt", {"title": "A"}, "a", "", "k").digest
    for other in (Submission(ARTICLE + b"!", ".txt", "article.txt", {"title": "A"}, "a", "", "k"),
                  Submission(ARTICLE, ".md", "article.txt", {"title": "A"}, "a", "", "k"),
                  Submission(ARTICLE, ".txt", "article.txt", {"title": "B"}, "a", "", "k"),
                  Submission(ARTICLE, ".txt", "article.txt", {"title": "A"}, "b", "", "k"),
                  Submission(ARTICLE, ".txt", "article.txt", {"title": "A"}, "a", "http://c/h", "k")):
        assert other.digest != base.digest


# --- the SQLite job store ------------------------------------------------------------------------------------


def _submission(article: bytes = ARTICLE, key: str = "", slug: str = "", callback_url: str = "") -> Submission:
    return Submission(article, ".txt", "article.txt", {"title": "Tựa"}, slug, callback_url, key)


@pytest.fixture
def store(tmp_path: Path):
    opened = SqliteJobStore(tmp_path / "jobs.sqlite3")
    try:
        yield opened
    finally:
        opened.close()


def test_store_submit_and_get(store: SqliteJobStore) -> None:
    job, made = store.submit(_submission(slug="thoi-su/a"))
    assert made and is_job_id(job.id)
    assert (job.state, job.slug, job.name, job.attempts, job.started, job.finished) == (
        "queued", "thoi-su/a", "article.txt", 0, None, None)
    assert store.get(job.id) == job
    assert store.get("0" * 24) is None
    assert store.submission(job.id) == _submission(slug="thoi-su/a")
    unnamed, _ = store.submit(_submission())
    assert unnamed.slug == unnamed.id  # no slug: the audio is named by the job
    assert store.counts() == {"queued": 2, "running": 0, "done": 0, "failed": 0}


def test_store_idempotency(store: SqliteJobStore) -> None:
    first, made = store.submit(_submission(key="k1"))
    again, made_again = store.submit(_submission(key="k1"))
    assert made and not made_again and again == first
    with pytest.raises(KeyReused):
        store.submit(_submission(ARTICLE + b" khac", key="k1"))
    with pytest.raises(KeyReused):
        store.submit(_submission(key="k1", slug="khac"))
    other, made_other = store.submit(_submission(key="k2"))
    assert made_other and other.id != first.id
    plain = {store.submit(_submission())[0].id for _ in range(3)}
    assert len(plain) == 3
    assert store.counts()["queued"] == 5


def test_store_idempotency_under_concurrent_submits(store: SqliteJobStore) -> None:
    ids: list[str] = []

    def submit() -> None:
        ids.append(store.submit(_submission(key="same"))[0].id)

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 8 and len(set(ids)) == 1
    assert store.counts()["queued"] == 1


def test_store_start_and_finish_once(store: SqliteJobStore) -> None:
    job, _ = store.submit(_submission())
    started = store.start(job.id)
    assert started is not None and started.state == "running" and started.attempts == 1
    assert started.started is not None
    result = {"output": "a.mp3", "duration_s": 3.5}
    assert store.finish(job.id, result, None, 1.7, synthesized=3, fallback=True)
    assert not store.finish(job.id, None, "later failure", 0.5)  # the first finisher wins
    assert store.start(job.id) is None  # finished: never started again
    done = store.get(job.id)
    assert done is not None and done.state == "done" and done.result == result and done.error is None
    assert done.finished is not None and done.attempts == 1
    assert store.submission(job.id).article == b""  # type: ignore[union-attr]  # kept only until built
    totals = store.totals()
    assert (totals["builds"], totals["build_seconds_sum"], totals["engine_requests"], totals["fallbacks"]) == (
        1.0, 1.7, 3.0, 1.0)
    assert (totals["le_1"], totals["le_2.5"], totals["le_600"]) == (0.0, 1.0, 1.0)
    assert store.start("f" * 24) is None and not store.finish("f" * 24, None, "x", 0.1)


def test_store_failed_job(store: SqliteJobStore) -> None:
    job, _ = store.submit(_submission())
    store.start(job.id)
    assert store.finish(job.id, None, "article.txt: nothing to read", 0.2)
    failed = store.get(job.id)
    assert failed is not None and failed.state == "failed" and failed.error == "article.txt: nothing to read"
    assert store.counts() == {"queued": 0, "running": 0, "done": 0, "failed": 1}
    assert store.totals()["builds"] == 1.0


def test_store_claim_in_order_and_recover(store: SqliteJobStore, tmp_path: Path) -> None:
    ids = [store.submit(_submission(ARTICLE + str(n).encode()))[0].id for n in range(3)]
    claimed = store.claim()
    assert claimed is not None and claimed.id == ids[0] and claimed.state == "running"
    assert claimed.attempts == 0  # claim takes it; start() counts the attempt
    assert store.start(ids[0]) is not None
    second = store.claim()
    assert second is not None and second.id == ids[1]
    assert store.counts() == {"queued": 1, "running": 2, "done": 0, "failed": 0}
    store.close()

    reopened = SqliteJobStore(tmp_path / "jobs.sqlite3")  # as the next process after a kill
    try:
        assert reopened.recover() == 2
        assert reopened.counts() == {"queued": 3, "running": 0, "done": 0, "failed": 0}
        again = reopened.claim()
        assert again is not None and again.id == ids[0]
        restarted = reopened.start(ids[0])
        assert restarted is not None and restarted.attempts == 2
        assert [reopened.claim().id, reopened.claim().id] == ids[1:]  # type: ignore[union-attr]
        assert reopened.claim() is None
        assert reopened.recover() == 3
    finally:
        reopened.close()


def test_store_claim_from_threads_takes_each_job_once(store: SqliteJobStore) -> None:
    ids = {store.submit(_submission(ARTICLE + str(n).encode()))[0].id for n in range(20)}
    taken: list[str] = []

    def take() -> None:
        while (job := store.claim()) is not None:
            taken.append(job.id)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(ids)


def test_store_callback_outbox(store: SqliteJobStore) -> None:
    quiet, _ = store.submit(_submission())
    called, _ = store.submit(_submission(ARTICLE + b".", callback_url="http://cms.example/hook"))
    assert store.due_callback() is None
    for job in (quiet, called):
        store.start(job.id)
        store.finish(job.id, {"output": "x.mp3"}, None, 0.1)
    assert not store.finish(called.id, None, "again", 0.1)
    assert store.due_callback() == (called.id, 0)  # queued with the finish, once
    store.callback_tried(called.id, False, "answered 500", 60.0)
    assert store.due_callback() is None  # not due for a minute
    assert store.callback_counts() == {"pending": 1}
    store.callback_tried(called.id, False, "answered 500", 0.0)
    assert store.due_callback() == (called.id, 2)
    store.callback_tried(called.id, True, None, None)
    assert store.due_callback() is None and store.callback_counts() == {"sent": 1}


def test_store_callback_gives_up(store: SqliteJobStore) -> None:
    job, _ = store.submit(_submission(callback_url="https://cms.example/hook"))
    store.start(job.id)
    store.finish(job.id, None, "failed build", 0.1)
    assert store.due_callback() == (job.id, 0)  # a failed job is called back too
    store.callback_tried(job.id, False, "timeout", None)
    assert store.due_callback() is None and store.callback_counts() == {"gave-up": 1}


# --- callbacks -------------------------------------------------------------------------------------------------


def test_callback_view() -> None:
    done = Job("a" * 24, "done", 1.0, "s", "article.txt", 2.0, 3.0, 1, {"output": "s.mp3", "duration_s": 4.0})
    view = callbacks.view(done, "http://h/v1/builds/" + "a" * 24)
    assert view["status"] == "done" and view["output"] == "s.mp3" and "error" not in view
    assert (view["created_at"], view["started_at"], view["finished_at"], view["attempts"]) == (
        "1970-01-01T00:00:01.000Z", "1970-01-01T00:00:02.000Z", "1970-01-01T00:00:03.000Z", 1)
    failed = Job("b" * 24, "failed", 1.0, "s", "article.txt", 2.0, 3.0, 1, None, "article.txt: the article is empty")
    assert callbacks.view(failed, "u")["error"] == "article.txt: the article is empty"
    queued = callbacks.view(Job("c" * 24, "queued", 1.0, "s", "article.txt"), "u")
    assert "error" not in queued and "output" not in queued and queued["started_at"] is None
    assert json.loads(callbacks.body_of(done, "u")) == callbacks.view(done, "u")


def test_callback_delays_double_up_to_a_cap() -> None:
    assert [callbacks.delay_s(n, 2.0) for n in range(1, 6)] == [2.0, 4.0, 8.0, 16.0, 32.0]
    assert callbacks.delay_s(0, 2.0) == 2.0
    assert callbacks.delay_s(40, 2.0) == callbacks.MAX_DELAY_S


# --- signatures ------------------------------------------------------------------------------------------------

BODY = json.dumps({"id": "a" * 24, "status": "done", "title": "Tin mới"}, ensure_ascii=False).encode()


def test_sign_and_verify() -> None:
    header = signing.sign(BODY, "bi-mat", now=1_800_000_000)
    timestamp, mac = header.split(",")
    assert timestamp == "t=1800000000" and mac.startswith("v1=") and len(mac) == 3 + 64
    assert signing.verify(BODY, header, "bi-mat", now=1_800_000_100) == 1_800_000_000
    assert signing.verify(BODY, signing.sign(BODY, "bi-mat"), "bi-mat") == pytest.approx(time.time(), abs=5)


@pytest.mark.parametrize(("body", "secret", "now"), [
    (BODY + b" ", "bi-mat", 1_800_000_000),  # the body changed
    (BODY, "bi-mat-khac", 1_800_000_000),  # another secret
    (BODY, "bi-mat", 1_800_000_301),  # too late: past the 300 s tolerance
    (BODY, "bi-mat", 1_799_999_699),  # too early
])
def test_verify_refuses(body: bytes, secret: str, now: float) -> None:
    header = signing.sign(BODY, "bi-mat", now=1_800_000_000)
    with pytest.raises(signing.BadSignature):
        signing.verify(body, header, secret, now=now)


def test_verify_with_several_v1_values() -> None:
    """While a secret is rotated the header may carry one v1 per secret: any one matching is enough."""
    old = signing.sign(BODY, "cu", now=1_800_000_000)
    new_mac = signing.signature(BODY, "moi", 1_800_000_000)
    both = f"{old},v1={new_mac}"
    assert signing.verify(BODY, both, "cu", now=1_800_000_000) == 1_800_000_000
    assert signing.verify(BODY, both, "moi", now=1_800_000_000) == 1_800_000_000
    with pytest.raises(signing.BadSignature):
        signing.verify(BODY, both, "khac", now=1_800_000_000)
    spaced = f"t=1800000000, v1={'0' * 64}, v1={new_mac}"
    assert signing.verify(BODY, spaced, "moi", now=1_800_000_000) == 1_800_000_000


@pytest.mark.parametrize("header", [None, "", "v1=" + "0" * 64, "t=soon,v1=" + "0" * 64, "t=1800000000",
                                    "t=1800000000,v2=abc"])
def test_verify_refuses_malformed_headers(header: str | None) -> None:
    with pytest.raises(signing.BadSignature):
        signing.verify(BODY, header, "bi-mat", now=1_800_000_000)


def test_verify_tolerance_is_settable() -> None:
    header = signing.sign(BODY, "bi-mat", now=1_800_000_000)
    assert signing.verify(BODY, header, "bi-mat", tolerance_s=3600, now=1_800_001_000) == 1_800_000_000
    with pytest.raises(signing.BadSignature, match="away from now"):
        signing.verify(BODY, header, "bi-mat", tolerance_s=10, now=1_800_000_011)


# --- which files /media serves -------------------------------------------------------------------------------


def test_published_files_only_inside_the_public_folder(tmp_path: Path) -> None:
    public = tmp_path / "public"
    (public / "thoi-su").mkdir(parents=True)
    for name in ("thoi-su/bai.mp3", "thoi-su/bai.vtt", "thoi-su/bai.srt", "thoi-su/bai.chapters.json", "ghi-chu.txt",
                 "thoi-su/khac.json"):
        (public / name).write_bytes(b"x")
    (tmp_path / "ngoai.mp3").write_bytes(b"x")
    (public / "lien-ket.mp3").symlink_to(tmp_path / "ngoai.mp3")
    (public / "thu-muc.mp3").mkdir()
    (public / "thoi-su" / ".readaloud-0123456789ab.tmp").mkdir()  # a build's staging folder, mid-build
    (public / "thoi-su" / ".readaloud-0123456789ab.tmp" / "4f3a2b1c0d9e.mp3").write_bytes(b"half")
    (public / ".an.mp3").write_bytes(b"x")
    for name in ("thoi-su/bai.mp3", "thoi-su/bai.vtt", "thoi-su/bai.srt", "thoi-su/bai.chapters.json"):
        assert _published(public, name) == (public / name).resolve()
    for name in ("../ngoai.mp3", "thoi-su/../../ngoai.mp3", str(tmp_path / "ngoai.mp3"), "ghi-chu.txt",
                 "thoi-su/khac.json",
                 "lien-ket.mp3", "thu-muc.mp3", "khong-co.mp3", "thoi-su", "",
                 "thoi-su/.readaloud-0123456789ab.tmp/4f3a2b1c0d9e.mp3", ".an.mp3"):
        assert _published(public, name) is None, name


# --- addresses and the embedded workers' loops ------------------------------------------------------------------


def test_addresses_follow_base_url_and_public_url(tmp_path: Path) -> None:
    from readaloud.config import ServiceSettings
    from readaloud.service.places import Places

    anywhere = Places.of(ServiceSettings(host="0.0.0.0", port=8123, data_dir=str(tmp_path)))
    assert anywhere.status_url("a" * 24) == f"http://localhost:8123/v1/builds/{'a' * 24}"
    assert anywhere.url_for("thoi-su/bai 1.mp3") == "http://localhost:8123/media/thoi-su/bai%201.mp3"
    proxied = Places.of(ServiceSettings(base_url="https://audio.paper.vn/", data_dir=str(tmp_path)))
    assert proxied.status_url("b" * 24) == f"https://audio.paper.vn/v1/builds/{'b' * 24}"
    assert proxied.url_for("x.mp3") == "https://audio.paper.vn/media/x.mp3"
    cdn = Places.of(ServiceSettings(base_url="https://audio.paper.vn", public_url="https://cdn.paper.vn/a/",
                                    data_dir=str(tmp_path)))
    assert cdn.url_for("x.mp3") == "https://cdn.paper.vn/a/x.mp3"


@pytest.mark.parametrize("key", ["base_url", "public_url"])
def test_addresses_must_be_http(tmp_path: Path, key: str) -> None:
    from readaloud import config
    from readaloud.errors import ConfigError

    path = tmp_path / "readaloud.toml"
    path.write_text(f'[service]\n{key} = "ftp://files.paper.vn"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"{key}: expected empty or an http:// or https:// address"):
        config.load(path)


def test_a_store_error_does_not_end_the_build_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite answering "database is locked" once (another process held it for 30 s) must not leave the
    queue with nobody to build it: the loop logs, pauses and goes on."""
    import sqlite3

    from readaloud import config
    from readaloud.builder import Builder
    from readaloud.service import embedded
    from readaloud.service.places import Places

    monkeypatch.setattr(embedded, "RETRY_S", 0.05)
    settings = config.from_mapping({"engine": {"name": "espeak"}, "cache": {"dir": str(tmp_path / "cache")},
                                    "service": {"data_dir": str(tmp_path / "data")}}, "test")
    places = Places.of(settings.service)
    places.make()
    store = SqliteJobStore(places.store)
    real_claim, failures = store.claim, [sqlite3.OperationalError("database is locked")]

    def flaky_claim():  # type: ignore[no-untyped-def]
        if failures:
            raise failures.pop()
        return real_claim()

    monkeypatch.setattr(store, "claim", flaky_claim)
    job, _ = store.submit(_submission())
    workers = embedded.BuildThreads(store, Builder(settings), places, workers=1, cores=1)
    workers.start()
    try:
        deadline = time.monotonic() + 60
        while store.get(job.id).state not in ("done", "failed") and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.05)
    finally:
        workers.stop()
    assert not failures  # the error was met
    finished = store.get(job.id)
    assert finished is not None and finished.state == "done", finished
    assert (places.public_dir / f"{finished.slug}.mp3").stat().st_size > 1000
