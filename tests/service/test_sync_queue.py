"""`readaloud sync SRC OUT --queue redis://...` (issue 15): the articles to build go to `readaloud worker`s
over Redis, each built by exactly one of them, and the report is the one a local sync gives.

Two workers serve the module on Redis database 0; a test needing a worker of its own uses another database.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from tests.helpers.service import EXE, RedisServer, Worker, check_mp3, free_port, start_all, stop_all, write_config

QUICK = "[loudness]\nenabled = false\n"  # shorter builds; in the settings fingerprint like any audio setting

_PLACES = ["Hà Nội", "Huế", "Cần Thơ", "Đà Lạt", "Vinh", "Quy Nhơn"]
_EVENTS = [
    ("Khánh thành cầu mới", "Cây cầu dài {n} mét nối hai bờ sông đã thông xe sáng nay."),
    ("Hội chợ nông sản", "Hơn {n} gian hàng trưng bày trái cây và đặc sản của địa phương."),
    ("Giải chạy vì cộng đồng", "Khoảng {n} người tham gia, tiền ủng hộ dành cho trẻ em vùng cao."),
    ("Trồng cây xanh", "Thanh niên tình nguyện đã trồng {n} cây xanh dọc các tuyến đường chính."),
    ("Mở lớp học bơi", "Nhà văn hóa mở {n} lớp dạy bơi miễn phí cho học sinh trong dịp hè."),
]


def write_archive(src: Path, count: int) -> list[Path]:
    """`count` short articles, each different, half of them in sub-folders."""
    made = []
    for number in range(count):
        title, sentence = _EVENTS[number % len(_EVENTS)]
        place = _PLACES[number % len(_PLACES)]
        folder = src / ("dia-phuong" if number % 2 else "") / (f"thang-{number % 3 + 1}" if number % 4 == 1 else "")
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"bai-{number + 1:02d}.txt"
        path.write_text(f"{title} ở {place}\n\n{sentence.format(n=number * 11 + 20)} Người dân rất vui.\n",
                        encoding="utf-8")
        made.append(path)
    return sorted(made)


@dataclass
class Farm:
    url: str
    config: Path
    workers: list[Worker]


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def farm(redis_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("farm")
    url = f"redis://127.0.0.1:{redis_server.port}/0"
    config = write_config(folder, port=free_port(), queue=url, extra=QUICK)
    workers = [Worker(config, folder / f"worker-{number}.log") for number in (1, 2)]
    try:
        yield Farm(url, config, start_all(workers))
    finally:
        stop_all(workers)


def sync(config: Path, src: Path | str, out: Path | str, queue: str | None, cwd: Path | None = None,
         ) -> tuple[int, dict]:
    """`readaloud --config CONFIG sync SRC OUT [--queue URL] --json`: its exit code and report."""
    args = [EXE, "--config", str(config), "sync", str(src), str(out), "--json", *(["--queue", queue] if queue else [])]
    done = subprocess.run(args, capture_output=True, timeout=300, cwd=cwd)
    assert done.stdout, done.stderr.decode(errors="replace")[-2000:]
    return done.returncode, json.loads(done.stdout)


def built_by(worker: Worker, among: list[str]) -> Counter[str]:
    """How often this worker built each of these articles, from its "sync article <path>: building" lines
    (the workers serve every test of the module)."""
    found = Counter(re.findall(r"sync article (.+): building \(pid \d+\)", worker.text()))
    return Counter({source: found[source] for source in among if found[source]})


def test_two_workers_drain_a_sync_each_article_built_once(farm, tmp_path):
    sources = [str(path) for path in write_archive(tmp_path / "bai-viet", 30)]
    out = tmp_path / "mp3"
    code, report = sync(farm.config, tmp_path / "bai-viet", out, farm.url)
    assert code == 0, report
    assert (report["ok"], report["built"], report["up_to_date"], report["failed"]) == (True, 30, 0, 0), report
    assert [article["source"] for article in report["articles"]] == sources  # in source order

    # Each article built by exactly one worker, and both took a share.
    counts = [built_by(worker, sources) for worker in farm.workers]
    assert counts[0] + counts[1] == Counter(sources)
    assert all(count for count in counts), counts

    # The report has the shape a local sync gives (the same keys, top level and per article).
    local_src = tmp_path / "mot-bai"
    write_archive(local_src, 1)
    local_code, local = sync(farm.config, local_src, tmp_path / "mot-bai-mp3", None)
    assert local_code == 0 and local["built"] == 1, local
    assert report.keys() == local.keys()
    assert {tuple(article) for article in report["articles"]} == {tuple(local["articles"][0])}

    for article in report["articles"]:
        assert (article["action"], article["reason"]) == ("built", "new"), article
        assert article["engine"].startswith("espeak-ng") and article["synthesized"] + article["cached"] > 0
        output = Path(article["output"])
        assert output.parent.is_relative_to(out) and output.suffix == ".mp3"
        check_mp3(output)
        assert output.with_suffix(".vtt").read_text(encoding="utf-8").startswith("WEBVTT")

    # Nothing changed: all up to date, decided here, nothing sent to the workers.
    code, again = sync(farm.config, tmp_path / "bai-viet", out, farm.url)
    assert code == 0, again
    assert (again["built"], again["up_to_date"], again["failed"]) == (0, 30, 0), again
    assert [built_by(worker, sources) for worker in farm.workers] == counts
    client = redis.Redis.from_url(farm.url)
    assert client.hlen("readaloud-dramatiq:readaloud-sync.msgs") == 0


def test_relative_paths_reach_workers_running_elsewhere(farm, tmp_path):
    """The README's cron line: `cd /srv/paper && readaloud sync articles/ public/audio/`. The workers run
    in a folder of their own (here, the tests' working folder), so relative paths must not reach them
    as they are."""
    paper = tmp_path / "paper"
    write_archive(paper / "articles", 2)
    code, report = sync(farm.config, "articles", "public/audio", farm.url, cwd=paper)
    assert code == 0, report
    assert report["built"] == 2
    # Reported as a local sync reports them: the paths as given.
    assert [article["source"] for article in report["articles"]] == ["articles/bai-01.txt",
                                                                      "articles/dia-phuong/thang-2/bai-02.txt"]
    assert [article["output"] for article in report["articles"]] == ["public/audio/bai-01.mp3",
                                                                      "public/audio/dia-phuong/thang-2/bai-02.mp3"]
    for article in report["articles"]:
        check_mp3(paper / article["output"])
    assert not (Path.cwd() / "public").exists()


def test_a_worker_with_other_settings_fails_the_article(redis_server, tmp_path):
    url = f"redis://127.0.0.1:{redis_server.port}/1"
    redis.Redis.from_url(url).flushdb()
    config = write_config(tmp_path / "sync", port=free_port(), queue=url, extra=QUICK)
    other = write_config(tmp_path / "worker", port=free_port(), queue=url, extra=QUICK + "[pauses]\nsentence = 500\n")
    worker = Worker(other, tmp_path / "worker.log")
    try:
        start_all([worker])
        src, out = tmp_path / "bai-viet", tmp_path / "mp3"
        (source,) = write_archive(src, 1)
        code, report = sync(config, src, out, url)
        assert code == 1, report
        assert (report["ok"], report["built"], report["failed"]) == (False, 0, 1), report
        (article,) = report["articles"]
        assert (article["source"], article["action"]) == (str(source), "failed")
        assert "this worker's settings" in article["reason"] and "differ from the sync's" in article["reason"]
        assert "give every worker the same readaloud.toml" in article["reason"]
        assert "building" not in worker.text()
        assert not list(out.rglob("*.mp3"))
    finally:
        stop_all([worker])
