"""Every engine's policy in one table, and the few questions the rest of readaloud asks of it.

Code outside this package never tests an engine's name: it asks here how long a chunk may be, whether a
request must be throttled, which engine spoke a clip, or whether that engine was a fallback. `auto` is
not an engine but a policy: an order to try engines in, Google first and espeak-ng for the whole article
if Google cannot be used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from readaloud.config import EngineSettings, Settings
from readaloud.engines.base import Engine
from readaloud.engines.edge import EdgeEngine
from readaloud.engines.edge import Unreachable as EdgeUnreachable
from readaloud.engines.espeak import EspeakEngine
from readaloud.engines.gtts import GttsEngine, Unreachable
from readaloud.engines.piper import PiperEngine
from readaloud.engines.throttle import Throttled, shared_limiter


@dataclass(frozen=True)
class EngineSpec:
    """What readaloud must know about an engine before (and without) running it."""

    name: str
    create: Callable[[Settings], Engine]
    max_chars: int  # the longest chunk (after NFC) one request may carry
    needs_network: bool
    # Requests a second for the whole process, from the settings; None: the engine is not throttled.
    rate_cap: Callable[[Settings], float | None]
    # Errors meaning the engine's service cannot be reached at all: retried briefly, then reported as
    # EngineUnavailable so a policy's next engine starts promptly.
    unreachable: tuple[type[Exception], ...]
    # A pattern the first word of the engine's identity() matches in full: which engine spoke a clip.
    identity_word: str
    # Whether it speaks at the [engine] rate (words a minute); otherwise at its own, unconfigurable pace.
    follows_rate: bool

    def owns(self, identity: str) -> bool:
        return re.fullmatch(self.identity_word, identity.split(" ", 1)[0], re.DOTALL) is not None


def _no_cap(_settings: Settings) -> float | None:
    return None


def _google_cap(settings: Settings) -> float | None:
    return settings.gtts.max_requests_per_s


def _edge_cap(settings: Settings) -> float | None:
    return settings.edge.max_requests_per_s


ENGINES: tuple[EngineSpec, ...] = (
    EngineSpec(name="espeak", create=lambda settings: EspeakEngine.from_settings(settings.engine),
               max_chars=EspeakEngine.max_chars, needs_network=False, rate_cap=_no_cap, unreachable=(),
               identity_word=r"espeak.*", follows_rate=True),
    EngineSpec(name="gtts", create=lambda settings: GttsEngine.from_settings(settings.gtts),
               max_chars=GttsEngine.max_chars, needs_network=True, rate_cap=_google_cap,
               unreachable=(Unreachable,), identity_word=r"gtts", follows_rate=False),
    EngineSpec(name="edge", create=lambda settings: EdgeEngine.from_settings(settings.edge),
               max_chars=EdgeEngine.max_chars, needs_network=True, rate_cap=_edge_cap,
               unreachable=(EdgeUnreachable,), identity_word=r"edge-tts", follows_rate=False),
    # Offline, so never throttled; it speaks at its voice's pace ([piper] length_scale), not at [engine] rate.
    EngineSpec(name="piper", create=lambda settings: PiperEngine.from_settings(settings.piper),
               max_chars=PiperEngine.max_chars, needs_network=False, rate_cap=_no_cap, unreachable=(),
               identity_word=r"piper", follows_rate=False),
)
SPECS: dict[str, EngineSpec] = {spec.name: spec for spec in ENGINES}

# Names that are not one engine but an order to try engines in; the first that can speak the whole
# article does.
POLICIES: dict[str, tuple[str, ...]] = {"auto": ("gtts", "espeak")}

# Every name the settings and the command line accept, policies first (config.EngineName must list
# the same: tests/engines/test_registry.py checks).
CHOICES: tuple[str, ...] = (*POLICIES, *SPECS)


def spec(name: str) -> EngineSpec:
    try:
        return SPECS[name]
    except KeyError:
        raise ValueError(f"unknown engine {name!r}") from None


def create(name: str, settings: Settings) -> Engine:
    return spec(name).create(settings)


def with_policy(engine: Engine, settings: Settings) -> Engine:
    """The engine as a build should use it: behind the process-wide rate limiter when its spec states a cap."""
    known = SPECS.get(engine.name)
    cap = known.rate_cap(settings) if known is not None else None
    if cap is None:
        return engine
    return Throttled(engine, shared_limiter(engine.name, cap))


def candidates(name: str) -> tuple[str, ...]:
    """The engines to try for a build, in order."""
    return POLICIES.get(name, (name,))


def is_policy(name: str) -> bool:
    """Whether `name` leaves the engine to a policy (so any engine of it may have spoken)."""
    return name in POLICIES


def is_fallback(wanted: str, spoke: str) -> bool:
    """Whether `spoke` (an engine name) is one `wanted` turns to only when a better one cannot be used."""
    return spoke in candidates(wanted)[1:]


def max_chars(name: str) -> int:
    """The chunk limit to plan with: the smallest over every engine that may speak the article, so a
    fallback never needs a new plan."""
    return min(spec(n).max_chars for n in candidates(name))


def unreachable(name: str) -> tuple[type[Exception], ...]:
    """The errors that mean engine `name` cannot be reached; none for an engine not in the table."""
    known = SPECS.get(name)
    return known.unreachable if known is not None else ()


def family(identity: str) -> str:
    """The engine that spoke a clip, from its identity: 'espeak-ng 1.52.0 voice=vi rate=165' -> 'espeak',
    'gtts 2.5.4 lang=vi tld=com' -> 'gtts'; an identity no engine owns gives its first word."""
    owner = next((known.name for known in ENGINES if known.owns(identity)), None)
    return owner if owner is not None else identity.split(" ", 1)[0]


def speaking_rate(settings: Settings) -> int:
    """Words a minute (espeak-ng's unit) the article will be spoken at: the configured rate when the
    settings name one engine that follows it, else the default rate (a policy may end with any engine)."""
    chosen = SPECS.get(settings.engine.name)
    return settings.engine.rate if chosen is not None and chosen.follows_rate else EngineSettings().rate
