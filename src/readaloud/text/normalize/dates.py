"""Dates and clock times: "09/05/2024", "9 và 10/5", "9-12/5", "5/2024", "tháng 4", "14h30", "02:46:38".

Each written form is one pattern (``_DATE_PATTERNS``), tried in a fixed order; each may stand alone or
as a range "a - b" ("đến").  Whether a bare "9/5" is a date at all is judged in
:mod:`readaloud.text.normalize.date_context`.
"""

from __future__ import annotations

import re
from functools import partial

from readaloud.text.normalize.cardinal import say_int, say_month
from readaloud.text.normalize.common import ALNUM, alternation, has_digit, previous_words, spaced, unnamed
from readaloud.text.normalize.context import Context
from readaloud.text.normalize.date_context import is_date_context
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import context as ctxwords
from readaloud.text.vi import numbers as num
from readaloud.text.vi import units

_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])"
_MONTH_NUM = r"(?:1[0-2]|0?[1-9])"
_YEAR_NUM = r"[0-9]{4}"
_HOUR_NUM = r"(?:2[0-4]|[01]?[0-9])"
_MINUTE_NUM = r"[0-5][0-9]"
_BEFORE = r"(?<![\w/.,:-])"
_AFTER = r"(?![0-9]|[/.,:-][0-9])"

# Both separators must be the same ("9/5-2024" is not a date): checked in code,
# because a backreference could not be repeated in the range pattern.
_FULL_DATE = rf"(?P<d>{_DAY})(?P<sep>[/.-])(?P<m>{_MONTH_NUM})(?P<sep2>[/.-])(?P<y>{_YEAR_NUM})"
_ISO_DATE = rf"(?P<y>{_YEAR_NUM})-(?P<m>1[0-2]|0[1-9])-(?P<d>3[01]|[12][0-9]|0[1-9])"
_DAY_RANGE = rf"(?P<d>{_DAY})\s*-\s*(?P<d2>{_DAY})/(?P<m>{_MONTH_NUM})(?:/(?P<y>{_YEAR_NUM}))?"
_DAY_MONTH = rf"(?P<d>{_DAY})[/-](?P<m>{_MONTH_NUM})"
_MONTH_YEAR = rf"(?P<m>{_MONTH_NUM})[/-](?P<y>{_YEAR_NUM})"
_TIME_H = rf"(?P<h>{_HOUR_NUM})(?:h|g(?={_MINUTE_NUM}))(?P<m>{_MINUTE_NUM})?(?!{ALNUM})"
_TIME_COLON = rf"(?P<h>{_HOUR_NUM}):(?P<m>{_MINUTE_NUM})(?::(?P<s>{_MINUTE_NUM}))?"
_DAY_WORDS_RE = alternation(ctxwords.DAY_WORDS)


def _ranged(core: str, prefix_words: tuple[str, ...] = ()) -> re.Pattern[str]:
    """``core`` optionally preceded by one of ``prefix_words`` (kept as
    written) and optionally followed by "- core" (a range, read "đến")."""
    plain = unnamed(core)
    prefix = ""
    if prefix_words:
        prefix = rf"(?:(?<!\w)(?P<pre>(?i:{alternation(prefix_words)}))\s+)?"
    return re.compile(rf"{prefix}{_BEFORE}(?P<a>{plain})(?:\s*-\s*(?P<b>{plain}))?{_AFTER}")


# The order the written forms are tried in: a day range before a single date, a full date before
# its day and month alone.
_DATE_KINDS = ("day_range", "full", "iso", "month_year", "day_month", "time_h", "time_colon")
_DATE_PATTERNS = {
    name: (re.compile(core), _ranged(core, prefix))
    for name, core, prefix in (
        ("full", _FULL_DATE, ctxwords.DAY_WORDS),
        ("iso", _ISO_DATE, ctxwords.DAY_WORDS),
        ("day_range", _DAY_RANGE, ctxwords.DAY_WORDS),
        ("day_month", _DAY_MONTH, ctxwords.DAY_WORDS),
        ("month_year", _MONTH_YEAR, (num.MONTH,)),
        ("time_h", _TIME_H, ()),
        ("time_colon", _TIME_COLON, ()),
    )
}
# "1/10 - 31/12/2024": the year is written once, on the second date.
_SHARED_YEAR_RANGE_RE = re.compile(
    rf"(?:(?<!\w)(?P<pre>(?i:{_DAY_WORDS_RE}))\s+)?{_BEFORE}(?P<d>{_DAY})/(?P<m>{_MONTH_NUM})\s*-\s*"
    rf"(?P<d2>{_DAY})/(?P<m2>{_MONTH_NUM})/(?P<y>{_YEAR_NUM}){_AFTER}"
)
# "7 - 11h": a bare hour before a time is an hour too.
_HOUR_RANGE_RE = re.compile(rf"{_BEFORE}(?P<a>{_HOUR_NUM})\s*-\s*(?=(?:{_HOUR_NUM})h(?!{ALNUM}))")
# "09/05/2024 14:30:05": a pause between the date and the time, or the year
# runs straight into the hour.
_DATE_THEN_TIME_RE = re.compile(rf"(?<=[/.-][0-9]{{4}})\s+(?={_HOUR_NUM}(?::[0-5][0-9]|h|g[0-5][0-9]))")
_MONTH_WORD_RE = re.compile(rf"(?<!\w)(?P<pre>(?i:{num.MONTH}))\s+(?P<m>{_MONTH_NUM}){_AFTER}")
# "ngày 9 và 10/5", "các ngày 9, 10 và 11/5/2024": several days of one month.
_DAY_LIST_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?i:{_DAY_WORDS_RE}))\s+(?P<days>{_DAY}(?:\s*,\s*{_DAY})*)(?![0-9])"
    rf"\s*(?P<conj>,\s*{abbr.AND}|{abbr.AND}|,)\s*(?P<last>{_DAY})(?P<sep>[/.-])(?P<m>{_MONTH_NUM})"
    rf"(?:(?P=sep)(?P<y>{_YEAR_NUM}))?{_AFTER}"
)
_DAY_LIST_SPLIT_RE = re.compile(r"\s*,\s*")
# "mùng 1 - 3 Tết": a range of days with no month.
_MUNG_RANGE_RE = re.compile(
    rf"(?<!\w)(?P<pre>(?i:{alternation(ctxwords.MUNG_WORDS)}))\s+(?P<a>{_DAY})\s*-\s*(?P<b>{_DAY}){_AFTER}(?![/.-])"
)
_LAST_MUNG_DAY = 10
# "sáng 14.3", "từ 2 - 5.4", "31.12 - 2.1": day.month with a dot, never before a unit ("12.5mm").
_DOT_DM = rf"{_DAY}\.{_MONTH_NUM}"
_DOT_LEADS = {w.split()[-1]: w for w in ctxwords.DOT_DATE_LEADS + ctxwords.DOT_DATE_WEAK_LEADS}
_DOT_DATE_RE = re.compile(
    rf"(?:(?<!\w)(?P<lead>(?i:{alternation(ctxwords.DOT_DATE_LEADS + ctxwords.DOT_DATE_WEAK_LEADS)}))"
    r"(?P<sep>\s+|\s*,\s+|\s*\(\s*))?"
    rf"{_BEFORE}(?P<a>{_DAY}(?:\.{_MONTH_NUM})?)(?:\s*-\s*(?P<b>{_DOT_DM}))?{_AFTER}"
    rf"(?!\s?(?:{alternation(list(units.UNITS) + list(units.MAGNITUDES))})(?!\w))"
)
# "lúc 19g", "19g ngày 5/6", "từ 19g đến 21g": an hour with "g" and no minutes is a clock time only
# in these places ("500g", "20g đường" are grams).
_HOUR_G_RE = re.compile(
    rf"{_BEFORE}(?P<h>{_HOUR_NUM})g(?:\s*(?:-|{num.RANGE}|tới)\s*(?P<h2>{_HOUR_NUM})g)?(?!{ALNUM})"
)
_DOT_DATE_BEFORE_RE = re.compile(rf"(?<![0-9.]){_DOT_DM}\s*$")
_CLAUSE_END_RE = re.compile(r"\s*(?:[,;:.!?)]|$)")


def _second_day_word(pre: str | None, day: int) -> str:
    """The word before the second day of a range: "mùng 1 - 3/5" keeps
    "mùng" (days 1-10 only), anything else is "ngày"."""
    if pre and pre.lower() in ctxwords.MUNG_WORDS and day <= _LAST_MUNG_DAY:
        return pre.lower()
    return num.DAY


def _date_words(m: re.Match[str], dialect: str, day_word: bool, pre: str | None = None) -> str:
    """ "ngày chín tháng năm năm hai nghìn ..." from a match with d/m/y groups."""
    groups = m.groupdict()
    words = [num.DAY] if day_word else []
    if groups.get("d2"):
        second = int(groups["d2"])
        words += [say_int(int(groups["d"]), dialect), num.RANGE, _second_day_word(pre, second)]
        words.append(say_int(second, dialect))
    elif groups.get("d"):
        words.append(say_int(int(groups["d"]), dialect))
    words += [num.MONTH, say_month(int(groups["m"]), dialect)]
    if groups.get("y"):
        words += [num.YEAR, say_int(groups["y"], dialect)]
    return " ".join(words)


def _time_words(m: re.Match[str], dialect: str) -> str:
    """ "14h30" → "mười bốn giờ ba mươi"; "14h05" → "... năm phút" (a bare
    "năm" would be ambiguous); with seconds, "phút" and "giây" are said."""
    words = [say_int(int(m["h"]), dialect), num.HOUR]
    minute = int(m["m"] or 0)
    second = m.groupdict().get("s")
    if second is not None:
        words += [say_int(minute, dialect), num.MINUTE, say_int(int(second), dialect), num.SECOND]
    elif minute:
        words.append(say_int(minute, dialect))
        if minute < 10:
            words.append(num.MINUTE)
    return " ".join(words)


def _say_day_list(m: re.Match[str], dialect: str) -> str:
    """ "ngày 9 và 10/5" → "ngày chín và mười tháng năm"."""
    days = [say_int(int(d), dialect) for d in _DAY_LIST_SPLIT_RE.split(m["days"])]
    conj = f" {abbr.AND} " if abbr.AND in m["conj"] else ", "
    words = f"{m['pre']} {', '.join(days)}{conj}{say_int(int(m['last']), dialect)}"
    words += f" {num.MONTH} {say_month(int(m['m']), dialect)}"
    if m["y"]:
        words += f" {num.YEAR} {say_int(m['y'], dialect)}"
    return spaced(words)


def _say_mung_range(m: re.Match[str], dialect: str) -> str:
    """ "mùng 1 - 3 Tết" → "mùng một đến mùng ba Tết"."""
    second = int(m["b"])
    return spaced(
        f"{m['pre']} {say_int(int(m['a']), dialect)} {num.RANGE} "
        f"{_second_day_word(m['pre'], second)} {say_int(second, dialect)}"
    )


def _say_shared_year_range(m: re.Match[str], dialect: str) -> str:
    """ "1/10 - 31/12/2024": the year said once, after the second date."""
    first = f"{say_int(int(m['d']), dialect)} {num.MONTH} {say_month(int(m['m']), dialect)}"
    second = f"{num.DAY} {say_int(int(m['d2']), dialect)} {num.MONTH} {say_month(int(m['m2']), dialect)}"
    head = m["pre"] or (num.DAY if num.DAY not in previous_words(m.string, m.start(), 2) else "")
    return spaced(f"{head} {first} {num.RANGE} {second} {num.YEAR} {say_int(m['y'], dialect)}")


def _sides(m: re.Match[str], single: re.Pattern[str]) -> list[re.Match[str]] | None:
    """Each side of "a" or "a - b" matched on its own; None if one does not
    match or a date mixes its separators ("9/5-2024")."""
    sides = [single.fullmatch(m["a"])] + ([single.fullmatch(m["b"])] if m["b"] else [])
    matched = [side for side in sides if side is not None]
    if len(matched) < len(sides):
        return None
    if any(side.groupdict().get("sep", "") != side.groupdict().get("sep2", "") for side in matched):
        return None
    return matched


def _joined(said: list[str], pre: str | None, already_said: bool) -> str:
    """The dates of "a - b" joined by "đến", after the word written before
    them; when that word ("ngày", "tháng") is already said, it is not
    said again: "ngày 9/5", "Cập nhật ngày: 9/5", "tháng 5/2024"."""
    if already_said:
        said[0] = said[0].split(" ", 1)[1]
    head = f"{pre} " if pre else ""
    return spaced(head + f" {num.RANGE} ".join(said))


def _say_month_year(
    m: re.Match[str], sides: list[re.Match[str]], pre: str | None, previous: list[str], dialect: str
) -> str:
    """ "5/2024" → "tháng năm năm hai nghìn ..." (years 1900-2100); after a
    serial word (``SERIAL_WORDS``: "quý 3/2024") the number of that year."""
    if not all(1900 <= int(side["y"]) <= 2100 for side in sides):
        return m.group(0)
    if not pre and previous and previous[-1] in ctxwords.SERIAL_WORDS:
        side = sides[0]
        return spaced(f"{say_int(int(side['m']), dialect)} {num.YEAR} {say_int(side['y'], dialect)}")
    said = [_date_words(side, dialect, day_word=False) for side in sides]
    return _joined(said, pre, bool(pre) or previous[-1:] == [num.MONTH])


def _say_day_date(sides: list[re.Match[str]], pre: str | None, previous: list[str], dialect: str) -> str:
    """A date with its day: "ngày" is not added after a day word, when
    "ngày" is one of the two words before, or after a holiday word ("dịp lễ
    30/4 - 1/5"), which drops it before the second date too."""
    said = [_date_words(side, dialect, day_word=True, pre=pre) for side in sides]
    last = previous[-1] if previous else ""
    after_holiday = last in ctxwords.HOLIDAY_CONTEXT
    if after_holiday and len(said) > 1:
        said[1] = said[1].split(" ", 1)[1]
    already_said = bool(pre) or last in ctxwords.DAY_WORDS or num.DAY in previous or after_holiday
    return _joined(said, pre, already_said)


def _dot_date(m: re.Match[str]) -> str:
    """ "14.3" → "14/3" when it is a date (the slash rules then read it):
    after a strong lead (``DOT_DATE_LEADS``: "sáng 14.3"); after a weak one
    ("từ", ``DOT_DATE_WEAK_LEADS``) only as a range, at a clause end or
    right after a dot date ("14.3 đến 16.3"); "từ 7.5 trở lên" is a score; with no lead only a range that goes down as
    decimals would not ("31.12 - 2.1"), said with "ngày"."""
    a, b, lead = m["a"], m["b"], m["lead"]
    if "." not in a and not b:
        return m.group(0)
    slashed = a.replace(".", "/") + (f" - {b.replace('.', '/')}" if b else "")
    if lead:
        sep = m["sep"]
        if not sep.isspace() and lead.lower() not in ctxwords.WEEKDAY_LEADS:
            return m.group(0)  # only a weekday is set off from its date: "thứ Ba, 14.3", "Chủ nhật (21.3)"
        weak = lead.lower() in ctxwords.DOT_DATE_WEAK_LEADS
        ends = _CLAUSE_END_RE.match(m.string, m.end())
        after_date = _DOT_DATE_BEFORE_RE.search(m.string[max(0, m.start() - 12) : m.start()])
        if weak and not (b or ends or after_date):
            return m.group(0)
        return f"{lead}{sep}{slashed}"
    if b and "." in a and float(a) > float(b):
        return f"{num.DAY} {slashed}"
    return m.group(0)


def _hour_g(m: re.Match[str], dialect: str) -> str:
    """ "19g" → "mười chín giờ" after a clock word (``CLOCK_LEADS``) at a
    clause end or as a range, or before a day word (``CLOCK_FOLLOWERS``)."""
    previous = previous_words(m.string, m.start(), 1)
    after = m.string[m.end() : m.end() + 20].split()
    follows = after[0].lower() if after else ""
    led = bool(previous) and previous[-1] in ctxwords.CLOCK_LEADS
    ends = bool(_CLAUSE_END_RE.match(m.string, m.end()))
    if not (follows in ctxwords.CLOCK_FOLLOWERS or (led and ends)):
        return m.group(0)
    hours = [m["h"]] + ([m["h2"]] if m["h2"] else [])
    return spaced(f" {num.RANGE} ".join(f"{say_int(int(h), dialect)} {num.HOUR}" for h in hours))


def _say_date_or_time(kind: str, m: re.Match[str], dialect: str) -> str:
    """One written form of ``kind`` (see ``_DATE_PATTERNS``), alone or as a range."""
    if kind == "day_month" and not is_date_context(m.string, m):
        return m.group(0)
    sides = _sides(m, _DATE_PATTERNS[kind][0])
    if sides is None:
        return m.group(0)
    if kind.startswith("time"):
        return spaced(f" {num.RANGE} ".join(_time_words(side, dialect) for side in sides))
    pre = m.groupdict().get("pre")
    previous = previous_words(m.string, m.start(), 2)
    if kind == "month_year":
        return _say_month_year(m, sides, pre, previous, dialect)
    return _say_day_date(sides, pre, previous, dialect)


def read_dates_and_times(text: str, ctx: Context) -> str:
    """Dates and clock times.

    - dd/mm/yyyy (also "-" or "." throughout) and ISO yyyy-mm-dd: "ngày chín
      tháng năm năm hai nghìn không trăm hai mươi tư"; no extra "ngày" after
      "ngày"/"mùng" or when "ngày" is one of the two words before ("Ngày
      đăng 2024-09-05"), nor "tháng" after "tháng"; none after a holiday
      word ("dịp lễ 30/4 - 1/5" → "dịp lễ ba mươi tháng tư đến một tháng
      năm").
    - d-d/m: "9-12/5" → "ngày chín đến ngày mười hai tháng năm"; after
      "mùng" the second day keeps "mùng" ("mùng 1 - 3/5", "mùng 1 - 3 Tết").
    - "ngày 9 và 10/5", "các ngày 9, 10 và 11/5": "ngày chín và mười tháng
      năm"; "1/10 - 31/12/2024": the year once, after the second date.
    - d/m and d-m after a date word (ngày, sáng, chiều, từ, đến, dịp, "(",
      a weekday...), or when the day is above the month ("là 30/6"): "3/5
      tiêu chí" stays a fraction, "24/7" too; a bare "8-10" before a unit or
      counter word, or after "từ", is a range ("họp từ 8-10 giờ").
    - m/yyyy (years 1900-2100): "tháng năm năm hai nghìn ..."; after "quý",
      "đợt", "kỳ"... (``SERIAL_WORDS``) it is a number of that year: "quý
      một năm ...".
    - "tháng 4" → "tháng tư".
    - "sáng 14.3", "từ 2 - 5.4", "31.12 - 2.1": day.month with a dot, read
      as with "/" when ``_dot_date`` judges it a date; "12.5mm" never is.
    - "lúc 19g", "19g ngày 5/6" → "mười chín giờ" (``_hour_g``); "500g" is grams.
    - 14h30, 14h, 14g30, 14:30, 02:46:38; "a - b" of any of these is "a đến b",
      and so is "7 - 11h" ("bảy đến mười một giờ").
    Limits: two-digit years and lunar-calendar words are not handled; a
    bare "3/5" with no date word stays a fraction even when it is a date.
    """
    if not has_digit(text):
        return text
    dialect = ctx.dialect
    text = _DATE_THEN_TIME_RE.sub(", ", text)
    text = _DOT_DATE_RE.sub(_dot_date, text)
    text = _HOUR_G_RE.sub(partial(_hour_g, dialect=dialect), text)
    text = _DAY_LIST_RE.sub(partial(_say_day_list, dialect=dialect), text)
    text = _MUNG_RANGE_RE.sub(partial(_say_mung_range, dialect=dialect), text)
    text = _SHARED_YEAR_RANGE_RE.sub(partial(_say_shared_year_range, dialect=dialect), text)
    text = _HOUR_RANGE_RE.sub(lambda m: spaced(f"{say_int(int(m['a']), dialect)} {num.RANGE}"), text)
    for kind in _DATE_KINDS:
        text = _DATE_PATTERNS[kind][1].sub(partial(_say_date_or_time, kind, dialect=dialect), text)
    return _MONTH_WORD_RE.sub(lambda m: f"{m['pre']} {say_month(int(m['m']), dialect)}", text)
