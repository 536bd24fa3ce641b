"""Reading rules for the text normaliser: one row per case, display text → what a presenter says.

Expected strings are written from the reading rules in /work/shared/research.md, not pasted from the code.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from readaloud.normalize import normalize, read_number
from readaloud.vi import abbreviations, letters, numbers, symbols, units

N, S = "north", "south"

CASES = [
    # 1. Cardinals: mốt, lăm, tư, mười/mươi, linh/lẻ, không trăm, nghìn/ngàn, triệu, tỷ
    ("Xã có 21 ấp", N, "Xã có hai mươi mốt ấp"),
    ("Đội hình gồm 15 thành viên", N, "Đội hình gồm mười lăm thành viên"),
    ("Có 25 hộ dân được hỗ trợ", N, "Có hai mươi lăm hộ dân được hỗ trợ"),
    ("Trực 24 giờ mỗi ngày", N, "Trực hai mươi tư giờ mỗi ngày"),
    ("Chỉ còn 4 trường hợp", N, "Chỉ còn bốn trường hợp"),
    ("Tổng cộng 14 xã", N, "Tổng cộng mười bốn xã"),
    ("Có 11 đội tham gia", N, "Có mười một đội tham gia"),
    ("Hỗ trợ 105 hộ nghèo", N, "Hỗ trợ một trăm linh năm hộ nghèo"),
    ("Hỗ trợ 105 hộ nghèo", S, "Hỗ trợ một trăm lẻ năm hộ nghèo"),
    ("Trao 110 suất quà", N, "Trao một trăm mười suất quà"),
    ("Có 1079 người tham dự", N, "Có một nghìn không trăm bảy mươi chín người tham dự"),
    ("Có 1079 người tham dự", S, "Có một ngàn không trăm bảy mươi chín người tham dự"),
    ("Thành lập năm 2005", N, "Thành lập năm hai nghìn không trăm linh năm"),
    ("Thành lập năm 2005", S, "Thành lập năm hai ngàn không trăm lẻ năm"),
    ("Dân số 1.000.000 người", N, "Dân số một triệu người"),
    ("Giá 1.500.000 đồng", N, "Giá một triệu năm trăm nghìn đồng"),
    ("Giá 1.500.000 đồng", S, "Giá một triệu năm trăm ngàn đồng"),
    ("Hỗ trợ 3.500.000 đồng mỗi hộ", N, "Hỗ trợ ba triệu năm trăm nghìn đồng mỗi hộ"),
    ("Tổng vốn 2.000.000.000 đồng", N, "Tổng vốn hai tỷ đồng"),
    ("Khoảng 1.250.000.000.000 đồng", N, "Khoảng một nghìn hai trăm năm mươi tỷ đồng"),
    ("Có 2.030 học sinh", N, "Có hai nghìn không trăm ba mươi học sinh"),
    ("Có 101 em", S, "Có một trăm lẻ một em"),
    ("Đạt 1.005.000 đồng", N, "Đạt một triệu không trăm linh năm nghìn đồng"),
    ("Năm 2024", N, "Năm hai nghìn không trăm hai mươi tư"),
    # 2. Separators, decimals, negatives, digit strings
    ("Tăng trưởng 12,5 điểm", N, "Tăng trưởng mười hai phẩy năm điểm"),
    ("Lãi suất giảm 0,05 điểm", N, "Lãi suất giảm không phẩy không năm điểm"),
    ("Đạt 3,14 tỷ", N, "Đạt ba phẩy mười bốn tỷ"),
    ("Nhiệt độ -5°C", N, "Nhiệt độ âm năm độ xê"),
    ("Mực nước -0,3 m", N, "Mực nước âm không phẩy ba mét"),
    ("Đường dây nóng 0277 3851 234", N, "Đường dây nóng không hai bảy bảy, ba tám năm một, hai ba bốn"),
    ("Liên hệ 0918123456", N, "Liên hệ không chín một tám một hai ba bốn năm sáu"),
    ("Mã số 12345678", N, "Mã số một hai ba bốn năm sáu bảy tám"),
    ("Công nghiệp 4.0", N, "Công nghiệp bốn chấm không"),
    # 3. Dates and times
    (
        "Ngày 09/05/2024, tỉnh tổ chức hội nghị",
        N,
        "Ngày chín tháng năm năm hai nghìn không trăm hai mươi tư, tỉnh tổ chức hội nghị",
    ),
    ("Hội nghị diễn ra 09/05/2024", N, "Hội nghị diễn ra ngày chín tháng năm năm hai nghìn không trăm hai mươi tư"),
    ("Hội nghị diễn ra 09/05/2024", S, "Hội nghị diễn ra ngày chín tháng năm năm hai ngàn không trăm hai mươi tư"),
    ("Sáng 14/4, đoàn công tác đến thăm", N, "Sáng ngày mười bốn tháng tư, đoàn công tác đến thăm"),
    ("Chiều 10-5, trời mưa lớn", N, "Chiều ngày mười tháng năm, trời mưa lớn"),
    (
        "Trong tháng 5/2024, tỉnh thu hút vốn",
        N,
        "Trong tháng năm năm hai nghìn không trăm hai mươi tư, tỉnh thu hút vốn",
    ),
    ("Từ 5/2024 đến nay", N, "Từ tháng năm năm hai nghìn không trăm hai mươi tư đến nay"),
    ("Vào tháng 4, lúa được mùa", N, "Vào tháng tư, lúa được mùa"),
    ("Từ ngày 1/7/2025", N, "Từ ngày một tháng bảy năm hai nghìn không trăm hai mươi lăm"),
    ("Đạt 3/5 tiêu chí", N, "Đạt ba trên năm tiêu chí"),
    ("Hôm nay (9/5), trời nắng", N, "Hôm nay, ngày chín tháng năm, trời nắng"),
    ("Diễn ra từ 9-12/5", N, "Diễn ra từ ngày chín đến ngày mười hai tháng năm"),
    ("Ngày 30/4/1975", N, "Ngày ba mươi tháng tư năm một nghìn chín trăm bảy mươi lăm"),
    ("ngày 21/12/2023", S, "ngày hai mươi mốt tháng mười hai năm hai ngàn không trăm hai mươi ba"),
    ("Cập nhật ngày: 21/06/2024", N, "Cập nhật ngày: hai mươi mốt tháng sáu năm hai nghìn không trăm hai mươi tư"),
    ("Ngày đăng 2024-09-05", N, "Ngày đăng ngày năm tháng chín năm hai nghìn không trăm hai mươi tư"),
    ("Đỉnh lũ vào khoảng 25 - 26/10", N, "Đỉnh lũ vào khoảng ngày hai mươi lăm đến ngày hai mươi sáu tháng mười"),
    ("Lúc 14h30, xe khởi hành", N, "Lúc mười bốn giờ ba mươi, xe khởi hành"),
    ("Khoảng 14g30 cùng ngày", N, "Khoảng mười bốn giờ ba mươi cùng ngày"),
    ("Đến 14 giờ, nước rút", N, "Đến mười bốn giờ, nước rút"),
    ("Thời gian về đích 02:46:38", N, "Thời gian về đích hai giờ bốn mươi sáu phút ba mươi tám giây"),
    ("Bắt đầu lúc 14:30", N, "Bắt đầu lúc mười bốn giờ ba mươi"),
    ("Từ 7h đến 11h", N, "Từ bảy giờ đến mười một giờ"),
    ("Khoảng 7h05 sáng", N, "Khoảng bảy giờ năm phút sáng"),
    ("Làm việc từ 7h30-11h", N, "Làm việc từ bảy giờ ba mươi đến mười một giờ"),
    # 4. Percent, ranges, dashes
    ("Tỷ lệ hộ nghèo giảm 15%", N, "Tỷ lệ hộ nghèo giảm mười lăm phần trăm"),
    ("Lãi suất 12,5%/năm", N, "Lãi suất mười hai phẩy năm phần trăm trên năm"),
    (
        "Giai đoạn 2021 - 2025",
        N,
        "Giai đoạn hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm",
    ),
    ("Giai đoạn 2021-2025", S, "Giai đoạn hai ngàn không trăm hai mươi mốt đến hai ngàn không trăm hai mươi lăm"),
    ("Năng suất tăng 10-15%", N, "Năng suất tăng mười đến mười lăm phần trăm"),
    ("Mỗi lớp 30-35 học sinh", N, "Mỗi lớp ba mươi đến ba mươi lăm học sinh"),
    ("Từ 5 - 7 ngày", N, "Từ năm đến bảy ngày"),
    ("Phát triển kinh tế - xã hội", N, "Phát triển kinh tế, xã hội"),
    ("Thủ tướng thăm Mát-xcơ-va", N, "Thủ tướng thăm Mát xcơ va"),
    ("Đội nhà thắng 2-1", N, "Đội nhà thắng hai một"),
    # 5. Units and currency after a number
    ("Tuyến đường dài 12 km", N, "Tuyến đường dài mười hai ki lô mét"),
    ("Gieo sạ 500 ha lúa", N, "Gieo sạ năm trăm héc ta lúa"),
    ("Thu hoạch 7 tấn/ha", N, "Thu hoạch bảy tấn trên héc ta"),
    ("Giá 25.000 đồng/kg", N, "Giá hai mươi lăm nghìn đồng trên ki lô gam"),
    ("Vé 50.000 đ/người", N, "Vé năm mươi nghìn đồng trên người"),
    ("Giá lúa 7.500 đồng/kg", S, "Giá lúa bảy ngàn năm trăm đồng trên ki lô gam"),
    ("Đạt 1,2 tỷ USD", N, "Đạt một phẩy hai tỷ đô la Mỹ"),
    ("Thu nhập 60 triệu VNĐ/năm", N, "Thu nhập sáu mươi triệu đồng trên năm"),
    ("Nhà rộng 120m2", N, "Nhà rộng một trăm hai mươi mét vuông"),
    ("Chạy 80 km/h", N, "Chạy tám mươi ki lô mét trên giờ"),
    ("Nắng nóng 38°C", N, "Nắng nóng ba mươi tám độ xê"),
    ("Xả 200 m³ nước", N, "Xả hai trăm mét khối nước"),
    ("Nặng 3 kg", N, "Nặng ba ki lô gam"),
    ("Tiền điện 2.000 đồng/kWh", N, "Tiền điện hai nghìn đồng trên ki lô oát giờ"),
    ("Thiết bị đo độ C", N, "Thiết bị đo độ xê"),
    # 6. Ordinals
    ("Lần thứ 5 tổ chức", N, "Lần thứ năm tổ chức"),
    ("Đoạt giải thứ 1", N, "Đoạt giải thứ nhất"),
    ("Xếp thứ 4 toàn quốc", N, "Xếp thứ tư toàn quốc"),
    ("Thứ 4, ngày 14/4", N, "Thứ tư, ngày mười bốn tháng tư"),
    ("Kỳ họp thứ 14", N, "Kỳ họp thứ mười bốn"),
    # 7. Roman numerals after trigger words
    ("Đại hội XIII của Đảng", N, "Đại hội mười ba của Đảng"),
    ("Bước vào thế kỷ XXI", N, "Bước vào thế kỷ hai mươi mốt"),
    ("Quý IV năm nay", N, "Quý bốn năm nay"),
    ("Quốc hội khóa XV", N, "Quốc hội khóa mười lăm"),
    ("Chương II của luật", N, "Chương hai của luật"),
    ("Đại hội Đảng bộ tỉnh lần thứ XII", N, "Đại hội Đảng bộ tỉnh lần thứ mười hai"),
    ("Hội nghị lần thứ IV", N, "Hội nghị lần thứ tư"),
    ("Quý I/2024", N, "Quý một năm hai nghìn không trăm hai mươi tư"),
    ("Mực nước dưới báo động I", N, "Mực nước dưới báo động một"),
    # 8. Document codes: numbers, then the kind unless just said, then "của" + the issuer unless named next
    (
        "Theo Quyết định số 1079/QĐ-TTg",
        N,
        "Theo Quyết định số một nghìn không trăm bảy mươi chín của Thủ tướng",
    ),
    ("Văn bản số 1079/QĐ-TTg", S, "Văn bản số một ngàn không trăm bảy mươi chín quyết định của Thủ tướng"),
    ("Kết luận số 204-KL/TU", N, "Kết luận số hai trăm linh bốn của Tỉnh ủy"),
    ("Kết luận số 204-KL/TU", S, "Kết luận số hai trăm lẻ bốn của Tỉnh ủy"),
    ("Nghị định 72/2015/NĐ-CP", N, "Nghị định bảy mươi hai năm hai nghìn không trăm mười lăm của Chính phủ"),
    (
        "Thực hiện Nghị định 42/2022/NĐ-CP của Chính phủ",
        N,
        "Thực hiện Nghị định bốn mươi hai năm hai nghìn không trăm hai mươi hai của Chính phủ",
    ),
    (
        "Thông tư 01/2024/TT-BGDĐT",
        N,
        "Thông tư một năm hai nghìn không trăm hai mươi tư của Bộ Giáo dục và Đào tạo",
    ),
    (
        "Nghị quyết 12/2015/NQ-HĐND",
        N,
        "Nghị quyết mười hai năm hai nghìn không trăm mười lăm của Hội đồng nhân dân",
    ),
    ("Nghị quyết số 36-NQ/TW", N, "Nghị quyết số ba mươi sáu của Trung ương"),
    ("Luật số 45/2019/QH14", N, "Luật số bốn mươi lăm năm hai nghìn không trăm mười chín của Quốc hội khóa mười bốn"),
    ("Công văn 456/UBND-KT", N, "Công văn bốn trăm năm mươi sáu của Ủy ban nhân dân"),
    (
        "Theo Quyết định số 1079/QĐ-UBND của UBND tỉnh",
        N,
        "Theo Quyết định số một nghìn không trăm bảy mươi chín của Ủy ban nhân dân tỉnh",
    ),
    # 9. Abbreviations
    ("UBND tỉnh Đồng Tháp", N, "Ủy ban nhân dân tỉnh Đồng Tháp"),
    ("Kỳ họp HĐND tỉnh", N, "Kỳ họp Hội đồng nhân dân tỉnh"),
    ("Về TP.HCM", N, "Về Thành phố Hồ Chí Minh"),
    ("Tại TP. HCM", N, "Tại Thành phố Hồ Chí Minh"),
    ("Tại TP. Cao Lãnh", N, "Tại thành phố Cao Lãnh"),
    ("Trường THPT Cao Lãnh", N, "Trường trung học phổ thông Cao Lãnh"),
    ("Học sinh THCS", N, "Học sinh trung học cơ sở"),
    ("Lực lượng CSGT", N, "Lực lượng cảnh sát giao thông"),
    ("Vùng ĐBSCL", N, "Vùng Đồng bằng sông Cửu Long"),
    ("Tăng trưởng GDP đạt 7%", N, "Tăng trưởng giê đê pê đạt bảy phần trăm"),
    ("Dịch COVID-19", N, "Dịch Cô vít mười chín"),
    ("Theo WHO", N, "Theo Tổ chức Y tế Thế giới"),
    ("Tổ chức Y tế Thế giới (WHO) khuyến cáo", N, "Tổ chức Y tế Thế giới khuyến cáo"),
    ("Các nước ASEAN", N, "Các nước A xê an"),
    ("Gạo, cá, v.v. đều tăng giá", N, "Gạo, cá, vân vân đều tăng giá"),
    ("PGS.TS Nguyễn Văn Hùng", N, "phó giáo sư tiến sĩ Nguyễn Văn Hùng"),
    ("ThS. Lê Thị Mai", N, "thạc sĩ Lê Thị Mai"),
    ("Ở Q.1 và P. Mỹ Phú", N, "Ở quận một và phường Mỹ Phú"),
    ("(Ảnh: P.L)", N, "Ảnh: pê e lờ"),
    ("Công ty TNHH Minh Phát", N, "Công ty trách nhiệm hữu hạn Minh Phát"),
    ("Sở GD&ĐT tỉnh", N, "Sở Giáo dục và Đào tạo tỉnh"),
    ("Thẻ BHYT", N, "Thẻ bảo hiểm y tế"),
    ("Sở Thông tin và Truyền thông (TT&TT) cho biết", N, "Sở Thông tin và Truyền thông cho biết"),
    # 10. Capitals: unknown acronyms spelled, headings in sentence case
    ("Công ty XYZ trúng thầu", N, "Công ty ích i dét trúng thầu"),
    ("Kênh VTV1 đưa tin", N, "Kênh vê tê vê một đưa tin"),
    ("KINH TẾ PHÁT TRIỂN MẠNH Ở ĐBSCL", N, "Kinh tế phát triển mạnh ở Đồng bằng sông Cửu Long"),
    ("UBND TỈNH ĐỒNG THÁP KHEN THƯỞNG", N, "Ủy ban nhân dân tỉnh đồng tháp khen thưởng"),
    ("ĐẠI HỘI XIII CỦA ĐẢNG", N, "Đại hội mười ba của đảng"),
    ("Chương trình BẢN TIN NÔNG NGHIỆP phát sóng", N, "Chương trình bản tin nông nghiệp phát sóng"),
    # 11. Web addresses
    ("Xem tại baodongthap.vn", N, "Xem tại baodongthap chấm vê en"),
    ("Chi tiết: https://baodongthap.vn/kinh-te/gia-lua-tang-123.aspx", N, "Chi tiết: baodongthap chấm vê en"),
    ("Truy cập www.dongthap.gov.vn để biết thêm", N, "Truy cập dongthap chấm giê o vê chấm vê en để biết thêm"),
    ("Gửi thư về toasoan@baodongthap.vn", N, "Gửi thư về toasoan a còng baodongthap chấm vê en"),
    ("Trang vnexpress.net đưa tin", N, "Trang vnexpress chấm nét đưa tin"),
    # 12. Symbols
    ("Nông nghiệp & Môi trường", N, "Nông nghiệp và Môi trường"),
    ("Kết quả 2 + 3", N, "Kết quả hai cộng ba"),
    ("Chờ đợi… rồi đi", N, "Chờ đợi… rồi đi"),
    ("Đơn vị tính: đồng/người", N, "Đơn vị tính: đồng trên người"),
    ("Các sở/ngành liên quan", N, "Các sở, ngành liên quan"),
    ("“Nông dân” giỏi", N, "Nông dân giỏi"),
    ("Nhiệt độ > 35°C", N, "Nhiệt độ lớn hơn ba mươi lăm độ xê"),
    ("< Trở về trang trước", N, "Trở về trang trước"),
]


@pytest.mark.parametrize(("text", "dialect", "expected"), CASES)
def test_reading(text, dialect, expected):
    assert normalize(text, dialect) == expected


@pytest.mark.parametrize(
    ("digits", "dialect", "expected"),
    [
        ("0", N, "không"),
        ("10", N, "mười"),
        ("1024", N, "một nghìn không trăm hai mươi tư"),
        ("1079", N, "một nghìn không trăm bảy mươi chín"),
        ("2005", S, "hai ngàn không trăm lẻ năm"),
        ("15015", N, "mười lăm nghìn không trăm mười lăm"),
        ("105000", N, "một trăm linh năm nghìn"),
        ("21000000", N, "hai mươi mốt triệu"),
        ("1.500.000", N, "một triệu năm trăm nghìn"),
        ("1000000000", N, "một tỷ"),
        ("1000000000000000000", N, "một tỷ tỷ"),
        ("-3,5", N, "âm ba phẩy năm"),
    ],
)
def test_read_number(digits, dialect, expected):
    assert read_number(digits, dialect) == expected


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3,", "--5"])
def test_read_number_rejects_non_numbers(bad):
    with pytest.raises(ValueError):
        read_number(bad)


def test_unknown_dialect_is_an_error():
    with pytest.raises(ValueError):
        normalize("Có 105 hộ", "central")


TRICKY = [
    "",
    " ",
    "----",
    "1/0/0000",
    "99999999999999999999999",
    "🎉😀👍🏽 tin vui",
    "\x00\x01\x1b[31m\x7f",
    "\u200b\u200d\ufeff",
    "\ud800",
    "a\u0301\u0301\u0301",
    "Привет 12 世界 ١٢٣ ２０２４",
    "1" * 5000,
    "1." * 3000,
    "...,,,;;;:::",
    "(((((()))))",
    "http://",
    "www.",
    "@@@",
    "-5-5-5-5",
    "31/12/9999 25:61 24h99",
    "Đại hội MMMCMXCIX",
    "thứ 9999999999",
    "TP. P. Q. H. X.",
    "x" * 3000 + "/" + "y" * 3000,
    "0277 3851 234 0277 3851 234",
    "²³½‰%°",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("dialect", [N, S])
def test_tricky_strings_never_raise_and_have_no_digits(text, dialect):
    out = normalize(text, dialect)
    assert isinstance(out, str)
    assert not re.search(r"[0-9]", out)
    assert out == out.strip() and "  " not in out
    assert out == unicodedata.normalize("NFC", out)


def test_random_strings_never_raise_and_have_no_digits():
    # A cheap stand-in for the Hypothesis fuzzing planned later: seeded, so a failure is reproducible.
    rng = random.Random(20240509)
    pieces = list("0123456789./,-:%+hg ()&@°CmkĐUBNDTPQX\t\n\x00–…") + [
        "https://",
        "www.",
        ".vn",
        "TP.",
        "ngày ",
        "thứ ",
        "Đại hội ",
        "XIII",
        "🎉",
        "\u0301",
        "٣",
        "1.000",
    ]
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        out = normalize(text, rng.choice([N, S]))
        assert not re.search(r"[0-9]", out), (text, out)
        assert "://" not in out, (text, out)


@pytest.mark.parametrize(
    "text",
    [
        "Xem https://baodongthap.vn/tin-tuc?id=123#top ngay",
        "Nguồn: www.dongthap.gov.vn/web/guest/home.",
        "Email: banbientap@baodongthap.vn.",
        "Xem tại http://localhost:8080/path",
    ],
)
def test_no_raw_url_in_output(text):
    out = normalize(text)
    assert "://" not in out
    assert not re.search(r"(?i)www\.|\w\.(vn|com|net|org|gov)\b|[/@?#=]", out)


def _table_values():
    for table in (
        abbreviations.ACRONYMS,
        abbreviations.DOTTED,
        abbreviations.DOTTED_BEFORE_NUMBER,
        abbreviations.CODE_KINDS,
        abbreviations.CODE_ISSUERS,
        abbreviations.CODE_ISSUER_TERMS,
        letters.LETTER_NAMES,
        units.UNITS,
        units.DENOMINATORS,
        symbols.SYMBOLS,
        symbols.TLD_WORDS,
        numbers.THOUSAND,
        numbers.ZERO_TENS,
    ):
        for value in table.values():
            yield from (value if isinstance(value, tuple) else (value,))
    yield from numbers.DIGITS


def test_tables_say_no_digits_and_are_nfc():
    for value in _table_values():
        assert not re.search(r"[0-9]", value), value
        assert value == unicodedata.normalize("NFC", value), value


def test_acronym_keys_are_not_vietnamese_syllables():
    # In an all-caps heading a key that is also a word ("CA", "TƯ") would swallow that word.
    from readaloud.normalize import _is_syllable

    for key in abbreviations.ACRONYMS:
        for part in re.findall(r"[^\W\d_]+", key):
            if part.isupper() and len(part) > 1:
                assert not _is_syllable(part), key
