"""The stages top to bottom: plan() for `script` (no synthesis), build() for the MP3.

build() never leaves a partial file: audio is assembled in a private temporary folder, encoded and
tagged there, and moved over the output in one rename.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from readaloud import audio, timeline
from readaloud.config import Settings
from readaloud.engines import registry
from readaloud.engines.base import Engine
from readaloud.engines.runner import RetryPolicy, Stats, synthesize_in_order
from readaloud.errors import InputError, SynthesisError
from readaloud.model import Article, Audio, BuildResult, Script
from readaloud.normalize import normalize
from readaloud.reader import read_article
from readaloud.segment import make_script

Warn = Callable[[str], None]


def plan(article: Article, settings: Settings) -> Script:
    """What will be spoken, chunked for the engine(s) the settings may use."""
    speak = partial(normalize, dialect=settings.reading.dialect)
    return make_script(article, registry.max_chars(settings.engine.name), settings.pauses, speak)


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


def render(script: Script, engine: Engine, work_dir: Path, policy: RetryPolicy,
           sleep: Callable[[float], None] | None = None) -> Rendered:
    """Synthesise every chunk and write clips and pauses to one raw PCM file, in order, as they arrive:
    the article's audio is never held in memory whole."""
    speakable = [chunk for chunk in script.chunks if chunk.spoken.strip()]
    extra = {"sleep": sleep} if sleep is not None else {}
    clips = synthesize_in_order(engine, [chunk.spoken for chunk in speakable], policy, stats=Stats(), **extra)
    to_speak = {chunk.index for chunk in speakable}
    pcm_path = work_dir / "article.pcm"
    rate: int | None = None
    lengths: list[int] = []
    with pcm_path.open("wb") as sink:
        for chunk in script.chunks:
            clip: Audio | None = audio.trim(next(clips)) if chunk.index in to_speak else None
            if clip is not None:
                if rate is None:
                    rate = clip.sample_rate
                elif clip.sample_rate != rate:
                    raise SynthesisError(f"{engine.name} changed sample rate mid-article")
                sink.write(clip.pcm)
            lengths.append(clip.samples if clip else 0)
            if rate is not None:
                sink.write(bytes(2 * timeline.pause_samples(chunk.pause_after_ms, rate)))
    if rate is None:
        raise InputError(f"{script.article.source}: nothing to speak after normalisation")
    return Rendered(pcm_path, rate, tuple(lengths), engine.identity())


def _render_with_fallback(script: Script, settings: Settings, work_dir: Path, warn: Warn,
                          sleep: Callable[[float], None] | None) -> Rendered:
    names = registry.candidates(settings.engine.name)
    for position, name in enumerate(names):
        try:
            engine = registry.create(name, settings)
            rendered = render(script, engine, work_dir, retry_policy(settings), sleep)
            return replace(rendered, fallback=position > 0)
        except SynthesisError as exc:
            if position + 1 == len(names):
                raise SynthesisError(f"{name}: {exc}") from None
            warn(f"{name} failed ({exc}); the whole article is spoken by {names[position + 1]} instead")
    raise AssertionError("unreachable")  # pragma: no cover


def default_output(article_path: str) -> Path:
    if article_path == "-":
        raise InputError("reading from stdin needs an output path: use -o FILE.mp3")
    return Path(article_path).with_suffix(".mp3")


def build(article_path: str, output: Path | None, settings: Settings, warn: Warn = lambda _: None,
          sleep: Callable[[float], None] | None = None) -> BuildResult:
    """Read, plan, synthesise, assemble, encode and tag one article; replace `output` atomically."""
    article = read_article(article_path)
    output = output or default_output(article_path)
    if output.is_dir():
        raise InputError(f"{output}: is a directory; give a file name ending in .mp3")
    script = plan(article, settings)
    warnings: list[str] = []

    def record(message: str) -> None:
        warnings.append(message)
        warn(message)

    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="readaloud-") as scratch:
        rendered = _render_with_fallback(script, settings, Path(scratch), record, sleep)
        spans, total = timeline.layout(rendered.clip_samples, [c.pause_after_ms for c in script.chunks],
                                       rendered.sample_rate)
        chapters = timeline.chapters(script.chunks, spans, script.section_titles, total, rendered.sample_rate)
        # The temporary MP3 lives beside the output so the final rename never crosses file systems;
        # ffmpeg creates it, so it gets the usual permissions (mkstemp's 0600 would hide it from a web server).
        temp = output.parent / f".{output.name}.{secrets.token_hex(6)}.tmp"
        try:
            audio.encode_mp3(rendered.pcm_path, rendered.sample_rate, temp, settings.mp3.bitrate_kbps,
                             settings.mp3.sample_rate)
            from readaloud.tags import write_tags

            write_tags(temp, article, chapters, rendered.engine)
            os.replace(temp, output)
        finally:
            temp.unlink(missing_ok=True)
    return BuildResult(output=str(output), duration_s=total / rendered.sample_rate, chunks=len(script.chunks),
                       engine=rendered.engine, chapters=chapters, fallback=rendered.fallback,
                       warnings=tuple(warnings))
