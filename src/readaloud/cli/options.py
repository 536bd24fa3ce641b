"""What the commands share: the settings resolved from the config file, the environment and their flags,
and the options several commands take. In a module of its own so a command may live outside the package's
__init__ (`cli.audit`) without importing it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from readaloud.choices import DIALECTS, ENGINES, RATES

if TYPE_CHECKING:
    from readaloud.config import Resolved, Settings


def resolve(ctx: click.Context, **flags: dict[str, Any]) -> Resolved:
    """Settings from the config file, READALOUD_* variables and command-line flags, with their origins."""
    import os

    from readaloud import config

    given = {table: {k: v for k, v in values.items() if v is not None} for table, values in flags.items()}
    given = {table: values for table, values in given.items() if values}
    return config.settle(ctx.obj.get("config_path"), os.environ, given, "command line",
                         named_by_env=bool(ctx.obj.get("config_from_env")))


def settings(ctx: click.Context, engine: str | None = None, voice: str | None = None,
             rate: int | None = None, dialect: str | None = None) -> Settings:
    return resolve(ctx, engine={"name": engine, "voice": voice, "rate": rate},
                   reading={"dialect": dialect}).settings


engine_option = click.option(
    "--engine", type=click.Choice(ENGINES), default=None,
    help="auto (default): the [engine] chain, each engine in turn for the whole article until one can speak "
         "it (by default Google's voice via gTTS, then offline espeak-ng). Any other name: that engine only, "
         "failing if it cannot be used. `readaloud engines` lists them and which work on this machine.")
voice_option = click.option("--voice", default=None,
                            help="espeak-ng voice: vi (Northern), vi-vn-x-central, vi-vn-x-south, each also with a "
                                 "variant: +f1..+f5, +m1..+m8 (default vi+f3).")
rate_option = click.option("--rate", type=click.IntRange(*RATES), default=None,
                           help="espeak-ng speaking rate in words per minute (80-450, default 165).")
dialect_option = click.option("--dialect", type=click.Choice(DIALECTS), default=None,
                              help="How numbers are read: north (nghìn, linh) or south (ngàn, lẻ).")
quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="No progress bar. (It is shown only on a terminal, never with --json or "
                                 "when stderr goes to a file or a pipe.)")
