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


def occurs(word: str, text: str) -> bool:
    """Whether the lexicon key `word` is in `text` the way the normaliser matches it: as a whole word,
    case-sensitively, so "HT" is not found in "HTX" nor "ĐTO" in "ĐTOnline"."""
    import re

    before = r"(?<![^\W_])" if re.match(r"[^\W_]", word) else ""
    after = r"(?![^\W_])" if re.search(r"[^\W_]$", word) else ""
    return re.search(f"{before}{re.escape(word)}{after}", text) is not None


def relevant_digest(words: dict[str, str], text: str) -> str:
    """A short hash of the lexicon entries whose word appears in `text` (see `occurs`).

    Stored in each MP3, so a lexicon edit rebuilds exactly the articles that contain the edited word.
    """
    import hashlib
    import json

    used = {word: spoken for word, spoken in sorted(words.items()) if word in text and occurs(word, text)}
    return hashlib.sha256(json.dumps(used, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _entry_line(line: str) -> tuple[str, str] | None:
    """(word, reading) when `line` is one entry of the [words] table, else None."""
    import tomllib

    stripped = line.strip()
    if not stripped or stripped.startswith(("#", "[")):
        return None
    try:
        ((word, spoken),) = tomllib.loads(line).items()
    except (tomllib.TOMLDecodeError, ValueError):
        return None
    if not isinstance(spoken, str):
        return None
    return unicodedata.normalize("NFC", word.strip()), unicodedata.normalize("NFC", spoken.strip())


def _comments_above(lines: list[str], index: int) -> int:
    """Where the comment lines directly above line `index` begin (they belong to that entry)."""
    while index > 0 and lines[index - 1].lstrip().startswith("#"):
        index -= 1
    return index


def save(path: str | Path, words: dict[str, str]) -> None:
    """Write the lexicon back atomically, editing the file rather than rewriting it: entries keep their
    place, inline comments and the comment lines above them; a removed entry takes its comments with it;
    a new entry goes before the first entry that sorts after it (in a sorted file, its sorted place).
    So an add followed by a remove leaves the file byte-identical."""
    import json
    import os
    import secrets

    file = Path(path)
    lines = file.read_text(encoding="utf-8").splitlines() if file.is_file() else []
    if not any(line.strip() == "[words]" for line in lines):
        lines = lines or ["# Newsroom lexicon: how to say words and names (readaloud lexicon add/list/remove).", ""]
        lines.append("[words]")

    def written(word: str, spoken: str) -> str:
        # JSON string escapes are a subset of TOML basic strings: json.dumps writes valid TOML.
        return f"{json.dumps(word, ensure_ascii=False)} = {json.dumps(spoken, ensure_ascii=False)}"

    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        entry = _entry_line(line)
        if entry is None:
            kept.append(line)
            continue
        word, spoken = entry
        if word not in words or word in seen:
            del kept[_comments_above(kept, len(kept)):]  # the entry's own comments go with it
            continue
        seen.add(word)
        kept.append(line if words[word] == spoken else written(word, words[word]))
    for word in sorted(set(words) - seen, key=str.casefold):
        positions = [(i, entry[0]) for i, line in enumerate(kept) if (entry := _entry_line(line))]
        after = next((i for i, other in positions if other.casefold() > word.casefold()), None)
        if after is not None:
            at = _comments_above(kept, after)
        elif positions:
            at = positions[-1][0] + 1
        else:
            at = next(i for i, line in enumerate(kept) if line.strip() == "[words]") + 1
        kept.insert(at, written(word, words[word]))
    text = "\n".join(kept) + "\n"
    file.parent.mkdir(parents=True, exist_ok=True)
    temp = file.with_name(f".{file.name}.{secrets.token_hex(6)}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, file)
    finally:
        temp.unlink(missing_ok=True)
