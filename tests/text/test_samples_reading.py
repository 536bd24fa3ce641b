"""What reaches the engine for every sample, through `readaloud script --json` with the samples' config:
no digit, no known abbreviation left unexpanded, no Roman numeral after a trigger word, no raw URL."""

from __future__ import annotations

import json
import re

import pytest

from readaloud.cli import cli
from readaloud.text.vi.abbreviations import ACRONYMS, DOTTED
from readaloud.text.vi.context import ROMAN_TRIGGERS
from tests.helpers import SAMPLES, cli_runner

SAMPLE_FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md", ".html"))
CONFIG = SAMPLES / "readaloud.toml"
_ROMAN_AFTER_TRIGGER = re.compile(
    r"\b(?:" + "|".join(re.escape(t) for t in ROMAN_TRIGGERS) + r")\s+[IVXLC]+\b", re.IGNORECASE)
_URL = re.compile(r"https?://|www\.|\b[\w-]+\.(?:vn|com|net|org|gov)\b|/[\w-]+/|@", re.IGNORECASE)


def script(path, *extra) -> dict:
    result = cli_runner().invoke(cli, ["--config", str(CONFIG), "script", str(path), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=SAMPLE_FILES, ids=lambda p: p.name)
def spoken(request) -> list[str]:
    return [chunk["spoken"] for chunk in script(request.param)["chunks"]]


def test_there_are_samples_of_every_format():
    assert {p.suffix for p in SAMPLE_FILES} >= {".txt", ".md"}
    assert len(SAMPLE_FILES) >= 3


def test_no_digit_reaches_the_engine(spoken):
    assert [s for s in spoken if re.search(r"\d", s)] == []


def test_no_known_abbreviation_reaches_the_engine(spoken):
    known = set(ACRONYMS) | {f"{key}." for key in DOTTED}
    left = [(word, s) for s in spoken for word in re.findall(r"[\w&.]+", s) if word in known]
    assert left == []


def test_no_roman_numeral_after_a_trigger_word(spoken):
    assert [s for s in spoken if _ROMAN_AFTER_TRIGGER.search(s)] == []


def test_no_raw_url_or_address_reaches_the_engine(spoken):
    assert [s for s in spoken if _URL.search(s)] == []


def test_page_furniture_is_not_read():
    chunks = script(SAMPLES / "lua-dong-xuan.txt")["chunks"]
    displays = " ".join(c["display"] for c in chunks)
    for furniture in ("Trở về trang trước", "Cập nhật ngày", "Gửi bình luận", "Chia sẻ", "(Ảnh: P.L)", "ĐTO -",
                      "https://"):
        assert furniture not in displays
    assert chunks[-1]["role"] == "byline" and chunks[-1]["spoken"] == "Phương Lan"


def test_article_definition_is_used_for_every_later_use_headings_included():
    payload = script(SAMPLES / "hoi-nghi-chuyen-doi-so.txt")
    chunks = payload["chunks"]
    defined_at = next(i for i, c in enumerate(chunks) if "(TTPVHCC)" in c["display"])
    later = [c for c in chunks[defined_at + 1:] if "TTPVHCC" in c["display"]]
    assert any(c["role"] == "heading" for c in later)
    assert len(later) >= 2
    for chunk in later:
        assert "Trung tâm Phục vụ hành chính công" in chunk["spoken"], chunk
        assert "TTPVHCC" not in chunk["spoken"]
    # The definition itself is said once, not followed by its letters.
    assert chunks[defined_at]["spoken"].count("Trung tâm Phục vụ hành chính công") == 1
    assert "tê tê" not in chunks[defined_at]["spoken"]
