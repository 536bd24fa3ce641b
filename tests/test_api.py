"""The library API (readaloud/__init__.py): a newsroom's Python code gets what the command line gets."""

from __future__ import annotations

import json

import pytest
from mutagen.mp3 import MP3

import readaloud
from readaloud.cli import cli
from readaloud.errors import ConfigError, InputError

from .conftest import cli_runner

ARTICLE = "Lúa trúng mùa\nVụ Đông Xuân năm nay đạt năng suất cao. Nông dân phấn khởi.\n"


@pytest.fixture
def newsroom(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv("READALOUD_CONFIG", raising=False)
    (tmp_path / "bai.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "readaloud.toml").write_text('[engine]\nname = "espeak"\n[pauses]\nsentence = 500\n',
                                             encoding="utf-8")
    return tmp_path


def test_settings_are_the_command_lines(newsroom, monkeypatch):
    settings = readaloud.load_settings()
    assert settings.engine.name == "espeak" and settings.pauses.sentence == 500  # ./readaloud.toml
    assert settings.cache.dir == str(newsroom / "user-cache" / "readaloud")  # the same clip cache
    shown = json.loads(cli_runner().invoke(cli, ["config", "--json"]).stdout)
    assert shown["cache"]["dir"]["value"] == settings.cache.dir
    assert shown["pauses"]["sentence"]["value"] == settings.pauses.sentence
    monkeypatch.setenv("READALOUD_PAUSES_SENTENCE", "600")
    assert readaloud.load_settings().pauses.sentence == 600
    assert readaloud.load_settings(pauses={"sentence": 700}).pauses.sentence == 700
    with pytest.raises(ConfigError, match="rate"):
        readaloud.load_settings(engine={"rate": 5000})


def test_build_from_python_equals_build_from_the_command_line(newsroom):
    warnings: list[str] = []
    result = readaloud.build(newsroom / "bai.txt", newsroom / "api.mp3", warn=warnings.append)
    assert result.engine.startswith("espeak-ng ") and result.cached == 0 and warnings == []
    assert list((newsroom / "user-cache" / "readaloud").rglob("*.clip"))  # the user cache filled, as the CLI does
    shown = cli_runner().invoke(cli, ["build", str(newsroom / "bai.txt"), "-o", str(newsroom / "cli.mp3"), "--json"])
    printed = json.loads(shown.stdout)
    assert printed["synthesized"] == 0 and printed["cached"] == result.synthesized  # one cache for both
    ours = result.as_dict()
    for key in ("duration_s", "chunks", "engine", "fallback", "chapters"):
        assert ours[key] == printed[key], key
    assert abs(MP3(newsroom / "api.mp3").info.length - result.duration_s) < 0.1 and (newsroom / "api.vtt").exists()


def test_bad_input_is_the_same_error_as_on_the_command_line(newsroom):
    (newsroom / "rong.txt").write_text("", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        readaloud.build(newsroom / "rong.txt")
    shown = cli_runner().invoke(cli, ["build", str(newsroom / "rong.txt")])
    assert shown.stderr.splitlines() == [f"readaloud: error: {caught.value}"]
    assert shown.exit_code == caught.value.exit_code == 1
