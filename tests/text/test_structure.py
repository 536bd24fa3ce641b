import pytest

from readaloud.model import Article, Block
from readaloud.text.structure import PageRules, byline_name, extract_story, is_caption, update_date


def page(*lines: str, title: str = "Tiêu đề bài viết") -> Article:
    return Article(source="bai.txt", title=title, blocks=tuple(
        Block("heading" if line.isupper() else "paragraph", line) for line in lines))


@pytest.mark.parametrize(("line", "expected"), [
    ("Cập nhật ngày: 09/05/2024 14:30:05", "2024-05-09"),
    ("Cập nhật: 21/6/2024 16:05", "2024-06-21"),
    ("Ngày đăng: 1-2-2023", "2023-02-01"),
    ("Đăng lúc 07.11.2024 08:00", "2024-11-07"),
    ("Cập nhật ngày: 45/13/2024", None),
    ("Cập nhật thông tin mới nhất về lũ.", None),
])
def test_update_date(line, expected):
    assert update_date(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Nông dân thu hoạch lúa Đông Xuân (Ảnh: P.L)", True),
    ("Bà Lan phát biểu tại hội nghị (Ảnh: T.H).", True),
    ("Học sinh dự lễ khai giảng (Ảnh minh họa)", True),
    ("Ảnh: Phương Lan", True),
    ("Ông cho biết ảnh hưởng của lũ là rất lớn.", False),
    ("Sở đã ban hành văn bản (số 12/SNN).", False),
])
def test_captions(line, expected):
    assert is_caption(line) is expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Phương Lan", "Phương Lan"),
    ("Nguyễn Thị Thanh Huyền", "Nguyễn Thị Thanh Huyền"),
    ("Bài, ảnh: Minh Khoa", "Minh Khoa"),
    ("Tin: Ngọc Trâm", "Ngọc Trâm"),
    ("Phương Lan.", None),
    ("Nông dân phấn khởi", None),  # lower-case words: a phrase, not a name
    ("Gửi", None),
    ("Theo kế hoạch giai đoạn 2021 - 2025", None),
])
def test_byline(line, expected):
    assert byline_name(line) == expected


def test_a_pasted_page_becomes_the_story():
    article = page(
        "Cập nhật ngày: 09/05/2024 14:30:05",
        "ĐTO - Vụ lúa năm nay trúng mùa.",
        "Nông dân thu hoạch lúa (Ảnh: P.L)",
        "NĂNG SUẤT TĂNG",
        "Giá lúa tăng mạnh.",
        "Phương Lan",
        "Gửi bình luận của bạn",
        "Chia sẻ",
        title="< Trở về trang trước",
    )
    article = Article(**{**article.__dict__, "blocks": (Block("paragraph", "Lúa trúng mùa, được giá"),
                                                       *article.blocks)})
    story = extract_story(article, PageRules())
    assert story.title == "Lúa trúng mùa, được giá"
    assert (story.author, story.date) == ("Phương Lan", "2024-05-09")
    assert [(b.kind, b.text) for b in story.blocks] == [
        ("paragraph", "Vụ lúa năm nay trúng mùa."),
        ("heading", "NĂNG SUẤT TĂNG"),
        ("paragraph", "Giá lúa tăng mạnh."),
    ]


def test_settings_keep_captions_and_dateline():
    article = page("ĐTO - Vụ lúa năm nay trúng mùa.", "Nông dân thu hoạch lúa (Ảnh: P.L)", "Giá tăng.")
    story = extract_story(article, PageRules(read_captions=True, read_dateline=True))
    assert [b.text for b in story.blocks] == [b.text for b in article.blocks]


def test_configured_datelines_and_chrome_replace_the_defaults():
    article = page("BTN - Tin mở đầu.", "Xem tiếp trang sau", "Chia sẻ")
    story = extract_story(article, PageRules(datelines=("ĐTO",), chrome=("Xem tiếp trang sau",)))
    # BTN is not this paper's tag, so it stays; "Chia sẻ" is not on this paper's chrome list.
    assert [b.text for b in story.blocks] == ["BTN - Tin mở đầu.", "Chia sẻ"]
    ours = extract_story(page("ĐTO – Tin mở đầu."), PageRules(datelines=("ĐTO",)))
    assert ours.blocks[0].text == "Tin mở đầu."


def test_existing_metadata_wins():
    article = Article(source="a.md", title="T", blocks=(Block("paragraph", "Nội dung."),
                                                         Block("paragraph", "Phương Lan")),
                      author="Ngọc Trâm", date="2024-09-05")
    story = extract_story(article, PageRules())
    assert (story.author, story.date) == ("Ngọc Trâm", "2024-09-05")
    assert [b.text for b in story.blocks] == ["Nội dung."]
