"""Display text as every reader hands it on: one cleaner for all of them (NFC, tone marks in one place, no
invisible characters, single spaces) and the one check on web addresses an article names.

Its own module so the readers (reader.py for text and Markdown, reader_html.py for pages) and the
tagger share it without importing each other.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi marks and C0/C1 controls (except tab/newline) are invisible in the CMS but make
# the engine stumble or spell them out.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Runs of spaces of every kind (no-break, thin, ideographic): one space each.
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")

# Old-style tone placement ("hoà", "khoẻ", "thuỷ") moved to the first vowel ("hòa", "khỏe", "thủy"), the
# form most Vietnamese newsrooms and keyboards use, so one word is always one string (lexicon, cache).
# Only at the end of a syllable: in "hoàng" or "quý" the mark is already in the one agreed place.
# Decomposed, a dot below sorts before a breve ("hoặc" is o, a, dot, breve): nothing may follow the tone,
# neither a letter nor another mark, or "hoặc" would become "họăc".
_OLD_TONE = re.compile(r"(?<![qQ])([oO])([aAeE])([\u0300\u0301\u0303\u0309\u0323])(?![^\W\d_]|[\u0300-\u036f])"
                       r"|(?<![qQ])([uU])([yY])([\u0300\u0301\u0303\u0309\u0323])(?![^\W\d_]|[\u0300-\u036f])")


def _move_tone(match: re.Match[str]) -> str:
    first, second, tone = (match.group(1), match.group(2), match.group(3)) if match.group(1) else (
        match.group(4), match.group(5), match.group(6))
    return first + tone + second


def clean_text(text: str) -> str:
    """NFC, tone marks in one place, no invisible characters, LF line ends, single spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text)
    # The tone rule works on decomposed text so it sees the tone as its own character.
    text = unicodedata.normalize("NFC", _OLD_TONE.sub(_move_tone, unicodedata.normalize("NFD", text)))
    lines = [SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


# Kept as written in a URL; everything else (spaces, non-ASCII, quotes, angle brackets) is percent-encoded.
_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def web_address(value: str | None) -> str | None:
    """`value` as an absolute http(s) URL with a host, percent-encoded to ASCII (an ID3 URL frame holds
    only Latin-1), or None. Anything else a page or front matter calls its URL (javascript:, data:, file:,
    a relative path, a user:password@ prefix) would reach the player and the feed, so it is dropped."""
    from urllib.parse import quote, urlsplit, urlunsplit

    if not value:
        return None
    try:
        parts = urlsplit(value.strip())
        host, port = parts.hostname, parts.port
    except ValueError:  # a malformed IPv6 host or port
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username is not None:
        return None
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    path, query, fragment = (quote(part, safe=_URL_SAFE) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme.lower(), netloc, path, query, fragment))


