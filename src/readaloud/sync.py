"""`readaloud sync`: keep a folder of MP3s in step with a folder of articles, for a nightly cron job.

Only what is missing or stale is built. Stale means the article's bytes changed, the settings that shape
the audio changed, readaloud's reading rules changed version, a lexicon word the article uses changed,
or the MP3 was spoken by the fallback engine while the preferred engine answers again. Deciding costs
little for an unchanged article: its bytes are hashed and the MP3's ID3 tag (not its audio) is read.
One failing article is reported and skipped; a lock keeps two runs off the same output folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from readaloud import RULES_VERSION, config, lexicon, pipeline, tags
from readaloud.config import Settings
from readaloud.errors import ReadaloudError

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
LOCK_NAME = ".readaloud-sync.lock"

Action = Literal["built", "up-to-date", "failed", "would-build"]


class SyncLocked(ReadaloudError):
    """Another sync holds the output folder's lock."""

    exit_code = 4


@dataclass(frozen=True)
class Outcome:
    source: str
    output: str
    action: Action
    reason: str  # why it was (or would be) built, "up to date", or the error
    synthesized: int = 0
    cached: int = 0
    engine: str | None = None
    fallback: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class SyncReport:
    outcomes: tuple[Outcome, ...]
    seconds: float

    def count(self, action: Action) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold OUT_DIR's lock for the run; the OS releases it if the process dies."""
    out.mkdir(parents=True, exist_ok=True)
    handle = open(out / LOCK_NAME, "a+")  # noqa: SIM115 - held open for the whole run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SyncLocked(f"{out}: another readaloud sync is running on this folder (pid {holder}); "
                             "try again when it has finished") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def articles(src: Path, out: Path) -> list[tuple[Path, Path]]:
    """(source, output) pairs, the tree of SRC mirrored under OUT; hidden files and anything that would
    resolve outside either folder (symlinks, odd names) are left out."""
    src_root, out_root = src.resolve(), out.resolve()
    pairs = []
    for path in sorted(src.rglob("*")):
        relative = path.relative_to(src)
        if any(part.startswith(".") for part in relative.parts) or path.suffix.lower() not in ARTICLE_SUFFIXES:
            continue
        if not path.is_file() or not path.resolve().is_relative_to(src_root):
            continue
        output = out / relative.with_suffix(".mp3")
        if not output.resolve().is_relative_to(out_root):
            continue
        pairs.append((path, output))
    return pairs


def _frames(output: Path) -> dict[str, str] | None:
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    try:
        tag = ID3(output)
    except (MutagenError, OSError):
        return None
    return {frame.desc: str(frame.text[0]) for frame in tag.getall("TXXX") if frame.text}


def staleness(source: Path, output: Path, settings: Settings, fingerprint: str, words: dict[str, str],
              upgrade_possible: Callable[[], bool]) -> str | None:
    """Why `output` must be (re)built, or None when it is up to date."""
    if not output.exists():
        return "new"
    frames = _frames(output)
    if frames is None:
        return "unreadable output"
    data = source.read_bytes()
    if hashlib.sha256(data).hexdigest() != frames.get(tags.SOURCE):
        return "source changed"
    if frames.get(tags.SETTINGS) != fingerprint:
        return "settings changed"
    if frames.get(tags.RULES) != RULES_VERSION:
        return "reading rules changed"
    if words or frames.get(tags.LEXICON) != lexicon.relevant_digest({}, ""):
        article = pipeline.plan_article(str(source), settings)
        if lexicon.relevant_digest(words, pipeline.article_text(article)) != frames.get(tags.LEXICON):
            return "lexicon changed"
    if settings.engine.name == "auto" and (frames.get(tags.ENGINE) or "").startswith("espeak") \
            and upgrade_possible():
        return "fallback engine: upgrading"
    return None


def _preferred_reachable(settings: Settings) -> Callable[[], bool]:
    """A probe of Google, made at most once per run and only when an article needs it; through the clip
    cache, so the request is never wasted."""
    answer: list[bool] = []

    def probe() -> bool:
        if not answer:
            from readaloud.cache import CachedEngine
            from readaloud.engines import registry

            try:
                engine = CachedEngine(registry.create("gtts", settings), pipeline.clip_cache(settings))
                engine.synthesize("Xin chào.")
                answer.append(True)
            except ReadaloudError:
                answer.append(False)
        return answer[0]

    return probe


def run(src: Path, out: Path, settings: Settings, *, jobs: int = 1, dry_run: bool = False,
        on_start: Callable[[int], None] = lambda _: None, on_outcome: Callable[[Outcome], None] = lambda _: None,
        warn: Callable[[str], None] = lambda _: None) -> SyncReport:
    """Bring OUT up to date with SRC; see the module docstring."""
    if not src.is_dir():
        raise ReadaloudError(f"{src}: not a folder of articles")
    started = time.perf_counter()
    with locked(out):
        pairs = articles(src, out)
        on_start(len(pairs))
        fingerprint = config.fingerprint(settings)
        words = lexicon.load(settings.reading.lexicon)
        probe = _preferred_reachable(settings)

        def one(source: Path, output: Path) -> Outcome:
            begun = time.perf_counter()
            try:
                reason = staleness(source, output, settings, fingerprint, words, probe)
                if reason is None:
                    return Outcome(str(source), str(output), "up-to-date", "up to date")
                if dry_run:
                    return Outcome(str(source), str(output), "would-build", reason)
                result = pipeline.build(str(source), output, settings, warn=warn)
                return Outcome(str(source), str(output), "built", reason, result.synthesized, result.cached,
                               result.engine, result.fallback, round(time.perf_counter() - begun, 2))
            except ReadaloudError as exc:
                return Outcome(str(source), str(output), "failed", str(exc))
            except Exception as exc:  # one bad article never stops the run
                return Outcome(str(source), str(output), "failed", f"{exc.__class__.__name__}: {exc}")

        results: dict[int, Outcome] = {}
        if jobs <= 1:
            for index, (source, output) in enumerate(pairs):
                results[index] = one(source, output)
                on_outcome(results[index])
        else:
            with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="sync") as pool:
                futures = {pool.submit(one, source, output): index for index, (source, output) in enumerate(pairs)}
                for future in as_completed(futures):
                    results[futures[future]] = future.result()
                    on_outcome(results[futures[future]])
    return SyncReport(tuple(results[i] for i in range(len(pairs))), round(time.perf_counter() - started, 2))
