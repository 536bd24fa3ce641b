"""What every rule may know besides the text itself, and the protected readings.

Protected readings (lexicon entries, article definitions) stand in the text as one private-use
character each until ``restore_protected``: every rule between treats them as an opaque non-letter,
so none can spell, re-case or re-read them.  The speech cleaner removes private-use characters from
the input, so these can never clash.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from readaloud.text.normalize.common import spaced

PROTECT_FIRST = 0xE000
PROTECT_LAST = 0xF8FF
PROTECTED_RE = re.compile("[\ue000-\uf8ff]")


def is_protected(ch: str) -> bool:
    """Is ``ch`` a placeholder for a protected reading?"""
    return "\ue000" <= ch <= "\uf8ff"


def _unread(phrase: str) -> str:
    return phrase


@dataclass
class Context:
    """Built once per line; the rules that judge something about the whole line record it here.

    ``definitions`` grows when the line defines an abbreviation (``learn_definitions``); ``heading`` is
    set by ``judge_heading``; ``protected`` grows as readings are set aside.  ``say_alone`` reads a
    phrase on its own with the same dialect and lexicon (a definition's long form)."""

    dialect: str
    lexicon: tuple[tuple[str, str], ...] = ()
    definitions: Mapping[str, str] = field(default_factory=dict)
    learn: bool = True  # add what the line itself defines to ``definitions``
    heading: bool = False  # the whole line is written in capitals
    protected: list[str] = field(default_factory=list)  # placeholder index -> spoken text
    say_alone: Callable[[str], str] = _unread

    def protect(self, spoken: str) -> str:
        """A placeholder for ``spoken``; the same reading reuses its placeholder.
        Past the private-use range (thousands of distinct readings in one
        sentence) the reading is inserted unprotected rather than failing."""
        try:
            index = self.protected.index(spoken)
        except ValueError:
            index = len(self.protected)
            if PROTECT_FIRST + index > PROTECT_LAST:
                return spaced(spoken)
            self.protected.append(spoken)
        return chr(PROTECT_FIRST + index)


Rule = Callable[[str, Context], str]

