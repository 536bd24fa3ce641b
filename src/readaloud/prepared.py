"""What every build under one set of settings shares, made once from them: the lexicon, the clip cache
and the engines. A Builder holds one; the pipeline's functions make a fresh one when given none.

Shared by the threads of one sync run (`--jobs`), so everything here is made under a lock, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from readaloud.cache import ClipCache
from readaloud.config import Settings
from readaloud.engines import registry
from readaloud.engines.base import Engine
from readaloud.text import lexicon

Warn = Callable[[str], None]


def _ignore(_message: str) -> None:
    return None


class Prepared:
    """The lexicon's words (read on first use, so an article that cannot be read is reported before a
    lexicon that cannot), one clip cache, and each engine made on first use. An engine that cannot be
    made is not kept: the next build asks again, as it always has."""

    def __init__(self, settings: Settings, warn: Warn = _ignore):
        self.settings = settings
        self._warn = warn
        self._lock = threading.Lock()
        self._words: dict[str, str] | None = None
        self._engines: dict[str, Engine] = {}
        self._listeners: list[Warn] = []
        wanted = settings.cache.enabled and bool(settings.cache.dir)
        # The cache warns once that it cannot be written (it is then only read): that goes to the builds
        # running at the time, or, between builds, to the warn this was made with.
        self.cache = ClipCache(Path(settings.cache.dir), self._cache_warning) if wanted else None

    @property
    def words(self) -> dict[str, str]:
        """The lexicon (ConfigError when it is broken), read once."""
        with self._lock:
            if self._words is None:
                self._words = lexicon.load(self.settings.reading.lexicon)
            return self._words

    def engine(self, name: str) -> Engine:
        """The engine `name` (SynthesisError when it cannot be used here), made once."""
        with self._lock:
            if name not in self._engines:
                self._engines[name] = registry.create(name, self.settings)
            return self._engines[name]

    @contextmanager
    def warnings_to(self, warn: Warn) -> Iterator[None]:
        """While a build runs, what the shared cache has to say is that build's warning."""
        with self._lock:
            self._listeners.append(warn)
        try:
            yield
        finally:
            with self._lock:
                self._listeners.remove(warn)

    def _cache_warning(self, message: str) -> None:
        with self._lock:
            listeners = list(self._listeners) or [self._warn]
        for listen in listeners:
            listen(message)
