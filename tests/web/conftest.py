"""Fixtures for the browser tests: one Chromium for the whole folder (package scope: it starts once, about a
second, and is closed when the folder's last test is done), a fresh context (profile, localStorage) for each
page, loopback file servers, and one short Vietnamese article built with espeak-ng for them all."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import SAMPLES
from tests.helpers.browser import (
    CHROMIUM_ARGS,
    StaticServer,
    browser_required,
    build,
    find_chromium,
    readaloud,
    vtt_cues,
)

# Written for these tests: a title, a heading (so two ID3 chapters) and two paragraphs of two sentences.
ARTICLE = """# Hà Nội mở thêm tuyến xe buýt điện

Sáng nay, thành phố đưa vào hoạt động ba tuyến xe buýt điện mới. Mỗi tuyến có mười hai xe chạy từ năm giờ \
sáng đến mười giờ tối.

## Người dân nói gì

Nhiều hành khách cho biết xe chạy êm và sạch sẽ. Giá vé vẫn giữ nguyên như các tuyến cũ.
"""

PAGE_TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, launched by Playwright (never a browser of Playwright's own)."""
    executable = find_chromium()
    if executable is None:
        chosen = os.environ.get("TESTS_CHROMIUM")
        reason = (f"TESTS_CHROMIUM={chosen} is no executable" if chosen else
                  "no Chromium (apt-get install chromium; .ci/run does it; or set TESTS_CHROMIUM to one)")
        if browser_required():
            pytest.fail(f"TESTS_NEED_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """new_page(**context_options): a page in a context of its own (java_script_enabled=False, viewport,
    device_scale_factor, reduced_motion...), closed after the test."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(scope="package")
def serve() -> Iterator[Callable[[Path], StaticServer]]:
    """serve(folder) -> a StaticServer on 127.0.0.1; all of them stop when the folder's tests are done."""
    servers: list[StaticServer] = []

    def start(folder: Path) -> StaticServer:
        servers.append(StaticServer(Path(folder)))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


@pytest.fixture(scope="package")
def article(tmp_path_factory) -> tuple[Path, dict]:
    """(the MP3, its build summary): ARTICLE built once for every browser test; its .vtt lies beside it."""
    folder = tmp_path_factory.mktemp("article")
    summary = build(folder, "xe-buyt-dien", ARTICLE)
    return folder / "xe-buyt-dien.mp3", summary


@dataclass
class Player:
    """A sample built and its player written by `readaloud player`, served over loopback."""

    server: StaticServer
    mp3: Path
    summary: dict  # the build's JSON summary
    files: dict  # what `readaloud player --json` wrote: fragment, page, css, js

    @property
    def page_url(self) -> str:
        return self.server.url(Path(self.files["page"]).name)

    def cues(self) -> list[tuple[float, float, str]]:
        return vtt_cues(self.mp3.with_suffix(".vtt"))


@pytest.fixture(scope="package")
def player(tmp_path_factory, serve) -> Player:
    """samples/khai-giang.md (1:45, 28 cues, 4 chapters: long enough for the transcript to scroll) built
    with espeak-ng, then `readaloud player khai-giang.mp3`: khai-giang.demo.html and the rest beside it."""
    folder = tmp_path_factory.mktemp("player")
    summary = build(folder, "khai-giang", (SAMPLES / "khai-giang.md").read_text(encoding="utf-8"))
    mp3 = folder / "khai-giang.mp3"
    written = readaloud(folder, "player", mp3)
    assert written["ok"] is True and len(written["players"]) == 1, written
    return Player(serve(folder), mp3, summary, written["players"][0])
