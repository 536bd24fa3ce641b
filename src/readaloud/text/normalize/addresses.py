"""Web addresses and e-mail addresses: the host read label by label, never the path."""

from __future__ import annotations

import re

from readaloud.text.normalize.cardinal import digit_words
from readaloud.text.normalize.common import alternation, spaced
from readaloud.text.normalize.context import Context
from readaloud.text.vi import letters
from readaloud.text.vi import numbers as num
from readaloud.text.vi import symbols as sym

_TLDS = alternation(sym.TLDS)
# No left boundary on purpose: "Xem:https://..." or "Vwww.x" must still never reach the engine.
_URL_RE = re.compile(r"(?:(?:https?|ftp)://|www\.)[^\s<>\"'()\[\]{}]*", re.IGNORECASE)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DOMAIN_RE = re.compile(rf"(?<![\w.@/-])(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+(?:{_TLDS})(?![\w-]|\.\w)(?:/[^\s]*)?")
_URL_HINT_RE = re.compile(r"://|www\.", re.IGNORECASE)
# A top-level domain follows a dot, and each starts with an ASCII letter (tested).
_DOT_LETTER_RE = re.compile(r"\.[A-Za-z]")
_LABEL_PART_RE = re.compile(r"[^\W\d_]+|[0-9]+|.")
_URL_TRAILING = ".,;:!?"
_SCHEME_RE = re.compile(r"^(?:[a-z]+://)?", re.IGNORECASE)
_AFTER_HOST_RE = re.compile(r"[/?#]")
_WWW_RE = re.compile(r"^www(?:\.|$)", re.IGNORECASE)
_NAMED_MARKS = {"-": sym.HYPHEN, "_": sym.UNDERSCORE, "+": num.PLUS}


def _read_tld(label: str) -> str:
    low = label.lower()
    return sym.TLD_WORDS.get(low) or " ".join(letters.LETTER_NAMES.get(c, c) for c in low)


def _read_label(label: str, domain: bool) -> str:
    """One dot-separated part of an address: letters as written (lower
    case), digits one by one, "-" and "_" named.  In a domain, a known TLD
    ("vn", "com") is read from the table or spelled with letter names."""
    if domain and label.lower() in sym.TLDS:
        return _read_tld(label)
    words = []
    for part in _LABEL_PART_RE.findall(label):
        if part[0].isdigit():
            words += digit_words(part)
        elif part in _NAMED_MARKS:
            words.append(_NAMED_MARKS[part])
        elif part[0].isalpha():
            words.append(part.lower())
    return " ".join(words)


def _read_dotted(name: str, domain: bool) -> str:
    parts = [_read_label(label, domain) for label in name.split(".")]
    return f" {sym.DOT} ".join(p for p in parts if p)


def _read_host(url: str) -> str:
    """Scheme, "www.", user, port, path and query are dropped: only the host
    is read."""
    rest = _SCHEME_RE.sub("", url)
    host = _AFTER_HOST_RE.split(rest, maxsplit=1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0]
    host = _WWW_RE.sub("", host)
    return _read_dotted(host.strip("."), domain=True)


def read_web_addresses(text: str, ctx: Context) -> str:
    """URLs, e-mail addresses and bare domains ("baodongthap.vn").

    A URL is reduced to its host, read label by label with "chấm"; the path
    and query are dropped ("https://baodongthap.vn/kinh-te/a.aspx" →
    "baodongthap chấm vê en").  An e-mail is local part + "a còng" + domain.
    Limits: a bare domain is recognised only with a TLD from the table; the
    host's words are left as written (no word segmentation of
    "baodongthap")."""

    def url(m: re.Match[str]) -> str:
        raw = m.group(0)
        core = raw.rstrip(_URL_TRAILING)
        return spaced(_read_host(core)) + raw[len(core) :]

    def email(m: re.Match[str]) -> str:
        local, _, domain = m.group(0).partition("@")
        return spaced(f"{_read_dotted(local, domain=False)} {sym.AT} {_read_dotted(domain, domain=True)}")

    # Each kind has a mark that most sentences lack; looking for it first is cheaper than each pattern.
    if _URL_HINT_RE.search(text):
        text = _URL_RE.sub(url, text)
    if "@" in text:
        text = _EMAIL_RE.sub(email, text)
    return _DOMAIN_RE.sub(url, text) if _DOT_LETTER_RE.search(text) else text
