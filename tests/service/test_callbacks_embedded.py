"""Callbacks from embedded `readaloud serve`: signed, sent once per finished job, retried on a failure, and
never holding a build up. The receiver is a real HTTP server on loopback, as a CMS would run one."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import SupportsIndex

import httpx
import pytest

from readaloud.service.signing import HEADER, BadSignature, verify
from tests.helpers.service import SECRET, Receiver, Serve, clean_env, free_port, outbox, wait_for, write_config

ARTICLE = "Cầu mới qua sông\n\nCây cầu thép nối hai bờ sông vừa thông xe sáng nay, sớm hơn dự kiến một tháng.\n"
OTHER = "Chợ phiên cuối tuần\n\nChợ phiên vùng cao họp vào sáng chủ nhật, bán thổ cẩm và mật ong rừng.\n"
ATTEMPTS = 4  # [service] callback_attempts in write_config


@dataclass
class Embedded:
    serve: Serve
    data_dir: Path

    def submit(self, article: str, callback_url: str = "") -> str:
        params = {"callback_url": callback_url} if callback_url else {}
        answer = self.serve.submit(article, **params)
        assert answer.status_code == 202, answer.text
        return str(answer.json()["id"])

    def outbox_state(self, job_id: str) -> tuple[str, int] | None:
        return outbox(self.data_dir).get(job_id)

    def settled(self, job_id: str) -> tuple[str, int]:
        """The job's outbox row once it is no longer pending: ('sent' | 'gave-up', attempts)."""
        row = wait_for(lambda: (found := self.outbox_state(job_id)) and found[0] != "pending" and found, 60,
                       0.05, f"the callback of {job_id} to settle")
        return row  # type: ignore[return-value]


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> Iterator[Embedded]:
    folder = tmp_path_factory.mktemp("callbacks")
    port = free_port()
    serve = Serve(write_config(folder, port=port), port, folder / "serve.log", env=clean_env(folder)).start()
    try:
        yield Embedded(serve, folder / "data")
    finally:
        serve.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    try:
        yield found
    finally:
        found.close()


def test_one_signed_callback_per_job(embedded: Embedded, receiver: Receiver) -> None:
    job_id = embedded.submit(ARTICLE, receiver.url)
    job = embedded.serve.finished(job_id)
    assert job["status"] == "done", job
    assert embedded.settled(job_id) == ("sent", 1)  # delivered, recorded: no further try will come
    assert len(receiver.received) == 1
    call = receiver.received[0]
    assert call.headers["content-type"] == "application/json"
    assert call.headers["readaloud-job"] == job_id
    # The body is the job as GET shows it; status_url is the service's own address ([service] host and
    # port), which is the address these requests use too, so they agree in full.
    assert json.loads(call.body) == job
    assert job["status_url"] == f"{embedded.serve.base}/v1/builds/{job_id}"

    header = call.headers[HEADER.lower()]
    signed_at = verify(call.body, header, SECRET)
    assert abs(signed_at - time.time()) < 300
    tampered = call.body.replace(b'"done"', b'"failed"')
    assert tampered != call.body
    for body, secret, now in ((tampered, SECRET, None), (call.body, "another-secret", None),
                              (call.body, SECRET, time.time() + 600)):
        with pytest.raises(BadSignature):
            verify(body, header, secret, now=now)
    with pytest.raises(BadSignature):
        verify(call.body, None, SECRET)


def test_job_without_callback_url_queues_none(embedded: Embedded) -> None:
    job_id = embedded.submit(OTHER)
    assert embedded.serve.finished(job_id)["status"] == "done"
    assert embedded.outbox_state(job_id) is None


class _HeldAnswers(list[int]):
    """The receiver's answers, each given only once `gate` is open: a CMS that hangs until the test says."""

    def __init__(self, answers: list[int], gate: threading.Event):
        super().__init__(answers)
        self.gate = gate

    def pop(self, index: SupportsIndex = -1) -> int:
        self.gate.wait(120)
        return super().pop(index)


def test_failed_callback_is_retried_and_never_holds_builds_up(embedded: Embedded) -> None:
    gate = threading.Event()
    receiver = Receiver(answers=_HeldAnswers([500, 200], gate))
    try:
        job_id = embedded.submit(ARTICLE, receiver.url)
        wait_for(lambda: receiver.received, 120, 0.05, "the first callback to arrive")
        # The callback is in flight, unanswered: the job is done already, and the next job builds.
        job = embedded.serve.job(job_id)
        assert job["status"] == "done"
        later = embedded.submit(OTHER)
        assert embedded.serve.finished(later)["status"] == "done"
        assert embedded.outbox_state(job_id) == ("pending", 0)
        gate.set()
        assert embedded.settled(job_id) == ("sent", 2)
    finally:
        gate.set()
        receiver.close()
    assert len(receiver.received) == 2
    for call in receiver.received:
        assert json.loads(call.body) == job
        verify(call.body, call.headers[HEADER.lower()], SECRET)


def test_callback_gives_up_after_the_configured_tries(embedded: Embedded) -> None:
    receiver = Receiver(answers=[503] * 10)
    try:
        job_id = embedded.submit(OTHER, receiver.url)
        assert embedded.serve.finished(job_id)["status"] == "done"
        assert embedded.settled(job_id) == ("gave-up", ATTEMPTS)
    finally:
        receiver.close()
    assert len(receiver.received) == ATTEMPTS
    assert len({call.body for call in receiver.received}) == 1  # the same job each time


def test_unreachable_receiver_does_not_fail_the_job(embedded: Embedded) -> None:
    closed = f"http://127.0.0.1:{free_port()}/hook"  # nothing listens there
    job_id = embedded.submit(ARTICLE, closed)
    assert embedded.serve.finished(job_id)["status"] == "done"
    assert embedded.settled(job_id) == ("gave-up", ATTEMPTS)
    assert httpx.get(embedded.serve.base + "/healthz", timeout=30).status_code == 200
