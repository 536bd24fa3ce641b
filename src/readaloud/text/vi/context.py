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
    "cấp báo động",
    "thứ",  # "Chiến tranh thế giới thứ II"
    "thế chiến",
    "hạng",  # "Bệnh viện hạng I", "Huân chương Lao động hạng III"
    "loại",  # "đô thị loại II"
    "vùng",  # minimum-wage regions "vùng I, II"
    "khu vực",
    "nhóm",
    "bậc",
    "cấp",  # "rủi ro thiên tai cấp II"
    "kỳ",
    "kì",
    "nhiệm kỳ",
    "hội nghị trung ương",
    "hội nghị",
    "quân đoàn",
    "sư đoàn",
    "khối ngành",  # university fields "khối ngành III"
    "nhóm ngành",
    "tiểu đoàn",
    "trung đoàn",
    "lữ đoàn",
    "hạng mục",
    "năm",  # years of study "năm III, IV"
    "độ",  # grades "phản vệ độ II", "mức độ I"
    "cơ sở",  # campuses "cơ sở II"
    "lần",  # "lần II"
)
# A numeral of two letters or more (I, V and X only: "CV", "XL", "LV" are a résumé, a size, a brand)
# right after a capitalised name is its number in a line of kings, films or phases, read as a
# cardinal: "Elizabeth II" → "Elizabeth hai", "Thăng Long II".
ROMAN_AFTER_NAME_MIN_LETTERS = 2
# After these the numeral is an ordinal: "lần thứ IV" → "lần thứ tư".
ROMAN_ORDINAL_TRIGGERS = ("lần thứ", "thứ")
# Roman numerals may come as a list after one trigger: "vùng I, II và III".
ROMAN_LIST_JOINERS = (",", "và", "hoặc", "-", "đến")

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
        "vào",
        "dịp",
        "lễ",
        "khánh",  # "Quốc khánh 2/9"
        "hạn",
        "kể",
        "rạng",
        "ngay",
        "đường",
        "phố",
    }
)
# "m/yyyy" after these is a number of that year, not a month: "quý 3/2024",
# "đợt 2/2024" → "đợt hai năm hai nghìn ...".
SERIAL_WORDS = frozenset({"quý", "đợt", "kỳ", "lần", "số", "phiên", "tập"})

# "3/5 tiêu chí" is a fraction whatever the numbers; "hạn chót là 30/6" is a date
# because no one writes a fraction with a numerator above its denominator.  These
# words before the numbers keep "a/b" a ratio even then ("tỷ lệ 3/1").
RATIO_CONTEXT = frozenset({"lệ", "số", "tỉ", "tỷ", "trên", "phục", "vụ", "trực"})
# "24/7" (round the clock) is never a date.
NEVER_DATES = frozenset({"24/7", "24/24"})

# "a/b" before one of these nouns, or after one of these verbs, is a part of a
# whole and read "a phần b" ("1/3 dân số" → "một phần ba dân số"); otherwise it
# is a count out of a total and read "a trên b" ("đạt 3/5 tiêu chí").
FRACTION_WHOLES = frozenset(
    {
        "số",
        "dân",
        "diện",
        "tổng",
        "sản",
        "lượng",
        "khối",
        "kinh",
        "thời",
        "quãng",
        "chiều",
        "giá",
        "ngân",
        "vốn",
        "lãnh",
        "đất",
        "thu",
        "chi",
        "trong",  # "2/3 trong số đó"
    }
)
FRACTION_LEADS = frozenset({"chiếm", "bằng"})
# Between a fraction lead and the fraction: "chiếm đến 1/3", "bằng khoảng 3/4" (not the "đến" of a date).
FRACTION_LEAD_DEGREES = frozenset({"đến", "tới", "khoảng", "gần", "hơn", "chừng", "trên", "dưới"})

# After these a number is read digit by digit whatever its length ("gọi 115",
# "đường dây nóng 1900 1234"); the number may be written in groups.
PHONE_CONTEXT = frozenset({"hotline", "nóng", "đài", "thoại", "gọi", "fax", "zalo", "sđt", "đt", "tel", "đtdđ"})

# Words between a long form and its abbreviation in a definition:
# "Trung tâm Phục vụ hành chính công (gọi tắt là TTPVHCC)".
DEFINITION_LEADS = (
    "sau đây được gọi tắt là",
    "sau đây gọi tắt là",
    "sau đây viết tắt là",
    "sau đây gọi là",
    "gọi tắt là",
    "viết tắt là",
    "gọi tắt",
    "viết tắt",
)
# The word an "&" stands for inside an abbreviation ("GD&ĐT"), and the word an
# abbreviation may leave out ("GDĐT" for "Giáo dục và Đào tạo").
AND_WORD = "và"
SKIPPABLE_IN_ABBREVIATION = frozenset({"và"})
# A date after these is the name of a day ("dịp lễ 30/4", "Quốc khánh 2/9"):
# said without an added "ngày".
# Streets are named after dates too ("đường 30/4", "phố 3/2").
HOLIDAY_CONTEXT = frozenset({"lễ", "khánh", "dịp", "đường", "phố"})
# "14.3" (day.month with a dot, as many papers write dates) is a date only right after one of these
# words, because "14.5" is as often a version ("iOS 14.5"), a score ("IELTS 6.5") or a decimal:
# "sáng 14.3", "ngày 14.3", "dịp lễ 30.4".  "từ"/"đến" are weaker (``DOT_DATE_WEAK_LEADS``): "từ 7.5
# trở lên" is a score, so after them the date must end the clause or be the second day of a range
# ("từ 2 - 5.4").
DOT_DATE_LEADS = (
    "ngày", "mùng", "mồng", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "khuya", "rạng sáng",
    "dịp", "lễ", "khánh", "chủ nhật", "hạn",
    # a weekday before the date: "thứ Hai 14.3", "thứ 7 2.10"
    "thứ hai", "thứ ba", "thứ tư", "thứ năm", "thứ sáu", "thứ bảy",
    "thứ 2", "thứ 3", "thứ 4", "thứ 5", "thứ 6", "thứ 7",
)
DOT_DATE_WEAK_LEADS = ("từ", "đến", "tới", "trước", "sau", "vào", "hết")
# The leads that may be set off from their date by a comma or a bracket: "thứ Ba, 14.3", "Chủ nhật (21.3)".
WEEKDAY_LEADS = frozenset(lead for lead in DOT_DATE_LEADS if lead.startswith(("thứ", "chủ nhật")))
# Words before a day-of-month that make a "ngày" redundant.
DAY_WORDS = ("ngày", "mùng", "mồng")

# "8-10" is a date only after a date word; before one of these words (or "%", "°") it is a range of
# counts, "tám đến mười": "họp từ 8-10 giờ", "thời hạn 3-5 năm", "trẻ 6-11 tuổi".  Units from
# units.py and magnitude words count too.
RANGE_FOLLOWERS = frozenset(
    {
        "giờ",
        "tiếng",
        "phút",
        "giây",
        "ngày",
        "đêm",
        "tuần",
        "tháng",
        "năm",
        "quý",
        "tuổi",
        "người",
        "hộ",
        "con",
        "cây",
        "chiếc",
        "cái",
        "căn",
        "lần",
        "lượt",
        "ca",
        "em",
        "học",
        "trẻ",
        "điểm",
        "bàn",
        "trận",
        "độ",
        "tầng",
        "phòng",
        "xã",
        "huyện",
        "tỉnh",
        "mét",
        "trăm",
        "triệu",
        "tỷ",
        "tỉ",
        "nghìn",
        "ngàn",
        "đồng",
        "bao",
        "tấn",
        "tạ",
        "lít",
        "km",
        "cm",
        "mm",
        "ha",
        "kg",
        "m",
    }
)
# The words of time among them: after "sau", "đến" ... a date is still a date before one of these
# ("đến 1/6 tuần sau"), where before another counter it is a count ("sau 3/5 trận").
TIME_WORDS = frozenset({"giờ", "tiếng", "phút", "giây", "ngày", "đêm", "tuần", "tháng", "năm", "quý"})
# Words that make "8-10" a date even before a counter: "Sáng 8-10 người dân đổ về", and the
# currency words that are more often the start of "đồng chí" than a price of a few đồng.
# Holidays too: "Dịp lễ 2-9 người dân về quê".
DATE_LEADS_OVER_RANGE = frozenset(
    {"sáng", "trưa", "chiều", "tối", "đêm", "khuya", "rạng", "hôm", "nhật", "lễ", "khánh", "dịp"}
)
NOT_RANGE_FOLLOWERS = frozenset({"đồng", "yên", "đ"})
# After "từ", a bare "8-10" is a range too ("từ 10-12 đoàn khách"), unless it ends the clause,
# a capitalised name follows, or one of these words starts the rest of the sentence
# ("Từ 8-10, giá xăng tăng", "từ 8-10 đến 12-10", "Từ 8-10 các cửa hàng giảm giá"): then it is a date.
RANGE_LEADS = frozenset({"từ"})
DATE_AFTER_RANGE_LEAD = frozenset(
    {"đến", "tới", "trở", "cho", "các", "những", "mọi", "toàn", "nhiều", "sẽ", "đã", "đang", "bắt", "chính", "tại"}
)

# "thắng 2-1" is a score, read "hai một", not a range "hai đến một".
SCORE_CONTEXT = frozenset({"số", "thắng", "thua", "hòa", "hoà", "dẫn", "gỡ"})
# Verbs that make "a-b" a score a few words later: "thắng U23 Thái Lan 2-0", "nhân đôi cách biệt lên
# 2-0", unless a unit or counter follows ("dẫn đoàn 3-5 ngày").
SCORE_VERBS = frozenset(
    {
        "thắng", "thua", "hòa", "hoà", "đánh bại", "vượt qua", "dẫn", "gỡ", "ấn định", "cách biệt",
        "san bằng", "rút ngắn", "đè bẹp", "hạ gục", "cầm chân",
    }
)
# "Arsenal 2-1 Chelsea": a small "a-b" between two capitalised names is a score, unless the word
# before is one of these (a date or range word starting a sentence: "Tháng 3-4 Hà Nội ...").
NOT_TEAM_WORDS = frozenset({"tháng", "năm", "ngày", "từ", "khoảng", "quý", "tuần", "lớp", "tầng", "số"})

# A dotted single-letter place abbreviation right after these is a photo
# credit's initial ("Ảnh: H.Long"), not "huyện".
# "Ảnh minh họa: H.Long", "Tin, ảnh: T.H": a credit word among the last few words, then ":".
CREDIT_WORDS = frozenset({"ảnh", "nguồn", "clip", "video", "bài", "tin"})

# Technical standards: the code after them is read as a number and a year of issue, never as a
# time or a ratio: "ISO 9001:2015", "TCVN 5574:2018", "TCVN 4054-2005", "QCVN 01:2021/BXD".
STANDARDS = ("ISO", "IEC", "TCVN", "QCVN", "TCXDVN", "TCXD", "TCN", "ASTM", "IEEE")

# The two spellings of the word before the days 1-10 of a month ("mùng 1 - 3 Tết"); after it the
# second day of a range keeps it ("mùng 1 - mùng 3").
MUNG_WORDS = ("mùng", "mồng")
# "thứ N": an ordinal ("thứ 4" → "thứ tư"); before a weekday number a date follows ("Thứ 2, 9/5").
ORDINAL_WORD = "thứ"
WEEKDAY_WORD = "thứ"
# "số": the word for "number" before a document code ("Quyết định số 12/QĐ-UBND") or a phone number
# ("tổng đài số 1900 1234").
NUMBER_WORD = "số"
# Verbs that may stand between a document code and its date and issuer: "12/QĐ-UBND ban hành ngày ...".
CODE_ISSUE_VERBS = ("ban hành", "ký")

# Sports.  "45'" is the minute of play: "phút bốn mươi lăm" ("phút" is not repeated after "phút").
MATCH_MINUTE = "phút"
# "A vs B" between two teams or players: "A gặp B", as the fixture is announced.
VERSUS_WRITTEN = ("vs.", "vs", "VS")
VERSUS = "gặp"

# Codes said as one name, whole words, case-sensitive: "phim 3D" → "phim ba đê" (the letter as in
# "ba đê", not the alphabet's "dê"), the virus "SARS-CoV-2".
NAMED_CODES = {
    "SARS-CoV-2": "sát cô vi hai",
    "3D": "ba đê",
    "2D": "hai đê",
    "4D": "bốn đê",
}
# "19g" is a clock time (giờ), not grams, after these words or before these ("lúc 19g", "19g ngày
# 5/6"); "500g", "20g đường" stay grams.
CLOCK_LEADS = frozenset({"lúc", "vào", "từ", "đến", "tới", "trước", "sau"})
CLOCK_FOLLOWERS = frozenset({"ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "cùng", "mỗi", "hằng", "hàng"})
