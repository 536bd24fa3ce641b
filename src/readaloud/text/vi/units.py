"""Units, currencies and the words that may sit between a number and its unit.

A unit is only read as a unit right after a number ("5 m" → "năm mét"); the
same letters elsewhere are left to the other rules.  A value is either one
reading or a ``(north, south)`` pair where the dialects differ.
"""

UNITS: dict[str, str | tuple[str, str]] = {
    "%": "phần trăm",
    "‰": ("phần nghìn", "phần ngàn"),
    "°C": "độ xê",
    "ºC": "độ xê",
    "oC": "độ xê",  # common typing of °C in Vietnamese news
    "°F": "độ ép",
    "°": "độ",
    "km²": "ki lô mét vuông",
    "km2": "ki lô mét vuông",
    "m²": "mét vuông",
    "m2": "mét vuông",
    "m³": "mét khối",
    "m3": "mét khối",
    "km": "ki lô mét",
    "cm": "xen ti mét",
    "mm": "mi li mét",
    "nm": "na nô mét",
    "m": "mét",
    "ha": "héc ta",
    "kg": "ki lô gam",
    "mg": "mi li gam",
    "g": "gam",
    "tấn": "tấn",
    "ml": "mi li lít",
    "lít": "lít",
    "kWh": "ki lô oát giờ",
    "kW": "ki lô oát",
    "MW": "mê ga oát",
    "kV": "ki lô vôn",
    "KV": "ki lô vôn",  # "đường dây 22KV" as often typed
    "MWh": "mê ga oát giờ",
    "GWh": "gi ga oát giờ",
    "GW": "gi ga oát",
    "MWp": "mê ga oát đỉnh",
    "Mbps": "mê ga bít trên giây",
    "GB": "gi ga bai",
    "MB": "mê ga bai",
    "TB": "tê ra bai",  # storage "1TB", "2 TB"
    "cm²": "xen ti mét vuông",
    "cm2": "xen ti mét vuông",
    "mm²": "mi li mét vuông",
    "mm2": "mi li mét vuông",
    "cm³": "xen ti mét khối",
    "cm3": "xen ti mét khối",
    "tạ": "tạ",
    "yến": "yến",
    "hải lý": "hải lý",
    "ppm": "phần triệu",
    "kcal": "ki lô ca lo",
    "đ": "đồng",
    "đồng": "đồng",
    "VNĐ": "đồng",
    "VND": "đồng",
    "vnđ": "đồng",
    "USD": "đô la Mỹ",
    "usd": "đô la Mỹ",
    "EUR": "ơ rô",
    "euro": "ơ rô",
    "Euro": "ơ rô",
    "CNY": "nhân dân tệ",
    "Yên": "yên",
}

# Currency signs written before the number: "$500" → "năm trăm đô la".
CURRENCY_PREFIXES = {
    "US$": "đô la Mỹ",
    "$": "đô la",
    "€": "ơ rô",
    "£": "bảng Anh",
    "¥": "yên",
}

# Words allowed between a number and its unit: "3 triệu đồng", "2,5 tỷ USD".
MAGNITUDES = ("nghìn", "ngàn", "triệu", "tỷ", "tỉ")

# Abbreviations read differently after "/" than as a unit: "km/h".
DENOMINATORS = {"h": "giờ", "s": "giây", "l": "lít"}

# Nouns after "/" that make it "per" ("bệnh nhân/ngày", "lượt/năm").
PER_DENOMINATOR_NOUNS = frozenset(
    {"ngày", "tuần", "tháng", "năm", "giờ", "người", "hộ", "lượt", "con", "ha", "kg", "tấn", "lít", "km", "lớp", "ca"}
)
# Time words: "ngày/tháng/năm" is a list, not a rate.
TIME_NOUNS = frozenset({"ngày", "tuần", "tháng", "quý", "năm", "giờ", "phút", "giây"})

# Nouns that make a following "/" mean "per" even without a number before them
# ("đồng/người" → "đồng trên người"); any other word/word is read as a list.
PER_NOUNS = frozenset(
    {
        "đồng",
        "tấn",
        "kg",
        "km",
        "ha",
        "lít",
        "mét",
        "người",
        "lượt",
        "ngày",
        "tháng",
        "năm",
        "giờ",
        "chiếc",
        "con",
        "hộ",
        "suất",
        "lượng",
        "chỉ",
        "m2",
        "m²",
        "vụ",
        "lao",
        "học",
    }
)

# Words that make a dot-decimal before them a decimal ("phẩy") like a unit does: "giảm 2.5 độ",
# "tăng 1.5 lần", "đạt 8.5 điểm".
DECIMAL_FOLLOWERS = ("độ", "lần", "điểm", "inch", "sao")  # "màn hình 6.5 inch", "khách sạn 4.5 sao"
