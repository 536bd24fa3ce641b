"""Bad and strange input through the real command: a clear one-line error naming the file, a non-zero
exit and no new file, or a correct build; an earlier good MP3 is never touched by a failure."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from readaloud.cli import cli
from tests.helpers import cli_runner

EARLIER = b"earlier good file"


def to_cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 stores it: letters with circumflex, breve or horn precomposed, tone
    marks as separate combining characters."""
    out = []
    for ch in unicodedata.normalize("NFD", text):
        if out and ch in "\u0302\u0306\u031b":
            out[-1] = unicodedata.normalize("NFC", out[-1] + ch)
        else:
            out.append(ch)
    return "".join(out).encode("cp1258")


def build(folder: Path, name: str, content: bytes, *extra: str):
    article = folder / name
    article.write_bytes(content)
    out = folder / "bai.mp3"
    out.write_bytes(EARLIER)
    result = cli_runner().invoke(cli, ["build", str(article), "-o", str(out), "--engine", "espeak", *extra])
    return result, article, out


FAILING = [
    ("empty.txt", b"", "the article is empty"),
    ("spaces.txt", b"  \n\t \r\n  ", "the article is empty"),
    ("title-only.txt", "Chỉ có tiêu đề\n".encode(), "the article has a title but no body text"),
    ("binary.txt", bytes(range(256)) * 40, "looks like a binary file"),
    ("latin1.txt", "Café crème brûlée à la carte, naïve façade.\n".encode("latin-1") + b"x\n",
     "not valid UTF-8 (byte 0xe9 at offset 3)"),
    ("random.txt", b"Tin\n\xc3\x28\xa0\xa1 bytes", "not valid UTF-8 (byte 0xc3 at offset 4)"),
    ("bad-front.md", "---\ntitle: [a, b]\n---\nNội dung.\n".encode(), "front matter 'title' must be text"),
    ("broken-yaml.md", "---\ntitle: \"chưa đóng\n---\nNội dung.\n".encode(), "front matter is not valid YAML"),
    ("empty.html", b"<html><body><script>x()</script></body></html>", "no article text"),
    ("word.docx", b"PK\x03\x04 not an article", "unsupported file type '.docx'"),
]


@pytest.mark.parametrize(("name", "content", "message"), FAILING, ids=[f[0] for f in FAILING])
def test_bad_input_fails_cleanly(tmp_path, name, content, message):
    result, article, out = build(tmp_path, name, content)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"readaloud: error: {article}: "), lines
    assert message in lines[0]
    assert out.read_bytes() == EARLIER
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "bai.mp3"])


def test_size_limit_is_clear_and_configurable(tmp_path):
    big = ("Tiêu đề\n" + "Một câu tin tức bình thường về nông nghiệp. " * 120_000).encode()  # ~5.5 MB
    result, article, out = build(tmp_path, "big.txt", big)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"readaloud: error: {article}: over the 2 MB limit for one article (set [reading] max_article_bytes to "
        "change it)"]
    assert out.read_bytes() == EARLIER
    # The limit is configurable (1000 bytes is the smallest allowed): a file of exactly the limit is read,
    # one byte more is refused, with the configured limit in the message.
    config = tmp_path / "small.toml"
    config.write_text("[reading]\nmax_article_bytes = 1000\n", encoding="utf-8")
    at_limit = tmp_path / "at-limit.txt"
    at_limit.write_bytes(b"Tieu de\n" + b"Cau ngan. " * 99 + b"x\n")
    over = tmp_path / "over.txt"
    over.write_bytes(at_limit.read_bytes() + b"\n")
    assert (len(at_limit.read_bytes()), len(over.read_bytes())) == (1000, 1001)
    fits = cli_runner().invoke(cli, ["--config", str(config), "script", str(at_limit)])
    assert fits.exit_code == 0, fits.output
    assert fits.stdout.splitlines()[0] == "Tieu de" and fits.stderr == ""
    small = cli_runner().invoke(cli, ["--config", str(config), "script", str(over)])
    assert small.exit_code == 1 and small.stdout == ""
    assert small.stderr.splitlines() == [
        f"readaloud: error: {over}: over the 0.001 MB limit for one article (set [reading] max_article_bytes to "
        "change it)"]
    # Without that setting, the same file is far below the default limit.
    assert cli_runner().invoke(cli, ["script", str(over)]).exit_code == 0


BUILDING = [
    ("nfd.txt", unicodedata.normalize("NFD", "Tiêu đề\nNgười dân Đồng Tháp phấn khởi.\n").encode()),
    ("zero-width.txt", "Tiêu\u200b đề\u00ad\nNông\u200d dân\u2060 vui\x07 mừng.\n".encode()),
    ("emoji.txt", "Tin vui 🎉\nNông dân 🌾 trúng mùa 😀 lớn.\n".encode()),
    ("mixed.txt", "Hợp tác Việt – Nhật\nĐoàn 東京 và Москва thăm tỉnh; ông Smith phát biểu.\n".encode()),
    ("utf16.txt", "Tiêu đề\nNội dung bài viết.\n".encode("utf-16")),  # with its byte order mark, LE here
    ("utf16-be.txt", "\ufeffTiêu đề\nNội dung bài viết.\n".encode("utf-16-be")),
    ("utf8-bom.txt", "\ufeffTiêu đề\nNội dung bài viết.\n".encode("utf-8")),
    ("cp1258.txt", to_cp1258("Hòa bình ở Đồng Tháp\nỦy ban nhân dân tỉnh họp với người dân về mùa nước nổi.\n")),
    ("code.md", "# Tin\n\nĐoạn đọc.\n\n```\nrm -rf / 123\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".encode()),
    ("deep.html", ("<html><body><article><h1>Tin sâu</h1>" + "<div>" * 5000 + "<p>Nội dung sâu.</p>"
                   + "</div>" * 5000 + "<script>alert(1)</script></article></body></html>").encode()),
]


DECODED = {
    "nfd.txt": ("Tiêu đề", "Người dân Đồng Tháp phấn khởi."),
    "zero-width.txt": ("Tiêu đề", "Nông dân vui mừng."),
    "utf16.txt": ("Tiêu đề", "Nội dung bài viết."),
    "utf16-be.txt": ("Tiêu đề", "Nội dung bài viết."),
    "utf8-bom.txt": ("Tiêu đề", "Nội dung bài viết."),
    "cp1258.txt": ("Hòa bình ở Đồng Tháp", "Ủy ban nhân dân tỉnh họp với người dân về mùa nước nổi."),
}


@pytest.mark.parametrize(("name", "content"), BUILDING, ids=[b[0] for b in BUILDING])
def test_strange_but_valid_input_builds(tmp_path, name, content):
    result, article, out = build(tmp_path, name, content)
    assert result.exit_code == 0, result.output
    assert MP3(out).info.length > 0.5
    script = json.loads(cli_runner().invoke(cli, ["script", str(article), "--json", "--engine", "espeak"]).stdout)
    spoken = " ".join(c["spoken"] for c in script["chunks"])
    assert [ch for ch in spoken if ch.isdigit()] == []  # any digit, ASCII or not
    assert unicodedata.is_normalized("NFC", spoken)
    assert "\u200b" not in spoken and "rm -rf" not in spoken and "alert" not in spoken
    if name in DECODED:  # the text as written, whatever the encoding or normal form of the bytes
        title, body = DECODED[name]
        assert script["title"] == title
        assert [c["display"] for c in script["chunks"]] == [title, body]


def test_a_long_sentence_without_punctuation_is_chunked_and_nothing_is_lost(tmp_path):
    words = ("nông dân xã Tân Hội trồng lúa nuôi cá bán rau muống và hái bông điên điển " * 140).split()
    sentence = " ".join(words)[:10_000].rsplit(" ", 1)[0]
    article = tmp_path / "dai.txt"
    article.write_text(f"Tiêu đề\n{sentence}\n", encoding="utf-8")
    script = json.loads(cli_runner().invoke(cli, ["script", str(article), "--json"]).stdout)
    body = [c for c in script["chunks"] if c["role"] == "body"]
    assert len(sentence) >= 9_900 and len(body) > 90
    assert all(len(c["spoken"]) <= 100 for c in script["chunks"])
    assert " ".join(c["display"] for c in body) == sentence


@pytest.mark.parametrize("name", ["bài viết có dấu cách.txt", "-bắt đầu bằng gạch.txt", "Đồng Tháp.md"])
def test_file_names_with_spaces_vietnamese_and_a_leading_dash(tmp_path, name):
    article = tmp_path / name
    article.write_text("# Tiêu đề\n\nNội dung ngắn gọn.\n", encoding="utf-8")
    out = tmp_path / ("-" + name.replace(".txt", ".mp3").replace(".md", ".mp3"))
    result = cli_runner().invoke(cli, ["build", "--engine", "espeak", "-o", str(out), "--", str(article)])
    assert result.exit_code == 0, result.output
    assert MP3(out).info.length > 0.5 and out.with_suffix(".vtt").exists()
