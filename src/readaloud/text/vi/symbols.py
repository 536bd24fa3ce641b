"""Symbols read as words, and the words used to read web addresses."""

# Symbols left after the number rules.  "%"/"‰" after a number are units
# (see units.py); these entries catch the stray ones.  A value is one reading
# or a ``(north, south)`` pair.
SYMBOLS: dict[str, str | tuple[str, str]] = {
    "&": "và",
    "+": "cộng",
    "=": "bằng",
    "~": "khoảng",
    "≈": "khoảng",
    "@": "a còng",
    "$": "đô la",
    "€": "ơ rô",
    "°": "độ",
    "×": "nhân",
    "±": "cộng trừ",
    "%": "phần trăm",
    "‰": ("phần nghìn", "phần ngàn"),
    "№": "số",
}

# Comparison signs are read only before a number ("> 35°C"); elsewhere
# ("< Trở về trang trước") they are page chrome and dropped.
COMPARISONS = {
    "≥": "lớn hơn hoặc bằng",
    "≤": "nhỏ hơn hoặc bằng",
    ">": "lớn hơn",
    "<": "nhỏ hơn",
}

# Brackets become a short pause; these marks are dropped (they are not heard).
PAUSE_BRACKETS = "()[]{}"
SILENT_MARKS = "\"“”‘’'`«»*_|\\^#"

# Web addresses.
DOT = "chấm"
AT = "a còng"
HYPHEN = "gạch ngang"
UNDERSCORE = "gạch dưới"
# Top-level (and second-level) domains that are read as a word; any other
# label in this set is spelled with letter names ("vn" → "vê en").
TLD_WORDS = {"com": "com", "net": "nét"}
TLDS = (
    "vn",
    "com",
    "net",
    "org",
    "gov",
    "edu",
    "info",
    "io",
    "int",
    "biz",
    "tv",
    "asia",
    "us",
    "uk",
    "jp",
    "cn",
    "kr",
    "fr",
    "de",
    "au",
)

# Separators that are heard as a short pause ("Tin tức | Báo Đồng Tháp").
PAUSE_SEPARATORS = "|•·→►▪"
