"""readaloud: Vietnamese news articles to listenable, tagged MP3 audio.

The library API, for a newsroom's own Python code (a CMS hook, a worker): the same settings, defaults and
clip cache as the command line, which is only one client of it.

    import readaloud

    settings = readaloud.load_settings("readaloud.toml", engine={"name": "espeak"})
    builder = readaloud.Builder(settings)  # the lexicon, clip cache and engines, made once
    print(builder.script("bai.md").chunks[0].spoken)
    result = builder.build("bai.md", "public/audio/bai.mp3")
    print(result.duration_s, result.as_dict())

Errors are readaloud.errors.ReadaloudError and its families (InputError, ConfigError, ToolError,
SynthesisError), each with the message and exit code the command line would show.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readaloud.builder import DIALECTS, ENGINES, RATES, VOICES, Builder, load_settings
    from readaloud.config import Settings
    from readaloud.model import BuildResult

from readaloud.model import ignore
from readaloud.version import RULES_VERSION, __version__

__all__ = ["DIALECTS", "ENGINES", "RATES", "RULES_VERSION", "VOICES", "Builder", "__version__", "build",
           "load_settings"]

# Loaded when first asked for: `import readaloud` stays light (every subprocess of an espeak-ng helper
# imports it).
_FROM_BUILDER = frozenset({"Builder", "DIALECTS", "ENGINES", "RATES", "VOICES", "load_settings"})


def __getattr__(name: str) -> Any:
    if name in _FROM_BUILDER:
        from readaloud import builder

        return getattr(builder, name)
    raise AttributeError(f"module 'readaloud' has no attribute {name!r}")


def build(article: str | os.PathLike[str], output: str | os.PathLike[str] | None = None, *,
          settings: Settings | None = None, srt: bool = False,
          warn: Callable[[str], None] | None = None) -> BuildResult:
    """Build the MP3 (and its WebVTT captions, and SRT with `srt`) for `article` (.txt, .md or .html) at
    `output` (default: beside the article), replaced atomically, exactly as `readaloud build` does.
    `warn` receives each warning line (a fallback engine, a cover not used); they are also in the
    result. With `settings` None, load_settings() gives those of the command line. For more than one
    article, a Builder made once reads the lexicon and makes the engines once."""
    from readaloud.builder import Builder

    return Builder(settings).build(article, output, srt=srt, warn=warn or ignore)
