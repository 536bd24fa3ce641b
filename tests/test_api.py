"""The library API (readaloud/__init__.py): a newsroom's Python code gets what the command line gets."""

from __future__ import annotations

import json

import pytest
from mutagen.mp3 import MP3

import readaloud
from readaloud.cli import cli
from readaloud.errors import ConfigError, InputError
from readaloud.text import lexicon
from tests.helpers import ROOT, cli_runner

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


# The README's "A CMS in Python" snippet, exactly as printed there: run, so the README cannot rot.
def _readme_cms() -> str:
    """The first Python example under "### From Python" in the README, as the README shows it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### From Python"):]
    return section[section.index("```python\n") + len("```python\n"):section.index("```\n", section.index("```python"))]


README_CMS = _readme_cms()


def test_the_readme_cms_snippet_runs(newsroom):
    scope: dict = {}
    exec(compile(README_CMS, "README.md", "exec"), scope)  # noqa: S102
    stored = scope["on_publish"]("bai.txt", "lua-trung-mua")
    assert stored["output"] == "public/audio/lua-trung-mua.mp3" and (newsroom / stored["output"]).stat().st_size > 1000
    assert stored["engine"].startswith("espeak-ng ") and stored["captions"] == ["public/audio/lua-trung-mua.vtt"]
    assert json.loads(json.dumps(stored)) == stored  # storable as it is
    again = scope["on_publish"]("bai.txt", "lua-trung-mua")  # a second publish: every clip from the cache
    assert again["synthesized"] == 0 and again["cached"] == stored["synthesized"]


def test_a_builder_reads_the_lexicon_and_makes_the_cache_once(newsroom, monkeypatch):
    from readaloud import prepared

    (newsroom / "lexicon.toml").write_text('[words]\n"Đông Xuân" = "đông xuân"\n', encoding="utf-8")
    settings = readaloud.load_settings(reading={"lexicon": str(newsroom / "lexicon.toml")})
    loads: list[object] = []
    caches: list[object] = []
    real_load, real_cache = lexicon.load, prepared.ClipCache
    monkeypatch.setattr(lexicon, "load", lambda path: loads.append(path) or real_load(path))
    monkeypatch.setattr(prepared, "ClipCache", lambda *args: caches.append(args) or real_cache(*args))

    builder = readaloud.Builder(settings)
    script = builder.script("bai.txt")
    result = builder.build("bai.txt", "bai.mp3")
    builder.build("bai.txt", "lan-hai.mp3")
    # The lexicon once across a script and two builds; a cache handle (no I/O) per build, so that each
    # build hears its own "cannot be written" warning.
    assert (len(loads), len(caches)) == (1, 2)
    assert script.chunks and result.chunks == len(script.chunks)
    # The one-call API makes one of each per build (it used to read the lexicon twice and make two caches).
    loads.clear()
    caches.clear()
    readaloud.build("bai.txt", "mot-lan.mp3", settings=settings)
    assert (len(loads), len(caches)) == (1, 1)


def test_a_long_lived_builder_hears_a_lexicon_edit_at_the_next_article(newsroom):
    words = newsroom / "lexicon.toml"
    words.write_text('[words]\n"Đông Xuân" = "đông xuân"\n', encoding="utf-8")
    builder = readaloud.Builder(readaloud.load_settings(reading={"lexicon": str(words)}))
    assert "ê đê" not in " ".join(c.spoken for c in builder.script("bai.txt").chunks)
    lexicon.add(words, "Đông Xuân", "ê đê")  # what `readaloud lexicon add` does, from another process
    assert "ê đê" in " ".join(c.spoken for c in builder.script("bai.txt").chunks)


def test_every_build_of_one_builder_hears_that_its_cache_cannot_be_written(newsroom):
    (newsroom / "in-the-way").write_text("a file where the cache folder should be", encoding="utf-8")
    settings = readaloud.load_settings(cache={"dir": str(newsroom / "in-the-way" / "clips")})
    builder = readaloud.Builder(settings)
    for name in ("mot.mp3", "hai.mp3"):
        heard: list[str] = []
        result = builder.build("bai.txt", name, warn=heard.append)
        unwritable = [m for m in heard if "cannot be written" in m]
        assert len(unwritable) == 1, (name, heard)
        assert [m for m in result.warnings if "cannot be written" in m] == unwritable


def test_the_json_shapes_and_choices_are_the_librarys(newsroom):
    from readaloud import cli as command

    shown = cli_runner().invoke(cli, ["script", "bai.txt", "--json"])
    builder = readaloud.Builder()
    assert json.loads(shown.stdout) == readaloud.builder.script_as_dict("bai.txt", builder.script("bai.txt"))
    assert readaloud.ENGINES == ("auto", "espeak", "gtts", "edge", "azure", "piper")
    assert readaloud.DIALECTS == ("north", "south")
    engine = next(p for p in command.build.params if p.name == "engine")
    assert tuple(engine.type.choices) == readaloud.ENGINES


def test_a_missing_config_named_by_the_variable_says_so_in_the_library_too(tmp_path):
    missing = tmp_path / "khong-co.toml"
    with pytest.raises(ConfigError, match=r"not found \(the path came from READALOUD_CONFIG\)"):
        readaloud.load_settings(environ={"READALOUD_CONFIG": str(missing)})
    with pytest.raises(ConfigError) as named:
        readaloud.load_settings(missing, environ={})
    assert "READALOUD_CONFIG" not in str(named.value)
