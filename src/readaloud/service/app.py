"""The HTTP API (FastAPI on uvicorn): submit an article, follow its job, fetch the audio.

    POST /v1/builds          the article (raw, JSON or multipart) -> 202 {id, status, status_url}
    GET  /v1/builds/{id}     queued | running | done (with build --json's fields) | failed (with the error)
    GET  /media/{path}       a published MP3, caption or chapters file, with HTTP range requests
    GET  /healthz            200 when the job store answers
    GET  /metrics            Prometheus text
    GET  /docs               the OpenAPI documentation

/v1 needs a bearer token; /media, /healthz and /metrics do not (audio is public; put /metrics behind the
network's own rules). Request bodies over [service] max_request_bytes are refused with 413 before they
are read.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from readaloud.errors import InputError
from readaloud.service import callbacks, metrics, requests
from readaloud.service.jobs import KeyReused, Submission, is_job_id
from readaloud.sidecars import CHAPTERS_MEDIA_TYPE, SUFFIXES
from readaloud.version import __version__

if TYPE_CHECKING:
    from readaloud.service.runtime import Service

log = logging.getLogger("readaloud.service")
INLINE_BYTES = 64_000  # articles up to this are checked and kept on the event loop (embedded)
MAX_FORM_FIELDS = 20  # more than the known ones (the rest are refused by name); far fewer than a form bomb
# By how a published file's name ends (a chapters file by its double suffix: no other JSON is published).
MEDIA_TYPES = {".mp3": "audio/mpeg", ".vtt": "text/vtt; charset=utf-8", ".srt": "application/x-subrip",
               SUFFIXES["chapters"]: CHAPTERS_MEDIA_TYPE}

_ARTICLE_BODY = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "text/markdown": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object", "required": ["article"], "properties": {
            "article": {"type": "string"}, "format": {"type": "string", "enum": sorted(requests.FORMATS)},
            **{name: {"type": "string"} for name in requests.FIELDS}}}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["article"], "properties": {
            "article": {"type": "string", "format": "binary"},
            **{name: {"type": "string"} for name in requests.FIELDS}}}},
    },
}
_METADATA_QUERY = [{"name": name, "in": "query", "required": False, "schema": {"type": "string"},
                    "description": "with a raw text/markdown/html body"} for name in requests.FIELDS]


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class BodyLimit:
    """413 for a request body over `limit` bytes: at once from Content-Length, else as it streams in."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(scope, receive, send)
            return
        seen = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                # Answered here: the app's middleware wraps what receive raises (an ExceptionGroup, then a 500).
                if not started and not refused:
                    refused = True
                    await self._refuse(scope, receive, send)
                raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; the app's own (its 500 for the error above) is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if seen <= self.limit:
                raise

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = error(413, f"request body over the {self.limit:,} byte limit ([service] max_request_bytes)",
                         {"Connection": "close"})
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class Authenticate:
    """401 for /v1/ without a valid bearer token. Plain ASGI: Starlette's @app.middleware("http") runs each
    request in a task of its own behind memory streams, which cost more CPU than the check itself (the
    bench's POST latency under load)."""

    def __init__(self, app: ASGIApp, service: Service):
        self.app, self.service = app, service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/v1/"):
            given = dict(scope["headers"]).get(b"authorization")
            if not self.service.tokens.allows(given.decode("latin-1") if given is not None else None):
                response = error(401, "a valid bearer token is needed (Authorization: Bearer <token>)",
                                 {"WWW-Authenticate": 'Bearer realm="readaloud"'})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(service: Service) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        service.start()
        try:
            yield
        finally:
            service.stop()

    app = FastAPI(title="readaloud", version=__version__, lifespan=lifespan,
                  description="Vietnamese news articles to listenable MP3s: submit, follow the job, fetch the audio.")

    app.add_middleware(Authenticate, service=service)
    _v1_routes(app, service)
    _public_routes(app, service)
    for unavailable in store_errors():
        app.add_exception_handler(unavailable, _store_unavailable)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    return app


def _v1_routes(app: FastAPI, service: Service) -> None:
    @app.post("/v1/builds", status_code=202, openapi_extra={"requestBody": _ARTICLE_BODY,
                                                            "parameters": _METADATA_QUERY},
              summary="Submit an article; its audio is built in the background")
    async def submit(request: Request) -> Response:
        key = request.headers.get("idempotency-key", "")
        try:
            submission = await _read_submission(request, key)
            if service.workers is not None and len(submission.article) <= INLINE_BYTES:
                # Embedded, a news-sized article: reading it and keeping it in SQLite take well under a
                # millisecond, less than a hop to the thread pool would cost.
                job, made = service.submit(submission)
            else:
                job, made = await run_in_threadpool(service.submit, submission)
        except InputError as exc:
            return error(422, str(exc))
        except KeyReused:
            return error(409, f"Idempotency-Key {key[:80]!r} was used for a different article or options")
        status_url = _status_url(service, request, job.id)
        headers = {"Location": status_url, **({} if made else {"Idempotent-Replayed": "true"})}
        return JSONResponse({"id": job.id, "status": job.state, "status_url": status_url}, status_code=202,
                            headers=headers)

    @app.get("/v1/builds/{job_id}", name="status", summary="A job: queued, running, done (with its audio) or failed")
    async def status(job_id: str, request: Request) -> Response:
        job = await run_in_threadpool(service.store.get, job_id) if is_job_id(job_id) else None
        if job is None:
            return error(404, f"no job {job_id[:40]!r}")
        return JSONResponse(callbacks.view(job, _status_url(service, request, job.id)))


def _public_routes(app: FastAPI, service: Service) -> None:
    # HEAD too: players and CDNs ask for a file's size and type before fetching it.
    @app.api_route("/media/{path:path}", methods=["GET", "HEAD"],
                   summary="A published MP3, caption or chapters file (range requests supported)")
    async def media(path: str) -> Response:
        file = _published(service.places.public_dir, path)
        if file is None:
            return error(404, "no such file")
        return FileResponse(file, media_type=MEDIA_TYPES[_published_kind(file.name) or ""],
                            headers={"Cache-Control": "public, max-age=300"})

    @app.get("/healthz", summary="200 when the service and its job store answer")
    async def healthz() -> Response:
        try:
            counts = await run_in_threadpool(service.store.counts)
        except Exception as exc:  # the store (Redis) is down: say so, with 503
            return error(503, f"job store not answering: {exc.__class__.__name__}: {exc}")
        return JSONResponse({"ok": True, "version": __version__, "queue": service.queue_kind, "jobs": counts})

    @app.get("/metrics", summary="Prometheus metrics: jobs by state, build seconds, engine requests, fallbacks")
    async def prometheus() -> Response:
        text = await run_in_threadpool(metrics.exposition, service.store)
        return Response(text, media_type="text/plain; version=0.0.4; charset=utf-8")


def store_errors() -> tuple[type[Exception], ...]:
    """What the job stores raise when they cannot be reached or written (SQLite locked or its disk full,
    Redis down)."""
    import sqlite3

    try:
        import redis
    except ImportError:  # embedded only
        return (sqlite3.OperationalError,)
    return (sqlite3.OperationalError, redis.RedisError)


async def _http_error(_request: Request, exc: Exception) -> Response:
    """FastAPI's own refusals (no such route, a method not allowed) in the API's one shape: {"error": ...}."""
    assert isinstance(exc, StarletteHTTPException)
    return error(exc.status_code, str(exc.detail), dict(exc.headers or {}))


async def _store_unavailable(_request: Request, exc: Exception) -> Response:
    log.error("job store not answering: %s: %s", exc.__class__.__name__, exc)
    return error(503, f"job store not answering ({exc.__class__.__name__}); try again shortly", {"Retry-After": "5"})


def _status_url(service: Service, request: Request, job_id: str) -> str:
    """[service] base_url's when set (what callbacks carry too), else the address this request came to."""
    if service.settings.service.base_url:
        return service.places.status_url(job_id)
    return str(request.url_for("status", job_id=job_id))


async def _read_submission(request: Request, key: str) -> Submission:
    """The submission, its metadata from the body's fields, else the query's; an unknown field is refused."""
    kind = requests.media_type(request.headers.get("content-type"))
    query = dict(request.query_params)
    requests.only_known(query, "query")
    if kind == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=MAX_FORM_FIELDS)
        except HTTPException as exc:  # Starlette's 400 for a malformed form: bad input like any other
            raise InputError(f"request: {exc.detail}") from None
        part = form.get("article")
        requests.only_known(form.keys(), "form", ("article",))
        fields = {**query, **{name: value for name, value in form.items() if isinstance(value, str)}}
        if part is None or isinstance(part, str):
            raise InputError('request: expected the article as a file part named "article"')
        return requests.from_form(await part.read(), part.filename, part.content_type, fields, key)
    body = await request.body()
    if kind == "application/json":
        return requests.from_json(body, key, query)
    return requests.from_raw(body, kind, query, key)


def _published_kind(name: str) -> str | None:
    """The MEDIA_TYPES key the file name ends with, if any."""
    return next((ending for ending in MEDIA_TYPES if name.endswith(ending)), None)


def _published(root: Path, path: str) -> Path | None:
    """The file under the public folder that `path` names, if it is a published kind and really inside.
    Nothing under a dot name: not `..`, nor a build's staging folder (.readaloud-*.tmp, half-written files)."""
    candidate = root / path
    if any(part.startswith(".") for part in Path(path).parts) or _published_kind(candidate.name) is None:
        return None
    try:
        resolved = candidate.resolve(strict=True)
    except OSError:
        return None
    if not resolved.is_relative_to(root.resolve()) or not resolved.is_file():
        return None
    return resolved

