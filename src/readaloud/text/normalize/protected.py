"""The newsroom lexicon, read first and protected; and the protected readings put back at the end.

The lexicon's readings beat every rule: each one stands in the text as a placeholder
(:meth:`Context.protect`) until :func:`restore_protected`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from readaloud.text.clean import clean_speech_text
from readaloud.text.normalize.common import SPACES_RE, restated, spaced
from readaloud.text.normalize.context import PROTECT_FIRST, PROTECTED_RE, Context


@lru_cache(maxsize=32)
def _lexicon_pattern(items: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """The lexicon as one regex (longest key first, whole words only) and its
    readings, keys cleaned the way the input is cleaned."""
    readings: dict[str, str] = {}
    for key, value in items:
        if not isinstance(key, str) or not isinstance(value, str):
            continue
        clean = clean_speech_text(key)
        if clean:
            readings[clean] = unicodedata.normalize("NFC", SPACES_RE.sub(" ", value).strip())
    if not readings:
        return None, readings
    alternatives = []
    for key in sorted(readings, key=len, reverse=True):
        before = r"(?<![^\W_])" if re.match(r"[^\W_]", key) else ""
        after = r"(?![^\W_])" if re.search(r"[^\W_]$", key) else ""
        alternatives.append(f"{before}{re.escape(key)}{after}")
    pattern = re.compile(rf"(?P<open>\(\s*)?(?P<key>{'|'.join(alternatives)})(?P<close>\s*\))?")
    return pattern, readings


def apply_lexicon(text: str, ctx: Context) -> str:
    """The newsroom lexicon (``lexicon=`` of :func:`normalize`): words or names
    as written → how to say them.  Keys match whole words, case-sensitively,
    longest first; the reading is final (protected from every later rule)
    and beats the built-in tables and the article's definitions.  "(KEY)"
    right after its own reading or long form is dropped, not read twice.
    Limits: no case variants ("ĐTO" does not match "Đto"); a key that is part
    of a longer written word is not matched ("ĐTO" in "ĐTOnline")."""
    if not ctx.lexicon:
        return text
    pattern, readings = _lexicon_pattern(ctx.lexicon)
    if pattern is None:
        return text

    def word(m: re.Match[str]) -> str:
        key = m["key"]
        reading = readings[key]
        if m["open"] and m["close"]:
            if restated(m.string[: m.start()], (reading, ctx.definitions.get(key, ""))):
                return " "
            return f"({ctx.protect(reading)})"
        return (m["open"] or "") + ctx.protect(reading) + (m["close"] or "")

    return pattern.sub(word, text)


def restore_protected(text: str, ctx: Context) -> str:
    """The lexicon and definition readings go back in place of their
    placeholders, as they are (only spaces are tidied afterwards)."""
    if not ctx.protected:
        return text

    def restore(m: re.Match[str]) -> str:
        index = ord(m.group(0)) - PROTECT_FIRST
        return spaced(ctx.protected[index]) if index < len(ctx.protected) else " "

    return PROTECTED_RE.sub(restore, text)
