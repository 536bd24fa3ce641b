"""The newsroom's lexicon file, edited from the command line or a CMS: add, list and remove entries.

Entries are stored as `readaloud.text.lexicon` reads them (NFC, spaces collapsed), so an entry added
here is found in an article however its word was typed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from readaloud.config import Settings
from readaloud.errors import ConfigError, InputError
from readaloud.text import lexicon as store


def configured(settings: Settings) -> Path:
    """The lexicon file the settings name; ConfigError when they name none."""
    if not settings.reading.lexicon:
        raise ConfigError("no lexicon file is configured: set `lexicon = \"lexicon.toml\"` under [reading] in "
                          "readaloud.toml (see `readaloud config`)")
    return Path(settings.reading.lexicon)


def entries(path: Path) -> dict[str, str]:
    """Every entry, in the file's order ({} when there is no file yet)."""
    return store.load(path) if path.exists() else {}


def add(path: Path, word: str, spoken: str) -> tuple[str, str, str | None]:
    """Say `word` as `spoken` from now on; returns the entry as stored and the reading it replaced."""
    if not word.strip() or not spoken.strip():
        raise InputError("lexicon add: both the word and how to say it are needed")
    word, spoken = store.checked_entry(word, spoken, f"{path}: words.{word!r}")  # what `load` would refuse
    words = entries(path)
    before = words.get(word)
    words[word] = spoken
    store.save(path, words)
    return word, spoken, before


def remove(path: Path, word: str) -> str:
    """Forget `word` (however its spaces and accents were typed); returns it as it was stored."""
    words = entries(path)
    word = unicodedata.normalize("NFC", " ".join(word.split()))
    if word not in words:
        raise InputError(f"{path}: {word!r} is not in the lexicon")
    del words[word]
    store.save(path, words)
    return word
