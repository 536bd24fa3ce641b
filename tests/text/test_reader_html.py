import unicodedata

import pytest

from readaloud.errors import InputError
from readaloud.text.reader import read_article
from readaloud.text.reader_html import DROPPED_TAGS, parse_html
from tests.helpers import SAMPLES

SAMPLE = SAMPLES / "cay-an-trai.html"


def pairs(article) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in article.blocks]


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


# --- the sample page ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    return parse_html(SAMPLE.read_text(encoding="utf-8"), str(SAMPLE))


def test_sample_metadata(sample):
    assert sample.title == "Lai Vung: Cây ăn trái giúp nông dân thu lãi cao"
    assert sample.author == "Phương Lan"
    assert sample.date == "2024-11-02"
    assert sample.url == "https://baodongthap.vn/kinh-te/lai-vung-cay-an-trai-giup-nong-dan-thu-lai-cao-128734.aspx"
    assert sample.image == "https://baodongthap.vn/database/image/2024/11/02/quyt-hong-lai-vung.jpg"
    assert sample.publication == "Báo Đồng Tháp Online"


def test_sample_blocks(sample):
    # The dateline and the caption are the structure stage's business; the reader keeps the lead whole and
    # never sees the caption (it sits in a <figure>). The author box at the end is metadata, not text.
    assert pairs(sample) == [
        ("paragraph", "ĐTO - Những năm gần đây, nhiều nông dân huyện Lai Vung chuyển đất lúa kém hiệu quả sang "
                      "trồng cây ăn trái theo hướng an toàn, có liên kết tiêu thụ. Đến nay, diện tích cây ăn trái "
                      "toàn huyện đạt hơn 8.300 ha, tăng 450 ha so với cùng kỳ năm trước."),
        ("heading", "Quýt hồng vào mùa"),
        ("paragraph", "Theo Phòng Nông nghiệp và Phát triển nông thôn huyện, quýt hồng hiện có khoảng 1.050 ha, "
                      "tập trung ở các xã Long Hậu, Tân Phước và Tân Thành. Năm nay, năng suất bình quân đạt "
                      "25 tấn/ha; giá bán tại vườn từ 30.000 - 35.000 đồng/kg, cao hơn năm trước khoảng 10%."),
        ("paragraph", "Ông Nguyễn Văn Bảy, ngụ xã Long Hậu, có 1,2 ha quýt hồng đang cho trái. “Trừ chi phí, mỗi "
                      "năm gia đình tôi còn lãi khoảng 400 triệu đồng. Trồng cây ăn trái cực hơn trồng lúa, nhưng "
                      "thu nhập gấp mấy lần”, ông Bảy phấn khởi nói."),
        ("heading", "HTX giúp nông dân giữ giá"),
        ("paragraph", "Hợp tác xã (HTX) Nông nghiệp Long Thắng hiện có 126 thành viên, canh tác 210 ha cây ăn "
                      "trái theo quy trình an toàn. Thời gian qua, HTX hỗ trợ thành viên nhiều việc:"),
        ("paragraph", "Cung ứng phân bón, thuốc bảo vệ thực vật trả chậm, giúp giảm 5 - 7% chi phí đầu vào."),
        ("paragraph", "Ký hợp đồng bao tiêu với doanh nghiệp, giá sàn không thấp hơn 25.000 đồng/kg."),
        ("paragraph", "Tập huấn kỹ thuật xử lý ra hoa, ghi nhật ký sản xuất và đăng ký mã số vùng trồng."),
        ("heading", "Hướng đến thị trường xuất khẩu"),
        ("paragraph", "“Mục tiêu đến năm 2025, huyện có 30% diện tích cây ăn trái được cấp mã số vùng trồng để "
                      "xuất khẩu. Muốn đi xa, nông dân phải sản xuất theo một quy trình chung”, bà Trần Thị Thu Hà, "
                      "Phó Chủ tịch UBND huyện Lai Vung, cho biết."),
        ("paragraph", "Ngày 31/10/2024, UBND huyện tổ chức hội nghị kết nối tiêu thụ với 15 doanh nghiệp. Dịp "
                      "này, 4 HTX đã ký biên bản hợp tác, cung ứng hơn 2.000 tấn trái cây mỗi năm cho thị trường "
                      "TP.HCM và xuất khẩu sang Trung Quốc, Hàn Quốc."),
    ]


def test_sample_page_chrome_is_not_read(sample):
    text = "\n".join([sample.title, *(block.text for block in sample.blocks)])
    for chrome in ("Trang chủ", "Chính trị", "Nông nghiệp\n", "Tìm kiếm", "Thứ Bảy", "lượt xem", "(Ảnh: P.L)",
                   "Từ khóa", "Chia sẻ", "Facebook", "Zalo", "In bài viết", "Trở về trang trước",
                   "Gửi bình luận", "Tin liên quan", "Lúa Đông Xuân", "Quảng cáo", "Cơ quan chủ quản", "0277",
                   "gtag", "dataLayer", "line-height", "Phương Lan", "https://"):
        assert chrome not in text, chrome


def test_sample_file_is_nfc_utf8():
    raw = SAMPLE.read_bytes().decode("utf-8")
    assert unicodedata.is_normalized("NFC", raw)


def test_read_article_reads_html_files(tmp_path):
    path = tmp_path / "bai.htm"
    path.write_bytes(SAMPLE.read_bytes())
    article = read_article(str(path))
    assert article.source == str(path)
    assert article.title == "Lai Vung: Cây ăn trái giúp nông dân thu lãi cao"
    assert len(article.digest) == 64


# --- fragments and plain structure ----------------------------------------------------------------------


def test_bare_cms_fragment():
    fragment = ("<h2>Lũ về muộn</h2>\n<p>Mực nước sông Tiền đạt 3,05&nbsp;m.</p>\n"
                "<h3>Sinh kế</h3><p>Nông dân trồng sen &amp; nuôi cá.</p><!-- ghi chú của biên tập viên -->")
    article = parse_html(fragment, "doan.html")
    assert article.title == "Lũ về muộn"
    assert pairs(article) == [
        ("paragraph", "Mực nước sông Tiền đạt 3,05 m."),
        ("heading", "Sinh kế"),
        ("paragraph", "Nông dân trồng sen & nuôi cá."),
    ]
    assert article.author is article.date is article.url is article.publication is article.image is None


def test_fragment_with_h1_and_text_is_cleaned():
    nfd = unicodedata.normalize("NFD", "Người dân Đồng Tháp")
    fragment = f"<h1>Hoà bình</h1><p>{nfd}\u200b giữ gìn sức khoẻ.</p>"
    article = parse_html(fragment, "doan.html")
    assert article.title == "Hòa bình"
    assert pairs(article) == [("paragraph", "Người dân Đồng Tháp giữ gìn sức khỏe.")]


def test_h1_is_not_repeated_and_later_h1_is_a_heading():
    article = parse_html(page("<h1>Tiêu đề</h1><p>Một.</p><h1>Phần hai</h1><p>Hai.</p>"), "a.html")
    assert article.title == "Tiêu đề"
    assert pairs(article) == [("paragraph", "Một."), ("heading", "Phần hai"), ("paragraph", "Hai.")]


def test_all_heading_levels():
    body = "<h1>T</h1>" + "".join(f"<h{n}>Mục {n}</h{n}><p>Đoạn {n}.</p>" for n in range(2, 7))
    article = parse_html(page(body), "a.html")
    assert [kind for kind, _ in pairs(article)] == ["heading", "paragraph"] * 5
    assert pairs(article)[-2] == ("heading", "Mục 6")


def test_div_text_is_paragraphs():
    body = ("<h1>Tin</h1><div class='content'>"
            "<div>Đoạn một có chữ <b>đậm</b> và <a href='#'>liên kết</a>.</div>"
            "<div>Đoạn hai.<br><br>Đoạn ba.</div>"
            "<div>Dòng đầu<br>\n dòng nối.</div>"
            "<div>Chữ trần trước <p>đoạn trong div</p> rồi chữ trần sau.</div>"
            "</div>")
    assert pairs(parse_html(page(body), "a.html")) == [
        ("paragraph", "Đoạn một có chữ đậm và liên kết."),
        ("paragraph", "Đoạn hai."),
        ("paragraph", "Đoạn ba."),
        ("paragraph", "Dòng đầu dòng nối."),
        ("paragraph", "Chữ trần trước"),
        ("paragraph", "đoạn trong div"),
        ("paragraph", "rồi chữ trần sau."),
    ]


def test_line_breaks_inside_a_paragraph():
    body = "<h1>T</h1><p>Một<br>hai<br/>\n<br>Ba<br><br><br>Bốn</p><p>  Năm\n\t  sáu  </p>"
    assert pairs(parse_html(page(body), "a.html")) == [
        ("paragraph", "Một hai"), ("paragraph", "Ba"), ("paragraph", "Bốn"), ("paragraph", "Năm sáu"),
    ]


def test_lists_quotes_and_definitions():
    body = ("<h1>T</h1><p>Mở đầu.</p>"
            "<ol><li>Thứ nhất</li><li>Thứ hai<ul><li>Ý phụ</li></ul></li></ol>"
            "<blockquote>Câu nói ngắn.</blockquote>"
            "<blockquote><p>Đoạn trích một.</p><p>Đoạn trích hai.</p><footer>Ông Tư</footer></blockquote>"
            "<dl><dt>HTX</dt><dd>Hợp tác xã</dd></dl>")
    assert pairs(parse_html(page(body), "a.html")) == [
        ("paragraph", "Mở đầu."),
        ("paragraph", "Thứ nhất"),
        ("paragraph", "Thứ hai"),
        ("paragraph", "Ý phụ"),
        ("paragraph", "Câu nói ngắn."),
        ("paragraph", "Đoạn trích một."),
        ("paragraph", "Đoạn trích hai."),
        ("paragraph", "Ông Tư"),
        ("paragraph", "HTX"),
        ("paragraph", "Hợp tác xã"),
    ]


def test_data_table_rows_are_paragraphs():
    body = ("<h1>T</h1><p>Diện tích cây ăn trái:</p>"
            "<figure class='table'><table><caption>Năm 2024</caption>"
            "<thead><tr><th>Loại cây</th><th>Diện tích</th></tr></thead>"
            "<tbody><tr><td><p>Quýt hồng</p></td><td>1.050 ha</td></tr>"
            "<tr><td>Xoài</td><td></td><td><strong>420</strong> ha</td></tr></tbody></table>"
            "<figcaption>Nguồn: Phòng Nông nghiệp</figcaption></figure>")
    assert pairs(parse_html(page(body), "a.html")) == [
        ("paragraph", "Diện tích cây ăn trái:"),
        ("paragraph", "Năm 2024"),
        ("paragraph", "Loại cây, Diện tích"),
        ("paragraph", "Quýt hồng, 1.050 ha"),
        ("paragraph", "Xoài, 420 ha"),
    ]


def test_layout_table_is_read_as_paragraphs_not_rows():
    body = ("<table><tr><td><h1>Tiêu đề</h1><p>Đoạn một.</p><p>Đoạn hai.</p></td>"
            "<td><div>Cột phải.</div></td></tr></table>")
    article = parse_html(page(body), "a.html")
    assert article.title == "Tiêu đề"
    assert pairs(article) == [("paragraph", "Đoạn một."), ("paragraph", "Đoạn hai."), ("paragraph", "Cột phải.")]


# --- what is left out -----------------------------------------------------------------------------------


CHROME_PAGE = page(
    "<header><div class='logo'>Báo Mẫu</div><nav><a href='/'>Trang chủ</a></nav></header>"
    "<div class='breadcrumbs'><a href='/'>Trang chủ</a> › Kinh tế</div>"
    "<article>"
    "<header><h1>Tiêu đề bài</h1><p class='sapo'>Sa pô của bài.</p>"
    "<div class='post-meta'><span class='byline'>Minh Khoa</span> <time>02/11/2024</time></div></header>"
    "<p>Đoạn một.<script>var x = 'MÃ SCRIPT';</script><style>p{color:red}</style></p>"
    "<noscript>Bật JavaScript</noscript><iframe src='https://youtube.com/x'>Khung nhúng</iframe>"
    "<svg><title>Biểu tượng SVG</title><text>chữ svg</text></svg>"
    "<figure><img src='a.jpg' alt='Chữ thay thế'><figcaption>Chú thích ảnh (Ảnh: P.L)</figcaption></figure>"
    "<table class='image'><tr><td><img src='b.jpg'></td></tr><tr><td>Ảnh trong bảng (Ảnh: T.H)</td></tr></table>"
    "<p class='caption'>Chú thích kiểu cũ</p>"
    "<p>Đoạn <span hidden>ẩn hidden</span>hai<span aria-hidden='true'> ẩn aria</span>"
    "<span style='display: none'> ẩn style</span>.</p>"
    "<template><p>Mẫu template</p></template>"
    "<video><source src='v.mp4'>Video không hỗ trợ</video><audio>Âm thanh</audio>"
    "<div class='shareButtons'><a>Chia sẻ Facebook</a></div>"
    "<div id='social-links'>Mạng xã hội</div>"
    "<div class='tags'>Từ khóa: lúa</div>"
    "<div class='ads-inline'>Quảng cáo giữa bài</div>"
    "<div class='box-related'><h3>Tin liên quan</h3><a>Bài khác</a></div>"
    "<button>Nghe bài viết</button>"
    "<p>Đoạn ba.</p>"
    "<footer><a>In bài viết</a> <a>Trở về trang trước</a></footer>"
    "</article>"
    "<div id='comments'><h3>Bình luận</h3><form><textarea>Ý kiến</textarea><input value='Gửi'></form></div>"
    "<aside><h3>Đọc nhiều</h3><p>Bài đọc nhiều</p></aside>"
    "<footer><p>Bản quyền Báo Mẫu</p></footer>"
)


def test_chrome_is_removed():
    article = parse_html(CHROME_PAGE, "a.html")
    assert article.title == "Tiêu đề bài"
    assert pairs(article) == [
        ("paragraph", "Sa pô của bài."), ("paragraph", "Đoạn một."), ("paragraph", "Đoạn hai."),
        ("paragraph", "Đoạn ba."),
    ]
    # The byline box is not read, but it still names the author when the meta tags do not.
    assert article.author == "Minh Khoa"


def test_dropped_tags_are_data():
    assert {"script", "style", "nav", "aside", "form", "figure", "figcaption", "iframe", "svg"} <= set(DROPPED_TAGS)


def test_body_is_the_root_without_article_and_page_frame_is_dropped():
    body = ("<header><h1 class='logo'><img src='logo.png' alt='Báo'></h1><p>Hotline 0277</p></header>"
            "<div class='wrap'><h1>Tiêu đề</h1><div>Nội dung bài.</div></div>"
            "<footer>Liên hệ quảng cáo</footer>")
    article = parse_html(page(body), "a.html")
    assert article.title == "Tiêu đề"
    assert pairs(article) == [("paragraph", "Nội dung bài.")]


def test_article_body_then_main_are_roots():
    body = ("<div class='sidebar-left'>Cột trái</div><div class='detail'><h1>Tiêu đề</h1>"
            "<div itemprop='articleBody'><p>Thân bài.</p></div><p>Ngoài thân bài.</p></div>")
    article = parse_html(page(body), "a.html")
    assert (article.title, pairs(article)) == ("Tiêu đề", [("paragraph", "Thân bài.")])
    body = "<div>Ngoài main</div><main><h1>Tiêu đề</h1><p>Trong main.</p></main>"
    assert pairs(parse_html(page(body), "a.html")) == [("paragraph", "Trong main.")]


def test_related_articles_are_not_the_root():
    body = ("<div class='related-news'><article><h1>Bài khác</h1><p>Tóm tắt bài khác.</p></article></div>"
            "<article><h1>Bài chính</h1><p>Nội dung chính.</p></article>")
    article = parse_html(page(body), "a.html")
    assert (article.title, pairs(article)) == ("Bài chính", [("paragraph", "Nội dung chính.")])


def test_a_chrome_looking_wrapper_around_the_story_is_kept():
    body = "<div class='page has-ads'><article><h1>T</h1><p>Nội dung.</p></article></div>"
    assert pairs(parse_html(page(body), "a.html")) == [("paragraph", "Nội dung.")]


def test_bare_url_paragraph_is_dropped():
    body = "<h1>T</h1><p>Nội dung.</p><p><a href='x'>https://baodongthap.vn/audio/bai.mp3</a></p>"
    assert pairs(parse_html(page(body), "a.html")) == [("paragraph", "Nội dung.")]


# --- title fallbacks ------------------------------------------------------------------------------------


def test_title_from_og_title_when_there_is_no_h1():
    head = ("<title>Tiêu đề thẻ title - Báo Mẫu</title><meta property='og:site_name' content='Báo Mẫu'>"
            "<meta property='og:title' content='Tiêu đề  og'>")
    article = parse_html(page("<p>Nội dung.</p>", head), "a.html")
    assert article.title == "Tiêu đề og"


@pytest.mark.parametrize(("title", "site", "expected"), [
    ("Lúa trúng mùa - Báo Đồng Tháp Online", "Báo Đồng Tháp Online", "Lúa trúng mùa"),
    ("Lúa trúng mùa | Báo Đồng Tháp Online", "Báo Đồng Tháp Online", "Lúa trúng mùa"),
    ("Kinh tế - xã hội phát triển - Báo Mẫu", "báo mẫu", "Kinh tế - xã hội phát triển"),
    ("Lúa trúng mùa - Báo Khác", "Báo Đồng Tháp Online", "Lúa trúng mùa - Báo Khác"),
    ("Lúa trúng mùa - Báo Mẫu", None, "Lúa trúng mùa - Báo Mẫu"),
])
def test_title_from_title_tag_without_site_suffix(title, site, expected):
    head = f"<title>{title}</title>" + (f"<meta property='og:site_name' content='{site}'>" if site else "")
    assert parse_html(page("<p>Nội dung.</p>", head), "a.html").title == expected


def test_logo_h1_without_text_is_not_the_title():
    body = "<div class='logo'><h1><a href='/'><img src='l.png' alt='Báo'></a></h1></div><p>Nội dung.</p>"
    head = "<meta property='og:title' content='Tiêu đề og'>"
    assert parse_html(page(body, head), "a.html").title == "Tiêu đề og"


def test_title_from_first_block_when_nothing_else_names_it():
    article = parse_html("<p>Tin vắn</p><p>Nội dung.</p>", "a.html")
    assert (article.title, pairs(article)) == ("Tin vắn", [("paragraph", "Nội dung.")])


# --- metadata -------------------------------------------------------------------------------------------


def test_metadata_from_json_ld_when_meta_tags_are_missing():
    head = """<script type="application/ld+json">
    {"@context": "https://schema.org", "@graph": [
      {"@type": "WebSite", "name": "Trang web"},
      {"@type": ["NewsArticle"], "headline": "Tiêu đề JSON", "datePublished": "2024-10-15T23:30:00+07:00",
       "author": [{"@type": "Person", "name": "Minh  Khoa"}, {"name": "Người thứ hai"}],
       "image": {"@type": "ImageObject", "url": "https://example.vn/a.jpg"},
       "publisher": {"@type": "Organization", "name": "Báo Đồng Tháp Online"}}]}
    </script><meta property="og:url" content="https://example.vn/bai.html">"""
    article = parse_html(page("<p>Nội dung.</p>", head), "a.html")
    assert article.title == "Tiêu đề JSON"
    assert article.author == "Minh Khoa"
    assert article.date == "2024-10-15"  # the paper's own date, not converted to UTC
    assert article.image == "https://example.vn/a.jpg"
    assert article.publication == "Báo Đồng Tháp Online"
    assert article.url == "https://example.vn/bai.html"


def test_meta_tags_win_over_json_ld():
    head = ("<meta name='author' content='Phương Lan'><meta property='article:published_time' "
            "content='2024-11-02T08:15:00+07:00'><link rel='canonical' href='https://a.vn/1'>"
            "<meta property='og:url' content='https://a.vn/2'><meta property='og:image' content='/anh.jpg'>"
            "<meta property='og:site_name' content='Báo A'>"
            "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"author\": \"Người khác\", "
            "\"datePublished\": \"2020-01-01\", \"image\": \"/khac.jpg\", \"publisher\": {\"name\": \"Báo B\"}}"
            "</script>")
    article = parse_html(page("<h1>T</h1><p>Nội dung.</p>", head), "a.html")
    assert (article.author, article.date, article.url, article.image, article.publication) == (
        "Phương Lan", "2024-11-02", "https://a.vn/1", "/anh.jpg", "Báo A")


def test_article_author_meta_and_time_element():
    head = "<meta property='article:author' content='Thanh Tâm'>"
    body = ("<article><h1>T</h1><p>Sáng <time datetime='2024-09-05T07:30'>5/9</time>, hội nghị diễn ra.</p>"
            "</article>")
    article = parse_html(page(body, head), "a.html")
    assert (article.author, article.date) == ("Thanh Tâm", "2024-09-05")
    assert pairs(article) == [("paragraph", "Sáng 5/9, hội nghị diễn ra.")]  # inline <time> is story text


def test_article_author_that_is_a_profile_link_is_not_a_name():
    head = "<meta property='article:author' content='https://www.facebook.com/baodongthap'>"
    assert parse_html(page("<h1>T</h1><p>Nội dung.</p>", head), "a.html").author is None


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-11-02T08:15:00+07:00", "2024-11-02"),
    ("2024-11-02T23:59:00Z", "2024-11-02"),
    ("2024-11-02", "2024-11-02"),
    ("2024-11-02T08:15:00.000+0700", "2024-11-02"),
    ("02/11/2024 08:15", "2024-11-02"),
    ("hôm qua", None),
    ("2024-13-45", None),
])
def test_dates_are_normalised_to_iso(value, expected):
    head = f"<meta property='article:published_time' content='{value}'>"
    assert parse_html(page("<h1>T</h1><p>Nội dung.</p>", head), "a.html").date == expected


@pytest.mark.parametrize("ld", [
    "{ này không phải JSON",
    "",
    "[" * 100_000 + "]" * 100_000,
    '"chỉ là một chuỗi"',
    "42",
    '{"@type": "NewsArticle", "author": 7, "image": [], "publisher": ["x"], "datePublished": {"a": 1}}',
    '[{"@type": "NewsArticle", "author": {"name": null}}, null, "x"]',
    '{"@graph": "không phải danh sách"}',
])
def test_bad_json_ld_is_ignored(ld):
    head = f"<script type='application/ld+json'>{ld}</script><meta name='author' content='Phương Lan'>"
    article = parse_html(page("<h1>Tiêu đề</h1><p>Nội dung.</p>", head), "a.html")
    assert (article.title, article.author, article.date, pairs(article)) == (
        "Tiêu đề", "Phương Lan", None, [("paragraph", "Nội dung.")])


# --- errors and hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize("html", ["", "   \n", "<html><head></head><body></body></html>",
                                  "<!-- chỉ có ghi chú -->", page("<nav>Trang chủ</nav><script>x()</script>"),
                                  "https://baodongthap.vn/tin-tuc/bai-viet"])
def test_empty_documents_raise(html):
    import warnings

    with pytest.raises(InputError) as caught, warnings.catch_warnings():
        warnings.simplefilter("error")  # one clear line, and no library warning printed beside it
        parse_html(html, "trang/rong.html")
    message = str(caught.value)
    assert message == "trang/rong.html: no article text found in the HTML"


@pytest.mark.parametrize("html", [
    page("<h1>Chỉ có tiêu đề</h1>"),
    page("", "<title>Chỉ có thẻ title</title>"),
    page("<article><h1>Tiêu đề</h1><h2>Chỉ có mục</h2><figure><figcaption>Ảnh</figcaption></figure></article>"),
])
def test_title_only_documents_raise(html):
    with pytest.raises(InputError) as caught:
        parse_html(html, "trang/tieu-de.html")
    assert str(caught.value) == "trang/tieu-de.html: the article has a title but no body text"


@pytest.mark.parametrize("depth", [5_000, 20_000])
def test_deep_nesting_does_not_crash(depth):
    html = page("<h1>Sâu</h1>" + "<div>" * depth + "<p>Tận cùng.</p>" + "</div>" * depth)
    article = parse_html(html, "sau.html")
    assert (article.title, pairs(article)) == ("Sâu", [("paragraph", "Tận cùng.")])


def test_deep_unclosed_inline_nesting_does_not_crash():
    html = "<h1>Sâu</h1><p>" + "<span><b>" * 10_000 + "chữ"
    assert pairs(parse_html(html, "sau.html")) == [("paragraph", "chữ")]


def test_the_readers_share_the_text_cleaner_without_importing_each_other():
    # reader.py and reader_html.py once imported each other (a circle hidden by a lazy import); both now
    # take clean_display_text and web_address from text/clean.py.
    import subprocess
    import sys

    code = ("import sys\nimport readaloud.text.reader_html\n"
            "print('readaloud.text.reader' in sys.modules, 'readaloud.text.clean' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_caption_paragraphs_and_agency_tag_of_a_page_are_not_read():
    # A figure's caption goes with the figure; a caption or credit laid out as a plain paragraph under the
    # picture, and the site's tag opening the lead, are left to text.structure, as for text files.
    from readaloud.text.structure import PageRules, extract_story

    html = page("<h1>Cầu mới thông xe</h1>"
                "<p>(Dân trí) - Sáng nay, cây cầu mới chính thức thông xe.</p>"
                "<figure><img src='a.jpg'><figcaption>Lễ thông xe. Ảnh: Minh Khoa</figcaption></figure>"
                "<p><img src='b.jpg'></p><p>Xe qua cầu trong ngày đầu - Ảnh: Bảo Anh</p>"
                "<p><em>Ảnh: Bảo Anh</em></p>"
                "<p>Nguồn vốn xây cầu do tỉnh bố trí.</p>")
    story = extract_story(parse_html(html, "bai.html"), PageRules())
    assert pairs(story) == [("paragraph", "Sáng nay, cây cầu mới chính thức thông xe."),
                            ("paragraph", "Nguồn vốn xây cầu do tỉnh bố trí.")]
