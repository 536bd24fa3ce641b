"""Scale-out: jobs and sync articles as Dramatiq messages on Redis, built by `readaloud worker`s on any
number of machines.

Dramatiq does the queue's hard parts, and nothing here redoes them: a message is acknowledged only after
its actor returns (a worker killed mid-build never acknowledges, so its message goes back to the queue
once the worker's heartbeat is [service] worker_timeout_s old, and another worker runs it); an actor that
raises is retried with exponential backoff (the Retries middleware); one out of retries goes to the dead
letter queue (`<queue>.XQ`, kept 7 days). What is ours: that running a job twice is harmless (files are
replaced atomically; the store records one finish) and that its callback is queued once.

Every worker and the server must see the same paths: the public folder, the clip cache and, for sync,
the article and output folders, on shared storage mounted at the same place (see the README).
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from readaloud import config
from readaloud.config import redacted
from readaloud.service import callbacks, execute

if TYPE_CHECKING:
    from readaloud.archive import Planned
    from readaloud.builder import Builder
    from readaloud.config import Settings
    from readaloud.service.places import Places
    from readaloud.service.store_redis import RedisJobStore
    from readaloud.sync import Outcome

log = logging.getLogger("readaloud.service")

NAMESPACE = "readaloud-dramatiq"
BUILDS, CALLBACKS, SYNC = "readaloud-builds", "readaloud-callbacks", "readaloud-sync"
# Dramatiq checks for dead workers on this share of Redis calls (out of a million; its default is 1,000).
# A check is a few Redis commands, and the few workers of a newsroom make few calls: check on 1 in 10.
MAINTENANCE_CHANCE = 100_000
BUILD_RETRIES = 3  # for unexpected errors only (a full disk); a bad article fails at once
RESULTS_TTL_S = 86_400
NO_TIME_LIMIT_MS = 7 * 86_400_000  # [reading] max_article_seconds = 0: no limit from Dramatiq either


@dataclass
class _Worker:
    settings: Settings
    store: RedisJobStore
    builder: Builder
    places: Places
    cores: int | None


_actors: dict[str, dramatiq.Actor[Any, Any]] = {}
_worker: _Worker | None = None


def connect(settings: Settings) -> RedisBroker:
    """The broker for [service] queue, with readaloud's actors declared on it."""
    service = settings.service
    broker = RedisBroker(url=service.queue, namespace=NAMESPACE, heartbeat_timeout=int(service.worker_timeout_s * 1000),
                         maintenance_chance=MAINTENANCE_CHANCE)
    broker.add_middleware(dramatiq.middleware.CurrentMessage())  # a callback's log line tells which try it was
    dramatiq.set_broker(broker)
    budget = settings.reading.max_article_seconds
    # The build's own budget stops a runaway article; Dramatiq's limit is only a backstop past it.
    limit = int((budget + 300) * 1000) if budget else NO_TIME_LIMIT_MS
    _actors["build"] = dramatiq.actor(broker=broker, actor_name="readaloud.build", queue_name=BUILDS,
                                      max_retries=BUILD_RETRIES, min_backoff=5_000, max_backoff=60_000,
                                      time_limit=limit, on_retry_exhausted="readaloud.build_gave_up")(_build)
    _actors["gave_up"] = dramatiq.actor(broker=broker, actor_name="readaloud.build_gave_up", queue_name=BUILDS,
                                        max_retries=BUILD_RETRIES)(_build_gave_up)
    _actors["callback"] = dramatiq.actor(broker=broker, actor_name="readaloud.callback", queue_name=CALLBACKS,
                                         max_retries=service.callback_attempts - 1,
                                         min_backoff=max(1, int(service.callback_backoff_s * 1000)),
                                         max_backoff=int(callbacks.MAX_DELAY_S * 1000))(_callback)
    _actors["sync"] = dramatiq.actor(broker=broker, actor_name="readaloud.sync_article", queue_name=SYNC,
                                     max_retries=BUILD_RETRIES, min_backoff=5_000, max_backoff=60_000,
                                     time_limit=limit)(_sync_article)
    return broker


def enqueue_build(job_id: str, settings: Settings) -> None:
    """Send a job to the workers, with the fingerprint of the settings it was accepted under."""
    _actors["build"].send(job_id, config.fingerprint(settings))


# --- the worker side -------------------------------------------------------------------------------------


def run_worker(settings: Settings, stop: Callable[[], bool], on_ready: Callable[[str], None],
               cores: int | None = None) -> None:
    """`readaloud worker`: build jobs and sync articles from the queue until `stop()` says so (checked
    ten times a second); the message in hand then finishes before this returns. `cores`: how many each
    build's encode may use (default: this machine's, shared among the threads)."""
    global _worker
    from readaloud.builder import Builder
    from readaloud.pipeline import available_cores
    from readaloud.service.places import Places
    from readaloud.service.store_redis import RedisJobStore

    broker = connect(settings)
    places = Places.of(settings.service)
    places.make()
    threads = settings.service.workers
    store = RedisJobStore(settings.service.queue)
    store.check()
    _worker = _Worker(settings, store, Builder(settings), places,
                      cores or max(1, available_cores() // threads))
    # worker_timeout: the longest a consumer sleeps between looks at its queue. While a build runs its
    # sleeps grow to it, so at Dramatiq's default (1 s) the next job waited 0.4 s on average.
    builds = dramatiq.Worker(broker, queues={BUILDS, SYNC}, worker_threads=threads, worker_timeout=100)
    # Take messages only for free threads. The limit is per queue, so a busy worker may still hold one sync
    # article while it builds a job (or the other way round); per queue it is `threads`, or a worker with
    # two threads would still build one job at a time.
    builds.queue_prefetch = threads
    # Callbacks have a thread of their own: never kept waiting behind a build, nor holding one up. A second
    # Worker on one broker is how Dramatiq does that; the warning it logs for it is about something else.
    logging.getLogger("dramatiq.broker.RedisBroker").addFilter(
        lambda record: "same type twice" not in record.getMessage())
    # Its consumer wakes as often as the builds' (a callback retry is due on time, and a stop is not kept
    # waiting a second for it).
    sender = dramatiq.Worker(broker, queues={CALLBACKS}, worker_threads=1, worker_timeout=100)
    sender.queue_prefetch = 1
    builds.start()
    sender.start()
    on_ready(broker.broker_id)
    try:
        while not stop():
            time.sleep(0.1)
    finally:
        builds.stop()
        sender.stop()


def _context() -> _Worker:
    if _worker is None:
        raise RuntimeError("readaloud's actors run only in `readaloud worker`")
    return _worker


def _build(job_id: str, fingerprint: str = "") -> None:
    ctx = _context()
    mine = config.fingerprint(ctx.settings)
    if fingerprint and fingerprint != mine:
        # Built under other settings, it would not sound as the server's promise (and sync would redo it).
        ctx.store.finish(job_id, None, f"the worker's settings ({mine}) differ from the server's ({fingerprint}): "
                         "give every worker the server's readaloud.toml", 0.0)
    else:
        job = ctx.store.get(job_id)
        if job is not None and job.state in ("queued", "running"):
            with ctx.store.slug_held(job.slug, ctx.settings.service.worker_timeout_s):
                execute.run(job_id, ctx.store, ctx.builder, ctx.places, cores=ctx.cores, reraise=True)
    _queue_callback(ctx, job_id)  # also when it had finished already: the earlier run may have died here


def _build_gave_up(message: dict[str, Any], retries: dict[str, Any]) -> None:
    ctx = _context()
    job_id = message["args"][0]
    ctx.store.finish(job_id, None, f"gave up after {retries.get('retries', 0) + 1} tries on unexpected errors "
                     "(see the workers' logs)", 0.0)
    _queue_callback(ctx, job_id)


def _queue_callback(ctx: _Worker, job_id: str) -> None:
    """Queue a finished job's callback, once. Sent first and marked after: a worker dying in between means
    its build message comes again and sends it again (the receiver may see it twice, keyed by
    Readaloud-Job), never that it is lost."""
    job = ctx.store.get(job_id)
    if job is None or job.state not in ("done", "failed") or not job.callback_url:
        return
    if not ctx.store.callback_was_queued(job_id):
        _actors["callback"].send(job_id)
        ctx.store.mark_callback_queued(job_id)


def _callback(job_id: str) -> None:
    """One try. On failure Dramatiq tries again later (Retry: its backoff, without a traceback in the log)
    and after the last try keeps the message in the dead-letter queue."""
    ctx = _context()
    job = ctx.store.get(job_id)
    if job is None:
        return
    body = callbacks.body_of(job, ctx.places.status_url(job_id))
    try:
        callbacks.deliver(job.callback_url, body, ctx.settings.service.callback_secret, job_id)
    except callbacks.CallbackFailed as exc:
        message = dramatiq.middleware.CurrentMessage.get_current_message()
        tries = (message.options.get("retries", 0) if message is not None else 0) + 1
        log.warning("callback for job %s: %s (try %d of %d)", job_id, exc, tries,
                    ctx.settings.service.callback_attempts)
        raise dramatiq.Retry(str(exc)) from None


def _sync_article(run_id: str, index: int, source: str, output: str, reason: str, fingerprint: str) -> None:
    from readaloud.archive import Planned
    from readaloud.sync import Outcome, build_one

    ctx = _context()
    mine = config.fingerprint(ctx.settings)
    if mine != fingerprint:
        outcome = Outcome(source, output, "failed", f"this worker's settings ({mine}) differ from the sync's "
                          f"({fingerprint}): give every worker the same readaloud.toml")
    else:
        log.info("sync article %s: building (pid %d)", source, os.getpid())
        outcome = build_one(ctx.builder, Planned(Path(source), Path(output), reason), log.warning,
                            cores=ctx.cores or 1)
    results = f"{NAMESPACE}:sync:{run_id}"
    with ctx.store.client.pipeline() as pipe:
        pipe.rpush(results, json.dumps({"index": index, **asdict(outcome)}))
        pipe.expire(results, RESULTS_TTL_S)
        pipe.execute()


# --- the sync side ---------------------------------------------------------------------------------------


def build_elsewhere(settings: Settings, to_build: list[tuple[int, Planned]], record: Callable[[int, Outcome], None],
                    warn: Callable[[str], None]) -> None:
    """`sync --queue`: send each article to the workers, then record each outcome as a worker reports it.
    An article no worker finishes in time (no workers running, or all busy for long) is recorded failed;
    its message stays queued, and the next sync finds it built or still stale."""
    import secrets

    import redis

    from readaloud.service.store_redis import RedisJobStore
    from readaloud.sync import Outcome

    RedisJobStore(settings.service.queue).check()
    connect(settings)
    # An article's own time limit bounds its build; with none, wait a day between outcomes.
    patience = (settings.reading.max_article_seconds or 86_400) + 2 * settings.service.worker_timeout_s
    # A connection of its own: it waits for outcomes longer than redis-py's default socket timeout allows.
    client = redis.Redis.from_url(settings.service.queue, socket_timeout=patience + 30)
    if not _live_workers(client, settings):
        warn(f"no `readaloud worker` is running on {redacted(settings.service.queue)}: the articles wait for one")
    run_id = secrets.token_hex(8)
    fingerprint = config.fingerprint(settings)
    waiting = {index: item for index, item in to_build}
    for index, item in to_build:
        # Absolute: a worker runs in a folder of its own, where the sync's relative paths lead nowhere.
        _actors["sync"].send(run_id, index, str(item.source.absolute()), str(item.output.absolute()),
                             item.reason or "", fingerprint)
    results = f"{NAMESPACE}:sync:{run_id}"
    while waiting:
        popped = client.blpop([results], timeout=max(1, round(patience)))
        if popped is None:
            break
        data = json.loads(popped[1])
        index = data.pop("index")
        if index in waiting:  # a second report of one article (a redelivery) is dropped
            given = waiting.pop(index)  # reported with its paths as given, as a local sync reports them
            outcome = Outcome(**{**data, "source": str(given.source), "output": str(given.output)})
            if outcome.fallback:  # the build's own warning went to the worker's log
                warn(f"{outcome.source}: spoken by the fallback engine ({outcome.engine}); the next sync "
                     "upgrades it")
            record(index, outcome)
    for index, item in waiting.items():
        record(index, Outcome(str(item.source), str(item.output), "failed",
                              f"no worker finished it within {patience:g} s (are `readaloud worker`s running on "
                              "this queue?); it stays queued"))


def _live_workers(client: Any, settings: Settings) -> int:
    since = time.time() * 1000 - settings.service.worker_timeout_s * 1000
    return int(client.zcount(f"{NAMESPACE}:__heartbeats__", since, "+inf"))
