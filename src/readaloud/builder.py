"""The library's face: a Builder, made once from settings, reads, plans and builds articles.

The lexicon and the engines are made once per Builder and shared by every article it builds (from
several threads too: `readaloud sync --jobs`); each build opens the clip cache with its own warnings.
The command line is one client of it; what it prints as JSON (a build's result, a script, a failure) is
shaped in reports.py, once, so a CMS storing `as_dict()` stores what `readaloud build --json` prints.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from readaloud import config, pipeline
from readaloud.audio import runner
from readaloud.choices import DIALECTS, ENGINES, RATES, VOICES
from readaloud.config import Settings
from readaloud.engines import registry
from readaloud.model import Article, BuildResult, Script, Warn, ignore
from readaloud.prepared import Prepared
from readaloud.reports import build_as_dict, failure_as_dict, script_as_dict
from readaloud.text import read_article

Progress = pipeline.Progress
ArticlePath = str | os.PathLike[str]

__all__ = ["DIALECTS", "ENGINES", "RATES", "VOICES", "Builder", "build_as_dict", "failure_as_dict", "load_settings",
           "script_as_dict"]


def load_settings(config_file: ArticlePath | None = None, *, environ: Mapping[str, str] | None = None,
                  **overrides: Mapping[str, Any]) -> Settings:
    """Settings resolved as the command line resolves them: the config file (`config_file`, else
    READALOUD_CONFIG, else ./readaloud.toml, else the user's readaloud.toml), then READALOUD_<TABLE>_<KEY>
    variables, then `overrides` given per table (`engine={"name": "espeak"}`); the clip cache in the user's
    cache folder unless one is set. ConfigError names the file, variable or key that is wrong."""
    environ = os.environ if environ is None else environ
    from_env = config_file is None and bool(environ.get("READALOUD_CONFIG"))
    named = config_file if config_file is not None else environ.get("READALOUD_CONFIG")
    given = {table: dict(values) for table, values in overrides.items() if values}
    return config.settle(Path(named) if named else None, environ, given, "the caller",
                         named_by_env=from_env).settings


class Builder:
    """Reads, plans and builds articles under one set of settings.

    script(article)               what will be spoken (`readaloud script`), no synthesis
    build(article, output)        the MP3 and its captions (`readaloud build`), a BuildResult
    render(script, output)        the MP3 of a script or part of one (`preview`, `say`), no captions
    """

    def __init__(self, settings: Settings | None = None):
        """`settings`: load_settings() when None. Each build's warnings go to that build's `warn`. Their
        [audio] ffmpeg is the process's from now on (runner.use): the last Builder made chooses it."""
        self.settings = settings if settings is not None else load_settings()
        runner.use(self.settings.audio.ffmpeg)
        self.prepared = Prepared(self.settings)

    def read(self, article: ArticlePath) -> Article:
        """The article file (.txt, .md, .html, or "-" for stdin) as written."""
        return read_article(os.fspath(article), self.settings.reading.max_article_bytes)

    def script(self, article: ArticlePath | Article) -> Script:
        """What will be spoken, chunk by chunk, for the engine(s) the settings may use."""
        found = article if isinstance(article, Article) else self.read(article)
        return pipeline.plan(found, self.settings, self.prepared)

    def line(self, text: str) -> Script:
        """The script of one line of text, read by the same rules and lexicon as an article (`say`)."""
        return self.script(Article(source="say", title=" ".join(text.split()), blocks=()))

    def build(self, article: ArticlePath, output: ArticlePath | None = None, *, srt: bool = False,
              warn: Warn = ignore, progress: Progress | None = None, cores: int | None = None,
              engines: tuple[str, ...] | None = None) -> BuildResult:
        """Build the MP3 (and its WebVTT captions, and SRT with `srt`) for `article` at `output` (default:
        beside the article), replaced atomically. `warn` hears each warning line as it comes (they are in
        the result too); `progress(stage, done, total)` how far the build is; `cores`: how many the encode
        may use at once (default: every core this process may run on); `engines`: the engines to try, in
        order (default: the settings')."""
        return pipeline.build(os.fspath(article), Path(output) if output is not None else None, self.settings,
                              warn=warn, srt=srt, progress=progress or pipeline.no_progress,
                              prepared=self.prepared, cores=cores, engines=engines)

    def build_article(self, article: Article, output: ArticlePath, *, srt: bool = False, warn: Warn = ignore,
                      progress: Progress | None = None, cores: int | None = None) -> BuildResult:
        """build() of an article already read (text.parse_article: bytes sent over HTTP, say)."""
        return pipeline.build_article(article, Path(output), self.settings, warn=warn, srt=srt,
                                      progress=progress or pipeline.no_progress, prepared=self.prepared,
                                      cores=cores)

    @staticmethod
    def select(script: Script, chunks: tuple[int, int] | None = None, section: int | None = None) -> Script:
        """Part of a script for a preview: chunks first..last (inclusive) and/or one section (0 = title and
        lead); InputError when there is no such part."""
        return pipeline.select(script, chunks, section)

    def render(self, script: Script, output: ArticlePath, *, warn: Warn = ignore,
               progress: Progress | None = None) -> BuildResult:
        """The MP3 of `script` (a whole one, or part of one: Builder.select), without captions."""
        return pipeline.produce(script, Path(output), self.settings, warn=warn, sidecars=(),
                                progress=progress or pipeline.no_progress, prepared=self.prepared)

    def cached_by(self, script: Script) -> dict[int, str]:
        """For each chunk already in the clip cache, the engine whose clip it is."""
        return pipeline.cached_by(script, self.settings, self.prepared)

    def estimated_seconds(self, script: Script) -> float:
        return pipeline.estimated_seconds(script, self.settings)

    @property
    def first_engine(self) -> str:
        """The engine asked first; under `auto`, the one whose clips save a request."""
        return registry.candidates(self.settings.engine)[0]

    def scratch_output(self, name: str) -> Path:
        """Where a preview or `say` goes when no output is named: one file per name in a previews folder
        beside the clip cache, replaced by the next preview of it, so previews never pile up."""
        folder = Path(self.settings.cache.dir or tempfile.gettempdir()) / "previews"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / name
