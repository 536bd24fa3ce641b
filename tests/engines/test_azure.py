"""The azure engine through Microsoft's real Speech SDK, against a fake of the Speech service on loopback
(tests/helpers/azure.py: the SDK's WebSocket protocol, real MP3 frames, a word boundary per word)."""

from __future__ import annotations

import json
import re
import socket
import sys
import xml.etree.ElementTree as ElementTree

import pytest
from mutagen.mp3 import MP3

from readaloud import config
from readaloud.cli import cli
from readaloud.config import AzureSettings
from readaloud.engines import registry
from readaloud.engines.azure import AzureEngine, Unreachable, ssml, unavailable
from readaloud.errors import ConfigError, EngineUnavailable, TransientEngineError
from tests.helpers import cli_runner
from tests.helpers.azure import GOOD_KEY, MP3_FORMAT, ThreadedFakeAzure, starts

TEXT = "Sáng nay trời mưa nhẹ ở Cần Thơ"
HOSTILE = "Giá <5% & \"tăng\" 'mạnh' </voice><voice name=\"x\"> ]]> &amp; hết"


@pytest.fixture(scope="module")
def service():
    served = ThreadedFakeAzure()
    yield served.fake
    served.close()


@pytest.fixture
def fake(service):
    service.plan.clear()
    service.connections.clear()
    service.requests.clear()
    return service


def engine(fake, **settings) -> AzureEngine:
    return AzureEngine(AzureSettings(**{"key": GOOD_KEY, "host": fake.host, "timeout_s": 2.0, **settings}))


def test_one_chunk_gives_its_mp3_and_where_each_word_starts(fake):
    speech = engine(fake).synthesize(TEXT)
    assert speech.format == "mp3" and speech.audio.sample_rate == 24000 and speech.original[:2] == b"\xff\xf3"
    offsets = [found.start() for found in re.finditer(r"\S+", TEXT)]
    assert speech.words == tuple(zip(offsets, starts(TEXT), strict=True))
    asked = fake.requests[0]
    assert (asked["voice"], asked["lang"], asked["text"], asked["format"]) == \
        ("vi-VN-HoaiMyNeural", "vi-VN", TEXT, MP3_FORMAT)
    assert asked["metadata"]["wordBoundaryEnabled"] and not asked["metadata"]["punctuationBoundaryEnabled"]
    assert fake.connections[0]["Ocp-Apim-Subscription-Key"] == GOOD_KEY


def test_hostile_text_is_escaped_and_reaches_the_service_as_the_words_it_is(fake):
    request = ssml(HOSTILE + "\x01", "vi-VN-NamMinhNeural")
    voice = ElementTree.fromstring(request).find("{http://www.w3.org/2001/10/synthesis}voice")
    assert voice is not None and voice.get("name") == "vi-VN-NamMinhNeural" and len(voice) == 0
    speech = engine(fake, voice="vi-VN-NamMinhNeural").synthesize(HOSTILE)
    assert fake.requests[0]["text"] == HOSTILE and fake.requests[0]["voice"] == "vi-VN-NamMinhNeural"
    assert [at for at, _ in speech.words] == [found.start() for found in re.finditer(r"\S+", HOSTILE)]


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limits_and_server_errors_are_retryable_and_the_next_try_succeeds(fake, status):
    fake.plan.append(("status", status))
    speaker = engine(fake)
    with pytest.raises(TransientEngineError, match=f"\\b{status}\\b"):
        speaker.synthesize(TEXT)
    assert speaker.synthesize(TEXT).words and len(fake.connections) == 2


def test_a_connection_cut_mid_answer_is_retryable_never_short_audio(fake):
    fake.plan.append("drop")
    speaker = engine(fake)
    with pytest.raises(TransientEngineError, match="broke off"):
        speaker.synthesize(TEXT)
    assert len(speaker.synthesize(TEXT).words) == len(TEXT.split())
    assert len(fake.connections) == 2  # the broken connection's synthesizer was not used again


def test_a_service_that_stops_answering_times_out(fake):
    fake.plan.append("stall")
    with pytest.raises(TransientEngineError, match="first audio chunk"):
        engine(fake, timeout_s=0.5).synthesize(TEXT)


def test_no_service_at_all_is_unreachable_naming_the_setting():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    with pytest.raises(Unreachable, match=r"Connection refused.*\[azure\] host"):
        AzureEngine(AzureSettings(key=GOOD_KEY, host=f"ws://127.0.0.1:{port}")).synthesize(TEXT)


def test_a_refused_key_is_one_line_naming_the_settings_never_the_key(fake):
    with pytest.raises(EngineUnavailable) as caught:
        engine(fake, key="not-the-key-42").synthesize(TEXT)
    assert "(401)" in str(caught.value) and "READALOUD_AZURE_KEY" in str(caught.value)
    assert "\n" not in str(caught.value) and "not-the-key-42" not in str(caught.value)


def test_what_is_missing_is_said_with_its_fix(monkeypatch):
    assert "READALOUD_AZURE_KEY" in unavailable(AzureSettings())
    assert "region" in unavailable(AzureSettings(key=GOOD_KEY))
    assert unavailable(AzureSettings(key=GOOD_KEY, region="southeastasia")) is None
    monkeypatch.setitem(sys.modules, "azure.cognitiveservices.speech", None)  # as if not installed
    missing = unavailable(AzureSettings(key=GOOD_KEY, region="southeastasia")) or ""
    assert "pip install -e '.[azure]' in readaloud's folder" in missing
    with pytest.raises(EngineUnavailable, match=re.escape(".[azure]")):
        AzureEngine(AzureSettings(key=GOOD_KEY, region="southeastasia"))


def test_the_key_is_never_shown_fingerprinted_or_in_the_identity(tmp_path):
    settings = config.settle(None, {"READALOUD_AZURE_KEY": "0123456789", "READALOUD_AZURE_REGION": "westeurope"},
                             {}, "test").settings
    assert settings.azure.key == "0123456789"  # digits stay text, not a number
    assert "0123456789" not in repr(settings) and config.shown(settings)["azure"]["key"] == "(set, not shown)"
    assert config.fingerprint(settings) == config.fingerprint(config.Settings())
    # Another voice is another sound, once azure may speak (named, or in the chain); not before.
    voiced = config.settle(None, {"READALOUD_AZURE_VOICE": "vi-VN-NamMinhNeural"}, {}, "test").settings
    assert config.fingerprint(voiced) == config.fingerprint(config.Settings())
    for engine in ({"name": "azure"}, {"chain": ["azure", "espeak"]}):
        default = config.settle(None, {}, {"engine": engine}, "test").settings
        voiced = config.settle(None, {"READALOUD_AZURE_VOICE": "vi-VN-NamMinhNeural"}, {"engine": engine},
                               "test").settings
        assert config.fingerprint(voiced) != config.fingerprint(default), engine
    assert "0123456789" not in AzureEngine(settings.azure).identity()
    with pytest.raises(ConfigError, match=r"azure\.key: expected .*got \(not shown\)") as caught:
        config.settle(None, {"READALOUD_AZURE_KEY": "secret with spaces"}, {}, "test")
    assert "secret" not in str(caught.value)
    for host in ("https://example.com/path", "ws://127.0.0.1:99999", "ws://127.0.0.1:0"):
        with pytest.raises(ConfigError, match=r"azure\.host: expected empty or wss://"):
            config.settle(None, {"READALOUD_AZURE_HOST": host}, {}, "test")


def test_the_registry_states_its_policy():
    spec = registry.spec("azure")
    assert spec.needs_network and spec.max_chars == AzureEngine.max_chars and not spec.follows_rate
    assert spec.unreachable == (Unreachable,) and spec.owns("azure-speech 1.53.0 voice=vi-VN-HoaiMyNeural")
    assert spec.rate_cap(config.Settings()) == AzureSettings().max_requests_per_s
    assert "azure" not in registry.candidates(config.EngineSettings())  # not in the default chain


@pytest.fixture
def azure_config(tmp_path):
    path = tmp_path / "readaloud.toml"
    path.write_text("[gtts]\nbackoff_s = 0.01\nmax_backoff_s = 0.05\n"
                    "[azure]\nconcurrency = 1\nmax_requests_per_s = 200.0\n"
                    f"[cache]\ndir = \"{tmp_path / 'cache'}\"\n", encoding="utf-8")
    return path


def _cues(vtt: str) -> list[tuple[float, str]]:
    """(start in ms, text) of each cue of a WebVTT file."""
    found = re.findall(r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> .*\n((?:.+\n?)+)", vtt)
    return [((int(h) * 60 + int(m)) * 60_000 + int(s) * 1000 + int(ms), text.replace("\n", " ").strip())
            for h, m, s, ms, text in found]


def test_build_retries_a_refusal_and_a_cut_and_times_captions_by_the_boundaries(fake, tmp_path, azure_config):
    sentence = ("Sáng nay trời mưa rất to ở khắp các quận trung tâm, nước ngập sâu trên nhiều tuyến đường "
                "chính khiến giao thông gần như tê liệt hoàn toàn.")
    article = tmp_path / "tin.txt"
    article.write_text(f"Mưa lớn ở Cần Thơ\n\n{sentence} Đường phố vắng người.\n", encoding="utf-8")
    fake.plan.extend([("status", 503), "drop"])
    out = tmp_path / "tin.mp3"
    env = {"READALOUD_AZURE_KEY": GOOD_KEY, "READALOUD_AZURE_HOST": fake.host}
    result = cli_runner().invoke(
        cli, ["--config", str(azure_config), "build", str(article), "--engine", "azure", "-o", str(out), "--json"],
        env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["engine"].startswith("azure-speech ") and report["engine"].endswith("voice=vi-VN-HoaiMyNeural")
    assert report["synthesized"] == 3 and not report["fallback"]
    assert len(fake.connections) == 3  # the 503, the cut one, then one for every chunk
    assert [asked["text"] for asked in fake.requests][1:] == ["Mưa lớn ở Cần Thơ", sentence, "Đường phố vắng người."]
    assert MP3(out).info.length == pytest.approx(report["duration_s"], abs=0.1)
    # The long sentence is captioned in two cues; the second starts where the service said its first word
    # does (3 frames a letter), not where sharing the sentence's time out by syllable would put it.
    cues = _cues(out.with_suffix(".vtt").read_text(encoding="utf-8"))
    at = next(index for index, (_, text) in enumerate(cues) if text.startswith("Sáng nay"))
    shown = len(cues[at][1].split())
    words = sentence.split()
    assert cues[at + 1][1].split()[0] == words[shown]
    times = starts(sentence)
    assert cues[at + 1][0] - cues[at][0] == pytest.approx((times[shown] - times[0]) / 24, abs=2)
    by_syllable = (starts(sentence + " end")[-1] * shown / len(words) - times[0]) / 24
    assert abs(by_syllable - (times[shown] - times[0]) / 24) > 200


def test_build_with_a_wrong_key_fails_in_one_line_naming_the_setting(fake, tmp_path, azure_config):
    article = tmp_path / "tin.txt"
    article.write_text("Mưa ở Cần Thơ\n\nĐường phố vắng người.\n", encoding="utf-8")
    env = {"READALOUD_AZURE_KEY": "wrong-key-0042", "READALOUD_AZURE_HOST": fake.host}
    result = cli_runner().invoke(
        cli, ["--config", str(azure_config), "build", str(article), "--engine", "azure", "-o",
              str(tmp_path / "tin.mp3")], env=env)
    assert result.exit_code == EngineUnavailable.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "READALOUD_AZURE_KEY" in lines[0] and "[azure] host" in lines[0], result.stderr
    assert "wrong-key-0042" not in result.output + result.stderr
    assert not (tmp_path / "tin.mp3").exists()
