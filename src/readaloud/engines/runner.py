"""Retries, backoff and concurrency, once, around any engine.

Results come back in chunk order even when requests run in parallel, so the assembler can write audio
as it arrives. The first chunk that fails for good cancels the rest: a half-spoken article is useless.
"""

from __future__ import annotations

import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from readaloud.engines.base import Engine
from readaloud.engines.gtts import Unreachable
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


class RateLimiter:
    """At most `per_second` request starts in any one-second window, across every thread sharing it.

    A sliding window over the actual start times (not evenly spaced slots): a thread that wakes late
    can never make two starts closer than the window allows. One limiter per engine per process (see
    `shared_limiter`), so `sync --jobs N` building N articles at once still sends Google no more than the
    configured rate in total. Rates below one a second allow one start per 1/rate seconds.
    """

    # Starts are counted when a request is handed to gTTS; it reaches the server a few to tens of ms later,
    # unevenly across threads, so the window is kept a little wider than a second (measured: without
    # this margin the server counted 19 requests in a second under a 16/s cap).
    MARGIN_S = 0.15

    def __init__(self, per_second: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.capacity = max(1, int(per_second))
        self.window = self.capacity / per_second + self.MARGIN_S
        self._clock = clock
        self._sleep = sleep
        self._starts: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.window:
                    self._starts.popleft()
                if len(self._starts) < self.capacity:
                    self._starts.append(now)
                    return
                wait = self._starts[0] + self.window - now
            self._sleep(wait)


_limiters: dict[tuple[str, float], RateLimiter] = {}
_limiters_lock = threading.Lock()


def shared_limiter(name: str, per_second: float) -> RateLimiter:
    with _limiters_lock:
        return _limiters.setdefault((name, per_second), RateLimiter(per_second))


class Throttled:
    """An engine whose requests pass a rate limiter first (retries included)."""

    def __init__(self, engine: Engine, limiter: RateLimiter):
        self.engine = engine
        self.limiter = limiter
        self.name = engine.name
        self.max_chars = engine.max_chars
        self.concurrency = engine.concurrency

    def identity(self) -> str:
        return self.engine.identity()

    def synthesize(self, text: str) -> Speech:
        self.limiter.acquire()
        return self.engine.synthesize(text)


class _Cancelled(Exception):
    pass


def synthesize_in_order(
    engine: Engine,
    texts: Sequence[str],
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: Callable[[], float] = random.random,
    stats: Stats | None = None,
) -> Iterator[Speech]:
    """Yield one Speech per text, in order. Raises the final error of the first chunk that fails for good:
    EngineUnavailable when the engine could not be reached, else the engine's own error."""
    stats = stats if stats is not None else Stats()
    stop = threading.Event()
    lock = threading.Lock()

    def one(text: str) -> Speech:
        attempt = 0
        while True:
            if stop.is_set():
                raise _Cancelled()
            attempt += 1
            with lock:
                stats.requests += 1
            try:
                return engine.synthesize(text)
            except TransientEngineError as exc:
                limit = policy.unreachable_attempts if isinstance(exc, Unreachable) else policy.attempts
                if exc.retry_after is not None and exc.retry_after > policy.max_backoff_s:
                    # Asking again sooner than the server said would only earn another refusal; waiting
                    # that long would stall the build. Give up now (under `auto`, espeak-ng speaks).
                    stop.set()
                    raise SynthesisError(f"{exc}; the server asked for {exc.retry_after:g} s before the next "
                                         f"request, more than max_backoff_s ({policy.max_backoff_s:g} s)") from None
                if attempt >= limit:
                    stop.set()
                    if isinstance(exc, Unreachable):
                        raise EngineUnavailable(str(exc)) from None
                    raise
                with lock:
                    stats.retries += 1
                sleep(policy.delay(attempt, exc.retry_after, rng))
            except Exception:
                stop.set()
                raise

    # Even a one-at-a-time engine runs on a worker thread: espeak-ng calls back into Python from C, and a
    # signal handler's exception raised inside a ctypes callback is swallowed. The main thread waits on
    # futures instead, where SIGINT/SIGTERM unwind cleanly.
    executor = ThreadPoolExecutor(max_workers=max(1, engine.concurrency), thread_name_prefix=f"tts-{engine.name}")
    # Only a few clips ahead of the consumer: a fast engine (espeak-ng speaks ~1000x real time) would
    # otherwise hold a whole long article's audio in memory before it is written out.
    ahead = 2 * max(1, engine.concurrency)
    pending: deque = deque()
    upcoming = iter(texts)
    try:
        while True:
            while len(pending) < ahead:
                text = next(upcoming, None)
                if text is None:
                    break
                pending.append(executor.submit(one, text))
            if not pending:
                return
            future = pending.popleft()
            try:
                yield future.result()
            except _Cancelled:
                # A later chunk failed first and stopped this one: report that chunk's error.
                for other in pending:
                    error = other.exception()
                    if error is not None and not isinstance(error, _Cancelled):
                        raise error from None
                raise
    finally:
        stop.set()
        executor.shutdown(wait=True, cancel_futures=True)
