"""The words of a Vietnamese news page that are not the story: site furniture, the labels of the update
line, photo credits and byline leads. Tables only; the rules that use them live in `text.structure` and
`text.reader_html`.

Order matters where a table becomes a regex alternation: the rules try the entries in the order written
here, as the regexes they replaced did.
"""

from __future__ import annotations

# Whole lines of site furniture common to Vietnamese news pages; a publication's config replaces this list.
CHROME_LINES = (
    "Trở về trang trước", "Quay lại", "Về trang chủ", "Gửi bình luận của bạn", "Gửi bình luận", "Bình luận",
    "Chia sẻ", "In bài viết", "In bài", "Gửi cho bạn bè", "Lưu bài viết", "Tin liên quan", "Bài viết liên quan",
    "Xem thêm", "Đọc tiếp", "Nghe bài viết", "Theo dõi chúng tôi",
)

# An update line opens with one of these labels, perhaps followed by one of the tails, then the date:
# "Cập nhật ngày: 09/05/2024 14:30:05", "Đăng lúc 08:15 ngày 02/11/2024".
UPDATE_LABELS = (
    "Cập nhật", "Ngày cập nhật", "Đăng", "Ngày đăng", "Đăng ngày", "Đăng lúc", "Xuất bản", "Thời gian đăng",
)
UPDATE_LABEL_TAILS = ("ngày", "lúc")

# A photo caption ends with its credit in brackets, "(Ảnh: P.L)", "(Đồ họa: AFP)", or opens with a credit
# label, "Ảnh: P.L", "Video: Tuấn Thu"; or ends with a label and a short credit after its last sentence or a
# dash: "Tàu cập cảng. Ảnh: Reuters", "Nông dân gặt lúa - ẢNH: MINH KHOA".
CAPTION_CREDITS = (
    "Ảnh", "Ảnh minh họa", "Ảnh minh hoạ", "Nguồn ảnh", "Video", "Clip", "Đồ họa", "Đồ hoạ", "Infographic",
)
CAPTION_LABELS = (
    "Ảnh minh họa", "Ảnh minh hoạ", "Ảnh", "Nguồn ảnh", "Nguồn", "Video", "Clip", "Đồ họa", "Đồ hoạ",
    "Infographic", "Nguồn video",
)
# Who made a feature page, "Thực hiện: Minh An", "Thiết kế: Thu Hà": a credit only when names follow (a
# review's "Thiết kế: máy có khung kim loại" is story text).
FEATURE_CREDIT_LABELS = ("Thực hiện", "Thiết kế", "Trình bày")
# "(Nguồn: Reuters)" ends a caption as often as a chart's note in the story: a paragraph ending with it is a
# caption only when it is as short as a caption (SOURCE_CAPTION_WORDS words at most); "Nguồn: ..." alone on a
# line is always a credit.
SOURCE_CREDITS = ("Nguồn",)
SOURCE_CAPTION_WORDS = 40
# A line opening with this label describes a picture: "Ảnh minh họa đĩa bay.", "Ảnh minh họa".
CAPTION_OPENINGS = ("Ảnh minh họa", "Ảnh minh hoạ")
# A pointer at a picture inside a story sentence, "(ảnh)", "(ảnh bên phải)", "(trong ảnh)": not said.
PHOTO_POINTER_LEADS = ("trong", "xem")
PHOTO_POINTER_PLACES = (
    "bên trái", "bên phải", "trái", "phải", "trên", "dưới", "giữa", "đầu", "nhỏ", "lớn", "trên cùng", "dưới cùng",
)

# A news site's tag opening the lead with no dash, as a plain word: "Dân trí Chiều 5/9, ..." (the lead starts
# with a capital after it). A tag in brackets with a dash, "(VTC News) - ", needs no list.
LEAD_TAGS = ("Dân trí", "Dân Trí")

# A source credit on a line of its own, usually the article's last: "Theo Reuters", "Theo BBC/ AFP", "(Theo
# VnExpress)", or "Theo <author>" with the paper on the next line ("Theo Hà Trang" / "Dân Việt"). A presenter
# reads it once, at the end, as written; it is not the author. At most SOURCE_CREDIT_WORDS words after the lead,
# the first capitalised ("Theo đó, ..." opens a story sentence).
SOURCE_CREDIT_LEADS = ("Theo",)
SOURCE_CREDIT_WORDS = 8
# Papers whose name a copied page runs into the author's ("Theo Nhật ThanhVietnamNet"): split off with a comma.
GLUED_PUBLICATIONS = ("VietnamNet", "VietNamNet", "Vietnamnet", "Infonet")

# What may stand before the author's name on a byline line: "Bài và ảnh: Minh Thư", "PV: Lê Hoa".
BYLINE_LEADS = (
    "Bài và ảnh", "Bài, ảnh", "Bài ảnh", "Bài",
    "Tin và ảnh", "Tin, ảnh", "Tin ảnh", "Tin",
    "Nhóm phóng viên", "PV", "Tác giả",
)
# What may follow the author's name on a byline line: "Minh Nhật / Tổng hợp", "Lan Hương (tổng hợp)".
BYLINE_TAILS = ("Tổng hợp", "Tổng Hợp", "tổng hợp")
# An editor's tag inside the brackets of a story sentence: "(... - PV)", "(PV)": not said.
EDITOR_TAGS = ("PV",)

# Words in an HTML class or id that mark site chrome in the CMSs Vietnamese papers use, in English and in
# unaccented Vietnamese (chiase = share, binhluan = comments, tinlienquan = related news, quangcao = ads).
CHROME_CLASS_WORDS = (
    "share", "sharing", "social", "socials", "chiase", "comment", "comments", "binhluan", "related", "relate",
    "lienquan", "tinlienquan", "tinkhac", "breadcrumb", "breadcrumbs", "advert", "advertisement", "ads", "ad",
    "quangcao", "tags", "tag", "keywords", "sidebar", "newsletter", "subscribe", "popup", "modal", "cookie",
    "print", "toolbar", "caption",
)
