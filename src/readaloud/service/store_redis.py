"""The shared job store for many machines: jobs as Redis hashes, beside the Dramatiq queue on the same
Redis. The server writes a job when a CMS submits it; whichever worker builds it writes how it ended.

Every change of state is one Lua script, so it is atomic across processes: two workers handed the same
job (one was taken for dead, then finished after all) cannot both finish it, and an idempotency key can
make only one job.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis

from readaloud.config import redacted
from readaloud.errors import ConfigError
from readaloud.service.jobs import STATES, Job, KeyReused, Submission, bucket_hits, bucket_names, new_job_id, now

log = logging.getLogger("readaloud.service")
PREFIX = "readaloud:"

_SUBMIT = """
if ARGV[1] ~= "" then
    local existing = redis.call("GET", KEYS[1])
    if existing then
        return {existing, redis.call("HGET", KEYS[2] .. existing, "digest")}
    end
    redis.call("SET", KEYS[1], ARGV[2])
end
redis.call("HSET", KEYS[2] .. ARGV[2], unpack(ARGV, 3))
redis.call("SADD", KEYS[3], ARGV[2])
return {ARGV[2], false}
"""
_START = """
local state = redis.call("HGET", KEYS[1], "state")
if state ~= "queued" and state ~= "running" then return 0 end
redis.call("HSET", KEYS[1], "state", "running", "started", ARGV[1])
redis.call("HINCRBY", KEYS[1], "attempts", 1)
redis.call("SMOVE", ARGV[2] .. state, ARGV[2] .. "running", ARGV[3])
return 1
"""
_FINISH = """
local state = redis.call("HGET", KEYS[1], "state")
if state ~= "queued" and state ~= "running" then return 0 end
redis.call("HSET", KEYS[1], "state", ARGV[1], "finished", ARGV[2], "result", ARGV[3], "error", ARGV[4])
redis.call("HDEL", KEYS[1], "article")
redis.call("SMOVE", ARGV[5] .. state, ARGV[5] .. ARGV[1], ARGV[6])
for i = 7, #ARGV, 2 do
    redis.call("HINCRBYFLOAT", KEYS[2], ARGV[i], ARGV[i + 1])
end
return 1
"""

# A slug's hold is renewed and released only by its holder (the token it set).
_RENEW = """
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end
return 0
"""


class RedisJobStore:
    def __init__(self, url: str, prefix: str = PREFIX):
        self.url = url
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self._submit = self.client.register_script(_SUBMIT)
        self._start = self.client.register_script(_START)
        self._finish = self.client.register_script(_FINISH)
        self._renew = self.client.register_script(_RENEW)
        self._release = self.client.register_script(_RELEASE)

    def check(self) -> None:
        """ConfigError (one line, no password) unless Redis answers now."""
        try:
            self.client.ping()
        except redis.RedisError as exc:
            problem = f"{exc.__class__.__name__}: {exc}"
            raise ConfigError(f"{redacted(self.url)}: Redis does not answer ({problem})") from None

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    def submit(self, submission: Submission) -> tuple[Job, bool]:
        job_id = new_job_id()
        fields: dict[str, Any] = {
            "id": job_id, "state": "queued", "created": now(), "slug": submission.slug or job_id,
            "name": submission.name, "suffix": submission.suffix, "meta": json.dumps(submission.meta),
            "callback_url": submission.callback_url, "idempotency_key": submission.idempotency_key,
            "digest": submission.digest, "article": submission.article, "attempts": 0,
        }
        flat = [item for pair in fields.items() for item in pair]
        made, digest = self._submit(keys=[self._key("key", submission.idempotency_key), self._key("job", ""),
                                          self._key("state", "queued")],
                                    args=[submission.idempotency_key, job_id, *flat])
        made = made.decode()
        if made != job_id and digest is not None and digest.decode() != submission.digest:
            raise KeyReused(submission.idempotency_key)
        job = self.get(made)
        assert job is not None
        return job, made == job_id

    def _fields(self, job_id: str, *names: str) -> dict[str, bytes] | None:
        values: list[Any] = self.client.hmget(self._key("job", job_id), list(names))
        if values[0] is None:
            return None
        return dict(zip(names, values, strict=True))

    def get(self, job_id: str) -> Job | None:
        names = ("id", "state", "created", "slug", "name", "started", "finished", "attempts", "result", "error",
                 "callback_url")
        found = self._fields(job_id, *names)
        if found is None:
            return None
        text = {name: value.decode() if value is not None else None for name, value in found.items()}

        def number(name: str) -> float | None:
            return float(text[name]) if text[name] else None

        return Job(id=text["id"] or job_id, state=text["state"], created=number("created") or 0.0,  # type: ignore[arg-type]
                   slug=text["slug"] or "", name=text["name"] or "", started=number("started"),
                   finished=number("finished"), attempts=int(text["attempts"] or 0),
                   result=json.loads(text["result"]) if text["result"] else None, error=text["error"] or None,
                   callback_url=text["callback_url"] or "")

    def submission(self, job_id: str) -> Submission | None:
        found = self._fields(job_id, "article", "suffix", "name", "meta", "slug", "callback_url", "idempotency_key")
        if found is None or found["article"] is None:
            return None
        text = {name: (value or b"").decode() for name, value in found.items() if name != "article"}
        return Submission(found["article"], text["suffix"], text["name"], json.loads(text["meta"] or "{}"),
                          text["slug"], text["callback_url"], text["idempotency_key"])

    def start(self, job_id: str) -> Job | None:
        if not self._start(keys=[self._key("job", job_id)], args=[now(), self._key("state", ""), job_id]):
            return None
        return self.get(job_id)

    def finish(self, job_id: str, result: dict[str, Any] | None, error: str | None, seconds: float,
               synthesized: int = 0, fallback: bool = False) -> bool:
        state = "done" if error is None else "failed"
        counted = [("builds", 1), ("build_seconds_sum", seconds), ("engine_requests", synthesized),
                   ("fallbacks", 1 if fallback else 0)] + [(name, 1) for name in bucket_hits(seconds)]
        args: list[Any] = [state, now(), json.dumps(result) if result is not None else "", error or "",
                           self._key("state", ""), job_id]
        for name, amount in counted:
            args += [name, amount]
        return bool(self._finish(keys=[self._key("job", job_id), self._key("totals")], args=args))

    def mark_enqueued(self, job_id: str) -> None:
        """The job's build message is in the queue (see unsent())."""
        self.client.hset(self._key("job", job_id), "enqueued", now())

    def unsent(self) -> list[str]:
        """Queued jobs whose build message was never sent: the server died (or Redis failed) between keeping
        the job and queueing it. The next server start sends them."""
        ids = [raw.decode() for raw in self.client.smembers(self._key("state", "queued"))]  # type: ignore[union-attr]
        with self.client.pipeline() as pipe:
            for job_id in ids:
                pipe.hexists(self._key("job", job_id), "enqueued")
            sent = pipe.execute()
        return [job_id for job_id, was_sent in zip(ids, sent, strict=True) if not was_sent]

    @contextmanager
    def slug_held(self, slug: str, ttl_s: float) -> Iterator[None]:
        """Run the block while no other worker builds `slug`: two builds publishing one slug at once could
        leave the MP3 of one beside the captions of the other. The hold lapses `ttl_s` after its holder
        stops renewing it (a dead worker's, by the time its job is given to another)."""
        key, token, ttl_ms = self._key("slug", slug), secrets.token_hex(12), max(1000, int(ttl_s * 1000))
        while not self.client.set(key, token, nx=True, px=ttl_ms):
            time.sleep(0.25)
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(ttl_ms / 3000):
                try:
                    self._renew(keys=[key], args=[token, ttl_ms])
                except redis.RedisError as exc:  # Redis away for a moment: try again at the next turn
                    log.warning("slug %s: could not renew its hold (%s: %s)", slug, exc.__class__.__name__, exc)

        renewer = threading.Thread(target=renew, name=f"readaloud-hold-{slug}", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            self._release(keys=[key], args=[token])

    def was_enqueued(self, job_id: str) -> bool:
        return bool(self.client.hexists(self._key("job", job_id), "enqueued"))

    def callback_was_queued(self, job_id: str) -> bool:
        return bool(self.client.hexists(self._key("job", job_id), "callback_queued"))

    def mark_callback_queued(self, job_id: str) -> bool:
        """Record that the job's callback was queued; True the first time."""
        return bool(self.client.hsetnx(self._key("job", job_id), "callback_queued", now()))

    def counts(self) -> dict[str, int]:
        with self.client.pipeline() as pipe:
            for state in STATES:
                pipe.scard(self._key("state", state))
            return dict(zip(STATES, (int(n) for n in pipe.execute()), strict=True))

    def totals(self) -> dict[str, float]:
        stored: dict[Any, Any] = self.client.hgetall(self._key("totals"))
        found = {name.decode(): float(value) for name, value in stored.items()}
        names = ["builds", "build_seconds_sum", "engine_requests", "fallbacks", *bucket_names()]
        return {name: found.get(name, 0.0) for name in names}
