"""`readaloud cache`: the size of the clip cache, and pruning it."""

from __future__ import annotations

from pathlib import Path

import click

from readaloud.cli.console import emit_json as _emit_json
from readaloud.cli.console import say as _say
from readaloud.cli.options import resolve as _resolve


@click.group()
def cache() -> None:
    """The clip cache: every text an engine spoke, kept so it is never requested twice."""


@cache.command("stats")
@click.option("--json", "as_json", is_flag=True, help="As JSON: {dir, entries, bytes, oldest, newest}.")
@click.pass_context
def cache_stats(ctx: click.Context, as_json: bool) -> None:
    """Entries (clips and loudness records) and size of the clip cache."""
    from readaloud.cache import ClipCache

    folder = Path(_resolve(ctx).settings.cache.dir)
    stats = ClipCache(folder).stats()
    if as_json:
        _emit_json({"dir": str(folder), "entries": stats.entries, "bytes": stats.bytes,
                    "oldest": stats.oldest, "newest": stats.newest})
        return
    _say(f"{folder}: {stats.entries} entries (clips and loudness records), {stats.bytes / 1_000_000:.1f} MB")


def _parse_age(text: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    if not text or text[-1] not in units or not text[:-1].replace(".", "", 1).isdigit():
        raise click.BadParameter(f"{text!r}: use a number and a unit, e.g. 30d, 12h, 2w")
    return float(text[:-1]) * units[text[-1]]


def _parse_size(text: str) -> int:
    units = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}
    number, unit = (text[:-1], text[-1].upper()) if text and text[-1].upper() in units else (text, "")
    try:
        return int(float(number) * units.get(unit, 1))
    except ValueError:
        raise click.BadParameter(f"{text!r}: use a size such as 500M or 2G") from None


@cache.command("prune")
@click.option("--older-than", "older_than", default=None, help="Remove clips unused for this long (30d, 12h).")
@click.option("--max-size", "max_size", default=None, help="Then keep at most this much, most recent first (500M).")
@click.pass_context
def cache_prune(ctx: click.Context, older_than: str | None, max_size: str | None) -> None:
    """Remove clips and loudness records unused for a while, or the least recently used beyond a size."""
    from readaloud.cache import ClipCache

    if older_than is None and max_size is None:
        raise click.UsageError("give --older-than AGE and/or --max-size SIZE")
    age = _parse_age(older_than) if older_than else None
    size = _parse_size(max_size) if max_size else None
    folder = Path(_resolve(ctx).settings.cache.dir)
    removed, freed = ClipCache(folder).prune(older_than_s=age, max_bytes=size)
    _say(f"{folder}: removed {removed} entries, freed {freed / 1_000_000:.1f} MB")
