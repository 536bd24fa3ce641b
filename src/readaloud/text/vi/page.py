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

# A photo caption ends with its credit in brackets, "(Ảnh: P.L)", or opens with a credit label, "Ảnh: P.L".
CAPTION_CREDITS = ("Ảnh", "Ảnh minh họa", "Ảnh minh hoạ", "Nguồn ảnh", "Video", "Clip")
CAPTION_LABELS = ("Ảnh", "Ảnh minh họa", "Nguồn ảnh")

# What may stand before the author's name on a byline line: "Bài và ảnh: Minh Thư", "PV: Lê Hoa".
BYLINE_LEADS = (
    "Bài và ảnh", "Bài, ảnh", "Bài ảnh", "Bài",
    "Tin và ảnh", "Tin, ảnh", "Tin ảnh", "Tin",
    "Nhóm phóng viên", "PV", "Tác giả",
)

# Words in an HTML class or id that mark site chrome in the CMSs Vietnamese papers use, in English and in
# unaccented Vietnamese (chiase = share, binhluan = comments, tinlienquan = related news, quangcao = ads).
CHROME_CLASS_WORDS = (
    "share", "sharing", "social", "socials", "chiase", "comment", "comments", "binhluan", "related", "relate",
    "lienquan", "tinlienquan", "tinkhac", "breadcrumb", "breadcrumbs", "advert", "advertisement", "ads", "ad",
    "quangcao", "tags", "tag", "keywords", "sidebar", "newsletter", "subscribe", "popup", "modal", "cookie",
    "print", "toolbar", "caption",
)
