"""The newsroom lexicon: words and names as written -> how to say them.

A small TOML file editors can read and review in diffs:

    [words]
    "ĐTO" = "Đồng Tháp Online"
    "Covid-19" = "cô vít mười chín"

Entries override the built-in abbreviation table and the article's own definitions. `add` and `remove`
edit the file (from the command line or a CMS) and store entries as `load` reads them (NFC, spaces
collapsed), so an entry added is found in an article however its word was typed.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from readaloud.errors import ConfigError, InputError
from readaloud.files import read_toml

# A word is a term or a name as written; a reading says it in a few words. Far longer is a paste gone wrong
# (a reading of 100,000 characters turned a one-line article into a 34-minute MP3, built in 37 s).
MAX_WORD_CHARS = 100
MAX_READING_CHARS = 200

# Characters no reading may hold, by Unicode category: a NUL ends espeak-ng's text early while the captions
# show all of it, and ESC, BEL, bidi overrides, private-use and unassigned characters mean nothing to an
# engine (and can disguise a word on a terminal).
_UNSPEAKABLE = {
    "Cc": "a control character", "Cf": "an invisible formatting character", "Co": "a private-use character",
    "Cn": "an unassigned character", "Cs": "a lone surrogate", "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def _checked_text(text: str, what: str, limit: int, where: str) -> str:
    text = unicodedata.normalize("NFC", text).strip()
    for position, char in enumerate(text, start=1):
        kind = _UNSPEAKABLE.get(unicodedata.category(char))
        if kind:
            raise ConfigError(f"{where}: the {what} holds {kind} (U+{ord(char):04X} at character {position}); "
                              "only printable text can be spoken")
    text = " ".join(text.split())  # the spaces left are ordinary or no-break spaces: one plain space each
    if len(text) > limit:
        raise ConfigError(f"{where}: the {what} is {len(text)} characters long; at most {limit} are allowed")
    return text


def checked_entry(word: str, spoken: str, where: str) -> tuple[str, str]:
    """A lexicon entry as stored and used: NFC, spaces collapsed; a ConfigError starting with `where` (the
    file and the entry) when the word or the reading is empty, too long or holds unspeakable characters."""
    word = _checked_text(word, "word", MAX_WORD_CHARS, where)
    spoken = _checked_text(spoken, "reading", MAX_READING_CHARS, where)
    if not word or not spoken:
        raise ConfigError(f"{where}: expected a non-empty text saying how to read it")
    return word, spoken


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
    if not isinstance(words, dict):
        raise ConfigError(f"{file}: [words] must be a table of words and how to read them")
    entries: dict[str, str] = {}
    for word, spoken in words.items():
        where = f"{file}: words.{word!r}"
        if not isinstance(spoken, str):
            raise ConfigError(f"{where}: expected a non-empty text saying how to read it")
        word, spoken = checked_entry(word, spoken, where)
        entries[word] = spoken
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


def entries(path: Path) -> dict[str, str]:
    """Every entry, in the file's order ({} when there is no file yet)."""
    return load(path) if path.exists() else {}


def add(path: Path, word: str, spoken: str) -> tuple[str, str, str | None]:
    """Say `word` as `spoken` from now on; returns the entry as stored and the reading it replaced."""
    if not word.strip() or not spoken.strip():
        raise InputError("lexicon add: both the word and how to say it are needed")
    word, spoken = checked_entry(word, spoken, f"{path}: words.{word!r}")  # what `load` would refuse
    words = entries(path)
    before = words.get(word)
    words[word] = spoken
    save(path, words)
    return word, spoken, before


def remove(path: Path, word: str) -> str:
    """Forget `word` (however its spaces and accents were typed); returns it as it was stored."""
    words = entries(path)
    word = unicodedata.normalize("NFC", " ".join(word.split()))
    if word not in words:
        raise InputError(f"{path}: {word!r} is not in the lexicon")
    del words[word]
    save(path, words)
    return word
