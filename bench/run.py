"""`make bench`: speed and memory of readaloud, as ratios against baselines measured in the same run.

Each figure is printed with its target and whether it is met, and all are written to bench/results.json.
Everything runs offline: espeak-ng for synthesis, and for gTTS the real library against a simulated
endpoint (requests' transport intercepted by `responses`, 250 ms of latency per request); the service
(bench/service.py) on loopback ports only.

    python bench/run.py                  everything (`make bench`)
    python bench/run.py --quick          everything but the peak-memory runs
    python bench/run.py --only service   the service figures alone (#9, #10; about 6 minutes)
    python bench/run.py --only engines   the neural engines against their fakes (issue 17)
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests package: its helpers fake Google

from readaloud import audio, config, pipeline  # noqa: E402
from readaloud.engines.espeak import EspeakEngine  # noqa: E402
from readaloud.text import read_article  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import engines  # noqa: E402  (bench/engines.py: issue 17's engines against their fakes)
import service  # noqa: E402  (bench/service.py: issue 15's service figures)

RESULTS: list[dict] = []


@contextmanager
def counting_espeak():
    """Counts espeak-ng synthesis calls made inside the block."""
    calls = {"n": 0}
    original = EspeakEngine.synthesize

    def counted(self, text):
        calls["n"] += 1
        return original(self, text)

    EspeakEngine.synthesize = counted
    try:
        yield calls
    finally:
        EspeakEngine.synthesize = original


def record(name: str, value: float, unit: str, target: str, met: bool | None, detail: str = "") -> None:
    RESULTS.append({"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": met,
                    "detail": detail})
    mark = "n/a" if met is None else ("met" if met else "NOT MET")
    print(f"{name:58s} {value:10.3f} {unit:6s} target {target:12s} {mark:8s} {detail}", flush=True)


WORDS_PER_MINUTE = 176  # espeak-ng's Vietnamese at readaloud's default rate, with its pauses (measured)


def long_article(folder: Path, words: int = 1500, name: str = "dai.txt") -> Path:
    """A long article made of the samples' own paragraphs (≥ `words` words), with a heading every ~300."""
    paragraphs = [line for sample in ("lua-dong-xuan.txt", "hoi-nghi-chuyen-doi-so.txt")
                  for line in (ROOT / "samples" / sample).read_text(encoding="utf-8").splitlines() if len(line) > 150]
    lines, count, section = ["Bản tin tổng hợp cuối tuần", ""], 0, 0
    while count < words:
        if count // 300 >= section:
            section += 1
            lines += [f"PHẦN {section}", ""]
        paragraph = paragraphs[(len(lines) // 2) % len(paragraphs)]
        lines += [paragraph, ""]
        count += len(paragraph.split())
    path = folder / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def settings_for(folder: Path, **tables) -> config.Settings:
    base = {"engine": {"name": "espeak"}, "cache": {"dir": str(folder / "clips")}}
    base.update(tables)
    text = "\n".join(f"[{t}]\n" + "\n".join(f"{k} = {json.dumps(v)}" for k, v in values.items())
                     for t, values in base.items())
    path = folder / f"bench-{len(list(folder.glob('bench-*.toml')))}.toml"
    path.write_text(text + "\n", encoding="utf-8")
    return config.load(path)


def plain_encode(pcm: Path, rate: int, out: Path, bitrate_kbps: int, sample_rate: int) -> float:
    """Seconds for the floor's encode: ffmpeg's libmp3lame at its own defaults, at readaloud's bit rate and
    sample rate, by the ffmpeg readaloud runs (never readaloud's own encoder settings, so that a costly
    choice of theirs shows in the ratio instead of cancelling out)."""
    command = [audio.runner.ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "s16le",
               "-ar", str(rate), "-ac", "1", "-i", str(pcm), "-c:a", "libmp3lame", "-b:a", f"{bitrate_kbps}k",
               "-ar", str(sample_rate), "-ac", "1", str(out)]
    started = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - started


def ffmpegs() -> list[tuple[str, str]]:
    """Each ffmpeg a build may run, named by its version: the system's when there is one (readaloud prefers
    it), and the one bundled in imageio-ffmpeg."""
    import shutil

    import imageio_ffmpeg

    found = [shutil.which("ffmpeg"), imageio_ffmpeg.get_ffmpeg_exe()]
    named = []
    for exe in (path for path in found if path):
        version = subprocess.run([exe, "-version"], capture_output=True, text=True).stdout.split()[2]
        named.append((f"ffmpeg {version} ({'system' if exe == found[0] else 'bundled'})", exe))
    return named


def bench_offline_build(folder: Path, ffmpeg: str, minutes: int, rounds: int = 3, rerender: bool = False) -> None:
    """#1 (and #2's stretch for the 60-minute article, #3 with `rerender`). A VM's timings wander by 15-40%
    from one minute to the next, so each round measures the build and its baselines side by side, and the
    median of the rounds' ratios is reported."""
    article = long_article(folder, words=WORDS_PER_MINUTE * minutes, name=f"dai-{minutes}.txt")
    words = len(article.read_text(encoding="utf-8").split())
    build_ratios, rerender_ratios = [], []
    for round_number in range(rounds):
        cache = str(folder / f"clips-{minutes}-{round_number}")  # cold: a cache of its own each round
        settings = settings_for(folder, cache={"dir": cache})
        started = time.perf_counter()
        result = pipeline.build(str(article), folder / "dai.mp3", settings)
        build_s = time.perf_counter() - started
        # The floor: espeak-ng speaking the same text in one call, and one encode of audio that long.
        script = pipeline.plan(read_article(str(article)), settings)
        engine = EspeakEngine.from_settings(settings.engine)
        started = time.perf_counter()
        speech = engine.synthesize(" ".join(c.spoken for c in script.chunks)).audio
        synth_s = time.perf_counter() - started
        pcm = folder / "floor.pcm"
        seconds = int(result.duration_s * speech.sample_rate)
        pcm.write_bytes((speech.pcm * (1 + 2 * seconds // max(1, len(speech.pcm))))[: 2 * seconds])
        encode_s = plain_encode(pcm, speech.sample_rate, folder / "floor.mp3", settings.mp3.bitrate_kbps,
                                settings.mp3.sample_rate)
        floor = synth_s + encode_s
        build_ratios.append((build_s / floor, build_s, floor, synth_s, encode_s, result.loudness_lufs,
                             result.true_peak_dbtp))
        if not rerender:
            continue
        # 3. Re-render after a pause and loudness change: zero engine calls, against one encode.
        with counting_espeak() as calls:
            changed = settings_for(folder, pauses={"heading": 1400, "sentence": 300},
                                   loudness={"target_lufs": -17.0}, cache={"dir": cache})
            started = time.perf_counter()
            again = pipeline.build(str(article), folder / "dai2.mp3", changed)
            rerender_s = time.perf_counter() - started
        rerender_ratios.append((rerender_s / encode_s, rerender_s, encode_s, calls["n"], again.cached,
                                again.loudness_lufs, again.true_peak_dbtp))
    every = ", ".join(f"{r[0]:.2f}" for r in build_ratios)
    ratio, build_s, floor, synth_s, encode_s, _, _ = sorted(build_ratios)[rounds // 2]
    loudness = ", ".join(f"{r[5]:.2f} LUFS/{r[6]:.2f} dBTP" for r in build_ratios)
    held = all(abs(r[5] + 16) <= 0.5 and r[6] <= -1.5 for r in build_ratios)
    detail = (f"{words} words, {result.duration_s / 60:.1f} min audio, median of {rounds} rounds ({every}): "
              f"build {build_s:.2f} s; floor {floor:.2f} s (synthesis {synth_s:.2f} s + encode {encode_s:.2f} s); "
              f"MP3s {loudness}")
    record(f"1. offline build {minutes} min, cold cache / floor, {ffmpeg}", ratio, "x", "<= 1.3",
           ratio <= 1.3 and held, detail)
    if minutes >= 60:
        record(f"2. stretch: offline build {minutes} min / floor, {ffmpeg}", ratio, "x", "<= 1.0",
               ratio <= 1.0 and held, "the same rounds as #1")
    if not rerender:
        return
    every = ", ".join(f"{r[0]:.2f}" for r in rerender_ratios)
    ratio, rerender_s, encode_s, _, cached, _, _ = sorted(rerender_ratios)[rounds // 2]
    calls = max(r[3] for r in rerender_ratios)
    loudness = ", ".join(f"{r[5]:.2f} LUFS/{r[6]:.2f} dBTP" for r in rerender_ratios)
    held = all(abs(r[5] + 17) <= 0.5 and r[6] <= -1.5 for r in rerender_ratios)
    record(f"3. re-render after pause/loudness change / one encode, {ffmpeg}", ratio, "x", "<= 1.2",
           ratio <= 1.2 and calls == 0 and held,
           f"{calls} engine calls in any round, {cached} clips from cache; median of {rounds} rounds ({every}): "
           f"re-render {rerender_s:.2f} s, one encode {encode_s:.2f} s; MP3s {loudness}")


def bench_lame_quality(folder: Path, ffmpeg: str, minutes: int = 10) -> None:
    """#8. What LAME's quality setting costs and buys with this ffmpeg: the same limited speech (gain and
    limiter as a build fits them) encoded at LAME's default (readaloud's choice), at its most careful
    (compression_level 0) and at a fast one (7): the encode's time against the default's, and how far the
    MP3's true peak lands over the limiter's ceiling (the overshoot the mastering headroom must absorb)."""
    from readaloud.audio import mastering

    article = long_article(folder, words=WORDS_PER_MINUTE * minutes, name=f"dai-{minutes}.txt")
    settings = settings_for(folder)
    script = pipeline.plan(read_article(str(article)), settings)
    speech = EspeakEngine.from_settings(settings.engine).synthesize(" ".join(c.spoken for c in script.chunks)).audio
    pcm = folder / "lame.pcm"
    pcm.write_bytes(speech.pcm)
    ceiling = mastering.first_ceiling(settings.loudness.true_peak_db)
    fitted, _ = mastering.fit_mastering(pcm, speech.sample_rate, settings.loudness.target_lufs, ceiling)
    chain = (f"aresample={settings.mp3.sample_rate},volume={fitted.gain_db:.2f}dB,"
             f"alimiter=limit={10 ** (ceiling / 20):.4f}:level=0:attack=5:release=50")
    results = {}
    for label, extra in (("default", []), ("compression_level 0", ["-compression_level", "0"]),
                         ("compression_level 7", ["-compression_level", "7"])):
        out = folder / f"lame-{len(results)}.mp3"
        command = [audio.runner.ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-f", "s16le",
                   "-ar", str(speech.sample_rate), "-ac", "1", "-i", str(pcm), "-af", chain, "-c:a", "libmp3lame",
                   "-b:a", f"{settings.mp3.bitrate_kbps}k", *extra, "-ac", "1", str(out)]
        times = []
        for _ in range(2):
            started = time.perf_counter()
            subprocess.run(command, check=True)
            times.append(time.perf_counter() - started)
        results[label] = (min(times), audio.measure_loudness(out).true_peak_dbtp - ceiling)
    base = results["default"][0]
    for label, (seconds, overshoot) in results.items():
        record(f"8. LAME {label}: encode time / default's, {ffmpeg}", seconds / base, "x", "(shown)", None,
               f"{seconds:.2f} s for {len(speech.pcm) / 2 / speech.sample_rate / 60:.1f} min; true peak "
               f"{overshoot:+.2f} dB over the {ceiling:.1f} dBFS limiter ceiling")


def bench_gtts(folder: Path) -> None:
    import responses
    from gtts import gTTS
    from tests.helpers.google import google_reply

    tone = folder / "tone.mp3"
    subprocess.run([audio.ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=f=300:d=2", "-ar", "24000", "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k", "-write_xing",
                    "0", "-id3v2_version", "0", str(tone), "-y"], check=True)
    reply = google_reply(tone.read_bytes())
    starts: list[float] = []
    lock = threading.Lock()

    def slow_google(request):
        with lock:
            starts.append(time.monotonic())
        time.sleep(0.25)
        return 200, {}, reply

    article = long_article(folder, name="dai-gtts.txt")
    cap = 20.0
    settings = settings_for(folder, engine={"name": "gtts"},
                            gtts={"concurrency": 8, "max_requests_per_s": cap},
                            cache={"dir": str(folder / "gtts-clips")})
    script = pipeline.plan(read_article(str(article)), settings)
    text = " ".join(c.display for c in script.chunks)
    endpoint = re.compile(r"https://translate\.google\.com/.*")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.POST, endpoint, callback=slow_google)
        started = time.perf_counter()
        gTTS(text, lang="vi").save(str(folder / "gtts-cli.mp3"))
        baseline_s = time.perf_counter() - started
        baseline_requests = len(starts)
        starts.clear()
        # The engine stage (what gTTS's save() does: every request, plus decoding and joining), cold cache.
        from readaloud.engines import registry
        from readaloud.engines.throttle import Throttled, shared_limiter

        with tempfile.TemporaryDirectory() as scratch:
            from readaloud import prepared
            from readaloud.cache import CachedEngine

            engine = CachedEngine(Throttled(registry.create("gtts", settings), shared_limiter("gtts", cap)),
                                  prepared.clip_cache(settings))
            started = time.perf_counter()
            rendered = pipeline.render(script, engine, Path(scratch), pipeline.retry_policy(settings))
            stage_s = time.perf_counter() - started
        stage_requests = len(starts)
        stage_starts = list(starts)
        starts.clear()
        # And the whole build (mastering and the MP3 encode included), clips now cached.
        started = time.perf_counter()
        result = pipeline.build(str(article), folder / "gtts.mp3", settings)
        build_s = time.perf_counter() - started
    worst = max(sum(1 for t in stage_starts if s <= t < s + 1.0) for s in stage_starts)
    ratio = baseline_s / stage_s
    record("2. gTTS (250 ms/request): gTTS save() / readaloud engine stage", ratio, "x", ">= 6",
           ratio >= 6 and worst <= cap,
           f"gTTS save(): {baseline_requests} sequential requests {baseline_s:.1f} s; readaloud: {stage_requests} "
           f"requests {stage_s:.1f} s ({len(rendered.clip_samples)} chunks); busiest second {worst} requests "
           f"(cap {cap:g}/s, concurrency 8); whole build after that {build_s:.1f} s "
           f"({result.cached} clips cached)")


def bench_sync(folder: Path) -> None:
    from readaloud import sync

    source, out = folder / "archive", folder / "public"
    source.mkdir()
    for n in range(500):
        (source / f"bai-{n:03d}.txt").write_text(
            f"Tin số {n}\nUBND xã họp lần thứ {n % 9 + 1}. Nông dân phấn khởi vì lúa được giá.\n", encoding="utf-8")
    settings = settings_for(folder, loudness={"enabled": False}, cache={"dir": str(folder / "sync-clips")})
    sync.run(source, out, settings, jobs=2)
    with counting_espeak() as calls:
        started = time.perf_counter()
        report = sync.run(source, out, settings, jobs=2)
        unchanged_s = time.perf_counter() - started
        unchanged_calls = calls["n"]
        edited = source / "bai-123.txt"
        edited.write_text(edited.read_text(encoding="utf-8").replace("lúa được giá", "lúa trúng mùa"),
                          encoding="utf-8")
        calls["n"] = 0
        sync.run(source, out, settings, jobs=2)
        edit_calls = calls["n"]
    record("4a. sync over 500 unchanged articles", unchanged_s, "s", "<= 2", unchanged_s <= 2 and unchanged_calls == 0,
           f"{unchanged_calls} engine calls, {len(report.outcomes)} articles checked")
    record("4b. sync after editing one sentence: engine calls", edit_calls, "calls", "== 1", edit_calls == 1,
           "the edited sentence is one chunk")


# The news corpus beside the project (or where BENCH_CORPUS says, for a checkout elsewhere).
CORPUS = Path(os.environ.get("BENCH_CORPUS", ROOT.parent / "shared" / "corpus" / "news"))


def bench_sync_scaling(folder: Path, count: int = 40) -> None:
    """#7. `sync` over `count` corpus articles, cold cache, with two jobs against one: the throughput a second
    core buys an archive re-render."""
    import shutil

    from readaloud import sync

    articles = sorted(CORPUS.glob("*.txt"))[:count]
    if len(articles) < count:
        record("7. sync --jobs 2 / --jobs 1 throughput", 0.0, "x", ">= 1.7", None, f"no corpus at {CORPUS}")
        return
    source = folder / "corpus-40"
    source.mkdir()
    for article in articles:
        shutil.copy(article, source / article.name)
    seconds = {}
    for jobs in (1, 2):
        settings = settings_for(folder, cache={"dir": str(folder / f"scale-clips-{jobs}")})
        started = time.perf_counter()
        report = sync.run(source, folder / f"scale-out-{jobs}", settings, jobs=jobs)
        seconds[jobs] = time.perf_counter() - started
        built = sum(1 for outcome in report.outcomes if outcome.action == "built")
    ratio = seconds[1] / seconds[2]
    record("7. sync --jobs 2 / --jobs 1 throughput", ratio, "x", ">= 1.7", ratio >= 1.7,
           f"{count} corpus articles, cold cache: --jobs 1 {seconds[1]:.1f} s, --jobs 2 {seconds[2]:.1f} s "
           f"({built} built)")


def bench_startup() -> None:
    exe = str(Path(sys.executable).with_name("readaloud"))
    short = ROOT / "samples" / "khai-giang.md"
    cases = (("--help", ["--help"], 300.0), ("script (short article)", ["script", str(short)], 600.0))
    for label, args, target in cases:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run([exe, *args], capture_output=True, check=True)
            times.append((time.perf_counter() - started) * 1000)
        best = min(times)
        record(f"6. start-up: readaloud {label}", best, "ms", f"<= {target:g}", best <= target,
               f"best of 5; median {sorted(times)[2]:.0f} ms")


def bench_memory() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "memory.py")], capture_output=True, text=True,
                          check=True)
    rows = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    ten, sixty, summary = rows
    record("5. peak memory, 60-min / 10-min build", summary["python_peak_ratio_60_to_10"], "x", "<= 1.5",
           summary["met"], f"{ten['python_peak_mb']} MB ({ten['audio_minutes']} min) vs {sixty['python_peak_mb']} MB "
           f"({sixty['audio_minutes']} min); ffmpeg peak {sixty['largest_child_peak_mb']} MB")


PARTS = ("service", "engines")  # what `--only` can pick (the rest runs only as a whole)


def main() -> None:
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv[:-1] else None
    if only is not None and only not in PARTS:
        sys.exit(f"bench/run.py: --only takes one of: {', '.join(PARTS)}")
    default_ffmpeg = audio.runner.ffmpeg_path
    started = time.perf_counter()
    print(f"readaloud bench on {platform.node()}: {platform.machine()}, {platform.python_version()}, "
          f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; "
          f"ffmpeg {audio.ffmpeg_path()}; load average {service.load()}")
    with tempfile.TemporaryDirectory(prefix="readaloud-bench-") as scratch:
        folder = Path(scratch)
        if only is None:
            found = ffmpegs()
            if len(found) == 1:
                print("no system ffmpeg on PATH: #1 and #3 measure the bundled one only", flush=True)
            for name, exe in found:
                audio.runner.ffmpeg_path = lambda exe=exe: exe
                bench_offline_build(folder, name, 10, rerender=True)
                bench_offline_build(folder, name, 60)
                bench_lame_quality(folder, name)
            audio.runner.ffmpeg_path = default_ffmpeg
            bench_gtts(folder)
            bench_sync(folder)
            bench_sync_scaling(folder)
            bench_startup()
        if only in (None, "engines"):
            engines.run(folder, long_article(folder, name="dai-engines.txt"), record)
        if only in (None, "service"):
            service.run(folder, record, CORPUS)
    if "--quick" not in sys.argv and only is None:
        bench_memory()
    total = time.perf_counter() - started
    print(f"total {total:.0f} s")
    write_results(total, only)


def write_results(total: float, only: str | None) -> None:
    """bench/results.json. A part run alone replaces its own figures in it and keeps the others (with the
    time each part last ran alone)."""
    path = ROOT / "bench" / "results.json"
    data = {"machine": platform.platform(), "seconds": round(total), "results": RESULTS}
    if only is not None and path.exists():
        kept = json.loads(path.read_text(encoding="utf-8"))
        fresh = {result["name"] for result in RESULTS}
        kept["results"] = [r for r in kept.get("results", []) if r["name"] not in fresh] + RESULTS
        kept.setdefault("parts_run_alone", {})[only] = {"seconds": round(total), "machine": platform.platform(),
                                                        "at": time.strftime("%Y-%m-%d %H:%M:%S")}
        data = kept
    elif only is not None:
        data["parts_run_alone"] = {only: {"seconds": round(total), "at": time.strftime("%Y-%m-%d %H:%M:%S")}}
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
