"""`make bench`, issue 17: the neural engines against their local fakes, and piper's real-time factor.

Each online engine runs through its real library against the loopback fake its tests use, with 250 ms of
latency before every answer, run twice: with the audio sent at once after that (how readaloud uses the
connection), and sent at 10x real time (a model of the service's synthesis time: an assumption, since no
service can be measured from here).
For each: the engine stage of a 1,500-word article (every chunk, cold cache) against the library's own
call at its defaults on the same text, the most requests in flight, and the busiest second against the
engine's rate cap (never to be exceeded).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from readaloud import config, pipeline
from readaloud.engines import registry
from readaloud.text import read_article

Record = Callable[..., None]  # bench/run.py's record(name, value, unit, target, met, detail)
LATENCY_S = 0.25
# A model of a service's synthesis time, for a second run of each online engine: audio sent this many times
# faster than real time once the answer starts. An assumption, not a measurement of any service.
SPEED = 10.0


class Watch:
    """Counts an engine's requests as they run: start times, and the most in flight at once."""

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.in_flight = 0
        self.peak = 0
        self.lock = threading.Lock()

    @contextmanager
    def request(self) -> Iterator[None]:
        with self.lock:
            self.starts.append(time.monotonic())
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            yield
        finally:
            with self.lock:
                self.in_flight -= 1

    def busiest_second(self) -> int:
        return max((sum(1 for t in self.starts if s <= t < s + 1.0) for s in self.starts), default=0)


class Watched:
    """An engine whose every synthesize() is counted by a Watch (inside the rate limiter, as the service
    sees the requests)."""

    def __init__(self, engine: Any, watch: Watch) -> None:
        self.engine, self.watch = engine, watch
        self.name, self.max_chars, self.concurrency = engine.name, engine.max_chars, engine.concurrency

    def identity(self) -> str:
        return str(self.engine.identity())

    def synthesize(self, text: str) -> Any:
        with self.watch.request():
            return self.engine.synthesize(text)


def engine_stage(name: str, settings: config.Settings, article: Path, scratch: Path) -> tuple[float, Watch, int]:
    """Seconds to speak every chunk of `article` with engine `name` as a build does (throttled, its
    requests in flight, no cache), the requests counted, and the number of chunks."""
    from readaloud.engines.throttle import Throttled, shared_limiter

    settings = settings.with_engine(name)
    script = pipeline.plan(read_article(str(article)), settings)
    watch = Watch()
    engine = Watched(registry.create(name, settings), watch)
    cap = registry.spec(name).rate_cap(settings)
    throttled = Throttled(engine, shared_limiter(f"bench-{name}", cap)) if cap else engine
    started = time.perf_counter()
    rendered = pipeline.render(script, throttled, scratch, pipeline.retry_policy(settings))
    return time.perf_counter() - started, watch, len(rendered.clip_samples)


def bench_edge(folder: Path, article: Path, record: Record, speed: float | None) -> None:
    """`speed`: the fake sends its audio that many times faster than real time (None: at once)."""
    import asyncio

    import edge_tts
    import edge_tts.communicate
    from tests.helpers.edge import ThreadedFakeEdge

    served = ThreadedFakeEdge(latency=LATENCY_S, speed=speed)
    saved_url = edge_tts.communicate.WSS_URL
    edge_tts.communicate.WSS_URL = served.fake.wss_url
    try:
        settings = config.Settings(cache=config.CacheSettings(enabled=False))
        text = " ".join(block.text for block in read_article(str(article)).blocks)
        # The library at its defaults: one Communicate for the whole text (it splits at 4,096 bytes itself).
        before = len(served.fake.connections)
        started = time.perf_counter()
        asyncio.run(edge_tts.Communicate(text, settings.edge.voice).save(str(folder / "edge-tts.mp3")))
        baseline_s = time.perf_counter() - started
        baseline_requests = len(served.fake.connections) - before
        stage_s, watch, chunks = engine_stage("edge", settings, article, folder / "edge-clips")
    finally:
        edge_tts.communicate.WSS_URL = saved_url
        served.close()
    cap = settings.edge.max_requests_per_s
    ratio = baseline_s / stage_s
    model = f"then {speed:g}x real time" if speed else "then all at once"
    record(f"17a. edge (250 ms/answer, {model}): edge-tts Communicate.save() / readaloud engine stage", ratio,
           "x", f"busiest second <= {cap:g} requests", watch.busiest_second() <= cap,
           f"edge-tts: {baseline_requests} sequential requests {baseline_s:.1f} s; readaloud: {len(watch.starts)} "
           f"requests ({chunks} chunks of <= {registry.spec('edge').max_chars} chars) {stage_s:.1f} s, at most "
           f"{watch.peak} in flight (concurrency {settings.edge.concurrency}); busiest second "
           f"{watch.busiest_second()} requests (cap {cap:g}/s)")


def bench_azure(folder: Path, article: Path, record: Record, speed: float | None) -> None:
    """As bench_edge, for Azure's Speech SDK against tests/helpers/azure.py. The SDK's baseline is one
    request for the whole text (Azure takes up to 10 minutes of audio a request), with only the output
    format set, which the fake requires (MP3, as readaloud asks)."""
    import azure.cognitiveservices.speech as speechsdk
    from tests.helpers.azure import GOOD_KEY, ThreadedFakeAzure

    from readaloud.engines.azure import ssml

    served = ThreadedFakeAzure(latency=LATENCY_S, speed=speed)
    try:
        settings = config.Settings(cache=config.CacheSettings(enabled=False),
                                   azure=config.AzureSettings(key=GOOD_KEY, host=served.fake.host))
        text = " ".join(block.text for block in read_article(str(article)).blocks)
        sdk_config = speechsdk.SpeechConfig(subscription=GOOD_KEY, host=served.fake.host)
        sdk_config.set_speech_synthesis_output_format(
            speechsdk.SpeechSynthesisOutputFormat.Audio24Khz48KBitRateMonoMp3)
        synthesizer = speechsdk.SpeechSynthesizer(speech_config=sdk_config, audio_config=None)
        started = time.perf_counter()
        result = synthesizer.speak_ssml_async(ssml(text, settings.azure.voice)).get()
        baseline_s = time.perf_counter() - started
        assert result.reason == speechsdk.ResultReason.SynthesizingAudioCompleted, result.reason
        baseline_requests = len(served.fake.requests)
        stage_s, watch, chunks = engine_stage("azure", settings, article, folder / "azure-clips")
    finally:
        served.close()
    cap = settings.azure.max_requests_per_s
    model = f"then {speed:g}x real time" if speed else "then all at once"
    record(f"17b. azure (250 ms/answer, {model}): Speech SDK, one request / readaloud engine stage",
           baseline_s / stage_s, "x", f"busiest second <= {cap:g} requests", watch.busiest_second() <= cap,
           f"SDK: {baseline_requests} request {baseline_s:.1f} s; readaloud: {len(watch.starts)} requests "
           f"({chunks} chunks of <= {registry.spec('azure').max_chars} chars) {stage_s:.1f} s, at most "
           f"{watch.peak} in flight (concurrency {settings.azure.concurrency}); busiest second "
           f"{watch.busiest_second()} requests (cap {cap:g}/s)")


def run(folder: Path, article: Path, record: Record) -> None:
    """Every figure of this module (bench/run.py calls it)."""
    from engines_piper import bench_piper

    for name in ("edge-clips", "azure-clips"):
        (folder / name).mkdir(exist_ok=True)
    for speed in (None, SPEED):
        bench_edge(folder, article, record, speed)
        bench_azure(folder, article, record, speed)
    bench_piper(record)
