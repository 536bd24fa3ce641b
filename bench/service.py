"""`make bench`'s service figures (issue 15), against real `readaloud serve` and `readaloud worker`
processes on loopback ports (tests/helpers/service.py starts them):

    9   embedded `serve` (SQLite, builds in its own thread, [service] workers = 1): 200 short articles
        POSTed by 20 concurrent clients as the first build runs; each POST's latency, then every job
        followed to its end (done, failed, or lost: never finished)
    10  `serve` on Redis (Debian's redis-server, started here on a free port): 40 longer articles built by
        one `readaloud worker --threads 1` and by two, each run from nothing (new Redis, data folder and
        clip cache, nothing reused), so the ratio is the throughput a second worker adds; in two halves,
        run 1-2-2-1 workers, so that the VM's drifting speed weighs on both alike

Articles are made at run time from the news corpus beside the project (BENCH_CORPUS elsewhere):
a title line of our own, then the first paragraphs of a corpus article. Nothing of the corpus is kept.
Alone: `python bench/run.py --only service`.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
from tests.helpers.service import TOKEN, RedisServer, Serve, Worker, free_port, wait_for, write_config

Record = Callable[..., None]
HEADERS = {"Authorization": f"Bearer {TOKEN}"}

SUBMISSIONS, CLIENTS = 200, 20
WARM_UP = 2  # longer articles submitted first, so that builds are running when the 200 come
SHORT_WORDS = (40, 90)  # 9: an article's first paragraphs, two or more until 40 words; at most 90
WORKER_ARTICLES = 40
WORKER_WORDS = (200, 280)  # 10: until 200 words, at most 280: ~2 s a build, ~60-90 s for one worker
# A job not finished this long after the last POST is lost; so is one still unfinished when nothing has
# finished for STALL_S (a build is a few seconds: a stall that long is a stuck queue, not a slow one).
DRAIN_BOUND_S, STALL_S = 600.0, 120.0


def child_env() -> dict[str, str]:
    """The environment for serve and its workers: ours without READALOUD_* variables, so that only the
    readaloud.toml written here sets them up."""
    return {key: value for key, value in os.environ.items() if not key.startswith("READALOUD_")}


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int, children: bool = False) -> float:
    """CPU seconds of a process (user + system), with `children`: also of its children it has waited for,
    and of its live descendants. 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / TICK
    if not children:
        return own
    total = own + (int(fields[13]) + int(fields[14])) / TICK
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = (task / "children").read_text().split()
        except OSError:
            continue
        total += sum(cpu_s(int(kid), children=True) for kid in kids)
    return total


def machine_busy() -> tuple[float, float]:
    """The machine's busy and total CPU seconds so far, all cores (from /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values) - idle) / TICK, sum(values) / TICK


def cores_busy(before: tuple[float, float], after: tuple[float, float]) -> float:
    """How many of the machine's cores were busy on average between two machine_busy() readings."""
    total = after[1] - before[1]
    return (after[0] - before[0]) / total * (os.cpu_count() or 1) if total > 0 else 0.0


def paragraphs(path: Path) -> list[str]:
    """A corpus article's body lines (after its three # header lines)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def corpus_articles(corpus: Path, count: int, words: tuple[int, int], skip: frozenset[str] = frozenset(),
                    least_paragraphs: int = 2) -> list[tuple[str, str]]:
    """`count` (name, body) pairs from distinct corpus articles, spread evenly over the whole corpus (all
    its sections): each body is the article's first paragraphs, at least `least_paragraphs` of them and
    until words[0] words, kept only when that is at most words[1] words."""
    eligible = []
    for path in sorted(corpus.glob("*.txt")):
        if path.name in skip:
            continue
        taken: list[str] = []
        for paragraph in paragraphs(path):
            taken.append(paragraph)
            if len(taken) >= least_paragraphs and sum(len(p.split()) for p in taken) >= words[0]:
                break
        if len(taken) >= least_paragraphs and words[0] <= sum(len(p.split()) for p in taken) <= words[1]:
            eligible.append((path.name, "\n\n".join(taken)))
    if len(eligible) < count:
        return []
    step = len(eligible) / count
    return [eligible[int(n * step)] for n in range(count)]


def article(number: int, body: str) -> bytes:
    """Plain text as a CMS would send it: our own title line, then the body."""
    return f"Bản tin thử số {number}\n\n{body}\n".encode()


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Posted:
    number: int
    status: int
    seconds: float
    job_id: str | None
    error: str = ""
    sent_at: float = 0.0  # seconds after the first POST was sent


async def exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept-alive connection: its status and body."""
    writer.write(request)
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection")
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        return int(status_line.split()[1]), await reader.readexactly(length)
    body = b""
    while size := int((await reader.readline()).split(b";")[0], 16):
        body += (await reader.readexactly(size + 2))[:-2]
    await reader.readline()
    return int(status_line.split()[1]), body


def request(method: str, host: str, target: str, body: bytes = b"", content_type: str = "") -> bytes:
    head = [f"{method} {target} HTTP/1.1", f"Host: {host}", f"Authorization: Bearer {TOKEN}",
            f"Content-Length: {len(body)}"] + ([f"Content-Type: {content_type}"] if content_type else [])
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def post_all(port: int, bodies: list[bytes], clients: int) -> tuple[list[Posted], float]:
    """POST every body to /v1/builds from `clients` concurrent clients, each on its own kept-alive
    connection (opened, and a GET /healthz answered, before the first POST), each taking the next article
    when its last answer came. The answers, and the time (time.time()) the first POST was sent.

    The clients speak HTTP/1.1 over asyncio streams themselves, at about 0.2 ms of CPU a request: httpx
    spends 3-5 ms of CPU on each on this VM, on the same two cores as the server, and 20 of its requests
    queue behind each other in the client's event loop, so with it the bench measured the client
    (p95 126 ms against 38 ms for the same server with builds held off; see the commit message)."""
    host = f"127.0.0.1:{port}"
    pending = list(enumerate(bodies))
    pending.reverse()
    posted: list[Posted] = []
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(clients)]
    first_wall, first = 0.0, 0.0

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while pending:
            number, body = pending.pop()
            message = request("POST", host, f"/v1/builds?slug=bench/bai-{number:03d}", body,
                              "text/plain; charset=utf-8")
            started = time.perf_counter()
            try:
                status, answer = await exchange(reader, writer, message)
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as exc:
                posted.append(Posted(number, 0, time.perf_counter() - started, None, repr(exc), started - first))
                return  # this connection is unusable: the other clients take the rest
            seconds = time.perf_counter() - started
            job_id = json.loads(answer).get("id") if status == 202 else None
            refusal = "" if job_id else answer[:200].decode(errors="replace")
            posted.append(Posted(number, status, seconds, job_id, refusal, started - first))

    try:
        await asyncio.gather(*(exchange(reader, writer, request("GET", host, "/healthz"))
                               for reader, writer in connections))
        first_wall, first = time.time(), time.perf_counter()
        await asyncio.gather(*(client(reader, writer) for reader, writer in connections))
    finally:
        for _, writer in connections:
            writer.close()
    return sorted(posted, key=lambda p: p.number), first_wall


def epoch_times(job: dict) -> dict:
    """The job with its ISO 8601 times ("2026-11-30T07:19:18.458Z") as Unix seconds, to subtract."""
    for name in ("created_at", "started_at", "finished_at"):
        if job.get(name):
            job[name] = datetime.fromisoformat(job[name].replace("Z", "+00:00")).timestamp()
    return job


async def jobs_of(base: str, job_ids: list[str], clients: int = 10) -> dict[str, dict]:
    """Every job's status, once."""
    found: dict[str, dict] = {}
    pending = list(job_ids)

    async def client() -> None:
        async with httpx.AsyncClient(base_url=base, headers=HEADERS, timeout=60.0) as http:
            while pending:
                job_id = pending.pop()
                answer = await http.get(f"/v1/builds/{job_id}")
                found[job_id] = (epoch_times(answer.json()) if answer.status_code == 200
                                 else {"status": f"HTTP {answer.status_code}"})

    await asyncio.gather(*(client() for _ in range(clients)))
    return found


def drain(serve: Serve, accepted: int, alive: Callable[[], bool]) -> tuple[dict[str, int], str]:
    """Wait (polling /healthz's job counts) until `accepted` jobs are done or failed, or until they are
    taken for lost: DRAIN_BOUND_S, STALL_S with nothing finishing, or a process ended. The last counts and
    why the wait ended ("" when all finished)."""
    deadline = time.monotonic() + DRAIN_BOUND_S
    finished, last_change = -1, time.monotonic()
    counts: dict[str, int] = {}
    while True:
        try:
            counts = httpx.get(serve.base + "/healthz", timeout=30).json()["jobs"]
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        now_finished = counts.get("done", 0) + counts.get("failed", 0)
        if now_finished >= accepted:
            return counts, ""
        if now_finished != finished:
            finished, last_change = now_finished, time.monotonic()
        if not alive():
            return counts, "a readaloud process ended"
        if time.monotonic() > deadline:
            return counts, f"not finished {DRAIN_BOUND_S:g} s after the last POST"
        if time.monotonic() - last_change > STALL_S:
            return counts, f"nothing finished for {STALL_S:g} s"
        time.sleep(0.25)


@dataclass
class Outcome:
    accepted: int
    done: int
    failed: int
    lost: int
    drain_s: float  # from the first POST to the last job finished (the server's own clock)
    builds: list[float]  # each done job's build seconds (started -> finished)
    errors: list[str]
    ended: str
    jobs: dict[str, dict]  # each accepted job's last status, as GET /v1/builds/{id} gave it


def follow(serve: Serve, posted: list[Posted], first_post_wall: float, alive: Callable[[], bool],
           others: int = 0) -> Outcome:
    """Every accepted job of `posted` to its end; `others`: jobs submitted besides them (warm-ups), which
    the store's counts include."""
    job_ids = [p.job_id for p in posted if p.job_id]
    _, ended = drain(serve, len(job_ids) + others, alive)
    jobs = asyncio.run(jobs_of(serve.base, job_ids)) if serve.alive() else {}
    states = [jobs.get(job_id, {}).get("status") for job_id in job_ids]
    finished = [job["finished_at"] for job in jobs.values() if job.get("finished_at")]
    builds = [job["finished_at"] - job["started_at"] for job in jobs.values()
              if job.get("status") == "done" and job.get("started_at")]
    errors = sorted({str(job.get("error"))[:160] for job in jobs.values() if job.get("status") == "failed"})
    done, failed = states.count("done"), states.count("failed")
    return Outcome(len(job_ids), done, failed, len(job_ids) - done - failed,
                   (max(finished) - first_post_wall) if finished else 0.0, builds, errors, ended, jobs)


def gaps(outcome: Outcome) -> list[float]:
    """Seconds between one job's finish and the next one's start, for jobs built one at a time."""
    runs = sorted((job["started_at"], job["finished_at"]) for job in outcome.jobs.values()
                  if job.get("started_at") and job.get("finished_at"))
    return [max(0.0, later[0] - earlier[1]) for earlier, later in zip(runs, runs[1:], strict=False)]


def log_tail(*processes: Serve | Worker) -> str:
    return " | ".join(f"{Path(p.log).name}: {p.text()[-600:]!r}" for p in processes if Path(p.log).exists())


# --- 9: the embedded service under 20 concurrent clients --------------------------------------------------


def warm_up(serve: Serve, bodies: list[bytes]) -> list[str]:
    """WARM_UP jobs of a dozen bodies each (several seconds of building), and a wait until one is being
    built: the 200 POSTs are then timed while builds run, not before the first one starts."""
    job_ids = []
    for number in range(WARM_UP):
        text = b"\n".join(bodies[number * 12:(number + 1) * 12]).replace("Bản tin thử số".encode(), b"Tin")
        answer = serve.submit(text, "text/plain; charset=utf-8", slug=f"bench/khoi-dong-{number + 1}")
        job_ids.append(answer.json()["id"])
    wait_for(lambda: any(serve.job(job_id)["status"] == "running" for job_id in job_ids), 60, 0.02,
             "a warm-up build to start")
    return job_ids


def bench_embedded(folder: Path, record: Record, corpus: Path) -> frozenset[str]:
    """#9. Returns the corpus articles it used (10 takes others)."""
    chosen = corpus_articles(corpus, SUBMISSIONS, SHORT_WORDS)
    name = f"9a. service (embedded): POST /v1/builds p95, {CLIENTS} clients"
    if not chosen:
        record(name, 0.0, "ms", "< 50", None, f"not enough short articles in a corpus at {corpus}")
        return frozenset()
    bodies = [article(n + 1, body) for n, (_, body) in enumerate(chosen)]
    words = [len(body.split()) for _, body in chosen]
    here = folder / "service-embedded"
    port = free_port()
    serve = Serve(write_config(here, port=port), port, here / "serve.log", child_env())
    serve.start()
    assert serve.proc is not None
    pid = serve.proc.pid
    try:
        warm_ups = warm_up(serve, bodies)
        load_then, machine_then = load(), machine_busy()
        own_then, tree_then = cpu_s(pid), cpu_s(pid, children=True)
        client_then = time.process_time()
        posted, first_post_wall = asyncio.run(post_all(port, bodies, CLIENTS))
        warm_states = [serve.job(job_id)["status"] for job_id in warm_ups]
        submit_s = time.time() - first_post_wall
        client_cpu = time.process_time() - client_then
        own_burst, machine_burst = cpu_s(pid) - own_then, cores_busy(machine_then, machine_busy())
        last_post_wall = first_post_wall + submit_s
        outcome = follow(serve, posted, first_post_wall, serve.alive, others=len(warm_ups))
        own_all, tree_all = cpu_s(pid) - own_then, cpu_s(pid, children=True) - tree_then
        machine_all = cores_busy(machine_then, machine_busy())
    finally:
        serve.stop()
    starts = sorted(job["started_at"] for job in outcome.jobs.values() if job.get("started_at"))
    started_during = sum(1 for start in starts if start <= last_post_wall)
    first_start_s = (starts[0] - first_post_wall) if starts else float("inf")
    during = sum(1 for p in posted if p.sent_at >= first_start_s)
    latencies = [p.seconds * 1000 for p in posted if p.status == 202]
    refused = [p for p in posted if p.status != 202]
    p50 = statistics.median(latencies) if latencies else 0.0
    p95 = percentile(latencies, 0.95) if latencies else 0.0
    slowest = max(latencies) if latencies else 0.0
    refusals = f"; {len(refused)} not accepted (first: {refused[0].status} {refused[0].error})" if refused else ""
    # Met only if builds ran throughout: a warm-up build still running after the last answer, or one of the
    # 200 started by then.
    builds_ran = "running" in warm_states or started_during > 0
    record(name, p95, "ms", "< 50", p95 < 50 and len(latencies) == len(bodies) and builds_ran,
           f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {slowest:.1f} ms over {len(latencies)} accepted POSTs; "
           f"{len(posted)} POSTs in {submit_s:.2f} s ({len(posted) / submit_s:.0f}/s) while builds ran: "
           f"{WARM_UP} longer warm-up jobs, one building from before the first POST, "
           f"{'/'.join(warm_states)} after the last answer; of the 200, {during} sent after the first of them "
           f"started ({first_start_s * 1000:.0f} ms after the first POST, {started_during} before the last answer); "
           f"serve's own CPU {own_burst * 1000 / max(1, len(posted)):.1f} ms a POST ({own_burst / submit_s:.0%} of a "
           f"core), the clients' {client_cpu * 1000 / max(1, len(posted)):.2f} ms, machine {machine_burst:.2f} "
           f"cores busy; articles {min(words)}-{max(words)} words (median {statistics.median(words):.0f})"
           f"{refusals}; load {load_then}")
    lost_detail = f"; lost because: {outcome.ended}; {log_tail(serve)}" if outcome.lost else ""
    errors = f"; errors: {' / '.join(outcome.errors[:3])}" if outcome.errors else ""
    record(f"9b. service (embedded): {len(bodies)} submitted, jobs lost", outcome.lost, "jobs", "== 0",
           outcome.lost == 0 and outcome.accepted == len(bodies),
           f"submitted {len(posted)} of {len(bodies)}, accepted {outcome.accepted}, done {outcome.done}, failed "
           f"{outcome.failed}, lost {outcome.lost}{lost_detail}{errors}")
    builds = outcome.builds
    idle = gaps(outcome)
    build_text = (f"builds {statistics.mean(builds):.2f} s mean, {statistics.median(builds):.2f} s median, "
                  f"{max(builds):.2f} s max, one at a time ([service] workers = 1), "
                  f"{statistics.mean(idle) if idle else 0.0:.2f} s mean from one's end to the next's start"
                  ) if builds else "no build done"
    done = max(1, outcome.done + outcome.failed)
    record(f"9c. service (embedded): drain time, {len(bodies)} jobs", outcome.drain_s, "s", "(shown)", None,
           f"first POST to last job finished; {build_text}; CPU a job: serve's own (Python) "
           f"{own_all / done:.2f} s, with its ffmpeg/espeak-ng children {tree_all / done:.2f} s; machine "
           f"{machine_all:.2f} cores busy; load {load()} at the end")
    return frozenset(name for name, _ in chosen)


# --- 10: one worker against two on the same Redis queue ---------------------------------------------------


@dataclass
class WorkerRun:
    outcome: Outcome
    load: str  # the load average when the first article was sent
    worker_cpu_s: float  # the workers' CPU, their ffmpeg and espeak-ng children's included
    machine_cores: float  # the machine's busy cores on average (other programs' too)


def run_workers(folder: Path, bodies: list[bytes], workers: int, cores: int | None) -> WorkerRun:
    """Everything from nothing (Redis, data folder, clip cache), `workers` workers ready, then every
    article submitted and followed to its end."""
    redis = RedisServer(folder / "redis")
    port = free_port()
    config = write_config(folder, port=port, queue=redis.url)
    serve = Serve(config, port, folder / "serve.log", child_env())
    started: list[Worker] = []
    try:
        serve.start()
        for number in range(workers):
            worker = Worker(config, folder / f"worker-{number + 1}.log", child_env(), threads=1)
            worker.args += ["--cores", str(cores)] if cores else []
            started.append(worker.start())
        pids = [worker.proc.pid for worker in started if worker.proc is not None]
        load_then, machine_then = load(), machine_busy()
        cpu_then = sum(cpu_s(pid, children=True) for pid in pids)
        first_post_wall = time.time()
        posted = []
        with httpx.Client(base_url=serve.base, headers=HEADERS, timeout=60.0) as http:
            for number, body in enumerate(bodies):
                answer = http.post("/v1/builds", content=body, params={"slug": f"bench/bai-{number:03d}"},
                                   headers={"Content-Type": "text/plain; charset=utf-8"})
                job_id = answer.json().get("id") if answer.status_code == 202 else None
                posted.append(Posted(number, answer.status_code, 0.0, job_id, "" if job_id else answer.text[:200]))

        def alive() -> bool:
            return serve.alive() and all(worker.alive() for worker in started)

        outcome = follow(serve, posted, first_post_wall, alive)
        worker_cpu = sum(cpu_s(pid, children=True) for pid in pids) - cpu_then
        machine = cores_busy(machine_then, machine_busy())
        if outcome.lost:
            outcome.ended += f"; {log_tail(serve, *started)}"
        return WorkerRun(outcome, load_then, worker_cpu, machine)
    finally:
        for worker in started:
            worker.stop()
        serve.stop()
        redis.stop()


# (half of the articles, workers) in the order run: 1-2-2-1, so that a drift of this VM's speed over the
# four runs (15-40% from one minute to the next) weighs on both counts alike.
ORDER = ((0, 1), (0, 2), (1, 2), (1, 1))


def bench_workers(folder: Path, record: Record, corpus: Path, skip: frozenset[str], cores: int | None) -> None:
    """#10, with each build's encode on `cores` cores (None: the worker's default, every core)."""
    name = ("10. service (Redis): 2 workers / 1 worker throughput" if cores else
            "10b. same, each build on every core (workers' default)")
    target = ">= 1.7" if cores else "(shown)"
    if shutil.which("redis-server") is None:
        record(name, 0.0, "x", ">= 1.7", None, "no redis-server on PATH (apt-get install redis-server)")
        return
    chosen = corpus_articles(corpus, WORKER_ARTICLES, WORKER_WORDS, skip)
    if not chosen:
        record(name, 0.0, "x", ">= 1.7", None, f"not enough articles in a corpus at {corpus}")
        return
    bodies = [article(n + 1, body) for n, (_, body) in enumerate(chosen)]
    words = [len(body.split()) for _, body in chosen]
    halves = (bodies[::2], bodies[1::2])
    runs = {(half, workers): run_workers(folder / f"service-redis-{cores or 0}-{half + 1}-{workers}", halves[half],
                                         workers, cores)
            for half, workers in ORDER}
    seconds = {workers: sum(runs[(half, workers)].outcome.drain_s for half in (0, 1)) for workers in (1, 2)}
    ratio = seconds[1] / seconds[2] if seconds[2] else 0.0
    complete = all(run.outcome.done == len(halves[half]) for (half, _), run in runs.items())
    by_half = ", ".join(f"{runs[(half, 1)].outcome.drain_s / runs[(half, 2)].outcome.drain_s:.2f}"
                        if runs[(half, 2)].outcome.drain_s else "-" for half in (0, 1))

    def told(workers: int) -> str:
        mine = [runs[(half, workers)] for half in (0, 1)]
        builds = [b for run in mine for b in run.outcome.builds]
        idle = [g for run in mine for g in gaps(run.outcome)] if workers == 1 else []
        wall = sum(run.outcome.drain_s for run in mine) or 1.0
        trouble = "".join(f" (half {half + 1}: {run.outcome.failed} failed, {run.outcome.lost} lost: "
                          f"{run.outcome.ended})" for half, run in enumerate(mine)
                          if run.outcome.done < len(halves[half]))
        return (f"{' + '.join(f'{run.outcome.drain_s:.1f}' for run in mine)} = {seconds[workers]:.1f} s"
                f"{trouble}, builds {statistics.mean(builds) if builds else 0.0:.2f} s mean"
                + (f", {statistics.mean(idle) if idle else 0.0:.2f} s mean from one's end to the next's start"
                   if workers == 1 else "")
                + f", the workers using {sum(run.worker_cpu_s for run in mine) / wall:.2f} cores, machine "
                f"{sum(run.machine_cores * run.outcome.drain_s for run in mine) / wall:.2f} busy, load "
                f"{' / '.join(run.load for run in mine)}")

    record(name, ratio, "x", target, (ratio >= 1.7 and complete) if cores else None,
           f"{len(bodies)} articles ({sum(words)} words, {min(words)}-{max(words)} each) in two halves, run with "
           f"1, 2, 2, 1 workers, each run from nothing (new Redis, data folder, clip cache); first POST to last "
           f"finished: 1 worker {told(1)}; 2 workers {told(2)}; each half's ratio {by_half}; "
           + (f"`worker --threads 1 --cores {cores}`: each worker a one-core machine's share, as two machines "
              "would be" if cores else "`worker --threads 1`: each build may use every core, so two workers "
              "on one machine contend for them"))


def run(folder: Path, record: Record, corpus: Path) -> None:
    used = bench_embedded(folder, record, corpus)
    bench_workers(folder, record, corpus, used, cores=1)
    bench_workers(folder, record, corpus, used, cores=None)
