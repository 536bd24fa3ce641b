"""The newsroom lexicon: words and names as written -> how to say them.

A small TOML file editors can read and review in diffs:

    [words]
    "ĐTO" = "Đồng Tháp Online"
    "Covid-19" = "cô vít mười chín"

Entries override the built-in abbreviation table and the article's own definitions.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from readaloud.config import read_toml
from readaloud.errors import ConfigError


def load(path: str | Path) -> dict[str, str]:
    """The lexicon at `path` ({} when no path is set); errors name the file and the entry."""
    if not path:
        return {}
    file = Path(path)
    data = read_toml(file, "lexicon")
    unknown = set(data) - {"words"}
    if unknown:
        raise ConfigError(f"{file}: unknown table(s) {', '.join(sorted(unknown))}; expected only [words]")
    words = data.get("words", {})
    entries: dict[str, str] = {}
    for word, spoken in words.items():
        if not isinstance(spoken, str) or not spoken.strip() or not word.strip():
            raise ConfigError(f"{file}: words.{word!r}: expected a non-empty text saying how to read it")
        entries[unicodedata.normalize("NFC", word.strip())] = unicodedata.normalize("NFC", spoken.strip())
    return entries


def relevant_digest(words: dict[str, str], text: str) -> str:
    """A short hash of the lexicon entries whose word appears in `text`.

    Stored in each MP3, so a lexicon edit rebuilds exactly the articles that contain the edited word (a
    plain substring test: it may rebuild an article where the word is only part of a longer one, never
    miss one that contains it).
    """
    import hashlib
    import json

    used = {word: spoken for word, spoken in sorted(words.items()) if word in text}
    return hashlib.sha256(json.dumps(used, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def save(path: str | Path, words: dict[str, str]) -> None:
    """Write the lexicon back, entries sorted, the file's leading comment block kept; atomically."""
    import json
    import os
    import secrets

    file = Path(path)
    header: list[str] = []
    if file.is_file():
        for line in file.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#") and line.strip():
                break
            header.append(line)
    if not header:
        header = ["# Newsroom lexicon: how to say words and names (readaloud lexicon add/list/remove).", ""]
    # JSON string escapes are a subset of TOML basic strings, so json.dumps writes valid TOML keys and values.
    body = [f"{json.dumps(word, ensure_ascii=False)} = {json.dumps(spoken, ensure_ascii=False)}"
            for word, spoken in sorted(words.items(), key=lambda item: item[0].casefold())]
    text = "\n".join([*header, "[words]", *body]) + "\n"
    file.parent.mkdir(parents=True, exist_ok=True)
    temp = file.with_name(f".{file.name}.{secrets.token_hex(6)}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, file)
    finally:
        temp.unlink(missing_ok=True)
