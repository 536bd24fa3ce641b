"""What the command line writes: one safe line at a time, JSON, and progress bars on a terminal.

Only the CLI uses this module; nothing else in readaloud prints.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from readaloud.config import Resolved
    from readaloud.inspection import Inspection
    from readaloud.model import BuildResult, Script
    from readaloud.sync import Outcome, SyncReport

# What could end, rewrite or disguise a line of a log: C0 controls (newline, carriage return, tab, ESC), DEL,
# C1 controls, the line and paragraph separators, bidi marks, embeddings, overrides and isolates, and lone
# surrogates (the bytes of a file name that is not UTF-8).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return _SHORT_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def one_line(text: str) -> str:
    """`text` as one safe line: a file name cannot add a line to a cron log, move the cursor or reverse
    what follows it; such characters are shown escaped (\\n, \\x1b, \\u202e)."""
    return _UNSAFE.sub(_escape, text)


def say(message: str, err: bool = False) -> None:
    """Print one line of a message (everything but JSON goes through here)."""
    click.echo(one_line(message), err=err)


def emit_json(payload: Any) -> None:
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    # A name that is not UTF-8 holds lone surrogates, which no UTF-8 stream can write; as \u escapes they
    # are valid JSON (only strings can hold them) and a reader gets back the same str.
    click.echo(_SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text))


def shows_progress(quiet: bool, as_json: bool = False) -> bool:
    """Progress goes to a person watching a terminal: never into a cron log, a pipe or JSON output."""
    return not quiet and not as_json and sys.stderr.isatty()


class BuildProgress:
    """One build's progress on stderr, drawn by click's progress bar: chunks spoken of the total and the
    time left, then "encoding" while ffmpeg masters and encodes. Called as a pipeline.Progress."""

    def __init__(self, name: str, shown: bool):
        self.name = one_line(name)
        self.shown = shown
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.shown:
            return
        if stage == "speaking" and (self.bar is None or done == 0):
            self.close()  # a fallback engine starts again from the first chunk
            self.bar = click.progressbar(length=max(total, 1), label=f"{self.name}: speaking", file=sys.stderr,
                                         show_pos=True, show_eta=True)
            self.bar.__enter__()
        if self.bar is None:
            return
        if stage == "speaking":
            self.bar.update(done - self.bar.pos)
        elif done == 0:
            self.bar.label = f"{self.name}: encoding"
            self.bar.render_progress()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> BuildProgress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def outcome_line(outcome: Outcome) -> str | None:
    """The log line of one article of a sync, or None for one that is up to date."""
    if outcome.action == "built":
        spoken_by = f"; fallback engine {outcome.engine}" if outcome.fallback else ""
        return (f"built  {outcome.output}  ({outcome.reason}; {outcome.synthesized} synthesised, "
                f"{outcome.cached} cached{spoken_by})")
    if outcome.action == "would-build":
        return f"would build  {outcome.output}  ({outcome.reason})"
    if outcome.action == "would-try-upgrade":
        return f"would try to upgrade  {outcome.output}  ({outcome.reason})"
    if outcome.action == "failed":
        # The reason is an error line, which names the article already.
        reason = outcome.reason.removeprefix(f"{outcome.source}: ")
        return f"failed {outcome.source}: {reason}"
    return None


class SyncProgress(contextlib.ExitStack):
    """A sync's progress. On a terminal: a bar counted in articles, whose label says how far the articles
    being built are, and the log lines held until the bar is finished (flush()). Otherwise each line goes to
    stderr at once (cron). Its methods are sync.run's callbacks."""

    def __init__(self, terminal: bool):
        super().__init__()
        self.terminal = terminal
        self.held: list[str] = []
        self.drawing = threading.Lock()  # builds run on worker threads with --jobs; one bar is drawn at a time
        self.inside: dict[str, str] = {}  # article -> how far its build is, for the bar's label
        self.bar: Any = None

    def log(self, line: str) -> None:
        if self.terminal:
            self.held.append(line)
        else:
            say(line, err=True)

    def warn(self, message: str) -> None:
        self.log(f"readaloud: warning: {message}")

    def _now_building(self, _item: object) -> str | None:
        return one_line("; ".join(f"{Path(source).name} {how}" for source, how in self.inside.items())) or None

    def start(self, total: int) -> None:
        if self.terminal and total:
            self.bar = self.enter_context(click.progressbar(
                length=total, label="sync", file=sys.stderr, show_pos=True, show_eta=True,
                item_show_func=self._now_building))

    def building(self, source: str, stage: str, done: int, total: int) -> None:
        # Inside a long article the bar still moves: its label says how far the article is.
        if self.bar is None:
            return
        with self.drawing:
            self.inside[source] = f"{done}/{total} chunks" if stage == "speaking" else "encoding"
            self.bar.render_progress()

    def done(self, outcome: Outcome) -> None:
        if self.bar is not None:
            with self.drawing:
                self.inside.pop(outcome.source, None)
                self.bar.update(1)
        line = outcome_line(outcome)
        if line is not None:
            self.log(line)

    def flush(self) -> None:
        for line in self.held:
            say(line, err=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def build_line(result: BuildResult) -> str:
    """What `build` says it made (without --json)."""
    minutes, seconds = divmod(round(result.duration_s), 60)
    return (f"{result.output}: {minutes}:{seconds:02d}, {result.chunks} chunks "
            f"({result.synthesized} synthesised, {result.cached} from cache), "
            f"{_count(len(result.chapters), 'chapter')}, spoken by {result.engine}")


def sync_summary(report: SyncReport, dry_run: bool) -> str:
    """The one line a sync ends with (without --json)."""
    done_text = f"{report.would_build} would be built" if dry_run else f"{report.built} built"
    if report.would_try_upgrade:
        done_text += f", {report.would_try_upgrade} would try to upgrade to a better voice"
    return (f"sync{' (dry run)' if dry_run else ''}: {done_text}, {report.up_to_date} up to date, "
            f"{report.failed} failed in {report.seconds:.1f} s")


def plan_lines(script: Script, cached: dict[int, str], first: str, estimated_s: float) -> list[str]:
    """`preview`: the numbered script by section, each chunk marked [cached:ENGINE] or [new], then what
    building it costs: `cached` (chunk -> engine) from Builder.cached_by, `first` the engine asked first."""
    lines: list[str] = []
    current = None
    for chunk in script.chunks:
        if chunk.section != current:
            current = chunk.section
            lines.append(f"== {chunk.section}. {script.section_titles[chunk.section]}")
        mark = f"cached:{cached[chunk.index]}" if chunk.index in cached else "new"
        lines.append(f"{chunk.index:4d} [{mark}] {chunk.spoken}")
    minutes, seconds = divmod(round(estimated_s), 60)
    speakable = sum(1 for c in script.chunks if c.spoken.strip())
    # Only the first engine's clips save a request: under `auto` the chain's first engine is asked for every
    # chunk it has not spoken, even one a later engine's clip would cover if the first turned out unreachable.
    ready = sum(1 for name in cached.values() if name == first)
    fallback = len(cached) - ready
    spare = f" ({fallback} of them cached for the fallback voice)" if fallback else ""
    lines.append(f"-- {len(script.chunks)} chunks, {ready} cached, {speakable - ready} to synthesise by {first}"
                 f"{spare}; about {minutes}:{seconds:02d}")
    return lines


def inspection_lines(found: Inspection) -> list[str]:
    """`inspect`: what a player sees in the MP3, one field a line."""
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
                         ("lexicon", found.lexicon), ("readaloud", found.readaloud_version)):
        if value:
            lines.append(f"  {label + ':':12} {value}")
    if found.summary:
        lines.append(f"  {'summary:':12} {found.summary[:100]}{'…' if len(found.summary) > 100 else ''}")
    lines.append(f"  {'text:':12} {found.transcript_chars} characters")
    lines.append(f"chapters:    {len(found.chapters)}")
    for number, chapter in enumerate(found.chapters, start=1):
        lines.append(f"  {number:2d}. {chapter.start_ms / 1000:8.2f} s  {chapter.title}")
    return lines


def settings_lines(resolved: Resolved, notes: Mapping[str, str] | None = None) -> list[str]:
    """`config`: each table's settings as TOML, each value's origin (and its note in `notes`, by "table.key")
    in a comment."""
    from readaloud import config

    lines: list[str] = []
    for table, values in config.shown(resolved.settings).items():
        lines.append(f"[{table}]")
        for key, value in values.items():
            shown = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
            note = (notes or {}).get(f"{table}.{key}")
            origin = resolved.origins.get(f"{table}.{key}", "default")
            lines.append(f"{key} = {shown}  # {origin}{f'; {note}' if note else ''}")
        lines.append("")
    return lines


def ffmpeg_note(runs: Mapping[str, str]) -> str:
    """`config`'s note on [audio] ffmpeg (runner.about): the ffmpeg that runs, its version and why, or the
    error a build would end with."""
    if "error" in runs:
        return f"cannot run: {runs['error']}"
    return f"runs {runs['path']}, version {runs['version']} ({runs['why']})"


class AuditProgress(contextlib.ExitStack):
    """An audit's progress on a terminal: a bar counted in articles. Its methods are auditing.run's
    callbacks; off a terminal they do nothing."""

    def __init__(self, terminal: bool):
        super().__init__()
        self.terminal = terminal
        self.bar: Any = None

    def start(self, total: int) -> None:
        if self.terminal and total:
            self.bar = self.enter_context(click.progressbar(length=total, label="audit", file=sys.stderr,
                                                            show_pos=True, show_eta=True))

    def done(self) -> None:
        if self.bar is not None:
            self.bar.update(1)


def columns(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    """Rows in columns as wide as their widest cell; the last column is left as it is."""
    if not rows:
        return [f"{indent}(none)"]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [indent + "  ".join([*(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)),
                                row[-1]]).rstrip() for row in rows]


def audit_lines(report: dict[str, Any]) -> list[str]:
    """`audit`: the summary line, then each finding's ranked table (`report`: reports.audit_as_dict)."""
    rate = report["per_1000_words"]
    spelled, unsayable = report["spelled"], report["unsayable"]
    cuts, foreign = report["cuts_inside_words"], report["foreign"]
    failed = f", {_count(len(report['failed']), 'article')} unreadable" if report["failed"] else ""
    lines = [
        f"audit: {_count(report['articles'], 'article')}, {report['words']:,} words, {report['chunks']:,} chunks "
        f"(engine {report['engine']}, at most {report['max_chars']} characters){failed} in {report['seconds']:.1f} s",
        f"per 1,000 words: {rate['spelled']} spelled ({rate['spelled_not_on_purpose']} not on the table's "
        f"spelled-on-purpose list), {rate['unsayable']} unsayable, "
        f"{rate['cuts_inside_words']} cuts inside a word, {rate['foreign']} not Vietnamese syllables",
        "",
        f"Spelled letter by letter: {spelled['total']} times, {spelled['distinct']} distinct "
        "(count, token, a lexicon line to correct, example)",
        *columns([(str(row["count"]), row["token"] + (" (on purpose)" if row["on_purpose"] else ""), row["lexicon"],
                  row["example"]) for row in spelled["top"]]),
        "",
        f"Unsayable in the spoken text (must be 0): {unsayable['total']}"
        + (" (" + ", ".join(f"{char!r} {count}" for char, count in unsayable["characters"].items()) + ")"
           if unsayable["characters"] else ""),
        *columns([(row["token"], row["spoken"]) for row in unsayable["examples"]]),
        "",
        f"Chunk cuts inside a word: {cuts['total']} (the cut, then the spoken words around it)",
        *columns([(row["cut"], row["spoken"]) for row in cuts["examples"]]),
        "",
        f"Read as written, not Vietnamese syllables: {foreign['total']} times, {foreign['distinct']} distinct "
        "(count, word, example)",
        *columns([(str(row["count"]), row["word"], row["example"]) for row in foreign["top"]]),
    ]
    return lines
