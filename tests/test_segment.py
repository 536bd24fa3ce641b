import pytest

from readaloud.config import PauseSettings
from readaloud.model import Article, Block
from readaloud.segment import chunk_sentence, make_script, split_sentences


def identity(text: str) -> str:
    return text


@pytest.mark.parametrize(("paragraph", "expected"), [
    ("Trời mưa. Nước lên nhanh!", ["Trời mưa.", "Nước lên nhanh!"]),
    ("Diện tích 1.000 ha. Năng suất 12,5 tấn.", ["Diện tích 1.000 ha.", "Năng suất 12,5 tấn."]),
    ("Tại TP. Cao Lãnh có mưa. Sau đó tạnh.", ["Tại TP. Cao Lãnh có mưa.", "Sau đó tạnh."]),
    ("Ông Q. Minh và TS. Lan dự họp.", ["Ông Q. Minh và TS. Lan dự họp."]),
    ("Ông nói: “Rất tốt.” Sau đó ra về.", ["Ông nói: “Rất tốt.”", "Sau đó ra về."]),
    ("Có nhiều loại cây, hoa, v.v. nhưng ít người trồng.", ["Có nhiều loại cây, hoa, v.v. nhưng ít người trồng."]),
    ("Ảnh: P.L. Bài viết kết thúc", ["Ảnh: P.L. Bài viết kết thúc"]),
    ("Chờ đợi… Rồi mưa đến.", ["Chờ đợi…", "Rồi mưa đến."]),
    ("Không có dấu chấm cuối", ["Không có dấu chấm cuối"]),
])
def test_split_sentences(paragraph, expected):
    assert split_sentences(paragraph) == expected
    assert " ".join(expected) == paragraph


def test_long_sentence_is_cut_at_clause_punctuation_within_the_limit():
    sentence = ("Theo báo cáo của Sở Nông nghiệp, vụ lúa năm nay đạt năng suất cao nhất từ trước đến nay, "
                "nông dân phấn khởi vì giá bán tăng mạnh so với cùng kỳ năm ngoái.")
    pieces = chunk_sentence(sentence, 100, identity)
    assert all(len(spoken) <= 100 for _, spoken in pieces)
    assert " ".join(display for display, _ in pieces) == sentence
    assert pieces[0][0].endswith(",")


def test_limit_applies_to_spoken_text():
    def expand(text: str) -> str:
        return text.replace("9", "chín chín chín chín chín")

    sentence = " ".join(["9"] * 30)
    pieces = chunk_sentence(sentence, 100, expand)
    assert all(len(spoken) <= 100 for _, spoken in pieces)
    assert " ".join(d for d, _ in pieces) == sentence


def test_unbroken_text_is_cut_and_nothing_is_lost():
    token = "a" * 250
    pieces = chunk_sentence(f"đầu {token} cuối", 100, identity)
    assert all(len(spoken) <= 100 for _, spoken in pieces)
    assert "".join(spoken for _, spoken in pieces).replace(" ", "") == f"đầu{token}cuối"
    assert " ".join(d for d, _ in pieces if d) == f"đầu {token} cuối"


def test_script_pauses_and_sections():
    pauses = PauseSettings(title=900, heading=1500, paragraph=600, sentence=350, chunk=150)
    article = Article(source="x", title="Tiêu đề", blocks=(
        Block("paragraph", "Câu một. Câu hai."),
        Block("heading", "PHẦN HAI"),
        Block("paragraph", "Câu ba."),
        Block("paragraph", "Câu bốn."),
    ))
    script = make_script(article, 100, pauses, lambda text, _definitions: text)
    assert [(c.role, c.section, c.display, c.pause_after_ms) for c in script.chunks] == [
        ("title", 0, "Tiêu đề", 900),
        ("body", 0, "Câu một.", 350),
        ("body", 0, "Câu hai.", 1500),  # before a heading
        ("heading", 1, "PHẦN HAI", 1500),
        ("body", 1, "Câu ba.", 600),
        ("body", 1, "Câu bốn.", 0),  # nothing follows the last chunk
    ]
    assert script.section_titles == ("Tiêu đề", "Phần hai")  # chapter titles in sentence case


def test_definitions_apply_from_where_they_are_made_headings_included():
    def define(sentence):
        return {"TTĐN": "Thông tin đối ngoại"} if "(TTĐN)" in sentence else {}

    def speak(text, definitions):
        for short, long in definitions.items():
            text = text.replace(short, long)
        return text

    article = Article(source="x", title="Tiêu đề về TTĐN", blocks=(
        Block("paragraph", "Trước đó TTĐN chưa định nghĩa. Ban Thông tin đối ngoại (TTĐN) họp."),
        Block("heading", "TTĐN PHÁT TRIỂN"),
        Block("paragraph", "Công tác TTĐN tốt."),
    ), author="Phương Lan")
    script = make_script(article, 100, PauseSettings(), speak, define=define)
    assert [c.spoken for c in script.chunks] == [
        "Tiêu đề về TTĐN",
        "Trước đó TTĐN chưa định nghĩa.",
        "Ban Thông tin đối ngoại (Thông tin đối ngoại) họp.",
        "Thông tin đối ngoại PHÁT TRIỂN",
        "Công tác Thông tin đối ngoại tốt.",
        "Phương Lan",  # the byline, read once at the end
    ]
    assert script.chunks[-1].role == "byline" and script.chunks[-2].pause_after_ms == PauseSettings().paragraph
    no_byline = make_script(article, 100, PauseSettings(), speak, define=define, read_byline=False)
    assert no_byline.chunks[-1].display == "Công tác TTĐN tốt."
