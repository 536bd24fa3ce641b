"""Real processes for the service tests: `readaloud serve` and `readaloud worker` on loopback ports,
Debian's redis-server on a free port, and a callback receiver such as a CMS would run.

redis-server comes from Debian's package (`.ci/run` installs it). Where it is missing the Redis tests are
skipped with that reason, unless TESTS_NEED_REDIS=1 (CI sets it): then they fail.
"""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from readaloud.service import auth

EXE = str(Path(sys.executable).with_name("readaloud"))
TOKEN = "ra_test-token-for-the-service-tests-0123456789"
SECRET = "callback-secret-for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(check: Callable[[], object], timeout: float = 60.0, every: float = 0.1, what: str = "it") -> object:
    """check()'s first truthy value, asked every `every` s; AssertionError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:g} s for {what}")
        time.sleep(every)


def write_config(folder: Path, *, port: int, queue: str = "", extra: str = "", **service: object) -> Path:
    """A readaloud.toml for the service under `folder`: espeak-ng (offline), a clip cache, data and public
    folders of its own, the test token (hashed) and callback secret, quick callback retries."""
    folder.mkdir(parents=True, exist_ok=True)
    values: dict[str, object] = {"port": port, "data_dir": str(folder / "data"), "tokens": [auth.hashed(TOKEN)],
                                 "callback_secret": SECRET, "callback_backoff_s": 0.2, "callback_attempts": 4,
                                 "worker_timeout_s": 3.0, **service}
    if queue:
        values["queue"] = queue
    lines = ["[engine]", 'name = "espeak"', "[cache]", f"dir = {json.dumps(str(folder / 'cache'))}", "[service]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    path = folder / "readaloud.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@dataclass
class Process:
    """A readaloud command running in the background, its stderr in a file."""

    args: list[str]
    log: Path
    env: dict[str, str] | None = None
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        handle = self.log.open("ab")
        # Not the shell's READALOUD_* variables (a module-scoped process starts before conftest clears them):
        # readaloud would take each for a setting, and refuse one it does not know.
        env = self.env if self.env is not None else {name: value for name, value in os.environ.items()
                                                     if not name.startswith("READALOUD_")}
        self.proc = subprocess.Popen([EXE, *self.args], stdout=handle, stderr=handle, env=env,
                                     start_new_session=True)
        handle.close()
        return self

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)

    def kill(self) -> None:
        """SIGKILL, as a crash or the OOM killer would: no cleanup runs."""
        self.stop(signal.SIGKILL)


class Serve(Process):
    def __init__(self, config: Path, port: int, log: Path, env: dict[str, str] | None = None):
        super().__init__(["--config", str(config), "serve", "--log-level", "warning"], log, env)
        self.base = f"http://127.0.0.1:{port}"
        self.headers = {"Authorization": f"Bearer {TOKEN}"}
        # One client for the process's life: httpx.get() makes a client (TLS context and all) per call, some
        # 50 ms of CPU, which polling takes from the very server and builds the test is waiting for.
        self.client = httpx.Client(timeout=30)

    def start(self) -> Serve:
        super().start()

        def ready() -> bool:
            if not self.alive():
                raise AssertionError(f"serve ended: {self.text()[-2000:]}")
            try:
                return self.client.get(self.base + "/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(ready, 60, what="the service to answer /healthz")
        return self

    def submit(self, article: str | bytes, content_type: str = "text/plain", key: str = "",
               **params: str) -> httpx.Response:
        headers = {**self.headers, "Content-Type": content_type, **({"Idempotency-Key": key} if key else {})}
        body = article.encode("utf-8") if isinstance(article, str) else article
        return self.client.post(self.base + "/v1/builds", content=body, headers=headers, params=params)

    def job(self, job_id: str) -> dict:
        answer = self.client.get(f"{self.base}/v1/builds/{job_id}", headers=self.headers)
        answer.raise_for_status()
        return answer.json()

    def finished(self, job_id: str, timeout: float = 120.0) -> dict:
        def done() -> dict | None:
            job = self.job(job_id)
            return job if job["status"] in ("done", "failed") else None

        return wait_for(done, timeout, 0.2, f"job {job_id} to finish")  # type: ignore[return-value]

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        code = super().stop(sig, timeout)
        self.client.close()
        return code


class Worker(Process):
    def __init__(self, config: Path, log: Path, env: dict[str, str] | None = None, threads: int = 1):
        super().__init__(["--config", str(config), "worker", "--threads", str(threads)], log, env)

    def start(self) -> Worker:
        super().start()
        wait_for(lambda: "ready on" in self.text() or not self.alive(), 60, what="the worker to be ready")
        if not self.alive():
            raise AssertionError(f"worker ended: {self.text()[-2000:]}")
        return self


class RedisServer:
    """Debian's redis-server on a free loopback port, its data in a temporary folder, nothing saved."""

    def __init__(self, folder: Path):
        found = shutil.which("redis-server")
        if found is None:
            message = "redis-server is not installed (apt-get install redis-server; .ci/run does it)"
            if os.environ.get("TESTS_NEED_REDIS") == "1":
                pytest.fail(message)
            pytest.skip(message)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen([found, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--dir", str(folder)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def answers() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                    sock.sendall(b"PING\r\n")
                    return sock.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_for(answers, 20, 0.05, "redis-server to answer")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


@dataclass
class Received:
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """A CMS's callback endpoint on loopback: records every POST; answers each with the next status in
    `answers` (then 200)."""

    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.received.append(Received(body, {k.lower(): v for k, v in self.headers.items()}))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- for the API, callback and restart tests -------------------------------------------------------------


def clean_env(folder: Path) -> dict[str, str]:
    """The environment for a `serve` started by a module-scoped fixture (set up before conftest's
    function-scoped isolation): no READALOUD_* from the shell, user folders and TMPDIR under `folder`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("READALOUD_")}
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "TMPDIR"):
        env[name] = str(folder / name.lower())
        (folder / name.lower()).mkdir(parents=True, exist_ok=True)
    return env


def decode_errors(path: Path) -> str:
    """ffmpeg's complaints on decoding all of `path` ('' for a whole, clean MP3); ToolError if it fails."""
    from readaloud.audio import runner

    done = runner.run(["-i", runner.url(path), "-f", "null", "-"], what=f"decoding {path}")
    return done.stderr.decode("utf-8", "replace").strip()


def outbox(data_dir: Path) -> dict[str, tuple[str, int]]:
    """The embedded store's callback outbox, read from its SQLite file: job id -> (state, attempts)."""
    import sqlite3

    db = sqlite3.connect(data_dir / "jobs.sqlite3", timeout=30)
    try:
        return {row[0]: (row[1], int(row[2])) for row in db.execute("SELECT job_id, state, attempts FROM callbacks")}
    finally:
        db.close()


# --- for the Redis scale-out tests -----------------------------------------------------------------------


def check_mp3(path: Path) -> float:
    """`path` decoded whole by ffmpeg, which must report no error at all; its length by mutagen, in s."""
    from mutagen.mp3 import MP3

    from readaloud.audio import runner

    done = subprocess.run([runner.ffmpeg_path(), "-nostdin", "-v", "error", "-xerror", "-i", str(path),
                           "-f", "null", "-"], capture_output=True, timeout=120)
    assert done.returncode == 0 and not done.stderr, f"{path}: {done.stderr.decode(errors='replace')[-800:]}"
    length = float(MP3(path).info.length)
    assert length > 0.5, f"{path}: {length} s"
    return length


def start_all(workers: list[Worker]) -> list[Worker]:
    """Start the workers at once (each takes seconds to import), then wait until each is ready."""
    for worker in workers:
        Process.start(worker)
    for worker in workers:
        wait_for(lambda w=worker: "ready on" in w.text() or not w.alive(), 60, what="a worker to be ready")
        assert worker.alive(), f"worker ended: {worker.text()[-2000:]}"
    return workers


def stop_all(processes: list[Process], timeout: float = 60.0) -> None:
    """SIGTERM to all at once, then wait for each (SIGKILL past `timeout`); one signal each, since a
    second SIGTERM would cut short a worker finishing the build in hand."""
    running = [p.proc for p in processes if p.proc is not None and p.proc.poll() is None]
    for proc in running:
        proc.send_signal(signal.SIGTERM)
    for proc in running:
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    for process in processes:
        if isinstance(process, Serve):
            process.client.close()
