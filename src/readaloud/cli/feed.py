"""`readaloud feed OUT_DIR`, and `sync --feed`: the podcast feed of a folder of MP3s (see readaloud.feed).
A module of its own to keep the package's __init__ readable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from readaloud.cli import console
from readaloud.cli.options import resolve
from readaloud.errors import ReadaloudError
from readaloud.reports import failure_as_dict

if TYPE_CHECKING:
    from readaloud.config import Settings
    from readaloud.feed import FeedReport


def _warn(message: str) -> None:
    console.say(f"readaloud: warning: {message}", err=True)


def summary(report: FeedReport) -> str:
    """The one line a feed ends with."""
    left_out = f", {len(report.skipped)} MP3s left out" if report.skipped else ""
    more = f" (newest {report.episodes} of {report.found})" if report.found > report.episodes else ""
    done = "written" if report.changed else "unchanged"
    episodes = f"{report.episodes} episode{'' if report.episodes == 1 else 's'}"
    made = report.chapters_written
    filled = f", {made} chapters files written from the MP3s' tags" if made else ""
    return f"feed: {episodes}{more}{left_out}{filled}; {report.path} {done} (served at {report.url})"


@click.command()
@click.argument("out_dir", type=click.Path(path_type=Path))  # checked by write_feed: one line, exit 2
@click.option("--base-url", default=None, metavar="URL",
              help="The public address OUT_DIR is served at (overrides [feed] base_url), e.g. "
                   "https://baodongthap.vn/audio/.")
@click.option("--json", "as_json", is_flag=True,
              help='The result as JSON on stdout: {"ok", "feed", "url", "episodes", "found", "changed", '
                   '"skipped"}; a failure too, as {"ok": false, "error": ..., "exit_code": N}.')
@click.pass_context
def feed(ctx: click.Context, out_dir: Path, base_url: str | None, as_json: bool) -> None:
    """Write OUT_DIR/feed.xml: an RSS podcast feed of every MP3 readaloud made under OUT_DIR (its
    folders too), newest first by the article's date, for podcast apps to subscribe to.

    Each episode carries the MP3 (enclosure, with its size and duration), the article's title, lead,
    author, date and address, its WebVTT captions (podcast:transcript) and its chapters
    (podcast:chapters, NAME.chapters.json), as readaloud wrote them beside it; an MP3 built before
    builds wrote chapters files gets one, from its own chapter frames. MP3s that are not readaloud's, or
    cannot be read, are left out with a warning.

    [feed] base_url (required) is the public address where OUT_DIR itself is served; each file's
    address is base_url plus its path under OUT_DIR, percent-encoded:

    \b
      OUT_DIR/thoi-su/bài 1.mp3  ->  BASE_URL/thoi-su/b%C3%A0i%201.mp3

    The other [feed] settings (title, description, image, author, email, category, file, max_items)
    default from [publication]; see `readaloud config`. The file is replaced in one rename, only when
    it changes.

    \b
    Examples:
      readaloud feed public/audio/ --base-url https://baodongthap.vn/audio/
      readaloud sync articles/ public/audio/ --feed     # rebuild, then rewrite the feed

    Exit 0 when the feed was written (or already up to date); 1 when it could not be written or OUT_DIR
    holds no MP3 readaloud made; 2 for a missing OUT_DIR or a missing [feed] base_url.
    """
    from readaloud.feed import write_feed

    try:
        settings = resolve(ctx, feed={"base_url": base_url}).settings
        report = write_feed(out_dir, settings, warn=_warn)
    except ReadaloudError as exc:
        if as_json:
            console.emit_json(failure_as_dict({"out": str(out_dir)}, str(exc), exc.exit_code))
        raise
    if as_json:
        console.emit_json({"ok": True, "out": str(out_dir), **report.as_dict()})
    else:
        console.say(summary(report))


feed_option = click.option(
    "--feed", "with_feed", is_flag=True,
    help="Then rewrite OUT_DIR's podcast feed (see `readaloud feed`; needs [feed] base_url, or the variable "
         "READALOUD_FEED_BASE_URL, checked before the run). Every run regenerates it; the file is replaced only "
         "when it changed. Not with --dry-run.")


def check_before_sync(settings: Settings, with_feed: bool, dry_run: bool) -> None:
    """`sync --feed` with settings that cannot make a feed stops before the run, not after hours of it."""
    if with_feed and not dry_run:
        from readaloud.feed import check_settings

        check_settings(settings)


def after_sync(settings: Settings, out_dir: Path, with_feed: bool, dry_run: bool, as_json: bool) -> dict[str, Any]:
    """The feed written after a sync: {"feed": ...} for the JSON report (nothing without --feed). A failure
    is said on stderr (and in the JSON) and makes the sync's exit code 1; the articles built are kept."""
    if not with_feed:
        return {}
    if dry_run:
        if not as_json:
            console.say("feed: not written (a dry run writes nothing)")
        return {}
    from readaloud.feed import write_feed

    try:
        report = write_feed(out_dir, settings, warn=_warn)
    except (ReadaloudError, OSError) as exc:
        message = str(exc) if isinstance(exc, ReadaloudError) else f"{exc.filename or out_dir}: {exc.strerror or exc}"
        console.say(f"readaloud: error: feed not written: {message}", err=True)
        return {"ok": False, "feed": {"ok": False, "error": f"feed not written: {message}"}}
    if not as_json:
        console.say(summary(report))
    return {"feed": {"ok": True, **report.as_dict()}}
