"""`make bench-intelligibility`: how well a Vietnamese speech recogniser follows espeak-ng's voices, as a word
error rate (WER), to choose the offline voice and rate by a number rather than by ear (issue 17).

No listener can be run in a bench; a recogniser can. viet-asr (the `intelligibility` extra: its model is
inside the wheel and runs offline) transcribes each sentence of bench/intelligibility_sentences.txt as
readaloud's own EspeakEngine speaks it, and the words it hears are scored against the words it was given
(readaloud's normaliser applied to the written sentence: what espeak-ng is actually asked to say). The
figure is a proxy, for comparing settings only: the recogniser, made for people's speech, misses most of
espeak-ng's words whatever the setting, so the level says little about listeners, the differences more.
Pitch is tried through the variants (each its own pitch range and formants); readaloud sets no other.

Two stages: every voice at one rate (the screen), then the best three voices and the default one at every
rate. It prints a table sorted by WER, paired comparisons (the best against the default and the runner-up;
each of those voices at the default rate against the default, and at its best rate against the default
rate), how long the sample articles play at each rate, and writes bench/intelligibility.json (date,
machine, versions, every transcript). The full run takes about 45 minutes of processor time: 68 minutes
on a shared 2-core machine under a load of 5 to 10, so some 25 on two idle cores.

    python bench/intelligibility.py            everything (`make bench-intelligibility`)
    python bench/intelligibility.py --quick    8 sentences, the default against two others (about a minute)

The recogniser brings its own onnxruntime, so it runs only in the worker processes (one a core): nothing
else loads an onnxruntime there, and this process loads none.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import platform
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = ROOT / "bench" / "intelligibility_sentences.txt"
OUTPUT = ROOT / "bench" / "intelligibility.json"  # the full run's record, kept in git: the default voice rests on it
QUICK_OUTPUT = ROOT / "bench" / "intelligibility-quick.json"
ASR_SAMPLE_RATE = 16000  # viet-asr's default input rate
# espeak-ng's Vietnamese voices and its variants (voices/!v), each a pitch range and formant set.
VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south", *(f"vi+f{n}" for n in range(1, 6)),
          *(f"vi+m{n}" for n in range(1, 9)))
RATES = (130, 140, 150, 165, 175)
SCREEN_RATE = 150  # the middle of RATES: the voices are told apart here, then the best tried at every rate
FINALISTS = 3
QUICK_SENTENCES = 8
QUICK_SETTINGS = (("vi+f3", 140), ("vi+m3", 140))
BOOTSTRAP_ROUNDS = 2000
SAMPLE_ARTICLES = sorted(path for pattern in ("*.txt", "*.md", "*.html") for path in (ROOT / "samples").glob(pattern))


# --- word error rate ---------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """The words of `text` as they are scored: NFC, lower case, anything but letters and digits a separator
    (punctuation never counts, and "Hồ-Chí-Minh" is three words, as spoken)."""
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFC", text).lower()).split()


def word_errors(reference: Sequence[str], heard: Sequence[str]) -> int:
    """The fewest substitutions, deletions and insertions of words that turn `reference` into `heard`
    (Levenshtein distance over words), one row of the table at a time."""
    previous = list(range(len(heard) + 1))
    for row, word in enumerate(reference, 1):
        current = [row]
        for column, other in enumerate(heard, 1):
            current.append(min(previous[column] + 1, current[column - 1] + 1,
                               previous[column - 1] + (word != other)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, heard: str) -> float:
    """Word errors per reference word (can exceed 1 when the recogniser hears words that were not said)."""
    expected = words(reference)
    if not expected:
        raise ValueError("a reference without words has no word error rate")
    return word_errors(expected, words(heard)) / len(expected)


# --- the recogniser, in worker processes -------------------------------------------------------------------

_recogniser: Any = None


def _start_recogniser() -> None:
    """Each worker loads the model once (about 1.5 s, 240 MB)."""
    global _recogniser
    from vietasr.ffi import native

    native.lib.vietasr_set_log_level(3)  # warnings and errors only: its INFO lines would bury the table
    import vietasr

    _recogniser = vietasr.Pipeline.preset("transcribe")


def _transcribe(pcm: bytes) -> str:
    import numpy as np

    return str(_recogniser.transcribe(np.frombuffer(pcm, dtype=np.int16), sample_rate=ASR_SAMPLE_RATE).text)


# --- speaking and scoring one setting ----------------------------------------------------------------------


@dataclass
class Measured:
    voice: str
    rate: int
    identity: str
    heard: list[str]
    errors: list[int]
    words: list[int]
    audio_s: float
    seconds: float  # what measuring it took

    @property
    def label(self) -> str:
        return f"{self.voice} rate {self.rate}"

    @property
    def wer(self) -> float:
        return sum(self.errors) / sum(self.words)

    def sentence_wers(self) -> list[float]:
        return [errors / count for errors, count in zip(self.errors, self.words, strict=True)]

    def as_dict(self) -> dict[str, Any]:
        quartiles = statistics.quantiles(self.sentence_wers(), n=4)
        return {"voice": self.voice, "rate": self.rate, "engine": self.identity, "wer": round(self.wer, 4),
                "errors": sum(self.errors), "words": sum(self.words),
                "sentence_wer_quartiles": [round(q, 3) for q in quartiles],
                "audio_s": round(self.audio_s, 2), "syllables_per_minute": round(sum(self.words) * 60 / self.audio_s),
                "seconds": round(self.seconds, 1), "errors_per_sentence": self.errors, "heard": self.heard}


def load_sentences(path: Path, dialect: str = "north") -> list[tuple[str, str]]:
    """(as written, as spoken) for each line of `path`; blank lines and `#` comments are skipped."""
    from readaloud.text import normalize

    lines = unicodedata.normalize("NFC", path.read_text(encoding="utf-8")).splitlines()
    found = [(line.strip(), normalize(line.strip(), dialect)) for line in lines
             if line.strip() and not line.lstrip().startswith("#")]
    if not found:
        raise SystemExit(f"{path}: no sentences")
    return found


def resampled(clips: Sequence[bytes], source_rate: int) -> list[bytes]:
    """Every clip at the recogniser's rate, by ffmpeg in one call for all (a call per clip took longer than
    speaking them): joined, resampled, and cut again at the scaled boundaries. espeak-ng's clips begin and
    end in silence, so a cut a sample off, or the filter's reach across a join, falls on silence."""
    from readaloud.audio import runner

    args = ["-f", "s16le", "-ar", str(source_rate), "-ac", "1", "-i", "pipe:0",
            "-f", "s16le", "-ar", str(ASR_SAMPLE_RATE), "-ac", "1", "pipe:1"]
    pcm = runner.run(args, stdin=b"".join(clips), what="resampling for the recogniser").stdout
    cuts, total = [0], 0
    for clip in clips:
        total += len(clip) // 2
        cuts.append(min(len(pcm) // 2, round(total * ASR_SAMPLE_RATE / source_rate)))
    cuts[-1] = len(pcm) // 2
    return [pcm[2 * start:2 * end] for start, end in zip(cuts, cuts[1:], strict=False)]


def speak(voice: str, rate: int, texts: Sequence[str]) -> tuple[list[bytes], float, str]:
    """Each text as readaloud's EspeakEngine speaks it at `voice` and `rate`, at the recogniser's rate; the
    seconds of speech; the engine's identity."""
    from readaloud.engines import espeak

    engine = espeak.EspeakEngine(voice=voice, rate=rate)
    clips = [engine.synthesize(text).audio for text in texts]
    identity = engine.identity()
    # The engine keeps a helper process per voice and rate until exit; thirty settings would leave sixty.
    espeak._close_all()
    return resampled([clip.pcm for clip in clips], clips[0].sample_rate), sum(c.duration_s for c in clips), identity


def measure(pool: Any, sentences: Sequence[tuple[str, str]], voice: str, rate: int) -> Measured:
    started = time.perf_counter()
    spoken = [text for _, text in sentences]
    clips, audio_s, identity = speak(voice, rate, spoken)
    heard = pool.map(_transcribe, clips, chunksize=1)
    expected = [words(text) for text in spoken]
    errors = [word_errors(reference, words(text)) for reference, text in zip(expected, heard, strict=True)]
    found = Measured(voice, rate, identity, heard, errors, [len(reference) for reference in expected], audio_s,
                     time.perf_counter() - started)
    print(f"  {found.label:26s} WER {found.wer:6.1%}  ({found.seconds:.0f} s)", flush=True)
    return found


# --- comparing settings ------------------------------------------------------------------------------------


def sign_test(fewer: int, more: int) -> float:
    """Two-sided p of a sign test: how likely a split this uneven (ties left out) is if neither is better."""
    count = fewer + more
    if count == 0:
        return 1.0
    tail = sum(math.comb(count, k) for k in range(min(fewer, more) + 1)) / 2 ** count
    return min(1.0, 2 * tail)


def paired(first: Measured, second: Measured, rounds: int = BOOTSTRAP_ROUNDS, seed: int = 17) -> dict[str, Any]:
    """`first` against `second` on the same sentences: the WER difference in points, with a 95% interval from
    the sentences drawn again with replacement (bootstrap), and on how many sentences `first` made fewer or
    more errors (with a sign test). An interval that holds 0 is a difference within the sample's noise."""
    count = len(first.errors)
    draw = random.Random(seed)
    differences = []
    for _ in range(rounds):
        picks = [draw.randrange(count) for _ in range(count)]
        differences.append(100 * sum(first.errors[i] - second.errors[i] for i in picks)
                           / sum(first.words[i] for i in picks))
    differences.sort()
    fewer = sum(a < b for a, b in zip(first.errors, second.errors, strict=True))
    more = sum(a > b for a, b in zip(first.errors, second.errors, strict=True))
    return {"first": first.label, "second": second.label, "difference_points": round(100 * (first.wer - second.wer), 1),
            "ci95_points": [round(differences[int(0.025 * rounds)], 1), round(differences[int(0.975 * rounds) - 1], 1)],
            "fewer_errors": fewer, "more_errors": more, "same": count - fewer - more,
            "sign_test_p": round(sign_test(fewer, more), 4)}


def compared(results: Sequence[Measured], default: tuple[str, int]) -> list[dict[str, Any]]:
    """The best setting against the default and the runner-up; then, for each voice measured at every rate,
    the voice's part (it at the default rate against the default) and the rate's (its best rate against the
    default rate)."""
    by_setting = {(found.voice, found.rate): found for found in results}
    pairs = [(results[0], by_setting[default]), (results[0], results[1])]
    for voice in dict.fromkeys(found.voice for found in results):  # best first
        rates = [found for found in results if found.voice == voice]
        if len(rates) > 1 and (voice, default[1]) in by_setting:
            pairs += [(by_setting[voice, default[1]], by_setting[default]), (rates[0], by_setting[voice, default[1]])]
    done: list[tuple[Measured, Measured]] = []
    for first, second in pairs:
        if first is not second and (first, second) not in done:
            done.append((first, second))
    return [paired(first, second) for first, second in done]


def article_seconds(voice: str, rates: Sequence[int], samples: Sequence[Path]) -> dict[int, float]:
    """How long the sample articles play in all (pauses included) at each rate: what a slower rate costs the
    listener. Real builds with the default settings, the clip cache off."""
    from readaloud import config, pipeline

    base = config.Settings()
    played = {}
    with tempfile.TemporaryDirectory() as folder:
        for rate in rates:
            settings = replace(base, engine=replace(base.engine, name="espeak", voice=voice, rate=rate),
                               cache=replace(base.cache, enabled=False))
            played[rate] = sum(pipeline.build(str(sample), Path(folder) / "article.mp3", settings).duration_s
                               for sample in samples)
    return played


# --- the run -----------------------------------------------------------------------------------------------


def run_settings(pool: Any, sentences: Sequence[tuple[str, str]], default: tuple[str, int],
                 quick: bool) -> list[Measured]:
    """The screen (every voice at SCREEN_RATE), then the finalists and the default voice at every rate."""
    results: dict[tuple[str, int], Measured] = {}

    def once(voice: str, rate: int) -> None:
        if (voice, rate) not in results:
            results[voice, rate] = measure(pool, sentences, voice, rate)

    if quick:
        for voice, rate in (default, *QUICK_SETTINGS):
            once(voice, rate)
        return sorted(results.values(), key=lambda found: found.wer)
    print(f"screen: {len(VOICES)} voices at rate {SCREEN_RATE}", flush=True)
    for voice in VOICES:
        once(voice, SCREEN_RATE)
    screened = sorted((found for found in results.values()), key=lambda found: found.wer)
    finalists = [found.voice for found in screened[:FINALISTS]]
    finalists += [default[0]] if default[0] not in finalists else []
    print(f"every rate: {', '.join(finalists)}", flush=True)
    for voice in finalists:
        for rate in RATES:
            once(voice, rate)
    return sorted(results.values(), key=lambda found: found.wer)


def machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    names = [line.split(":", 1)[1].strip() for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
             if line.startswith("model name")]
    model = names[0] if names else platform.processor()
    return {"platform": platform.platform(), "cpu": model, "cores": os.cpu_count(),
            "load_average": [round(load, 2) for load in os.getloadavg()]}


def versions(identity: str) -> dict[str, str]:
    from readaloud.audio import runner
    from readaloud.version import __version__

    return {"python": platform.python_version(), "readaloud": __version__, "engine": identity.rsplit(" voice=", 1)[0],
            "viet-asr": metadata.version("viet-asr"), "ffmpeg": runner.about("auto").get("version", "?")}


def report(results: Sequence[Measured], comparisons: Sequence[dict[str, Any]], played: dict[int, float],
           default: tuple[str, int]) -> None:
    print(f"\n{'':4s}{'setting':24s}{'WER':>7s}   {'a sentence: median (quartiles)':32s}{'syllables/min':>14s}")
    for rank, found in enumerate(results, 1):
        low, middle, high = statistics.quantiles(found.sentence_wers(), n=4)
        mark = "  (default)" if (found.voice, found.rate) == default else ""
        print(f"{rank:3d} {found.label:24s}{found.wer:7.1%}   {middle:4.0%} ({low:.0%}-{high:.0%}){'':16s}"
              f"{sum(found.words) * 60 / found.audio_s:14.0f}{mark}")
    print(f"\npaired, on the same {len(results[0].errors)} sentences (an interval holding 0 is within the noise):")
    for comparison in comparisons:
        low, high = comparison["ci95_points"]
        print(f"  {comparison['first']} against {comparison['second']}: {comparison['difference_points']:+.1f} "
              f"points (95% interval {low:+.1f} to {high:+.1f}); fewer errors on {comparison['fewer_errors']} "
              f"sentences, more on {comparison['more_errors']}, the same on {comparison['same']} "
              f"(sign test p {_p_value(comparison['sign_test_p'])})")
    if played:
        reference = played.get(default[1], max(played.values()))
        print("\nthe sample articles, played in all:")
        for rate, seconds in sorted(played.items()):
            print(f"  rate {rate}: {seconds / 60:5.1f} min ({seconds / reference - 1:+.0%} on rate {default[1]})")


def _p_value(p: float) -> str:
    return "< 0.001" if p < 0.001 else f"= {p:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SENTENCES} sentences, three settings")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="recogniser processes (one a core)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    if importlib.util.find_spec("vietasr") is None:
        print("viet-asr is not installed: run `make bench-intelligibility`, or pip install -e '.[intelligibility]'",
              file=sys.stderr)
        return 2
    from readaloud import config

    started = time.perf_counter()
    defaults = config.EngineSettings()
    default = (defaults.voice, defaults.rate)
    sentences = load_sentences(SENTENCES)[:QUICK_SENTENCES if args.quick else None]
    record: dict[str, Any] = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
                              "machine": machine(), "default": list(default), "screen_rate": SCREEN_RATE,
                              "sentences": [{"written": w, "spoken": s} for w, s in sentences]}
    print(f"intelligibility: {len(sentences)} sentences, {sum(len(words(s)) for _, s in sentences)} words, "
          f"{args.jobs} recogniser processes, {record['machine']['cores']} cores, "
          f"load {record['machine']['load_average'][0]}", flush=True)
    with get_context("spawn").Pool(args.jobs, initializer=_start_recogniser) as pool:
        results = run_settings(pool, sentences, default, args.quick)
    comparisons = compared(results, default)
    record.update(versions=versions(results[0].identity), results=[found.as_dict() for found in results],
                  comparisons=comparisons)
    output = QUICK_OUTPUT if args.quick else OUTPUT
    save(record, started, output)  # the transcripts are kept even if a build below fails
    rates = sorted({default[1], *(rate for _, rate in QUICK_SETTINGS)}) if args.quick else RATES
    samples = SAMPLE_ARTICLES[:1] if args.quick else SAMPLE_ARTICLES
    played = article_seconds(results[0].voice, rates, samples)
    record["article_seconds"] = {"voice": results[0].voice, "articles": [path.name for path in samples],
                                 "by_rate": {str(rate): round(seconds, 1) for rate, seconds in played.items()}}
    report(results, comparisons, played, default)
    total = save(record, started, output)
    print(f"\n{total / 60:.1f} min; written to {output.relative_to(ROOT)}")
    return 0


def save(record: dict[str, Any], started: float, output: Path) -> float:
    record["seconds"] = round(time.perf_counter() - started)
    # The processor time of this process and its ended children (the recognisers, ffmpeg, espeak-ng): on a
    # shared machine the wall clock says more about the neighbours than about the bench.
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    record["cpu_seconds"] = round(sum(usage.ru_utime + usage.ru_stime for usage in used))
    output.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return float(record["seconds"])


if __name__ == "__main__":
    sys.exit(main())
