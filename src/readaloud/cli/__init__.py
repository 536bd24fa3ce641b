"""The command line: the only place that prints, exits or reads the environment.

Exit codes: 0 built, 1 failed, 2 usage or configuration error, 3 built but with the fallback engine,
4 sync already running, 130/143 stopped by SIGINT/SIGTERM, 141 the reader of stdout went away.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from readaloud.cli import console
from readaloud.cli.audit import audit
from readaloud.cli.cache import cache
from readaloud.cli.console import BuildProgress as _BuildProgress
from readaloud.cli.console import emit_json as _emit_json
from readaloud.cli.console import one_line
from readaloud.cli.console import say as _say
from readaloud.cli.console import shows_progress as _shows_progress
from readaloud.cli.engines import engines
from readaloud.cli.feed import after_sync, check_before_sync, feed, feed_option
from readaloud.cli.lexicon import lexicon
from readaloud.cli.options import dialect_option as _dialect_option
from readaloud.cli.options import engine_option as _engine_option
from readaloud.cli.options import quiet_option as _quiet_option
from readaloud.cli.options import rate_option as _rate_option
from readaloud.cli.options import resolve as _resolve
from readaloud.cli.options import settings as _settings
from readaloud.cli.options import voice_option as _voice_option
from readaloud.cli.player import MEDIA_URL_HELP, media_url_option, player, player_line
from readaloud.cli.service import serve, token, worker, workers_for
from readaloud.errors import ReadaloudError
from readaloud.reports import build_as_dict, failure_as_dict, script_as_dict, sync_as_dict

if TYPE_CHECKING:
    from readaloud.builder import Builder

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_FALLBACK = 0, 1, 2, 3


class ReportedError(click.ClickException):
    """A ReadaloudError shown as one line on stderr, with its own exit code."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file: Any = None) -> None:
        _say(f"readaloud: error: {self.message}", err=True)


def _failure(exc: BaseException) -> tuple[str, int]:
    """The one line (without the "readaloud: error: " prefix) and the exit code for what ended a command."""
    if isinstance(exc, ReadaloudError):
        return str(exc), exc.exit_code
    if isinstance(exc, Stopped):
        import signal

        return f"stopped by {signal.Signals(exc.signum).name}; nothing half-written was kept", 128 + exc.signum
    if isinstance(exc, OSError):  # a folder that cannot be written, a full disk, a file over a size limit
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", EXIT_FAILED
    # A bug or an exhausted machine (MemoryError): still one line, not a traceback in a cron log.
    detail = f": {exc}" if str(exc) else ""
    return f"internal error: {type(exc).__name__}{detail}", EXIT_FAILED


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        wants_json = "--json" in [*ctx.protected_args, *ctx.args]
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.Abort):
            raise
        except click.UsageError as exc:
            if wants_json:  # a script asked for JSON: a bad option is a failure like any other
                where = f"{exc.ctx.command_path}: " if exc.ctx else ""
                message = one_line(f"{where}{exc.format_message()}")
                _emit_json(failure_as_dict({}, message, exc.exit_code))
                raise ReportedError(message, exc.exit_code) from None
            exc.message = one_line(exc.message)  # a usage error may quote an argument: keep it on one line
            raise
        except click.ClickException as exc:
            exc.message = one_line(exc.message)
            raise
        except BrokenPipeError:
            # `readaloud script bai.txt | head`: the reader has what it wanted. End as a program killed by
            # SIGPIPE does (141), without an error line, and with nothing left for Python to flush.
            import os
            import signal

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise SystemExit(128 + signal.SIGPIPE) from None
        except Exception as exc:  # KeyboardInterrupt, SystemExit and Stopped pass: they are not Exceptions
            raise ReportedError(*_failure(exc)) from None


def _mp3_name(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """readaloud writes MP3 only: `-o out.wav` would silently give an MP3 under a misleading name."""
    if value is None:
        return value
    if value.is_dir():
        raise click.BadParameter(f"{value}: is a folder; give the MP3's file name, e.g. {value / 'bai.mp3'}")
    if value.suffix.lower() != ".mp3":
        raise click.BadParameter(f"{value}: readaloud writes MP3 only; give a name ending in .mp3")
    return value


class Stopped(BaseException):
    """SIGINT or SIGTERM: unwinds like KeyboardInterrupt, so every temporary file is removed on the way."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _builder(ctx: click.Context, engine: str | None = None, voice: str | None = None,
             rate: int | None = None, dialect: str | None = None) -> Builder:
    from readaloud.builder import Builder

    return Builder(_settings(ctx, engine, voice, rate, dialect))


def _warn(message: str) -> None:
    _say(f"readaloud: warning: {message}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              envvar="READALOUD_CONFIG",
              help="Settings file (TOML); the variable READALOUD_CONFIG does the same (give it an absolute "
                   "path). Default: ./readaloud.toml, else the user's readaloud.toml (see `readaloud config`). "
                   "READALOUD_<TABLE>_<KEY> variables and flags override it.")
@click.version_option(package_name="readaloud")
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Turn Vietnamese news articles into listenable, tagged MP3 audio.

    \b
    Typical use:
      readaloud script bai-viet.txt            # what exactly will be spoken
      readaloud build bai-viet.txt -o bai.mp3  # make the MP3 (online voice, offline fallback)
      readaloud build bai-viet.md --engine espeak --json
      readaloud build bai-viet.md --player     # and the listening player for the article page
      readaloud sync bai/ public/ --feed       # the archive, and its podcast feed (see feed --help)
      readaloud serve                          # the HTTP API for the CMS (see serve --help)

    Articles are .txt (first line = title, ALL-CAPS lines = headings), .md (with optional YAML front
    matter: title, author, date, url, publication, image), .html (a CMS article body or a whole page)
    or "-" for plain text on stdin.
    """
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path
    ctx.obj["config_from_env"] = ctx.get_parameter_source("config_path") == click.core.ParameterSource.ENVIRONMENT


def _emit_failure(about: dict[str, Any], exc: BaseException) -> None:
    """The JSON of a failed command: the same line and exit code the command is about to end with."""
    _emit_json(failure_as_dict(about, *_failure(exc)))


@cli.command()
@click.argument("article")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, callback=_mp3_name,
              help="MP3 to write (default: the article's name with .mp3). Replaced atomically: a failed "
                   "build leaves any earlier file untouched.")
@_engine_option
@_voice_option
@_rate_option
@_dialect_option
@click.option("--srt", is_flag=True, help="Also write SubRip captions (.srt) beside the MP3; WebVTT is always written.")
@click.option("--player", "with_player", is_flag=True,
              help="Also write the listening player beside the MP3 (NAME.player.html to paste into the "
                   "article page; see `readaloud player --help`).")
@click.option("--media-url", default="", metavar="URL", callback=media_url_option,
              help=f"With --player: {MEDIA_URL_HELP}")
@click.option("--json", "as_json", is_flag=True,
              help='Print the result as JSON on stdout (for scripts); a failure too, as {"ok": false, "error": '
                   '..., "exit_code": N} with the same line as on stderr.')
@_quiet_option
@click.pass_context
def build(ctx: click.Context, article: str, output: Path | None, engine: str | None, voice: str | None,
          rate: int | None, dialect: str | None, srt: bool, with_player: bool, media_url: str, as_json: bool,
          quiet: bool) -> None:
    """Build the MP3 for ARTICLE (a .txt, .md or .html file, or - for plain text on stdin), with a WebVTT
    caption file beside it.

    \b
    Exit codes:
      0  built with the chosen engine
      1  failed (bad article, engine or ffmpeg failure); no output written
      2  usage or configuration error
      3  built, but by a fallback engine (a later one of the [engine] chain, e.g. espeak-ng)
         because an earlier one (e.g. Google) could not be used
      130, 143  stopped by SIGINT or SIGTERM; nothing half-written kept
    """
    if media_url and not with_player:
        raise click.UsageError("--media-url is where the player's files are served: give it with --player")
    try:
        builder = _builder(ctx, engine, voice, rate, dialect)
        with _BuildProgress(article, _shows_progress(quiet, as_json)) as progress:
            result = builder.build(article, output, warn=_warn, srt=srt, progress=progress)
        player_files = _player_for(Path(result.output), media_url) if with_player else None
    except (Exception, Stopped) as exc:  # scripts parse stdout: whatever ends the build, it is JSON
        if as_json:
            _emit_failure({"article": article}, exc)
        raise
    if as_json:
        _emit_json({**build_as_dict(article, result), **({"player": player_files} if player_files else {})})
    else:
        _say(console.build_line(result))
        if player_files:
            _say(player_line(player_files))
    if result.fallback:
        ctx.exit(EXIT_FALLBACK)


def _player_for(mp3: Path, media_url: str) -> dict[str, str]:
    from readaloud.player import write_player

    return write_player(mp3, media_url).as_dict()


@cli.command()
@click.argument("article")
@_engine_option
@_dialect_option
@click.option("--json", "as_json", is_flag=True,
              help="Each chunk as JSON: section, role, display text, spoken text, pause after (ms); an "
                   "article that cannot be read as {\"ok\": false, \"error\": ..., \"exit_code\": N}.")
@click.pass_context
def script(ctx: click.Context, article: str, engine: str | None, dialect: str | None, as_json: bool) -> None:
    """Print exactly what will be spoken for ARTICLE, one chunk per line, without synthesis.

    Chunks are cut to the limit of the engine that may speak them (100 characters for gTTS, which
    `auto` may use), so the lines are the requests the engine will receive.
    """
    try:
        plan = _builder(ctx, engine, dialect=dialect).script(article)
    except Exception as exc:  # a script asked for JSON: a bad article is JSON too, as for build
        if as_json:
            _emit_failure({"article": article}, exc)
        raise
    if as_json:
        _emit_json(script_as_dict(article, plan))
        return
    for chunk in plan.chunks:
        _say(chunk.spoken)


@cli.command()
@click.argument("mp3", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Everything as JSON on stdout.")
@click.pass_context
def inspect(ctx: click.Context, mp3: Path, as_json: bool) -> None:
    """Show what a player sees in MP3: duration, bitrate, loudness, tags, chapters, and which engine
    spoke it from which source and settings."""
    import dataclasses

    from readaloud.audio import runner
    from readaloud.inspection import inspect_mp3

    runner.use(_resolve(ctx).settings.audio.ffmpeg)  # the loudness is measured by the ffmpeg the settings name
    found = inspect_mp3(mp3)
    if as_json:
        _emit_json(dataclasses.asdict(found))
        return
    click.echo("\n".join(one_line(line) for line in console.inspection_lines(found)))


def _chunk_range(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    first, _, last = text.partition("-")
    try:
        low, high = int(first), int(last or first)
    except ValueError:
        raise click.BadParameter(f"{text!r}: use a chunk number or a range like 3-7") from None
    if low < 0 or high < low:
        raise click.BadParameter(f"{text!r}: the range must go from a lower to a higher chunk number")
    return low, high


def _play(path: Path) -> None:
    from readaloud.cli import playback

    if not playback.play(path):
        _say(f"readaloud: no audio player found ({playback.PLAYER_NAMES}); open the file above", err=True)


@cli.command()
@click.argument("article")
@click.option("--chunks", "chunk_range", default=None, metavar="N|N-M",
              help="Render just these chunks (numbers as shown by preview) to an MP3.")
@click.option("--section", type=click.IntRange(0), default=None,
              help="Render just this section (0 = title and lead, 1 = the first heading, ...).")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, callback=_mp3_name,
              help="Where to write the preview MP3 (default: previews/preview-NAME.mp3 in the cache folder, "
                   "replaced by the next preview; its path is printed).")
@click.option("--play", is_flag=True,
              help="Play it with ffplay, mpv, aplay, afplay or mpg123, whichever is found first.")
@_engine_option
@_quiet_option
@click.pass_context
def preview(ctx: click.Context, article: str, chunk_range: str | None, section: int | None,
            output: Path | None, play: bool, engine: str | None, quiet: bool) -> None:
    """Show what ARTICLE will sound like before building it.

    Without --chunks/--section: the spoken script, numbered, with sections, marking each chunk
    [cached:ENGINE] (already in the clip cache for that engine: costs no request) or [new] (will be
    synthesised), and the estimated duration. With --chunks 3-7 or --section 2: render just that
    part to an MP3, quickly, and with --play listen to it.

    \b
    Examples:
      readaloud preview bai.txt
      readaloud preview bai.txt --section 2 --play
      readaloud preview bai.txt --chunks 3-7 -o thu.mp3
    """
    builder = _builder(ctx, engine)
    script = builder.script(article)
    chunks = _chunk_range(chunk_range)
    if chunks is None and section is None:
        for line in console.plan_lines(script, builder.cached_by(script), builder.first_engine,
                               builder.estimated_seconds(script)):
            _say(line)
        return
    part = builder.select(script, chunks, section)
    if output is None:
        output = builder.scratch_output(f"preview-{Path(article).stem if article != '-' else 'stdin'}.mp3")
    with _BuildProgress(article, _shows_progress(quiet)) as progress:
        result = builder.render(part, output, warn=_warn, progress=progress)
    _say(f"{result.output}: {result.duration_s:.1f} s, chunks {part.chunks[0].index}-{part.chunks[-1].index}, "
         f"{result.synthesized} synthesised, {result.cached} from cache, spoken by {result.engine}")
    if play:
        _play(output)
    if result.fallback:
        ctx.exit(EXIT_FALLBACK)


@cli.command()
@click.argument("text")
@click.option("-o", "--output", type=click.Path(path_type=Path), default=None, callback=_mp3_name,
              help="Where to write the audio (default: previews/say.mp3 in the cache folder; its path is printed).")
@click.option("--play", is_flag=True, help="Play it with the first player found.")
@_engine_option
@_dialect_option
@click.pass_context
def say(ctx: click.Context, text: str, output: Path | None, play: bool, engine: str | None,
        dialect: str | None) -> None:
    """Speak one line through the same reading rules and lexicon as articles; prints what is said.

    \b
    Example:
      readaloud say "Ngày 2/9/2025, UBND tỉnh họp lần thứ XI." --play
    """
    from readaloud.errors import InputError

    if not text.split():
        raise InputError("say: nothing to say")
    builder = _builder(ctx, engine, dialect=dialect)
    script = builder.line(text)
    _say(" ".join(chunk.spoken for chunk in script.chunks))
    if output is None:
        output = builder.scratch_output("say.mp3")
    result = builder.render(script, output, warn=_warn)
    _say(f"{result.output}: {result.duration_s:.1f} s, spoken by {result.engine}")
    if play:
        _play(output)
    if result.fallback:
        ctx.exit(EXIT_FALLBACK)


def _available_cores() -> int:
    from readaloud.pipeline import available_cores  # imported when sync runs, not for --help

    return available_cores()

@cli.command()
@click.argument("src_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--jobs", type=click.IntRange(1, 16), default=lambda: min(16, _available_cores()),
              show_default="every core", help="Cores to use (1-16): that many articles built at once, each on one "
              "core (a lone article gets them all). Each online engine's request-rate cap is shared by all of them.")
@click.option("--dry-run", is_flag=True,
              help="List what would be built and why; build, write, lock and ask no online voice anything (OUT_DIR "
                   "need not exist). Articles spoken by a fallback engine are listed as 'would try to upgrade'.")
@click.option("--json", "as_json", is_flag=True, help="The whole report as JSON on stdout, instead of the summary.")
@click.option("--queue", metavar="URL", help="Send the articles to build to the `readaloud worker`s on this Redis "
              "(redis://host:6379/0) and wait for them; paths must be the same on every machine. The "
              "workers' settings build (no --engine; --jobs does not apply).")
@feed_option
@_engine_option
@_quiet_option
@click.pass_context
def sync(ctx: click.Context, src_dir: Path, out_dir: Path, jobs: int, dry_run: bool, as_json: bool,
         queue: str | None, engine: str | None, quiet: bool, with_feed: bool) -> None:
    """Bring OUT_DIR up to date with the articles in SRC_DIR: build every MP3 that is missing or stale.

    The tree of SRC_DIR (.txt, .md, .markdown, .html, .htm; hidden files and folders skipped) is
    mirrored under OUT_DIR: SRC_DIR/thoi-su/bai 1.txt becomes OUT_DIR/thoi-su/bai 1.mp3 (and .vtt).
    An MP3 is rebuilt when it is missing or unreadable, the article changed, the settings that shape
    the audio changed, readaloud's reading rules changed, the lexicon entry of a word the article uses
    changed, or it was spoken by a fallback engine (espeak-ng) and an engine before it in the [engine]
    chain (Google) answers again. Only chunks
    whose spoken text changed reach the engine (the clip cache has the rest); an unchanged archive
    costs no engine call and no write. An article that fails is reported and skipped; the run goes on.
    A second sync on the same OUT_DIR exits at once (lock: OUT_DIR/.readaloud-sync.lock).

    On a terminal: a progress bar counted in articles, whose label shows how far the article being
    built is (chunks spoken of its total), then what was built (--quiet: no bar). Otherwise (cron) one
    line per article built or failed on stderr. Then one summary line on stdout, or the whole report with --json.

    \b
    Exit codes:
      0  every article is up to date or was built
      1  some articles failed (reported; the others were built), or --feed could not write the feed
      2  usage or configuration error
      3  none failed, but some were built by the fallback engine (espeak-ng); the next sync upgrades them
      4  another sync holds OUT_DIR's lock; nothing was done
      130, 143  stopped by SIGINT or SIGTERM; finished MP3s kept, nothing half-written

    \b
    Examples:
      readaloud sync articles/ public/audio/ --dry-run     # what would be built, and why
      readaloud sync articles/ public/audio/ --jobs 2 --json

    \b
    Cron, every night at 02:15 (full path: cron's PATH lacks the virtualenv; one line):
    15 2 * * * cd /srv/paper && .venv/bin/readaloud --config readaloud.toml sync articles/ public/audio/ --jobs 2 >> /var/log/readaloud.log 2>&1
    """  # noqa: E501
    from readaloud import sync as syncing
    from readaloud.builder import Builder

    settings = _resolve(ctx, engine={"name": engine}, service={"queue": queue}).settings
    check_before_sync(settings, with_feed, dry_run)
    with console.SyncProgress(_shows_progress(quiet, as_json)) as shown:
        builder = Builder(settings)
        try:
            report = syncing.run(src_dir, out_dir, settings, jobs=jobs, dry_run=dry_run,
                                 on_start=shown.start, on_outcome=shown.done, warn=shown.warn,
                                 on_progress=shown.building, builder=builder,
                                 elsewhere=workers_for(settings, queue, engine))
        except (Exception, Stopped) as exc:  # locked, a broken lexicon, an OUT_DIR that cannot be made
            if as_json:
                _emit_failure({"src": str(src_dir), "out": str(out_dir)}, exc)
            raise
    shown.flush()
    if not as_json:
        _say(console.sync_summary(report, dry_run))
    fed = after_sync(settings, out_dir, with_feed, dry_run, as_json)  # {"ok": False, ...} when it failed
    if as_json:
        _emit_json({**sync_as_dict(src_dir, out_dir, dry_run, report.as_dict()), **fed})
    if report.failed or fed.get("ok") is False:
        ctx.exit(EXIT_FAILED)
    if any(outcome.action == "built" and outcome.fallback for outcome in report.outcomes):
        ctx.exit(EXIT_FALLBACK)


@cli.command("config")
@click.option("--json", "as_json", is_flag=True, help="As JSON: {table: {key: {value, origin}}}.")
@click.pass_context
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Print the effective settings and where each value came from: the config file, a READALOUD_*
    variable, or the built-in default; and which ffmpeg runs, its version and why.

    The config file is the first of: --config FILE, READALOUD_CONFIG, ./readaloud.toml, and
    readaloud.toml in the user's config folder. Any setting can be overridden by an environment
    variable READALOUD_<TABLE>_<KEY>, e.g. READALOUD_READING_DIALECT=south.
    """
    from readaloud import config
    from readaloud.audio import runner

    resolved = _resolve(ctx)
    data = config.shown(resolved.settings)
    runs = runner.about(resolved.settings.audio.ffmpeg)  # which ffmpeg that is, its version, and why
    if as_json:
        shown = {table: {key: {"value": value, "origin": resolved.origins.get(f"{table}.{key}", "default")}
                         for key, value in values.items()} for table, values in data.items()}
        shown["audio"]["ffmpeg"]["runs"] = runs
        _emit_json(shown)
        return
    for line in console.settings_lines(resolved, {"audio.ffmpeg": console.ffmpeg_note(runs)}):
        _say(line)


for _command in (audit, engines, lexicon, cache, feed, player, serve, worker, token):
    cli.add_command(_command)


def main() -> None:
    import signal

    def stop(signum: int, _frame: object) -> None:
        raise Stopped(signum)

    # SIGTERM (cron timeouts, systemd, CMS job runners) would otherwise end the process without unwinding,
    # leaving temporary files behind; raising here runs every `finally` and cleanup on the way out.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        cli(prog_name="readaloud")
    except Stopped as stopped:
        message, exit_code = _failure(stopped)
        _say(f"readaloud: {message}", err=True)
        sys.exit(exit_code)


if __name__ == "__main__":  # pragma: no cover
    main()
