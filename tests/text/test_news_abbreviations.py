"""The review of news abbreviations (issue 13): every all-caps token frequent in real news is either
expanded or deliberately spelled, and the table says which.  The tokens and their corpus counts are
in data/news_caps.tsv; the sentences below are our own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readaloud.text.normalize import normalize
from readaloud.text.normalize.capitals import is_syllable
from readaloud.text.normalize.roman import roman_value
from readaloud.text.vi import abbreviations as abbr
from readaloud.text.vi import units

_DATA = Path(__file__).parent / "data" / "news_caps.tsv"


def _rows() -> list[tuple[str, int, str]]:
    rows = []
    for line in _DATA.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        token, count, decision = line.split("\t")
        rows.append((token, int(count), decision))
    return rows


ROWS = _rows()


def test_the_review_covers_every_token_seen_ten_times() -> None:
    assert len(ROWS) >= 200
    assert all(count >= 10 for _, count, _ in ROWS)
    tokens = [token for token, _, _ in ROWS]
    assert len(tokens) == len(set(tokens))


def _letters(token: str) -> str:
    return re.sub(r"[0-9]", "", token)


def _decided(token: str, decision: str) -> bool:
    kind, _, key = decision.partition(" ")
    checks = {
        "expand": lambda: token in abbr.ACRONYMS,
        "spell": lambda: token in abbr.SPELLED or (_letters(token) in abbr.SPELLED and token != _letters(token)),
        "word": lambda: token in abbr.SAID_AS_WORDS or is_syllable(token),
        "part": lambda: key in abbr.ACRONYMS and re.search(rf"(?<!\w){re.escape(token)}(?!\w)", key) is not None,
        "prefix": lambda: _letters(token) in abbr.NUMBER_PREFIXES,
        "unit": lambda: _letters(token) in units.UNITS,
        "roman": lambda: roman_value(token) is not None,
        "code": lambda: token in abbr.CODE_KINDS,
    }
    return kind in checks and checks[kind]()


@pytest.mark.parametrize(("token", "decision"), [(t, d) for t, _, d in ROWS])
def test_each_frequent_token_is_expanded_or_deliberately_spelled(token: str, decision: str) -> None:
    assert _decided(token, decision), (token, decision)


def test_expanded_and_spelled_do_not_overlap() -> None:
    assert not abbr.SPELLED & set(abbr.ACRONYMS)
    assert not abbr.SAID_AS_WORDS & set(abbr.ACRONYMS)
    assert not abbr.SAID_AS_WORDS & abbr.SPELLED


def test_spelled_and_said_as_words_are_capitals() -> None:
    for token in abbr.SPELLED | abbr.SAID_AS_WORDS:
        assert token.isupper() and token.isalpha(), token


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HLV Lê Văn Tâm dặn dò cầu thủ", "huấn luyện viên Lê Văn Tâm dặn dò cầu thủ"),
        ("CLB có thêm hai tân binh", "câu lạc bộ có thêm hai tân binh"),
        ("Ông Khánh, Chủ tịch HĐQT", "Ông Khánh, Chủ tịch hội đồng quản trị"),
        ("Cổ phiếu FPT tăng nhẹ", "Cổ phiếu ép pê tê tăng nhẹ"),
        ("Laptop có RAM lớn", "Laptop có ram lớn"),
    ],
)
def test_sample_readings(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("token", ["Hlv", "hlv", "Clb", "clb", "Hđqt", "Fpt", "Ram", "Sim"])
def test_only_the_exact_case_is_read_as_an_abbreviation(token: str) -> None:
    assert normalize(f"Chữ {token} viết thường") == f"Chữ {token} viết thường"


@pytest.mark.parametrize("word", ["ram", "sim", "vip", "rom"])
def test_words_said_as_words_stay_words(word: str) -> None:
    assert normalize(f"Tháng {word} này") == f"Tháng {word} này"
