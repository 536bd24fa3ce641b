"""text.audit: what a listener would hear wrong, counted from a script without changing any reading."""

from __future__ import annotations

import pytest

from readaloud.config import PauseSettings
from readaloud.model import Article, Block, Chunk, Script
from readaloud.text.audit import (
    Audit,
    audit_script,
    excerpt,
    lexicon_line,
    sentences_of,
)
from readaloud.text.cuts import SEGMENT_WINDOW
from readaloud.text.normalize import find_definitions, normalize
from readaloud.text.segment import make_script


def _article(*paragraphs: str, title: str = "Tin trong ngày", author: str | None = None) -> Article:
    return Article(source="bai.txt", title=title, blocks=tuple(Block("paragraph", p) for p in paragraphs),
                   author=author)


def _script(*paragraphs: str, max_chars: int = 100, title: str = "Tin trong ngày") -> Script:
    def speak(text: str, definitions: object) -> str:
        return normalize(text, "north", definitions=definitions)  # type: ignore[arg-type]

    return make_script(_article(*paragraphs, title=title), max_chars, PauseSettings(), speak, define=find_definitions)


def _by_hand(sentence: str, pieces: list[tuple[str, str]]) -> Script:
    """A script of one sentence cut into `pieces` (display, spoken), as a chunker might have cut it."""
    chunks = tuple(Chunk(i, 0, "body", display, spoken, 150) for i, (display, spoken) in enumerate(pieces))
    return Script(Article("bai.txt", sentence, ()), chunks, (sentence,))


def _no_words(_pieces: object) -> frozenset[int]:
    return frozenset()


# (a) spelled letter by letter

def test_an_acronym_nobody_expands_is_counted_with_its_reading_an_example_and_a_lexicon_line():
    audit = audit_script(_script("Đội bóng XQZ thắng đậm tối qua.", "Huấn luyện viên của XQZ rất vui."))
    assert audit.spelled == {"XQZ": 2}
    assert audit.spelled_readings["XQZ"] == "ích quy dét"
    assert audit.spelled_examples["XQZ"] == "Đội bóng XQZ thắng đậm tối qua."
    report = audit.as_dict()
    assert report["spelled"]["top"] == [{"token": "XQZ", "count": 2, "on_purpose": False, "spoken": "ích quy dét",
                                         "example": "Đội bóng XQZ thắng đậm tối qua.",
                                         "lexicon": '"XQZ" = "ích quy dét"'}]


def test_acronyms_the_tables_expand_and_headings_in_capitals_are_not_spelled():
    audit = audit_script(_script("UBND tỉnh họp chiều nay.", "Ông Nam, Chủ tịch UBND xã, cho biết như vậy.",
                                 title="KINH TẾ ĐỊA PHƯƠNG"))
    assert audit.spelled == {}


def test_an_acronym_the_article_defines_is_spelled_only_before_its_definition():
    audit = audit_script(_script("Ban quản lý dự án (BQLDA) họp hôm qua.", "Sau đó BQLDA ra thông báo mới."))
    assert audit.spelled == {}


def test_a_lone_capital_letter_is_an_initial_not_a_spelled_token():
    assert audit_script(_script("Ông Nguyễn Văn B đã đến dự.")).spelled == {}


def test_spelled_tokens_are_ranked_by_count_then_alphabetically():
    audit = audit_script(_script("Đội QWX gặp đội ZKP và đội BFG.", "Đội ZKP thắng đội BFG.", "Đội ZKP lên đầu."))
    assert [(row["token"], row["count"]) for row in audit.as_dict()["spelled"]["top"]] == [
        ("ZKP", 3), ("BFG", 2), ("QWX", 1)]
    assert [row["token"] for row in audit.as_dict(top=1)["spelled"]["top"]] == ["ZKP"]


def test_the_lexicon_line_is_the_files_own_syntax():
    assert lexicon_line("HLV", "hát lờ vê") == '"HLV" = "hát lờ vê"'


# (b) unsayable

def test_a_digit_or_a_symbol_that_reached_the_spoken_text_is_counted_with_an_example():
    script = _by_hand("Giá 5 đồng, tăng #2.", [("Giá 5 đồng,", "Giá 5 đồng,"), ("tăng #2.", "tăng # hai.")])
    audit = audit_script(script, segment=_no_words)
    assert audit.unsayable == {"5": 1, "#": 1}
    assert [example["token"] for example in audit.unsayable_examples] == ["5", "#"]
    assert audit.as_dict()["unsayable"]["total"] == 2


def test_pause_punctuation_is_sayable_and_a_normalised_article_has_nothing_unsayable():
    audit = audit_script(_script("Ngày 2/9/2025, giá tăng 5% (so với tháng 8); thật bất ngờ… Vì sao? Hay quá!"))
    assert audit.unsayable == {}
    assert audit.as_dict()["per_1000_words"]["unsayable"] == 0.0


# (c) chunk cuts inside a word

def test_a_cut_between_the_syllables_of_one_word_is_counted_and_a_cut_between_words_is_not():
    sentence = "Chúng tôi chuẩn bị khai giảng năm học mới."
    inside = _by_hand(sentence, [("Chúng tôi chuẩn", "Chúng tôi chuẩn"), ("bị khai giảng năm học mới.",
                                                                          "bị khai giảng năm học mới.")])
    between = _by_hand(sentence, [("Chúng tôi", "Chúng tôi"), ("chuẩn bị khai giảng năm học mới.",
                                                               "chuẩn bị khai giảng năm học mới.")])
    found = audit_script(inside)
    assert found.cuts == 1
    assert found.cut_examples == [{"cut": "chuẩn | bị", "spoken": "Chúng tôi chuẩn | bị khai giảng năm học mới."}]
    assert audit_script(between).cuts == 0


def test_cuts_are_judged_on_the_spoken_words_of_one_sentence_only():
    calls = []

    def segment(pieces):
        calls.append(list(pieces))
        return frozenset(range(1, len(pieces)))  # every space inside a word

    script = _script("Câu một ngắn. Câu hai cũng ngắn.", max_chars=100)
    assert audit_script(script, segment=segment).cuts == 0  # two sentences, no cut inside either
    assert calls == []
    cut = _by_hand("Một hai ba bốn.", [("Một hai", "Một hai"), ("ba bốn.", "ba bốn.")])
    assert audit_script(cut, segment=segment).cuts == 1
    assert calls == [["Một", "hai", "ba", "bốn."]]  # the last piece ends with its own pause


def test_a_long_sentence_cut_by_the_chunker_has_each_cut_judged_on_the_words_around_it():
    long = ("Sáng nay, hàng nghìn học sinh trên địa bàn tỉnh đã đến trường dự lễ khai giảng năm học mới, "
            "trong không khí vui tươi và phấn khởi của thầy cô giáo cùng phụ huynh.")
    script = _script(long, max_chars=60)
    assert len(script.chunks) > 1
    seen = []
    audit_script(script, segment=lambda pieces: seen.append(list(pieces)) or frozenset())
    spoken = " ".join(chunk.spoken for chunk in script.chunks if chunk.display in long).split()
    assert seen and all(len(window) <= 2 * SEGMENT_WINDOW for window in seen)
    assert all(" ".join(window).replace(",", "") in " ".join(spoken).replace(",", "") for window in seen)


def test_the_audit_and_the_chunker_judge_a_cut_alike():
    # A comma the chunk's spoken text dropped still parts two words the segmenter would join
    # ("phòng, chống" is two words, "phòng chống" one), and a cut inside a hyphenated name counts.
    comma = _by_hand("Lực lượng phòng, chống dịch.", [("Lực lượng phòng,", "Lực lượng phòng"),
                                                        ("chống dịch.", "chống dịch.")])
    assert audit_script(comma).cuts == 0
    name = _by_hand("Mưa lớn ở Thừa Thiên - Huế hôm qua.", [("Mưa lớn ở Thừa Thiên", "Mưa lớn ở Thừa Thiên"),
                                                             ("- Huế hôm qua.", "Huế hôm qua.")])
    assert audit_script(name, segment=lambda pieces: frozenset()).cuts == 1


# (d) foreign words

def test_a_word_that_is_no_vietnamese_syllable_is_counted_as_read_as_written():
    audit = audit_script(_script("Anh ấy dùng Facebook mỗi ngày.", "Trang facebook của anh ấy rất đông."))
    assert audit.foreign == {"facebook": 2}
    assert audit.as_dict()["foreign"]["top"] == [
        {"word": "Facebook", "count": 2, "example": "Anh ấy dùng Facebook mỗi ngày."}]


def test_spelled_letter_names_are_syllables_not_foreign_words():
    assert audit_script(_script("Đội bóng XQZ thắng.")).foreign == {}


# the whole report

def test_sentences_are_grouped_back_from_their_chunks():
    script = _by_hand("Một hai ba bốn.", [("Một hai", "Một hai"), ("ba bốn.", "ba bốn.")])
    assert [(sentence, [c.display for c in chunks]) for sentence, chunks in sentences_of(script)] == [
        ("Một hai ba bốn.", ["Một hai", "ba bốn."])]
    stray = Script(Article("bai.txt", "Tiêu đề", ()), (Chunk(0, 0, "body", "Không có trong bài", "x", 0),), ("",))
    assert [sentence for sentence, _ in sentences_of(stray)] == ["Không có trong bài"]


def test_merged_audits_add_up_keep_the_first_example_and_rate_per_thousand_words():
    first = audit_script(_script("Đội bóng XQZ thắng đậm tối qua."))
    second = audit_script(_script("Sân của XQZ kín khán giả."))
    total = Audit().merge(first).merge(second)
    assert (total.articles, total.spelled["XQZ"]) == (2, 2)
    assert total.words == first.words + second.words
    assert total.spelled_examples["XQZ"] == "Đội bóng XQZ thắng đậm tối qua."
    assert total.as_dict()["per_1000_words"]["spelled"] == round(2000 / total.words, 2)
    assert Audit().as_dict()["per_1000_words"]["spelled"] == 0.0


def test_a_token_the_table_spells_on_purpose_is_counted_apart():
    # FPT is a ticker presenters spell; XQZ is nobody's decision yet.
    report = audit_script(_script("Cổ phiếu FPT tăng giá.", "Đội bóng XQZ thắng.")).as_dict()
    rows = {row["token"]: row["on_purpose"] for row in report["spelled"]["top"]}
    assert rows == {"FPT": True, "XQZ": False}
    rate = report["per_1000_words"]
    assert rate["spelled"] > 0 and rate["spelled_not_on_purpose"] == pytest.approx(rate["spelled"] / 2, abs=0.01)


def test_the_report_has_every_kind_of_finding():
    report = audit_script(_script("Tin vắn.")).as_dict()
    assert set(report) == {"articles", "words", "chunks", "per_1000_words", "spelled", "unsayable",
                           "cuts_inside_words", "foreign"}


def test_the_audit_leaves_the_script_as_it_was():
    script = _script("Đội bóng XQZ thắng đậm tối qua, giá vé 50.000 đồng.", max_chars=30)
    before = [(c.display, c.spoken) for c in script.chunks]
    audit_script(script)
    assert [(c.display, c.spoken) for c in script.chunks] == before


def test_an_example_is_shortened_around_its_finding():
    text = " ".join(f"từ{i}" for i in range(60))
    at = text.index("từ30")
    short = excerpt(text, at, at + 4, width=40)
    assert "từ30" in short and short.startswith("…") and short.endswith("…") and len(short) <= 42
    assert excerpt("Câu ngắn.", 0, 3) == "Câu ngắn."
