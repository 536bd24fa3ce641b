"""Engines and the runner around them, on real espeak-ng and the real gTTS library."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import responses

from readaloud import config, pipeline
from readaloud.cache import ClipCache
from readaloud.config import GttsSettings
from readaloud.engines import espeak, espeak_zygote, registry
from readaloud.engines.espeak import VOICES, EspeakEngine
from readaloud.engines.gtts import GttsEngine
from readaloud.engines.runner import RetryPolicy, Stats, synthesize_in_order
from readaloud.errors import ConfigError, EngineUnavailable, SynthesisError, TransientEngineError
from tests.helpers import SAMPLES
from tests.helpers.google import TONE_SECONDS, google_reply

ENDPOINT = re.compile(r"https://translate\.google\.com/.*")
SENTENCE = "Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác năm."


@pytest.mark.parametrize("voice", VOICES)
def test_every_vietnamese_voice_speaks(voice):
    clip = EspeakEngine(voice=voice).synthesize(SENTENCE).audio
    assert clip.sample_rate == 22050
    assert 1.5 < clip.duration_s < 8


def test_rate_changes_speed():
    slow = EspeakEngine(rate=120).synthesize(SENTENCE).audio.duration_s
    fast = EspeakEngine(rate=300).synthesize(SENTENCE).audio.duration_s
    assert fast < slow * 0.6


def test_unknown_voice_and_rate_are_refused_before_any_work():
    with pytest.raises(ConfigError, match="espeak-ng has no voice 'vi-hanoi'"):
        EspeakEngine(voice="vi-hanoi")
    with pytest.raises(ConfigError, match="between 80 and 450"):
        EspeakEngine(rate=50)


def test_identity_names_what_changes_the_audio():
    assert re.fullmatch(r"espeak-ng 1\.\d+\.\d+ voice=vi-vn-x-south rate=200",
                        EspeakEngine(voice="vi-vn-x-south", rate=200).identity())
    assert re.fullmatch(r"gtts 2\.\d+\.\d+ lang=vi tld=com", GttsEngine().identity())


def test_the_same_text_gives_the_same_pcm_whatever_was_spoken_before():
    # espeak-ng keeps state between syntheses: in one process the same text used to come out different
    # each time (a cached clip depended on its predecessors). Each clip now starts from the same state.
    engine = EspeakEngine()
    text = "Năng suất tăng cao"
    first = engine.synthesize(text)
    spoken = [first]
    for predecessor in ("Ủy ban nhân dân tỉnh tổ chức hội nghị.", "Một, hai, ba!", SENTENCE):
        engine.synthesize(predecessor)
        spoken.append(engine.synthesize(text))
    spoken.append(EspeakEngine(rate=200).synthesize(SENTENCE) and EspeakEngine().synthesize(text))
    assert all(s.original == first.original and s.words == first.words for s in spoken)
    assert first.audio.samples > 0


def test_clips_spoken_two_at_a_time_are_the_clips_spoken_one_by_one():
    engine = EspeakEngine()
    assert engine.concurrency == 2
    texts = [f"Câu số {n}: các xã đã hoàn thành kế hoạch." for n in ("một", "hai", "ba", "bốn", "năm", "sáu")]
    together = [s.original for s in synthesize_in_order(engine, texts, RetryPolicy())]
    assert together == [engine.synthesize(text).original for text in texts]
    assert len(set(together)) == len(texts)


def test_a_fresh_process_gives_the_same_pcm_as_a_long_running_one(tmp_path):
    text = "Năng suất tăng cao"
    here = EspeakEngine().synthesize(text).original
    script = ("import sys; from readaloud.engines.espeak import EspeakEngine; "
              f"sys.stdout.buffer.write(EspeakEngine().synthesize({text!r}).original)")
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60, check=True).stdout
    assert fresh == here


def test_a_breathy_variant_speaks_alike_in_helpers_started_at_different_times():
    # espeak-ng seeds the noise of its breathy variants (vi+f3's breath) from the clock when it starts, so
    # helpers started a second apart spoke the same text differently until the seed was fixed.
    text = "Năng suất tăng cao"
    helpers = [espeak._Helper("vi+f3", 140)]
    started = int(time.time())
    while int(time.time()) == started:
        time.sleep(0.02)
    helpers.append(espeak._Helper("vi+f3", 140))
    try:
        first, second = (helper.speak(text)[1] for helper in helpers)
    finally:
        for helper in helpers:
            helper.close()
    assert first and first == second


def test_espeak_word_events_give_each_word_a_time_in_order():
    text = "Đồng Tháp thu hoạch lúa. Năng suất tăng cao!"
    speech = EspeakEngine().synthesize(text)
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    assert [position for position, _ in speech.words] == starts
    samples = [sample for _, sample in speech.words]
    assert samples == sorted(samples) and 0 <= samples[0] and samples[-1] < speech.audio.samples


def _helper_pids() -> set[int]:
    return {helper.process.pid for group in espeak._helpers.values() for helper in group._all}


def test_a_helper_killed_between_clips_is_replaced():
    engine = EspeakEngine(voice="vi-vn-x-central")
    before = engine.synthesize(SENTENCE).original
    for pid in _helper_pids():
        os.kill(pid, signal.SIGKILL)
    # At once, before readaloud can have seen them go: the request finds out and a fresh helper speaks.
    assert engine.synthesize(SENTENCE).original == before


def test_the_helper_imports_nothing_from_the_folder_it_is_started_in(tmp_path, monkeypatch):
    # A cron job or a CMS hook may run readaloud in a folder others can write to.
    (tmp_path / "espeakng_loader.py").write_text(
        f"open({str(tmp_path / 'planted-code-ran')!r}, 'w').close()\n", encoding="utf-8")
    (tmp_path / "readaloud.py").write_text(
        f"open({str(tmp_path / 'planted-code-ran')!r}, 'w').close()\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    helper = espeak._Helper("vi-vn-x-south", 170)
    try:
        assert helper.speak("Xin chào")[1]
    finally:
        helper.close()
    assert not (tmp_path / "planted-code-ran").exists()


def test_a_helper_that_dies_while_speaking_is_one_clear_error():
    helper = espeak._Helper("vi", 165)
    helper.process.kill()
    helper.process.wait()
    with pytest.raises(SynthesisError) as caught:
        helper.speak("Xin chào")
    helper.close()
    assert str(caught.value) == "the espeak-ng helper process ended (killed by SIGKILL) while speaking: Xin chào"


def test_a_clip_whose_child_crashes_is_a_synthesis_error_and_the_helper_goes_on():
    class Crashing:
        def answer(self, request):
            os.kill(os.getpid(), signal.SIGKILL)  # as a crash in C would end it

    reply = espeak_zygote._speak_in_child(Crashing(), {"text": "x"})
    header = espeak_zygote.receive(__import__("io").BytesIO(reply))
    assert header == ({"error": "synthesis", "message": "espeak-ng was killed by SIGKILL"}, b"")


def test_a_helper_that_cannot_start_is_one_clear_line(monkeypatch):
    # As when the helper's Python cannot import readaloud: the reason comes from its own last line.
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kwargs: _REAL_POPEN(
        ["/bin/sh", "-c", "echo 'ModuleNotFoundError: No module named readaloud' >&2; exit 1"], **kwargs))
    with pytest.raises(EngineUnavailable) as caught:
        espeak._Helper("vi", 165)
    assert str(caught.value) == ("espeak-ng helper exited at start (exit code 1): ModuleNotFoundError: No module "
                                 "named readaloud")


_REAL_POPEN = subprocess.Popen


def test_the_helper_ends_when_readaloud_is_killed(tmp_path):
    # SIGKILL leaves no chance to clean up: the helper sees EOF on its stdin and leaves by itself.
    script = ("import os, sys, time; from readaloud.engines import espeak; espeak.EspeakEngine(); "
              "print(*[h.process.pid for g in espeak._helpers.values() for h in g._all], flush=True); "
              "time.sleep(60)")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    helper_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{helper_pid}").exists():
        state = Path(f"/proc/{helper_pid}/stat").read_text().split()[2] if Path(f"/proc/{helper_pid}").exists() else ""
        if state == "Z":  # exited; waiting for init to reap it
            break
        time.sleep(0.05)
    gone = not Path(f"/proc/{helper_pid}").exists() or Path(f"/proc/{helper_pid}/stat").read_text().split()[2] == "Z"
    parent.stdout.close()
    assert gone


def test_a_rebuild_after_emptying_the_cache_is_byte_identical(tmp_path):
    lines = ["[engine]", 'name = "espeak"', "[cache]", f'dir = "{tmp_path / "clips"}"']
    (tmp_path / "readaloud.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings = config.load(tmp_path / "readaloud.toml")
    article = SAMPLES / "lua-dong-xuan.txt"
    first, second = tmp_path / "first.mp3", tmp_path / "second.mp3"
    pipeline.build(str(article), first, settings)
    EspeakEngine().synthesize("Một câu khác nói trước, để trạng thái của engine khác đi.")
    assert ClipCache(tmp_path / "clips").prune(max_bytes=0)[0] > 0
    assert not list((tmp_path / "clips").glob("??/*.clip"))
    pipeline.build(str(article), second, settings)
    assert first.read_bytes() == second.read_bytes()
    assert first.with_suffix(".vtt").read_bytes() == second.with_suffix(".vtt").read_bytes()


def test_backoff_grows_with_jitter_and_honours_retry_after():
    policy = RetryPolicy(attempts=5, backoff_s=0.5, max_backoff_s=20)
    assert [policy.delay(n, None, lambda: 1.0) for n in (1, 2, 3)] == [0.5, 1.0, 2.0]
    assert [policy.delay(n, None, lambda: 0.0) for n in (1, 2, 3)] == [0.25, 0.5, 1.0]
    assert policy.delay(1, 7.0, lambda: 0.5) == 7.0  # the server's wish is a floor
    assert policy.delay(1, 600.0, lambda: 0.5) == 20  # but never past the cap


def _after_a_429(retry_after: str, tone_mp3: bytes, policy: RetryPolicy):
    """One chunk whose first request is refused with Retry-After: (clips or the error, waits, stats)."""
    responses.add(responses.POST, ENDPOINT, status=429, headers={"Retry-After": retry_after})
    responses.add(responses.POST, ENDPOINT, body=google_reply(tone_mp3))
    waits: list[float] = []
    stats = Stats()
    try:
        outcome = list(synthesize_in_order(GttsEngine(), ["xin chào"], policy, sleep=waits.append, stats=stats))
    except SynthesisError as exc:
        outcome = exc
    return outcome, waits, stats


@responses.activate
def test_retry_after_from_a_429_is_what_the_runner_waits(tone_mp3):
    clips, waits, stats = _after_a_429("3", tone_mp3, RetryPolicy())
    assert waits == [3.0]
    assert (stats.requests, stats.retries) == (2, 1)
    assert abs(clips[0].audio.duration_s - TONE_SECONDS) < 0.03
    assert clips[0].format == "mp3" and clips[0].original.startswith((b"ID3", b"\xff"))


@responses.activate
def test_a_retry_after_longer_than_the_cap_ends_the_retries_at_once(tone_mp3):
    # Retrying after 20 s when Google said 600 would only be refused again: give up (auto falls back).
    error, waits, stats = _after_a_429("600", tone_mp3, RetryPolicy(max_backoff_s=20))
    assert isinstance(error, SynthesisError)
    assert "the server asked for 600 s before the next request, more than max_backoff_s (20 s)" in str(error)
    assert waits == [] and stats.requests == 1 and len(responses.calls) == 1


@responses.activate
def test_requests_run_concurrently_but_bounded_and_results_stay_in_order(tone_mp3):
    in_flight = 0
    peak = 0
    lock = threading.Lock()
    seen: list[str] = []

    def reply(request):
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        time.sleep(0.05)
        with lock:
            in_flight -= 1
            seen.append(request.body)
        return 200, {}, google_reply(tone_mp3)

    responses.add_callback(responses.POST, ENDPOINT, callback=reply)
    engine = GttsEngine(GttsSettings(concurrency=3))
    texts = [f"câu số {word}" for word in ("một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")]
    clips = list(synthesize_in_order(engine, texts, RetryPolicy()))
    assert len(clips) == len(texts) and len(seen) == len(texts)
    assert peak == 3


@responses.activate
def test_timeouts_are_retried_then_reported():
    responses.add(responses.POST, ENDPOINT, body=requests.ReadTimeout("read timed out"))
    waits: list[float] = []
    with pytest.raises(TransientEngineError, match=r"Google did not answer within 10 s"):
        list(synthesize_in_order(GttsEngine(), ["xin chào"], RetryPolicy(attempts=3), sleep=waits.append))
    assert len(responses.calls) == 3 and len(waits) == 2


@responses.activate
def test_unreachable_google_gives_up_quickly_as_unavailable():
    responses.add(responses.POST, ENDPOINT, body=requests.ConnectionError("Name or service not known"))
    with pytest.raises(EngineUnavailable, match="cannot reach translate.google.com"):
        # What "unreachable" means is Google's spec in the registry; the pipeline passes it, as here.
        list(synthesize_in_order(GttsEngine(), ["xin chào"], RetryPolicy(), sleep=lambda _: None,
                                 unreachable=registry.unreachable("gtts")))
    assert len(responses.calls) == RetryPolicy().unreachable_attempts


@responses.activate
def test_reply_cut_off_mid_body_is_retried(tone_mp3):
    responses.add(responses.POST, ENDPOINT, body=requests.exceptions.ChunkedEncodingError("connection reset"))
    responses.add(responses.POST, ENDPOINT, body=google_reply(tone_mp3))
    waits: list[float] = []
    stats = Stats()
    clips = list(synthesize_in_order(GttsEngine(), ["xin chào"], RetryPolicy(), sleep=waits.append, stats=stats))
    assert len(clips) == 1 and len(responses.calls) == 2 and stats.retries == 1


def test_a_stuck_helper_is_stopped_and_the_chunk_fails_in_one_line(monkeypatch):
    # A helper that stops answering (stopped here with SIGSTOP) must not hold a publish job for ever.
    monkeypatch.setattr(espeak, "CLIP_SECONDS_LIMIT", 0.5)
    engine = EspeakEngine(voice="vi-vn-x-south", rate=175)
    engine.synthesize(SENTENCE)
    for pid in _helper_pids():
        os.kill(pid, signal.SIGSTOP)
    started = time.monotonic()
    with pytest.raises(SynthesisError) as caught:
        engine.synthesize(SENTENCE)
    assert str(caught.value).startswith("espeak-ng took longer than 0.5 s on one chunk and was stopped: ")
    assert time.monotonic() - started < 30  # not tried again on another helper for as long again
    for pid in _helper_pids():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
    assert engine.synthesize(SENTENCE).original  # the next chunk gets a working helper
