"""Reading the settings files readaloud is given (the config and the newsroom lexicon).

Shared by `config` and `text.lexicon`, so that the text package needs nothing from config to read its
lexicon, and both kinds of file fail the same way: one ConfigError naming the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from readaloud.errors import ConfigError


def read_toml(path: Path, kind: str) -> dict[str, Any]:
    """A TOML document, or a ConfigError naming the file and saying what kind of file it should be."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {kind} file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {kind} is not valid TOML: {exc}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{path}: {kind} is nested too deeply to read") from None
    except ValueError as exc:  # an integer of thousands of digits passes tomllib's grammar, then int() refuses it
        raise ConfigError(f"{path}: {kind} has a value that cannot be read: {str(exc).split(':')[0]}") from None
