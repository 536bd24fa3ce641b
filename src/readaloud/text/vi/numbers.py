"""Words used to read numbers aloud.

Dialect-dependent words are dicts keyed by dialect (``"north"``/``"south"``).
Southern usage (e.g. Đồng Tháp) prefers "ngàn" and "lẻ".
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")

HUNDRED = "trăm"
TEN = "mười"  # the tens digit 1: 10-19
TENS = "mươi"  # after a tens digit 2-9: "hai mươi"
MILLION = "triệu"
BILLION = "tỷ"
THOUSAND = {"north": "nghìn", "south": "ngàn"}
# Joins a hundred (or a zero hundred) to a units digit when the tens are zero: 105.
ZERO_TENS = {"north": "linh", "south": "lẻ"}

# Units-digit words that change after a tens digit of 2-9 (21, 24, 25).
UNITS_AFTER_TENS = {1: "mốt", 4: "tư", 5: "lăm"}
# After "mười" only 5 changes: 15 "mười lăm", but 11 "mười một", 14 "mười bốn".
UNITS_AFTER_TEN = {5: "lăm"}

MINUS = "âm"
DECIMAL_COMMA = "phẩy"  # 12,5
DECIMAL_DOT = "chấm"  # 4.0 (versions, English-style decimals)
PLUS = "cộng"
RANGE = "đến"
PER = "trên"
TIMES = "nhân"  # "3 x 4 m"
PART = "phần"  # "1/3 dân số" → "một phần ba"
# Denominators said differently after "phần": "một phần tư".
PART_DENOMINATORS = {4: "tư"}
# A whole number before a fraction sign: "2½" → "hai và một phần hai".
AND = "và"
# Joins the metres and the rest of a height or length written "1m75".
METRE = "mét"
# "ISO 8601-1:2019": the part of a standard.
STANDARD_PART = "phần"

# Ordinals after "thứ": only 1 and 4 differ from the cardinal.
ORDINALS = {1: "nhất", 4: "tư"}
# Month names that differ from the cardinal: "tháng tư".
MONTHS = {4: "tư"}

DAY = "ngày"
MONTH = "tháng"
YEAR = "năm"
HOUR = "giờ"
MINUTE = "phút"
SECOND = "giây"
