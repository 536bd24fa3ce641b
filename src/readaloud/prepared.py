"""What every build under one set of settings shares, made once from them: the lexicon, the clip cache
and the engines. A Builder holds one; the pipeline's functions make a fresh one when given none.

Shared by the threads of one sync run (`--jobs`), so everything here is made under a lock, once.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from readaloud.cache import ClipCache
from readaloud.config import Settings
from readaloud.engines import registry
from readaloud.engines.base import Engine
from readaloud.model import Warn, ignore
from readaloud.text import lexicon

# What a reading is kept under: the text, the dialect and the article's definitions at the time.
ReadingKey = tuple[str, str, tuple[tuple[str, str], ...]]


class Prepared:
    """The lexicon's words (read on first use, so an article that cannot be read is reported before a
    lexicon that cannot), one clip cache, and each engine made on first use. An engine that cannot be
    made is not kept: the next build asks again, as it always has."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.Lock()
        self._words: dict[str, str] | None = None
        self._words_stamp: tuple[int, int, int] | None = None
        self._readings: dict[ReadingKey, str] = {}
        self._engines: dict[str, Engine] = {}
        self._lookup_cache: ClipCache | None = None

    @property
    def words(self) -> dict[str, str]:
        """The lexicon (ConfigError when it is broken): read once, and again only when its file changes,
        so a long-lived Builder (a CMS) hears `readaloud lexicon add` at its next article, as a fresh
        process would. One stat per article."""
        path = self.settings.reading.lexicon
        with self._lock:
            stamp = _stamp(path)
            if self._words is None or stamp != self._words_stamp:
                self._words = lexicon.load(path)
                self._words_stamp = stamp
                self._readings = {}
            return self._words

    def readings(self, words: dict[str, str]) -> dict[ReadingKey, str]:
        """Where the readings made with the lexicon `words` are kept for every article read under these
        settings (the pipeline fills it with single words: chunking reads each word of a long sentence
        alone, and news uses the same few thousand words in every article). A lexicon that is no longer
        the current one gets a fresh, unshared place, so no reading outlives the lexicon it was made with."""
        with self._lock:
            return self._readings if words is self._words else {}

    @property
    def cache(self) -> ClipCache | None:
        """The clip cache for looking clips up (a preview's list, the nightly probe), made on first use;
        silent, as it was before there was a Builder."""
        with self._lock:
            if self._lookup_cache is None:
                self._lookup_cache = clip_cache(self.settings)
            return self._lookup_cache

    def engine(self, name: str) -> Engine:
        """The engine `name` (SynthesisError when it cannot be used here), made once."""
        with self._lock:
            if name not in self._engines:
                self._engines[name] = registry.create(name, self.settings)
            return self._engines[name]

    def cache_for_build(self, warn: Warn) -> ClipCache | None:
        """A clip cache for one build: cheap to make (no I/O), and its one "cannot be written" warning is
        that build's, as every build's always was."""
        return clip_cache(self.settings, warn)


def _stamp(path: str) -> tuple[int, int, int] | None:
    """What changes when a file is edited or replaced (inode, size, mtime); None when there is none."""
    if not path:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def clip_cache(settings: Settings, warn: Warn = ignore) -> ClipCache | None:
    """The clip cache, if enabled; `warn` hears once that it cannot be written (it is then only read)."""
    return ClipCache(Path(settings.cache.dir), warn) if settings.cache.enabled and settings.cache.dir else None
