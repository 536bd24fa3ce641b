"""The real gTTS library end to end, with HTTP intercepted at requests' transport by `responses`.

Replies are framed as Google frames them and carry real MP3 bytes, so gTTS's own parsing, our decoding,
trimming, assembly and tagging all run for real.
"""

from __future__ import annotations

import re

import pytest
import requests
import responses
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from readaloud.cli import cli
from tests.helpers import cli_runner
from tests.helpers.google import TONE_SECONDS, google_reply, spoken_text_of

ENDPOINT = re.compile(r"https://translate\.google\.com/_/TranslateWebserverUi/data/batchexecute")

ARTICLE = (
    "Nông dân phấn khởi vì lúa trúng mùa\n"
    "Theo Sở Nông nghiệp và Phát triển nông thôn tỉnh, vụ lúa năm nay đạt năng suất cao nhất từ trước "
    "đến nay, nhiều hộ nông dân ở các huyện phía bắc của tỉnh đã thu lãi gấp đôi so với cùng kỳ năm ngoái.\n"
    "THỊ TRƯỜNG TIÊU THỤ\n"
    "Thương lái đến tận ruộng thu mua lúa tươi với giá cao. Nông dân không phải lo đầu ra.\n"
)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "bai.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def run(*args):
    return cli_runner().invoke(cli, list(args), catch_exceptions=False)


@responses.activate
def test_multi_chunk_article_is_built_with_one_request_per_chunk(article, tmp_path, fast_config, tone_mp3):
    texts: list[str] = []

    def reply(request):
        texts.append(spoken_text_of(request))
        return 200, {}, google_reply(tone_mp3)

    responses.add_callback(responses.POST, ENDPOINT, callback=reply)
    out = tmp_path / "bai.mp3"
    result = run("--config", str(fast_config), "build", str(article), "-o", str(out), "--engine", "gtts", "--json")
    assert result.exit_code == 0, result.output
    script = run("--config", str(fast_config), "script", str(article), "--engine", "gtts", "--json")
    import json

    chunks = json.loads(script.output)["chunks"]
    assert len(chunks) >= 6
    assert sorted(texts) == sorted(c["spoken"] for c in chunks)  # one request per chunk, nothing else
    assert all(len(t) <= 100 for t in texts)
    summary = json.loads(result.output)
    assert summary["engine"].startswith("gtts ") and summary["fallback"] is False
    # Every clip is a 0.6 s tone; the file is exactly the clips plus the configured pauses.
    expected = len(chunks) * TONE_SECONDS + sum(c["pause_after_ms"] for c in chunks) / 1000
    assert abs(summary["duration_s"] - expected) < 0.01 * len(chunks)
    assert abs(MP3(out).info.length - expected) < 0.1
    assert ID3(out)["TXXX:readaloud:engine"].text[0].startswith("gtts ")


@responses.activate
def test_429_then_200_is_retried(article, tmp_path, fast_config, tone_mp3):
    calls = {"n": 0}

    def reply(request):
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"Retry-After": "0"}, "Too Many Requests"
        return 200, {}, google_reply(tone_mp3)

    responses.add_callback(responses.POST, ENDPOINT, callback=reply)
    out = tmp_path / "bai.mp3"
    result = run("--config", str(fast_config), "build", str(article), "-o", str(out), "--engine", "gtts")
    assert result.exit_code == 0, result.output
    assert out.exists()
    chunks = run("--config", str(fast_config), "script", str(article), "--engine", "gtts").output.splitlines()
    assert calls["n"] == len(chunks) + 1  # exactly one retry


@pytest.mark.parametrize(("status", "body", "message"), [
    (503, "Service Unavailable", "Google's TTS service failed (503)"),
    (429, "Too Many Requests", "Google is rate limiting (429 Too Many Requests)"),
    # A 200 with no audio line: gTTS itself raises nothing and writes zero bytes.
    (200, ")]}'\n\n25\n[[\"di\",33],[\"e\",4]]\n", "Google answered without audio (empty reply)"),
    # A 200 whose audio is not MP3 at all.
    (200, "NOT-AUDIO", "Google's reply is not whole MP3 audio (truncated or not MP3)"),
])
@responses.activate
def test_persistent_failure_under_gtts_fails_cleanly(article, tmp_path, fast_config, status, body, message):
    if body == "NOT-AUDIO":
        body = google_reply(b"\x00garbage, not an mp3 frame" * 40)
    responses.add(responses.POST, ENDPOINT, status=status, body=body)
    out = tmp_path / "bai.mp3"
    out.write_bytes(b"earlier good file")
    result = cli_runner().invoke(cli, ["--config", str(fast_config), "build", str(article), "-o", str(out),
                                      "--engine", "gtts"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"readaloud: error: gtts: {message}"]
    assert out.read_bytes() == b"earlier good file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bai.mp3", "bai.txt", "readaloud.toml"]
    # The failing chunk got its 4 attempts; the first final failure stopped the others' retries, so far
    # fewer than 4 per chunk were spent.
    chunks = len(run("--config", str(fast_config), "script", str(article), "--engine", "gtts").output.splitlines())
    assert 4 <= len(responses.calls) < 4 * chunks


@responses.activate
def test_auto_falls_back_to_espeak_for_the_whole_article(article, tmp_path, fast_config):
    responses.add(responses.POST, ENDPOINT, body=requests.ConnectionError("Failed to resolve host"))
    out = tmp_path / "bai.mp3"
    result = cli_runner().invoke(cli, ["--config", str(fast_config), "build", str(article), "-o", str(out),
                                      "--json"])
    assert result.exit_code == 3, result.output
    assert "readaloud: warning: gtts failed" in result.stderr
    assert "espeak is asked for all of it instead" in result.stderr
    import json

    summary = json.loads(result.stdout)
    assert summary["fallback"] is True and summary["engine"].startswith("espeak-ng ")
    assert ID3(out)["TXXX:readaloud:engine"].text[0].startswith("espeak-ng ")
    assert MP3(out).info.length > 5
    # The lead (ID3 comment) is the body's first sentence whole, not the first Google-sized chunk.
    lead = ARTICLE.splitlines()[1]
    assert len(lead) > 100 and ID3(out).getall("COMM")[0].text == [lead]


def test_auto_without_any_network_falls_back(article, tmp_path, fast_config):
    # No interception at all: the offline fixture makes name resolution fail, as on a machine without
    # internet; the real gTTS -> requests -> socket path runs.
    out = tmp_path / "bai.mp3"
    result = cli_runner().invoke(cli, ["--config", str(fast_config), "build", str(article), "-o", str(out)])
    assert result.exit_code == 3, result.output
    assert "cannot reach translate.google.com" in result.stderr
    assert out.exists()


@responses.activate
def test_rate_cap_holds_across_sync_jobs(tmp_path, tone_mp3):
    # Three builds at once, each with up to 8 requests in flight, share one cap of 4 requests a second:
    # in no second of the run does Google see more than 4 starts.
    import threading
    import time

    src, out = tmp_path / "articles", tmp_path / "audio"
    src.mkdir()
    for number in range(3):
        (src / f"bai-{number}.txt").write_text(ARTICLE.replace("Nông dân phấn khởi", f"Tin số {number + 1}:"),
                                               encoding="utf-8")
    settings = tmp_path / "readaloud.toml"
    settings.write_text(f'[engine]\nname = "gtts"\n[cache]\ndir = "{tmp_path / "clips"}"\n'
                        "[gtts]\nbackoff_s = 0.01\nmax_backoff_s = 0.05\ntimeout_s = 2.0\nmax_requests_per_s = 4.0\n",
                        encoding="utf-8")
    starts: list[float] = []
    lock = threading.Lock()

    def reply(request):
        with lock:
            starts.append(time.monotonic())
        return 200, {}, google_reply(tone_mp3)

    responses.add_callback(responses.POST, ENDPOINT, callback=reply)
    result = run("--config", str(settings), "sync", str(src), str(out), "--jobs", "3", "--json")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in out.glob("*.mp3")) == ["bai-0.mp3", "bai-1.mp3", "bai-2.mp3"]
    assert len(starts) >= 12  # enough requests that an uncapped run would send them all in one burst
    busiest = max(sum(1 for other in starts if start <= other < start + 1.0) for start in starts)
    assert busiest <= 4, busiest
    assert max(starts) - min(starts) >= (len(starts) - 4) / 4 - 0.05  # the cap, not luck, spread them
