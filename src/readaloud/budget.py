"""A time budget for one article, checked cooperatively by the long loops of reading it.

sync builds articles on worker threads, where no signal can interrupt one, so the deadline lives in a
context variable set around one article's build (or plan) and the loops that grow with the article (the
chunker's and the renderer's) call check() as they go. Past the deadline the article fails with one line
naming its file, before anything is written.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from readaloud.errors import InputError


@dataclass(frozen=True)
class _Deadline:
    source: str
    seconds: float
    at: float  # time.monotonic() when the budget runs out


_CURRENT: ContextVar[_Deadline | None] = ContextVar("readaloud_article_deadline", default=None)


@contextmanager
def article_budget(source: str, seconds: float) -> Iterator[None]:
    """Run the block under a budget of `seconds` for the article `source` (0: no limit). Inside a block
    that already has one (plan() called by build()) the outer budget stays in force."""
    if seconds <= 0 or _CURRENT.get() is not None:
        yield
        return
    token = _CURRENT.set(_Deadline(source, seconds, time.monotonic() + seconds))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def check() -> None:
    """Raise InputError when the current article has used up its budget; nothing without one."""
    deadline = _CURRENT.get()
    if deadline is not None and time.monotonic() > deadline.at:
        raise InputError(f"{deadline.source}: took longer than the {deadline.seconds:g} s budget for one "
                         "article; not built")
