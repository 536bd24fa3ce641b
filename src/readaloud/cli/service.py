"""`readaloud serve`, `readaloud worker` and `readaloud token`: the newsroom service (see service/)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from readaloud.cli.console import say
from readaloud.cli.options import resolve
from readaloud.config import redacted

if TYPE_CHECKING:
    from readaloud.config import Settings
    from readaloud.sync import BuildElsewhere


@click.command()
@click.option("--host", default=None, help="Address to listen on (default [service] host, 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default [service] port, 8000).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Builds at once, embedded only (default [service] workers, 1: each build uses every core).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True, help="uvicorn's and readaloud's log level (the log goes to stderr).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None, log_level: str) -> None:
    """Run the HTTP API: a CMS POSTs an article to /v1/builds and gets a job at once; the audio is built
    in the background, published to the public folder, and the CMS called back when it is ready.

    \b
    Embedded (the default, nothing else to install): jobs are kept in SQLite in the service folder
    ([service] data_dir) and built by this process; kill it mid-build and start it again, and every
    accepted job still finishes once. With [service] queue = "redis://host:6379/0" this process only
    accepts jobs; `readaloud worker`s on any number of machines build them.

    \b
    Tokens: the first start on a terminal with none makes one, prints it once and keeps only its hash;
    elsewhere (systemd), run `readaloud token --save` first, with the same settings. Callbacks are signed
    with [service] callback_secret: set READALOUD_SERVICE_CALLBACK_SECRET here and for every worker.
    The service folder defaults to ~/.local/share/readaloud/service. API docs: /docs. Examples:
      READALOUD_SERVICE_CALLBACK_SECRET=... readaloud serve
      curl -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/markdown" \\
           --data-binary @bai.md "http://127.0.0.1:8000/v1/builds?slug=thoi-su/bai-1"
    """
    import logging
    import signal
    import sys

    import uvicorn

    from readaloud.errors import ConfigError
    from readaloud.service import auth, runtime
    from readaloud.service.app import BodyLimit, create_app

    settings = resolve(ctx, service={"host": host, "port": port, "workers": workers}).settings
    _check_port(settings.service.host, settings.service.port)
    service = runtime.make(settings)
    if not service.tokens.stored:
        if not sys.stderr.isatty():
            # Printed into a service manager's log, the token would be kept there for anyone who reads it.
            raise ConfigError(f"no API token: run `readaloud token --save` (with these settings) once, then start "
                              f"serve again; it keeps the token's hash in {service.places.token_file}")
        token, line = auth.new_token()
        auth.add_to_token_file(service.places.token_file, line)
        say(f"readaloud: no API token was set up; made one (shown only now, kept hashed in "
            f"{service.places.token_file}):", err=True)
        say(f"  {token}", err=True)
    logging.basicConfig(level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = BodyLimit(create_app(service), settings.service.max_request_bytes)
    say(f"readaloud: serving on http://{settings.service.host}:{settings.service.port} ({service.queue_kind}; "
        f"audio in {service.places.public_dir})", err=True)
    # uvicorn catches SIGINT/SIGTERM itself, shuts down gracefully, then raises the signal again for the
    # handler it found: ignored here, so a requested stop ends with exit code 0, as a service manager expects.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    uvicorn.run(app, host=settings.service.host, port=settings.service.port, log_level=log_level,
                timeout_graceful_shutdown=5)
    say("readaloud: serve stopped (jobs not yet built are kept and built at the next start)"
        if service.queue_kind == "embedded" else "readaloud: serve stopped", err=True)


def _check_port(host: str, port: int) -> None:
    """ConfigError (one line, exit 2) when the address cannot be listened on, before anything says it is
    serving or a token is made (uvicorn would log the error and exit 3, which means something else here)."""
    import socket

    from readaloud.errors import ConfigError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc} (set --port or [service] port)") \
            from None


@click.command()
@click.option("--threads", type=click.IntRange(1, 64), default=None,
              help="Builds at once in this worker (default [service] workers, 1: each build uses every core).")
@click.option("--cores", type=click.IntRange(1, 64), default=None,
              help="Cores each build's encode may use (default: this machine's, shared among the threads). "
                   "With several workers on one machine, give each its share.")
@click.option("--queue", default=None, metavar="URL", help="The Redis address (default [service] queue).")
@click.pass_context
def worker(ctx: click.Context, threads: int | None, cores: int | None, queue: str | None) -> None:
    """Build jobs and `sync --queue` articles from the Redis queue, until SIGTERM or Ctrl-C (the build in
    hand finishes first). Start one on each machine; they share the work.

    Every worker needs the same readaloud.toml as the server, and the same paths: the public folder, the
    clip cache and the synced folders on shared storage mounted at the same place on every machine.
    Callbacks are signed here too: give it the server's callback_secret (READALOUD_SERVICE_CALLBACK_SECRET).
    A worker that dies mid-build (power, SIGKILL) is noticed a few seconds after [service]
    worker_timeout_s and its job is built by another.
    """
    import logging
    import os
    import signal
    import threading

    from readaloud.errors import ConfigError
    from readaloud.service import tasks

    settings = resolve(ctx, service={"queue": queue, "workers": threads}).settings
    if not settings.service.queue:
        raise ConfigError("no queue: set [service] queue = \"redis://host:6379/0\" or give --queue")
    if not settings.service.callback_secret:
        # Its callbacks would be signed with an empty key, which every CMS refuses, retried in vain.
        raise ConfigError("no [service] callback_secret: give the worker the server's secret "
                          "(READALOUD_SERVICE_CALLBACK_SECRET) to sign callbacks with")
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        if stopping.is_set():  # a second signal: end now, by that signal; the job in hand goes to another worker
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
        say(f"readaloud: {signal.Signals(signum).name}: finishing the build in hand, then stopping", err=True)
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    tasks.run_worker(settings, stop=stopping.is_set, cores=cores,
                     on_ready=lambda name: say(f"readaloud: worker {name} ready on {redacted(settings.service.queue)} "
                                               f"({settings.service.workers} at once)", err=True))
    say("readaloud: worker stopped", err=True)


@click.command()
@click.option("--save", is_flag=True, help="Also add it to the tokens file in the service folder ([service] "
              "data_dir: give the same --config or variables as serve). A running serve takes it at once.")
@click.pass_context
def token(ctx: click.Context, save: bool) -> None:
    """Make a new API token. The token is printed once, and never kept: put the printed `sha256:...` line
    in [service] tokens, or use --save to add it to the service folder's tokens file."""
    from readaloud.service import auth
    from readaloud.service.places import Places

    secret, line = auth.new_token()
    say(f"token:  {secret}")
    say(f"hash:   {line}" if save else f"hash:   {line}   (for [service] tokens)")
    if save:
        places = Places.of(resolve(ctx).settings.service)
        places.make()
        auth.add_to_token_file(places.token_file, line)
        say(f"added to {places.token_file}")


def workers_for(settings: Settings, queue: str | None, engine: str | None = None) -> BuildElsewhere | None:
    """`sync --queue`: the articles go to the workers on that Redis (service.tasks); None: built here."""
    if not queue:
        return None
    if engine is not None:
        raise click.UsageError("--engine does not go with --queue: the workers' own settings choose the engine")
    from readaloud.service import tasks

    return lambda to_build, record, warn: tasks.build_elsewhere(settings, to_build, record, warn)
