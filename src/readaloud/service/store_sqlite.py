"""The embedded job store: one SQLite file on local disk, for `readaloud serve` on one machine.

It is also the queue of the in-process workers (claim() takes the oldest queued job) and the outbox of
callbacks (a finished job with a callback URL gets its outbox row in the same transaction as its state,
so a callback is neither lost nor sent for a job that did not finish). SQLite's write-ahead log makes an
accepted job survive the process being killed; on start, recover() puts back the jobs that were running
when the last process died, so every accepted job finishes. One process owns the file at a time (the
service folder's lock, see service.places), which is what makes that safe.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from readaloud.service.jobs import (
    STATES,
    Job,
    KeyReused,
    Submission,
    bucket_hits,
    bucket_names,
    new_job_id,
    now,
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    idempotency_key TEXT UNIQUE,
    digest TEXT NOT NULL,
    state TEXT NOT NULL,
    created REAL NOT NULL,
    started REAL,
    finished REAL,
    attempts INTEGER NOT NULL DEFAULT 0,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    suffix TEXT NOT NULL,
    meta TEXT NOT NULL,
    callback_url TEXT NOT NULL,
    article BLOB NOT NULL,
    result TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, seq);
CREATE INDEX IF NOT EXISTS jobs_slug ON jobs (state, slug);
CREATE TABLE IF NOT EXISTS callbacks (
    job_id TEXT PRIMARY KEY,
    due REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS callbacks_due ON callbacks (state, due);
CREATE TABLE IF NOT EXISTS totals (name TEXT PRIMARY KEY, value REAL NOT NULL);
"""
_JOB_COLUMNS = "id, state, created, slug, name, started, finished, attempts, result, error, callback_url"


class SqliteJobStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable when the process is killed
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- the JobStore protocol ------------------------------------------------------------------------

    def submit(self, submission: Submission) -> tuple[Job, bool]:
        with self._transaction() as db:
            if submission.idempotency_key:
                row = db.execute("SELECT id, digest FROM jobs WHERE idempotency_key = ?",
                                 (submission.idempotency_key,)).fetchone()
                if row is not None:
                    if row[1] != submission.digest:
                        raise KeyReused(submission.idempotency_key)
                    return self._job(db, row[0]), False  # type: ignore[return-value]
            job_id = new_job_id()
            db.execute("INSERT INTO jobs (id, idempotency_key, digest, state, created, slug, name, suffix, meta, "
                       "callback_url, article) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?)",
                       (job_id, submission.idempotency_key or None, submission.digest, now(),
                        submission.slug or job_id, submission.name, submission.suffix,
                        json.dumps(submission.meta), submission.callback_url, submission.article))
            return self._job(db, job_id), True  # type: ignore[return-value]

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._job(self._db, job_id)

    def submission(self, job_id: str) -> Submission | None:
        with self._lock:
            row = self._db.execute("SELECT article, suffix, name, meta, slug, callback_url, idempotency_key "
                                   "FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        return Submission(row[0], row[1], row[2], json.loads(row[3]), row[4], row[5], row[6] or "")

    def start(self, job_id: str) -> Job | None:
        with self._transaction() as db:
            changed = db.execute("UPDATE jobs SET state = 'running', started = ?, attempts = attempts + 1 "
                                 "WHERE id = ? AND state IN ('queued', 'running')", (now(), job_id)).rowcount
            return self._job(db, job_id) if changed else None

    def finish(self, job_id: str, result: dict[str, Any] | None, error: str | None, seconds: float,
               synthesized: int = 0, fallback: bool = False) -> bool:
        with self._transaction() as db:
            state = "done" if error is None else "failed"
            changed = db.execute("UPDATE jobs SET state = ?, finished = ?, result = ?, error = ?, article = x'' "
                                 "WHERE id = ? AND state IN ('queued', 'running')",
                                 (state, now(), json.dumps(result) if result is not None else None, error,
                                  job_id)).rowcount
            if not changed:
                return False
            for name, amount in self._counted(seconds, synthesized, fallback):
                db.execute("INSERT INTO totals (name, value) VALUES (?, ?) "
                           "ON CONFLICT (name) DO UPDATE SET value = value + excluded.value", (name, amount))
            url = db.execute("SELECT callback_url FROM jobs WHERE id = ?", (job_id,)).fetchone()[0]
            if url:
                db.execute("INSERT OR IGNORE INTO callbacks (job_id, due) VALUES (?, ?)", (job_id, now()))
            return True

    @staticmethod
    def _counted(seconds: float, synthesized: int, fallback: bool) -> list[tuple[str, float]]:
        counted = [("builds", 1.0), ("build_seconds_sum", seconds), ("engine_requests", float(synthesized)),
                   ("fallbacks", 1.0 if fallback else 0.0)]
        return counted + [(name, 1.0) for name in bucket_hits(seconds)]

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall()
        found = dict(rows)
        return {state: int(found.get(state, 0)) for state in STATES}

    def totals(self) -> dict[str, float]:
        with self._lock:
            rows = dict(self._db.execute("SELECT name, value FROM totals").fetchall())
        names = ["builds", "build_seconds_sum", "engine_requests", "fallbacks", *bucket_names()]
        return {name: float(rows.get(name, 0.0)) for name in names}

    # --- the embedded queue and outbox ----------------------------------------------------------------

    def recover(self) -> int:
        """Put the jobs a killed process left running back in the queue; how many there were."""
        with self._transaction() as db:
            return db.execute("UPDATE jobs SET state = 'queued' WHERE state = 'running'").rowcount

    def claim(self) -> Job | None:
        """The oldest queued job, now running, for execute.run(); None when the queue is empty."""
        with self._transaction() as db:
            # Not one whose slug is being built: two builds publishing one slug at once could leave the MP3 of
            # one beside the captions of the other. The later submission waits and is published last.
            row = db.execute("SELECT id FROM jobs WHERE state = 'queued' AND slug NOT IN "
                             "(SELECT slug FROM jobs WHERE state = 'running') ORDER BY seq LIMIT 1").fetchone()
            if row is None:
                return None
            # Running from here (no other thread takes it); start() then counts the attempt.
            db.execute("UPDATE jobs SET state = 'running', started = ? WHERE id = ?", (now(), row[0]))
            return self._job(db, row[0])

    def due_callback(self) -> tuple[str, int] | None:
        """A callback due now (job id, attempts so far), or None."""
        with self._lock:
            row = self._db.execute("SELECT job_id, attempts FROM callbacks WHERE state = 'pending' AND due <= ? "
                                   "ORDER BY due LIMIT 1", (now(),)).fetchone()
        return (row[0], int(row[1])) if row else None

    def callback_tried(self, job_id: str, delivered: bool, error: str | None, retry_in_s: float | None) -> None:
        """Record one attempt: delivered, to be retried in `retry_in_s`, or given up (retry_in_s None)."""
        state = "sent" if delivered else "pending" if retry_in_s is not None else "gave-up"
        with self._transaction() as db:
            db.execute("UPDATE callbacks SET attempts = attempts + 1, state = ?, due = ?, last_error = ? "
                       "WHERE job_id = ?", (state, now() + (retry_in_s or 0.0), error, job_id))

    def callback_counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._db.execute("SELECT state, COUNT(*) FROM callbacks GROUP BY state").fetchall())

    @staticmethod
    def _job(db: sqlite3.Connection, job_id: str) -> Job | None:
        row = db.execute(f"SELECT {_JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        return Job(id=row[0], state=row[1], created=row[2], slug=row[3], name=row[4], started=row[5],
                   finished=row[6], attempts=row[7], result=json.loads(row[8]) if row[8] else None,
                   error=row[9], callback_url=row[10])
