"""The one home of character cleaning, in two stages, and the one check on web addresses an article names.

- :func:`clean_display_text`: what every reader hands on (NFC, tone marks in one place, no invisible
  characters, LF line ends, single spaces).  The text stays as it is shown.
- :func:`clean_speech_text`: one line about to be normalised for speech (the normaliser's first rule):
  one kind of dash, space and apostrophe, "..." as "…", digits of every script and "①", "CO₂" as ASCII,
  "℃" as "°C", nothing the engine cannot say.

Its own module so the readers (reader.py for text and Markdown, reader_html.py for pages), the tagger
and the normaliser share it without importing each other.
"""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidi marks and C0/C1 controls (except tab/newline) are invisible in the CMS but make
# the engine stumble or spell them out.
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Runs of spaces of every kind (no-break, thin, ideographic): one space each.
SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

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


def clean_display_text(text: str) -> str:
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




# --------------------------------------------------------------------------
# The speech-character cleaner (the normaliser's first rule)
# --------------------------------------------------------------------------

_BULLET = re.compile(r"^[-+*•]+\s+")
_WHITESPACE = re.compile(r"\s+")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_DASH_CHARS = frozenset("‐‑‒–—―−﹣－⁃")
# Vulgar fraction signs; their compatibility form is "a⁄b" (U+2044 FRACTION SLASH).  Kept by the
# cleaner for the normaliser's fraction rule.
VULGAR_FRACTIONS = frozenset("½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒↉")
_APOSTROPHE = re.compile(r"(?<=[^\W\d_])[’‘ʼ´`](?=[^\W\d_])")
_ELLIPSIS = re.compile(r"\.(?:\s?\.){2,}|…(?:\s?[.…])+")


def _clean_numeric(ch: str) -> str:
    """A number sign that is not a decimal digit: "①", "⑳", "❶", "⒈", "⑴" →
    the number with a space on each side (a list label or a count); a
    subscript ("CO₂", "PM₂.₅") → its ASCII digit, glued; "Ⅻ" → "XII".
    Vulgar fractions ("½") and superscripts ("m²") are kept for
    the fraction rule and the units; a sign with no whole value is
    left for the symbol rule to drop."""
    if ch in VULGAR_FRACTIONS or unicodedata.name(ch, "").startswith("SUPERSCRIPT"):
        return ch
    compat = unicodedata.normalize("NFKC", ch)
    if unicodedata.name(ch, "").startswith("SUBSCRIPT") and compat.isascii() and compat.isdigit():
        return compat
    if compat.isascii() and compat.isalpha():
        return compat  # Roman numerals "Ⅻ"
    value = unicodedata.numeric(ch, -1.0)
    if value >= 0 and value == int(value):
        return f" {int(value)} "
    return ch


def _speech_character(ch: str) -> str | None:
    """What one character becomes for speech; None drops it."""
    category = unicodedata.category(ch)
    if ch in _DASH_CHARS:
        return "-"
    if ch.isspace():
        return " "
    if ch.isdecimal() and not ch.isascii():
        return str(unicodedata.decimal(ch))
    if category in ("No", "Nl"):
        return _clean_numeric(ch)
    if ch in "℃℉" or "\u3380" <= ch <= "\u33df":
        return unicodedata.normalize("NFKC", ch)
    if category in _DROPPED_CATEGORIES or "\ufe00" <= ch <= "\ufe0f":
        return None
    return ch


class _SpeechTable(dict[int, str | None]):
    """``str.translate`` table for :func:`clean_speech_text`, filled in as characters are met: dashes →
    "-", whitespace → " ", other decimal digits → ASCII, other number signs as ``_clean_numeric`` says,
    "℃" → "°C" and the squared unit signs ("㎡", "㎞") → their letters, control/format/private/
    unassigned/surrogate code points and variation selectors → dropped, anything else unchanged."""

    def __missing__(self, code: int) -> str | None:
        value = _speech_character(chr(code))
        if len(self) < 20_000:  # bounded: odd input cannot grow it without limit
            self[code] = value
        return value


_SPEECH_TABLE = _SpeechTable()


def clean_speech_text(text: str) -> str:
    """NFC; every dash variant becomes "-" (the minus sign too); any Unicode
    decimal digit becomes ASCII so the number rules see it, and so do circled
    and other number signs ("①" → "1", "CO₂" → "CO2"); "℃" → "°C"; control, format
    (zero-width), private-use, unassigned and surrogate code points and
    variation selectors are dropped; whitespace becomes single spaces; a
    typographic apostrophe inside a word becomes "'" ("H’Mông"); "...",
    ". . ." and "…." become one "…"; a leading list bullet ("- ", "• ") is
    removed so it is not read as a minus sign.  Quotes are left for the
    symbol rule (they are silent)."""
    text = unicodedata.normalize("NFC", text).translate(_SPEECH_TABLE)
    text = _WHITESPACE.sub(" ", text).strip()
    text = _BULLET.sub("", text)
    text = _APOSTROPHE.sub("'", text)
    text = _ELLIPSIS.sub("…", text)
    return unicodedata.normalize("NFC", text)
