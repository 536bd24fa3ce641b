import re
import unicodedata

import pytest

from readaloud.errors import InputError
from readaloud.text.clean import clean_display_text
from readaloud.text.reader import parse_markdown, parse_plain, read_article


@pytest.mark.parametrize(("raw", "expected"), [
    ("Hoà bình", "Hòa bình"),
    ("sức khoẻ", "sức khỏe"),
    ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
    ("thuỷ lợi", "thủy lợi"),
    ("quý vị", "quý vị"),  # "qu" is a consonant: the mark already sits on the only vowel
    ("hoàng hôn", "hoàng hôn"),  # not syllable-final: one agreed place already
    ("HOÀ BÌNH", "HÒA BÌNH"),
    ("hoặc xoắn", "hoặc xoắn"),  # the breve is part of the vowel: nothing moves
    ("khoẻ khoắn", "khỏe khoắn"),
    ("a\u200bb\u00adc", "abc"),
    ("  hai   khoảng\ttrắng  ", "hai khoảng trắng"),
    ("dòng 1\r\ndòng 2\rdòng 3", "dòng 1\ndòng 2\ndòng 3"),
])
def test_clean_text(raw, expected):
    assert clean_display_text(raw) == expected


def test_clean_text_makes_nfd_input_nfc():
    nfd = unicodedata.normalize("NFD", "Người dân Đồng Tháp")
    assert clean_display_text(nfd) == "Người dân Đồng Tháp"
    assert unicodedata.is_normalized("NFC", clean_display_text(nfd))


def test_plain_text_structure():
    article = parse_plain(
        "\ufeff\nLúa trúng mùa\n\nĐTO - Đoạn mở đầu.\nNĂNG SUẤT TĂNG CAO\nĐoạn thân bài.\n"
        "https://example.vn/audio/bai.mp3\n", "bai.txt")
    assert article.title == "Lúa trúng mùa"
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "ĐTO - Đoạn mở đầu."),
        ("heading", "NĂNG SUẤT TĂNG CAO"),
        ("paragraph", "Đoạn thân bài."),
    ]


def test_markdown_front_matter_and_structure():
    text = (
        "---\ntitle: Mùa nước nổi\nauthor: Thanh Hà\ndate: 2024-10-15\nurl: https://example.vn/a\n"
        "publication: Báo Mẫu\nimage: images/a.jpg\n---\n\nĐoạn mở **đầu** với [liên kết](https://x.vn).\n\n"
        "## Nước lên\n\n- Ý thứ nhất\n- Ý thứ hai\n\n```\ncode không đọc\n```\n\n> Trích dẫn.\n"
    )
    article = parse_markdown(text, "a.md")
    assert (article.title, article.author, article.date, article.url, article.publication, article.image) == (
        "Mùa nước nổi", "Thanh Hà", "2024-10-15", "https://example.vn/a", "Báo Mẫu", "images/a.jpg")
    assert [(b.kind, b.text) for b in article.blocks] == [
        ("paragraph", "Đoạn mở đầu với liên kết."),
        ("heading", "Nước lên"),
        ("paragraph", "Ý thứ nhất"),
        ("paragraph", "Ý thứ hai"),
        ("paragraph", "Trích dẫn."),
    ]


def test_markdown_title_from_first_h1_without_front_matter():
    article = parse_markdown("# Tiêu đề\n\nNội dung.\n", "b.md")
    assert article.title == "Tiêu đề"
    assert [b.text for b in article.blocks] == ["Nội dung."]


def test_front_matter_with_wrong_type_names_the_key():
    with pytest.raises(InputError, match=r"c\.md: front matter 'author' must be text"):
        parse_markdown("---\ntitle: A\nauthor: [x, y]\n---\nNội dung.\n", "c.md")


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the article is empty"),
    (b"  \n\t\n", "the article is empty"),
    ("Chỉ có tiêu đề\n".encode(), "title but no body"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    (b"Ti\xeau \xc4\x91\xe1\xbb\x81\nN\xe1\xbb\x99i dung.\n", "not valid UTF-8 (byte 0xea at offset 2)"),
])
def test_bad_input_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "bai.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(message)) as info:
        read_article(str(path))
    assert str(info.value).startswith(str(path))


def test_missing_file_and_unsupported_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(str(tmp_path / "khong-co.txt"))
    (tmp_path / "a.docx").write_bytes(b"x")
    with pytest.raises(InputError, match="unsupported file type '.docx'"):
        read_article(str(tmp_path / "a.docx"))


def test_utf16_with_bom_is_read(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Tiêu đề\nNội dung bài.\n".encode("utf-16"))
    article = read_article(str(path))
    assert article.title == "Tiêu đề"
    assert article.blocks[0].text == "Nội dung bài."


def test_a_plain_header_of_key_value_lines_is_metadata_not_text():
    text = ("# doc_id = tin_001\n# url = https://bao.example.invalid/tin-001.htm\n# date = 20240131\n"
            "Mưa lớn ở miền Trung\nNhiều tuyến đường bị ngập sâu.\n")
    article = parse_plain(text, "tin.txt")
    assert article.title == "Mưa lớn ở miền Trung"
    assert [block.text for block in article.blocks] == ["Nhiều tuyến đường bị ngập sâu."]
    assert (article.url, article.date) == ("https://bao.example.invalid/tin-001.htm", "2024-01-31")


def test_a_plain_header_may_name_the_title_and_author_and_keeps_odd_values_as_text():
    text = "# title = Tin vắn\n# author = Minh An\n# date = sáng nay\nCâu đầu tiên.\n"
    article = parse_plain(text, "tin.txt")
    assert (article.title, article.author, article.date) == ("Tin vắn", "Minh An", "sáng nay")
    assert [block.text for block in article.blocks] == ["Câu đầu tiên."]


def test_a_header_line_after_the_text_starts_is_text_and_a_header_alone_is_empty():
    article = parse_plain("Tiêu đề\n# ghi chú = không phải siêu dữ liệu\nCâu một.\n", "tin.txt")
    assert [block.text for block in article.blocks] == ["# ghi chú = không phải siêu dữ liệu", "Câu một."]
    with pytest.raises(InputError, match="tin.txt: the article is empty"):
        parse_plain("# doc_id = x\n# date = 20240101\n", "tin.txt")


def test_an_impossible_header_date_is_bad_input_and_an_empty_value_is_no_value():
    with pytest.raises(InputError, match="tin.txt: the header's date '2024-13-99' is not a real day"):
        parse_plain("# date = 20241399\nTin\nCâu một.\n", "tin.txt")
    assert parse_plain("# title =\nTin vắn\nCâu một.\n", "tin.txt").title == "Tin vắn"


def test_a_folder_named_as_an_article_says_so(tmp_path):
    with pytest.raises(InputError, match="is a folder, not an article file"):
        read_article(str(tmp_path))
