"""Ordinals: "thứ 4" → "thứ tư", before the cardinal reading takes the number."""

from __future__ import annotations

import re

from readaloud.text.normalize.cardinal import say_ordinal
from readaloud.text.normalize.common import has_digit
from readaloud.text.normalize.context import Context
from readaloud.text.vi import context as ctxwords

_ORDINAL_RE = re.compile(rf"(?<!\w)(?P<pre>(?i:{ctxwords.ORDINAL_WORD}))\s+(?P<n>[0-9]{{1,6}})(?![0-9]|[.,][0-9])")


def read_ordinals(text: str, ctx: Context) -> str:
    """ "thứ N" is an ordinal: 1 "nhất", 4 "tư", else the cardinal ("thứ 14"
    "thứ mười bốn").  Weekdays read the same way ("Thứ 4" → "Thứ tư")."""
    if not has_digit(text):
        return text

    def ordinal(m: re.Match[str]) -> str:
        return f"{m['pre']} {say_ordinal(int(m['n']), ctx.dialect)}"

    return _ORDINAL_RE.sub(ordinal, text)
