"""Scale-out on Redis (issue 15): the job store on a real redis-server, and `readaloud serve` with
`readaloud worker` processes sharing it: a worker killed mid-build, the server restarted with jobs queued,
callbacks retried and dead-lettered by Dramatiq, a long build not taken for a dead worker's, a bad article
refused before it is queued.

Each test has a Redis database of its own on one redis-server, so no queue or job of one reaches another.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import redis
from dramatiq.brokers.redis import RedisBroker

from readaloud.service import signing
from readaloud.service.jobs import KeyReused, Submission
from readaloud.service.store_redis import RedisJobStore
from tests.helpers.service import (
    SECRET,
    Receiver,
    RedisServer,
    Serve,
    Worker,
    check_mp3,
    free_port,
    start_all,
    stop_all,
    wait_for,
    write_config,
)

NS = "readaloud-dramatiq"  # tasks.NAMESPACE; Dramatiq's keys are <namespace>:<queue>[.DQ|.XQ][.msgs]
TIMEOUT_S = 3.0  # [service] worker_timeout_s in write_config

SHORT = [
    "Giá xăng giảm nhẹ\n\nTừ chiều nay, giá xăng trong nước giảm khoảng ba trăm đồng mỗi lít.\n",
    "Khai trương thư viện mới\n\nThư viện thiếu nhi ở Đà Nẵng mở cửa miễn phí vào cuối tuần.\n",
    "Mùa lúa bội thu\n\nNông dân Đồng Tháp phấn khởi vì năm nay lúa được mùa, được giá.\n",
]

_LONG_SENTENCES = [
    "Sáng nay, Sở Giao thông vận tải cho biết sẽ mở thêm {n} tuyến xe buýt nối các khu dân cư mới.",
    "Theo kế hoạch, mỗi tuyến có khoảng {n} chuyến mỗi ngày, chạy từ năm giờ sáng đến chín giờ tối.",
    "Người dân ở phường Bến Nghé mong các tuyến mới sẽ giúp giảm cảnh kẹt xe vào giờ cao điểm.",
    "Một cán bộ của sở nói rằng giá vé vẫn giữ nguyên, học sinh và người cao tuổi được giảm một nửa.",
    "Năm ngoái, xe buýt thành phố chở hơn {n} triệu lượt khách, tăng đáng kể so với năm trước.",
]


def long_article(paragraphs: int = 20) -> str:
    """An article whose build takes several seconds with espeak-ng (a few minutes of audio), its
    sentences varied by their numbers so the clip cache cannot shortcut it."""
    blocks = [" ".join(_LONG_SENTENCES[(i + j) % 5].format(n=i * 7 + j + 3) for j in range(3))
              for i in range(paragraphs)]
    return "Thêm tuyến xe buýt cho khu dân cư mới\n\n" + "\n\n".join(blocks) + "\n"


# --- the processes ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


_databases = itertools.count(1)


def fresh_database(server: RedisServer) -> str:
    """The URL of a Redis database no other test uses, emptied."""
    db = next(_databases)
    assert db < 16, "redis-server has 16 databases"
    url = f"redis://127.0.0.1:{server.port}/{db}"
    redis.Redis.from_url(url).flushdb()
    return url


@dataclass
class Stack:
    """serve and workers on one Redis database, with one readaloud.toml (as every machine must have)."""

    folder: Path
    url: str
    port: int = field(default_factory=free_port)
    serve: Serve | None = None
    workers: list[Worker] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.config = write_config(self.folder, port=self.port, queue=self.url)
        self.redis = redis.Redis.from_url(self.url)
        self.public = self.folder / "data" / "public"

    def start_serve(self) -> Serve:
        self.serve = Serve(self.config, self.port, self.folder / "serve.log").start()
        return self.serve

    def start_workers(self, count: int, threads: int = 1) -> list[Worker]:
        new = [Worker(self.config, self.folder / f"worker-{len(self.workers) + n + 1}.log", threads=threads)
               for n in range(count)]
        self.workers += new
        return start_all(new)

    def stop(self) -> None:
        stop_all([*self.workers, *([self.serve] if self.serve else [])])


@pytest.fixture
def stack(redis_server, tmp_path):
    made = Stack(tmp_path, fresh_database(redis_server))
    yield made
    made.stop()


def broker_id(worker: Worker) -> str:
    """The Dramatiq broker id the worker heartbeats under, from its "worker <id> ready" line."""
    found = re.search(r"worker (\S+) ready on", worker.text())
    assert found, worker.text()[-2000:]
    return found.group(1)


def building_lines(worker: Worker, job_id: str) -> list[str]:
    return re.findall(rf"job {job_id}: building .*", worker.text())


def callbacks_settled(client: redis.Redis) -> bool:
    """No callback message left anywhere but the dead-letter queue: none queued, delayed or in hand."""
    return all(client.hlen(f"{NS}:readaloud-callbacks{suffix}.msgs") == 0 for suffix in ("", ".DQ"))


def verified(received) -> dict:
    """A received callback's body, after readaloud.service.signing.verify accepted its signature."""
    signing.verify(received.body, received.headers.get(signing.HEADER.lower()), SECRET)
    return json.loads(received.body)


# --- 1. the store ----------------------------------------------------------------------------------------


def _submission(text: str, key: str = "", slug: str = "") -> Submission:
    return Submission(article=text.encode(), suffix=".txt", name="article.txt", slug=slug, idempotency_key=key)


@pytest.fixture
def store_url(redis_server) -> str:
    return fresh_database(redis_server)


@pytest.fixture
def store(store_url) -> RedisJobStore:
    return RedisJobStore(store_url)


def test_store_an_idempotency_key_makes_one_job(store):
    first, made = store.submit(_submission(SHORT[0], key="cms-42"))
    assert made and first.state == "queued"
    again, made_again = store.submit(_submission(SHORT[0], key="cms-42"))
    assert (again.id, made_again) == (first.id, False)
    with pytest.raises(KeyReused):
        store.submit(_submission(SHORT[1], key="cms-42"))  # the same key, another article
    with pytest.raises(KeyReused):
        store.submit(_submission(SHORT[0], key="cms-42", slug="khac"))  # the same article, other options
    assert store.counts() == {"queued": 1, "running": 0, "done": 0, "failed": 0}
    # No key: each submission is a job of its own, even the same article.
    one, _ = store.submit(_submission(SHORT[0]))
    two, _ = store.submit(_submission(SHORT[0]))
    assert len({first.id, one.id, two.id}) == 3
    assert store.counts()["queued"] == 3
    kept = store.submission(first.id)  # what a worker builds from; with no slug given, the job id is the slug
    assert kept == _submission(SHORT[0], key="cms-42", slug=first.id)


def test_store_one_job_for_a_key_sent_at_once_from_many_servers(store_url):
    """A CMS retrying through a load balancer: the same request reaches several servers at once."""
    stores = [RedisJobStore(store_url) for _ in range(8)]
    barrier = threading.Barrier(len(stores))

    def submit(one: RedisJobStore) -> tuple[str, bool]:
        barrier.wait()
        job, made = one.submit(_submission(SHORT[2], key="cms-retry-7"))
        return job.id, made

    with ThreadPoolExecutor(len(stores)) as pool:
        answers = list(pool.map(submit, stores))
    assert len({job_id for job_id, _ in answers}) == 1
    assert sorted(made for _, made in answers) == [False] * 7 + [True]
    assert stores[0].counts()["queued"] == 1


def test_store_start_and_finish_happen_once(store):
    job, _ = store.submit(_submission(SHORT[0], slug="gia-xang"))
    started = store.start(job.id)
    assert started is not None and (started.state, started.attempts) == ("running", 1)
    again = store.start(job.id)  # a redelivery: still running, one more attempt counted
    assert again is not None and again.attempts == 2
    result = {"output": "gia-xang.mp3", "duration_s": 4.2}
    assert store.finish(job.id, result, None, 2.0, synthesized=3) is True
    done = store.get(job.id)
    assert done is not None and (done.state, done.result, done.error) == ("done", result, None)
    assert store.submission(job.id) is None  # the article is dropped from Redis once it is built

    # A second finish (a worker taken for dead finishing after all) changes nothing: not the job, not
    # the counts, not the totals.
    totals = store.totals()
    assert store.finish(job.id, None, "late failure", 9.0, synthesized=7, fallback=True) is False
    assert store.get(job.id) == done
    assert store.totals() == totals
    assert store.start(job.id) is None  # nor is it started again
    assert store.get(job.id) == done
    assert store.counts() == {"queued": 0, "running": 0, "done": 1, "failed": 0}

    assert store.mark_callback_queued(job.id) is True
    assert store.mark_callback_queued(job.id) is False
    assert store.mark_callback_queued(job.id) is False


def test_store_counts_by_state_and_totals(store, store_url):
    jobs = [store.submit(_submission(text))[0] for text in (*SHORT, "Tin thêm\n\nMột câu nữa cho đủ.\n")]
    for job in jobs[1:]:
        store.start(job.id)
    store.finish(jobs[2].id, {"output": "a.mp3"}, None, 0.5, synthesized=4)
    store.finish(jobs[3].id, None, "article.txt: the article is empty", 7.0, fallback=True)
    assert store.counts() == {"queued": 1, "running": 1, "done": 1, "failed": 1}
    totals = store.totals()
    assert totals["builds"] == 2 and totals["build_seconds_sum"] == pytest.approx(7.5)
    assert (totals["engine_requests"], totals["fallbacks"]) == (4, 1)
    assert (totals["le_1"], totals["le_5"], totals["le_10"], totals["le_600"]) == (1, 1, 2, 2)
    failed = store.get(jobs[3].id)
    assert failed is not None and (failed.state, failed.error, failed.result) == \
        ("failed", "article.txt: the article is empty", None)
    # A fresh store object (another process) sees the same.
    other = RedisJobStore(store_url)
    assert other.counts() == store.counts() and other.totals() == totals


# --- 2. a worker killed mid-build ------------------------------------------------------------------------


def test_a_worker_killed_mid_build_its_job_is_built_by_the_other(stack):
    receiver = Receiver()
    try:
        serve = stack.start_serve()
        first, second = stack.start_workers(2)
        answer = serve.submit(long_article(), slug="giao-thong/xe-buyt", callback_url=receiver.url)
        assert answer.status_code == 202, answer.text
        job_id = answer.json()["id"]

        def holder() -> Worker | None:
            if serve.job(job_id)["status"] != "running":
                return None
            return next((w for w in (first, second) if building_lines(w, job_id)), None)

        victim: Worker = wait_for(holder, 60, 0.1, "a worker to start the job")  # type: ignore[assignment]
        survivor = second if victim is first else first
        victim.kill()
        assert serve.job(job_id)["status"] == "running", "the build ended before its worker was killed"

        job = serve.finished(job_id, 180)
        assert job["status"] == "done", job
        assert job["attempts"] == 2, job
        assert len(building_lines(victim, job_id)) == 1
        assert [line for line in building_lines(survivor, job_id) if "(attempt 2," in line], survivor.text()[-3000:]

        mp3 = stack.public / job["output"]
        assert job["output"] == "giao-thong/xe-buyt.mp3"
        assert check_mp3(mp3) == pytest.approx(job["duration_s"], abs=0.1)
        assert not list(stack.public.rglob(".readaloud-*")), "the killed build's staging folder was left"

        # Exactly one callback, signed, for the one finish.
        wait_for(lambda: receiver.received, 60, what="the callback")
        wait_for(lambda: callbacks_settled(stack.redis), 30, what="the callback queue to empty")
        assert len(receiver.received) == 1
        body = verified(receiver.received[0])
        assert (body["id"], body["status"], body["attempts"]) == (job_id, "done", 2)
        assert body["status_url"] == f"{serve.base}/v1/builds/{job_id}"
        assert httpx.get(body["audio_url"], timeout=30).content == mp3.read_bytes()
        assert receiver.received[0].headers["readaloud-job"] == job_id
        assert stack.redis.zcard(f"{NS}:readaloud-callbacks.XQ") == 0
    finally:
        receiver.close()


# --- 3. the server restarted with jobs queued ------------------------------------------------------------


def test_jobs_queued_survive_a_server_restart(stack):
    serve = stack.start_serve()
    ids = []
    for number, text in enumerate(SHORT):
        answer = serve.submit(text, slug=f"ban-tin/so-{number + 1}")
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["id"])
    assert stack.redis.llen(f"{NS}:readaloud-builds") == len(SHORT)  # queued, nobody to build them

    assert serve.stop() == 0, serve.text()[-2000:]
    serve = stack.start_serve()
    assert [serve.job(job_id)["status"] for job_id in ids] == ["queued"] * len(SHORT)

    worker, = stack.start_workers(1)
    for number, job_id in enumerate(ids):
        job = serve.finished(job_id, 120)
        assert (job["status"], job["attempts"]) == ("done", 1), job
        assert job["output"] == f"ban-tin/so-{number + 1}.mp3"
        check_mp3(stack.public / job["output"])
    assert len(re.findall(r"job \w+: building", worker.text())) == len(SHORT)


def test_a_worker_with_two_threads_builds_two_jobs_at_once(stack):
    """`readaloud worker --threads 2` ([service] workers): two builds at once in one worker."""
    serve = stack.start_serve()
    ids = []
    for number in range(4):
        answer = serve.submit(long_article(2 + number), slug=f"hai-luong/bai-{number + 1}")
        assert answer.status_code == 202, answer.text
        ids.append(answer.json()["id"])
    worker, = stack.start_workers(1, threads=2)
    running = stack.redis.scard("readaloud:state:running")  # the store's set of running jobs
    most = 0
    while stack.redis.scard("readaloud:state:done") + stack.redis.scard("readaloud:state:failed") < len(ids):
        most = max(most, running := stack.redis.scard("readaloud:state:running"))
        assert worker.alive(), worker.text()[-2000:]
        time.sleep(0.02)
    assert most == 2, f"at most {most} job(s) running at once in a worker with two threads (last: {running})"
    for job_id in ids:
        job = serve.job(job_id)
        assert (job["status"], job["attempts"]) == ("done", 1), job
        check_mp3(stack.public / job["output"])


# --- 5. callbacks through Dramatiq -----------------------------------------------------------------------


def test_callbacks_are_retried_then_dead_lettered(stack):
    flaky = Receiver(answers=[500, 500])  # then 200
    broken = Receiver(answers=[500] * 50)
    try:
        serve = stack.start_serve()
        stack.start_workers(1)
        answers = [serve.submit(SHORT[0], slug="flaky", callback_url=flaky.url),
                   serve.submit(SHORT[1], slug="broken", callback_url=broken.url)]
        assert [a.status_code for a in answers] == [202, 202], [a.text for a in answers]
        flaky_id, broken_id = (a.json()["id"] for a in answers)

        dead = f"{NS}:readaloud-callbacks.XQ"
        wait_for(lambda: stack.redis.zcard(dead) >= 1 and len(flaky.received) >= 3, 90,
                 what="the flaky callback delivered and the broken one dead-lettered")
        wait_for(lambda: callbacks_settled(stack.redis), 30, what="the callback queue to empty")

        # 500, 500, then 200: delivered on the third try, and not sent again.
        assert len(flaky.received) == 3
        bodies = [verified(received) for received in flaky.received]
        assert {(b["id"], b["status"]) for b in bodies} == {(flaky_id, "done")}

        # Always 500: [service] callback_attempts (4) tries, then Dramatiq's dead-letter queue.
        assert len(broken.received) == 4
        assert {verified(received)["id"] for received in broken.received} == {broken_id}
        (message_id,) = stack.redis.zrange(dead, 0, -1)
        message = json.loads(stack.redis.hget(f"{dead}.msgs", message_id))
        assert (message["actor_name"], message["args"]) == ("readaloud.callback", [broken_id])
        assert message["options"]["retries"] == 3  # as enqueued for its last try: the 4th

        # The jobs themselves are done either way: a callback is never part of a build.
        assert serve.job(broken_id)["status"] == serve.job(flaky_id)["status"] == "done"
    finally:
        flaky.close()
        broken.close()


# --- 6. a long build is not a dead worker ----------------------------------------------------------------


def test_a_build_longer_than_the_worker_timeout_is_built_once(stack):
    serve = stack.start_serve()
    workers = stack.start_workers(2)
    answer = serve.submit(long_article(30), slug="xe-buyt-dai")
    assert answer.status_code == 202, answer.text
    job_id = answer.json()["id"]

    builder: Worker = wait_for(lambda: next((w for w in workers if building_lines(w, job_id)), None), 60,
                               what="a worker to start the job")  # type: ignore[assignment]
    other = workers[1] if builder is workers[0] else workers[0]
    # While it builds, run Dramatiq's own dead-worker check (its dispatch script with maintenance on) on
    # the build queue twice a second, rather than on the workers' 1 call in 10: had the busy worker's
    # heartbeat lapsed past worker_timeout_s, its message would certainly have gone back to the queue.
    checker = RedisBroker(url=stack.url, namespace=NS, heartbeat_timeout=int(TIMEOUT_S * 1000),
                          maintenance_chance=1_000_000)
    beats = []  # the busy worker's heartbeat, as Dramatiq keeps it
    while serve.job(job_id)["status"] == "running":
        checker.do_qsize("readaloud-builds")
        beats.append(stack.redis.zscore(f"{NS}:__heartbeats__", broker_id(builder)))
        time.sleep(0.5)

    job = serve.finished(job_id, 60)
    assert job["status"] == "done", job
    took = (datetime.fromisoformat(job["finished_at"]) - datetime.fromisoformat(job["started_at"])).total_seconds()
    assert took > TIMEOUT_S, f"built in {took:.1f} s: too fast to test the worker timeout"
    assert job["attempts"] == 1, job
    assert len(building_lines(builder, job_id)) == 1
    assert building_lines(other, job_id) == []
    # Its heartbeat moved on while it was busy.
    assert None not in beats and len(set(beats)) > 1 and beats == sorted(beats), beats
    check_mp3(stack.public / job["output"])


# --- 7. a bad article is refused at submit ---------------------------------------------------------------


def test_a_bad_article_is_refused_before_it_is_queued(stack):
    serve = stack.start_serve()
    for body in (b"", "Chỉ có tiêu đề\n".encode(), b"Ti\x00tle\n\nbinary"):
        answer = serve.submit(body, key="bai-hong")
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"].startswith("article.txt: ")
    counts = httpx.get(serve.base + "/healthz", timeout=10).json()["jobs"]
    assert counts == {"queued": 0, "running": 0, "done": 0, "failed": 0}
    assert stack.redis.llen(f"{NS}:readaloud-builds") == 0
    assert stack.redis.hlen(f"{NS}:readaloud-builds.msgs") == 0
    assert stack.redis.keys("readaloud:*") == []  # no job kept, no idempotency key taken


def test_a_job_kept_but_never_sent_is_sent_at_the_next_start(stack):
    """The server died between keeping a job in Redis and queueing its build message: the job is in the
    store as queued, with no message anywhere. The next `serve` start sends it, and a worker builds it."""
    kept, made = RedisJobStore(stack.url).submit(Submission(SHORT[0].encode(), ".txt", "article.txt",
                                                            slug="giu-lai/bai-1"))
    assert made and stack.redis.llen(f"{NS}:readaloud-builds") == 0
    serve = stack.start_serve()
    assert stack.redis.llen(f"{NS}:readaloud-builds") == 1
    assert "never sent to the workers" in serve.text()
    stack.start_workers(1)
    job = serve.finished(kept.id, 120)
    assert (job["status"], job["attempts"], job["output"]) == ("done", 1, "giu-lai/bai-1.mp3"), job
    check_mp3(stack.public / job["output"])
    serve.stop()
    stack.start_serve()  # sent once: a second start finds nothing to send
    assert stack.redis.llen(f"{NS}:readaloud-builds") == 0


def test_a_worker_with_other_settings_fails_an_api_job(stack):
    """A worker given another readaloud.toml than the server must not publish audio that sounds otherwise
    than the server's settings say: the job fails with a line saying why, and nothing is written."""
    serve = stack.start_serve()
    other = write_config(stack.folder / "other", port=stack.port, queue=stack.url,
                         extra="[pauses]\nparagraph = 1500\n")
    text = other.read_text(encoding="utf-8").replace(str(stack.folder / "other" / "data"), str(stack.folder / "data"))
    other.write_text(text, encoding="utf-8")
    worker = Worker(other, stack.folder / "other-worker.log").start()
    stack.workers.append(worker)
    answer = serve.submit(SHORT[1], slug="khac/bai-1", callback_url="")
    job = serve.finished(answer.json()["id"], 120)
    assert job["status"] == "failed", job
    assert re.fullmatch(r"the worker's settings \(\w+\) differ from the server's \(\w+\): give every worker the "
                        r"server's readaloud.toml", job["error"]), job["error"]
    assert not (stack.public / "khac").exists()
