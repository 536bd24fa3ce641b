"""Retries, backoff and concurrency, once, around any engine.

Results come back in chunk order even when requests run in parallel, so the assembler can write audio
as it arrives. The first chunk that fails for good cancels the rest: a half-spoken article is useless.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from readaloud.engines.base import Engine
from readaloud.errors import EngineUnavailable, SynthesisError, TransientEngineError
from readaloud.model import Speech


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff_s: float = 0.5
    max_backoff_s: float = 20.0
    # Connection failures (DNS, refused) are retried only this often: a network that is down stays down
    # for the seconds a build lasts, and under `auto` the fallback should start promptly.
    unreachable_attempts: int = 2

    def delay(self, attempt: int, retry_after: float | None, rng: Callable[[], float]) -> float:
        """Exponential backoff with full jitter; a server's Retry-After is a floor. Capped by max_backoff
        (a Retry-After beyond it ends the retries instead: see synthesize_in_order)."""
        backoff = min(self.max_backoff_s, self.backoff_s * (2 ** (attempt - 1)))
        wait = backoff * (0.5 + rng() / 2)
        if retry_after is not None:
            wait = max(wait, retry_after)
        return min(wait, self.max_backoff_s)


@dataclass
class Stats:
    requests: int = 0
    retries: int = 0


class _Cancelled(Exception):
    pass


@dataclass
class _Speaker:
    """Speaks one chunk at a time per thread, with retries. The first chunk that fails for good sets `stop`,
    and every other chunk then ends as _Cancelled at its next attempt."""

    engine: Engine
    policy: RetryPolicy
    unreachable: tuple[type[Exception], ...]
    stats: Stats
    sleep: Callable[[float], None]
    rng: Callable[[], float]
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def speak(self, text: str) -> Speech:
        attempt = 0
        while True:
            if self.stop.is_set():
                raise _Cancelled()
            attempt += 1
            with self.lock:
                self.stats.requests += 1
            try:
                return self.engine.synthesize(text)
            except TransientEngineError as exc:
                self._wait_or_give_up(exc, attempt)
            except Exception:
                self.stop.set()
                raise

    def _wait_or_give_up(self, exc: TransientEngineError, attempt: int) -> None:
        """Sleep before the next attempt, or stop every chunk and raise the error that ends this one."""
        unreachable = isinstance(exc, self.unreachable)
        limit = self.policy.unreachable_attempts if unreachable else self.policy.attempts
        if exc.retry_after is not None and exc.retry_after > self.policy.max_backoff_s:
            # Asking again sooner than the server said would only earn another refusal; waiting that long
            # would stall the build. Give up now (under `auto`, espeak-ng speaks).
            self.stop.set()
            raise SynthesisError(f"{exc}; the server asked for {exc.retry_after:g} s before the next "
                                 f"request, more than max_backoff_s ({self.policy.max_backoff_s:g} s)") from None
        if attempt >= limit:
            self.stop.set()
            if unreachable:
                raise EngineUnavailable(str(exc)) from None
            raise exc
        with self.lock:
            self.stats.retries += 1
        self.sleep(self.policy.delay(attempt, exc.retry_after, self.rng))


def synthesize_in_order(
    engine: Engine,
    texts: Sequence[str],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[], float] = random.random,
    stats: Stats | None = None,
    unreachable: tuple[type[Exception], ...] = (),
    most: int | None = None,
) -> Generator[Speech, None, None]:
    """Yield one Speech per text, in order. Raises the final error of the first chunk that fails for good:
    EngineUnavailable when the engine could not be reached, else the engine's own error. `unreachable`:
    the errors that mean "cannot be reached" for this engine (its registry spec says; the caller asks it,
    so this runner knows no engine), retried briefly instead of `policy.attempts` times. `most`: at most this
    many texts in flight, whatever the engine allows (a build held to one core speaks one at a time)."""
    speaker = _Speaker(engine, policy, unreachable, stats if stats is not None else Stats(), sleep, rng)
    # Even a one-at-a-time engine runs on a worker thread: espeak-ng calls back into Python from C, and a
    # signal handler's exception raised inside a ctypes callback is swallowed. The main thread waits on
    # futures instead, where SIGINT/SIGTERM unwind cleanly.
    workers = max(1, min(engine.concurrency, most or engine.concurrency))
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"tts-{engine.name}")
    # Only a few clips ahead of the consumer: a fast engine (espeak-ng speaks ~1000x real time) would
    # otherwise hold a whole long article's audio in memory before it is written out.
    ahead = 2 * workers
    try:
        yield from _in_order(executor, speaker.speak, texts, ahead)
    finally:
        speaker.stop.set()
        executor.shutdown(wait=True, cancel_futures=True)


def _in_order(executor: Executor, speak: Callable[[str], Speech], texts: Sequence[str],
              ahead: int) -> Iterator[Speech]:
    """Each text's Speech in order, keeping at most `ahead` requests submitted but not yet yielded."""
    pending: deque[Future[Speech]] = deque()
    upcoming = iter(texts)
    while True:
        while len(pending) < ahead:
            text = next(upcoming, None)
            if text is None:
                break
            pending.append(executor.submit(speak, text))
        if not pending:
            return
        future = pending.popleft()
        try:
            yield future.result()
        except _Cancelled:
            _raise_first_failure(pending)
            raise


def _raise_first_failure(pending: deque[Future[Speech]]) -> None:
    """A later chunk failed first and stopped this one: raise that chunk's error (if one is pending)."""
    for other in pending:
        error = other.exception()
        if error is not None and not isinstance(error, _Cancelled):
            raise error from None
