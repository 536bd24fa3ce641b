"""readaloud: Vietnamese news articles to listenable, tagged MP3 audio.

The library API, for a newsroom's own Python code (a CMS hook, a worker): the same settings, defaults and
clip cache as the command line, which is only one client of it.

    import readaloud

    settings = readaloud.load_settings("readaloud.toml", engine={"name": "espeak"})
    result = readaloud.build("bai.md", "public/audio/bai.mp3", settings=settings)
    print(result.duration_s, result.as_dict())

Errors are readaloud.errors.ReadaloudError and its families (InputError, ConfigError, ToolError,
SynthesisError), each with the message and exit code the command line would show.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readaloud.config import Settings
    from readaloud.model import BuildResult

__version__ = "0.1.0"

# The version of how text is read (structure, segmentation, normalisation). Stored in every MP3 so a
# rebuild can tell audio made under older reading rules; bump it with any change to what is spoken.
RULES_VERSION = "2"  # 2: ranges, heights, sizes, standard codes, Unicode numbers; chunk cuts at clause breaks

__all__ = ["RULES_VERSION", "__version__", "build", "load_settings"]


def load_settings(config_file: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None,
                  **overrides: Mapping[str, Any]) -> Settings:
    """Settings resolved as the command line resolves them: the config file (`config_file`, else
    READALOUD_CONFIG, else ./readaloud.toml, else the user's readaloud.toml), then READALOUD_<TABLE>_<KEY>
    variables, then `overrides` given per table (`engine={"name": "espeak"}`); the clip cache in the user's
    cache folder unless one is set. ConfigError names the file, variable or key that is wrong."""
    import click

    from readaloud import config

    environ = os.environ if environ is None else environ
    named = config_file if config_file is not None else environ.get("READALOUD_CONFIG")
    path = config.discover(Path(named) if named else None, Path.cwd(), Path(click.get_app_dir("readaloud")))
    layers = [config.file_layer(path)] if path is not None else []
    layers += config.env_layers(environ)
    given = {table: dict(values) for table, values in overrides.items() if values}
    if given:
        layers.append(config.Layer("the caller", given))
    return config.with_user_cache(config.resolve(layers), environ).settings


def build(article: str | os.PathLike[str], output: str | os.PathLike[str] | None = None, *,
          settings: Settings | None = None, srt: bool = False,
          warn: Callable[[str], None] | None = None) -> BuildResult:
    """Build the MP3 (and its WebVTT captions, and SRT with `srt`) for `article` (.txt, .md or .html) at
    `output` (default: beside the article), replaced atomically, exactly as `readaloud build` does.
    `warn` receives each warning line (a fallback engine, a cover not used); they are also in the
    result. With `settings` None, load_settings() gives those of the command line."""
    from readaloud import pipeline

    return pipeline.build(str(article), Path(output) if output is not None else None,
                          settings if settings is not None else load_settings(), warn=warn or (lambda _: None),
                          srt=srt)
