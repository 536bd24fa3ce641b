"""Is a bare "9/5" or "8-10" a date?  The judgement from the words around it.

A bare day/month is as often a fraction ("đạt 3/5 tiêu chí") or a range of counts ("họp từ 8-10 giờ");
the words that decide are tables in :mod:`readaloud.text.vi.context`.
"""

from __future__ import annotations

import re

from readaloud.text.normalize.common import LETTER, previous_words
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import numbers as num
from readaloud.text.vi import units

_RANGE_FOLLOWER_RE = re.compile(rf"\s?(?P<sign>[%‰°])|\s?(?P<word>{LETTER}+)(?P<year>\s+[0-9]{{4}}(?![0-9]))?")
_RANGE_UNITS = (frozenset(u.lower() for u in units.UNITS) | frozenset(units.MAGNITUDES)) - ctxwords.NOT_RANGE_FOLLOWERS
_DAY_MONTH_SPLIT_RE = re.compile(r"([/-])")
_COUNTERS = ctxwords.RANGE_FOLLOWERS - ctxwords.TIME_WORDS


def _is_count_range(text: str, m: re.Match[str]) -> bool:
    """Is a bare "8-10" a range of counts rather than a date?  Yes before a
    unit, time or counter word ("8-10 giờ", "3-5 năm", "6-11 tuổi", "10-15%";
    ``RANGE_FOLLOWERS``) unless a year follows ("8-10 năm 2024") or a time
    of day or a holiday word comes before ("Sáng 8-10 người dân...", "Dịp lễ
    2-9 ..."); after "từ" too ("từ 10-12 đoàn khách") unless it ends the
    clause, a capitalised word follows or ``DATE_AFTER_RANGE_LEAD`` does
    ("Từ 8-10, ...", "từ 8-10 đến 12-10", "Từ 8-10 các cửa hàng..." stay
    dates).  Never when the first number is not the smaller ("30-4")."""
    if m["b"] or "-" not in m["a"]:
        return False
    low, high = (int(side) for side in m["a"].split("-"))
    if low >= high:
        return False  # "30-4" can only be a date
    previous = previous_words(text, m.start(), 1)
    if previous and previous[-1] in ctxwords.DATE_LEADS_OVER_RANGE:
        return False
    follow = _RANGE_FOLLOWER_RE.match(text, m.end())
    written = follow["word"] if follow and follow["word"] else ""
    word = written.lower()
    if follow and follow["sign"]:
        return True
    if follow and word and (word in ctxwords.RANGE_FOLLOWERS or word in _RANGE_UNITS):
        return not (word == num.YEAR and follow["year"])
    if previous and previous[-1] in ctxwords.RANGE_LEADS:
        return bool(word) and not written[0].isupper() and word not in ctxwords.DATE_AFTER_RANGE_LEAD
    return False


def _counted_after_weak_lead(text: str, m: re.Match[str], lead: str) -> bool:
    """Is "d/m" after a weak date word a part of a count ("thắng sau 3/5 trận", "sau 6/12 lần dự thi")? Then
    the word before it does not make it a date: "sau", "từ", "trước" ... (``DOT_DATE_WEAK_LEADS``) go
    before counts as readily as before dates, and a counter after it decides. A word of time after it
    ("sau 6/12 năm 2020", "đến 1/6 tuần sau") leaves it a date."""
    if lead not in ctxwords.DOT_DATE_WEAK_LEADS:
        return False
    follow = _RANGE_FOLLOWER_RE.match(text, m.end())
    word = follow["word"].lower() if follow and follow["word"] else ""
    return word in _COUNTERS


def is_date_context(text: str, m: re.Match[str]) -> bool:
    """A bare day/month is a date after a date word, "(", or a weekday, or
    when it cannot be a fraction: "d/m" with the day above the month ("hạn
    chót là 30/6"), unless a ratio or score word comes before ("tỷ lệ 3/1")
    or it is "24/7".  "8-10" with no "ngày" before it is a range, not a date,
    when ``_is_count_range`` says so ("họp từ 8-10 giờ")."""
    if m["pre"]:
        return True
    if _is_count_range(text, m):
        return False
    if text[max(0, m.start() - 3) : m.start()].rstrip().endswith("("):
        return True
    previous = previous_words(text, m.start())
    if len(previous) == 2 and previous[0] in ctxwords.FRACTION_LEADS and previous[1] in ctxwords.FRACTION_LEAD_DEGREES:
        return False  # "chiếm đến 1/3": a part of a whole
    if previous and previous[-1] in ctxwords.DATE_CONTEXT and not _counted_after_weak_lead(text, m, previous[-1]):
        return True
    if len(previous) == 2 and previous[0] == ctxwords.WEEKDAY_WORD:
        return True
    day, sep, month = _DAY_MONTH_SPLIT_RE.split(m["a"])[:3]
    if sep != "/" or m["b"] or m["a"] in ctxwords.NEVER_DATES:
        return False
    if previous and (previous[-1] in ctxwords.RATIO_CONTEXT or previous[-1] in ctxwords.SCORE_CONTEXT):
        return False
    return int(day) > int(month)
