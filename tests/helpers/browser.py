"""A real browser for the player's tests: Debian's Chromium driven by Playwright, a loopback file server that
answers Range requests (Chromium seeks an MP3 with them), axe-core's audit, and screenshots kept after the run.

Playwright never downloads a browser here: it launches /usr/bin/chromium (or `chromium` on PATH, or the
path in TESTS_CHROMIUM), which `.ci/run` installs from Debian's package. Where none is found the browser
tests are skipped with that reason, unless TESTS_NEED_BROWSER=1 (CI sets it): then they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from readaloud.cli import cli
from tests.helpers import ROOT, cli_runner

SCREENSHOTS = ROOT / "out" / "screenshots"

# Headless, as root, offline: without the background-networking switches Chromium keeps calling out to a
# network that is not there. No --autoplay-policy switch: the tests press Play as a listener would.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def find_chromium() -> str | None:
    """TESTS_CHROMIUM when set (it must then exist), else Debian's /usr/bin/chromium, else `chromium` on PATH."""
    chosen = os.environ.get("TESTS_CHROMIUM")
    if chosen:
        return chosen if os.access(chosen, os.X_OK) else None
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    return shutil.which("chromium")


def browser_required() -> bool:
    return os.environ.get("TESTS_NEED_BROWSER") == "1"


@dataclass
class Served:
    """One request the server answered: its path, its Range header ("" when none) and the status."""

    path: str
    range: str
    status: int


@dataclass
class StaticServer:
    """A folder served over HTTP on 127.0.0.1 (a free port) by Starlette's StaticFiles under uvicorn, in a
    thread: Range requests are answered 206, nothing is cached (so every seek reaches the server and is
    logged in `served`), and a missing file is a plain 404."""

    folder: Path
    served: list[Served] = field(default_factory=list)

    def __post_init__(self) -> None:
        import uvicorn
        from starlette.applications import Starlette
        from starlette.routing import Mount
        from starlette.staticfiles import StaticFiles

        files = Starlette(routes=[Mount("/", StaticFiles(directory=self.folder))])

        async def app(scope, receive, send):
            if scope["type"] != "http":
                return await files(scope, receive, send)
            asked = dict(scope["headers"]).get(b"range", b"").decode()

            async def logged(message):
                if message["type"] == "http.response.start":
                    message["headers"] = [*message.get("headers", []), (b"cache-control", b"no-store")]
                    self.served.append(Served(scope["path"], asked, message["status"]))
                await send(message)

            await files(scope, receive, logged)

        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = int(self._socket.getsockname()[1])
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False))
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the static server for {self.folder} did not start")
            time.sleep(0.01)

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def ranges(self, path: str) -> list[Served]:
        """The requests for `path` that asked for a byte range."""
        wanted = "/" + path.lstrip("/")
        return [s for s in self.served if s.path == wanted and s.range]

    def close(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._socket.close()


# --- axe-core -------------------------------------------------------------------------------------------------

def axe_violations(page, context: object = None, options: dict | None = None) -> list[dict]:
    """axe-core's violations on the page as it is now (axe_playwright_python's bundled axe.min.js, every
    rule it runs by default: colour contrast included).

    axe.run waits on timers, and a page whose JavaScript is off runs none (the call would never return):
    such a page is audited through a twin, the same URL, viewport, pixel ratio, colour scheme and motion
    preference in a context with JavaScript on and every script request refused, once its DOM is shown to
    be the same as the page's."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], **(options or {})}
    assert "color-contrast" not in str(options.get("rules", {})), "colour contrast must stay on"
    if not page.evaluate("matchMedia('(scripting: none)').matches"):
        return list(Axe().run(page, context=context, options=options).response["violations"])
    # CSS written for (scripting: none) would apply on the page and not on its twin: there is none to miss.
    media = page.evaluate("""() => [...document.styleSheets].flatMap(sheet => [...sheet.cssRules])
        .filter(rule => rule.media && /scripting/.test(rule.media.mediaText)).length""")
    assert media == 0, "a stylesheet has (scripting) media rules: the twin page would not show them"
    seen = page.evaluate("""() => [devicePixelRatio, matchMedia('(prefers-color-scheme: dark)').matches,
                                   matchMedia('(prefers-reduced-motion: reduce)').matches]""")
    twin_context = page.context.browser.new_context(
        viewport=page.viewport_size, device_scale_factor=seen[0], color_scheme="dark" if seen[1] else "light",
        reduced_motion="reduce" if seen[2] else "no-preference")
    try:
        twin = twin_context.new_page()
        twin.route("**/*", lambda route: route.abort() if route.request.resource_type == "script"
                   else route.continue_())
        twin.goto(page.url)
        assert twin.content() == page.content(), "the twin's DOM differs from the page's with JavaScript off"
        return list(Axe().run(twin, context=context, options=options).response["violations"])
    finally:
        twin_context.close()


def axe_report(violations: list[dict]) -> str:
    """One line a violation (rule, impact, help, how many nodes), then each node's selector and summary."""
    lines = [f"{len(violations)} axe-core violation(s):"]
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v.get('help')} [{len(v['nodes'])} node(s)]")
        for node in v["nodes"][:8]:
            target = " ".join(" >> ".join(t) if isinstance(t, list) else t for t in node["target"])
            why = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {why[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    (+{len(v['nodes']) - 8} more)")
    return "\n".join(lines)


def assert_accessible(page, context: object = None) -> None:
    violations = axe_violations(page, context)
    assert not violations, axe_report(violations)


# --- screenshots ------------------------------------------------------------------------------------------------

def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a PNG of the page as out/screenshots/{name}.png under the repository (out/ is git-ignored, and
    kept after the run for a person to look at); returns the path, which is also printed."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
    path = SCREENSHOTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    print(f"screenshot: {path}")
    return path


# --- WebVTT, read back to compare with what the browser parsed ------------------------------------------------

_TIME = re.compile(r"(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})")


def _seconds(stamp: str) -> float:
    m = _TIME.fullmatch(stamp.strip())
    assert m, f"not a WebVTT time: {stamp!r}"
    hours, minutes, seconds, millis = m.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def vtt_cues(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue in a WebVTT file, the text's lines joined by a newline."""
    cues = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line]
        for i, line in enumerate(lines):
            if "-->" in line:
                start, end = line.split("-->")
                cues.append((_seconds(start), _seconds(end.split()[0]), "\n".join(lines[i + 1:])))
                break
    return cues


# --- articles built and players written through the CLI -------------------------------------------------

def readaloud(folder: Path, *args: object) -> dict:
    """`readaloud ARGS --json` through the CLI, with user folders of its own under `folder` (this runs before
    the per-test isolation applies); returns the JSON it printed."""
    home = folder / ".home"
    env: dict[str, str | None] = {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("CONFIG", "CACHE", "DATA")}
    env.update({var: None for var in os.environ if var.startswith("READALOUD_")})
    result = cli_runner().invoke(cli, [str(arg) for arg in args] + ["--json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def build(folder: Path, name: str, text: str) -> dict:
    """`readaloud build {name}.md --engine espeak` in `folder` (offline, a few seconds); returns the JSON
    summary (duration_s, chapters, captions...)."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.md"
    source.write_text(text, encoding="utf-8")
    return readaloud(folder, "build", source, "-o", folder / f"{name}.mp3", "--engine", "espeak")
