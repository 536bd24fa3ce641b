"""Names written with a spaced hyphen that are one name, not two joined by a pause. Tables only.

A dash between spaces is read as a pause ("kinh tế - xã hội", "Ông A - Chủ tịch UBND", a route
"Hà Nội - Hải Phòng"), so only the names listed here are read straight through and never cut in two by
chunking. A name written with a bare hyphen ("Bà Rịa-Vũng Tàu") needs no entry: that hyphen already
joins syllables. Each entry is the name with " - " where the hyphen stands; compared case-insensitively,
any spaces and dash around the hyphen.
"""

from __future__ import annotations

HYPHENATED_NAMES = (
    "Bà Rịa - Vũng Tàu",
    "Thừa Thiên - Huế",
    "Phan Rang - Tháp Chàm",
    "Phong Nha - Kẻ Bàng",
    "Sài Gòn - Gia Định",
    "Hiền Lương - Bến Hải",
    "Lý Sơn - Sa Huỳnh",
    "Ấn Độ Dương - Thái Bình Dương",
    "Ấn Độ - Thái Bình Dương",
    "Thái Bình Dương - Ấn Độ Dương",
)

# Every name a chunk is never cut inside though its spaced hyphen looks like a pause: the places, and a
# disease's name written the same way (read as one name by its abbreviation entry).
UNCUT_HYPHENATED_NAMES = (*HYPHENATED_NAMES, "Covid - 19")

# The administrative units whose word comes before a place's name and is said as part of it: a chunk is
# never cut between them ("thành phố | Hồ Chí Minh", "tỉnh | Quảng Nam", "TP. Thủ Đức"), as it is never cut
# inside a word. Compared case-insensitively.
ADMINISTRATIVE_UNITS = ("thành phố", "tỉnh", "huyện", "quận", "thị xã", "thị trấn", "xã", "phường",
                        "tp", "tp.", "tx", "tx.")
# The units a city names by number ("quận 1", "phường 12"): the number is their name.
NUMBERED_UNITS = ("quận", "phường")
