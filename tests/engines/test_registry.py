"""The engine registry: each engine's policy stated once in its table, behaviour that follows the table,
and no engine name tested anywhere outside the engines package."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path
from typing import get_args

import pytest

from readaloud import config
from readaloud.engines import registry
from readaloud.engines.espeak import EspeakEngine
from readaloud.engines.gtts import GttsEngine, Unreachable
from readaloud.engines.runner import RetryPolicy, Stats, synthesize_in_order
from readaloud.engines.throttle import Throttled, shared_limiter
from readaloud.errors import EngineUnavailable

SOURCE = Path(__file__).resolve().parents[2] / "src" / "readaloud"


class _Fake:
    """An engine under any name, failing every request with `error` (or speaking nothing at all)."""

    max_chars = 100
    concurrency = 1

    def __init__(self, name: str, error: Exception | None = None):
        self.name = name
        self.error = error

    def identity(self) -> str:
        return f"{self.name} 0"

    def synthesize(self, text: str):
        if self.error is not None:
            raise self.error
        raise AssertionError("not expected to speak")


def _settings(rate_cap: float = 7.5) -> config.Settings:
    settings = config.Settings()
    return replace(settings, gtts=replace(settings.gtts, max_requests_per_s=rate_cap))


def test_the_table_states_each_engines_policy():
    espeak, gtts = registry.spec("espeak"), registry.spec("gtts")
    assert (espeak.max_chars, espeak.needs_network, espeak.unreachable) == (300, False, ())
    assert (gtts.max_chars, gtts.needs_network, gtts.unreachable) == (100, True, (Unreachable,))
    # The chunk limit is the engine's own, not a second copy that could drift from it.
    assert (espeak.max_chars, gtts.max_chars) == (EspeakEngine.max_chars, GttsEngine.max_chars)
    # The rate cap is the configurable one, read from the settings; espeak-ng runs uncapped.
    assert gtts.rate_cap(_settings(7.5)) == 7.5
    assert espeak.rate_cap(_settings(7.5)) is None
    assert espeak.follows_rate and not gtts.follows_rate


def test_names_and_the_auto_order_are_data():
    assert registry.CHOICES == ("auto", "espeak", "gtts", "edge", "azure", "piper")
    # The settings accept exactly the names the table states (config cannot import the registry).
    assert get_args(config.EngineName) == registry.CHOICES
    assert [spec.name for spec in registry.ENGINES] == ["espeak", "gtts", "edge", "azure", "piper"]
    assert registry.candidates(config.EngineSettings()) == ("gtts", "espeak")  # auto: the default chain
    assert registry.candidates(config.EngineSettings(name="espeak")) == ("espeak",)
    chain = config.EngineSettings(chain=("edge", "gtts", "espeak"))
    assert registry.candidates(chain) == ("edge", "gtts", "espeak")
    assert registry.candidates(replace(chain, name="gtts")) == ("gtts",)  # one engine named: the chain is unused
    assert registry.is_policy("auto") and not registry.is_policy("espeak") and not registry.is_policy("gtts")
    with pytest.raises(ValueError, match="unknown engine 'festival'"):
        registry.create("festival", config.Settings())


def test_the_chunk_limit_is_the_smallest_an_engine_of_the_choice_allows():
    assert registry.max_chars(config.EngineSettings(name="espeak")) == 300
    assert registry.max_chars(config.EngineSettings(name="gtts")) == 100
    assert registry.max_chars(config.EngineSettings()) == 100  # a fallback to espeak-ng never needs a new plan
    assert registry.max_chars(config.EngineSettings(chain=("edge", "espeak"))) == 300


def test_only_an_engine_with_a_rate_cap_is_throttled():
    settings = _settings(7.5)
    capped = registry.with_policy(_Fake("gtts"), settings)
    assert isinstance(capped, Throttled)
    assert capped.limiter is shared_limiter("gtts", 7.5)  # one limiter per engine for the whole process
    assert capped.name == "gtts" and capped.max_chars == 100
    for name in ("espeak", "some-other-engine"):
        engine = _Fake(name)
        assert registry.with_policy(engine, settings) is engine


def test_an_upgrade_may_come_from_any_engine_earlier_in_the_chain():
    auto, espeak, gtts = (config.EngineSettings(name=name) for name in ("auto", "espeak", "gtts"))
    assert registry.better_than(auto, "espeak") == ("gtts",) and registry.better_than(auto, "gtts") == ()
    assert registry.better_than(espeak, "espeak") == () and registry.better_than(gtts, "espeak") == ()
    assert registry.better_than(auto, "") == ()  # nobody known spoke it: nothing to compare with
    chain = config.EngineSettings(chain=("edge", "gtts", "espeak"))
    assert registry.better_than(chain, "espeak") == ("edge", "gtts")
    assert registry.better_than(chain, "gtts") == ("edge",)
    assert registry.better_than(chain, "edge") == ()
    # An engine dropped from the chain is below all of it: its articles are upgraded by any that answers.
    assert registry.better_than(chain, "piper") == ("edge", "gtts", "espeak")
    assert registry.better_than(replace(chain, name="espeak"), "espeak") == ()  # one engine named: no upgrade


def test_an_upgrade_never_tries_an_engine_below_the_one_that_spoke():
    chain = config.EngineSettings(chain=("edge", "gtts", "espeak"))
    assert registry.upgrade_engines(chain, "gtts") == ("edge", "gtts")
    assert registry.upgrade_engines(chain, "espeak") == ("edge", "gtts", "espeak")
    assert registry.upgrade_engines(chain, "piper") == ("edge", "gtts", "espeak")


@pytest.mark.parametrize(("identity", "family"), [
    ("espeak-ng 1.52.0 voice=vi rate=165", "espeak"),
    ("espeak 1.48 voice=vi", "espeak"),
    ("gtts 2.5.4 lang=vi tld=com", "gtts"),
    ("gttsx 1 lang=vi", "gttsx"),  # not Google's: an identity no engine owns keeps its first word
    ("festival 2.5", "festival"),
    ("", ""),
])
def test_the_engine_that_spoke_is_found_from_its_identity(identity, family):
    assert registry.family(identity) == family


def test_only_an_engine_that_follows_the_rate_setting_is_timed_at_it():
    settings = config.Settings()
    fast = replace(settings, engine=replace(settings.engine, rate=300))
    default = config.EngineSettings().rate
    assert registry.speaking_rate(fast.with_engine("espeak")) == 300
    assert registry.speaking_rate(fast.with_engine("gtts")) == default
    assert registry.speaking_rate(fast.with_engine("auto")) == default


def test_unreachable_means_what_the_engines_spec_says():
    # Under Google's spec an Unreachable error is retried briefly, then reported as EngineUnavailable.
    stats = Stats()
    with pytest.raises(EngineUnavailable, match="no route"):
        list(synthesize_in_order(_Fake("gtts", Unreachable("no route")), ["x"], RetryPolicy(), sleep=lambda _: None,
                                 stats=stats, unreachable=registry.unreachable("gtts")))
    assert stats.requests == RetryPolicy().unreachable_attempts
    # An engine whose spec names no such error retries it like any other transient failure.
    stats = Stats()
    with pytest.raises(Unreachable, match="no route"):
        list(synthesize_in_order(_Fake("espeak", Unreachable("no route")), ["x"], RetryPolicy(),
                                 sleep=lambda _: None, stats=stats, unreachable=registry.unreachable("espeak")))
    assert stats.requests == RetryPolicy().attempts


def _names_compared_outside_engines(root: Path = SOURCE) -> list[str]:
    """Every comparison with an engine or policy name literal in the package at `root`, outside its engines."""
    names = set(registry.CHOICES)
    found = []
    for path in sorted(root.rglob("*.py")):
        if (root / "engines") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            operands = [node.left, *node.comparators]
            literals = [item for operand in operands
                        for item in (operand.elts if isinstance(operand, ast.Tuple | ast.List | ast.Set) else [operand])
                        if isinstance(item, ast.Constant) and item.value in names]
            found += [f"{path.relative_to(root)}:{node.lineno}" for _ in literals[:1]]
    return found


def test_no_engine_name_is_tested_outside_the_engines_package():
    assert _names_compared_outside_engines() == []


def test_the_static_check_sees_a_comparison(tmp_path):
    # The check above would pass trivially if it found nothing to look at: it must flag a planted one.
    (tmp_path / "engines").mkdir()
    (tmp_path / "engines" / "ok.py").write_text('if name == "gtts": pass\n')
    (tmp_path / "bad.py").write_text('x = 1 if name in ("auto", "x") else 2\nif name == "espeak": pass\n')
    assert sorted(_names_compared_outside_engines(tmp_path)) == ["bad.py:1", "bad.py:2"]


@pytest.mark.parametrize("module", ["runner.py", "throttle.py", "base.py"])
def test_the_generic_parts_import_no_particular_engine(module):
    tree = ast.parse((SOURCE / "engines" / module).read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    # Nor the registry, which imports every engine (and, through config, the text package).
    assert not {name for name in imported if name.startswith(("readaloud.engines.espeak", "readaloud.engines.gtts",
                                                              "readaloud.engines.registry"))}
    assert "registry" not in {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                              and node.module == "readaloud.engines" for alias in node.names}
