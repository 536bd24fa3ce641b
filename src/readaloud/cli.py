"""The command line: the only place that prints, exits or reads the environment.

Exit codes: 0 built, 1 failed, 2 usage or configuration error, 3 built but with the fallback engine.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from readaloud.errors import ReadaloudError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_FALLBACK = 0, 1, 2, 3
ENGINE_CHOICES = ("auto", "espeak", "gtts")


class ReportedError(click.ClickException):
    """A ReadaloudError shown as one line on stderr, with its own exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"readaloud: error: {self.message}", err=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except ReadaloudError as exc:
            raise ReportedError(str(exc), exc.exit_code) from None


def _settings(ctx: click.Context, engine: str | None = None, voice: str | None = None,
              rate: int | None = None, dialect: str | None = None):
    from dataclasses import replace

    from readaloud import config

    settings = config.load(ctx.obj.get("config_path"))
    if engine:
        settings = settings.with_engine(engine)
    if voice or rate:
        settings = replace(settings, engine=replace(settings.engine, voice=voice or settings.engine.voice,
                                                    rate=rate or settings.engine.rate))
    if dialect:
        settings = replace(settings, reading=replace(settings.reading, dialect=dialect))
    return settings


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="READALOUD_CONFIG", help="Settings file (TOML). Default: none; built-in defaults apply.")
@click.version_option(package_name="readaloud")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Turn Vietnamese news articles into listenable, tagged MP3 audio.

    \b
    Typical use:
      readaloud script bai-viet.txt            # what exactly will be spoken
      readaloud build bai-viet.txt -o bai.mp3  # make the MP3 (online voice, offline fallback)
      readaloud build bai-viet.md --engine espeak --json

    Articles are .txt (first line = title, ALL-CAPS lines = headings), .md (with optional YAML front
    matter: title, author, date, url, publication, image) or "-" for plain text on stdin.
    """
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path


_engine_option = click.option(
    "--engine", type=click.Choice(ENGINE_CHOICES), default=None,
    help="auto (default): Google's voice via gTTS, and espeak-ng for the whole article if Google cannot "
         "be used. espeak: offline espeak-ng. gtts: Google only; fail if unreachable.")
_voice_option = click.option("--voice", default=None,
                             help="espeak-ng voice: vi (Northern, default), vi-vn-x-central, vi-vn-x-south.")
_rate_option = click.option("--rate", type=click.IntRange(80, 450), default=None,
                            help="espeak-ng speaking rate in words per minute (80-450, default 165).")
_dialect_option = click.option("--dialect", type=click.Choice(("north", "south")), default=None,
                               help="How numbers are read: north (nghìn, linh) or south (ngàn, lẻ).")


def _emit_json(payload: dict) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@cli.command()
@click.argument("article")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None,
              help="MP3 to write (default: the article's name with .mp3). Replaced atomically: a failed "
                   "build leaves any earlier file untouched.")
@_engine_option
@_voice_option
@_rate_option
@_dialect_option
@click.option("--srt", is_flag=True, help="Also write SubRip captions (.srt) beside the MP3; WebVTT is always written.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout (for scripts).")
@click.pass_context
def build(ctx: click.Context, article: str, output: Path | None, engine: str | None, voice: str | None,
          rate: int | None, dialect: str | None, srt: bool, as_json: bool) -> None:
    """Build the MP3 for ARTICLE (a .txt or .md file, or - for stdin).

    \b
    Exit codes:
      0  built with the chosen engine
      1  failed (bad article, engine or ffmpeg failure); no output written
      2  usage or configuration error
      3  built, but by the fallback engine (espeak) because Google could not be used
    """
    from readaloud import pipeline

    def warn(message: str) -> None:
        click.echo(f"readaloud: warning: {message}", err=True)

    try:
        settings = _settings(ctx, engine, voice, rate, dialect)
        result = pipeline.build(article, output, settings, warn=warn, srt=srt)
    except ReadaloudError as exc:
        if as_json:
            _emit_json({"ok": False, "article": article, "error": str(exc)})
        raise
    if as_json:
        _emit_json({
            "ok": True,
            "article": article,
            "output": result.output,
            "duration_s": round(result.duration_s, 3),
            "chunks": result.chunks,
            "engine": result.engine,
            "fallback": result.fallback,
            "chapters": [{"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in result.chapters],
            "captions": list(result.captions),
            "loudness_lufs": result.loudness_lufs,
            "true_peak_dbtp": result.true_peak_dbtp,
            "warnings": list(result.warnings),
        })
    else:
        minutes, seconds = divmod(round(result.duration_s), 60)
        click.echo(f"{result.output}: {minutes}:{seconds:02d}, {result.chunks} chunks, "
                   f"{len(result.chapters)} chapters, spoken by {result.engine}")
    if result.fallback:
        ctx.exit(EXIT_FALLBACK)


@cli.command()
@click.argument("article")
@_engine_option
@_dialect_option
@click.option("--json", "as_json", is_flag=True,
              help="Each chunk as JSON: section, role, display text, spoken text, pause after (ms).")
@click.pass_context
def script(ctx: click.Context, article: str, engine: str | None, dialect: str | None, as_json: bool) -> None:
    """Print exactly what will be spoken for ARTICLE, one chunk per line, without synthesis.

    Chunks are cut to the limit of the engine that may speak them (100 characters for gTTS, which
    `auto` may use), so the lines are the requests the engine will receive.
    """
    from readaloud import pipeline
    from readaloud.reader import read_article

    settings = _settings(ctx, engine, dialect=dialect)
    plan = pipeline.plan(read_article(article), settings)
    if as_json:
        _emit_json({
            "article": article,
            "title": plan.article.title,
            "sections": list(plan.section_titles),
            "chunks": [{"index": c.index, "section": c.section, "role": c.role, "display": c.display,
                        "spoken": c.spoken, "pause_after_ms": c.pause_after_ms} for c in plan.chunks],
        })
        return
    for chunk in plan.chunks:
        click.echo(chunk.spoken)


@cli.command()
@click.argument("mp3", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Everything as JSON on stdout.")
def inspect(mp3: Path, as_json: bool) -> None:
    """Show what a player sees in MP3: duration, bitrate, loudness, tags, chapters, and which engine
    spoke it from which source and settings."""
    import dataclasses

    from readaloud.inspection import inspect_mp3

    found = inspect_mp3(mp3)
    if as_json:
        _emit_json(dataclasses.asdict(found))
        return
    minutes, seconds = divmod(found.duration_s, 60)
    lines = [
        f"file:        {found.path}",
        f"duration:    {int(minutes)}:{seconds:06.3f}",
        f"audio:       {found.bitrate_kbps} kbit/s {found.bitrate_mode}, {found.sample_rate} Hz, "
        f"{'mono' if found.channels == 1 else f'{found.channels} channels'}",
        f"loudness:    {found.loudness_lufs:.1f} LUFS integrated, true peak {found.true_peak_dbtp:.1f} dBTP",
        f"tags:        ID3v{found.id3_version}",
    ]
    for label, value in (("title", found.title), ("author", found.author), ("publication", found.publication),
                         ("date", found.date), ("language", found.language), ("genre", found.genre),
                         ("url", found.url), ("cover", found.cover), ("engine", found.engine),
                         ("source", found.source_sha256), ("settings", found.settings), ("rules", found.rules),
                         ("readaloud", found.readaloud_version)):
        if value:
            lines.append(f"  {label + ':':12} {value}")
    if found.summary:
        lines.append(f"  {'summary:':12} {found.summary[:100]}{'…' if len(found.summary) > 100 else ''}")
    lines.append(f"  {'text:':12} {found.transcript_chars} characters")
    lines.append(f"chapters:    {len(found.chapters)}")
    for number, chapter in enumerate(found.chapters, start=1):
        lines.append(f"  {number:2d}. {chapter.start_ms / 1000:8.2f} s  {chapter.title}")
    click.echo("\n".join(lines))


def main() -> None:
    cli(prog_name="readaloud")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
