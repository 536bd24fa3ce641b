"""Phone numbers, digit by digit with a short pause between groups."""

from __future__ import annotations

import re

from readaloud.text.normalize.cardinal import digit_words
from readaloud.text.normalize.common import has_digit, spaced
from readaloud.text.normalize.context import Context
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import numbers as num

_PHONE_RE = re.compile(
    r"(?<![0-9.,+])(?:(?:\+84[ .]?|\(0[0-9]{2,3}\)\s?|0)[0-9]{1,4}(?:[ .][0-9]{2,4}){1,4}"
    r"|1[89]00[ .]?[0-9]{2,4}(?:[ .][0-9]{2,4}){0,2}"
    r"|\+[1-9][0-9]{0,2}(?:[ -][0-9]{2,4}){2,5})(?![0-9]|[.,][0-9])"  # abroad: "+91-7303-625-588"
)
_CONTEXT_PHONE_RE = re.compile(
    rf"(?P<lead>(?<!\w)(?P<word>\w+)\s*(?::\s*|\s+{ctxwords.NUMBER_WORD}\s*:?\s*|\s+))"
    r"(?P<number>\+?[0-9]{3,}(?:[ .-][0-9]{2,5}){0,4})(?![0-9]|[.,][0-9])"
)
_GROUP_MARKS = str.maketrans({".": " ", "-": " ", "(": " ", ")": " "})
_FEWEST_DIGITS = 8


def _say_phone(raw: str) -> str:
    said = []
    for group in raw.translate(_GROUP_MARKS).split():
        prefix = [num.PLUS] if group.startswith("+") else []
        said.append(" ".join(prefix + digit_words(group)))
    return spaced(", ".join(said))


def _read_grouped(m: re.Match[str]) -> str:
    raw = m.group(0)
    if sum(ch.isdigit() for ch in raw) < _FEWEST_DIGITS:
        return raw
    return _say_phone(raw)


def _read_after_word(m: re.Match[str]) -> str:
    word = m["word"]
    if word.lower() not in ctxwords.PHONE_CONTEXT:
        return m.group(0)
    lead = m["lead"]
    if word in abbr.PHONE_LABELS:
        if not m["number"].startswith(("0", "+", "1800", "1900")):
            return m.group(0)  # "ĐT 91234 TS" is a boat, not a phone; "ĐT: 1800 1525" is a free line
        lead = abbr.PHONE_LABELS[word] + lead[len(word) :]
    return lead + _say_phone(m["number"])


def read_phone_numbers(text: str, ctx: Context) -> str:
    """Phone numbers, digit by digit with a short pause between groups:
    - written in groups ("0277 3851 234", "0918.123.456", "+84 277 3851
      234", "(0277) 3851 234", "1900 1234", "1900.9095", a number abroad
      "+91-7303-625-588"), at least 8 digits;
    - any number of 3+ digits right after a phone word (``PHONE_CONTEXT``:
      "gọi 115", "đường dây nóng: 1022", "tổng đài số 1900 1234"); a label
      from ``PHONE_LABELS`` before it is read as a word ("ĐT:" →
      "điện thoại:").
    Unseparated long ones are caught by ``read_numbers``.
    Limits: a short number after "điện thoại" that is not a phone number
    ("điện thoại 200 chiếc") is read digit by digit too."""
    if not has_digit(text):
        return text
    text = _CONTEXT_PHONE_RE.sub(_read_after_word, text)
    return _PHONE_RE.sub(_read_grouped, text)
