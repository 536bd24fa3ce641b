"""Fixtures for the browser tests: one Chromium for the whole folder (package scope: it starts once, about a
second, and is closed when the folder's last test is done), a fresh context (profile, localStorage) for each
page, loopback file servers, and one short Vietnamese article built with espeak-ng for them all."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from readaloud.cli import cli
from tests.helpers import cli_runner
from tests.helpers.browser import CHROMIUM_ARGS, StaticServer, browser_required, find_chromium

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
        reason = "no Chromium (apt-get install chromium; .ci/run does it; or set TESTS_CHROMIUM to one)"
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


def build(folder: Path, name: str, text: str) -> dict:
    """`readaloud build {name}.md --engine espeak --json` in `folder` (offline, a few seconds), with user
    folders of its own; returns the JSON summary (duration_s, chapters, captions...)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.md"
    source.write_text(text, encoding="utf-8")
    home = folder / ".home"
    env: dict[str, str | None] = {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("CONFIG", "CACHE", "DATA")}
    env.update({var: None for var in os.environ if var.startswith("READALOUD_")})
    result = cli_runner().invoke(cli, ["build", str(source), "-o", str(folder / f"{name}.mp3"), "--engine", "espeak",
                                       "--json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="package")
def article(tmp_path_factory) -> tuple[Path, dict]:
    """(the MP3, its build summary): ARTICLE built once for every browser test; its .vtt lies beside it."""
    folder = tmp_path_factory.mktemp("article")
    summary = build(folder, "xe-buyt-dien", ARTICLE)
    return folder / "xe-buyt-dien.mp3", summary
