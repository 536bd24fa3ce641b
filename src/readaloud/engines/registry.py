"""Engines by name. `auto` is not an engine but a policy: gtts first, espeak for the whole article if
Google cannot be used."""

from __future__ import annotations

from readaloud.config import Settings
from readaloud.engines.base import Engine

AUTO_ORDER = ("gtts", "espeak")


def create(name: str, settings: Settings) -> Engine:
    if name == "espeak":
        from readaloud.engines.espeak import EspeakEngine

        return EspeakEngine.from_settings(settings.engine)
    if name == "gtts":
        from readaloud.engines.gtts import GttsEngine

        return GttsEngine.from_settings(settings.gtts)
    raise ValueError(f"unknown engine {name!r}")


def candidates(name: str) -> tuple[str, ...]:
    """The engines to try for a build, in order."""
    return AUTO_ORDER if name == "auto" else (name,)


def max_chars(name: str) -> int:
    """The chunk limit to plan with: the smallest over every engine that may speak the article, so a
    fallback never needs a new plan."""
    from readaloud.engines.espeak import EspeakEngine
    from readaloud.engines.gtts import GttsEngine

    limits = {"espeak": EspeakEngine.max_chars, "gtts": GttsEngine.max_chars}
    return min(limits[n] for n in candidates(name))
