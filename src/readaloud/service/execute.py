"""One job run: the article the CMS sent, built into the public folder, and its record finished once.

The same function runs in `serve`'s own worker threads and in `readaloud worker` processes. A job whose
worker died is simply run again: the build replaces its files atomically, so a rerun leaves the same
whole files, and the store records only the first finish.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from typing import TYPE_CHECKING, Any

from readaloud.errors import InputError, ReadaloudError
from readaloud.reports import build_as_dict
from readaloud.text import parse_article

if TYPE_CHECKING:
    from readaloud.builder import Builder
    from readaloud.model import Article, BuildResult
    from readaloud.service.jobs import Job, JobStore, Submission
    from readaloud.service.places import Places

log = logging.getLogger("readaloud.service")


def article_of(submission: Submission, max_bytes: int) -> Article:
    """The submitted article read, with the metadata sent beside it in place of its own. Its image is
    dropped: a submitted article has no folder for one to be in (see cover.py)."""
    article = parse_article(submission.article, submission.suffix, submission.name, max_bytes)
    return dataclasses.replace(article, image=None, **submission.meta)  # type: ignore[arg-type]


def published(submission: Submission, result: BuildResult, places: Places) -> dict[str, Any]:
    """`build --json`'s fields for a CMS: paths relative to the public folder, and where each file is."""
    data = build_as_dict(submission.name, result)
    del data["ok"]
    data["output"] = places.relative(result.output)
    data["captions"] = [places.relative(path) for path in result.captions]
    data["audio_url"] = places.url_for(data["output"])
    data["caption_urls"] = {path.rsplit(".", 1)[-1]: places.url_for(path) for path in data["captions"]}
    if result.chapters_file is not None:
        data["chapters_file"] = places.relative(result.chapters_file)
        data["chapters_url"] = places.url_for(data["chapters_file"])
    return data


def run(job_id: str, store: JobStore, builder: Builder, places: Places, *, cores: int | None = None,
        reraise: bool = False) -> Job | None:
    """Build job `job_id` and finish it: done with its result, or failed with the one-line error the
    command line would print. Unexpected errors (a full disk, a bug) fail it too, unless `reraise`: then
    they propagate, for the task queue to retry. None when the job is finished already or unknown."""
    job = store.start(job_id)
    submission = store.submission(job_id) if job is not None else None
    if job is None or submission is None:
        return None
    begun = time.monotonic()
    try:
        result = _build(job, submission, builder, places, cores)
    except ReadaloudError as exc:
        store.finish(job_id, None, str(exc), time.monotonic() - begun)
    except Exception as exc:
        if reraise:
            raise
        log.exception("job %s failed unexpectedly", job_id)
        store.finish(job_id, None, f"{exc.__class__.__name__}: {exc}", time.monotonic() - begun)
    else:
        store.finish(job_id, published(submission, result, places), None, time.monotonic() - begun,
                     result.synthesized, result.fallback)
    return store.get(job_id)


def _build(job: Job, submission: Submission, builder: Builder, places: Places, cores: int | None) -> BuildResult:
    article = article_of(submission, builder.settings.reading.max_article_bytes)
    output = places.output_for(job.slug)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{output.parent}: cannot make the folder ({exc.strerror or exc})") from None
    log.info("job %s: building %s (attempt %d, pid %d)", job.id, output.name, job.attempts, os.getpid())
    return builder.build_article(article, output, srt=True, cores=cores)
