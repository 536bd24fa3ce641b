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
