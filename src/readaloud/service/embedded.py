"""`readaloud serve`'s own workers, for one machine: threads that take jobs from the SQLite store and
build them, and one that sends the callbacks in its outbox.

Nothing is lost when the process dies: a job is taken from the store by marking it running, in the same
transaction; a process killed mid-build leaves it running, and the next start puts it back in the queue
(SqliteJobStore.recover) before any worker starts. Its half-made files were in a staging folder that the
next build beside it removes (outputs.Staging), so nothing partial is ever published.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from readaloud.service import callbacks, execute

if TYPE_CHECKING:
    from readaloud.builder import Builder
    from readaloud.config import ServiceSettings
    from readaloud.service.places import Places
    from readaloud.service.store_sqlite import SqliteJobStore

log = logging.getLogger("readaloud.service")
IDLE_S = 1.0  # how often an idle worker looks at the store when not woken
BUILD_NICENESS = 10  # added to the build threads' (and their children's) CPU niceness
RETRY_S = 5.0  # the pause after an unexpected error in a worker's loop


class EmbeddedWorkers:
    def __init__(self, store: SqliteJobStore, builder: Builder, places: Places, service: ServiceSettings,
                 cores: int | None = None):
        self.store, self.builder, self.places, self.service = store, builder, places, service
        self.cores = cores
        self._wake = threading.Event()  # a job was submitted
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> int:
        """Requeue what a killed process left running, then start the threads; returns how many were requeued."""
        requeued = self.store.recover()
        for number in range(self.service.workers):
            self._spawn(self._build_loop, f"readaloud-build-{number + 1}")
        self._spawn(self._callback_loop, "readaloud-callbacks")
        return requeued

    def _spawn(self, target: object, name: str) -> None:
        # Daemon threads: a build cut short by the process ending is requeued at the next start.
        thread = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Take no more jobs; a build in progress is left to finish or to be requeued at the next start."""
        self._stopping.set()
        self._wake.set()

    def _build_loop(self) -> None:
        # Builds yield the CPU to the API: on Linux a thread has a nice value of its own, and the espeak-ng
        # and ffmpeg it starts inherit it, so answering a POST does not wait behind a build's encoders.
        if sys.platform == "linux":
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BUILD_NICENESS)
        while not self._stopping.is_set():
            self._survive(self._build_next)

    def _build_next(self) -> None:
        job = self.store.claim()
        if job is None:
            self._wake.wait(IDLE_S)
            self._wake.clear()
            return
        self._wake.set()  # there may be more: let another idle worker look too
        execute.run(job.id, self.store, self.builder, self.places, cores=self.cores)

    def _callback_loop(self) -> None:
        while not self._stopping.is_set():
            self._survive(self._send_next)

    def _send_next(self) -> None:
        due = self.store.due_callback()
        if due is None:
            self._stopping.wait(0.2)
            return
        self.send(*due)

    def _survive(self, step: Callable[[], None]) -> None:
        """One step of a loop; an error from the store (a locked or full disk) is logged and the loop goes
        on after a pause, instead of ending the thread and leaving jobs queued with nobody to build them.
        A job it left running is requeued at the next start."""
        try:
            step()
        except Exception:
            log.exception("%s: error, going on in %g s", threading.current_thread().name, RETRY_S)
            self._stopping.wait(RETRY_S)

    def send(self, job_id: str, attempts: int) -> None:
        job = self.store.get(job_id)
        if job is None:
            return
        body = callbacks.body_of(job, self.places.status_url(job_id))
        try:
            callbacks.deliver(job.callback_url, body, self.service.callback_secret, job_id)
        except callbacks.CallbackFailed as exc:
            tried = attempts + 1
            retry = callbacks.delay_s(tried, self.service.callback_backoff_s)
            give_up = tried >= self.service.callback_attempts
            log.warning("callback for job %s: %s (attempt %d of %d%s)", job_id, exc, tried,
                        self.service.callback_attempts, ", giving up" if give_up else f", again in {retry:g} s")
            self.store.callback_tried(job_id, False, str(exc), None if give_up else retry)
        else:
            self.store.callback_tried(job_id, True, None, None)
