import pytest

from readaloud.model import Article, Block
from readaloud.text.structure import PageRules, byline_name, extract_story, is_caption, source_credit, update_date


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
    ("Minh An / Tổng hợp", "Minh An"),  # "compiled by": not part of the name
    ("Thu Hà (tổng hợp)", "Thu Hà"),
    ("H.Long", "H.Long"),  # initials glued to a name: one written word
    ("T.Thủy", "T.Thủy"),
    ("K.Đ", "K.Đ"),
    ("M. Hà", "M. Hà"),
    ("Công Minh - Thu Hà", "Công Minh - Thu Hà"),  # two reporters
    ("Đ.Chính - Minh Tâm - Thu Hà", "Đ.Chính - Minh Tâm - Thu Hà"),
    ("Ca sĩ Minh - Bài hát mới", None),  # lower-case words on one side
    ("Long", None),  # one word that is no initialled name
    ("TP.HCM", None),
    ("Q.1", None),
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


# Photo captions and credits in the forms pasted pages carry besides "(Ảnh: ...)": not read.
@pytest.mark.parametrize("line", [
    "Đoàn công tác kiểm tra đê sông Hồng. Ảnh: Minh Khoa",
    "Đoàn công tác kiểm tra đê sông Hồng. Ảnh: Minh Khoa.",
    "Lễ khánh thành cầu mới. Ảnh: T.Hương",
    "Xe cứu thương đến hiện trường. ẢNH: NGỌC TRÂM",
    "Người dân xếp hàng chờ tiêm vắc xin - Ảnh: Bảo Anh",
    "Người dân xếp hàng chờ tiêm vắc xin – ẢNH: BẢO ANH",
    "Lúa chín vàng trên cánh đồng - Ảnh: Sở Nông nghiệp cung cấp",
    "Cảng cá lúc bình minh. Ảnh minh họa",
    "Cảng cá lúc bình minh. Ảnh minh hoạ.",
    "Trẻ em vui chơi trong công viên - Ảnh minh họa từ Internet.",
    "Ảnh minh họa",
    "Ảnh minh họa một con tàu vũ trụ.",
    "Ảnh: Lê Hoàng",
    "ẢNH: LÊ HOÀNG",
    "Nguồn: Bộ Y tế",
    "Nguồn ảnh: Thanh Tùng",
    "Video: Thành Đạt",
    "Clip: Người dân cung cấp",
    "Đồ họa: Hà Linh",
    "Tòa nhà trụ sở mới của ngân hàng (Ảnh: Q.Huy)",
    "Tòa nhà trụ sở mới của ngân hàng. ( Ảnh: Q.Huy).",
    "Tòa nhà trụ sở mới của ngân hàng (Ảnh chụp màn hình)",
    "Bản đồ đường đi của cơn bão (Đồ họa: Trung tâm dự báo).",
    "Nước lũ tràn qua đường (Video: Hoàng Nam)",
    "Biểu đồ lạm phát qua các năm (Nguồn: Tổng cục Thống kê)",
    "Kho hàng của công ty ở Bình Dương. (Nguồn: Reuters).",
    "Bến cảng nhìn từ trên cao; Nguồn: baochinhphu.vn",
    "Tàu hàng cập cảng. Nguồn: AP",
    "Mẫu xe mới ra mắt. Ảnh: Nhà sản xuất cung cấp",
])
def test_credit_forms_are_captions(line):
    assert is_caption(line)


# Near-misses: a sentence that merely holds the word "ảnh", "nguồn" or "video" is story text.
@pytest.mark.parametrize("line", [
    "Nguồn vốn tăng mạnh.",
    "Nguồn vốn đầu tư công được giải ngân nhanh hơn năm trước.",
    "Nguồn tin cho biết cuộc họp sẽ diễn ra vào tuần sau.",
    "Ảnh hưởng của bão khiến nhiều tuyến đường bị ngập.",
    "Ảnh hưởng của dịch bệnh: nhiều cửa hàng đóng cửa.",
    "Ông cho biết ảnh hưởng của lũ là rất lớn.",
    "Bức ảnh được chia sẻ rộng rãi trên mạng xã hội.",
    "Triển lãm trưng bày các hình ảnh: tranh cổ động, ảnh tư liệu và hiện vật.",
    "Đoạn video ghi lại cảnh xe tải lao vào dải phân cách.",
    "Video clip lan truyền trên mạng khiến dư luận bức xúc.",
    "Sau tranh cãi thu tiền chụp ảnh: tiểu thương có gỡ biển?",
    "Chất lượng hình ảnh: độ phân giải cao, màu sắc trung thực.",
    "Ông nói: Ảnh hưởng là không đáng kể. Chúng tôi đã chuẩn bị từ sớm và sẽ tiếp tục theo dõi.",
    "Ảnh cưới ngoài trời đang là lựa chọn của nhiều cặp đôi.",
    "Đồ họa máy tính là ngành học thu hút nhiều thí sinh.",
])
def test_near_misses_are_story_text(line):
    assert not is_caption(line)


def test_a_long_paragraph_ending_in_a_source_is_story_text():
    # "(Nguồn: ...)" closing a story paragraph cites data; only a caption-length line is a caption.
    paragraph = ("Kim ngạch xuất khẩu nông sản quý đầu năm tăng mạnh so với cùng kỳ, trong đó gạo, cà phê và "
                 "hạt điều đều đạt mức cao nhất trong nhiều năm; các doanh nghiệp cho biết đơn hàng đã kín "
                 "đến cuối năm và giá bán bình quân cũng nhích lên so với năm ngoái (Nguồn: Bộ Công Thương).")
    assert len(paragraph.split()) > 40
    assert not is_caption(paragraph)


def test_credits_and_captions_in_a_story_are_not_read():
    article = page(
        "Sáng nay, cây cầu mới chính thức thông xe.",
        "Lễ thông xe cầu mới. Ảnh: Minh Khoa",
        "ẢNH: MINH KHOA",
        "Cầu dài 1,2 km, rộng bốn làn xe.",
        "Xe qua cầu trong ngày đầu - Ảnh: Bảo Anh",
        "Video: Hoàng Nam",
        "Nguồn vốn tăng mạnh.",
    )
    story = extract_story(article, PageRules())
    assert [b.text for b in story.blocks] == [
        "Sáng nay, cây cầu mới chính thức thông xe.", "Cầu dài 1,2 km, rộng bốn làn xe.", "Nguồn vốn tăng mạnh."]
    kept = extract_story(article, PageRules(read_captions=True))
    assert [b.text for b in kept.blocks] == [b.text for b in article.blocks]


@pytest.mark.parametrize(("title", "read"), [
    ("Cây cầu mới thông xe sau hai năm thi công (Ảnh: Minh Khoa).", "Cây cầu mới thông xe sau hai năm thi công"),
    ("Xe qua cầu trong ngày đầu - Ảnh: Bảo Anh", "Xe qua cầu trong ngày đầu"),
    ("Ảnh: Bảo Anh", "Ảnh: Bảo Anh"),  # nothing but a credit: left for the reader to see
    ("Ảnh cưới đẹp nhất năm", "Ảnh cưới đẹp nhất năm"),
])
def test_a_title_ending_in_a_photo_credit_is_read_without_it(title: str, read: str) -> None:
    # A pasted page whose first line is a caption makes it the title.
    assert extract_story(page("Nội dung bài.", title=title), PageRules()).title == read
    assert extract_story(page("Nội dung bài.", title=title), PageRules(read_captions=True)).title == title


@pytest.mark.parametrize(("text", "spoken"), [
    ("Hoa hậu xuất hiện cùng bạn trai (ảnh) tại sự kiện tối qua.",
     "Hoa hậu xuất hiện cùng bạn trai tại sự kiện tối qua."),
    ("Hai bác sĩ (ảnh trái) đã trực suốt đêm.", "Hai bác sĩ đã trực suốt đêm."),
    ("Ông Nam (bên phải, trong ảnh) phát biểu.", "Ông Nam (bên phải, trong ảnh) phát biểu."),
    ("Chiếc máy bay riêng (trong ảnh) trị giá hàng triệu USD.", "Chiếc máy bay riêng trị giá hàng triệu USD."),
    ("Bà Lan (ảnh bên phải) cho biết.", "Bà Lan cho biết."),
    ("Ảnh hưởng (ảnh dưới) rất rõ.", "Ảnh hưởng rất rõ."),
])
def test_pointers_at_a_picture_are_not_read(text, spoken):
    story = extract_story(page("Mở đầu.", text), PageRules(read_dateline=True))
    assert story.blocks[1].text == spoken


# Datelines: a site's tag in brackets with a dash, and "Dân trí" run into the lead, are not read.
@pytest.mark.parametrize(("lead", "spoken"), [
    ("(Dân trí) - Sáng 5/9, học sinh cả nước dự lễ khai giảng.", "Sáng 5/9, học sinh cả nước dự lễ khai giảng."),
    ("(VTC News) - Giá vàng hôm nay tăng mạnh.", "Giá vàng hôm nay tăng mạnh."),
    ("(PLVN) – Tòa án tuyên án vụ lừa đảo.", "Tòa án tuyên án vụ lừa đảo."),
    ("(Baonghean.vn) - Mưa lớn gây ngập nhiều nơi.", "Mưa lớn gây ngập nhiều nơi."),
    ("(NLĐO)- Cảng biển đón tàu lớn.", "Cảng biển đón tàu lớn."),
    ("Dân trí Chiều 5/9, mưa lớn gây ngập nhiều tuyến phố.", "Chiều 5/9, mưa lớn gây ngập nhiều tuyến phố."),
    ("Dân trí - Đội tuyển giành chiến thắng.", "Đội tuyển giành chiến thắng."),
    ("Dân trí Ông Minh cho biết dự án sẽ hoàn thành vào cuối năm.",
     "Ông Minh cho biết dự án sẽ hoàn thành vào cuối năm."),
    ("ĐTO - Vụ lúa năm nay trúng mùa.", "Vụ lúa năm nay trúng mùa."),
    # Stays: a sentence about the site, a bracket that is not a tag, a place dateline (read as today).
    ("Dân trí đã liên hệ với công ty nhưng chưa nhận được phản hồi.",
     "Dân trí đã liên hệ với công ty nhưng chưa nhận được phản hồi."),
    ("Dân trí của vùng cao đã được nâng lên rõ rệt.", "Dân trí của vùng cao đã được nâng lên rõ rệt."),
    ("(Theo báo cáo, năm 2024) - doanh thu tăng.", "(Theo báo cáo, năm 2024) - doanh thu tăng."),
    ("(Mỹ)", "(Mỹ)"),
    ("HÀ NỘI - Sáng nay, trời rét đậm.", "HÀ NỘI - Sáng nay, trời rét đậm."),
])
def test_agency_tags_opening_the_lead(lead, spoken):
    story = extract_story(page(lead, "Đoạn hai."), PageRules())
    assert story.blocks[0].text == spoken
    assert extract_story(page(lead, "Đoạn hai."), PageRules(read_dateline=True)).blocks[0].text == lead


def test_an_agency_tag_is_stripped_only_from_the_lead():
    story = extract_story(page("Mở đầu bài.", "(Dân trí) - Đoạn sau.", "Dân trí Đoạn cuối."), PageRules())
    assert [b.text for b in story.blocks] == ["Mở đầu bài.", "(Dân trí) - Đoạn sau.", "Dân trí Đoạn cuối."]


def test_a_configured_tag_in_brackets():
    story = extract_story(page("(ĐTO) - Tin mở đầu."), PageRules(datelines=("ĐTO",)))
    assert story.blocks[0].text == "Tin mở đầu."
    other = extract_story(page("(VTC News) - Tin mở đầu."), PageRules(datelines=("ĐTO",)))
    assert other.blocks[0].text == "(VTC News) - Tin mở đầu."


# A closing source credit, "Theo Reuters": read once, at the end, as written; never the author.
@pytest.mark.parametrize(("line", "expected"), [
    ("Theo Reuters", "Theo Reuters"),
    ("Theo BBC/ AFP", "Theo BBC/ AFP"),
    ("(Theo VnExpress)", "Theo VnExpress"),
    ("Theo Sputnik, AFP", "Theo Sputnik, AFP"),
    ("Theo Người lao động", "Theo Người lao động"),
    ("Theo The New York Times.", "Theo The New York Times"),
    ("Theo phys.org", "Theo phys.org"),
    ("Theo K. LinhVietnamNet", "Theo K. Linh, VietnamNet"),
    ("Theo Minh TâmInfonet", "Theo Minh Tâm, Infonet"),
    ("Theo đó, giá xăng tăng", None),
    ("Theo tôi", None),
    ("Theo ông, việc này cần làm ngay.", None),
    ("Theo kế hoạch giai đoạn 2021 - 2025", None),
    ("Theo Bộ Y tế, số ca mắc mới giảm mạnh trong tuần qua ở nhiều tỉnh", None),
])
def test_source_credit(line, expected):
    assert source_credit(line) == expected


@pytest.mark.parametrize("line", ["Theo Reuters", "Theo Hồng Nhung", "Theo AFP, Reuters"])
def test_a_source_credit_is_no_byline(line):
    assert byline_name(line) is None


@pytest.mark.parametrize(("lines", "author", "last"), [
    (("Giá dầu tăng.", "Theo Reuters"), None, "Theo Reuters"),
    (("Giá dầu tăng.", "Theo BBC/ AFP"), None, "Theo BBC/ AFP"),
    (("Giá dầu tăng.", "(Theo VnExpress)"), None, "Theo VnExpress"),
    (("Giá dầu tăng.", "Hoài Thu", "Theo Reuters"), "Hoài Thu", "Theo Reuters"),
    (("Giá dầu tăng.", "Theo Hoài Thu", "Báo Mới Sáng"), None, "Theo Hoài Thu, Báo Mới Sáng"),
    (("Giá dầu tăng.", "Theo Hoài Thu", "VTN"), None, "Theo Hoài Thu, VTN"),
    (("Giá dầu tăng.", "Theo Hoài Thu", "Sức khỏe & Đời sống"), None, "Theo Hoài Thu, Sức khỏe & Đời sống"),
    (("Giá dầu tăng.", "Theo Hoài ThuVietnamNet"), None, "Theo Hoài Thu, VietnamNet"),
    (("Theo đó, giá dầu tăng.", "Hoài Thu"), "Hoài Thu", "Theo đó, giá dầu tăng."),
    (("Giá dầu tăng.", "Theo Nature.com", "Hoài Thu"), "Hoài Thu", "Theo Nature.com"),  # a site takes no paper
    (("Giá dầu tăng.", "Theo Reuters", "Hoài Thu", "Tổng hợp"), "Hoài Thu", "Theo Reuters"),  # "compiled by"
    (("Giá dầu tăng.", "T.ThuTheo DTrends"), "T.Thu", "Theo DTrends"),  # a byline run into the credit
    (("Giá dầu tăng.", "Hoài ThuTheo Reuters/AFP"), "Hoài Thu", "Theo Reuters/AFP"),
])
def test_the_closing_credit_is_read_last_and_not_the_author(lines, author, last):
    story = extract_story(page(*lines), PageRules())
    assert story.author == author
    assert story.blocks[-1].text == last
    assert sum(block.text.startswith("Theo") for block in story.blocks) == 1


@pytest.mark.parametrize(("text", "said"), [
    ("Giá vẫn tăng (vẫn được giữ nguyên - PV), nên khó dự báo.", "Giá vẫn tăng (vẫn được giữ nguyên), nên khó dự báo."),
    ("Nhóm (PV) đã có mặt tại hiện trường.", "Nhóm đã có mặt tại hiện trường."),
    ("Ông Phan Văn (PVN) phát biểu.", "Ông Phan Văn (PVN) phát biểu."),  # another name in brackets stays
])
def test_an_editors_tag_in_brackets_is_not_read(text, said):
    story = extract_story(page(text, "Câu khác."), PageRules())
    assert story.blocks[0].text == said


@pytest.mark.parametrize("line", ["Thực hiện: Minh An", "Thiết kế: Thu Hà", "Trình bày: Lê Hoa", "Nguồn video: VTV"])
def test_who_made_a_feature_page_is_a_credit(line):
    assert is_caption(line)


@pytest.mark.parametrize("line", ["Thiết kế: máy có khung kim loại nguyên khối, cầm chắc tay.",
                                  "Thực hiện: các bước đăng ký rất đơn giản"])
def test_a_review_paragraph_opening_with_a_feature_label_is_story_text(line):
    assert not is_caption(line)
