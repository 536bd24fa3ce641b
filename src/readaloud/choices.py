"""The values the command line offers as choices, taken from the library's own tables so the two never
disagree. Light to import: the CLI needs them before it knows which command runs."""

from __future__ import annotations

from typing import get_args

from readaloud import config
from readaloud.engines import registry
from readaloud.text import Dialect

# The policy (`auto`: the [engine] chain, by default Google then espeak-ng), then the engines.
ENGINES: tuple[str, ...] = registry.CHOICES
DIALECTS: tuple[str, ...] = get_args(Dialect)
VOICES: tuple[str, ...] = config.VOICES
RATES: tuple[int, int] = config.ESPEAK_RATES  # espeak-ng words a minute, lowest and highest
