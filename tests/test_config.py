import pytest

from readaloud import config
from readaloud.errors import ConfigError
from readaloud.text import lexicon
from tests.helpers import SAMPLES


def test_sample_config_is_complete_and_valid():
    settings = config.load(SAMPLES / "readaloud.toml")
    assert settings.reading.dialect == "south"
    assert settings.publication.datelines == ("ĐTO",)
    assert "Gửi bình luận của bạn" in settings.publication.chrome
    assert settings.reading.lexicon == str(SAMPLES / "lexicon.toml")  # relative to the config file
    assert lexicon.load(settings.reading.lexicon)["ĐTO"] == "Đồng Tháp Online"


@pytest.mark.parametrize(("text", "message"), [
    ("[reading]\ndialect = \"central\"\n", "reading.dialect: expected one of north, south, got 'central'"),
    ("[reading]\nread_captions = \"yes\"\n", "reading.read_captions: expected bool, got str 'yes'"),
    ("[publication]\nchrome = \"Chia sẻ\"\n", "publication.chrome: expected a list of strings"),
    ("[pauses]\nheading = 1.5\n", "pauses.heading: expected int, got float 1.5"),
    ("[voice]\nname = \"vi\"\n", "unknown table [voice]"),
    ("[engine\n", "config is not valid TOML"),
    # values out of range: refused here rather than failing inside ffmpeg or espeak-ng, or quietly changed
    ("[pauses]\nheading = -500\n", "pauses.heading: expected a number from 0 to 10000, got -500"),
    ("[engine]\nrate = 5000\n", "engine.rate: expected a number from 80 to 450, got 5000"),
    ("[engine]\nvoice = \"xx\"\n", "engine.voice: expected one of vi, vi-vn-x-central, vi-vn-x-south, or one of "
                                  "them with a variant (+f1..+f5, +m1..+m8; e.g. vi+f3), got 'xx'"),
    ("[engine]\nvoice = \"vi+x9\"\n", "engine.voice: expected one of vi, vi-vn-x-central, vi-vn-x-south, or"),
    ("[engine]\nvoice = \"en+f3\"\n", "engine.voice: expected one of vi, vi-vn-x-central, vi-vn-x-south, or"),
    ("[mp3]\nbitrate_kbps = 65\n", "mp3.bitrate_kbps: expected an MP3 bit rate (8, 16, 24,"),
    ("[mp3]\nsample_rate = 12345\n", "mp3.sample_rate: expected one of 8000, 11025,"),
    ("[mp3]\nbitrate_kbps = 144\n", "mp3.bitrate_kbps: at 44100 Hz expected one of 32, 40,"),
    ("[mp3]\nquality = 10\n", "mp3.quality: expected a number from 0 to 9, got 10"),
    ("[loudness]\ntarget_lufs = 5\n", "loudness.target_lufs: expected a number from -40 to -5, got 5.0"),
    ("[loudness]\ntrue_peak_db = 3\n", "loudness.true_peak_db: expected a number from -12 to 0, got 3.0"),
    ("[audio]\ntempo = 2\n", "audio.tempo: expected a number from 0.8 to 1.5, got 2.0"),
    ("[gtts]\nconcurrency = 0\n", "gtts.concurrency: expected a number from 1 to 32, got 0"),
    ("[reading]\nmax_article_bytes = 0\n", "reading.max_article_bytes: expected a number from 1 to 100000000"),
])
def test_bad_settings_name_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "readaloud.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


def test_lexicon_errors_name_the_file(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text("[words]\n\"ĐTO\" = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"lexicon.toml: words.'ĐTO': expected a non-empty text"):
        lexicon.load(path)
    with pytest.raises(ConfigError, match="lexicon file not found"):
        lexicon.load(tmp_path / "none.toml")
    assert lexicon.load("") == {}


def test_espeak_voices_are_taken_alone_or_with_a_variant(tmp_path):
    path = tmp_path / "readaloud.toml"
    for voice in ("vi", "vi+f3", "vi-vn-x-south+m1", "vi-vn-x-central+f5"):
        path.write_text(f"[engine]\nvoice = \"{voice}\"\n", encoding="utf-8")
        assert config.load(path).engine.voice == voice
    assert config.is_espeak_voice(config.EngineSettings().voice)


def test_a_bit_rate_valid_at_the_sample_rate_set_beside_it_is_accepted(tmp_path):
    path = tmp_path / "readaloud.toml"
    path.write_text("[mp3]\nbitrate_kbps = 144\nsample_rate = 24000\n", encoding="utf-8")
    assert config.load(path).mp3 == config.Mp3Settings(bitrate_kbps=144, sample_rate=24000)


def test_a_bad_value_from_the_environment_is_one_line_naming_the_variable(tmp_path, monkeypatch):
    from readaloud.cli import cli
    from tests.helpers import cli_runner

    article = tmp_path / "bai.txt"
    article.write_text("Tin ngắn\nNông dân phấn khởi.\n", encoding="utf-8")
    monkeypatch.setenv("READALOUD_PAUSES_SENTENCE", "-500")
    result = cli_runner().invoke(cli, ["build", str(article), "--engine", "espeak"])
    assert result.exit_code == 2  # a settings error is a usage error
    assert result.stderr.splitlines() == [
        "readaloud: error: environment READALOUD_PAUSES_SENTENCE: pauses.sentence: expected a number from 0 to "
        "10000, got -500"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bai.txt"]


def test_a_text_setting_from_the_environment_stays_text_even_when_it_reads_as_a_number():
    environ = {"READALOUD_PUBLICATION_NAME": "2024", "READALOUD_SERVICE_CALLBACK_SECRET": "0x1F",
               "READALOUD_PAUSES_TITLE": "900"}
    settings = config.settle(None, environ, {}, "test").settings
    assert (settings.publication.name, settings.service.callback_secret) == ("2024", "0x1F")
    assert settings.pauses.title == 900


def _origins(runner, *args) -> dict[str, str]:
    import json

    from readaloud.cli import cli

    result = runner.invoke(cli, [*args, "config", "--json"])
    assert result.exit_code == 0, result.output
    return {f"{table}.{key}": f"{entry['value']} <- {entry['origin']}"
            for table, values in json.loads(result.output).items() for key, entry in values.items()}


def test_where_settings_come_from_in_order(tmp_path, monkeypatch):
    # --config beats READALOUD_CONFIG beats ./readaloud.toml beats the user's file; only one file is read;
    # READALOUD_<TABLE>_<KEY> variables beat the file.
    from tests.helpers import cli_runner

    runner = cli_runner()
    user = tmp_path / "user-config" / "readaloud"
    user.mkdir(parents=True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "user-config"))
    (user / "readaloud.toml").write_text("[pauses]\nheading = 1100\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert _origins(runner)["pauses.heading"] == f"1100 <- {user / 'readaloud.toml'}"
    (work / "readaloud.toml").write_text("[pauses]\nheading = 1200\n", encoding="utf-8")
    origins = _origins(runner)
    assert origins["pauses.heading"] == f"1200 <- {work / 'readaloud.toml'}"
    assert origins["pauses.title"] == "1200 <- default"
    named = tmp_path / "named.toml"
    named.write_text("[pauses]\nheading = 1300\n", encoding="utf-8")
    monkeypatch.setenv("READALOUD_CONFIG", str(named))
    assert _origins(runner)["pauses.heading"] == f"1300 <- {named}"
    flag = tmp_path / "flag.toml"
    flag.write_text("[pauses]\nheading = 1400\n[reading]\ndialect = \"south\"\n", encoding="utf-8")
    assert _origins(runner, "--config", str(flag))["pauses.heading"] == f"1400 <- {flag}"
    monkeypatch.setenv("READALOUD_PAUSES_HEADING", "1500")
    origins = _origins(runner, "--config", str(flag))
    assert origins["pauses.heading"] == "1500 <- environment READALOUD_PAUSES_HEADING"
    assert origins["reading.dialect"] == f"south <- {flag}"


def test_config_prints_every_setting_with_its_origin(tmp_path, monkeypatch):
    from readaloud.cli import cli
    from tests.helpers import cli_runner

    monkeypatch.chdir(tmp_path)
    (tmp_path / "readaloud.toml").write_text("[reading]\ndialect = \"south\"\n", encoding="utf-8")
    result = cli_runner().invoke(cli, ["config"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert f'dialect = "south"  # {tmp_path / "readaloud.toml"}' in lines
    assert "bitrate_kbps = 64  # default" in lines
    tables = [line for line in lines if line.startswith("[")]
    assert tables == ["[engine]", "[gtts]", "[edge]", "[azure]", "[piper]", "[reading]", "[publication]", "[pauses]",
                      "[loudness]", "[audio]", "[mp3]", "[cache]", "[service]", "[feed]"]
    settings = [line for line in lines if " = " in line]
    assert len(settings) == sum(len(values) for values in config.as_dict(config.load(None)).values())
    assert all("  # " in line for line in settings)


def test_a_relative_readaloud_config_used_from_another_folder_is_named_in_the_error(tmp_path, monkeypatch):
    from readaloud.cli import cli
    from tests.helpers import cli_runner

    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "readaloud.toml").write_text("[pauses]\nheading = 1300\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("READALOUD_CONFIG", "samples/readaloud.toml")
    result = cli_runner().invoke(cli, ["config"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "readaloud: error: samples/readaloud.toml: config file not found (the path came from READALOUD_CONFIG; "
        f"a relative path is taken from the current folder, {elsewhere})"]
    # The README's form, an absolute path, works from any folder.
    monkeypatch.setenv("READALOUD_CONFIG", str(tmp_path / "samples" / "readaloud.toml"))
    assert cli_runner().invoke(cli, ["config"]).exit_code == 0
    # The same mistake made with --config names no variable.
    result = cli_runner().invoke(cli, ["--config", "nowhere.toml", "config"])
    assert result.exit_code == 2 and "READALOUD_CONFIG" not in result.stderr
    assert "READALOUD_CONFIG" in cli_runner().invoke(cli, ["--help"]).stdout
