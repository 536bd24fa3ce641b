import re

import pytest

from readaloud.config import PauseSettings
from readaloud.model import Article, Block
from readaloud.text.normalize import find_definitions, normalize
from readaloud.text.segment import chunk_sentence, display_heading, make_script, split_sentences


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
    # A Roman numeral after a trigger word ends the sentence before a capitalised word.
    ("Mực nước ở mức dưới báo động I. Trong tuần qua, trời mưa.",
     ["Mực nước ở mức dưới báo động I.", "Trong tuần qua, trời mưa."]),
    ("Quốc hội khóa X. Đại biểu phát biểu.", ["Quốc hội khóa X.", "Đại biểu phát biểu."]),
    ("Kỳ họp thứ V. Quốc hội khai mạc.", ["Kỳ họp thứ V.", "Quốc hội khai mạc."]),
    ("Chương I. Quy định chung", ["Chương I.", "Quy định chung"]),
    ("Rủi ro thiên tai cấp I. Người dân chủ động.", ["Rủi ro thiên tai cấp I.", "Người dân chủ động."]),
    ("Đạt báo động I. sau đó giảm.", ["Đạt báo động I. sau đó giảm."]),  # lower case follows
    # Initials and abbreviations stay inside the sentence.
    ("Trụ sở tại P. Mỹ Phú, TP. Hồ Chí Minh. Xong.", ["Trụ sở tại P. Mỹ Phú, TP. Hồ Chí Minh.", "Xong."]),
    ("Ông ở Q.1 và T.H lâu. Xong.", ["Ông ở Q.1 và T.H lâu.", "Xong."]),
    ("Ông Trần Văn I. Ông nói.", ["Ông Trần Văn I. Ông nói."]),  # no trigger word: an initial
    # A unit letter after a number ends the sentence; a capital one after a number is still read on.
    ("Bờ kè cao 2 m. Đạt chuẩn thiết kế.", ["Bờ kè cao 2 m.", "Đạt chuẩn thiết kế."]),
    ("Dài 5 km. Rộng 3 m.", ["Dài 5 km.", "Rộng 3 m."]),
    ("Khối 12 A. Nguyễn học giỏi.", ["Khối 12 A. Nguyễn học giỏi."]),
    # Ambiguous (an abbreviated given name, or the end of a sentence): deliberately left unsplit.
    ("Lời ông Nguyễn Văn A. Ông nói rằng tốt.", ["Lời ông Nguyễn Văn A. Ông nói rằng tốt."]),
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


@pytest.mark.parametrize(("author", "spoken"), [
    ("H.Long", "Hát Long"),  # in a sentence "H. Long" would be "huyện Long"
    ("T.Thủy - Q.Huy", "Tê Thủy - Quy Huy"),
    ("M. Hà", "Em Hà"),
    ("Phương Lan", "Phương Lan"),
])
def test_an_initial_in_the_byline_is_said_as_its_letter(author: str, spoken: str) -> None:
    article = Article(source="x", title="Tin", blocks=(Block("paragraph", "Câu một."),), author=author)
    script = make_script(article, 100, PauseSettings(), lambda text, _definitions: text)
    assert (script.chunks[-1].role, script.chunks[-1].display, script.chunks[-1].spoken) == ("byline", author, spoken)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _check_invariants(sentence, pieces, limit, speak):
    assert all(len(spoken) <= limit for _, spoken in pieces)
    assert all(display for display, _ in pieces)  # a chunk with no written text is a defect
    assert " ".join(display for display, _ in pieces) == sentence
    assert _words(" ".join(spoken for _, spoken in pieces)) == _words(speak(sentence))  # readings kept


@pytest.mark.parametrize(("sentence", "limit", "expected"), [
    # A clause break wins over a cut between two words of a clause, even far from the middle.
    ("Nhờ trời thuận lợi, sâu bệnh ít, đồng ruộng khắp huyện đạt năng suất cao.", 50,
     ["Nhờ trời thuận lợi, sâu bệnh ít,", "đồng ruộng khắp huyện đạt năng suất cao."]),
    # Among clause breaks that fit, the most even cutting.
    ("Mưa lớn, gió mạnh, sóng cao, nước dâng, đường ngập, cây đổ", 30,
     ["Mưa lớn, gió mạnh, sóng cao,", "nước dâng, đường ngập, cây đổ"]),
    # No clause break: balanced pieces, not the longest piece first and a one- or two-word remainder.
    ("Tỉnh hỗ trợ nông dân mua giống lúa chất lượng cao trong vụ này", 40,
     ["Tỉnh hỗ trợ nông dân mua giống", "lúa chất lượng cao trong vụ này"]),
    ("Một hai ba bốn năm sáu bảy tám chín mười một hai ba bốn năm sáu bảy tám chín mười một hai", 40,
     ["Một hai ba bốn năm sáu bảy tám", "chín mười một hai ba bốn năm", "sáu bảy tám chín mười một hai"]),
    # Near the middle, before a word that opens a phrase ("so với"), not "cùng kỳ năm | trước".
    ("Giá lúa tăng mạnh so với cùng kỳ năm trước.", 30, ["Giá lúa tăng mạnh", "so với cùng kỳ năm trước."]),
    ("Hội trường tổ chức hội nghị tổng kết năm", 30, ["Hội trường tổ chức", "hội nghị tổng kết năm"]),
])
def test_chunk_cuts_are_clause_breaks_or_even(sentence, limit, expected):
    pieces = chunk_sentence(sentence, limit, identity)
    assert [display for display, _ in pieces] == expected
    _check_invariants(sentence, pieces, limit, identity)


def test_a_cut_never_changes_the_reading():
    def speak(text: str) -> str:  # "80 kg/ha" is read as a whole; "kg/ha" alone is not
        return text.replace("80 kg/ha", "tám mươi ki lô gam trên héc ta").replace("kg/ha", "ki lô ga hát a")

    sentence = "Lượng giống giảm xuống còn khoảng 80 kg/ha mà năng suất vẫn giữ"
    pieces = chunk_sentence(sentence, 50, speak)
    assert "80 kg/ha" in " | ".join(display for display, _ in pieces)
    _check_invariants(sentence, pieces, 50, speak)


@pytest.mark.parametrize(("sentence", "expected"), [
    # samples/lua-dong-xuan.txt: was "… đạt năng" | "suất trên 8 tấn/ha." with commas that fit earlier.
    ("Nhờ thời tiết thuận lợi, sâu bệnh ít, nhiều cánh đồng ở huyện Tháp Mười và huyện Tam Nông đạt năng "
     "suất trên 8 tấn/ha.",
     ["Nhờ thời tiết thuận lợi, sâu bệnh ít,",
      "nhiều cánh đồng ở huyện Tháp Mười và huyện Tam Nông đạt năng suất trên 8 tấn/ha."]),
    # samples/lua-dong-xuan.txt: was "… xong" | "98% diện tích."
    ("Theo Sở Nông nghiệp và Phát triển nông thôn, đến ngày 05/5/2024, nông dân trong tỉnh đã thu hoạch "
     "xong 98% diện tích.",
     ["Theo Sở Nông nghiệp và Phát triển nông thôn,", "đến ngày 05/5/2024,",
      "nông dân trong tỉnh đã thu hoạch xong 98% diện tích."]),
])
def test_sample_sentences_are_cut_at_their_commas_for_gtts(sentence, expected):
    pieces = chunk_sentence(sentence, 100, normalize)
    assert [display for display, _ in pieces] == expected
    _check_invariants(sentence, pieces, 100, normalize)


@pytest.mark.parametrize("sentence", [
    # samples/hoi-nghi-chuyen-doi-so.txt: was "… cùng kỳ năm" | "trước." and "… tổ chức hội" | "nghị …"
    "Theo báo cáo của Sở Thông tin và Truyền thông (TT&TT), tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận "
    "trực tuyến toàn trình đạt 68,4%, tăng 21% so với cùng kỳ năm trước.",
    "UBND tỉnh tổ chức hội nghị sơ kết công tác chuyển đổi số 6 tháng đầu năm và triển khai nhiệm vụ những "
    "tháng cuối năm 2024.",
    "Lượng giống sử dụng giảm từ 150 kg/ha xuống còn khoảng 80 kg/ha mà năng suất vẫn giữ vững.",
])
def test_no_one_or_two_word_remainder(sentence):
    pieces = chunk_sentence(sentence, 100, normalize)
    assert len(pieces) > 1 and all(len(display.split()) > 2 for display, _ in pieces)
    assert not any(display.startswith(("nghị", "trước", "suất")) for display, _ in pieces)  # "hội | nghị" …
    _check_invariants(sentence, pieces, 100, normalize)


@pytest.mark.parametrize("sentence", [
    "Tổng tài sản của ngân hàng đến cuối năm đạt 1.234.567.890.123 đồng, tăng mạnh so với cùng kỳ năm trước.",
    "Ngân sách 1.234.567.890.123 đồng.",
    "Số tiền là 1.234.567.890.123.456 đồng.",
    "Tổng tài sản đạt 1.234.567.890.123.",  # the number last: its reading starts with the words before it
])
def test_a_number_too_long_for_one_chunk_is_cut_between_its_groups(sentence):
    # "1.234.567.890.123" reads in 106 characters, more than gTTS's 100: its reading must be cut, after a
    # group ("… triệu | tám trăm …"), never inside one ("một trăm hai | mươi ba"), and no chunk is left
    # without written text.
    pieces = chunk_sentence(sentence, 100, normalize)
    _check_invariants(sentence, pieces, 100, normalize)
    for (_, before), (_, after) in zip(pieces, pieces[1:], strict=False):
        assert _words(before)[-1] in {"tỷ", "triệu", "nghìn"} or _words(after)[0] not in {"mươi", "trăm", "lăm"}
    assert any(_words(spoken)[-1] in {"tỷ", "triệu", "nghìn"} for _, spoken in pieces[:-1])
    # With a larger limit the number is never cut.
    assert len(chunk_sentence(sentence, 300, normalize)) == 1


def test_a_lone_overlong_token_keeps_its_text_on_the_first_piece():
    pieces = chunk_sentence("1.234.567.890.123.", 100, normalize)
    assert pieces[0][0] == "1.234.567.890.123." and all(len(spoken) <= 100 for _, spoken in pieces)
    assert _words(pieces[0][1])[-1] == "triệu"


@pytest.mark.parametrize(("heading", "expected"), [
    ("HTX LIÊN KẾT TIÊU THỤ, GIẢM CHI PHÍ", "HTX liên kết tiêu thụ, giảm chi phí"),  # built-in acronym
    ("UBND TỈNH CHỈ ĐẠO", "UBND tỉnh chỉ đạo"),
    ("BQLDAĐTXD HOÀN THÀNH CÔNG TRÌNH", "BQLDAĐTXD hoàn thành công trình"),  # cannot be a syllable
    ("PHÒNG CHỐNG COVID-19 Ở TRƯỜNG HỌC", "Phòng chống COVID-19 ở trường học"),
    ("VỤ HÈ-THU NĂM 2024", "Vụ hè-thu năm 2024"),
    ("NĂNG SUẤT TĂNG CAO", "Năng suất tăng cao"),
    ("Đã viết thường", "Đã viết thường"),  # not an all-caps heading: unchanged
])
def test_display_heading_keeps_acronyms(heading, expected):
    assert display_heading(heading) == expected


def test_chapter_titles_keep_the_acronyms_the_article_defined_before_them():
    article = Article(source="x", title="Tiêu đề", blocks=(
        Block("heading", "CA TỈNH RA QUÂN"),  # "CA" not defined yet: a plain word ("ca")
        Block("paragraph", "Ban Quản lý dự án đầu tư xây dựng (BQLDAĐTXD) tỉnh vừa họp. "
                           "Lực lượng Công an (CA) tỉnh tham dự."),
        Block("heading", "BQLDAĐTXD HOÀN THÀNH CÔNG TRÌNH"),
        Block("heading", "CA TỈNH RA QUÂN"),
    ))
    script = make_script(article, 100, PauseSettings(), lambda text, _definitions: text, define=find_definitions)
    assert script.section_titles == ("Tiêu đề", "Ca tỉnh ra quân", "BQLDAĐTXD hoàn thành công trình",
                                     "CA tỉnh ra quân")


def test_a_sentence_opening_with_an_expanded_abbreviation_is_spoken_with_a_capital():
    speak = lambda text, _definitions: normalize(text, "north")  # noqa: E731
    article = Article(source="x", title="Hội thảo", blocks=(
        Block("paragraph", "ThS. Nguyễn Lan phát biểu. Bà là ThS. kinh tế."),
        Block("paragraph", "UBND tỉnh họp."),
    ))
    spoken = [c.spoken for c in make_script(article, 300, PauseSettings(), speak).chunks]
    assert spoken[1].startswith("Thạc sĩ Nguyễn Lan")
    assert spoken[2].startswith("Bà là thạc sĩ")  # inside a sentence it stays lower case
    assert spoken[3].startswith("Ủy ban nhân dân tỉnh")
