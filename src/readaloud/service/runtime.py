"""The service put together from settings: the job store, the tokens, where files go, and who builds.

    embedded (no [service] queue)   SQLite in the service folder; `serve` builds in its own threads
    redis ([service] queue=redis://) jobs in Redis; `serve` only accepts them, `readaloud worker`s build
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from readaloud.errors import InputError
from readaloud.service import auth, execute
from readaloud.service.jobs import Job, JobStore, Submission, checked_callback
from readaloud.service.places import Places

if TYPE_CHECKING:
    from readaloud.config import Settings
    from readaloud.service.embedded import EmbeddedWorkers

log = logging.getLogger("readaloud.service")


class Service:
    def __init__(self, settings: Settings, store: JobStore, places: Places, tokens: auth.Tokens,
                 workers: EmbeddedWorkers | None = None):
        self.settings, self.store, self.places, self.tokens = settings, store, places, tokens
        self.workers = workers
        self.queue_kind = "embedded" if workers is not None else "redis"

    def submit(self, submission: Submission) -> tuple[Job, bool]:
        """Check the article (a bad one is refused now, with the message the command line gives), keep the
        job, and hand it to a worker; an idempotency key seen before gives its job back instead."""
        if submission.callback_url and not self.settings.service.callback_secret:
            # An unsigned callback could be forged by anyone who can reach the CMS: refuse rather than send one.
            raise InputError("callback_url: this service has no [service] callback_secret to sign callbacks with")
        if submission.callback_url and self.settings.service.callback_hosts:
            # Its form was checked with the request (service.requests); only its host is left to check.
            checked_callback(submission.callback_url, self.settings.service.callback_hosts)
        execute.article_of(submission, self.settings.reading.max_article_bytes)
        job, made = self.store.submit(submission)
        # Embedded, the build process finds the job in the store by itself.
        if self.workers is None and (made or (job.state == "queued" and not self._sent(job.id))):
            # A replay of a submission whose message was never sent (the send failed): send it now.
            self._send(job.id)
        return job, made

    def _sent(self, job_id: str) -> bool:
        from readaloud.service.store_redis import RedisJobStore

        assert isinstance(self.store, RedisJobStore)
        return self.store.was_enqueued(job_id)

    def _send(self, job_id: str) -> None:
        from readaloud.service import tasks
        from readaloud.service.store_redis import RedisJobStore

        tasks.enqueue_build(job_id, self.settings)
        assert isinstance(self.store, RedisJobStore)
        self.store.mark_enqueued(job_id)

    def start(self) -> None:
        if self.workers is not None:
            requeued = self.workers.start()
            if requeued:
                log.warning("%d job(s) left running by the last process are queued again", requeued)
            return
        from readaloud.service.store_redis import RedisJobStore

        assert isinstance(self.store, RedisJobStore)
        unsent = self.store.unsent()
        for job_id in unsent:
            self._send(job_id)
        if unsent:
            log.warning("%d job(s) kept but never sent to the workers (the server stopped in between) are sent now",
                        len(unsent))

    def stop(self) -> None:
        if self.workers is not None:
            self.workers.stop()


def tokens_of(settings: Settings, places: Places) -> auth.Tokens:
    return auth.Tokens(settings.service.tokens, places.token_file)


def make(settings: Settings) -> Service:
    """The service for these settings. Embedded: takes the service folder's lock (ConfigError when another
    `serve` has it); its build process starts with the app. Redis: connects the task queue."""
    places = Places.of(settings.service)
    places.make()
    tokens = tokens_of(settings, places)
    if settings.service.queue:
        from readaloud.service import tasks
        from readaloud.service.store_redis import RedisJobStore

        shared = RedisJobStore(settings.service.queue)
        shared.check()
        tasks.connect(settings)
        return Service(settings, shared, places, tokens)
    from readaloud.pipeline import available_cores
    from readaloud.service.embedded import EmbeddedWorkers
    from readaloud.service.store_sqlite import SqliteJobStore

    places.lock()
    store = SqliteJobStore(places.store)
    cores = max(1, available_cores() // settings.service.workers)
    return Service(settings, store, places, tokens, EmbeddedWorkers(store, settings, places, cores))
