"""The edge engine through the real edge-tts library, against a fake of Microsoft's service on loopback
(tests/helpers/edge.py: its WebSocket protocol, real MP3 frames, a word boundary per word)."""

from __future__ import annotations

import json

import pytest

from readaloud.cli import cli
from readaloud.config import EdgeSettings
from readaloud.engines.edge import EdgeEngine, Unreachable
from readaloud.errors import EngineUnavailable, TransientEngineError
from tests.helpers import cli_runner
from tests.helpers.edge import FRAME_TICKS, WORD_FRAMES

TEXT = "Sáng nay trời mưa nhẹ ở Cần Thơ"


@pytest.fixture
def fake(edge_service, monkeypatch):
    import edge_tts.communicate
    from edge_tts.drm import DRM

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", edge_service.wss_url)
    monkeypatch.setattr(DRM, "clock_skew_seconds", 0.0)  # a 403 makes edge-tts adjust this, process-wide
    edge_service.plan.clear()
    edge_service.connections.clear()
    return edge_service


def test_one_chunk_gives_its_mp3_and_where_each_word_starts(fake):
    speech = EdgeEngine(EdgeSettings(timeout_s=10)).synthesize(TEXT)
    assert speech.format == "mp3" and speech.audio.sample_rate == 24000
    words = TEXT.split()
    # The fake speaks 2 frames of lead-in, then WORD_FRAMES frames a word: its boundaries, in samples.
    step = WORD_FRAMES * FRAME_TICKS * 24000 // 10_000_000
    lead = 2 * FRAME_TICKS * 24000 // 10_000_000
    starts = [TEXT.index(word) for word in words]
    assert speech.words == tuple((char, lead + n * step) for n, char in enumerate(starts))
    assert speech.audio.samples >= lead + len(words) * step - 1200
    sent = fake.connections[0]["messages"]
    assert '"wordBoundaryEnabled":"true"' in sent[0] and "(vi-VN, HoaiMyNeural)" in sent[1]


def test_a_connection_cut_mid_answer_is_a_retryable_error_not_short_audio(fake):
    fake.plan.append("drop")
    with pytest.raises(TransientEngineError, match="stopped at word 1 of about 8"):
        EdgeEngine().synthesize(TEXT)


def test_a_service_that_stops_answering_times_out(fake):
    fake.plan.append("stall")
    with pytest.raises(TransientEngineError, match="within 1 s"):
        EdgeEngine(EdgeSettings(timeout_s=1.0)).synthesize(TEXT)


@pytest.mark.parametrize(("status", "retry_after"), [(429, 2.0), (503, None)])
def test_rate_limits_and_server_errors_are_retried(fake, status, retry_after):
    fake.plan.append(("status", status))
    with pytest.raises(TransientEngineError) as caught:
        EdgeEngine().synthesize(TEXT)
    assert caught.value.retry_after == retry_after


def test_a_refused_token_says_to_upgrade_edge_tts(fake):
    fake.plan.extend([("status", 403), ("status", 403)])  # edge-tts retries a 403 once itself
    with pytest.raises(EngineUnavailable, match="upgrade edge-tts"):
        EdgeEngine().synthesize(TEXT)
    assert len(fake.connections) == 2


def test_no_service_at_all_is_unreachable(monkeypatch):
    import socket

    import edge_tts.communicate

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", f"ws://127.0.0.1:{port}/v1?TrustedClientToken=x")
    with pytest.raises(Unreachable):
        EdgeEngine().synthesize(TEXT)


def test_build_with_edge_retries_a_server_error_and_records_the_voice(fake, tmp_path, fast_config):
    article = tmp_path / "tin.txt"
    article.write_text("Mưa ở Cần Thơ\n\nSáng nay trời mưa nhẹ. Đường phố vắng người qua lại.\n", encoding="utf-8")
    fake.plan.append(("status", 503))
    out = tmp_path / "tin.mp3"
    result = cli_runner().invoke(
        cli,
        ["--config", str(fast_config), "build", str(article), "--engine", "edge", "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["engine"].startswith("edge-tts ") and report["engine"].endswith("voice=vi-VN-HoaiMyNeural")
    assert report["synthesized"] >= 2 and not report["fallback"]
    assert len(fake.connections) == report["synthesized"] + 1  # the 503, then one request a chunk
    assert out.with_suffix(".vtt").read_text(encoding="utf-8").startswith("WEBVTT")
