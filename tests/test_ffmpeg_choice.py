"""[audio] ffmpeg: which ffmpeg readaloud runs (auto, system, bundled or a path), with real ffmpeg.

PATH is always this test's own: a folder holding a link to the bundled ffmpeg stands for "the system's",
so nothing here depends on what the host has installed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import imageio_ffmpeg
import pytest

from readaloud import Builder, config, load_settings
from readaloud.audio import runner
from readaloud.cli import cli
from readaloud.errors import ConfigError, ToolError
from tests.helpers import cli_runner

ARTICLE = "Tin ngắn\nNông dân phấn khởi vì được mùa.\n"
EXPECTED = "expected auto, system, bundled or the path of an ffmpeg executable"


@pytest.fixture(autouse=True)
def choice_back_to_auto(monkeypatch):
    """Each test starts and ends with the default choice: the runner's is the process's."""
    monkeypatch.delenv("IMAGEIO_FFMPEG_EXE", raising=False)
    runner.use("auto")
    runner.ffmpeg_path.cache_clear()
    yield
    runner.use("auto")
    runner.ffmpeg_path.cache_clear()


@pytest.fixture
def bundled() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


@pytest.fixture
def system(tmp_path, monkeypatch, bundled) -> Path:
    """A PATH of one folder whose ffmpeg (a link to the bundled one) is "the system's"."""
    folder = tmp_path / "system-bin"
    folder.mkdir()
    (folder / "ffmpeg").symlink_to(bundled)
    monkeypatch.setenv("PATH", str(folder))
    return folder / "ffmpeg"


def _logging_ffmpeg(folder: Path, bundled: str, name: str = "my-ffmpeg") -> tuple[Path, Path]:
    """An executable that writes each command line it is given to a log, then runs the bundled ffmpeg."""
    log = folder / f"{name}.log"
    wrapper = folder / name
    wrapper.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> '{log}'\nexec '{bundled}' \"$@\"\n", encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper, log


def test_each_choice_resolves_to_its_ffmpeg(system, bundled, tmp_path, monkeypatch):
    assert runner.chosen("auto") == (str(system), "auto: the system's, first on PATH")
    assert runner.chosen("system") == (str(system), "system: the system's, first on PATH")
    assert runner.chosen("bundled") == (bundled, "bundled: the one in imageio-ffmpeg")
    wrapper, _ = _logging_ffmpeg(tmp_path, bundled)
    assert runner.chosen(str(wrapper)) == (str(wrapper), "the path audio.ffmpeg names")
    monkeypatch.chdir(tmp_path)  # a relative path is made absolute, never looked up on PATH
    assert runner.chosen("my-ffmpeg")[0] == str(wrapper)

    # And ffmpeg_path() follows each `use`, without arguments.
    assert runner.ffmpeg_path() == str(system)
    runner.use("bundled")
    assert runner.ffmpeg_path() == bundled
    runner.use(str(wrapper))
    assert runner.ffmpeg_path() == str(wrapper)


def test_with_no_ffmpeg_on_path_auto_takes_the_bundled_one_and_system_says_so(tmp_path, monkeypatch, bundled):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert runner.chosen("auto") == (bundled, "auto: none on PATH, so the one bundled in imageio-ffmpeg")
    with pytest.raises(ToolError) as info:
        runner.chosen("system")
    assert str(info.value) == ('audio.ffmpeg is "system" but there is no ffmpeg on PATH: install ffmpeg, or set '
                               'audio.ffmpeg to "bundled" or "auto"')
    runner.use("system")
    with pytest.raises(ToolError, match="no ffmpeg on PATH"):
        runner.run(["-f", "lavfi", "-i", "anullsrc", "-t", "0.1", "-f", "null", "-"])


def test_bundled_without_the_wheel_or_its_binary_says_so(system, monkeypatch):
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", None)  # the wheel is not installed: import fails
    with pytest.raises(ToolError) as info:
        runner.chosen("bundled")
    message = str(info.value)
    assert message.startswith('audio.ffmpeg is "bundled" but imageio-ffmpeg has no ffmpeg here (')
    assert message.endswith('install the imageio-ffmpeg package, or set audio.ffmpeg to "system" or "auto"')
    assert "\n" not in message
    assert runner.chosen("auto")[0] == str(system)  # auto still has the system's
    monkeypatch.setitem(sys.modules, "imageio_ffmpeg", imageio_ffmpeg)
    # A wheel with no binary for this machine: imageio-ffmpeg answers with the system's bare name.
    monkeypatch.setattr(imageio_ffmpeg, "get_ffmpeg_exe", lambda: "ffmpeg")
    with pytest.raises(ToolError, match=r"\(the wheel holds no ffmpeg for this machine\)"):
        runner.chosen("bundled")


@pytest.mark.parametrize(("value", "message"), [
    ('""', f"audio.ffmpeg: {EXPECTED}, got ''"),
    ("5", "audio.ffmpeg: expected str, got int 5"),
    ('"Auto"', "audio.ffmpeg: {folder}/Auto does not exist ({expected})"),  # a path: relative to the file
    ('"bin/ffmpeg"', "audio.ffmpeg: {folder}/bin/ffmpeg does not exist ({expected})"),
    ('"plain.txt"', "audio.ffmpeg: {folder}/plain.txt is not executable ({expected})"),
    ('"."', "audio.ffmpeg: {folder} is not a file ({expected})"),
])
def test_bad_values_are_one_line_naming_the_file_and_key(tmp_path, value, message):
    (tmp_path / "plain.txt").write_text("not a program\n", encoding="utf-8")
    path = tmp_path / "readaloud.toml"
    path.write_text(f"[audio]\nffmpeg = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        config.load(path)
    assert str(info.value) == f"{path}: " + message.format(folder=tmp_path, expected=EXPECTED)


def test_a_bad_value_stops_a_command_with_one_line(tmp_path, monkeypatch):
    article = tmp_path / "bai.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("READALOUD_AUDIO_FFMPEG", str(tmp_path / "missing"))
    result = cli_runner().invoke(cli, ["build", str(article), "--engine", "espeak"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"readaloud: error: environment READALOUD_AUDIO_FFMPEG: audio.ffmpeg: {tmp_path / 'missing'} does not "
        f"exist ({EXPECTED})"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bai.txt"]


def test_system_with_none_on_path_fails_the_build_with_one_line(tmp_path, monkeypatch):
    article = tmp_path / "bai.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("READALOUD_AUDIO_FFMPEG", "system")
    result = cli_runner().invoke(cli, ["build", str(article), "--engine", "espeak"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        'readaloud: error: audio.ffmpeg is "system" but there is no ffmpeg on PATH: install ffmpeg, or set '
        'audio.ffmpeg to "bundled" or "auto"']
    assert sorted(path.name for path in tmp_path.iterdir()) == ["bai.txt"]


def test_a_path_in_the_settings_file_is_the_ffmpeg_every_build_step_runs(tmp_path, monkeypatch, bundled):
    # A trap first on PATH: an ffmpeg that fails and tells. The chosen one must be the only one started.
    trap, trapped = _logging_ffmpeg(tmp_path, "/bin/false", name="ffmpeg")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert runner.chosen("auto")[0] == str(trap)
    tools = tmp_path / "tools"
    tools.mkdir()
    _, log = _logging_ffmpeg(tools, bundled)
    settings = tmp_path / "readaloud.toml"
    settings.write_text('[audio]\nffmpeg = "tools/my-ffmpeg"\n', encoding="utf-8")  # relative to this file
    article = tmp_path / "bai.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = cli_runner().invoke(cli, ["--config", str(settings), "build", str(article), "-o",
                                       str(tmp_path / "bai.mp3"), "--engine", "espeak", "--json"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "bai.mp3").stat().st_size > 1000
    calls = log.read_text(encoding="utf-8").splitlines()
    assert any("libmp3lame" in call for call in calls)  # the encode, and the decoding and metering around it
    assert not trapped.exists()


def test_the_environment_variable_chooses_for_inspect_and_the_library(tmp_path, monkeypatch, bundled, system):
    wrapper, log = _logging_ffmpeg(tmp_path, bundled)
    mp3 = tmp_path / "tone.mp3"
    runner.run(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "libmp3lame", runner.url(mp3)])
    assert not log.exists()  # auto: the "system" one ran that
    monkeypatch.setenv("READALOUD_AUDIO_FFMPEG", str(wrapper))
    result = cli_runner().invoke(cli, ["inspect", str(mp3), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["loudness_lufs"] < 0
    assert any(runner.url(mp3) in call for call in log.read_text(encoding="utf-8").splitlines())

    runner.use("auto")
    Builder(load_settings())  # the library: a Builder made from settings naming a path chooses it
    assert runner.ffmpeg_path() == str(wrapper)
    Builder(load_settings(audio={"ffmpeg": "bundled"}))  # the caller's value beats the variable
    assert runner.ffmpeg_path() == bundled


def test_config_shows_which_ffmpeg_runs_its_version_and_why(system, monkeypatch, bundled):
    version = runner.about("bundled")["version"]
    assert version.startswith("n9.") or version[0].isdigit()
    result = cli_runner().invoke(cli, ["config"])
    assert result.exit_code == 0, result.stderr
    assert (f'ffmpeg = "auto"  # default; runs {system}, version {version} (auto: the system\'s, first on PATH)'
            in result.stdout.splitlines())
    monkeypatch.setenv("READALOUD_AUDIO_FFMPEG", "bundled")
    entry = json.loads(cli_runner().invoke(cli, ["config", "--json"]).stdout)["audio"]["ffmpeg"]
    assert entry == {"value": "bundled", "origin": "environment READALOUD_AUDIO_FFMPEG",
                     "runs": {"path": bundled, "version": version, "why": "bundled: the one in imageio-ffmpeg"}}
    # A choice that cannot run is shown, not fatal: `config` is where one looks to see why.
    monkeypatch.setenv("READALOUD_AUDIO_FFMPEG", "system")
    monkeypatch.setenv("PATH", str(system.parent.parent / "nowhere"))
    result = cli_runner().invoke(cli, ["config"])
    assert result.exit_code == 0, result.stderr
    assert ('ffmpeg = "system"  # environment READALOUD_AUDIO_FFMPEG; cannot run: audio.ffmpeg is "system" but '
            'there is no ffmpeg on PATH: install ffmpeg, or set audio.ffmpeg to "bundled" or "auto"'
            in result.stdout.splitlines())


def test_the_choice_is_not_in_the_fingerprint():
    # Which ffmpeg runs is the machine's: changing it must not rebuild a whole archive under sync.
    chosen = config.Settings(audio=config.AudioSettings(ffmpeg="bundled"))
    assert config.fingerprint(chosen) == config.fingerprint(config.Settings())
