"""Every engine's policy in one table, and the few questions the rest of readaloud asks of it.

Code outside this package never tests an engine's name: it asks here how long a chunk may be, whether a
request must be throttled, which engine spoke a clip, or whether that engine was a fallback. `auto` is
not an engine but a policy: the [engine] chain, an order to try engines in (by default Google first and
espeak-ng for the whole article if Google cannot be used).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from readaloud.config import POLICY_NAMES, EngineSettings, Settings
from readaloud.engines.azure import AzureEngine
from readaloud.engines.azure import Unreachable as AzureUnreachable
from readaloud.engines.azure import unavailable as azure_unavailable
from readaloud.engines.base import Engine
from readaloud.engines.edge import EdgeEngine
from readaloud.engines.edge import Unreachable as EdgeUnreachable
from readaloud.engines.espeak import EspeakEngine
from readaloud.engines.gtts import GttsEngine, Unreachable
from readaloud.engines.piper import PiperEngine
from readaloud.engines.piper import unavailable as piper_unavailable
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
    what: str  # one line for `readaloud engines`: the voice, where it runs, what it needs
    # Why the engine cannot run on this machine with these settings, with the fix, or None when it can
    # (asked without contacting anything: a missing library, key or model file; a model file is read).
    unavailable: Callable[[Settings], str | None]

    def owns(self, identity: str) -> bool:
        return re.fullmatch(self.identity_word, identity.split(" ", 1)[0], re.DOTALL) is not None


def _missing(module: str, package: str, extra: str | None = None) -> str | None:
    """Why an engine's library cannot be imported here (without importing it), or None."""
    import importlib.util

    if importlib.util.find_spec(module) is not None:
        return None
    how = f"pip install -e '.[{extra}]' in readaloud's folder" if extra else f"pip install {package}"
    return f"the {package} library is not installed ({how})"


def _no_cap(_settings: Settings) -> float | None:
    return None


def _google_cap(settings: Settings) -> float | None:
    return settings.gtts.max_requests_per_s


def _edge_cap(settings: Settings) -> float | None:
    return settings.edge.max_requests_per_s


def _azure_cap(settings: Settings) -> float | None:
    return settings.azure.max_requests_per_s


ENGINES: tuple[EngineSpec, ...] = (
    EngineSpec(name="espeak", create=lambda settings: EspeakEngine.from_settings(settings.engine),
               max_chars=EspeakEngine.max_chars, needs_network=False, rate_cap=_no_cap, unreachable=(),
               identity_word=r"espeak.*", follows_rate=True,
               what="espeak-ng, offline, from the espeakng-loader wheel: robotic but always there",
               unavailable=lambda _settings: _missing("espeakng_loader", "espeakng-loader")),
    EngineSpec(name="gtts", create=lambda settings: GttsEngine.from_settings(settings.gtts),
               max_chars=GttsEngine.max_chars, needs_network=True, rate_cap=_google_cap,
               unreachable=(Unreachable,), identity_word=r"gtts", follows_rate=False,
               what="Google Translate's voice through gTTS: online, no key, unofficial",
               unavailable=lambda _settings: _missing("gtts", "gTTS")),
    EngineSpec(name="edge", create=lambda settings: EdgeEngine.from_settings(settings.edge),
               max_chars=EdgeEngine.max_chars, needs_network=True, rate_cap=_edge_cap,
               unreachable=(EdgeUnreachable,), identity_word=r"edge-tts", follows_rate=False,
               what="Microsoft's neural voices through edge-tts: online, no key, unofficial",
               unavailable=lambda _settings: _missing("edge_tts", "edge-tts")),
    EngineSpec(name="azure", create=lambda settings: AzureEngine.from_settings(settings.azure),
               max_chars=AzureEngine.max_chars, needs_network=True, rate_cap=_azure_cap,
               unreachable=(AzureUnreachable,), identity_word=r"azure-speech", follows_rate=False,
               what="Microsoft's neural voices through Azure's Speech service: online, official, a key "
                    "(paid, or the free tier)",
               unavailable=lambda settings: azure_unavailable(settings.azure)),
    # Offline, so never throttled; it speaks at its voice's pace ([piper] length_scale), not at [engine] rate.
    EngineSpec(name="piper", create=lambda settings: PiperEngine.from_settings(settings.piper),
               max_chars=PiperEngine.max_chars, needs_network=False, rate_cap=_no_cap, unreachable=(),
               identity_word=r"piper", follows_rate=False,
               what="Piper's neural voices through piper-tts, offline, with a voice file the newsroom provides",
               unavailable=lambda settings: piper_unavailable(settings.piper)),
)
SPECS: dict[str, EngineSpec] = {spec.name: spec for spec in ENGINES}

# Every name the settings and the command line accept, the policy first (config.EngineName must list the
# same: tests/engines/test_registry.py checks). `auto` is the one policy: the [engine] chain.
CHOICES: tuple[str, ...] = (*POLICY_NAMES, *SPECS)


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


def candidates(engine: EngineSettings) -> tuple[str, ...]:
    """The engines to try for a build, in order: the chain under `auto`, else the one engine named."""
    return engine.chain if is_policy(engine.name) else (engine.name,)


def is_policy(name: str) -> bool:
    """Whether `name` leaves the engine to a policy (so any engine of it may have spoken)."""
    return name in POLICY_NAMES


def better_than(engine: EngineSettings, spoke: str) -> tuple[str, ...]:
    """The engines the settings prefer to `spoke`, best first: those an upgrade may come from. Under `auto`
    an engine the chain does not name (it was dropped from it) is below all of it; an unknown speaker ("")
    and an engine named on its own have nothing better."""
    if not spoke or not is_policy(engine.name):
        return ()
    names = candidates(engine)
    return names[:names.index(spoke)] if spoke in names else names


def upgrade_engines(engine: EngineSettings, spoke: str) -> tuple[str, ...]:
    """The engines an upgrade of an article `spoke` spoke may try, in order: the better ones, then `spoke`
    itself, never one below it (an upgrade must not make the audio worse)."""
    better = better_than(engine, spoke)
    return (*better, spoke) if spoke in candidates(engine) else better


def max_chars(engine: EngineSettings) -> int:
    """The chunk limit to plan with: the smallest over every engine that may speak the article, so a
    fallback never needs a new plan."""
    return min(spec(n).max_chars for n in candidates(engine))


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


@dataclass(frozen=True)
class EngineStatus:
    """One engine as `readaloud engines` shows it: what it is, whether it can run here, and its limits."""

    name: str
    what: str
    unavailable: str | None  # why it cannot run here (with the fix); None: it can
    chain_position: int | None  # 1 for the first engine `auto` tries; None when not in the chain
    max_chars: int
    requests_per_s: float | None  # the process-wide cap; None: not throttled
    needs_network: bool


def survey(settings: Settings) -> list[EngineStatus]:
    """Every engine readaloud knows, those a build tries first (the chain under `auto`, else the engine
    named), with whether it can run on this machine."""
    chain = candidates(settings.engine)
    ordered = sorted(ENGINES, key=lambda known: chain.index(known.name) if known.name in chain else len(chain))
    return [EngineStatus(name=known.name, what=known.what, unavailable=known.unavailable(settings),
                         chain_position=chain.index(known.name) + 1 if known.name in chain else None,
                         max_chars=known.max_chars, requests_per_s=known.rate_cap(settings),
                         needs_network=known.needs_network)
            for known in ordered]


# What `readaloud engines --check` asks every engine to say: short, every tone, a number read out.
CHECK_TEXT = "Xin chào, đây là bản tin thử lúc tám giờ sáng."


@dataclass(frozen=True)
class CheckResult:
    name: str
    error: str | None  # the engine's one-line error; None when it spoke
    seconds: float  # from asking to the whole answer (loading the engine included)
    audio_s: float  # how long the answer plays
    identity: str  # the engine's identity (version, voice): what a build would record


def check(name: str, settings: Settings, text: str = CHECK_TEXT) -> CheckResult:
    """Ask engine `name` to speak `text` once, now: no cache, no retry, so the answer is today's."""
    import time

    from readaloud.errors import ReadaloudError

    started = time.monotonic()
    identity = ""
    try:
        engine = create(name, settings)
        identity = engine.identity()
        speech = with_policy(engine, settings).synthesize(text)
    except ReadaloudError as exc:
        return CheckResult(name, str(exc), round(time.monotonic() - started, 3), 0.0, identity)
    return CheckResult(name, None, round(time.monotonic() - started, 3), round(speech.audio.duration_s, 3), identity)
