"""`readaloud engines`: every engine readaloud knows, whether it can run on this machine and why not, and
its limits; `--check` asks each one to speak. A module of its own to keep the package's __init__ readable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from readaloud.cli import console
from readaloud.cli.options import engine_option, resolve

if TYPE_CHECKING:
    from readaloud.engines.registry import CheckResult, EngineStatus


def _limits(status: EngineStatus) -> str:
    cap = f", {status.requests_per_s:g} requests/s" if status.requests_per_s is not None else ""
    return f"chunks <= {status.max_chars} chars{cap}"


@click.command()
@engine_option
@click.option("--check", is_flag=True,
              help="Also ask every engine that can run here to speak one short sentence now (no cache, no "
                   "retry: online engines send one real request each) and report how long it took.")
@click.option("--json", "as_json", is_flag=True, help="The list (and the checks) as JSON on stdout.")
@click.pass_context
def engines(ctx: click.Context, engine: str | None, check: bool, as_json: bool) -> None:
    """List the speech engines: those a build tries, in order (under `auto` the [engine] chain, else the
    engine named), which can run on this machine with these settings and, for any that cannot, why and
    what to do.

    \b
    Columns: the engine's place in the chain (blank: not in it), its name, available or not,
    online or offline, its chunk limit and request-rate cap, and what it is.

    \b
    Examples:
      readaloud engines
      readaloud engines --check        # each engine speaks a test sentence
      readaloud engines --engine azure --check
      READALOUD_ENGINE_CHAIN='["edge", "espeak"]' readaloud engines

    Exit 0; with --check, 1 when an engine a build would try cannot run or did not speak.
    """
    from readaloud.engines import registry

    settings = resolve(ctx, engine={"name": engine}).settings
    statuses = registry.survey(settings)
    checks = {status.name: registry.check(status.name, settings)
              for status in statuses if check and status.unavailable is None}
    failing = [s.name for s in statuses if s.chain_position is not None
               and (s.unavailable is not None or (check and checks[s.name].error is not None))]
    if as_json:
        console.emit_json({"ok": not failing, "chain": list(registry.candidates(settings.engine)),
                           "engines": [_as_dict(status, checks.get(status.name)) for status in statuses]})
        if check and failing:
            ctx.exit(1)
        return
    tried, chain = registry.candidates(settings.engine), ", ".join(settings.engine.chain)
    console.say(f"auto tries: {chain} ([engine] chain); chunks of at most {registry.max_chars(settings.engine)} "
                "characters, the shortest limit among them" if registry.is_policy(settings.engine.name) else
                f"builds use {tried[0]} alone ([engine] name or --engine; auto would try {chain})")
    rows: list[tuple[str, ...]] = [
        (str(s.chain_position or ""), s.name, "available" if s.unavailable is None else "NOT AVAILABLE",
         "online" if s.needs_network else "offline", _limits(s),
         s.what if s.unavailable is None else f"{s.what}; {s.unavailable}") for s in statuses]
    for line in console.columns(rows):
        console.say(line)
    for result in checks.values():
        outcome = (f"failed after {result.seconds:.1f} s: {result.error}" if result.error else
                   f"spoke {result.audio_s:.1f} s of audio in {result.seconds:.1f} s ({result.identity})")
        console.say(console.one_line(f"check {result.name}: {outcome}"))
    if check and failing:
        ctx.exit(1)


def _as_dict(status: EngineStatus, checked: CheckResult | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": status.name, "what": status.what, "available": status.unavailable is None,
        "why_not": status.unavailable, "chain_position": status.chain_position, "max_chars": status.max_chars,
        "requests_per_s": status.requests_per_s, "online": status.needs_network}
    if checked is not None:
        found["check"] = {"ok": checked.error is None, "error": checked.error, "seconds": checked.seconds,
                          "audio_s": checked.audio_s, "identity": checked.identity}
    return found
