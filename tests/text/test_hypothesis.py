"""Property tests over the text stages (no engine, no ffmpeg): any text is either read or refused with an
InputError; no chunk exceeds the engine's limit; nothing is lost between sentences and chunks; the
engine is never asked to say a digit or a character it cannot say."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readaloud.errors import InputError
from readaloud.text.clean import clean_display_text
from readaloud.text.normalize import normalize
from readaloud.text.reader import parse_markdown, parse_plain
from readaloud.text.reader_html import parse_html
from readaloud.text.segment import chunk_sentence, split_sentences

WORDS = ["người", "dân", "Đồng", "Tháp", "HỢP", "tác", "xã", "ỦY", "ban", "hòa", "thuỷ", "Quý", "khoẻ", "nước",
         "UBND", "HĐND", "TP.", "Q.", "ThS.", "v.v.", "ĐBSCL", "TT&TT", "GD&ĐT", "(HTX)", "GDP", "Covid-19"]
TOKENS = ["1.000", "12,5", "0,05", "-3", "09/05/2024", "5/9", "14h30", "02:46:38", "1079/QĐ-TTg", "204-KL/TU",
          "72/2015/NĐ-CP", "2021 - 2025", "10-15%", "XIII", "Đại hội XIII", "thế kỷ XXI", "lần thứ 5", "3.500 ha",
          "25°C", "km²", "120 km/h", "2,5 tỷ đồng", "5 USD", "0277 3851 234", "https://baodongthap.vn/a/b.html",
          "ban@baodongthap.vn", "1/3", "‰", "…", "–", "—", "“", "”", "🎉", "\u200b", "\x07", "東京", "Москва"]
PUNCT = [",", ".", ";", ":", "!", "?", " - ", "(", ")", "\"", "'"]

# Digits of any script (fullwidth １２, Arabic-Indic ١٢, mathematical 𝟗, superscript ², circled ①...), alone
# and inside numbers: st.text() alone draws them too rarely to count on.
unicode_digits = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6)
fragment = st.one_of(st.sampled_from(WORDS), st.sampled_from(TOKENS), st.sampled_from(PUNCT),
                     st.text(max_size=6), st.integers(-10**12, 10**12).map(str), unicode_digits,
                     st.tuples(unicode_digits, st.sampled_from([".", ",", "/", ":", "%", " ha", "h"]), unicode_digits)
                     .map("".join))
news_text = st.lists(fragment, min_size=1, max_size=30).map(" ".join)
any_text = st.one_of(news_text, st.text(max_size=300))

# What the engines are given: letters (Vietnamese, Latin and other scripts' letters pass through as the
# article wrote them, with any combining mark right after its letter), spaces and pause punctuation. No
# digits, no symbols, no control characters.
SPOKEN_OK = re.compile(r"[^\W_]|[\s,.;:!?'\-\u2026]")


def _mark_on_letter(text: str, i: int) -> bool:
    """A combining mark right after a letter (or after another mark on one): said with its letter."""
    return unicodedata.category(text[i])[0] == "M" and i > 0 and (
        text[i - 1].isalpha() or unicodedata.category(text[i - 1])[0] == "M")


def fuzz(n: int):
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fuzz(400)
@given(any_text)
def test_readers_read_or_refuse_cleanly(text):
    for parse in (parse_plain, parse_markdown, parse_html):
        try:
            article = parse(text, "x")
        except InputError:
            continue
        assert article.title
        for block in article.blocks:
            assert block.text and block.text == block.text.strip()


@fuzz(600)
@given(any_text, st.sampled_from(["north", "south"]))
def test_normalize_never_raises_and_says_no_digit(text, dialect):
    spoken = normalize(clean_display_text(text).replace("\n", " "), dialect)
    # Any digit at all (str.isdigit: ASCII, fullwidth, Arabic-Indic, superscript...), not only 0-9: the
    # engine would spell it out or skip it, never read it as the number it is.
    assert [ch for ch in spoken if ch.isdigit()] == [], spoken
    unsayable = [ch for i, ch in enumerate(spoken) if not SPOKEN_OK.match(ch) and not _mark_on_letter(spoken, i)]
    assert unsayable == []


@fuzz(300)
@given(st.one_of(news_text, st.text(), st.text(max_size=2000)), st.sampled_from([100, 300]))
def test_chunks_fit_and_reassemble(text, limit):
    paragraph = " ".join(clean_display_text(text).split())
    sentences = split_sentences(paragraph)
    assert " ".join(sentences) == paragraph
    for sentence in sentences:
        pieces = chunk_sentence(sentence, limit, normalize)
        assert all(len(spoken) <= limit for _, spoken in pieces)
        assert " ".join(display for display, _ in pieces if display) == sentence
