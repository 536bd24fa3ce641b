"""Chunk cuts fall between words, never between the syllables of one word or name (issue 13).

The sentences are written for these tests. Each of the first ones was cut inside a word before chunking
asked the segmenter ("chuẩn | bị", "Thành phố Hồ | Chí Minh", "nghiên | cứu", "kéo | dài").
"""

from __future__ import annotations

import pytest

from readaloud.engines.espeak import EspeakEngine
from readaloud.engines.gtts import GttsEngine
from readaloud.text.chunk import chunk_sentence
from readaloud.text.cuts import _name_cuts, cuts_inside_words
from readaloud.text.normalize import normalize
from readaloud.text.parts import aligned, parts_of_reading
from readaloud.text.vi.places import HYPHENATED_NAMES
from readaloud.text.vi.words import inside_word_spaces

GTTS = GttsEngine.max_chars
ESPEAK = EspeakEngine.max_chars


def _speak(text: str) -> str:
    return normalize(text, "north")


def _cuts(pieces: list[tuple[str, str]]) -> list[int]:
    """Where the pieces were cut, as indices into the sentence's words (a cut i falls before word i)."""
    cuts, count = [], 0
    for display, _ in pieces[:-1]:
        count += len(display.split(" "))
        cuts.append(count)
    return cuts


def _assert_between_words(sentence: str, limit: int) -> list[tuple[str, str]]:
    pieces = chunk_sentence(sentence, limit, _speak)
    assert " ".join(display for display, _ in pieces) == sentence
    assert all(len(spoken) <= limit for _, spoken in pieces)
    inside = inside_word_spaces(sentence.split(" "))
    assert not [cut for cut in _cuts(pieces) if cut in inside], [display for display, _ in pieces]
    return pieces


# Each was cut inside a word by the old chunking at Google's 100 characters.
CUT_INSIDE_BEFORE = [
    ("Ngay sau khi nhận được thông báo của cơ quan chức năng về đợt nắng nóng kéo dài các trường học "
     "trên địa bàn đã chuẩn bị phương án cho học sinh nghỉ",
     ["Ngay sau khi nhận được thông báo của cơ quan chức năng về đợt nắng nóng",
      "kéo dài các trường học trên địa bàn đã chuẩn bị phương án cho học sinh nghỉ"]),
    ("Đoàn công tác của Bộ Y tế do Thứ trưởng dẫn đầu đã đến kiểm tra tình hình chuẩn bị vật tư y tế "
     "tại nhiều bệnh viện thuộc Thành phố Hồ Chí Minh trong tuần qua",
     ["Đoàn công tác của Bộ Y tế do Thứ trưởng dẫn đầu đã đến kiểm tra tình hình chuẩn bị",
      "vật tư y tế tại nhiều bệnh viện thuộc Thành phố Hồ Chí Minh trong tuần qua"]),
    ("Lễ hội văn hóa ẩm thực lần thứ nhất được tổ chức tại Thành phố Hồ Chí Minh thu hút hàng nghìn "
     "du khách trong và ngoài nước tham quan",
     ["Lễ hội văn hóa ẩm thực lần thứ nhất được tổ chức tại Thành phố Hồ Chí Minh",
      "thu hút hàng nghìn du khách trong và ngoài nước tham quan"]),
    ("Hội nghị lần này là dịp để các nhà khoa học trao đổi kinh nghiệm nghiên cứu ứng dụng công nghệ "
     "sinh học trong sản xuất nông nghiệp bền vững",
     ["Hội nghị lần này là dịp để các nhà khoa học trao đổi kinh nghiệm",
      "nghiên cứu ứng dụng công nghệ sinh học trong sản xuất nông nghiệp bền vững"]),
]


@pytest.mark.parametrize(("sentence", "expected"), CUT_INSIDE_BEFORE)
def test_gtts_chunks_are_cut_between_words(sentence: str, expected: list[str]) -> None:
    pieces = _assert_between_words(sentence, GTTS)
    assert [display for display, _ in pieces] == expected


# More sentences with no comma to cut at, each long enough to need a cut: none may fall inside a word.
NO_COMMA = [
    "Người dân xã ven biển đang khẩn trương gia cố nhà cửa và di chuyển tàu thuyền vào nơi neo đậu an toàn "
    "trước khi cơn bão đổ bộ",
    "Sở Giáo dục và Đào tạo tỉnh đề nghị các trường tăng cường kiểm tra an toàn thực phẩm trong bếp ăn "
    "bán trú của học sinh tiểu học",
    "Hợp tác xã nông nghiệp ở huyện miền núi vừa ký hợp đồng bao tiêu sản phẩm với một doanh nghiệp chế "
    "biến nông sản xuất khẩu",
    "Ban quản lý dự án cho biết công trình cầu vượt sông sẽ hoàn thành sớm hơn kế hoạch khoảng ba tháng "
    "nhờ thời tiết thuận lợi",
    "Bệnh viện đa khoa tỉnh vừa tiếp nhận thêm nhiều trang thiết bị hiện đại phục vụ công tác khám chữa "
    "bệnh cho người dân vùng sâu",
    "Thủ tướng Chính phủ yêu cầu các bộ ngành khẩn trương hoàn thiện thể chế để tháo gỡ khó khăn cho "
    "doanh nghiệp nhỏ và vừa",
    "Câu lạc bộ bóng đá của thành phố đang chuẩn bị lực lượng cho mùa giải mới với nhiều cầu thủ trẻ "
    "được đôn lên đội một",
    "Trung tâm Khí tượng Thủy văn quốc gia dự báo không khí lạnh tăng cường sẽ gây mưa rét diện rộng ở "
    "các tỉnh miền Bắc",
]


@pytest.mark.parametrize("sentence", NO_COMMA)
def test_sentences_without_commas_are_cut_between_words(sentence: str) -> None:
    assert len(_assert_between_words(sentence, GTTS)) > 1


@pytest.mark.parametrize("sentence", NO_COMMA + [s for s, _ in CUT_INSIDE_BEFORE])
def test_espeak_chunks_of_long_sentences_are_cut_between_words(sentence: str) -> None:
    # Three of them in one sentence, joined without commas: longer than espeak-ng's limit.
    long = " và ".join([sentence] * 4)
    assert len(_speak(long)) > ESPEAK
    assert len(_assert_between_words(long, ESPEAK)) > 1


def test_a_sentence_within_the_limit_is_not_segmented_or_cut() -> None:
    sentence = "Thành phố Hồ Chí Minh chuẩn bị khai giảng năm học mới"
    assert chunk_sentence(sentence, GTTS, _speak) == [(sentence, sentence)]


def test_a_clause_break_is_still_preferred_to_a_word_boundary() -> None:
    sentence = ("Sau nhiều tháng chuẩn bị kỹ lưỡng, đội tuyển quốc gia đã sẵn sàng bước vào vòng loại cuối "
                "cùng của giải đấu")
    pieces = _assert_between_words(sentence, GTTS)
    assert pieces[0][0] == "Sau nhiều tháng chuẩn bị kỹ lưỡng,"


def test_a_comma_between_two_words_that_could_form_one_is_a_cut() -> None:
    # "ít, nhiều" is two words because of the comma, though "ít nhiều" alone is one word.
    words = "Năm nay mưa ít, nhiều cánh đồng thiếu nước".split(" ")
    readings = [_speak(word) for word in words]
    assert 4 not in cuts_inside_words(words, readings)


def test_a_word_spelt_from_an_abbreviation_is_judged_by_its_reading() -> None:
    # "TP.HCM" is said "Thành phố Hồ Chí Minh": the cut after it is between words.
    words = "Người dân TP.HCM chuẩn bị đón Tết".split(" ")
    readings = [_speak(word) for word in words]
    assert 3 not in cuts_inside_words(words, readings)
    assert 4 in cuts_inside_words(words, readings)  # "chuẩn bị" is one word


# A name written with a spaced hyphen is one name: never cut, and read without a pause.
@pytest.mark.parametrize("name", HYPHENATED_NAMES)
def test_a_hyphenated_name_is_never_cut(name: str) -> None:
    sentence = (f"Các doanh nghiệp xuất khẩu thủy sản tại {name} đang tích cực tìm kiếm thị trường mới "
                "sau khi đơn hàng từ châu Âu giảm mạnh")
    words = sentence.split(" ")
    start = words.index(name.split(" ")[0])
    within = set(range(start + 1, start + len(name.split(" "))))
    for limit in (GTTS, 60, 40):
        pieces = chunk_sentence(sentence, limit, _speak)
        assert not within & set(_cuts(pieces)), (limit, [display for display, _ in pieces])
        assert name.replace(" - ", " ") in " ".join(spoken for _, spoken in pieces)


def test_bà_rịa_vũng_tàu_stays_one_chunk_where_it_was_cut_at_its_dash() -> None:
    # Was "… tại tỉnh Bà Rịa" | "- Vũng Tàu đang …": the spaced dash counted as a clause break.
    sentence = ("Các doanh nghiệp xuất khẩu thủy sản tại tỉnh Bà Rịa - Vũng Tàu đang tích cực tìm kiếm thị "
                "trường mới sau khi đơn hàng từ châu Âu giảm mạnh")
    pieces = _assert_between_words(sentence, GTTS)
    assert [display for display, _ in pieces] == [
        "Các doanh nghiệp xuất khẩu thủy sản tại tỉnh Bà Rịa - Vũng Tàu",
        "đang tích cực tìm kiếm thị trường mới sau khi đơn hàng từ châu Âu giảm mạnh"]
    assert pieces[0][1].endswith("Bà Rịa Vũng Tàu")


@pytest.mark.parametrize(("words", "cuts"), [
    ("tỉnh Thừa Thiên - Huế có mưa", {1, 2, 3, 4}),  # and the province's word goes with its name
    ("mưa ở Thừa Thiên – Huế", {3, 4, 5}),
    ("(Bà Rịa - Vũng Tàu), ngày", {1, 2, 3, 4}),
    ("THỪA THIÊN - HUẾ", {1, 2, 3}),
    ("Ấn Độ Dương - Thái Bình Dương", {1, 2, 3, 4, 5, 6}),
    ("Hà Nội - Hải Phòng", set()),
    ("Ông Lê Văn Tám - Chủ tịch xã", set()),
    ("Thừa Thiên - Quảng Trị", set()),
])
def test_the_cuts_inside_a_hyphenated_name(words: str, cuts: set[int]) -> None:
    assert _name_cuts(words.split(" ")) == cuts


@pytest.mark.parametrize(("words", "cuts"), [
    ("đến Thành phố Hồ Chí Minh hôm qua", {3}),
    ("ở thành phố Đà Nẵng và thị xã Sơn Tây", {3, 8}),
    ("huyện Cần Giờ, quận Ba Đình, phường Bến Nghé", {1, 4, 7}),
    ("Người dân trong xã đã góp tiền", set()),  # no name after the unit
    ("xã hội và Nhà nước", set()),
    ("cả tỉnh, Nhà nước cùng lo", set()),  # a comma ends the unit's phrase
    ("ở quận 1 và phường 12", {2, 5}),  # a city's districts are named by number
    ("đến tỉnh 2 lần", set()),
    ("(thành phố Huế) và tỉnh “Quảng Nam”", {2, 5}),
    ("TP. Thủ Đức và TP Hồ Chí Minh", {1, 5}),
])
def test_an_administrative_unit_goes_with_the_name_after_it(words: str, cuts: set[int]) -> None:
    assert _name_cuts(words.split(" ")) == cuts


def test_a_city_is_not_cut_from_its_name_where_the_pieces_would_be_more_even() -> None:
    sentence = ("Sáng nay, lãnh đạo các sở ngành cùng nhiều doanh nghiệp lớn của Thành phố Hồ Chí Minh đã họp bàn "
                "về kế hoạch phục hồi kinh tế sau dịch")
    for limit in (60, 70, 80, 90, GTTS):
        displays = [display for display, _ in _assert_between_words(sentence, limit)]
        assert not any(display.endswith("Thành phố") for display in displays), (limit, displays)


def test_a_dash_between_other_names_is_still_a_clause_break() -> None:
    sentence = ("Tuyến đường sắt tốc độ cao nối Hà Nội - Thành phố Hồ Chí Minh dự kiến khởi công trong "
                "năm tới theo chủ trương đã được thông qua")
    pieces = _assert_between_words(sentence, GTTS)
    assert ", Thành phố Hồ Chí Minh" in pieces[0][1] or pieces[1][0].startswith("-")


def test_a_single_word_longer_than_the_limit_is_cut_as_before() -> None:
    # "Hồ Chí Minh" is one word of 11 characters: at a limit of 8 it can only be cut inside.
    sentence = "Thành phố Hồ Chí Minh"
    pieces = chunk_sentence(sentence, 8, _speak)
    assert " ".join(display for display, _ in pieces) == sentence
    assert all(len(spoken) <= 8 for _, spoken in pieces)
    assert [display for display, _ in pieces][0] == "Thành"  # "Thành phố" (9) does not fit either


def test_a_word_that_fits_is_kept_whole_at_a_small_limit() -> None:
    sentence = "Học sinh chuẩn bị khai giảng"
    pieces = chunk_sentence(sentence, 12, _speak)
    assert [display for display, _ in pieces] == ["Học sinh", "chuẩn bị", "khai giảng"]


# A word read alone can read otherwise in its sentence: "kg" alone stays "kg", after a number it is
# "ki lô gam", which the segmenter may join to the next syllable. The pieces are judged again as said.
SAID_IN_CONTEXT = [
    "Lực lượng quản lý thị trường vừa thu giữ trên xe tải 2.000 kg lòng lợn chưa qua chế biến và không rõ "
    "nguồn gốc xuất xứ",
    "Đoàn kiểm tra phát hiện cơ sở đang cất giữ 1.500 kg lòng bò đông lạnh đã quá hạn sử dụng nhiều tháng "
    "trong kho của mình",
    "Người dân trong xã đã góp 12 km đường bê tông nông thôn mới cho các thôn vùng sâu vùng xa của huyện "
    "miền núi này",
]


@pytest.mark.parametrize("sentence", SAID_IN_CONTEXT)
def test_the_pieces_are_cut_between_words_as_they_are_said(sentence: str) -> None:
    pieces = chunk_sentence(sentence, GTTS, _speak)
    assert len(pieces) > 1
    said_inside = cuts_inside_words([display for display, _ in pieces], [spoken for _, spoken in pieces])
    assert not said_inside, [spoken for _, spoken in pieces]


def test_a_sentence_whose_words_read_alone_as_in_it_is_cut_from_its_own_reading() -> None:
    sentence = ("Trước đó, trưa 25/4, người dân phát hiện trong nghĩa trang xã Thiệu Lý (địa chỉ ở thôn 5) có một "
                "ngôi mộ lạ vừa mới xây, xung quanh có cắm hoa tươi và đồ cúng.")
    whole = _speak(sentence)
    pieces = _assert_between_words(sentence, GTTS)
    assert " ".join(spoken for _, spoken in pieces).replace(",", "").split() == whole.replace(",", "").split()
    assert all(spoken in whole for _, spoken in pieces)  # each piece is a part of the whole reading


def test_the_parts_of_a_reading_line_up_with_the_words() -> None:
    words = "Giá tăng, rồi giảm - ngay".split(" ")
    readings = [_speak(word) for word in words]
    spoken = _speak(" ".join(words))
    starts, unknown = parts_of_reading(readings, spoken)
    assert not unknown
    assert [spoken[starts[i]:starts[i + 1]].strip() for i in range(len(words))] == [
        "Giá", "tăng,", "rồi", "giảm,", "", "ngay"]  # the dash is a pause: its own part is empty


@pytest.mark.parametrize(("sentence", "stretch"), [
    ("Đoàn đến sáng 14.3 và ở lại hai ngày", "sáng 14.3"),  # "14.3" alone is a decimal, after "sáng" a date
    ("Cửa hàng mở cửa từ thứ 4 đến hết tuần", "thứ 4"),  # "4" alone is "bốn", after "thứ" "tư"
    ("Chợ tạm nghỉ từ ngày 5-7 theo thông báo", "ngày 5-7"),  # "5-7" alone is a range, after "ngày" dates
    ("Cửa hàng mở cửa từ thứ 4, các quầy đều bán", "thứ 4,"),  # the comma after it is still a cut
])
def test_a_word_that_reads_otherwise_in_the_sentence_stays_with_the_word_before_it(sentence: str,
                                                                                   stretch: str) -> None:
    words = sentence.split(" ")
    spoken = _speak(sentence)
    starts, unknown = parts_of_reading([_speak(word) for word in words], spoken)
    first = sentence[:sentence.index(stretch)].count(" ")
    assert unknown == set(range(first + 1, first + len(stretch.split(" "))))
    # The known parts still say their own words, and the parts put together say the whole sentence.
    parts = [spoken[starts[i]:starts[i + 1]] for i in range(len(words))]
    assert "".join(parts) == spoken
    assert parts[0].strip() == _speak(words[0])
    after = first + len(stretch.split(" "))
    assert "".join(parts[after:]).strip() == _speak(" ".join(words[after:]))


@pytest.mark.parametrize(("heard", "said", "where"), [
    ("a b c d", "a b c d", [0, 1, 2, 3]),
    ("thứ tư rồi về", "thứ bốn rồi về", [0, -1, 2, 3]),  # one word said otherwise
    ("ngày năm tháng sáu đi", "ngày ngày năm tháng sáu đi", [0, -1, 1, 2, 3, 4]),  # "ngày 5/6": said twice alone
    ("a x y b c", "a b c", [0, 3, 4]),  # words the sentence adds
    ("a b", "a q r s t u v w x y z b", [0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1]),  # too far: one stretch
])
def test_the_readings_agree_again_after_a_few_words(heard: str, said: str, where: list[int]) -> None:
    assert aligned(heard.split(), said.split()) == where


@pytest.mark.parametrize(("sentence", "never_ends", "limits"), [
    # Cut "ngày | 5-7" by the first alignment, which judged each cut by the two words said either side.
    ("Các cửa hàng trong khu chợ đầu mối của quận sẽ tạm ngừng hoạt động để phun khử khuẩn từ ngày 5-7 theo "
     "thông báo của ban quản lý chợ", "ngày", range(30, 201, 5)),
    # Cut "tỉnh | Quảng Nam" before the unit and its name were one name, at 36, 69 and 72.
    ("Lãnh đạo nhiều địa phương của tỉnh Quảng Nam về kế hoạch phòng chống thiên tai trong mùa mưa bão năm nay "
     "đã họp bàn suốt buổi sáng", "tỉnh", (36, 69, 72)),
])
def test_a_date_or_a_place_is_not_cut_from_the_word_before_it(sentence: str, never_ends: str, limits) -> None:
    for limit in limits:
        displays = [display for display, _ in _assert_between_words(sentence, limit)]
        assert not any(display.endswith(never_ends) for display in displays[:-1]), (limit, displays)


def test_a_clause_break_after_a_word_that_reads_otherwise_is_still_preferred() -> None:
    sentence = ("Các cửa hàng trong khu chợ sẽ mở cửa lại từ thứ 4, các quầy thực phẩm tươi sống được ưu tiên kiểm "
                "tra trước")
    for limit in (60, 70, 80):
        assert _assert_between_words(sentence, limit)[0][0].endswith("thứ 4,"), limit


def test_a_long_sentence_is_never_cut_inside_words_that_read_otherwise_alone() -> None:
    sentence = ("Theo kế hoạch, các cửa hàng trong khu chợ sẽ mở cửa lại từ thứ 4 tuần tới, sau khi đoàn kiểm tra "
                "của phường đến làm việc vào sáng 14.3 và xác nhận mọi quầy hàng đã đủ điều kiện an toàn")
    whole = _speak(sentence)
    for limit in range(40, 120, 7):
        pieces = chunk_sentence(sentence, limit, _speak)
        assert " ".join(display for display, _ in pieces) == sentence
        assert all(len(spoken) <= limit for _, spoken in pieces)
        displays = [display for display, _ in pieces]
        assert not any(display.endswith(("thứ", "sáng")) for display in displays[:-1]), displays
        # Each piece says its part of the sentence as the sentence says it ("thứ tư", "mười bốn tháng ba").
        assert " ".join(spoken for _, spoken in pieces).replace(",", "").split() == whole.replace(",", "").split()


def test_a_bracket_is_a_clause_break() -> None:
    sentence = ("Năm ngoái, công ty từng bị Ủy ban Thương mại Liên bang Mỹ (FTC) phạt một khoản tiền lớn vì thu "
                "thập trái phép thông tin của trẻ em")
    pieces = _assert_between_words(sentence, GTTS)
    assert pieces[0][0].endswith("Liên bang Mỹ") and pieces[1][0].startswith("(FTC)")
