"""`readaloud sync`: keep a folder of MP3s in step with a folder of articles, for a nightly cron job.

The tree of SRC is mirrored under OUT (`SRC/a/b.txt` -> `OUT/a/b.mp3`) and only what is missing or
stale is built. Whether an MP3 is stale is decided from facts build() wrote into it as ID3 TXXX frames
(see tags.py), so the decision costs, for an unchanged article, a few stats, one read and hash of the
article (never more than the size limit), and one read of the MP3's tag (not its audio): no
normalisation, no engine, no write. An archive of hundreds of articles is checked in well under a second.

Failed at once, before any check: an article over [reading] max_article_bytes (refused from its size,
unread), and one whose MP3, captions or chapters file path holds a folder, a FIFO or anything but a file
(every build would fail on it, after all the engine's work).

Stale, checked in this order (the first that applies is the reason reported):
    new                          no MP3 yet
    unreadable output            the MP3's tag cannot be read, or it lacks readaloud's frames
    source changed               sha256 of the article's bytes differs from readaloud:source-sha256
    settings changed             config.fingerprint() differs from readaloud:settings
    reading rules changed        RULES_VERSION differs from readaloud:rules
    engine changed               the settings name one engine (espeak, gtts, ...) and another one spoke
    lexicon changed              the digest of the lexicon entries the article uses differs (made only
                                 when a lexicon is configured or the MP3 recorded one; the article's
                                 text is taken from the MP3's own transcript, see Checker)
    captions missing             the .vtt beside the MP3 is gone: rebuilt (its clips from the cache), as
                                 only a build knows the cue times. (A missing .chapters.json, as beside
                                 an MP3 built before builds wrote one, is no reason to rebuild: the feed
                                 writes it from the MP3's chapter frames.)
    fallback engine E: upgrading under `auto`, engine E spoke it and an engine before E in the [engine]
                                 chain (or any of it, if E is no longer in it) answers now; the rebuild
                                 tries those engines, then E, never one below E. A dry run asks no engine:
                                 "fallback engine E: upgraded if A or B answers", counted apart from what
                                 would be built, since whether it happens is the engines' call

Rebuilding goes through Builder.build() (one Builder per run), which writes the MP3 and its captions
atomically and sends the engine only the chunks the clip cache does not hold: an edited sentence costs
that sentence's requests.

One article that fails is recorded and skipped (the run goes on); a lock keeps two runs off the same
OUT. This module never prints: the CLI turns callbacks and the returned SyncReport into output.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from readaloud import config, outputs, pipeline, sidecars, tags
from readaloud.archive import Planned, find_articles
from readaloud.builder import Builder
from readaloud.config import Settings
from readaloud.engines import registry
from readaloud.errors import EngineUnavailable, InputError, ReadaloudError, TransientEngineError
from readaloud.model import Warn, ignore
from readaloud.text import lexicon
from readaloud.version import RULES_VERSION

__all__ = ["LOCK_NAME", "Checker", "Outcome", "SyncLocked", "SyncReport", "build_one", "hold_lock",
           "run", "upgrade_probe"]

LOCK_NAME = ".readaloud-sync.lock"
# The start of the reason given (by a dry run) for an article a better engine may rebuild tonight.
UPGRADE_IF_ANSWERS = "fallback engine"

Action = Literal["built", "up-to-date", "failed", "would-build", "would-try-upgrade"]
# Does an engine the settings prefer to the one that spoke (given) answer now? Given the article that would be
# upgraded too, so the probe can spend its one request on a chunk that article needs anyway.
Reachable = Callable[[Path, str], bool | None]  # None: not asked (a dry run never contacts a service)
# Who builds the articles when not this process: given them (with their indexes), record(index, outcome), warn.
BuildElsewhere = Callable[[list[tuple[int, Planned]], Callable[[int, "Outcome"], None], Warn], None]


class SyncLocked(ReadaloudError):
    """Another sync holds OUT's lock. Its own exit code, so cron wrappers can tell "busy" from "failed"."""

    exit_code = 4


@dataclass(frozen=True)
class Outcome:
    """What happened to one article."""

    source: str
    output: str
    action: Action
    reason: str  # why it was (or would be) built, "up to date", or the error
    synthesized: int = 0  # chunks the engine spoke for this build
    cached: int = 0  # chunks taken from the clip cache
    engine: str | None = None  # the engine that spoke (identity), when built
    fallback: bool = False  # built by the fallback engine because the preferred one failed
    seconds: float = 0.0


@dataclass(frozen=True)
class SyncReport:
    outcomes: tuple[Outcome, ...]  # in source order (sorted paths), whatever order they finished in
    seconds: float

    def _count(self, action: Action) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def built(self) -> int:
        return self._count("built")

    @property
    def up_to_date(self) -> int:
        return self._count("up-to-date")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def would_build(self) -> int:
        return self._count("would-build")

    @property
    def would_try_upgrade(self) -> int:
        return self._count("would-try-upgrade")

    def as_dict(self) -> dict:
        """The report as plain JSON-ready data (for `sync --json`)."""
        return {"ok": self.failed == 0, "built": self.built, "up_to_date": self.up_to_date, "failed": self.failed,
                "would_build": self.would_build, "would_try_upgrade": self.would_try_upgrade,
                "seconds": self.seconds,
                "articles": [asdict(outcome) for outcome in self.outcomes]}


# --- the lock ------------------------------------------------------------------------------------------


@contextmanager
def hold_lock(out: Path) -> Iterator[Path]:
    """Hold OUT's sync lock for the duration, or raise SyncLocked at once.

    flock, not a "lock file exists" test: the kernel releases it when the process ends however it ends
    (kill -9, a crash, a reboot), so a dead run never blocks the next night's. OUT is usually the public
    folder, so the holder removes the file before letting go. A run that opened the old file meanwhile
    then holds a lock on a file with no name: it sees that the name leads elsewhere (or nowhere) and
    tries again, so two runs never both hold "the" lock.
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a folder (sync writes MP3s under OUT_DIR)")
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    while True:
        fd = _open_lock(path)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, _PID_FIELD, 0).decode("ascii", "replace").strip()
            os.close(fd)
            who = f"pid {holder}" if holder.isdigit() else "pid unknown"
            raise SyncLocked(f"{out}: another readaloud sync is running on this folder ({who}); "
                             "not starting a second one") from None
        if outputs.same_file(fd, path):
            break
        os.close(fd)  # the file was removed by the run that held it: lock the one there now
    try:
        _write_pid_field(fd, str(os.getpid()))  # for the refusal message of a second run
        yield path
    finally:
        if outputs.same_file(fd, path):
            os.unlink(path)  # while still holding the lock: see above
        os.close(fd)  # releases the flock


# The lock file holds one fixed-width field, the holder's pid padded with spaces, so it is always
# overwritten whole and never needs truncating.
_PID_FIELD = 16
_LOCK_CONTENT = re.compile(rb"[0-9 ]*\n?")


def _write_pid_field(fd: int, pid: str) -> None:
    os.pwrite(fd, f"{pid:<{_PID_FIELD - 1}}\n".encode("ascii"), 0)


def _open_lock(path: Path) -> int:
    """Open (or create) the lock file, refusing anything that is not readaloud's own lock file.

    OUT is often writable by others (a web server's folder): a link there must not lead the lock's writes
    to another file, and a FIFO or a device must not be opened at all (a FIFO would block, a device may
    act on being opened). lstat refuses those up front; O_NOFOLLOW and O_NONBLOCK keep the open safe if
    the path is swapped in between, and fstat checks what was actually opened.
    """
    try:
        kind = _kind(os.lstat(path).st_mode)
    except FileNotFoundError:
        kind = None
    if kind is not None and kind != "a file":
        raise InputError(f"{path}: is {kind}, not readaloud's lock file; not touched (remove it to sync)")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        problem = "is a link" if exc.errno == errno.ELOOP else f"cannot be opened ({exc.strerror})"
        raise InputError(f"{path}: {problem}, not readaloud's lock file; not touched") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            problem = f"is {_kind(info.st_mode)}"
        elif info.st_nlink != 1:  # a hard link: writing the pid would write into the other name's file
            problem = "has other names (hard links)"
        elif info.st_size > _PID_FIELD or not _LOCK_CONTENT.fullmatch(os.pread(fd, _PID_FIELD + 1, 0)):
            problem = "holds something other than a pid"
        else:
            return fd
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    raise InputError(f"{path}: {problem}, not readaloud's lock file; not touched (remove it to sync)")


def _kind(mode: int) -> str:
    """What a file of this st_mode is, for messages: "a file", "a folder", "a FIFO"..."""
    for test, name in ((stat.S_ISREG, "a file"), (stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a link"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"),
                       (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


# --- deciding ------------------------------------------------------------------------------------------


def _existing_file(path: Path) -> bool:
    """Whether `path` exists, as a file or a link to one (build() replaces either); InputError when
    something else is there, which build() must not replace."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(mode):
        raise InputError(f"{path} is {_kind(mode)}; not built")
    return True


_READ_PIECE = 1 << 20


def _source_digest(source: Path, max_bytes: int) -> str:
    """sha256 of the article's bytes (what build() records), read a piece at a time; an article over the
    size limit is refused from its size alone, unread, as build() would refuse it. O_NONBLOCK: a FIFO put
    in the article's place since the walk must not block the run."""
    fd = os.open(source, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    with open(fd, "rb", buffering=0) as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{source}: is {_kind(info.st_mode)}, not an article file")
        digest, seen = hashlib.sha256(), info.st_size if info.st_size > max_bytes else 0
        # At most max_bytes + 1 bytes, even if the file grows while it is read; a small article in one read
        # (asking for a whole piece would allocate 1 MB per article).
        while seen <= max_bytes and (piece := handle.read(
                min(_READ_PIECE, max_bytes + 1 - seen, max(info.st_size + 1 - seen, 1 << 16)))):
            digest.update(piece)
            seen += len(piece)
        if seen > max_bytes:
            raise InputError(f"{source}: over the {max_bytes / 1_000_000:g} MB limit for one article "
                             "(set [reading] max_article_bytes to change it)")
    return digest.hexdigest()


class Checker:
    """Decides, article by article, whether its MP3 is up to date. Everything shared by every article (the
    settings fingerprint, the lexicon) is computed once, here."""

    def __init__(self, settings: Settings, preferred_reachable: Reachable, words: dict[str, str] | None = None):
        """`words`: the lexicon, if it was read already (a Builder's); else it is read here."""
        self.settings = settings
        self.fingerprint = config.fingerprint(settings)
        # A broken lexicon stops the run (ConfigError).
        self.words = words if words is not None else lexicon.load(settings.reading.lexicon)
        self.no_words = lexicon.relevant_digest({}, "")
        # The MP3's own transcript stands in for the article's text unless an entry spans lines (below).
        self.transcript_will_do = not any("\n" in word or "\r" in word for word in self.words)
        self.preferred_reachable = preferred_reachable

    def reason(self, source: Path, output: Path) -> str | None:
        """Why `output` must be (re)built from `source`, or None when it is up to date."""
        # A folder (or FIFO...) where the MP3 or a sidecar goes would fail every build, every night, after
        # all the engine's work: said at once, in one line. Not read either: a FIFO would block the tag read.
        exists = _existing_file(output)
        captioned = _existing_file(sidecars.path_for(output, "vtt"))
        _existing_file(sidecars.path_for(output, "chapters"))
        digest = _source_digest(source, self.settings.reading.max_article_bytes)
        if not exists:
            return "new"
        facts = tags.read_build_facts(output)  # the tag only: no audio is read
        if facts is None or facts.provenance.source_sha256 is None:
            return "unreadable output"
        made = facts.provenance
        if digest != made.source_sha256:
            return "source changed"
        if made.settings != self.fingerprint:
            return "settings changed"
        if made.rules != RULES_VERSION:
            return "reading rules changed"
        wanted, spoke = self.settings.engine.name, registry.family(made.engine or "")
        if not registry.is_policy(wanted) and spoke != wanted:
            # The fingerprint leaves out which engine was asked for, because the engine that spoke is
            # recorded on its own: this is where the two are compared.
            return "engine changed"
        if (self.words or made.lexicon != self.no_words) and \
                self._lexicon_digest(source, facts) != made.lexicon:
            return "lexicon changed"
        if not captioned:
            return "captions missing"
        better = registry.better_than(self.settings.engine, spoke)
        if better:
            reachable = self.preferred_reachable(source, spoke)
            if reachable is None:
                return f"{UPGRADE_IF_ANSWERS} {spoke}: upgraded if {' or '.join(better)} answers"
            if reachable:
                return f"{UPGRADE_IF_ANSWERS} {spoke}: upgrading"
        return None

    def _lexicon_digest(self, source: Path, facts: tags.BuildFacts) -> str:
        """lexicon.relevant_digest over the text build() digested: pipeline.article_text() of the article as
        read and tidied, i.e. its title, blocks and author joined by line breaks.

        By the time this runs the article's bytes, the settings (page rules included) and the reading rules
        are those the MP3 was made from, so the MP3's transcript (USLT: the same title and blocks, joined
        by blank lines) and author (TPE1) are that text. A lexicon word (one line) is found in one iff it is
        found in the other, and reading them from the tag already in hand costs nothing, where reading and
        tidying the article again costs up to ~12 ms for an HTML page. An MP3 without a transcript, or a
        lexicon entry spanning lines, takes the long way."""
        if facts.transcript is not None and self.transcript_will_do:
            text = f"{facts.transcript}\n{facts.author}"
        else:
            text = pipeline.article_text(pipeline.plan_article(str(source), self.settings))
        return lexicon.relevant_digest(self.words, text)


def upgrade_probe(builder: Builder, warn: Warn = ignore) -> Reachable:
    """Whether an engine better than the one that spoke an article answers, each engine found down at most
    once per run and asked only when an article needs it.

    The probe is one real request for a chunk of the article about to be upgraded, through the clip cache:
    the answer is stored and the upgrade that follows uses it, so the request is never wasted, and a chunk
    already in the cache is never sent (nor taken as proof that the engine answers tonight). If every chunk
    of that article is cached already, the upgrade needs no request at all and the question stays open for
    the next article. An engine that cannot be used or reached (unavailable, unreachable, failing again and
    again) is down for the rest of the run: no upgrade from it tonight, not an error. An engine that refuses
    this article's text alone is down for this article only, so one odd article never holds back the rest.
    """
    down: set[str] = set()
    answered: set[str] = set()
    lock = threading.Lock()

    def reachable(source: Path, spoke: str) -> bool:
        with lock:
            for name in registry.better_than(builder.settings.engine, spoke):
                if name in answered:
                    return True
                if name in down:
                    continue
                found = _probe(builder, name, source, spoke, warn)
                if found == "down":
                    down.add(name)
                elif found == "answered":
                    answered.add(name)
                if found in ("answered", "cached"):
                    return True
            return False

    return reachable


def _probe(builder: Builder, name: str, source: Path,
           spoke: str, warn: Warn) -> Literal["answered", "cached", "down", "refused"]:
    """One engine's answer for `source`: "answered" when it spoke a chunk now, "cached" when every chunk it
    would speak is cached already (no request sent, nothing learnt), "down" when it cannot be used or
    reached, "refused" when it failed on this article's text (and may well speak the next one)."""
    from readaloud.cache import CachedEngine

    cache = builder.prepared.cache
    try:
        engine = builder.prepared.engine(name)
    except ReadaloudError as exc:
        warn(f"{name} cannot be used ({exc}); articles spoken by {spoke} are kept")
        return "down"
    identity = engine.identity()
    texts = [chunk.spoken for chunk in builder.script(source).chunks if chunk.spoken.strip()]
    missing = [text for text in texts if cache is None or not cache.contains(identity, text)]
    if not missing:
        return "cached"
    try:
        CachedEngine(registry.with_policy(engine, builder.settings), cache).synthesize(missing[0])
    except (EngineUnavailable, TransientEngineError) as exc:
        warn(f"{name} does not answer ({exc}); articles spoken by {spoke} are kept")
        return "down"
    except ReadaloudError as exc:
        warn(f"{source}: {name} cannot speak it ({exc}); kept as spoken by {spoke}")
        return "refused"
    return "answered"


def _decide(found: list[Planned], checker: Checker) -> Iterator[Planned]:
    for item in found:
        if item.error is None:
            try:
                item = item._replace(reason=checker.reason(item.source, item.output))
            except ReadaloudError as exc:
                item = item._replace(error=str(exc))
            except Exception as exc:  # an unreadable file, a bug: this article only, never the run
                item = item._replace(error=_describe(exc))
        yield item


def _make_folders(folder: Path) -> list[Path]:
    """mkdir -p without recursion (Path.mkdir(parents=True) and os.makedirs call themselves once per
    missing level: the MP3 of an article 1000 folders deep raised RecursionError). Returns the folders
    made, deepest first."""
    missing: list[Path] = []
    while not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        level.mkdir(exist_ok=True)
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    """Remove the folders a failed build made for its MP3, deepest first, unless something is in them."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror}"
    return f"{exc.__class__.__name__}: {exc}"


# --- the run -------------------------------------------------------------------------------------------


def run(src: Path, out: Path, settings: Settings, *, jobs: int = 1, dry_run: bool = False,
        on_start: Callable[[int], None] = ignore, on_outcome: Callable[[Outcome], None] = ignore,
        warn: Warn = ignore, preferred_reachable: Reachable | None = None,
        on_progress: Callable[[str, str, int, int], None] = ignore, builder: Builder | None = None,
        elsewhere: BuildElsewhere | None = None) -> SyncReport:
    """Bring OUT up to date with SRC (see the module docstring) and report on every article.

    `on_start(n)` is called once the n articles are found; `on_outcome` once per article as soon as it is
    decided or built, always from the calling thread; `warn` with one-line warnings (from any thread);
    `on_progress(source, stage, done, total)` as each build goes (pipeline.Progress, from its thread).
    `builder`: the Builder (of these settings) to build with; by default one is made, so the lexicon, the
    clip cache and the engines are made once for the whole run.
    `elsewhere(to_build, record, warn)`: builds the articles instead of this process, recording each
    outcome as it comes (service.tasks: `readaloud worker`s over Redis); the report is the same.
    With `dry_run` nothing is built, written or locked: OUT need not exist. Raises SyncLocked when another run
    holds OUT, ConfigError for a broken lexicon; KeyboardInterrupt (and the CLI's SIGTERM) stops the run
    after the builds in progress, which finish or leave nothing behind, and releases the lock.
    """
    if not src.is_dir():
        raise InputError(f"{src}: no such folder of articles")
    started = time.monotonic()
    if builder is not None and builder.settings is not settings:
        # The checks compare MP3s with these settings' fingerprint; builds under others would never match.
        raise ValueError("sync.run: the builder must be made from the settings given")
    builder = builder or Builder(settings)
    if preferred_reachable is None:
        # A dry run writes nothing and asks nothing: probing Google would send a real request and fill the cache.
        preferred_reachable = (lambda _source, _spoke: None) if dry_run else upgrade_probe(builder, warn)
    checker = Checker(settings, preferred_reachable, builder.prepared.words)  # a bad lexicon: stop now
    if dry_run and out.exists() and not out.is_dir():
        raise InputError(f"{out}: not a folder (sync writes MP3s under OUT_DIR)")
    with contextlib.nullcontext() if dry_run else hold_lock(out):
        found = find_articles(src, out, warn)
        on_start(len(found))
        outcomes: list[Outcome | None] = [None] * len(found)

        def record(index: int, outcome: Outcome) -> None:
            outcomes[index] = outcome
            on_outcome(outcome)

        to_build = _sort_out(found, checker, dry_run, record)
        # At most `jobs` cores in all: each build gets its share (one core each when there are enough
        # articles to keep every job busy; a lone article gets them all).
        cores = max(1, jobs // max(1, min(jobs, len(to_build))))
        if elsewhere is not None and to_build:
            elsewhere(to_build, record, warn)
        else:
            _build_all(to_build, jobs, lambda item: build_one(builder, item, warn, on_progress, cores), record)
    return SyncReport(tuple(o for o in outcomes if o is not None), round(time.monotonic() - started, 3))


def _sort_out(found: list[Planned], checker: Checker, dry_run: bool,
              record: Callable[[int, Outcome], None]) -> list[tuple[int, Planned]]:
    """Decide every article and record those not to be built; returns the ones to build, with their index.
    Deciding is cheap and runs here, in order (so the probe is asked once, from one thread); only the
    builds go to worker threads."""
    to_build: list[tuple[int, Planned]] = []
    for index, item in enumerate(_decide(found, checker)):
        source, output = str(item.source), str(item.output)
        if item.error is not None:
            record(index, Outcome(source, output, "failed", item.error))
        elif item.reason is None:
            record(index, Outcome(source, output, "up-to-date", "up to date"))
        elif dry_run:
            action: Action = "would-try-upgrade" if item.reason.startswith(UPGRADE_IF_ANSWERS) else "would-build"
            record(index, Outcome(source, output, action, item.reason))
        else:
            to_build.append((index, item))
    return to_build


def build_one(builder: Builder, item: Planned, warn: Warn,
              on_progress: Callable[[str, str, int, int], None] = ignore, cores: int = 1) -> Outcome:
    """Build one article; a failure is its outcome, never the run's end."""
    source, output, reason = item.source, item.output, item.reason or ""
    begun = time.monotonic()

    def article_warn(message: str) -> None:
        # With several builds at once a warning must say which article it is about.
        warn(message if message.startswith(str(source)) else f"{source}: {message}")

    made: list[Path] = []
    try:
        made = _make_folders(output.parent)
        result = builder.build(str(source), output, warn=article_warn,
                               progress=lambda stage, done, total: on_progress(str(source), stage, done, total),
                               cores=cores, engines=_upgrade_engines(builder, output, reason))
    except ReadaloudError as exc:
        error = str(exc)
    except Exception as exc:  # reported with its class name; KeyboardInterrupt is not an Exception
        error = _describe(exc)
    else:
        return Outcome(str(source), str(output), "built", reason, result.synthesized, result.cached,
                       result.engine, result.fallback, round(time.monotonic() - begun, 3))
    _remove_if_empty(made)  # a failed article leaves no empty folders in OUT either
    return Outcome(str(source), str(output), "failed", error, seconds=round(time.monotonic() - begun, 3))


def _upgrade_engines(builder: Builder, output: Path, reason: str) -> tuple[str, ...] | None:
    """For an upgrade, the engines it may try: the better ones, then the one that spoke the MP3 now there,
    never one below it (were the better ones to fail after the probe, the audio must not get worse). None
    (the settings' engines) for any other rebuild. Read from the MP3 itself, so a worker elsewhere decides
    the same."""
    if not reason.startswith(UPGRADE_IF_ANSWERS):
        return None
    facts = tags.read_build_facts(output)
    spoke = registry.family(facts.provenance.engine or "") if facts is not None else ""
    return registry.upgrade_engines(builder.settings.engine, spoke) or None


def _build_all(to_build: list[tuple[int, Planned]], jobs: int, build: Callable[[Planned], Outcome],
               record: Callable[[int, Outcome], None]) -> None:
    """Build each article, `jobs` at once, recording each outcome from this thread as it comes."""
    if jobs <= 1 or len(to_build) <= 1:
        for index, item in to_build:
            record(index, build(item))
        return
    pool = ThreadPoolExecutor(max_workers=min(jobs, len(to_build)), thread_name_prefix="readaloud-sync")
    try:
        futures = {pool.submit(build, item): index for index, item in to_build}
        for future in as_completed(futures):
            record(futures[future], future.result())
    finally:
        # On Ctrl-C/SIGTERM the queued articles are dropped rather than built; the ones in progress
        # cannot be interrupted from here and finish (each writes whole files or none).
        pool.shutdown(wait=True, cancel_futures=True)
