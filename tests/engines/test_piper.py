"""The piper engine through the real piper-tts library and a real Piper voice (en_US-joe-medium from PyPI:
tests/helpers/piper.py), and its [piper] settings. Speech is checked by its samples: the voice's rate, a
length that fits the words, and the voice's own silence at the ends, which the pipeline's trim removes."""

from __future__ import annotations

import hashlib
import json
import math
import re
from array import array
from dataclasses import replace
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud import audio, config
from readaloud.cli import cli
from readaloud.config import PiperSettings
from readaloud.engines import piper as piper_engine
from readaloud.engines import registry
from readaloud.engines.piper import PiperEngine
from readaloud.errors import ConfigError, SynthesisError
from readaloud.model import Audio
from tests.helpers import cli_runner
from tests.helpers import piper as voices

TWO_SENTENCES = ("The city council approved the new budget on Tuesday. "
                 "Work on the bridge will begin next spring.")


@pytest.fixture(scope="module")
def model() -> Path:
    return voices.joe_model()


@pytest.fixture(scope="module")
def engine(model) -> PiperEngine:
    # The default concurrency, as a build uses: the CLI test below then reuses this loaded voice.
    return PiperEngine(PiperSettings(model=str(model)))


@pytest.fixture(scope="module")
def speech(engine):
    return engine.synthesize(TWO_SENTENCES)


def _quiet_edges_ms(clip: Audio, dbfs: float = audio.SILENCE_DBFS) -> tuple[float, float]:
    """How long the clip stays below `dbfs` (every sample's own level, not a window's average) at its start
    and at its end, in ms: by default the level below which the pipeline takes an edge for silence."""
    samples = array("h", clip.pcm)
    loud = 32768 * 10 ** (dbfs / 20)
    first = next((i for i, value in enumerate(samples) if abs(value) > loud), len(samples))
    last = next((i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > loud), -1)
    return first * 1000 / clip.sample_rate, (len(samples) - 1 - last) * 1000 / clip.sample_rate


def _rms_dbfs(clip: Audio) -> float:
    samples = array("h", clip.pcm)
    return 20 * math.log10(math.sqrt(sum(v * v for v in samples) / len(samples)) / 32768)


def test_speech_is_pcm_at_the_voices_own_rate(speech, model):
    declared = json.loads(model.with_name(model.name + ".json").read_text(encoding="utf-8"))["audio"]["sample_rate"]
    assert speech.format == "pcm" and speech.original == speech.audio.pcm
    assert speech.audio.sample_rate == declared == voices.JOE_SAMPLE_RATE
    assert speech.words == ()  # Piper gives no word timings: captions share the time out by syllables


def test_speech_lasts_as_long_as_its_words_take_to_say(speech):
    words = len(TWO_SENTENCES.split())  # 17: read aloud at 2 to 4 words a second
    assert words / 4.0 <= speech.audio.duration_s <= words / 2.0
    assert _rms_dbfs(speech.audio) > -30  # speech, not a quiet hum (Piper normalises each sentence)


def test_the_voices_own_silence_at_the_ends_is_trimmed_by_the_pipeline(speech):
    lead, tail = _quiet_edges_ms(speech.audio)
    # Piper leaves tens of ms before a sentence and about a tenth of a second after it (measured on this
    # text: 49-51 and 93-97 ms), which would lengthen every pause readaloud places.
    assert lead >= 20 and tail >= 50
    start, end = audio.trim_bounds(speech.audio)  # what the pipeline does to every clip
    trimmed = Audio(speech.audio.pcm[start * 2 : end * 2], speech.audio.sample_rate)
    trimmed_lead, trimmed_tail = _quiet_edges_ms(trimmed)
    assert trimmed_lead <= 2 and trimmed_tail <= 2
    # Only silence went: no sample cut away is louder than -40 dBFS (the trim averages 1 ms windows, so it
    # also takes the faintest fade at the ends; measured: -51 to -44 dBFS at its loudest).
    samples = array("h", speech.audio.pcm)
    assert max(abs(value) for value in (*samples[:start], *samples[end:])) < 32768 * 10 ** (-40 / 20)


def test_blank_text_is_an_error_not_empty_audio(engine):
    with pytest.raises(SynthesisError, match="no audio"):
        engine.synthesize("  ")


def test_the_spec_states_the_engines_policy():
    spec = registry.spec("piper")
    assert (spec.max_chars, spec.needs_network, spec.unreachable) == (PiperEngine.max_chars, False, ())
    assert spec.rate_cap(config.Settings()) is None and not spec.follows_rate
    assert registry.family("piper 1.8.0 voice=vi_VN-vais1000-medium sha256=0123 json=ab length_scale=1") == "piper"


def test_the_identity_names_the_model_by_digest_and_changes_with_it(engine, model, tmp_path):
    def digests(identity: str) -> str:  # what follows "piper <version> voice=<file name>"
        return identity.split(" ", 3)[3]

    same_file = PiperEngine(PiperSettings(model=str(voices.linked_voice(model, tmp_path / "linked"))))
    assert digests(same_file.identity()) == digests(engine.identity())
    published = f" sha256={voices.JOE_MODEL_SHA256[:16]} "
    assert engine.identity().startswith("piper ") and published in engine.identity()

    # A copy is the same file (same digests, as the linked one above); one byte more and it is another.
    copy = voices.copied_voice(model, tmp_path / "copy")
    with copy.open("ab") as grown:
        grown.write(voices.UNKNOWN_PROTOBUF_FIELD)  # still the same loadable voice
    changed = PiperEngine(PiperSettings(model=str(copy)))
    assert published not in changed.identity()
    assert f" sha256={hashlib.sha256(copy.read_bytes()).hexdigest()[:16]} " in changed.identity()
    assert changed.synthesize("Hello.").audio.samples > 0

    settings_file = copy.with_name(copy.name + ".json")
    data = json.loads(settings_file.read_text(encoding="utf-8"))
    data["inference"]["noise_scale"] = 0.5  # the .json changes the sound too
    settings_file.write_text(json.dumps(data), encoding="utf-8")
    assert PiperEngine(PiperSettings(model=str(copy))).identity() != changed.identity()
    slower = PiperEngine(PiperSettings(model=str(copy), length_scale=1.2)).identity()
    assert slower.endswith(" length_scale=1.2")


def test_a_build_with_piper_writes_a_real_mp3(model, engine, tmp_path):
    voices.linked_voice(model, tmp_path / "voices", "en_US-joe-medium")
    settings = tmp_path / "readaloud.toml"
    # As issue 17 wrote it, [engine] model, and relative to the config file.
    settings.write_text('[engine]\nmodel = "voices/en_US-joe-medium.onnx"\n[pauses]\nsentence = 350\n',
                        encoding="utf-8")
    article = tmp_path / "bridge.txt"
    article.write_text(f"Bridge works\n\n{TWO_SENTENCES}\n", encoding="utf-8")
    out = tmp_path / "bridge.mp3"
    result = cli_runner().invoke(cli, ["--config", str(settings), "build", str(article), "--engine", "piper",
                                       "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["engine"] == engine.identity()  # the model by its digest, whatever path it was found at
    assert report["synthesized"] == 3 and not report["fallback"]
    info = MP3(out).info
    assert info.sample_rate == config.Mp3Settings().sample_rate  # the voice's 22050 Hz, resampled
    played = info.length
    # The title and two sentences, with readaloud's pauses between them (1.2 s after the title, 0.35 s):
    # at least the two sentences' trimmed speech, and no more than a slow reading of all 19 words.
    assert 3.5 <= played <= 19 / 2.0 + 1.2 + 0.35 + 1.0
    assert out.with_suffix(".vtt").read_text(encoding="utf-8").startswith("WEBVTT")


def _build_with(tmp_path: Path, model_line: str) -> tuple[int, str]:
    settings = tmp_path / "readaloud.toml"
    settings.write_text(f"[piper]\n{model_line}\n", encoding="utf-8")
    article = tmp_path / "tin.txt"
    article.write_text("Tin\n\nMột câu.\n", encoding="utf-8")
    result = cli_runner().invoke(cli, ["--config", str(settings), "build", str(article), "--engine", "piper",
                                       "-o", str(tmp_path / "tin.mp3")])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("case", "expected"), [
    ("no model file", r"piper\.model: \S+/missing\.onnx does not exist"),
    ("no .json beside it", r"piper\.model: \S+/voice\.onnx\.json is missing"),
    ("broken .json", r"piper\.model: \S+/voice\.onnx\.json is not valid JSON \(Expecting"),
    ("no sample rate", r"piper\.model: \S+/voice\.onnx\.json has no usable audio\.sample_rate"),
])
def test_a_voice_that_cannot_be_used_is_one_line_naming_the_setting_and_the_file(model, tmp_path, case, expected):
    if case == "no model file":
        line = 'model = "missing.onnx"'
    else:
        voice = tmp_path / "voice.onnx"
        voice.symlink_to(model)
        if case == "broken .json":
            voice.with_name("voice.onnx.json").write_text('{"audio": {"sample_rate": 22050', encoding="utf-8")
        elif case == "no sample rate":
            voice.with_name("voice.onnx.json").write_text('{"audio": {}, "phoneme_id_map": {}}', encoding="utf-8")
        line = 'model = "voice.onnx"'
    code, stderr = _build_with(tmp_path, line)
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and re.search(expected, stderr), stderr


def test_a_file_that_is_no_onnx_voice_is_refused_at_once(tmp_path, model):
    fake = tmp_path / "voice.onnx"
    fake.write_bytes(b"not a model at all")
    fake.with_name("voice.onnx.json").symlink_to(model.with_name(model.name + ".json"))
    with pytest.raises(ConfigError, match=r"^piper\.model: \S+voice\.onnx cannot be loaded as an ONNX voice"):
        PiperEngine(PiperSettings(model=str(fake)))


def test_a_model_whose_digest_is_not_the_published_one_is_refused(model, tmp_path):
    wrong = "0" * 64
    with pytest.raises(ConfigError, match=r"^piper\.sha256: \S+ has SHA-256 58afce03\w+, not the 0000"):
        PiperEngine(PiperSettings(model=str(model), sha256=wrong))
    # The published digest, in either case, is accepted.
    PiperEngine(PiperSettings(model=str(model), sha256=voices.JOE_MODEL_SHA256.upper()))


def test_unavailable_says_why_in_one_line_with_the_fix(model, tmp_path, monkeypatch):
    assert piper_engine.unavailable(PiperSettings(model=str(model))) is None
    assert "put `model = " in (piper_engine.unavailable(PiperSettings()) or "")
    assert (piper_engine.unavailable(PiperSettings(model=str(tmp_path / "x.onnx"))) or "").endswith("does not exist")
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "piper" else real(name, *a))
    assert piper_engine.unavailable(PiperSettings(model=str(model))) == \
        "piper-tts is not installed: install the piper extra: pip install -e '.[piper]' in readaloud's folder"


# The settings themselves: no voice needed.

def test_the_piper_table_is_checked_where_it_is_written(tmp_path):
    path = tmp_path / "readaloud.toml"
    for table, message in [
        ('[piper]\nmodel = "voice.onnx.json"\n', r"piper\.model: expected empty or the path of a Piper voice's .onnx"),
        ('[piper]\nsha256 = "abc"\n', r"piper\.sha256: expected empty or a SHA-256 digest"),
        ('[piper]\nlength_scale = 3.0\n', r"piper\.length_scale: expected 0 \(the voice's own pace\) or a number"),
        ('[piper]\nconcurrency = 0\n', r"piper\.concurrency: expected a number from 1 to 16"),
        ('[engine]\nmodel = "a.onnx"\n[piper]\nmodel = "b.onnx"\n', r"engine\.model and piper\.model name different"),
    ]:
        path.write_text(table, encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"^{path}: .*{message}"):
            config.load(path)


def test_model_paths_are_relative_to_the_config_file_and_engine_model_is_read_as_piper_model(tmp_path):
    path = tmp_path / "conf" / "readaloud.toml"
    path.parent.mkdir()
    path.write_text('[engine]\nname = "piper"\nmodel = "voices/vi_VN-vais1000-medium.onnx"\n', encoding="utf-8")
    settings = config.load(path)
    assert settings.piper.model == str(tmp_path / "conf" / "voices" / "vi_VN-vais1000-medium.onnx")
    assert "model" not in config.as_dict(settings)["engine"]


def test_the_piper_table_rebuilds_for_another_voice_or_pace_only():
    # Under the default chain piper never speaks: its table changes nothing.
    assert config.fingerprint(replace(config.Settings(), piper=PiperSettings(model="/v/a.onnx", length_scale=1.2))) \
        == config.fingerprint(config.Settings())
    default = config.Settings().with_engine("piper")
    assert config.fingerprint(replace(default, piper=PiperSettings(concurrency=1))) == config.fingerprint(default)
    voice = replace(default, piper=PiperSettings(model="/srv/voices/vi_VN-vais1000-medium.onnx"))
    moved = replace(default, piper=PiperSettings(model="/opt/piper/vi_VN-vais1000-medium.onnx", concurrency=1))
    other = replace(default, piper=PiperSettings(model="/srv/voices/vi_VN-25hours_single-low.onnx"))
    # Another voice file is another sound, so sync rebuilds; the same voice moved to another folder is not.
    assert config.fingerprint(voice) == config.fingerprint(moved) != config.fingerprint(other)
    assert len({config.fingerprint(voice), config.fingerprint(other), config.fingerprint(default)}) == 3
    pinned = replace(voice, piper=replace(voice.piper, sha256="ab" * 32))
    assert config.fingerprint(pinned) != config.fingerprint(voice)
    slower = replace(default, piper=PiperSettings(length_scale=1.2))
    assert config.fingerprint(slower) != config.fingerprint(default)
