"""`readaloud serve`'s own workers, for one machine: a child process whose threads take jobs from the
SQLite store and build them, and a thread in the server that sends the callbacks in the store's outbox.

The builds run in a process of their own so that the API never waits for them: a build's Python work
(reading, planning, captions) would otherwise hold the interpreter's lock the event loop answers POSTs
with, and its espeak-ng and ffmpeg compete for the cores (the process and its children run niced).

Nothing is lost when either process dies: a job is taken from the store by marking it running, in the
same transaction; a build cut short leaves it running, and the next start puts it back in the queue
(SqliteJobStore.recover) before the build process starts. The build process dies with the server, even
when the server is killed outright. Its half-made files were in a staging folder that the next build
beside it removes (outputs.Staging), so nothing partial is ever published.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from readaloud.service import callbacks, execute

if TYPE_CHECKING:
    from readaloud.builder import Builder
    from readaloud.config import ServiceSettings, Settings
    from readaloud.service.places import Places
    from readaloud.service.store_sqlite import SqliteJobStore

log = logging.getLogger("readaloud.service")
IDLE_S = 0.2  # how often an idle build thread looks at the store
BUILD_NICENESS = 10  # added to the build process's (and its children's) CPU niceness
RETRY_S = 5.0  # the pause after an unexpected error in a loop
_PR_SET_PDEATHSIG = 1


def survive(step: Callable[[], None], stopping: threading.Event) -> None:
    """One step of a loop; an error from the store (a locked or full disk) is logged and the loop goes on
    after a pause, instead of ending the thread and leaving jobs queued with nobody to build them. A job
    it left running is requeued at the next start."""
    try:
        step()
    except Exception:
        log.exception("%s: error, going on in %g s", threading.current_thread().name, RETRY_S)
        stopping.wait(RETRY_S)


class BuildThreads:
    """`workers` threads building queued jobs one after another, each until stop()."""

    def __init__(self, store: SqliteJobStore, builder: Builder, places: Places, workers: int,
                 cores: int | None = None):
        self.store, self.builder, self.places, self.workers, self.cores = store, builder, places, workers, cores
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._loop, name=f"readaloud-build-{n + 1}", daemon=True)
                        for n in range(workers)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            survive(self._build_next, self.stopping)

    def _build_next(self) -> None:
        job = self.store.claim()
        if job is None:
            self.stopping.wait(IDLE_S)
            return
        execute.run(job.id, self.store, self.builder, self.places, cores=self.cores)


def _build_process(settings: Settings, places: Places, cores: int | None, parent: int) -> None:
    """The build process: ends with the server (SIGKILL from the kernel when it dies, whatever kills it)."""
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.nice(BUILD_NICENESS)
    if os.getppid() != parent:  # the server died before the line above took effect
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which stops this process
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from readaloud.builder import Builder
    from readaloud.service.store_sqlite import SqliteJobStore

    threads = BuildThreads(SqliteJobStore(places.store), Builder(settings), places, settings.service.workers, cores)
    threads.start()
    while os.getppid() == parent:
        threads.stopping.wait(1.0)


class EmbeddedWorkers:
    def __init__(self, store: SqliteJobStore, settings: Settings, places: Places, cores: int | None = None):
        self.store, self.settings, self.places, self.cores = store, settings, places, cores
        self.service: ServiceSettings = settings.service
        self._stopping = threading.Event()
        self._process: multiprocessing.process.BaseProcess | None = None

    def start(self) -> int:
        """Requeue what a killed process left running, then start the build process and the callback
        thread; returns how many jobs were requeued."""
        requeued = self.store.recover()
        spawn = multiprocessing.get_context("spawn")  # not fork: the server has threads and an event loop
        self._process = spawn.Process(target=_build_process, name="readaloud-builds", daemon=True,
                                      args=(self.settings, self.places, self.cores, os.getpid()))
        self._process.start()
        threading.Thread(target=self._callback_loop, name="readaloud-callbacks", daemon=True).start()
        return requeued

    def stop(self) -> None:
        """Take no more jobs; a build in progress ends with its process and is requeued at the next start."""
        self._stopping.set()
        if self._process is not None and self._process.is_alive():
            self._process.terminate()
            self._process.join(10)

    def _callback_loop(self) -> None:
        while not self._stopping.is_set():
            survive(self._send_next, self._stopping)

    def _send_next(self) -> None:
        due = self.store.due_callback()
        if due is None:
            self._stopping.wait(0.2)
            return
        self.send(*due)

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
