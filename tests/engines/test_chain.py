"""The [engine] chain: `auto` tries its engines in order for the whole article, and sync upgrades an article
spoken by a later engine as soon as an earlier one answers again, along the whole chain.

Real engines throughout: edge-tts against the loopback fake of Microsoft's service (tests/helpers/edge.py),
gTTS with requests' transport answered by `responses` (or refused: the suite is offline), espeak-ng.
"""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest
import requests
import responses

from readaloud import config as cfg
from readaloud import tags
from readaloud.cli import cli
from readaloud.engines import registry
from readaloud.engines.edge import EdgeEngine
from readaloud.errors import SynthesisError
from tests.helpers import cli_runner
from tests.helpers.google import google_reply

GOOGLE = re.compile(r"https://translate\.google\.com/.*")
ARTICLE = "Mưa lớn ở miền Tây\n\nChiều qua trời mưa to. Nhiều tuyến đường ngập nước.\n"


@pytest.fixture
def edge(edge_service, monkeypatch):
    """Microsoft's service as the edge engine sees it: `edge.up()` answers, `edge.down()` refuses connections."""
    import edge_tts.communicate
    from edge_tts.drm import DRM

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody = f"ws://127.0.0.1:{closed.getsockname()[1]}/v1?TrustedClientToken=x"

    class Switch:
        service = edge_service

        def up(self) -> None:
            monkeypatch.setattr(edge_tts.communicate, "WSS_URL", edge_service.wss_url)

        def down(self) -> None:
            monkeypatch.setattr(edge_tts.communicate, "WSS_URL", nobody)

    monkeypatch.setattr(DRM, "clock_skew_seconds", 0.0)
    edge_service.plan.clear()
    edge_service.connections.clear()
    switch = Switch()
    switch.down()
    return switch


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path, Path]:
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "mua.txt").write_text(ARTICLE, encoding="utf-8")
    config = tmp_path / "readaloud.toml"
    config.write_text(
        '[engine]\nname = "auto"\nchain = ["edge", "gtts", "espeak"]\n'
        "[gtts]\nattempts = 1\nbackoff_s = 0.01\nmax_backoff_s = 0.05\ntimeout_s = 2.0\n"
        "[edge]\ntimeout_s = 5.0\n[loudness]\nenabled = false\n"
        f'[cache]\ndir = "{tmp_path / "clips"}"\n', encoding="utf-8")
    return src, out, config


def sync(config: Path, src: Path, out: Path, *extra: str):
    result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out), "--json", *extra])
    return result, json.loads(result.stdout)


def config_of(path: Path) -> cfg.Settings:
    return cfg.load(path)


def spoken_by(out: Path, name: str = "mua.mp3") -> str:
    facts = tags.read_build_facts(out / name)
    assert facts is not None
    return str(facts.provenance.engine)


def test_a_build_walks_the_chain_and_sync_climbs_it_back_one_engine_at_a_time(site, edge, tone_mp3):
    src, out, config = site
    # Tonight neither Microsoft nor Google answers: espeak-ng, the chain's last engine, speaks it all.
    result, report = sync(config, src, out)
    assert result.exit_code == 3, result.output
    assert spoken_by(out).startswith("espeak-ng ") and report["articles"][0]["fallback"]
    warned = result.stderr
    assert warned.index("edge failed") < warned.index("gtts is asked for all of it instead") \
        < warned.index("gtts failed") < warned.index("espeak is asked for all of it instead"), warned

    # A dry run asks nobody and names who could upgrade it.
    result, report = sync(config, src, out, "--dry-run")
    assert report["would_try_upgrade"] == 1
    assert report["articles"][0]["reason"] == "fallback engine espeak: upgraded if edge or gtts answers"

    # Google answers, Microsoft still does not: the article climbs one step, to gTTS.
    with responses.RequestsMock() as google:
        google.add(responses.POST, GOOGLE, body=google_reply(tone_mp3))
        result, report = sync(config, src, out)
    assert result.exit_code == 3, result.output  # better, but still by a fallback of this chain
    assert report["articles"][0]["reason"] == "fallback engine espeak: upgrading"
    assert "edge does not answer" in result.stderr
    assert spoken_by(out).startswith("gtts ") and report["articles"][0]["fallback"]

    # gTTS is still a fallback under this chain: once Microsoft answers, the article is spoken by edge,
    # and Google is never asked.
    edge.up()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as google:
        google.add(responses.POST, GOOGLE, body=requests.ConnectionError("must not be asked"))
        result, report = sync(config, src, out)
        assert len(google.calls) == 0
    assert result.exit_code == 0, result.output
    assert report["articles"][0]["reason"] == "fallback engine gtts: upgrading"
    assert spoken_by(out).startswith("edge-tts ") and not report["articles"][0]["fallback"]

    # The chain's first engine spoke it: up to date, nothing asked.
    edge.down()
    result, report = sync(config, src, out)
    assert result.exit_code == 0 and report["up_to_date"] == 1, result.output
    assert "does not answer" not in result.stderr


def test_a_chain_that_names_an_unknown_engine_or_repeats_one_is_refused(site):
    src, out, config = site
    for chain in ('["edge", "festival"]', '["espeak", "espeak"]', "[]", '["auto"]'):
        config.write_text(f'[engine]\nchain = {chain}\n', encoding="utf-8")
        result = cli_runner().invoke(cli, ["--config", str(config), "sync", str(src), str(out)])
        assert result.exit_code == 2, (chain, result.output)
        assert result.stderr.splitlines() == [
            f"readaloud: error: {config}: engine.chain: expected a list of engines without repeats, from "
            f"espeak, gtts, edge, azure, piper, got {tuple(json.loads(chain))!r}"], chain


def test_engines_lists_the_chain_first_and_check_asks_each_engine_to_speak(site, edge):
    _src, _out, config = site
    listed = cli_runner().invoke(cli, ["--config", str(config), "engines"])
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0] == ("auto tries: edge, gtts, espeak ([engine] chain); chunks of at most 100 characters, the "
                        "shortest limit among them")
    assert [line.split()[:3] for line in lines[1:4]] == [
        ["1", "edge", "available"], ["2", "gtts", "available"], ["3", "espeak", "available"]]
    assert "chunks <= 600 chars, 4 requests/s" in lines[1] and "chunks <= 300 chars  " in lines[3]
    # An engine that cannot run here says why and what to do, without being loaded.
    assert lines[4].split()[:3] == ["azure", "NOT", "AVAILABLE"]
    settings = config_of(config)
    for line, name in ((lines[4], "azure"), (lines[5], "piper")):
        assert line.split()[:3] == [name, "NOT", "AVAILABLE"]
        assert line.endswith(f"; {registry.spec(name).unavailable(settings)}")

    # --check: each engine speaks once, now. Microsoft (the fake) and espeak-ng answer; Google, offline,
    # does not, and it is in the chain: exit 1, for a monitoring job to notice.
    edge.up()
    checked = cli_runner().invoke(cli, ["--config", str(config), "engines", "--check", "--json"])
    assert checked.exit_code == 1, checked.output
    report = json.loads(checked.stdout)
    assert report["ok"] is False and report["chain"] == ["edge", "gtts", "espeak"]
    found = {engine["name"]: engine for engine in report["engines"]}
    assert found["edge"]["check"]["ok"] and found["edge"]["check"]["audio_s"] > 1
    assert found["edge"]["check"]["identity"].startswith("edge-tts ")
    assert found["espeak"]["check"]["ok"] and 1 < found["espeak"]["check"]["audio_s"] < 10
    assert not found["gtts"]["check"]["ok"] and "cannot reach translate.google.com" in found["gtts"]["check"]["error"]
    assert [engine["chain_position"] for engine in report["engines"]] == [1, 2, 3, None, None]
    assert "check" not in found["azure"] and not found["azure"]["available"]  # not asked: it cannot run


def test_an_engine_whose_settings_do_not_let_it_run_hands_over_to_the_next(site):
    """A piper without a voice file: under auto the chain's next engine speaks (exit 3, with a warning);
    named on its own, a configuration error (exit 2), as an Azure engine without a key."""
    src, _out, config = site
    config.write_text('[engine]\nchain = ["piper", "espeak"]\n[loudness]\nenabled = false\n', encoding="utf-8")
    built = cli_runner().invoke(cli, ["--config", str(config), "build", str(src / "mua.txt"), "-o",
                                      str(src / "mua.mp3")])
    assert built.exit_code == 3, built.output
    assert "piper failed (piper.model: no Piper voice is set" in built.stderr
    assert spoken_by(src).startswith("espeak-ng ")
    for engine in ("piper", "azure"):
        alone = cli_runner().invoke(cli, ["--config", str(config), "build", str(src / "mua.txt"), "--engine",
                                          engine, "-o", str(src / "x.mp3")])
        assert alone.exit_code == 2, (engine, alone.output)
        assert len(alone.stderr.splitlines()) == 1 and not (src / "x.mp3").exists()


def test_one_article_a_better_engine_refuses_never_holds_back_the_others(site, edge, monkeypatch):
    src, out, config = site
    config.write_text(config.read_text(encoding="utf-8").replace('"edge", "gtts", "espeak"', '"edge", "espeak"'),
                      encoding="utf-8")
    (src / "a-la.txt").write_text("Chuyện quái lạ\n\nMột câu ở đây.\n", encoding="utf-8")
    result, report = sync(config, src, out)  # Microsoft down: both spoken by espeak-ng
    assert result.exit_code == 3 and report["built"] == 2, result.output

    # Microsoft answers again, but refuses one article's text (as a service may refuse a word it dislikes).
    edge.up()
    speak = EdgeEngine.synthesize

    def refusing(self, text):
        if "quái" in text:
            raise SynthesisError("the service refused this text")
        return speak(self, text)

    monkeypatch.setattr(EdgeEngine, "synthesize", refusing)
    result, report = sync(config, src, out)
    assert result.exit_code == 0, result.output
    outcomes = {Path(o["source"]).name: o for o in report["articles"]}
    # a-la.txt sorts first: its probe is refused, which says nothing about the next article.
    assert outcomes["a-la.txt"]["action"] == "up-to-date"
    assert outcomes["mua.txt"]["reason"] == "fallback engine espeak: upgrading"
    assert "a-la.txt: edge cannot speak it (the service refused this text); kept as spoken by espeak" in result.stderr
    assert spoken_by(out, "a-la.mp3").startswith("espeak-ng ") and spoken_by(out).startswith("edge-tts ")


def test_an_upgrade_that_fails_after_its_probe_never_makes_the_audio_worse(site, edge, tone_mp3):
    src, out, config = site
    # No clip cache: the rebuild cannot lean on the clips gTTS spoke before (an emptied cache is the same).
    text = config.read_text(encoding="utf-8")
    config.write_text(text[:text.index("[cache]")] + "[cache]\nenabled = false\n", encoding="utf-8")
    with responses.RequestsMock() as google:  # Microsoft down, Google up: spoken by gTTS, a fallback
        google.add(responses.POST, GOOGLE, body=google_reply(tone_mp3))
        result, _report = sync(config, src, out)
    assert result.exit_code == 3 and spoken_by(out).startswith("gtts ")
    before = (out / "mua.mp3").read_bytes()
    # Microsoft answers the probe, then fails every request of the rebuild; Google is down again. espeak-ng
    # could speak it, but below gTTS: the rebuild fails and the gTTS audio stays.
    edge.up()
    edge.service.plan.extend(["ok", *[("status", 503)] * 40])
    result, report = sync(config, src, out)
    assert result.exit_code == 1 and report["failed"] == 1, result.output
    assert "espeak" not in report["articles"][0]["reason"], report
    assert (out / "mua.mp3").read_bytes() == before
