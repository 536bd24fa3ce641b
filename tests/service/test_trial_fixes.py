"""What a newcomer's trial of the service found (issue 15): a sync that waits long for its workers, a
worker without the callback secret, options that cannot apply, a port in use, misspelt fields."""

from __future__ import annotations

import json
import socket
import subprocess

import pytest

from tests.helpers.service import EXE, RedisServer, Serve, free_port, wait_for, write_config

ARTICLE = "Mưa lớn ở miền Trung\n\nNhiều tuyến đường ở Quảng Nam ngập sâu sau hai ngày mưa lớn.\n"


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([EXE, *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


def test_sync_queue_waits_past_redis_pys_socket_timeout_and_reports(tmp_path, redis_server):
    """No worker runs; the sync waits its full patience (here 4 s of article budget + 2 x 1 s, past the
    5 s at which redis-py's default socket timeout used to end it with a traceback) and reports each
    article failed, saying it stays queued."""
    src, out = tmp_path / "bai", tmp_path / "out"
    src.mkdir()
    (src / "mua.txt").write_text(ARTICLE, encoding="utf-8")
    config = write_config(tmp_path / "svc", port=free_port(), queue=redis_server.url, worker_timeout_s=1.0,
                          extra="[reading]\nmax_article_seconds = 4\n")
    done = _run("--config", str(config), "sync", str(src), str(out), "--queue", redis_server.url, "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["failed"] == 1 and report["built"] == 0
    reason = report["articles"][0]["reason"]
    assert reason.startswith("no worker finished it within 6 s") and reason.endswith("it stays queued"), reason
    assert "no `readaloud worker` is running" in done.stderr and "Traceback" not in done.stderr


def test_sync_queue_refuses_engine(tmp_path, redis_server):
    (tmp_path / "bai").mkdir()
    done = _run("sync", str(tmp_path / "bai"), str(tmp_path / "out"), "--queue", redis_server.url,
                "--engine", "espeak")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == ("Error: --engine does not go with --queue: the workers' own "
                                                    "settings choose the engine")  # click's usage error


def test_a_worker_without_the_callback_secret_does_not_start(tmp_path, redis_server):
    config = write_config(tmp_path, port=free_port(), queue=redis_server.url, callback_secret="")
    done = _run("--config", str(config), "worker", timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["readaloud: error: no [service] callback_secret: give the worker "
                                                "the server's secret (READALOUD_SERVICE_CALLBACK_SECRET) to sign "
                                                "callbacks with"]


def test_serve_on_a_port_in_use_says_so_in_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        config = write_config(tmp_path, port=port)
        done = _run("--config", str(config), "serve", timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"readaloud: error: cannot listen on 127.0.0.1:{port}: "), lines
    assert "serving" not in done.stderr


@pytest.fixture(scope="module")
def serve(tmp_path_factory):
    folder = tmp_path_factory.mktemp("svc")
    port = free_port()
    running = Serve(write_config(folder, port=port), port, folder / "serve.log").start()
    yield running
    running.stop()


@pytest.mark.parametrize(("content_type", "body", "params", "where"), [
    ("text/plain", ARTICLE, {"slgu": "x"}, "query: unknown field 'slgu'"),
    ("application/json", json.dumps({"article": ARTICLE, "callbackurl": "http://127.0.0.1/x"}), {},
     "request: unknown field 'callbackurl'"),
    ("application/json", json.dumps({"article": ARTICLE}), {"title": "t", "sulg": "x"}, "query: unknown field 'sulg'"),
])
def test_a_misspelt_field_is_refused(serve, content_type, body, params, where):
    answer = serve.submit(body, content_type, **params)
    assert answer.status_code == 422
    assert answer.json()["error"].startswith(where + " (known: "), answer.json()


def test_query_metadata_applies_to_a_json_body_unless_it_says_otherwise(serve):
    body = json.dumps({"article": ARTICLE, "title": "Tiêu đề trong JSON"})
    answer = serve.submit(body, "application/json", slug="mien-trung/mua-lon", title="Tiêu đề trong truy vấn")
    assert answer.status_code == 202, answer.text
    job = serve.finished(answer.json()["id"])
    assert (job["status"], job["slug"]) == ("done", "mien-trung/mua-lon"), job
    assert job["chapters"][0]["title"] == "Tiêu đề trong JSON"


def test_a_form_field_readaloud_does_not_know_is_refused(serve):
    import httpx

    answer = httpx.post(serve.base + "/v1/builds", headers=serve.headers, timeout=30,
                        files={"article": ("bai.txt", ARTICLE.encode())}, data={"slug": "a", "chuyen_muc": "x"})
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("form: unknown field 'chuyen_muc'")
    wait_for(lambda: serve.alive(), 1)
