"""Embedded `readaloud serve` killed outright (SIGKILL) mid-build and started again: every accepted job
finishes exactly once, only whole files are ever published, and one service folder has one server."""

from __future__ import annotations

import random
import subprocess
from collections import Counter
from pathlib import Path

import httpx
from mutagen.mp3 import MP3
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers.service import (
    EXE,
    Receiver,
    Serve,
    clean_env,
    decode_errors,
    free_port,
    outbox,
    wait_for,
    write_config,
)

WHO = ["Người dân ven sông", "Các em học sinh", "Ban quản lý chợ", "Đội cứu hộ", "Nhà khoa học trẻ",
       "Hợp tác xã nông nghiệp", "Bác sĩ trạm y tế", "Công nhân nhà máy", "Thanh niên tình nguyện"]
DID = ["đã hoàn thành", "đang chuẩn bị", "vừa khởi công", "tiếp tục mở rộng", "kiểm tra kỹ", "sửa chữa lại",
       "bàn giao"]
WHAT = ["con đường liên xã", "vườn rau sạch", "hệ thống nước tưới", "thư viện nhỏ", "cây cầu gỗ",
        "mái trường mới", "khu vui chơi", "trạm bơm"]
WHEN = ["trước mùa mưa", "trong tuần này", "với sự hỗ trợ của tỉnh", "sau nhiều tháng chờ đợi",
        "theo kế hoạch đề ra", "bằng vốn góp của bà con"]


def generated_article(title: str, words: int, seed: int) -> str:
    """About `words` words of plain Vietnamese news prose, made up from the phrases above."""
    rnd = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = [f"{rnd.choice(WHO)} {rnd.choice(DID)} {rnd.choice(WHAT)} {rnd.choice(WHEN)}." for _ in range(4)]
        count += sum(len(sentence.split()) for sentence in sentences)
        paragraphs.append(" ".join(sentences))
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


ARTICLES = {  # slug -> article, submitted in this order; "dai/tong-hop" is the one killed mid-build
    "ngan/mot": "Trời chuyển lạnh\n\nGió mùa đông bắc tràn về, nhiệt độ ở vùng núi có nơi dưới mười độ.\n",
    "dai/tong-hop": generated_article("Tin tổng hợp các địa phương", 1000, seed=15),
    "ngan/hai": "Giải chạy đêm\n\nHơn ba nghìn người tham gia giải chạy đêm quanh hồ vào tối thứ bảy.\n",
    "vua/ba": generated_article("Nông thôn đổi mới", 150, seed=4),
}
KILLED = "dai/tong-hop"
PUBLISHED_KINDS = {".mp3", ".vtt", ".srt", ".chapters.json"}


def _submit_all(serve: Serve, callback_url: str) -> dict[str, str]:
    ids = {}
    for slug, article in ARTICLES.items():
        answer = serve.submit(article, slug=slug, callback_url=callback_url)
        assert answer.status_code == 202, answer.text
        ids[slug] = answer.json()["id"]
    return ids


def _kill_mid_build(serve: Serve, job_id: str, public: Path) -> None:
    """SIGKILL `serve` while job `job_id` is running, once its staging folder is being written."""
    folder = public / KILLED.split("/")[0]
    wait_for(lambda: serve.job(job_id)["status"] != "queued", 120, 0.05, "the long job to start")

    def staged_or_over() -> bool:
        return any(folder.glob(".readaloud-*.tmp")) or serve.job(job_id)["status"] != "running"

    wait_for(staged_or_over, 300, 0.02, "the long job to reach its encode")
    assert serve.job(job_id)["status"] == "running", "the long job finished before it could be killed"
    serve.kill()
    assert serve.proc is not None and serve.proc.returncode == -9


def _metric_values(base: str) -> dict[str, float]:
    text = httpx.get(base + "/metrics", timeout=30).text
    return {sample.name + str(sorted(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def _check_public_folder(public: Path, jobs: dict[str, dict]) -> None:
    """Only whole published files: no staging folder left, and every MP3 decodes to its end."""
    found = sorted(path.relative_to(public).as_posix() for path in public.rglob("*"))
    assert not [name for name in found if ".readaloud-" in name], found
    files = sorted(name for name in found if (public / name).is_file())
    assert all(name.endswith(tuple(PUBLISHED_KINDS)) for name in files), files
    assert files == sorted(f"{slug}{kind}" for slug in ARTICLES for kind in PUBLISHED_KINDS)
    for slug, job in jobs.items():
        mp3 = public / f"{slug}.mp3"
        assert decode_errors(mp3) == "", slug
        assert abs(MP3(mp3).info.length - job["duration_s"]) <= 0.1


def test_killed_mid_build_every_job_finishes_once(tmp_path: Path) -> None:
    port = free_port()
    config = write_config(tmp_path, port=port, workers=1)
    env = clean_env(tmp_path)
    data, public = tmp_path / "data", tmp_path / "data" / "public"
    receiver = Receiver()
    first = Serve(config, port, tmp_path / "serve-1.log", env=env).start()
    second = None
    try:
        ids = _submit_all(first, receiver.url)
        _kill_mid_build(first, ids[KILLED], public)
        assert not (public / f"{KILLED}.mp3").exists()  # nothing of the killed build was published
        assert list((public / KILLED.split("/")[0]).glob(".readaloud-*.tmp"))  # only its staging, left over

        second = Serve(config, port, tmp_path / "serve-2.log", env=env).start()
        again = subprocess.run([EXE, "--config", str(config), "serve", "--port", str(free_port())], env=env,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode != 0
        lines = again.stderr.strip().splitlines()
        assert len(lines) == 1 and str(data) in lines[0], again.stderr

        jobs = {slug: second.finished(job_id, timeout=600) for slug, job_id in ids.items()}
        assert {slug: job["status"] for slug, job in jobs.items()} == dict.fromkeys(ARTICLES, "done")
        assert {slug: job["attempts"] for slug, job in jobs.items()} == {
            slug: 2 if slug == KILLED else 1 for slug in ARTICLES}
        assert "queued again" in second.text()

        # Finished once each: one callback per job, and the store counted each finish once.
        wait_for(lambda: all(outbox(data).get(i, ("", 0))[0] == "sent" for i in ids.values()), 120, 0.05,
                 "every callback to be sent")
        assert Counter(call.headers["readaloud-job"] for call in receiver.received) == Counter(ids.values())
        metrics = _metric_values(second.base)
        assert metrics["readaloud_build_seconds_count[]"] == len(ARTICLES)
        assert metrics["readaloud_jobs[('state', 'done')]"] == len(ARTICLES)
        assert metrics["readaloud_jobs[('state', 'running')]"] == 0

        _check_public_folder(public, jobs)
        assert not list(Path(env["TMPDIR"]).glob("readaloud-build-*"))  # the killed build's work folder too
    finally:
        if second is not None:
            second.stop()
        first.stop()
        receiver.close()
