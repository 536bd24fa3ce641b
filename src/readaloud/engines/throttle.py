"""A rate cap on an engine's requests, shared by every build in the process.

Kept apart from the runner: the registry wraps an engine in it when the engine's spec states a cap, and
the runner retries whatever it is given without knowing why requests wait.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from readaloud.engines.base import Engine
from readaloud.model import Speech


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
        self.max_chars = engine.max_chars
        self.concurrency = engine.concurrency

    @property
    def name(self) -> str:
        return self.engine.name

    def identity(self) -> str:
        return self.engine.identity()

    def synthesize(self, text: str) -> Speech:
        self.limiter.acquire()
        return self.engine.synthesize(text)
