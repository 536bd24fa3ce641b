"""The fixes of the service review (commit 875622d), each shown by a test that fails without it: callback
addresses httpx cannot use, [service] callback_hosts, a replayed submission whose build message was never
sent, a job store that does not answer, secrets kept out of output and logs, the first start without a
token, non-ASCII signatures, FastAPI's own refusals in the API's shape, two builds of one slug, and
callbacks that never wait behind a build.

Real processes throughout (`readaloud serve`, `readaloud worker`, redis-server, a callback receiver), as
in the other service tests; the small rules behind each fix are checked on their own first. Two tests are
of bugs these found in the fixes themselves: a spoilt line in the tokens file, read again while serving,
refused every request; a mistyped queue address was printed with its password.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import SupportsIndex

import httpx
import pytest
import redis

from readaloud.errors import ConfigError, InputError
from readaloud.service import auth, callbacks, signing
from readaloud.service.jobs import Submission, checked_callback
from readaloud.service.store_redis import RedisJobStore
from readaloud.service.store_sqlite import SqliteJobStore
from tests.helpers.service import (
    EXE,
    SECRET,
    Process,
    Receiver,
    RedisServer,
    Serve,
    Worker,
    check_mp3,
    clean_env,
    free_port,
    start_all,
    stop_all,
    wait_for,
    write_config,
)

NS = "readaloud-dramatiq"  # tasks.NAMESPACE
BUILDS = f"{NS}:readaloud-builds"  # the build queue's list of message ids

SHORT = "Thả rùa biển về tự nhiên\n\nSáng nay, kiểm lâm thả ba con rùa biển về vùng biển Côn Đảo.\n"
BRIEF = "Mở lại bến phà\n\nBến phà Cát Lái chạy lại từ trưa nay sau hai ngày nghỉ vì gió lớn.\n"
TINY = "Trời nắng ấm\n\nHà Nội hôm nay nắng ấm, nhiệt độ cao nhất khoảng hai mươi sáu độ.\n"

_WHO = ["Ban tổ chức hội chợ sách", "Nhiều nhà xuất bản", "Các em học sinh tiểu học", "Thư viện tỉnh",
        "Một nhóm sinh viên tình nguyện", "Hội nhà văn thành phố", "Các cô giáo mầm non"]
_DID = ["đã giới thiệu", "mang đến", "trưng bày", "tặng miễn phí", "giảm giá mạnh", "quyên góp thêm"]
_WHAT = ["hàng nghìn đầu sách thiếu nhi", "bộ truyện tranh lịch sử", "những cuốn từ điển mới",
         "tủ sách cho vùng sâu", "sách nói cho người khiếm thị", "các tập thơ của tác giả trẻ"]
_WHEN = ["trong ngày khai mạc hội chợ", "suốt tuần lễ đọc sách", "vào sáng chủ nhật",
         "ngay tại công viên trung tâm", "trước khi năm học mới bắt đầu"]


def book_fair(words: int, seed: int) -> str:
    """About `words` words of made-up news from a book fair (every sentence numbered, so the clip cache
    never shortens a build), under a title with "hội chợ" in it."""
    rnd = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    for number in itertools.count(seed * 1000):
        sentences = [f"{rnd.choice(_WHO)} {rnd.choice(_DID)} {rnd.choice(_WHAT)} {rnd.choice(_WHEN)}, "
                     f"theo bản tin số {number * 3 + k}." for k in range(3)]
        count += sum(len(sentence.split()) for sentence in sentences)
        paragraphs.append(" ".join(sentences))
        if count >= words:
            break
    return "Hội chợ sách mùa thu\n\n" + "\n\n".join(paragraphs) + "\n"


def moment(iso: str) -> float:
    """A job's ISO 8601 time (created_at, started_at, finished_at) in Unix seconds."""
    return datetime.fromisoformat(iso).timestamp()


def one_line(text: str) -> str:
    """The single non-blank line of `text`; AssertionError if there are more or none."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


# === 1. the rules on their own =========================================================================


def test_verify_refuses_a_non_ascii_signature() -> None:
    """(6) A forged header with a non-ASCII v1 is a bad signature, not a TypeError (a 500 in the CMS)."""
    body = b'{"id": "x", "status": "done"}'
    for mac in ("é", "é" * 64, "0" * 63 + "ư"):
        with pytest.raises(signing.BadSignature):
            signing.verify(body, f"t={int(time.time())},v1={mac}", SECRET)
    good = signing.sign(body, SECRET)
    assert signing.verify(body, f"{good},v1=é", SECRET) == int(good.split(",")[0][2:])  # one may still match


@pytest.mark.parametrize("url", ["http://[::1/x", "http://[::1", "https://[zz]/hook", "http://a:b:c/hook"])
def test_checked_callback_refuses_an_address_httpx_cannot_use(url: str) -> None:
    with pytest.raises(httpx.InvalidURL):
        httpx.URL(url)
    with pytest.raises(InputError, match="expected an http:// or https:// address"):
        checked_callback(url)


def test_checked_callback_keeps_to_the_allowed_hosts() -> None:
    allowed = ("127.0.0.1", "CMS.bao.example")
    for url in ("http://127.0.0.1:8080/hook", "https://cms.bao.example/readaloud?x=1", "http://Cms.Bao.Example/"):
        assert checked_callback(url, allowed) == url
    for url, host in (("http://localhost:8080/hook", "localhost"), ("http://127.0.0.2/hook", "127.0.0.2"),
                      ("https://cms.bao.example.evil.example/", "cms.bao.example.evil.example"),
                      ("http://127.0.0.1@10.0.0.5/hook", "10.0.0.5")):
        with pytest.raises(InputError, match=rf"host '{re.escape(host)}' is not in \[service\] callback_hosts"):
            checked_callback(url, allowed)
    assert checked_callback("http://localhost/hook") == "http://localhost/hook"  # none given: any host


def test_delivery_to_an_unusable_address_is_one_failed_try() -> None:
    """Whatever httpx raises is a CallbackFailed (retried, then given up), never an error that ends the
    embedded callback thread's step and leaves the outbox stuck on that job."""
    for url in ("http://[::1/x", "ftp://127.0.0.1/hook", f"http://127.0.0.1:{free_port()}/hook"):
        with pytest.raises(callbacks.CallbackFailed, match=re.escape(url)):
            callbacks.deliver(url, b"{}", SECRET, "a" * 24)


@pytest.mark.parametrize(("url", "shown"), [
    ("redis://:hunter2@127.0.0.1:6379/0", "redis://:***@127.0.0.1:6379/0"),
    ("redis://readaloud:hunter2@redis.bao.example:6379/2", "redis://readaloud:***@redis.bao.example:6379/2"),
    ("rediss://hunter2@redis.bao.example/0", "rediss://***@redis.bao.example/0"),
    ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
    ("", ""),
])
def test_redacted_hides_a_password(url: str, shown: str) -> None:
    from readaloud.config import redacted

    assert redacted(url) == shown


def test_redis_that_does_not_answer_is_one_line_without_the_password() -> None:
    store = RedisJobStore(f"redis://:hunter2@127.0.0.1:{free_port()}/0")  # nothing listens there
    with pytest.raises(ConfigError) as raised:
        store.check()
    message = str(raised.value)
    assert "Redis does not answer" in message and "***" in message
    assert "hunter2" not in message and "\n" not in message


def test_tokens_file_is_read_again_when_it_changes(tmp_path: Path) -> None:
    """`readaloud token --save` on a running server: the new token works at its next request."""
    file = tmp_path / "tokens"
    first, first_line = auth.new_token()
    second, second_line = auth.new_token()
    tokens = auth.Tokens([auth.hashed("ra_from-the-config")], file)
    assert tokens.allows("Bearer ra_from-the-config")
    assert not tokens.allows(f"Bearer {first}")
    auth.add_to_token_file(file, first_line)
    assert tokens.allows(f"Bearer {first}") and not tokens.allows(f"Bearer {second}")
    auth.add_to_token_file(file, second_line)
    assert tokens.allows(f"Bearer {second}") and tokens.allows(f"Bearer {first}")
    assert tokens.allows("Bearer ra_from-the-config")
    file.unlink()
    assert not tokens.allows(f"Bearer {first}") and tokens.allows("Bearer ra_from-the-config")


def test_a_bad_line_added_to_the_tokens_file_keeps_the_tokens_read_before(tmp_path: Path,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    """Found while testing 875622d: the file read again at each change made a typo in it (a line cut short
    while editing) a ConfigError inside every request: 500 for every client, configured tokens too. At
    start it is still refused; on a running server it is logged and the tokens read before are kept."""
    file = tmp_path / "tokens"
    token, line = auth.new_token()
    auth.add_to_token_file(file, line)
    tokens = auth.Tokens([auth.hashed("ra_from-the-config")], file)
    with file.open("a", encoding="utf-8") as handle:
        handle.write("sha256:0123abc\n")
    with caplog.at_level("ERROR", logger="readaloud.service"):
        assert tokens.allows(f"Bearer {token}") and tokens.allows("Bearer ra_from-the-config")
        assert tokens.allows(f"Bearer {token}")
    errors = [record.getMessage() for record in caplog.records]
    assert len(errors) == 1 and "not a stored token" in errors[0], errors  # once per change, not per request
    with pytest.raises(ConfigError, match="not a stored token"):
        auth.Tokens((), file)  # a server starting now still refuses the file


def test_a_malformed_queue_address_is_refused_without_its_password() -> None:
    """Found while testing 875622d: `readaloud config` (or serve, worker) printed the whole address when its
    scheme was mistyped, password and all."""
    from readaloud import config

    for url in ("Redis://:hunter2@127.0.0.1:6379/0", "http://readaloud:hunter2@redis.bao.example/0"):
        with pytest.raises(ConfigError, match=r"service\.queue: expected") as raised:
            config.from_mapping({"service": {"queue": url}}, "readaloud.toml")
        assert "hunter2" not in str(raised.value) and ":***@" in str(raised.value)


def _submission(text: str, slug: str) -> Submission:
    return Submission(text.encode(), ".txt", "article.txt", slug=slug)


def test_sqlite_claim_skips_a_slug_being_built(tmp_path: Path) -> None:
    store = SqliteJobStore(tmp_path / "jobs.sqlite3")
    first, _ = store.submit(_submission(book_fair(50, 1), "cung-mot"))
    second, _ = store.submit(_submission(SHORT, "cung-mot"))
    other, _ = store.submit(_submission(BRIEF, "khac"))
    claimed = store.claim()
    assert claimed is not None and claimed.id == first.id
    # The second of that slug waits while the first is built; another slug does not.
    then = store.claim()
    assert then is not None and then.id == other.id
    assert store.claim() is None
    store.start(first.id)
    store.finish(first.id, {"output": "cung-mot.mp3"}, None, 1.0)
    last = store.claim()
    assert last is not None and last.id == second.id  # published after the first: the later submission wins
    store.close()


# === 2. embedded serve, workers = 2 =====================================================================


@dataclass
class Embedded:
    serve: Serve
    folder: Path

    @property
    def public(self) -> Path:
        return self.folder / "data" / "public"


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Embedded]:
    folder = tmp_path_factory.mktemp("embedded")
    port = free_port()
    serve = Serve(write_config(folder, port=port, workers=2), port, folder / "serve.log",
                  env=clean_env(folder)).start()
    try:
        yield Embedded(serve, folder)
    finally:
        serve.stop()


def test_a_callback_url_httpx_cannot_use_is_refused_and_callbacks_go_on(embedded: Embedded) -> None:
    """(1) Accepted before, "http://[::1/x" made the callback thread raise on every pass over the outbox,
    so no job after it was ever called back."""
    bad = embedded.serve.submit(TINY, callback_url="http://[::1/x")
    assert bad.status_code == 422, bad.text
    assert bad.json() == {"error": "callback_url 'http://[::1/x': expected an http:// or https:// address"}
    receiver = Receiver()
    try:
        answer = embedded.serve.submit(TINY, callback_url=receiver.url, slug="goi-lai/sau-dia-chi-hong")
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]
        assert embedded.serve.finished(job_id)["status"] == "done"
        wait_for(lambda: receiver.received, 30, 0.05, "the callback")
    finally:
        receiver.close()
    call = receiver.received[0]
    signing.verify(call.body, call.headers[signing.HEADER.lower()], SECRET)
    assert json.loads(call.body)["id"] == job_id


def test_fastapis_own_refusals_are_in_the_apis_shape(embedded: Embedded) -> None:
    """(7) No such route, a method not allowed: {"error": ...} like every other answer, not {"detail": ...}."""
    base, headers = embedded.serve.base, embedded.serve.headers
    missing = httpx.get(base + "/v1/nothing", headers=headers, timeout=30)
    assert missing.status_code == 404 and missing.json() == {"error": "Not Found"}
    outside = httpx.get(base + "/khong-co", timeout=30)
    assert outside.status_code == 404 and outside.json() == {"error": "Not Found"}
    wrong = httpx.delete(base + "/v1/builds", headers=headers, timeout=30)
    assert wrong.status_code == 405 and wrong.json() == {"error": "Method Not Allowed"}
    assert "POST" in wrong.headers["allow"]  # the header FastAPI gives a 405 is kept
    unauthorised = httpx.delete(base + "/v1/builds", timeout=30)  # no token: still 401 first
    assert unauthorised.status_code == 401 and set(unauthorised.json()) == {"error"}


def test_two_builds_of_one_slug_run_one_after_the_other(embedded: Embedded) -> None:
    """(8) With two build threads, a long article and then a short one for the same slug: before, both
    built at once, the short one finished first and the long one's files replaced it; the later
    submission is now built after the earlier one and is what stays published."""
    slug = "van-hoa/cung-mot-bai"
    long_text = book_fair(300, seed=8)
    answers = [embedded.serve.submit(text, slug=slug) for text in (long_text, SHORT)]
    assert [a.status_code for a in answers] == [202, 202], [a.text for a in answers]
    first, second = (embedded.serve.finished(a.json()["id"]) for a in answers)
    assert first["status"] == second["status"] == "done", (first, second)
    assert moment(second["started_at"]) >= moment(first["finished_at"]), (first, second)
    assert first["duration_s"] > second["duration_s"] + 10

    assert second["output"] == f"{slug}.mp3"
    assert check_mp3(embedded.public / second["output"]) == pytest.approx(second["duration_s"], abs=0.1)
    vtt = (embedded.public / f"{slug}.vtt").read_text(encoding="utf-8").replace("\n", " ")
    assert "rùa biển" in vtt and "Côn Đảo" in vtt
    assert "hội chợ" not in vtt.lower() and "bản tin số" not in vtt
    srt = (embedded.public / f"{slug}.srt").read_text(encoding="utf-8")
    assert "rùa biển" in srt and "bản tin số" not in srt


# === 3. embedded serve with [service] callback_hosts ==================================================


def test_callback_hosts_limit_where_callbacks_go(tmp_path: Path) -> None:
    """(2) A token holder could make the service POST to any address (an internal admin page, say)."""
    port = free_port()
    config = write_config(tmp_path, port=port, callback_hosts=["127.0.0.1"])
    serve = Serve(config, port, tmp_path / "serve.log").start()
    receiver = Receiver()
    try:
        elsewhere = receiver.url.replace("127.0.0.1", "localhost")
        refused = serve.submit(TINY, callback_url=elsewhere)
        assert refused.status_code == 422, refused.text
        assert refused.json() == {"error": f"callback_url {elsewhere!r}: host 'localhost' is not in "
                                           "[service] callback_hosts"}
        accepted = serve.submit(TINY, callback_url=receiver.url)
        assert accepted.status_code == 202, accepted.text
        job_id = accepted.json()["id"]
        assert serve.finished(job_id)["status"] == "done"
        wait_for(lambda: receiver.received, 30, 0.05, "the callback")
        assert [json.loads(call.body)["id"] for call in receiver.received] == [job_id]
    finally:
        receiver.close()
        serve.stop()


# === 4. the first start without a token ===============================================================


def _saved_token(config: Path) -> str:
    done = subprocess.run([EXE, "--config", str(config), "token", "--save"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    found = re.search(r"^token:\s+(ra_\S+)$", done.stdout, re.MULTILINE)
    assert found, done.stdout
    return found.group(1)


def test_first_start_without_a_token_says_to_make_one(tmp_path: Path) -> None:
    """(5) Not on a terminal (a service manager's log), serve no longer prints a new token for anyone who
    reads the log: it says to run `readaloud token --save`; that token, and one saved while serve runs,
    work at once."""
    port = free_port()
    config = write_config(tmp_path, port=port, tokens=[])
    first = Process(["--config", str(config), "serve", "--log-level", "warning"], tmp_path / "first.log").start()
    try:
        wait_for(lambda: not first.alive() or "serving on" in first.text(), 60, what="serve to end or serve")
        assert not first.alive(), f"serve started with no token: {first.text()[-2000:]}"
    finally:
        first.stop()
    assert first.proc is not None and first.proc.returncode != 0
    line = one_line(first.text())
    assert line.startswith("readaloud: error: no API token: run `readaloud token --save`"), line
    assert not re.search(r"ra_[\w-]{20}", first.text()), "a token was printed into the log"

    token = _saved_token(config)
    serve = Serve(config, port, tmp_path / "serve.log").start()
    try:
        answer = httpx.post(serve.base + "/v1/builds", content=TINY.encode(), timeout=30,
                            headers={"Authorization": f"Bearer {token}", "Content-Type": "text/plain"})
        assert answer.status_code == 202, answer.text
        status = answer.json()["status_url"]
        assert httpx.get(status, headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code == 200

        later = _saved_token(config)  # while serve runs: no restart
        assert later != token
        for each in (later, token):
            assert httpx.get(status, headers={"Authorization": f"Bearer {each}"}, timeout=30).status_code == 200
        assert httpx.get(status, headers={"Authorization": "Bearer ra_not-saved"}, timeout=30).status_code == 401
        # A line spoilt while editing the file: still the tokens read before, not a 500 for every request.
        with (tmp_path / "data" / "tokens").open("a", encoding="utf-8") as handle:
            handle.write("sha256:0123abc\n")
        for each in (later, token):
            assert httpx.get(status, headers={"Authorization": f"Bearer {each}"}, timeout=30).status_code == 200
        assert "not a stored token" in serve.text()
        assert token not in serve.text() and later not in serve.text()
    finally:
        serve.stop()


# === 5. Redis: an outage, and the password ==============================================================


def test_redis_outage_and_password(tmp_path: Path) -> None:
    """(4) Redis down: the API answers 503 with Retry-After in its own shape, not a 500; serve and worker
    started without Redis say so in one line. The password in the queue URL is never printed."""
    server = RedisServer(tmp_path / "redis")
    started: list[Process] = []
    try:
        redis.Redis(host="127.0.0.1", port=server.port).config_set("requirepass", "hunter2")
        url = f"redis://:hunter2@127.0.0.1:{server.port}/0"
        port = free_port()
        config = write_config(tmp_path, port=port, queue=url)

        # `readaloud config` twice, a worker and the server, all starting at once.
        shown = [subprocess.Popen([EXE, "--config", str(config), "config", *more], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for more in ((), ("--json",))]
        worker = Worker(config, tmp_path / "worker.log")
        started.append(Process.start(worker))
        serve = Serve(config, port, tmp_path / "serve.log")
        started.append(serve.start())
        wait_for(lambda: "ready on" in worker.text() or not worker.alive(), 60, what="the worker to be ready")
        assert worker.alive(), worker.text()[-2000:]
        assert worker.proc is not None
        worker.proc.terminate()  # not needed further: it stops while the rest is checked
        for done in shown:
            out, err = done.communicate(timeout=60)
            assert done.returncode == 0, err
            assert "hunter2" not in out + err and f":***@127.0.0.1:{server.port}/0" in out
        assert worker.proc.wait(60) == 0, worker.text()[-2000:]
        assert f"ready on redis://:***@127.0.0.1:{server.port}/0" in worker.text()
        answer = serve.submit(TINY, slug="mat-khau")  # kept, and left queued: no worker runs now
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]

        server.stop()
        outage = [serve.submit(BRIEF, slug="khi-mat-redis"),
                  httpx.get(f"{serve.base}/v1/builds/{job_id}", headers=serve.headers, timeout=30)]
        for refused in outage:
            assert refused.status_code == 503, refused.text
            assert list(refused.json()) == ["error"] and "job store not answering" in refused.json()["error"]
            assert refused.headers["retry-after"].isdigit()
        health = httpx.get(serve.base + "/healthz", timeout=30)
        assert health.status_code == 503 and list(health.json()) == ["error"]

        # Started while Redis does not answer: one line each, no traceback, no password.
        down = [Process(["--config", str(config), "serve", "--port", str(free_port())], tmp_path / "serve-down.log"),
                Process(["--config", str(config), "worker"], tmp_path / "worker-down.log")]
        started += [process.start() for process in down]
        serve.stop()
        for process in down:
            wait_for(lambda p=process: not p.alive() or re.search("serving on|ready on", p.text()), 60,
                     what="the process to end")
            assert not process.alive(), f"started without Redis: {process.text()[-2000:]}"
        for process in started:
            assert "hunter2" not in process.text(), process.text()[-2000:]
        for process in down:
            assert process.proc is not None and process.proc.returncode != 0
            line = one_line(process.text())
            assert line.startswith("readaloud: error: redis://:***@127.0.0.1:"), line
            assert "Redis does not answer" in line and "Traceback" not in process.text()
    finally:
        stop_all(started)
        server.proc.kill()
        server.proc.wait(10)


# === 6. Redis: serve and workers on a shared database ===================================================


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@dataclass
class Stack:
    """`readaloud serve` and its workers (`--threads 1`; one, and a second for one test) on a Redis
    database of their own."""

    folder: Path
    url: str
    port: int = field(default_factory=free_port)
    workers: list[Worker] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.config = write_config(self.folder, port=self.port, queue=self.url)
        self.env = clean_env(self.folder)
        self.redis = redis.Redis.from_url(self.url)
        self.public = self.folder / "data" / "public"
        self.serve = Serve(self.config, self.port, self.folder / "serve.log", env=self.env)

    def worker(self) -> Worker:
        made = Worker(self.config, self.folder / f"worker-{len(self.workers) + 1}.log", env=self.env, threads=1)
        self.workers.append(made)
        return made

    def state(self, job_id: str) -> str | None:
        found = self.redis.hget(f"readaloud:job:{job_id}", "state")
        return found.decode() if isinstance(found, bytes) else None


@pytest.fixture(scope="module")
def stack(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    url = f"redis://127.0.0.1:{redis_server.port}/1"
    redis.Redis.from_url(url).flushdb()
    made = Stack(tmp_path_factory.mktemp("stack"), url)
    worker = made.worker()
    try:
        Process.start(worker)  # its imports and the server's at once
        made.serve.start()
        wait_for(lambda: "ready on" in worker.text() or not worker.alive(), 60, what="the worker to be ready")
        assert worker.alive(), worker.text()[-2000:]
        yield made
    finally:
        stop_all([*made.workers, made.serve])


def test_a_replayed_submission_whose_message_was_never_sent_is_sent(stack: Stack) -> None:
    """(3) The server kept the job, then died (or Redis failed) before queueing its build message; the
    CMS retries with the same Idempotency-Key. Before, the replay answered 202 and the job stayed queued
    for ever (until the next server start)."""
    slug = "giu-khoa/bai-mot"
    kept, made = RedisJobStore(stack.url).submit(Submission(BRIEF.encode(), ".txt", "article.txt", slug=slug,
                                                            idempotency_key="k1"))
    assert made and stack.state(kept.id) == "queued" and stack.redis.llen(BUILDS) == 0
    answer = stack.serve.submit(BRIEF, key="k1", slug=slug)
    assert answer.status_code == 202, answer.text
    assert answer.headers["idempotent-replayed"] == "true"
    assert answer.json()["id"] == kept.id
    assert stack.redis.hexists(f"readaloud:job:{kept.id}", "enqueued"), "the replay did not send the job"
    job = stack.serve.finished(kept.id, 60)
    assert (job["status"], job["attempts"], job["output"]) == ("done", 1, f"{slug}.mp3"), job
    check_mp3(stack.public / job["output"])
    again = stack.serve.submit(BRIEF, key="k1", slug=slug)  # a replay of a sent (here: built) job sends nothing
    assert (again.status_code, again.json()["status"]) == (202, "done")
    assert stack.redis.llen(BUILDS) == 0


class _WhileBuilding(list[int]):
    """The receiver's answers: each request is held while `state()` of the long job is not yet running
    (at most `hold_s`), then answered 200 if it is running, else 503. A callback answered 200 was thus
    delivered while the long job was being built."""

    def __init__(self, state: Callable[[], str | None], hold_s: float = 6.0):
        super().__init__([0])  # never empty: the receiver asks pop() for every answer
        self.state, self.hold_s = state, hold_s
        self.delivered_at: list[float] = []

    def pop(self, index: SupportsIndex = -1) -> int:
        deadline = time.monotonic() + self.hold_s
        while self.state() in (None, "queued") and time.monotonic() < deadline:
            time.sleep(0.02)
        if self.state() != "running":
            return 503
        self.delivered_at.append(time.time())
        return 200


def test_a_callback_is_not_kept_waiting_behind_a_build(stack: Stack) -> None:
    """(9) One worker with one build thread: a short job's callback, then a long job. Before, the one
    thread either sent the callback or built, so the callback waited for the whole long build."""
    wait_for(lambda: len([w for w in stack.workers if w.alive()]) == 1, 60, what="one worker alone")
    long_id: list[str] = []
    answers = _WhileBuilding(lambda: stack.state(long_id[0]) if long_id else None)
    receiver = Receiver(answers=answers)
    try:
        short = stack.serve.submit(SHORT, slug="goi-lai/ngan", callback_url=receiver.url)
        long = stack.serve.submit(book_fair(600, seed=9), slug="goi-lai/dai")
        assert (short.status_code, long.status_code) == (202, 202), (short.text, long.text)
        long_id.append(long.json()["id"])
        wait_for(lambda: answers.delivered_at or stack.state(long_id[0]) in ("done", "failed"), 120, 0.05,
                 "the callback, or the long job to finish")
        assert answers.delivered_at, "the callback came only after the long build had finished"
        long_job = stack.serve.finished(long_id[0], 120)
    finally:
        receiver.close()
    assert long_job["status"] == "done", long_job
    assert answers.delivered_at[0] < moment(long_job["finished_at"])
    delivered = [call for call in receiver.received if json.loads(call.body)["id"] == short.json()["id"]]
    body = json.loads(delivered[-1].body)
    signing.verify(delivered[-1].body, delivered[-1].headers[signing.HEADER.lower()], SECRET)
    assert body["status"] == "done" and body["output"] == "goi-lai/ngan.mp3"


def test_two_workers_never_build_one_slug_at_once(stack: Stack) -> None:
    """(10) Two workers, two jobs of one slug sent back to back: before, each worker took one and both
    wrote the slug's files at once."""
    extra = stack.worker()
    start_all([extra])
    try:
        slug = "hai-tho/cung-slug"
        answers = [stack.serve.submit(text, slug=slug) for text in (book_fair(400, seed=10), book_fair(100, seed=11))]
        assert [a.status_code for a in answers] == [202, 202], [a.text for a in answers]
        ids = [a.json()["id"] for a in answers]
        most = 0
        deadline = time.monotonic() + 120
        while not all(stack.state(job_id) in ("done", "failed") for job_id in ids):
            most = max(most, sum(stack.state(job_id) == "running" for job_id in ids))
            assert time.monotonic() < deadline, [stack.state(job_id) for job_id in ids]
            time.sleep(0.02)
        jobs = sorted((stack.serve.job(job_id) for job_id in ids), key=lambda job: moment(job["started_at"]))
    finally:
        assert extra.proc is not None
        extra.proc.terminate()  # it ends with the module's processes (at once: it has nothing in hand)
    assert [job["status"] for job in jobs] == ["done", "done"], jobs
    assert most == 1, "both jobs of the slug were running at once"
    earlier, later = jobs
    assert moment(later["started_at"]) >= moment(earlier["finished_at"]), jobs
    # Whole files, from the build that finished last.
    assert check_mp3(stack.public / f"{slug}.mp3") == pytest.approx(later["duration_s"], abs=0.1)
    # Each worker built one: the one that waited did so for the slug, not for want of a free worker.
    builders = [[job_id for job_id in ids if f"job {job_id}: building" in worker.text()] for worker in stack.workers]
    assert sorted(builders) == sorted([[ids[0]], [ids[1]]]), builders


def test_the_slug_hold_keeps_a_second_holder_waiting(redis_server: RedisServer) -> None:
    """RedisJobStore.slug_held on its own: a second holder of one slug gets it only once the first lets go,
    while another slug is held at once."""
    url = f"redis://127.0.0.1:{redis_server.port}/2"
    redis.Redis.from_url(url).flushdb()
    store = RedisJobStore(url)
    events: list[str] = []
    first_in, let_go = threading.Event(), threading.Event()

    def first() -> None:
        with store.slug_held("mot/slug", 3.0):
            events.append("first in")
            first_in.set()
            let_go.wait(30)
            events.append("first out")

    def second() -> None:
        with store.slug_held("mot/slug", 3.0):
            events.append("second in")

    holder = threading.Thread(target=first)
    holder.start()
    assert first_in.wait(30)
    waiter = threading.Thread(target=second)
    waiter.start()
    with store.slug_held("slug/khac", 3.0):
        events.append("other in")
    let_go.set()
    holder.join(30)
    waiter.join(30)
    assert events == ["first in", "other in", "first out", "second in"]
    assert store.client.keys("readaloud:slug:*") == []  # released, not left to lapse
