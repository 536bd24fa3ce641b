"""Jobs: what a CMS submits, the record kept of it, and the store that keeps it (one protocol, two stores:
SQLite on local disk for one machine, Redis for many).

A job moves queued -> running -> done | failed, and only forward: a job redelivered after its worker died
may run again, but done and failed are written once (the first finisher wins), so each accepted job
finishes exactly once and its callback is sent for that one finish.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from readaloud.errors import InputError

State = Literal["queued", "running", "done", "failed"]
STATES: tuple[State, ...] = ("queued", "running", "done", "failed")
# Build seconds are counted into these buckets for /metrics (a Prometheus histogram, cumulative).
BUCKETS_S = (1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)

META_FIELDS = ("title", "author", "url", "date", "slug")
MAX_META_CHARS = 2000
MAX_KEY_CHARS = 200
_SEGMENT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Submission:
    """An article as a CMS sent it, with what came with it. `name` names it in messages ("article.md")."""

    article: bytes
    suffix: str  # ".txt", ".md" or ".html": the format
    name: str
    meta: dict[str, str] = field(default_factory=dict)  # title, author, url, date: override the article's own
    slug: str = ""  # sanitised: where the audio is published, <slug>.mp3
    callback_url: str = ""
    idempotency_key: str = ""

    @property
    def digest(self) -> str:
        """What identifies the request, to tell a retried submission from a different one under the same key."""
        data = json.dumps([self.suffix, self.meta, self.slug, self.callback_url], sort_keys=True).encode()
        return hashlib.sha256(hashlib.sha256(self.article).digest() + data).hexdigest()


@dataclass(frozen=True)
class Job:
    id: str
    state: State
    created: float
    slug: str
    name: str
    started: float | None = None
    finished: float | None = None
    attempts: int = 0  # times a worker started it (more than 1: a worker died or the server restarted)
    result: dict[str, Any] | None = None  # build --json's fields, with paths relative to the public folder
    error: str | None = None
    callback_url: str = ""


class KeyReused(Exception):
    """An idempotency key sent again with a different article or options (HTTP 409)."""


class JobStore(Protocol):
    """Where jobs live. Every method is safe to call from several threads and processes."""

    def submit(self, submission: Submission) -> tuple[Job, bool]:
        """The new job (True), or the one this idempotency key already made (False); KeyReused."""

    def get(self, job_id: str) -> Job | None: ...

    def submission(self, job_id: str) -> Submission | None: ...

    def start(self, job_id: str) -> Job | None:
        """Mark it running (counting the attempt); None when it is finished already or unknown."""

    def finish(self, job_id: str, result: dict[str, Any] | None, error: str | None, seconds: float,
               synthesized: int = 0, fallback: bool = False) -> bool:
        """Done (result) or failed (error), once: False when it was finished already."""

    def counts(self) -> dict[str, int]:
        """Jobs by state."""

    def totals(self) -> dict[str, float]:
        """Counters for /metrics: build_seconds_sum, builds, engine_requests, fallbacks, le_<bucket>."""


def new_job_id() -> str:
    return secrets.token_hex(12)


def is_job_id(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{24}", text))


def sanitise_slug(slug: str) -> str:
    """A slug as a safe relative path: each /-separated part lowercased, Vietnamese letters without their
    marks (đ -> d), anything but a-z and 0-9 made a hyphen; at most 4 parts. Nothing of `..`, `/` at the
    start, a backslash or a control character survives. InputError when nothing usable is left."""
    parts = []
    for raw in slug.replace("\\", "/").split("/"):
        plain = unicodedata.normalize("NFKD", raw.replace("đ", "d").replace("Đ", "D"))
        plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
        part = _SEGMENT.sub("-", plain).strip("-")[:100]
        if part:
            parts.append(part)
    if not parts:
        raise InputError(f"slug {slug[:80]!r}: no letters or digits to name the audio file by")
    if len(parts) > 4:
        raise InputError(f"slug {slug[:80]!r}: more than 4 folder levels")
    return "/".join(parts)


def checked_meta(meta: dict[str, str]) -> dict[str, str]:
    """The metadata fields given, each one line of text; InputError naming a field that is not."""
    kept = {}
    for key in ("title", "author", "url", "date"):
        value = meta.get(key)
        if value is None or value == "":
            continue
        if len(value) > MAX_META_CHARS or any(unicodedata.category(ch) == "Cc" for ch in value):
            raise InputError(f"{key}: must be one line of at most {MAX_META_CHARS} characters")
        kept[key] = unicodedata.normalize("NFC", value.strip())
    return kept


def checked_callback(url: str, allowed_hosts: tuple[str, ...] = ()) -> str:
    """A callback address: http(s), one a client can use, on one of `allowed_hosts` when any are given
    ([service] callback_hosts: where a token holder may make the service send requests)."""
    if not url:
        return ""
    import httpx

    try:
        host = httpx.URL(url).host if len(url) <= MAX_META_CHARS else ""
    except (httpx.InvalidURL, UnicodeError):
        host = ""
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", url) or not host:
        raise InputError(f"callback_url {url[:80]!r}: expected an http:// or https:// address")
    if allowed_hosts and host.lower() not in {allowed.lower().strip("[]") for allowed in allowed_hosts}:
        raise InputError(f"callback_url {url[:80]!r}: host {host!r} is not in [service] callback_hosts")
    return url


def checked_key(key: str) -> str:
    if len(key) > MAX_KEY_CHARS or not key.isprintable():
        raise InputError(f"Idempotency-Key: at most {MAX_KEY_CHARS} printable characters")
    return key


def bucket_names() -> list[str]:
    return [f"le_{bound:g}" for bound in BUCKETS_S]


def bucket_hits(seconds: float) -> list[str]:
    """The histogram buckets one build of `seconds` counts in."""
    return [f"le_{bound:g}" for bound in BUCKETS_S if seconds <= bound]


def now() -> float:
    return round(time.time(), 3)
