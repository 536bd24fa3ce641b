"""The word segmenter is loaded alone (without the rest of underthesea, its data read with pickle) yet
segments exactly as underthesea's own word_tokenize does, and the package can still be imported whole
afterwards."""

from __future__ import annotations

import json
import subprocess
import sys

SENTENCES = [
    "Lễ khai giảng năm học mới diễn ra sáng nay tại trường.",
    "Ủy ban nhân dân thành phố Hồ Chí Minh vừa ban hành kế hoạch chuẩn bị cho mùa mưa bão.",
    "Huấn luyện viên trưởng cho biết đội bóng sẽ tập trung vào ngày hai mươi tháng ba.",
    "Giá vàng hôm nay tăng mạnh , nhiều người dân xếp hàng mua , bán .",
    "Anh Nguyễn Văn Bình , bốn mươi hai tuổi , ở huyện Thừa Thiên - Huế .",
]

_ALONE = f"""
import json, sys
from readaloud.text.vi.words import _segmenter
segment = _segmenter()
assert "underthesea" not in sys.modules, "the whole package was imported"
said = [segment(sentence, format="text") for sentence in {SENTENCES!r}]
import underthesea
assert callable(underthesea.word_tokenize) and callable(underthesea.pos_tag)
print(json.dumps(said))
"""

_WHOLE = f"""
import json
from underthesea import word_tokenize
print(json.dumps([word_tokenize(sentence, format="text") for sentence in {SENTENCES!r}]))
"""


def _run(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    said: list[str] = json.loads(done.stdout)
    return said


def test_the_segmenter_loaded_alone_segments_as_underthesea_does() -> None:
    alone = _run(_ALONE)
    assert alone == _run(_WHOLE)
    assert "khai_giảng" in alone[0]


_OTHER_LAYOUT = f"""
import json, sys
from readaloud.text.vi import words
words._RULES = ("pipeline", "text_normalize", "tn_rules_of_another_version.bin")
segment = words._segmenter()
assert "underthesea" in sys.modules, "the documented import was not used"
print(json.dumps([segment(sentence, format="text") for sentence in {SENTENCES!r}]))
"""


def test_another_underthesea_layout_falls_back_to_the_whole_package() -> None:
    assert _run(_OTHER_LAYOUT) == _run(_WHOLE)
