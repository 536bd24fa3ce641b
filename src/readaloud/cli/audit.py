"""`readaloud audit`: what a listener would hear wrong in many articles, counted for editors and for
whoever writes the next reading rule. A module of its own to keep the package's __init__ readable."""

from __future__ import annotations

import click

from readaloud.cli import console
from readaloud.cli.options import engine_option, quiet_option, settings
from readaloud.errors import InputError, ReadaloudError
from readaloud.reports import audit_as_dict, failure_as_dict


@click.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--top", type=click.IntRange(1), default=20, show_default=True,
              help="How many entries each ranked list and list of examples shows.")
@click.option("--jobs", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Articles read at once, each in a process of its own (1-16).")
@click.option("--json", "as_json", is_flag=True,
              help="The whole report as JSON on stdout (counts, rates per 1,000 words, ranked lists with "
                   "examples); a bad path too, as {\"ok\": false, \"error\": ..., \"exit_code\": N}.")
@engine_option
@quiet_option
@click.pass_context
def audit(ctx: click.Context, paths: tuple[str, ...], top: int, jobs: int, as_json: bool, engine: str | None,
          quiet: bool) -> None:
    """Read the articles in PATH... (files, and folders searched for .txt, .md and .html) as a build
    would, without synthesis, and report what a listener would hear wrong:

    \b
      spelled    words in capitals read letter by letter ("HLV" as "hát lờ vê"), most frequent first,
                 each with an example and a line for the lexicon: correct its reading and add it
                 (`readaloud lexicon add HLV "huấn luyện viên"`), or leave it if spelling is right (VTV)
      unsayable  digits or symbols left in the spoken text: should be none
      cuts       chunks of one sentence cut inside a word ("chuẩn | bị"), by a Vietnamese word
                 segmenter; --engine decides the chunk limit (auto: the smallest in the chain)
      foreign    spoken words that are no Vietnamese syllable, read as written (Facebook, Messi)

    The first line counts them per 1,000 words. Files that open with "# key = value" lines (the news
    corpus's header) are read without them. An article that cannot be read is reported and skipped.
    Exit 0 when the audit ran, whatever it found; 1 for a path that is neither a file nor a folder, a
    folder with no article, or articles of which none could be read.

    \b
    Examples:
      readaloud audit articles/ --top 50
      readaloud audit articles/ --engine espeak --json > audit.json
    """
    from readaloud import auditing
    from readaloud.engines import registry

    try:
        chosen = settings(ctx, engine)
        with console.AuditProgress(console.shows_progress(quiet, as_json)) as shown:
            run = auditing.run(list(paths), chosen, jobs=jobs, warn=lambda line: console.say(
                f"readaloud: warning: {line}", err=True), on_start=shown.start, on_done=shown.done)
    except ReadaloudError as exc:  # a bad path, a broken lexicon or config file
        if as_json:
            console.emit_json(failure_as_dict({"paths": list(paths)}, str(exc), exc.exit_code))
        raise
    for article, error in run.failed:
        console.say(f"readaloud: warning: {error if error.startswith(article) else f'{article}: {error}'}",
                    err=True)
    if run.failed and not run.audit.articles:  # nothing was read: a report of zeros would look clean
        message = f"none of the {len(run.failed)} article(s) given could be read: nothing was audited"
        if as_json:
            console.emit_json(failure_as_dict({"paths": list(paths)}, message, InputError.exit_code))
        raise InputError(message)
    report = audit_as_dict(list(paths), chosen.engine.name, registry.max_chars(chosen.engine), run.seconds,
                           run.failed, run.audit.as_dict(top))
    if as_json:
        console.emit_json(report)
        return
    for line in console.audit_lines(report):
        console.say(line)
