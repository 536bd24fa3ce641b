"""Hostile lexicon entries (issue 10, point 12): nothing an engine cannot speak, and nothing runaway, gets
in, whether by editing the file or by `lexicon add`; the error names the file, the entry and the character."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from readaloud.cli import cli
from readaloud.errors import ConfigError
from readaloud.text import lexicon
from tests.helpers import cli_runner

HOSTILE = [
    ("\x00", "a control character", "U+0000"),  # NUL: espeak-ng stops reading the sentence here
    ("\x1b", "a control character", "U+001B"),  # ESC
    ("\x07", "a control character", "U+0007"),  # BEL
    ("\x85", "a control character", "U+0085"),  # C1 next line
    ("\u202e", "an invisible formatting character", "U+202E"),  # right-to-left override
    ("\u200b", "an invisible formatting character", "U+200B"),  # zero-width space
    ("\ue000", "a private-use character", "U+E000"),
    ("\U000f0000", "a private-use character", "U+F0000"),
    ("\u0378", "an unassigned character", "U+0378"),
    ("\u2028", "a line separator", "U+2028"),
]


def write_lexicon(folder: Path, word: str, spoken: str) -> Path:
    path = folder / "lexicon.toml"
    # TOML escapes, so the file is valid whatever the characters are.
    escaped = "".join(f"\\U{ord(c):08X}" for c in spoken)
    path.write_text(f'[words]\n"{word}" = "{escaped}"\n', encoding="utf-8")
    return path


@pytest.mark.parametrize(("char", "kind", "code"), HOSTILE)
def test_a_reading_with_an_unspeakable_character_is_refused_naming_file_entry_and_character(tmp_path, char, kind,
                                                                                             code):
    path = write_lexicon(tmp_path, "ĐTO", f"Đồng{char} Tháp")
    with pytest.raises(ConfigError) as refused:
        lexicon.load(path)
    assert str(refused.value) == (f"{path}: words.'ĐTO': the reading holds {kind} ({code} at character 5); "
                                  "only printable text can be spoken")


def test_a_word_with_an_unspeakable_character_is_refused(tmp_path):
    path = tmp_path / "lexicon.toml"
    path.write_text('[words]\n"Đ\\u202eTO" = "Đồng Tháp"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"words.'Đ\\u202eTO': the word holds an invisible formatting character "
                                          r"\(U\+202E at character 2\)"):
        lexicon.load(path)


def test_a_runaway_reading_is_refused_at_once(tmp_path):
    # Before: accepted, and a one-line article became a 34-minute MP3 (37 s of building).
    path = write_lexicon(tmp_path, "ĐTO", "a" * 100_000)
    with pytest.raises(ConfigError, match=r"words.'ĐTO': the reading is 100000 characters long; at most 200"):
        lexicon.load(path)


def test_the_length_bounds_are_exact(tmp_path):
    assert lexicon.load(write_lexicon(tmp_path, "X", "a" * lexicon.MAX_READING_CHARS))["X"] == "a" * 200
    with pytest.raises(ConfigError, match="the reading is 201 characters long"):
        lexicon.load(write_lexicon(tmp_path, "X", "a" * (lexicon.MAX_READING_CHARS + 1)))
    long_word = "W" * (lexicon.MAX_WORD_CHARS + 1)
    with pytest.raises(ConfigError, match="the word is 101 characters long; at most 100"):
        lexicon.load(write_lexicon(tmp_path, long_word, "đáp"))


def test_entries_are_nfc_with_plain_single_spaces(tmp_path):
    nfd_word, nfd_reading = (unicodedata.normalize("NFD", text) for text in ("Tháp Mười", "Tháp Mừi"))
    path = tmp_path / "lexicon.toml"
    spaced = nfd_reading.replace(" ", "  \u00a0")  # two spaces and a no-break space between the words
    path.write_text(f'[words]\n"{nfd_word}" = "  {spaced}\\n"\n', encoding="utf-8")  # and a trailing newline
    assert lexicon.load(path) == {"Tháp Mười": "Tháp Mừi"}
    assert all(unicodedata.is_normalized("NFC", text) for text in lexicon.load(path).popitem())


def test_a_bad_lexicon_stops_a_build_with_one_line_and_exit_2(tmp_path):
    path = write_lexicon(tmp_path, "ĐTO", "Đồng\x00 Tháp")
    config = tmp_path / "readaloud.toml"
    config.write_text('[reading]\nlexicon = "lexicon.toml"\n', encoding="utf-8")
    source = tmp_path / "bai.txt"
    source.write_text("Tiêu đề\n\nBáo ĐTO đưa tin.\n", encoding="utf-8")
    result = cli_runner().invoke(cli, ["--config", str(config), "build", str(source), "--engine", "espeak"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"readaloud: error: {path}: words.'ĐTO': the reading holds a control character (U+0000 at character 5); "
        "only printable text can be spoken"]
    assert not source.with_suffix(".mp3").exists()


@pytest.mark.parametrize(("word", "spoken", "message"), [
    ("ĐTO", "Đồng\x1b[2J Tháp", "the reading holds a control character (U+001B at character 5)"),
    ("ĐTO", "Đồng \u202eTháp", "the reading holds an invisible formatting character (U+202E at character 6)"),
    ("ĐTO", "Đồng\nTháp", "the reading holds a control character (U+000A at character 5)"),
    ("Đ\ue000", "Đồng Tháp", "the word holds a private-use character (U+E000 at character 2)"),
    ("ĐTO", "a" * 201, "the reading is 201 characters long; at most 200 are allowed"),
])
def test_lexicon_add_refuses_the_same_and_leaves_the_file_unchanged(tmp_path, word, spoken, message):
    path = tmp_path / "lexicon.toml"
    path.write_text('[words]\n"HAGL" = "Hoàng Anh Gia Lai"\n', encoding="utf-8")
    before = path.read_bytes()
    config = tmp_path / "readaloud.toml"
    config.write_text('[reading]\nlexicon = "lexicon.toml"\n', encoding="utf-8")
    result = cli_runner().invoke(cli, ["--config", str(config), "lexicon", "add", word, spoken])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert result.stderr.startswith(f"readaloud: error: {path}: words.")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lexicon.toml", "readaloud.toml"]


def test_lexicon_add_stores_nfc_and_single_spaces(tmp_path):
    config = tmp_path / "readaloud.toml"
    config.write_text('[reading]\nlexicon = "lexicon.toml"\n', encoding="utf-8")
    word, spoken = unicodedata.normalize("NFD", "Tháp Mười"), unicodedata.normalize("NFD", " Tháp   Mừi ")
    result = cli_runner().invoke(cli, ["--config", str(config), "lexicon", "add", word, spoken])
    assert result.exit_code == 0, result.output
    assert lexicon.load(tmp_path / "lexicon.toml") == {"Tháp Mười": "Tháp Mừi"}
