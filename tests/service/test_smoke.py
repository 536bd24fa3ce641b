"""The service end to end, once each way: embedded, and with Redis and a worker."""

from __future__ import annotations

import httpx

from tests.helpers.service import RedisServer, Serve, Worker, free_port, write_config

ARTICLE = "Tin thử nghiệm\n\nSáng nay trời Hà Nội nắng nhẹ, khoảng 22 độ C.\n"


def _fetch_audio(serve: Serve, job: dict) -> bytes:
    answer = httpx.get(job["audio_url"], timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"] == "audio/mpeg"
    return answer.content


def test_embedded_submit_poll_fetch(tmp_path):
    port = free_port()
    serve = Serve(write_config(tmp_path, port=port), port, tmp_path / "serve.log").start()
    try:
        answer = serve.submit(ARTICLE, slug="thoi-su/tin-thu")
        assert answer.status_code == 202, answer.text
        job = serve.finished(answer.json()["id"])
        assert job["status"] == "done", job
        assert job["output"] == "thoi-su/tin-thu.mp3"
        assert _fetch_audio(serve, job)[:3] in (b"ID3", b"\xff\xfb")
    finally:
        serve.stop()


def test_redis_submit_poll_fetch(tmp_path):
    redis = RedisServer(tmp_path / "redis")
    port = free_port()
    config = write_config(tmp_path, port=port, queue=redis.url)
    serve = Serve(config, port, tmp_path / "serve.log").start()
    worker = Worker(config, tmp_path / "worker.log").start()
    try:
        answer = serve.submit(ARTICLE, slug="tin-thu")
        assert answer.status_code == 202, answer.text
        job = serve.finished(answer.json()["id"])
        assert job["status"] == "done", job
        assert _fetch_audio(serve, job)[:3] in (b"ID3", b"\xff\xfb")
    finally:
        worker.stop()
        serve.stop()
        redis.stop()
