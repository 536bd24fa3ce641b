"""Hostile cover images and article URLs (issue 10, points 1, 2, 15 and 16): nothing outside the article's
folder is read or published, nothing blocks, only an image's pixels reach the MP3, only http(s) URLs reach
WOAS. Every attack is made in tmp_path: FIFOs, symlinks and sparse files stand in for devices."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from readaloud import audio, cover
from readaloud.audio import runner
from readaloud.cli import cli
from readaloud.errors import ToolError
from readaloud.model import Article, Block
from readaloud.text.reader import read_article, web_address
from tests.helpers import cli_runner

SECRET = b"DB_PASSWORD=s3cr3t-do-not-publish"


# --- images made here, byte by byte ------------------------------------------------------------------------


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int = 40, height: int = 30, text: bytes = b"") -> bytes:
    """An RGB PNG of a colour gradient; `text` goes in a tEXt chunk, as a camera or editor would put it."""
    rows = b"".join(b"\x00" + b"".join(bytes((x * 7 % 256, y * 5 % 256, 90)) for x in range(width))
                    for y in range(height))
    chunks = _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    if text:
        chunks += _chunk(b"tEXt", b"Comment\x00" + text)
    return b"\x89PNG\r\n\x1a\n" + chunks + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


def jpeg_with_exif(tmp_path: Path, text: bytes) -> bytes:
    """A real JPEG (made by ffmpeg from a PNG) with an EXIF segment holding `text` spliced in after SOI."""
    source = tmp_path / "for-jpeg.png"
    source.write_bytes(png(64, 48))
    made = subprocess.run([audio.ffmpeg_path(), "-hide_banner", "-loglevel", "error", "-i", str(source),
                           "-f", "image2pipe", "-c:v", "mjpeg", "pipe:1"], capture_output=True, check=True)
    exif = b"Exif\x00\x00" + text
    return made.stdout[:2] + b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif + made.stdout[2:]


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR or a JPEG's start-of-frame segment."""
    if data.startswith(b"\x89PNG"):
        return struct.unpack(">II", data[16:24])
    position = 2
    while position < len(data):
        marker, length = data[position + 1], struct.unpack(">H", data[position + 2:position + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return width, height
        position += 2 + length
    raise AssertionError("no start-of-frame segment")


@contextlib.contextmanager
def within(seconds: int):
    """Fail the test instead of hanging it when something blocks (a FIFO opened for reading)."""
    def expired(*_):
        raise AssertionError(f"blocked for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- which files may be read --------------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path) -> tuple[Path, Path]:
    """An article folder and, beside it, a folder the article must never reach, holding a real image."""
    folder, outside = tmp_path / "bai", tmp_path / "ngoai"
    folder.mkdir()
    outside.mkdir()
    (outside / "that.png").write_bytes(png(text=SECRET))
    (folder / "images").mkdir()
    return folder, outside


def cover_of(folder: Path, image: str, name: str = "bai.md") -> tuple[object, list[str]]:
    warnings: list[str] = []
    article = Article(source=str(folder / name), title="T", blocks=(Block("paragraph", "Nội dung."),), image=image)
    with within(20):
        found = cover.load_cover(article, warnings.append)
    return found, warnings


@pytest.mark.parametrize("image", [
    "{outside}/that.png",  # absolute
    "../ngoai/that.png",
    "images/../../ngoai/that.png",
    "{outside}/khong-co.png",  # absent: the same words as present, so nothing tells whether it exists
    "../ngoai/khong-co.png",
])
def test_a_path_leaving_the_article_folder_is_refused_without_naming_it(site, image):
    folder, outside = site
    found, warnings = cover_of(folder, image.format(outside=outside))
    assert found is None
    assert warnings == [f"{folder / 'bai.md'}: cover image not used: outside the article's folder"]
    assert "ngoai" not in warnings[0]


def test_symlinks_are_never_followed_whether_to_a_file_or_a_folder(site):
    folder, outside = site
    (folder / "link.png").symlink_to(outside / "that.png")
    (folder / "images" / "inner.png").write_bytes(png())
    (folder / "same-folder.png").symlink_to(folder / "images" / "inner.png")  # even one that stays inside
    (folder / "pics").symlink_to(outside)  # a folder that is a link out
    article = str(folder / "bai.md")
    assert cover_of(folder, "link.png") == (None, [f"{article}: cover image link.png not used: a symbolic link "
                                                   "(not followed)"])
    assert cover_of(folder, "same-folder.png")[0] is None
    assert cover_of(folder, "pics/that.png") == (None, [
        f"{article}: cover image pics/that.png not used: not in a folder inside the article's folder (symbolic "
        "links are not followed)"])


def test_a_fifo_a_folder_and_a_huge_sparse_file_are_never_read(site):
    folder, _ = site
    os.mkfifo(folder / "pipe.png")  # no writer: opening it for reading would block forever
    (folder / "folder.png").mkdir()
    with open(folder / "sparse.png", "wb") as handle:  # 4 GB that cost no disk: /dev/zero's stand-in
        handle.write(png()[:16])
        handle.truncate(4 << 30)
    (folder / "sparse-link.png").symlink_to(folder / "sparse.png")
    article = str(folder / "bai.md")
    started = time.monotonic()
    assert cover_of(folder, "pipe.png") == (None, [f"{article}: cover image pipe.png not used: not a regular file"])
    assert cover_of(folder, "folder.png") == (None, [f"{article}: cover image folder.png not used: not a regular "
                                                     "file"])
    assert cover_of(folder, "sparse.png") == (None, [f"{article}: cover image sparse.png not used: larger than the "
                                                     "5 MB limit for a cover"])
    assert cover_of(folder, "sparse-link.png")[0] is None
    assert time.monotonic() - started < 10  # lenient: the machine may be busy


def test_a_file_just_over_the_limit_is_refused_and_one_at_it_is_decoded(site):
    folder, _ = site
    with open(folder / "big.png", "wb") as handle:
        handle.write(png())
        handle.truncate(cover.MAX_BYTES + 1)
    found, warnings = cover_of(folder, "big.png")
    assert found is None and warnings[0].endswith("big.png not used: larger than the 5 MB limit for a cover")
    (folder / "big.png").write_bytes(png() + bytes(cover.MAX_BYTES - len(png())))  # trailing bytes after IEND
    found, warnings = cover_of(folder, "big.png")
    assert warnings == [] and found is not None and image_size(found.data) == (40, 30)


def test_a_missing_file_inside_the_folder_is_named_relative_to_the_article(site):
    folder, _ = site
    assert cover_of(folder, "images/khong-co.png") == (
        None, [f"{folder / 'bai.md'}: cover image images/khong-co.png not used: no such file"])


# --- what is embedded -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "reason"), [
    (b"\x89PNG\r\n\x1a\n" + SECRET + b"\n", "not a PNG image that can be decoded"),
    (b"\xff\xd8\xff" + SECRET + b"\n", "not a JPEG image that can be decoded"),
    (SECRET + b"\n", "not a JPEG or PNG"),
    (png()[:60], "not a PNG image that can be decoded"),  # cut short
])
def test_a_file_that_only_starts_like_an_image_is_not_used(site, content, reason):
    folder, _ = site
    (folder / "anh.png").write_bytes(content)
    assert cover_of(folder, "anh.png") == (None, [f"{folder / 'bai.md'}: cover image anh.png not used: {reason}"])


def test_only_the_pixels_are_embedded_metadata_stays_behind(site, tmp_path):
    folder, _ = site
    (folder / "anh.png").write_bytes(png(64, 48, text=b"GPS 10.45N 105.63E " + SECRET))
    (folder / "anh.jpg").write_bytes(jpeg_with_exif(tmp_path, b"GPS 10.45N 105.63E " + SECRET))
    for name, mime in (("anh.png", "image/png"), ("anh.jpg", "image/jpeg")):
        found, warnings = cover_of(folder, name)
        assert warnings == [] and found.mime == mime
        assert image_size(found.data) == (64, 48)
        assert SECRET not in found.data and b"GPS" not in found.data and b"Exif" not in found.data


def test_a_large_image_is_scaled_down_to_3000_pixels(site):
    folder, _ = site
    (folder / "rong.png").write_bytes(png(4000, 20))
    found, _ = cover_of(folder, "rong.png")
    assert image_size(found.data) == (3000, 15)


def test_a_decompression_bomb_and_a_slow_decoder_are_cut_short():
    # 20000 x 20000 pixels claimed by a 60-byte file: the decoder refuses before allocating 1.2 GB.
    bomb = png(2, 2).replace(struct.pack(">II", 2, 2), struct.pack(">II", 20000, 20000))
    started = time.monotonic()
    assert audio.reencode_image(bomb, "png", 3000, cover.MAX_PIXELS, timeout_s=10) is None
    assert time.monotonic() - started < 10  # lenient: the machine may be busy
    # An image that takes too long: ffmpeg is killed and the picture not used.
    assert audio.reencode_image(png(), "png", 3000, cover.MAX_PIXELS, timeout_s=0.001) is None
    assert audio.reencode_image(png(), "png", 3000, cover.MAX_PIXELS, timeout_s=10) is not None


def test_ffmpeg_missing_is_a_tool_error_not_a_bad_cover(site, monkeypatch):
    folder, _ = site
    (folder / "anh.png").write_bytes(png())

    def gone() -> str:
        raise ToolError("ffmpeg not found: install ffmpeg or the imageio-ffmpeg package")

    monkeypatch.setattr(runner, "ffmpeg_path", gone)
    with pytest.raises(ToolError, match="ffmpeg not found"):
        cover_of(folder, "anh.png")


# --- web pages: the image is a URL, only a copy beside the page is used -------------------------------------


@pytest.mark.parametrize("image", ["{outside}/that.png", "file://{outside}/that.png", "../ngoai/that.png",
                                   "https://x.vn/a/%2e%2e%2f%2e%2e%2fngoai%2fthat.png"])
def test_a_pages_image_is_looked_for_only_beside_the_page(site, image):
    folder, outside = site
    found, warnings = cover_of(folder, image.format(outside=outside), name="trang.html")
    assert found is None
    assert warnings == [f"{folder / 'trang.html'}: cover image is a web address and no copy named that.png is "
                        "beside the article or in images/ there; built without a cover"]


def test_a_pages_image_address_with_a_control_character_or_no_name_is_refused(site):
    folder, _ = site
    assert cover_of(folder, "https://x.vn/a%0Afake-log-line.png", name="trang.html")[1] == [
        f"{folder / 'trang.html'}: cover image not used: its address names no file"]
    assert cover_of(folder, "https://x.vn/", name="trang.html")[1] == [
        f"{folder / 'trang.html'}: cover image not used: its address names no file"]
    assert cover_of(folder, "data:image/png;base64,iVBORw0KGgo=", name="trang.html")[1] == [
        f"{folder / 'trang.html'}: cover image not used: an inline data: image; name an image file beside the "
        "article"]


# --- URLs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                                 "file:///etc/passwd", "/kinh-te/bai.html", "bai.html", "//evil.example/x",
                                 "https://user:pass@evil.example/", "ftp://a.vn/bai", "https://", "http://[::1/x"])
def test_only_http_urls_are_kept_from_front_matter(tmp_path, url):
    article = tmp_path / "bai.md"
    article.write_text(f"---\ntitle: Tựa\nurl: {json.dumps(url)}\n---\n\nNội dung bài.\n", encoding="utf-8")
    assert read_article(str(article)).url is None


def test_an_http_url_is_kept_ascii_for_the_tag():
    assert web_address("https://Báo.vn/kinh-tế/bài 1.html?q=ă#đ") == (
        "https://xn--bo-mia.vn/kinh-t%E1%BA%BF/b%C3%A0i%201.html?q=%C4%83#%C4%91")
    assert web_address('https://a.vn/"><script>') == "https://a.vn/%22%3E%3Cscript%3E"


def test_a_page_falls_back_past_bad_urls_to_the_first_http_one(tmp_path):
    from readaloud.text.reader_html import parse_html

    def url_of(head: str) -> str | None:
        return parse_html(f"<html><head>{head}</head><body><h1>Tựa</h1><p>Nội dung.</p></body></html>", "a.html").url

    canonical = "<link rel='canonical' href='javascript:alert(1)'>"
    og = "<meta property='og:url' content='file:///etc/passwd'>"
    ld = ("<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"url\": \"https://a.vn/bai\"}"
          "</script>")
    assert url_of(canonical + og + ld) == "https://a.vn/bai"
    assert url_of(canonical + og) is None
    assert url_of("<link rel='canonical' href='/bai.html'><meta property='og:url' content='https://a.vn/2'>") == (
        "https://a.vn/2")


# --- real builds ----------------------------------------------------------------------------------------------


@pytest.fixture
def settings_file(tmp_path) -> Path:
    path = tmp_path / "readaloud.toml"
    path.write_text("[engine]\nname = \"espeak\"\n[loudness]\nenabled = false\n"
                    f"[cache]\ndir = \"{tmp_path / 'cache'}\"\n", encoding="utf-8")
    return path


def build(settings: Path, article: Path, out: Path):
    run = cli_runner().invoke(cli, ["--config", str(settings), "build", str(article), "-o", str(out), "--json"])
    return run, json.loads(run.stdout) if run.stdout.strip() else None


def inspected(out: Path) -> dict:
    run = cli_runner().invoke(cli, ["inspect", str(out), "--json"])
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def test_a_secret_behind_a_png_signature_never_reaches_the_mp3(site, settings_file, tmp_path):
    folder, _ = site
    (folder / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET + b"\n")
    article = folder / "bai.md"
    article.write_text("---\ntitle: Bài thử\nimage: secret.png\nurl: \"javascript:alert(1)\"\n---\n\n"
                       "Một câu ngắn để đọc.\n", encoding="utf-8")
    out = tmp_path / "out" / "bai.mp3"
    run, summary = build(settings_file, article, out)
    assert run.exit_code == 0, run.output  # a normal build: no ffmpeg failure (point 16)
    assert summary["warnings"] == [f"{article}: cover image secret.png not used: not a PNG image that can be decoded"]
    data = out.read_bytes()
    assert SECRET not in data and b"javascript" not in data
    tags = ID3(out)
    assert tags.getall("APIC") == [] and tags.getall("WOAS") == []
    found = inspected(out)
    assert found["cover"] is None and found["url"] is None


def test_an_image_outside_the_folder_is_not_published_and_not_named(site, settings_file, tmp_path):
    folder, outside = site
    article = folder / "bai.md"
    article.write_text(f"---\ntitle: Bài thử\nimage: {outside / 'that.png'}\nurl: https://a.vn/bài\n---\n\n"
                       "Một câu ngắn để đọc.\n", encoding="utf-8")
    out = tmp_path / "out" / "bai.mp3"
    run, summary = build(settings_file, article, out)
    assert run.exit_code == 0, run.output
    assert summary["warnings"] == [f"{article}: cover image not used: outside the article's folder"]
    assert str(outside) not in run.stderr
    assert SECRET not in out.read_bytes() and ID3(out).getall("APIC") == []
    assert ID3(out).getall("WOAS")[0].url == "https://a.vn/b%C3%A0i"  # non-ASCII used to crash the tagger


def test_a_pages_copy_in_images_is_re_encoded_into_the_mp3(site, settings_file, tmp_path):
    folder, _ = site
    (folder / "images" / "anh-bia.png").write_bytes(png(64, 48, text=SECRET))
    page = folder / "trang.html"
    page.write_text("<html><head><meta property='og:image' content='/uploads/anh-bia.png'>"
                    "<link rel='canonical' href='javascript:alert(1)'>"
                    "<meta property='og:url' content='https://baodongthap.vn/bai-1.html'></head>"
                    "<body><article><h1>Bài thử</h1><p>Một câu ngắn để đọc.</p></article></body></html>",
                    encoding="utf-8")
    out = tmp_path / "out" / "trang.mp3"
    run, summary = build(settings_file, page, out)
    assert run.exit_code == 0, run.output
    assert summary["warnings"] == []
    (apic,) = ID3(out).getall("APIC")
    assert apic.mime == "image/png" and image_size(apic.data) == (64, 48)
    assert SECRET not in out.read_bytes()
    found = inspected(out)
    assert found["cover"] == "image/png" and found["url"] == "https://baodongthap.vn/bai-1.html"
