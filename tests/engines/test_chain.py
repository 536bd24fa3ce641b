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

from readaloud import tags
from readaloud.cli import cli
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


def spoken_by(out: Path) -> str:
    facts = tags.read_build_facts(out / "mua.mp3")
    assert facts is not None
    return str(facts.provenance.engine)


def test_a_build_walks_the_chain_and_sync_climbs_it_back_one_engine_at_a_time(site, edge, tone_mp3):
    src, out, config = site
    # Tonight neither Microsoft nor Google answers: espeak-ng, the chain's last engine, speaks it all.
    result, report = sync(config, src, out)
    assert result.exit_code == 3, result.output
    assert spoken_by(out).startswith("espeak-ng ") and report["articles"][0]["fallback"]
    warned = result.stderr
    assert warned.index("edge failed") < warned.index("all of it is spoken by gtts instead") \
        < warned.index("gtts failed") < warned.index("all of it is spoken by espeak instead"), warned

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
    assert lines[0] == "auto tries: edge, gtts, espeak ([engine] chain)"
    assert [line.split()[:3] for line in lines[1:4]] == [
        ["1", "edge", "available"], ["2", "gtts", "available"], ["3", "espeak", "available"]]
    assert "chunks <= 600 chars, 4 requests/s" in lines[1] and "chunks <= 300 chars  " in lines[3]
    # An engine that cannot run here says why and what to do, without being loaded.
    assert lines[4].split()[:3] == ["azure", "NOT", "AVAILABLE"]
    assert lines[4].endswith("; no Azure Speech key: set READALOUD_AZURE_KEY (or key under [azure])")
    assert lines[5].split()[:3] == ["piper", "NOT", "AVAILABLE"] and "no Piper voice is set" in lines[5]

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
