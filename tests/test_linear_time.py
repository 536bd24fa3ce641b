"""Hostile text costs time in proportion to its length (issue 10, point 3).

Each attack is built at size n and 2n and read and planned (everything before the engine, as `readaloud
script` does) in the same run; the time for 2n must stay within about twice the time for n. Before, each of
these grew with the square of the length or worse ("1 - 1 - …" of 4 KB took a minute). Ratios only, never
absolute seconds; CPU time of this process, not wall time, and the best of a few runs taken in turn, so
other work on a loaded machine does not decide the outcome.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from readaloud import pipeline
from readaloud.config import Settings
from readaloud.text.reader import read_article
from readaloud.text.vi import words

RATIO = 3.0  # linear is 2, quadratic 4; the slack absorbs noise on a shared machine
REPEATS = 3


def _listed(items: list[str], size: int, sep: str) -> str:
    out: list[str] = []
    total = 0
    while total < size:
        out.append(items[len(out) % len(items)])
        total += len(out[-1]) + len(sep)
    return sep.join(out)


def _nested_tables(size: int) -> str:
    opening, closing = "<table><tr><td>", "</td></tr></table>"
    depth = size // (len(opening) + len(closing))
    return ("<html><head><title>Bảng lồng nhau</title></head><body><article><p>Mở đầu bài viết.</p>"
            + opening * depth + "Ô trong cùng." + closing * depth + "</article></body></html>")


def _capitals(size: int) -> str:
    """Distinct made-up words in capitals, about `size` characters of them."""
    return " ".join("X" + "".join("BCDGHKLMNPQRSTV"[(i >> (4 * k)) % 15] for k in range(4)) for i in range(size // 6))


PRICES = ["gạo 12.500 đồng/kg", "thịt heo 150.000 đ/kg", "cá tra 28.000đ/kg", "xăng 23.450 đồng/lít"]
CLAUSES = ["nông dân phấn khởi", "giá lúa tăng cao", "thương lái thu mua tận ruộng", "năng suất đạt khá"]

# name: (file suffix, size n in characters, text of about that size)
ATTACKS: dict[str, tuple[str, int, Callable[[int], str]]] = {
    "ranges '1 - 1 - …'": ("txt", 1000, lambda n: "Tiêu đề\n\n" + "1 - " * (n // 4)),
    "'Đại hội XIII' repeated": ("txt", 2000, lambda n: "Tiêu đề\n\n" + "Đại hội XIII " * (n // 13)),
    "a price list in one sentence": ("txt", 2000,
                                     lambda n: "Tiêu đề\n\nGiá hôm nay: " + _listed(PRICES, n, ", ") + "."),
    "one comma-spliced sentence": ("txt", 6000,
                                   lambda n: "Tiêu đề\n\nVụ này " + _listed(CLAUSES, n, ", ") + "."),
    "nested <table>": ("html", 60000, _nested_tables),
    "a run of '>'": ("txt", 100000, lambda n: "Tiêu đề\n\nChữ " + ">" * n + " chữ"),
    "a run of ': '": ("txt", 100000, lambda n: "Tiêu đề\n\nChữ " + ": " * (n // 2) + "chữ"),
    "a run of U+1680": ("txt", 300000, lambda n: "Tiêu đề\n\nChữ " + "\u1680" * n + " chữ"),
    "a run of '!' with no space after": ("txt", 100000, lambda n: "Tiêu đề\n\nChữ " + "!" * n + "chữ"),
    "periods before lower-case words": ("txt", 12000, lambda n: "Tiêu đề\n\nChữ " + "a. " * (n // 3) + "chữ"),
    "initials 'A. A. …'": ("txt", 12000, lambda n: "Tiêu đề\n\nChữ " + "A. " * (n // 3) + "chữ"),
    # issue 13's page rules: an editor's tag, a byline's tail, names written in capitals
    "spaces after '(' in a paragraph": ("txt", 20000, lambda n: "Tiêu đề\n\nChữ (" + "\u1680 " * (n // 2) + "x)"),
    "spaces before a closing name": ("txt", 20000, lambda n: "Tiêu đề\n\nCâu một.\n" + "\u1680 " * (n // 2) + "An"),
    # names_in_capitals once searched the whole article for each distinct word: a long run of dots, cheap
    # to read, lengthens the article, so some hundreds of words (each spelt out, slowly) make that plain.
    "distinct words in capitals": ("txt", 5000, lambda n: "Tiêu đề\n\nChữ " + _capitals(n) + ".\n\nChữ "
                                   + "." * (8 * n) + " chữ."),
}


def _plan_seconds(path: Path) -> float:
    # Each run segments afresh: the segmenter's memo of recent texts would make the repeated smaller
    # article's runs cheaper than its first, not the text's own cost.
    words.inside_word_spaces_forget()
    start = time.process_time()
    script = pipeline.plan(read_article(str(path), 10_000_000), Settings())
    assert script.chunks  # the text was read, not refused
    return time.process_time() - start


@pytest.mark.parametrize("name", list(ATTACKS))
def test_doubling_the_input_at_most_about_doubles_the_time(tmp_path, name):
    suffix, size, build = ATTACKS[name]
    small, large = tmp_path / f"small.{suffix}", tmp_path / f"large.{suffix}"
    small.write_text(build(size), encoding="utf-8")
    large.write_text(build(2 * size), encoding="utf-8")
    _plan_seconds(small)  # warm up: imports and compiled patterns are not the article's cost
    times: dict[Path, list[float]] = {small: [], large: []}
    for _ in range(REPEATS):  # in turn, so a busy moment of the machine weighs on both sizes alike
        for path in (small, large):
            times[path].append(_plan_seconds(path))
    ratio = min(times[large]) / min(times[small])
    assert ratio <= RATIO, f"{name}: 2n took {ratio:.1f} times as long as n"
