"""The stages top to bottom: plan() for `script` (no synthesis), build() for the MP3.

build() never leaves a partial file: audio is assembled in a private temporary folder, encoded and
tagged there, and moved over the output in one rename.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import math
import os
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from readaloud import audio, budget, captions, config, outputs, timeline
from readaloud import sidecars as sidecar_files  # `sidecars` names produce()'s argument
from readaloud.budget import article_budget
from readaloud.cache import CacheCounts, CachedEngine, ClipCache
from readaloud.config import Settings
from readaloud.cover import load_cover
from readaloud.engines import registry
from readaloud.engines.base import Engine
from readaloud.engines.runner import RetryPolicy, Stats, synthesize_in_order
from readaloud.errors import InputError, SynthesisError
from readaloud.model import Article, Audio, BuildResult, Script, Span, Speech, TagInfo, Warn, ignore
from readaloud.prepared import Prepared
from readaloud.tags import write_tags
from readaloud.text import (
    PageRules,
    extract_story,
    find_definitions,
    lexicon,
    make_script,
    names_in_capitals,
    normalize,
    read_article,
    split_sentences,
)
from readaloud.version import RULES_VERSION

# Progress(stage, done, total): "speaking" once per chunk (done of total), then "encoding" (0 of 1, then
# 1 of 1). Called from the thread that runs the build; a fallback engine starts "speaking" again at 0.
Progress = Callable[[str, int, int], None]


def no_progress(_stage: str, _done: int, _total: int) -> None:
    return None


def page_rules(settings: Settings) -> PageRules:
    return PageRules(datelines=settings.publication.datelines, chrome=settings.publication.chrome,
                     read_captions=settings.reading.read_captions, read_dateline=settings.reading.read_dateline)


def plan_article(path: str, settings: Settings) -> Article:
    """The article as it will be read: the file read, and the page's non-story parts recognised."""
    return extract_story(read_article(path, settings.reading.max_article_bytes), page_rules(settings))


def plan(article: Article, settings: Settings, prepared: Prepared | None = None) -> Script:
    """What will be spoken, chunked for the engine(s) the settings may use; InputError past the
    settings' time budget for one article. `prepared` holds the lexicon already read, if it was."""
    with article_budget(article.source, settings.reading.max_article_seconds):
        return _plan(article, settings, prepared or Prepared(settings))


# The most single-word readings a Prepared keeps (the 2,378 articles of a news corpus hold 49,000 distinct
# words): past it they are forgotten and read again, so a long-lived process costs bounded memory.
_READINGS_KEPT = 50_000
_KEPT_LENGTH = 64  # longer words are not kept: a runaway token is read again rather than held


def _plan(article: Article, settings: Settings, prepared: Prepared) -> Script:
    article = extract_story(article, page_rules(settings))
    if settings.publication.name and not article.publication:
        article = replace(article, publication=settings.publication.name)
    words = prepared.words
    dialect = settings.reading.dialect
    readings = prepared.readings(words)

    def speak(text: str, definitions: Mapping[str, str]) -> str:
        if " " in text or len(text) > _KEPT_LENGTH:  # a sentence or a piece of one: rarely read twice
            return normalize(text, dialect, lexicon=words, definitions=definitions)
        # Only the definitions whose abbreviation the text holds can change its reading (apply_definitions),
        # so one word's reading is shared by the articles that define other things.
        key = (text, dialect, tuple(item for item in definitions.items() if item[0] in text))
        reading = readings.get(key)
        if reading is None:
            reading = normalize(text, dialect, lexicon=words, definitions=definitions)
            if len(readings) >= _READINGS_KEPT:
                readings.clear()
            readings[key] = reading
        return reading

    texts = [article.title, *(block.text for block in article.blocks)]
    return make_script(article, registry.max_chars(settings.engine), settings.pauses, speak,
                       define=find_definitions, read_byline=settings.reading.read_byline,
                       known=names_in_capitals(texts))


def retry_policy(settings: Settings) -> RetryPolicy:
    g = settings.gtts
    return RetryPolicy(attempts=max(1, g.attempts), backoff_s=g.backoff_s, max_backoff_s=g.max_backoff_s)


@dataclass(frozen=True)
class Rendered:
    """Assembled PCM on disk plus where each chunk landed."""

    pcm_path: Path
    sample_rate: int
    clip_samples: tuple[int, ...]
    engine: str
    fallback: bool = False
    counts: CacheCounts = field(default_factory=CacheCounts)
    intro_samples: int = 0  # the intro and the pause after it, before the first chunk
    total_samples: int = 0  # everything written, outro included
    raw_lufs: float | None = None  # the PCM's integrated loudness, when measured as it was written
    # Per chunk, where the engine said each spoken word began: (character offset, sample in the trimmed clip).
    words: tuple[tuple[tuple[int, int], ...], ...] = ()


def _speak_all(engine: Engine, texts: list[str], policy: RetryPolicy,
               sleep: Callable[[float], None] | None, most: int | None = None) -> Generator[Speech, None, None]:
    # The runner's own sleep unless one is given (tests pass a clock that does not wait).
    return synthesize_in_order(engine, texts, policy, stats=Stats(), sleep=sleep or time.sleep,
                               unreachable=registry.unreachable(engine.name), most=most)


def _trimmed(speech: Speech) -> tuple[Audio, tuple[tuple[int, int], ...]]:
    """The clip without its leading and trailing silence, and its word times moved with the trimmed start
    (a word in the cut silence lands at or before 0)."""
    start, end = audio.trim_bounds(speech.audio)
    clip = Audio(speech.audio.pcm[start * 2 : end * 2], speech.audio.sample_rate)
    return clip, tuple((at, sample - start) for at, sample in speech.words)


class _PcmFile:
    """The article's PCM as it is written: samples so far, the rate (known from the first clip), the meter."""

    def __init__(self, sink: BinaryIO, stack: contextlib.ExitStack, meter: bool):
        self.sink = sink
        self.stack = stack
        self.meter = meter
        self.rate: int | None = None
        self.written = 0
        self.running: audio.RunningMeter | None = None

    def write(self, pcm: bytes) -> None:
        self.sink.write(pcm)
        if self.running is not None:
            self.running.feed(pcm)
        self.written += len(pcm) // 2

    def silence(self, ms: int) -> None:
        assert self.rate is not None
        self.write(bytes(2 * timeline.pause_samples(ms, self.rate)))

    def start(self, rate: int, intro: Path | None, jingle_gap_ms: int, pending_ms: int) -> int:
        """The engine's rate is known only with its first clip: the meter starts and the intro is decoded to
        it, then the pauses of chunks with nothing to say are written. Returns the intro's samples."""
        self.rate = rate
        if self.meter:
            self.running = self.stack.enter_context(audio.RunningMeter(rate))
        intro_samples = 0
        if intro is not None:
            self.write(audio.decode_file(intro, rate).pcm)
            self.silence(jingle_gap_ms)
            intro_samples = self.written
        self.silence(pending_ms)
        return intro_samples


def render(script: Script, engine: Engine, work_dir: Path, policy: RetryPolicy,
           sleep: Callable[[float], None] | None = None, intro: Path | None = None, outro: Path | None = None,
           jingle_gap_ms: int = 0, meter: bool = False, progress: Progress = no_progress,
           most: int | None = None) -> Rendered:
    """Synthesise every chunk and write intro, clips, pauses and outro to one raw PCM file, in order, as the
    clips arrive: the article's audio is never held in memory whole. With `meter`, the PCM's loudness is
    measured on the way (Rendered.raw_lufs). `most`: at most this many chunks synthesised at once."""
    speakable = [chunk for chunk in script.chunks if chunk.spoken.strip()]
    to_speak = {chunk.index for chunk in speakable}
    pcm_path = work_dir / "article.pcm"
    intro_samples = 0
    pending_ms = 0  # pauses of unspeakable chunks before the first clip, written once the rate is known
    lengths: list[int] = []
    word_times: list[tuple[tuple[int, int], ...]] = []
    with pcm_path.open("wb") as sink, contextlib.ExitStack() as stack:
        # Closed here, on this thread, whatever happens: left to the garbage collector, the generator's
        # cleanup (joining its worker threads) could run on one of those threads and fail.
        clips = stack.enter_context(contextlib.closing(
            _speak_all(engine, [chunk.spoken for chunk in speakable], policy, sleep, most)))
        pcm = _PcmFile(sink, stack, meter)
        spoken = 0
        progress("speaking", 0, len(speakable))
        for chunk in script.chunks:
            budget.check()
            clip, times = _trimmed(next(clips)) if chunk.index in to_speak else (None, ())
            word_times.append(times)
            if clip is not None:
                if pcm.rate is None:
                    intro_samples = pcm.start(clip.sample_rate, intro, jingle_gap_ms, pending_ms)
                elif clip.sample_rate != pcm.rate:
                    raise SynthesisError(f"{engine.name} changed sample rate mid-article")
                pcm.write(clip.pcm)
                spoken += 1
                progress("speaking", spoken, len(speakable))
            lengths.append(clip.samples if clip else 0)
            if pcm.rate is None:
                pending_ms += chunk.pause_after_ms
            else:
                pcm.silence(chunk.pause_after_ms)
        if pcm.rate is None:
            raise InputError(f"{script.article.source}: nothing to speak after normalisation")
        if outro is not None:
            pcm.silence(jingle_gap_ms)
            pcm.write(audio.decode_file(outro, pcm.rate).pcm)
        raw_lufs = pcm.running.finish() if pcm.running is not None else None
    return Rendered(pcm_path, pcm.rate, tuple(lengths), engine.identity(), words=tuple(word_times),
                    intro_samples=intro_samples,
                    total_samples=pcm.written, raw_lufs=raw_lufs)


def _render_with_fallback(script: Script, prepared: Prepared, cache: ClipCache | None, work_dir: Path, warn: Warn,
                          sleep: Callable[[float], None] | None,
                          loudness_known: Callable[[str], bool] = lambda identity: True,
                          progress: Progress = no_progress, cores: int = 2,
                          engines: tuple[str, ...] | None = None) -> Rendered:
    """render() with the first engine of `engines` (default: the settings') that can speak the article. The
    loudness is metered on the way unless loudness is off or `loudness_known(engine identity)` says it need
    not be (by default it need not). On one core (`cores`), a local engine speaks one chunk at a time and the
    loudness is measured afterwards, not beside."""
    settings = prepared.settings
    names = engines or registry.candidates(settings.engine)
    for position, name in enumerate(names):
        counts = CacheCounts()
        try:
            engine = registry.with_policy(prepared.engine(name), settings)
            engine = CachedEngine(engine, cache, counts)
            extras = settings.audio
            rendered = render(script, engine, work_dir, retry_policy(settings), sleep,
                              intro=Path(extras.intro) if extras.intro else None,
                              outro=Path(extras.outro) if extras.outro else None,
                              jingle_gap_ms=settings.pauses.paragraph,
                              meter=(settings.loudness.enabled and cores > 1
                                     and not loudness_known(engine.identity())),
                              progress=progress,
                              # A network engine waits on the service, not on a core: its requests in
                              # flight stay as its settings say.
                              most=None if registry.spec(name).needs_network else cores)
            return replace(rendered, fallback=position > 0, counts=counts)
        except SynthesisError as exc:
            if position + 1 == len(names):
                raise type(exc)(f"{name}: {exc}") from None  # the same kind: a misconfigured engine exits 2
            # Never half and half: the fallback speaks all of what was asked for (article, section or line).
            warn(f"{name} failed ({exc}); {names[position + 1]} is asked for all of it instead")
    raise AssertionError("unreachable")  # pragma: no cover


def default_output(article_path: str) -> Path:
    if article_path == "-":
        raise InputError("reading from stdin needs an output path: use -o FILE.mp3")
    return Path(article_path).with_suffix(".mp3")


def article_text(article: Article) -> str:
    """Everything the article says, as written: what a lexicon word is looked for in."""
    return "\n".join([article.title, *(block.text for block in article.blocks), article.author or ""])


def lexicon_digest(article: Article, words: Mapping[str, str]) -> str:
    """The digest of the lexicon entries `article` uses (`words`: the lexicon, read once by Prepared)."""
    return lexicon.relevant_digest(dict(words), article_text(article))


def _lead(script: Script) -> str:
    """The body's first sentence as written: taken from the article, not from the chunks, so the tag does
    not depend on the engine's request size (a Google-sized chunk is a clause of it)."""
    first = next((block.text for block in script.article.blocks if block.kind == "paragraph"), "")
    sentences = split_sentences(first)
    return sentences[0] if sentences else ""


def _transcript(script: Script) -> str:
    """The display text as a reader would see it: title, then each heading and paragraph."""
    article = script.article
    parts = [article.title, *(block.text for block in article.blocks)]
    return "\n\n".join(parts)


@functools.cache
def _sweep_work_folders_once() -> None:
    """TMPDIR is the same for every article a process builds (a sync of thousands): scanned once. What a
    build killed later leaves is for the next process; a build killed earlier left it before we started."""
    outputs.remove_stale_work_folders()


class _Staged:
    """Temporary files in a private staging folder beside their final names (outputs.Staging), moved into
    place together only when all are complete. The folder is locked while this build lives, so a later
    build can tell one left by a build that was killed outright and remove it."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []
        self.staging: outputs.Staging | None = None

    def temp_for(self, final: Path) -> Path:
        # Beside the output so the rename never crosses file systems; every output shares one folder.
        if self.staging is None:
            self.staging = outputs.Staging(final.parent)
        temp = self.staging.file_for(final.suffix)
        self.pending.append((temp, final))
        return temp

    def commit(self) -> None:
        # Checked again, all before any is moved: something may have appeared at a target during the build.
        outputs.check_targets(final for _, final in self.pending)
        if self.staging is not None:
            # Sidecars first: an MP3 never appears without its captions.
            for temp, final in sorted(self.pending, key=lambda pair: pair[1].suffix == ".mp3"):
                self.staging.move(temp, final)
        self.pending.clear()

    def discard(self) -> None:
        self.pending.clear()
        if self.staging is not None:
            self.staging.remove()
            self.staging = None


def build(article_path: str, output: Path | None, settings: Settings, warn: Warn = ignore,
          sleep: Callable[[float], None] | None = None, srt: bool = False,
          progress: Progress = no_progress, prepared: Prepared | None = None,
          cores: int | None = None, engines: tuple[str, ...] | None = None) -> BuildResult:
    """Read, plan, synthesise, assemble, master, encode and tag one article, with caption and chapters
    sidecars; replace `output` (and its sidecars) atomically. Past the settings' time budget for one article
    it fails (InputError) and writes nothing. `prepared`: the lexicon, cache and engines of a Builder;
    `cores`: how many the encode may use at once (default: all this process may run on); `engines`: the
    engines to try, in order (default: the settings'; sync's upgrade stops at the one that spoke before)."""
    with article_budget(article_path, settings.reading.max_article_seconds):
        article = read_article(article_path, settings.reading.max_article_bytes)
        return build_article(article, output or default_output(article_path), settings, warn, sleep, srt,
                             progress, prepared, cores, engines)


def build_article(article: Article, output: Path, settings: Settings, warn: Warn = ignore,
                  sleep: Callable[[float], None] | None = None, srt: bool = False,
                  progress: Progress = no_progress, prepared: Prepared | None = None,
                  cores: int | None = None, engines: tuple[str, ...] | None = None) -> BuildResult:
    """build() of an article already read (sent over HTTP, say): the same steps and guarantees."""
    prepared = prepared or Prepared(settings)
    with article_budget(article.source, settings.reading.max_article_seconds):
        return produce(plan(article, settings, prepared), output, settings, warn, sleep,
                       sidecars=("vtt", "srt", "chapters") if srt else ("vtt", "chapters"), progress=progress,
                       prepared=prepared, cores=cores, engines=engines)


def select(script: Script, chunks: tuple[int, int] | None = None, section: int | None = None) -> Script:
    """Part of a script for a preview: chunks first..last (inclusive, as numbered by `script`) and/or one
    section (0 = title and lead). The last selected chunk ends without a pause."""
    picked = [c for c in script.chunks
              if (chunks is None or chunks[0] <= c.index <= chunks[1]) and (section is None or c.section == section)]
    if not picked:
        wanted = f"chunks {chunks[0]}-{chunks[1]}" if chunks else f"section {section}"
        raise InputError(f"{script.article.source}: no {wanted} (the article has {len(script.chunks)} chunks, "
                         f"numbered 0-{len(script.chunks) - 1}, in {len(script.section_titles)} sections)")
    picked[-1] = replace(picked[-1], pause_after_ms=0)
    return replace(script, chunks=tuple(picked))


def produce(script: Script, output: Path, settings: Settings, warn: Warn = ignore,
            sleep: Callable[[float], None] | None = None, sidecars: tuple[str, ...] = ("vtt", "chapters"),
            progress: Progress = no_progress, prepared: Prepared | None = None,
            cores: int | None = None, engines: tuple[str, ...] | None = None) -> BuildResult:
    """Synthesise, assemble, master, encode and tag `script` into `output`, with the `sidecars` ("vtt",
    "srt", "chapters": see sidecars.py); every file replaced atomically, together. The MP3 is encoded in up
    to `cores` sections side by side (default: every core this process may run on)."""
    prepared = prepared or Prepared(settings)
    # Every file this build would replace, checked before anything is written or synthesised.
    finals = {kind: sidecar_files.path_for(output, kind) for kind in sidecars}
    outputs.check_targets([output, *finals.values()])
    warnings: list[str] = []

    def record(message: str) -> None:
        warnings.append(message)
        warn(message)

    cover = load_cover(script.article, record)
    output.parent.mkdir(parents=True, exist_ok=True)
    # What builds killed outright (kill -9, the OOM killer) left here and in TMPDIR.
    outputs.remove_stale_temps(output.parent)
    _sweep_work_folders_once()
    staged = _Staged()
    workers = cores or available_cores()
    try:
        with outputs.work_folder() as scratch:
            cache = prepared.cache_for_build(record)
            curves = _Curves(script, prepared.settings, cache)
            # A limiter curve kept from an earlier build of the same clips makes measuring needless.
            rendered = _render_with_fallback(script, prepared, cache, scratch, record, sleep,
                                             loudness_known=lambda identity: bool(curves.of(identity)),
                                             progress=progress, cores=workers, engines=engines)
            progress("encoding", 0, 1)
            rate = rendered.sample_rate
            spans, _ = timeline.layout(rendered.clip_samples, [c.pause_after_ms for c in script.chunks], rate,
                                       start=rendered.intro_samples)
            # Speed changes every time after the encoder's atempo; times are scaled in samples, once.
            tempo = settings.audio.tempo
            unstretched = spans
            spans, total = timeline.stretch(spans, rendered.total_samples, tempo)
            chapters = timeline.chapters(script.chunks, spans, script.section_titles, total, rate)
            mp3 = staged.temp_for(output)
            metered = _encode(rendered, mp3, settings, curves, _quiet(unstretched), workers)
        progress("encoding", 1, 1)
        _check_mastering(metered, settings, record)
        write_tags(mp3, TagInfo(
            article=script.article, chapters=chapters, engine=rendered.engine,
            settings_fingerprint=config.fingerprint(settings), rules_version=RULES_VERSION,
            lexicon_digest=lexicon_digest(script.article, prepared.words),
            summary=_lead(script), transcript=_transcript(script), cover=cover))
        cues = captions.cues(script.chunks, spans, rate, script.section_titles, rendered.words, tempo, total)
        for kind, final in finals.items():
            text = sidecar_files.text_of(kind, cues, chapters, script.article)
            staged.temp_for(final).write_text(text, encoding="utf-8")
        staged.commit()
    finally:
        staged.discard()
    return BuildResult(
        output=str(output), duration_s=total / rate, chunks=len(script.chunks), engine=rendered.engine,
        chapters=chapters, fallback=rendered.fallback, warnings=tuple(warnings),
        captions=tuple(str(path) for kind, path in finals.items() if kind in sidecar_files.CAPTIONS),
        chapters_file=str(finals["chapters"]) if "chapters" in finals else None,
        synthesized=rendered.counts.synthesized, cached=rendered.counts.cached,
        loudness_lufs=None if metered is None else metered.integrated_lufs,
        true_peak_dbtp=None if metered is None else metered.true_peak_dbtp)


class _Curves:
    """The limiter curves kept in the clip cache for this script, by engine identity, each read once."""

    def __init__(self, script: Script, settings: Settings, cache: ClipCache | None):
        self.script = script
        self.settings = settings
        self.cache = cache
        self.kept: dict[str, dict[float, audio.LimiterCurve]] = {}

    def key(self, identity: str) -> str:
        return _curve_key(self.script, identity, self.settings)

    def of(self, identity: str) -> dict[float, audio.LimiterCurve]:
        if identity not in self.kept:
            self.kept[identity] = _load_curves(self.cache, self.key(identity),
                                               audio.first_ceiling(self.settings.loudness.true_peak_db))
        return self.kept[identity]

    def save(self, identity: str, curves: dict[float, audio.LimiterCurve]) -> None:
        if self.cache is not None:
            self.cache.save_json("curves", self.key(identity),
                                 {str(c): dataclasses.asdict(v) for c, v in curves.items()})


def available_cores() -> int:
    """The cores this process may use: those its CPU affinity allows, fewer under a cgroup CPU quota (a
    container started with --cpus), and never more than MAX_CORES (each core runs two ffmpegs at once)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text(encoding="ascii").split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return min(cores, MAX_CORES)


MAX_CORES = 8


def _quiet(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """The pauses between clips, in PCM samples: nothing but zeros is written there, so the encode may be
    cut in them."""
    return [(before.end, after.start) for before, after in itertools.pairwise(spans) if after.start > before.end]


def _encode(rendered: Rendered, mp3: Path, settings: Settings, kept: _Curves, quiet: Sequence[tuple[int, int]],
            workers: int) -> audio.Loudness | None:
    """The PCM mastered to the loudness target (keeping any new limiter curve) and encoded to `mp3`, or
    only encoded when loudness is off (None)."""
    loud, tempo = settings.loudness, settings.audio.tempo
    if not loud.enabled:
        audio.encode_mp3(rendered.pcm_path, rendered.sample_rate, mp3, settings.mp3.bitrate_kbps,
                         settings.mp3.sample_rate, tempo=tempo, quality=settings.mp3.quality)
        return None
    curves = kept.of(rendered.engine)
    known = dict(curves)
    metered = audio.master_mp3(rendered.pcm_path, rendered.sample_rate, mp3, settings.mp3.bitrate_kbps,
                               settings.mp3.sample_rate, loud.target_lufs, loud.true_peak_db, tempo=tempo,
                               curves=curves, raw_lufs=rendered.raw_lufs, quiet=quiet, workers=workers,
                               quality=settings.mp3.quality)
    if curves != known:
        kept.save(rendered.engine, curves)
    return metered


def _check_mastering(metered: audio.Loudness | None, settings: Settings, warn: Warn) -> None:
    loud = settings.loudness
    if metered is not None and audio.missed(metered, loud.target_lufs, loud.true_peak_db):
        warn(f"mastering missed its target: {metered.integrated_lufs:.1f} LUFS, true peak "
             f"{metered.true_peak_dbtp:.1f} dBTP (wanted {loud.target_lufs:.1f} LUFS, at most "
             f"{loud.true_peak_db:.1f} dBTP)")


def _curve_key(script: Script, engine_identity: str, settings: Settings) -> str:
    """What an article's limiter curve depends on: the clips (engine and spoken texts) and the jingles.
    Not the pauses: loudness gating ignores silence."""
    import hashlib

    parts = [engine_identity, *(c.spoken for c in script.chunks if c.spoken.strip())]
    for jingle in (settings.audio.intro, settings.audio.outro):
        if jingle:
            stat = Path(jingle).stat()
            parts.append(f"{jingle}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def _load_curves(cache: ClipCache | None, key: str, start_ceiling: float) -> dict[float, audio.LimiterCurve]:
    """The limiter curves kept for `key`, or none when the record is not one master_mp3 could have written
    (it starts at `start_ceiling` and lowers it a few dB at most): such a record is measured again."""
    data = cache.load_json("curves", key) if cache is not None else None
    curves: dict[float, audio.LimiterCurve] = {}
    for ceiling, value in (data or {}).items():
        try:
            curve = audio.LimiterCurve(float(value["raw_lufs"]), float(value["ceiling_db"]),
                                       tuple((float(g), float(v)) for g, v in value["points"]))
            filed_at = float(ceiling)
        except (KeyError, TypeError, ValueError):
            return {}  # a damaged record is measured again
        if filed_at != curve.ceiling_db or not _plausible_curve(curve, start_ceiling):
            return {}
        curves[curve.ceiling_db] = curve
    return curves


def _plausible_curve(curve: audio.LimiterCurve, start_ceiling: float) -> bool:
    # ffmpeg's alimiter refuses a limit under 0.0625 (-24.1 dBFS): a lower ceiling would fail every encode.
    lowest = max(-24.0, start_ceiling - 12.0)
    numbers = [curve.raw_lufs, curve.ceiling_db, *(x for point in curve.points for x in point)]
    return (all(math.isfinite(x) for x in numbers) and lowest <= curve.ceiling_db <= 0.0 and len(curve.points) == 2
            and all(-100.0 <= x <= 3.0 for x in (curve.raw_lufs, *(lufs for _, lufs in curve.points)))
            and all(-100.0 <= gain <= 100.0 for gain, _ in curve.points))


# espeak-ng's rate is in "words" a minute, but a Vietnamese syllable is short: at rate 165 its voices spoke
# 233-237 syllables a minute on the five samples (measured from the built files, pauses taken out).
SYLLABLES_PER_RATE_UNIT = 1.43


def estimated_seconds(script: Script, settings: Settings) -> float:
    """How long the article will play: its syllables at the espeak-ng rate (Google's voice, which has no
    rate setting, is taken to speak as fast as espeak-ng's default: no measurement of it is possible
    offline) plus every pause, at the configured tempo."""
    syllables = sum(len(chunk.spoken.split()) for chunk in script.chunks)
    pauses = sum(chunk.pause_after_ms for chunk in script.chunks) / 1000
    rate = registry.speaking_rate(settings)
    per_minute = SYLLABLES_PER_RATE_UNIT * rate
    return (syllables * 60 / per_minute + pauses) / settings.audio.tempo


def cached_by(script: Script, settings: Settings, prepared: Prepared | None = None) -> dict[int, str]:
    """For each chunk already in the clip cache, the engine whose clip it is (preferred engine first)."""
    prepared = prepared or Prepared(settings)
    cache = prepared.cache
    if cache is None:
        return {}
    found: dict[int, str] = {}
    for name in registry.candidates(settings.engine):
        try:
            identity = prepared.engine(name).identity()
        except SynthesisError:  # the engine cannot be loaded here: nothing of it can be cached either
            continue
        for chunk in script.chunks:
            if chunk.index not in found and chunk.spoken.strip() and cache.contains(identity, chunk.spoken):
                found[chunk.index] = name
    return found
