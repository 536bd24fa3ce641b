"""Retries, backoff and concurrency, once, around any engine.

Results come back in chunk order even when requests run in parallel, so the assembler can write audio
as it arrives. The first chunk that fails for good cancels the rest: a half-spoken article is useless.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from readaloud.engines.base import Engine
from readaloud.engines.gtts import Unreachable
from readaloud.errors import EngineUnavailable, TransientEngineError
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
        """Exponential backoff with full jitter; a server's Retry-After is a floor, capped by max_backoff."""
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

    if engine.concurrency <= 1:
        for text in texts:
            yield one(text)
        return

    executor = ThreadPoolExecutor(max_workers=engine.concurrency, thread_name_prefix=f"tts-{engine.name}")
    try:
        futures = [executor.submit(one, text) for text in texts]
        for future in futures:
            try:
                yield future.result()
            except _Cancelled:
                # A later chunk failed first and stopped this one: report that chunk's error.
                for other in futures:
                    error = other.exception()
                    if error is not None and not isinstance(error, _Cancelled):
                        raise error from None
                raise
    finally:
        stop.set()
        executor.shutdown(wait=True, cancel_futures=True)
