"""`readaloud lexicon`: the newsroom's own words and names, edited from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from readaloud.cli.console import emit_json as _emit_json
from readaloud.cli.console import say as _say
from readaloud.cli.options import resolve as _resolve


@click.group()
def lexicon() -> None:
    """The newsroom lexicon: how to say words and names the rules get wrong.

    The file is the one named by [reading] lexicon in readaloud.toml. A change shows in the next
    `script`/`preview`, and `sync` rebuilds only the articles that contain the word.
    """


def _lexicon_path(ctx: click.Context) -> Path:
    from readaloud import config

    return config.lexicon_file(_resolve(ctx.find_root()).settings)


@lexicon.command("add")
@click.argument("word")
@click.argument("spoken")
@click.pass_context
def lexicon_add(ctx: click.Context, word: str, spoken: str) -> None:
    """Say WORD (as written in articles) as SPOKEN, e.g.: readaloud lexicon add ĐTO "Đồng Tháp Online"."""
    from readaloud.errors import InputError
    from readaloud.text import lexicon as lexicon_file

    if not word.strip() or not spoken.strip():  # said before the settings are read, as it always was
        raise InputError("lexicon add: both the word and how to say it are needed")
    path = _lexicon_path(ctx)
    word, spoken, before = lexicon_file.add(path, word, spoken)
    _say(f"{path}: {word} = {spoken}" + (f" (was: {before})" if before and before != spoken else ""))


@lexicon.command("list")
@click.option("--json", "as_json", is_flag=True, help="As JSON: {word: reading}, in the file's order.")
@click.pass_context
def lexicon_list(ctx: click.Context, as_json: bool) -> None:
    """Every entry, sorted."""
    from readaloud.text import lexicon as lexicon_file

    words = lexicon_file.entries(_lexicon_path(ctx))
    if as_json:
        _emit_json(words)
        return
    for word, spoken in sorted(words.items(), key=lambda item: item[0].casefold()):
        _say(f"{word} = {spoken}")


@lexicon.command("remove")
@click.argument("word")
@click.pass_context
def lexicon_remove(ctx: click.Context, word: str) -> None:
    """Forget how to say WORD."""
    from readaloud.text import lexicon as lexicon_file

    path = _lexicon_path(ctx)
    _say(f"{path}: removed {lexicon_file.remove(path, word)}")
