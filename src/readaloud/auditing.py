"""`readaloud audit`: the articles under some paths planned as a build would plan them, and what a
listener would hear wrong in them counted (`text.audit`), on worker processes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from readaloud.archive import find_articles
from readaloud.builder import Builder
from readaloud.config import Settings
from readaloud.errors import InputError
from readaloud.model import Warn, ignore
from readaloud.text.audit import Audit, audit_script


@dataclass
class AuditRun:
    """The findings of every article read, the articles that could not be read, and the time it took."""

    audit: Audit = field(default_factory=Audit)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (article, the error line)
    seconds: float = 0.0


def article_files(paths: Sequence[str], warn: Warn = ignore) -> list[Path]:
    """The files named and the articles in the folders named (walked as `sync` walks them: hidden files and
    folders skipped, .txt .md .markdown .html .htm), each once; InputError for a path that is neither, or
    a folder with no article in it (a mistyped folder must not pass for a clean report)."""
    found: dict[Path, None] = {}
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = [planned.source for planned in find_articles(path, path, warn)]
            if not inside:
                raise InputError(f"{name}: no articles in this folder (.txt, .md, .markdown, .html, .htm)")
            found.update(dict.fromkeys(inside))
        elif path.is_file():
            found[path] = None
        else:
            raise InputError(f"{name}: no such file or folder")
    return list(found)


_builder: Builder | None = None  # the worker process's own, made once by _start_worker


def _start_worker(settings: Settings) -> None:
    global _builder
    _builder = Builder(settings)


def _audit_one(path: Path) -> tuple[Audit | None, str]:
    """One article's findings, or None and the error line when it cannot be read."""
    assert _builder is not None
    try:
        script = _builder.script(_builder.read(path))
    except InputError as exc:
        return None, str(exc)
    return audit_script(script), ""


def _results(files: list[Path], settings: Settings, jobs: int) -> Iterator[tuple[Audit | None, str]]:
    if jobs <= 1 or len(files) < 2:
        _start_worker(settings)
        yield from map(_audit_one, files)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), initializer=_start_worker,
                             initargs=(settings,)) as pool:
        yield from pool.map(_audit_one, files, chunksize=8)


def run(paths: Sequence[str], settings: Settings, *, jobs: int = 2, warn: Warn = ignore,
        on_start: Callable[[int], None] = ignore, on_done: Callable[[], None] = ignore) -> AuditRun:
    """Audit every article under `paths`, `jobs` processes at once. `on_start(n)` hears how many articles
    were found, `on_done()` each one audited. A broken lexicon is a ConfigError before anything is read; an
    article that cannot be read is listed in `failed` and the run goes on."""
    started = time.monotonic()
    files = article_files(paths, warn)
    Builder(settings).prepared.words  # noqa: B018  (a broken lexicon: said once, now, not per article)
    on_start(len(files))
    result = AuditRun()
    for path, (audit, error) in zip(files, _results(files, settings, jobs), strict=True):
        if audit is None:
            result.failed.append((os.fspath(path), error))
        else:
            result.audit.merge(audit)
        on_done()
    result.seconds = round(time.monotonic() - started, 3)
    return result
