"""Trigger and context words that decide how a nearby token is read.

All entries are lower case; the rules compare case-insensitively so that
sentence-initial and all-caps forms match too.
"""

# A Roman numeral right after one of these is a number: "Đại hội XIII",
# "thế kỷ XXI", "Quý IV".  Longest first is not needed (the rule sorts).
ROMAN_TRIGGERS = (
    "đại hội",
    "khóa",
    "khoá",
    "thế kỷ",
    "thế kỉ",
    "chương",
    "phần",
    "lần thứ",
    "kỳ họp",
    "kì họp",
    "quý",
    "quân khu",
    "học kỳ",
    "học kì",
    "giai đoạn",
    "đợt",
    "tập",
    "mục",
    "phụ lục",
    "báo động",  # flood alert levels: "báo động I"
)
# After these the numeral is an ordinal: "lần thứ IV" → "lần thứ tư".
ROMAN_ORDINAL_TRIGGERS = ("lần thứ",)

# A bare day/month ("9/5", "10-5") is read as a date only after one of these
# words (or an opening parenthesis, or a weekday "Thứ 2,"), because "3/5" is
# just as often a fraction ("đạt 3/5 tiêu chí").
DATE_CONTEXT = frozenset(
    {
        "ngày",
        "mùng",
        "mồng",
        "hôm",
        "sáng",
        "trưa",
        "chiều",
        "tối",
        "đêm",
        "khuya",
        "từ",
        "đến",
        "tới",
        "trước",
        "sau",
        "nay",
        "qua",
        "nhật",
    }
)
# Words before a day-of-month that make a "ngày" redundant.
DAY_WORDS = ("ngày", "mùng", "mồng")

# "thắng 2-1" is a score, read "hai một", not a range "hai đến một".
SCORE_CONTEXT = frozenset({"số", "thắng", "thua", "hòa", "hoà"})

# A dotted single-letter place abbreviation right after these is a photo
# credit's initial ("Ảnh: H.Long"), not "huyện".
CREDIT_WORDS = frozenset({"ảnh", "nguồn", "clip", "video"})
