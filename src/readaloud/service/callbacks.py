"""Telling the CMS a job has finished: its status JSON POSTed to the callback URL, signed (signing.py).

Delivery is never part of a build: a finished job's callback is queued (the embedded store's outbox, or a
Dramatiq message) and sent by its own thread or worker, retried with doubling delays on anything but a 2xx
answer, up to [service] callback_attempts tries.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx

from readaloud.service import signing
from readaloud.service.jobs import Job

TIMEOUT_S = 10.0
MAX_DELAY_S = 3600.0


class CallbackFailed(Exception):
    """The receiver did not answer 2xx (or could not be reached): the attempt is retried later."""


def view(job: Job, status_url: str) -> dict[str, Any]:
    """A job as the API shows it (GET /v1/builds/{id}) and a callback carries it."""
    shown: dict[str, Any] = {"id": job.id, "status": job.state, "status_url": status_url, "article": job.name,
                             "slug": job.slug, "created_at": _iso(job.created), "started_at": _iso(job.started),
                             "finished_at": _iso(job.finished), "attempts": job.attempts}
    if job.state == "done" and job.result is not None:
        shown.update(job.result)
    if job.state == "failed":
        shown["error"] = job.error
    return shown


def _iso(moment: float | None) -> str | None:
    """A time as ISO 8601 in UTC to the millisecond ("2026-11-30T06:43:23.818Z"), as a CMS stores it."""
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def body_of(job: Job, status_url: str) -> bytes:
    return json.dumps(view(job, status_url), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def deliver(url: str, body: bytes, secret: str, job_id: str) -> None:
    """POST one callback; CallbackFailed unless the receiver answers 2xx."""
    headers = {"Content-Type": "application/json", "User-Agent": "readaloud", "Readaloud-Job": job_id,
               signing.HEADER: signing.sign(body, secret)}
    try:
        answer = httpx.post(url, content=body, headers=headers, timeout=TIMEOUT_S, follow_redirects=False)
    except Exception as exc:  # unreachable, refused, timed out, or an address httpx cannot use: one failed try
        raise CallbackFailed(f"{url}: {exc.__class__.__name__}: {exc}") from None
    if not 200 <= answer.status_code < 300:
        raise CallbackFailed(f"{url}: answered {answer.status_code}")


def delay_s(attempts_so_far: int, first_s: float) -> float:
    """How long to wait before the next try after `attempts_so_far` failed ones."""
    return min(MAX_DELAY_S, first_s * 2 ** max(0, attempts_so_far - 1))
