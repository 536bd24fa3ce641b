"""Abbreviations common in Vietnamese provincial news (Đồng Tháp, the Mekong
delta): government, Party, education, health, police, economy.

Keys are exact-case: "TTg" and "TTG" are different keys, and a word that only
looks like an acronym in a heading is not touched.  No key of ``ACRONYMS`` may
be a plausible Vietnamese syllable ("CA", "TƯ", "AI", "EU" are left out on
purpose): in an all-caps heading such a key would swallow an ordinary word.
The tests enforce that.
"""

# Read wherever they stand as a whole token.
ACRONYMS = {
    # Places
    "TP.HCM": "Thành phố Hồ Chí Minh",
    "TP. HCM": "Thành phố Hồ Chí Minh",
    "Tp.HCM": "Thành phố Hồ Chí Minh",
    "Tp. HCM": "Thành phố Hồ Chí Minh",
    "TPHCM": "Thành phố Hồ Chí Minh",
    "TP HCM": "Thành phố Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "TP": "thành phố",
    "TX": "thị xã",
    "VN": "Việt Nam",
    "ĐBSCL": "Đồng bằng sông Cửu Long",
    "ĐBSH": "Đồng bằng sông Hồng",
    # State and Party
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "UBMTTQ": "Ủy ban Mặt trận Tổ quốc",
    "MTTQVN": "Mặt trận Tổ quốc Việt Nam",
    "ĐCSVN": "Đảng Cộng sản Việt Nam",
    "BCH": "Ban Chấp hành",
    "BTV": "Ban Thường vụ",
    "BCĐ": "Ban Chỉ đạo",
    "BQL": "Ban Quản lý",
    "UBKT": "Ủy ban Kiểm tra",
    "TW": "Trung ương",
    "QH": "Quốc hội",
    "ĐBQH": "đại biểu Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "TTg": "Thủ tướng",
    "TAND": "Tòa án nhân dân",
    "VKSND": "Viện Kiểm sát nhân dân",
    "THADS": "thi hành án dân sự",
    "CCHC": "cải cách hành chính",
    "KT-XH": "kinh tế xã hội",
    "Đ/c": "đồng chí",
    "đ/c": "đồng chí",
    # Mass organisations
    "TNCS": "Thanh niên Cộng sản",
    "LHPN": "Liên hiệp Phụ nữ",
    "CCB": "Cựu chiến binh",
    "LĐLĐ": "Liên đoàn Lao động",
    # Ministries and departments (as written in running text)
    "GD&ĐT": "Giáo dục và Đào tạo",
    "TT&TT": "Thông tin và Truyền thông",
    "GDĐT": "Giáo dục và Đào tạo",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "NN&PTNT": "Nông nghiệp và Phát triển nông thôn",
    "TN&MT": "Tài nguyên và Môi trường",
    "KH&CN": "Khoa học và Công nghệ",
    "KH&ĐT": "Kế hoạch và Đầu tư",
    "LĐ-TB&XH": "Lao động, Thương binh và Xã hội",
    "VHTTDL": "Văn hóa, Thể thao và Du lịch",
    "GTVT": "giao thông vận tải",
    "NHNN": "Ngân hàng Nhà nước",
    "NHCSXH": "Ngân hàng Chính sách xã hội",
    # Education
    "THPT": "trung học phổ thông",
    "THCS": "trung học cơ sở",
    "SGK": "sách giáo khoa",
    "ĐH": "đại học",
    "CĐ": "cao đẳng",
    "HS": "học sinh",
    "SV": "sinh viên",
    "GV": "giáo viên",
    "GS": "giáo sư",
    "PGS": "phó giáo sư",
    "TS": "tiến sĩ",
    "ThS": "thạc sĩ",
    "CNTT": "công nghệ thông tin",
    "CĐS": "chuyển đổi số",
    # Health and social insurance
    "BS": "bác sĩ",
    "BV": "Bệnh viện",
    "BVĐK": "Bệnh viện Đa khoa",
    "TTYT": "Trung tâm Y tế",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "BHTN": "bảo hiểm thất nghiệp",
    "ATTP": "an toàn thực phẩm",
    "WHO": "Tổ chức Y tế Thế giới",
    "COVID": "Cô vít",
    "Covid": "Cô vít",
    # Police, army, safety
    "CSGT": "cảnh sát giao thông",
    "CAND": "Công an nhân dân",
    "QĐND": "Quân đội nhân dân",
    "BĐBP": "Bộ đội Biên phòng",
    "LLVT": "lực lượng vũ trang",
    "PCCC": "phòng cháy chữa cháy",
    "CNCH": "cứu nạn cứu hộ",
    "ATGT": "an toàn giao thông",
    "TTATGT": "trật tự an toàn giao thông",
    "ANTT": "an ninh trật tự",
    "PCTT": "phòng chống thiên tai",
    "TKCN": "tìm kiếm cứu nạn",
    # Economy and agriculture
    "HTX": "hợp tác xã",
    "DN": "doanh nghiệp",
    "DNNVV": "doanh nghiệp nhỏ và vừa",
    "KCN": "khu công nghiệp",
    "CCN": "cụm công nghiệp",
    "NTM": "nông thôn mới",
    "TNHH": "trách nhiệm hữu hạn",
    "OCOP": "Ô cốp",
    "GDP": "giê đê pê",
    "GRDP": "giê e rờ đê pê",
    "CPI": "xê pê i",
    "FDI": "ép đê i",
    "ODA": "ô đê a",
    # International
    "ASEAN": "A xê an",
    "APEC": "A pếch",
    "NATO": "Na tô",
    # Latin-style abbreviations
    "v.v.": "vân vân",
    "v.v": "vân vân",
}

# Read only when the dot is followed by a capitalised name ("TP. Cao Lãnh",
# "TS. Nguyễn Văn A") or by another of these titles ("PGS.TS").  Photo
# credits such as "P.L" never match because "L" is not followed by a
# lower-case letter.
DOTTED = {
    "TP": "thành phố",
    "Tp": "thành phố",
    "TX": "thị xã",
    "TT": "thị trấn",
    "Q": "quận",
    "P": "phường",
    "H": "huyện",
    "X": "xã",
    "TS": "tiến sĩ",
    "ThS": "thạc sĩ",
    "GS": "giáo sư",
    "PGS": "phó giáo sư",
    "BS": "bác sĩ",
    "KS": "kỹ sư",
    "NSND": "Nghệ sĩ Nhân dân",
    "NSƯT": "Nghệ sĩ Ưu tú",
    "NGND": "Nhà giáo Nhân dân",
    "NGƯT": "Nhà giáo Ưu tú",
}

# Also read before a number: "Q.1", "P. 5".
DOTTED_BEFORE_NUMBER = {"Q": "quận", "P": "phường"}

# Letters inside document codes ("1079/QĐ-TTg", "204-KL/TU", "72/2015/NĐ-CP"),
# read as words, never spelled.  A kind says what the document is; an issuer
# who signed it and is read with "của" ("quyết định của Thủ tướng").  A code
# part missing here is split into known parts if it can be ("QĐUBND"),
# otherwise dropped: the issuer is usually named next to the code anyway.
CODE_KINDS = {
    "QĐ": "quyết định",
    "NĐ": "nghị định",
    "NQ": "nghị quyết",
    "TT": "thông tư",
    "TTLT": "thông tư liên tịch",
    "CT": "chỉ thị",
    "KL": "kết luận",
    "KH": "kế hoạch",
    "TB": "thông báo",
    "BC": "báo cáo",
    "HD": "hướng dẫn",
    "CV": "công văn",
    "TTr": "tờ trình",
    "QC": "quy chế",
    "L": "luật",
}
CODE_ISSUERS = {
    "TTg": "Thủ tướng",
    "CP": "Chính phủ",
    "VPCP": "Văn phòng Chính phủ",
    "QH": "Quốc hội",
    "UBTVQH": "Ủy ban Thường vụ Quốc hội",
    "TW": "Trung ương",
    "TƯ": "Trung ương",
    "TU": "Tỉnh ủy",
    "HU": "Huyện ủy",
    "ThU": "Thành ủy",
    "ĐU": "Đảng ủy",
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "BCĐ": "Ban Chỉ đạo",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BYT": "Bộ Y tế",
    "BTC": "Bộ Tài chính",
    "BCA": "Bộ Công an",
    "BNV": "Bộ Nội vụ",
    "BCT": "Bộ Công Thương",
    "BXD": "Bộ Xây dựng",
    "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
    "BLĐTBXH": "Bộ Lao động, Thương binh và Xã hội",
    "BGTVT": "Bộ Giao thông vận tải",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư",
    "BTTTT": "Bộ Thông tin và Truyền thông",
    "NHNN": "Ngân hàng Nhà nước",
    "SGDĐT": "Sở Giáo dục và Đào tạo",
    "SYT": "Sở Y tế",
    "STC": "Sở Tài chính",
    "VP": "Văn phòng",
}
# A number glued to these issuers is a term: "QH14" → "Quốc hội khóa mười bốn".
CODE_ISSUER_TERMS = {"QH": "khóa"}
# "của" joins a kind (or the number) to its issuer; "và" joins two issuers.
OF = "của"
AND = "và"
