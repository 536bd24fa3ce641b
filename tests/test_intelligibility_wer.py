"""The word error rate of bench/intelligibility.py (the bench itself needs the recogniser and runs apart)."""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "bench" / "intelligibility.py"
_SPEC = importlib.util.spec_from_file_location("intelligibility_bench", _PATH)
assert _SPEC is not None and _SPEC.loader is not None
bench = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = bench  # dataclasses look their module up there
_SPEC.loader.exec_module(bench)


def test_words_are_lower_case_nfc_without_punctuation():
    assert bench.words("Sáng nay, Ủy ban tỉnh họp.") == ["sáng", "nay", "ủy", "ban", "tỉnh", "họp"]
    decomposed = unicodedata.normalize("NFD", "Đường phố Hà Nội")
    assert bench.words(decomposed) == bench.words("đường PHỐ hà nội") == ["đường", "phố", "hà", "nội"]
    assert bench.words("Hồ-Chí-Minh… (TP.HCM) «mới» 2_0") == ["hồ", "chí", "minh", "tp", "hcm", "mới", "2", "0"]
    assert bench.words(" ,.!? ") == []


@pytest.mark.parametrize(("reference", "heard", "errors"), [
    ("hôm nay trời đẹp", "hôm nay trời đẹp", 0),
    ("hôm nay trời đẹp", "hôm nay rồi nhận", 2),  # two substitutions
    ("hôm nay trời đẹp", "hôm trời đẹp", 1),  # a deletion
    ("hôm nay trời đẹp", "ơi hôm nay trời đẹp quá", 2),  # two insertions
    ("hôm nay trời đẹp", "", 4),
    ("", "ba từ thừa", 3),
    ("một hai ba bốn năm", "hai ba bốn năm sáu", 2),  # one out at the start, one in at the end: not five
])
def test_word_errors_is_the_fewest_word_edits(reference, heard, errors):
    assert bench.word_errors(reference.split(), heard.split()) == errors


def test_word_error_rate_is_errors_per_reference_word():
    assert bench.word_error_rate("Hôm nay trời đẹp.", "hôm nay rồi nhận") == 0.5
    assert bench.word_error_rate("Hôm nay, trời ĐẸP!", "hôm nay trời đẹp") == 0.0
    assert bench.word_error_rate("một", "một hai ba") == 2.0  # heard words never said count too
    with pytest.raises(ValueError, match="without words"):
        bench.word_error_rate(" . ", "một")
