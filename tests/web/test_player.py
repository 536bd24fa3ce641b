"""The listening player (issue 16) in Chromium: the page `readaloud player X.mp3` writes (X.demo.html), driven
as a listener would, with the mouse or the keyboard alone, with JavaScript on and off, at phone width and at
200% zoom, and audited by axe-core.

The DOM contract these tests hold the player to: a section.ra-player[data-ra-player] (data-ra-ready once its
script has run) around the native <audio class="ra-audio"> and its captions track; with JavaScript the
native controls give way to .ra-controls (play, -10 s, +10 s, speed buttons, a seek slider, the time);
chapters are nav.ra-chapters button.ra-chapter[data-start]; the transcript .ra-transcript holds one
.ra-cue[data-start][data-end] per caption cue, the one being spoken marked .ra-current, aria-current="true".
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.helpers.browser import assert_accessible, axe_report, axe_violations, readaloud, screenshot

AUDIO = "document.querySelector('.ra-audio')"
RATES = [0.75, 1, 1.25, 1.5, 1.75, 2]

# What the page says about the transcript's highlight: the current cues' starts, and which cue is due.
HIGHLIGHT = """() => {
    const t = document.querySelector('.ra-audio').currentTime;
    const cues = Array.from(document.querySelectorAll('.ra-transcript .ra-cue'));
    let due = -1;
    cues.forEach((cue, i) => { if (parseFloat(cue.dataset.start) <= t + 1e-3) due = i; });
    return {time: t, due: due,
            current: cues.flatMap((cue, i) => cue.classList.contains('ra-current') ? [i] : []),
            ariaCurrent: cues.flatMap((cue, i) => cue.getAttribute('aria-current') === 'true' ? [i] : [])};
}"""

# The transcript's own scroll box: the first element from .ra-transcript down whose overflow scrolls.
SCROLL_BOX = """() => {
    const all = [document.querySelector('.ra-transcript'),
                 ...document.querySelectorAll('.ra-transcript *')];
    return all.find(el => /(auto|scroll)/.test(getComputedStyle(el).overflowY)) || null;
}"""


def until(page, expression: str, arg: object = None, timeout: float = 15_000) -> None:
    """Wait until `expression` (or function of `arg`) is truthy in the page, asking every 50 ms from here.
    Not page.wait_for_function: it polls with the page's own timers, which never fire in a page whose
    JavaScript is off (only its first check runs there)."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression, arg):
        if time.monotonic() > deadline:
            raise PlaywrightTimeout(f"waited {timeout / 1000:g} s for {expression[:200]}")
        page.wait_for_timeout(50)


def open_player(new_page, player, **context):
    """The demo page, loaded; with JavaScript on, once the player has marked itself ready; the audio's
    length known."""
    page = new_page(**context)
    page.goto(player.page_url)
    if context.get("java_script_enabled", True):
        page.wait_for_selector("[data-ra-player][data-ra-ready]", state="attached")
    until(page, f"{AUDIO}.readyState >= 1")
    return page


def now(page) -> float:
    return page.evaluate(f"{AUDIO}.currentTime")


def settle(page) -> None:
    """Wait until no seek is under way (the audio has moved to where it was asked)."""
    until(page, f"!{AUDIO}.seeking")


def seek_to(page, seconds: float) -> None:
    """Move the audio to `seconds` as any script on the page could (the player must follow)."""
    page.evaluate(f"{AUDIO}.currentTime = {seconds}")
    settle(page)


def highlight_settles(page, timeout_s: float = 3.0) -> dict:
    """The highlight state once the highlighted cue is the due one (or as it is after `timeout_s`)."""
    try:
        until(page, f"(() => {{ const s = ({HIGHLIGHT})(); "
                    "return s.current.length === 1 && s.current[0] === s.due; })()", timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        pass  # the caller's assertion reports what was seen
    return page.evaluate(HIGHLIGHT)


def tab_to(page, selector: str, most: int) -> None:
    """Press Tab until the focus is on `selector`; fail after `most` presses."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"{most} Tabs never reached {selector}")


def press_play(page) -> None:
    page.locator(".ra-play").click()
    until(page, f"!{AUDIO}.paused && {AUDIO}.currentTime > 0")


# --- the contract, with JavaScript on ----------------------------------------------------------------------

def test_script_replaces_native_controls_with_named_buttons(new_page, player):
    page = open_player(new_page, player)
    root = page.locator("section.ra-player[data-ra-player]")
    expect(root).to_have_attribute("lang", "vi")
    assert re.fullmatch(r"ra-[a-z0-9-]+", root.get_attribute("id") or "")
    assert (root.get_attribute("aria-label") or "").strip()
    assert page.evaluate(f"{AUDIO}.controls") is False
    expect(page.locator(".ra-controls")).to_be_visible()
    expect(page.locator(".ra-play")).to_have_accessible_name(re.compile(r"^\s*Phát\s*$"))
    expect(page.get_by_role("button", name="Lùi 10 giây", exact=True)).to_have_class(re.compile(r"\bra-back\b"))
    expect(page.get_by_role("button", name="Tới 10 giây", exact=True)).to_have_class(re.compile(r"\bra-forward\b"))
    rates = page.locator(".ra-rate[data-rate]")
    assert [float(r) for r in rates.evaluate_all("all => all.map(b => b.dataset.rate)")] == RATES
    assert rates.evaluate_all("all => all.map(b => b.tagName)") == ["BUTTON"] * len(RATES)
    assert rates.evaluate_all("all => all.map(b => b.getAttribute('aria-pressed'))") == \
        ["false", "true", "false", "false", "false", "false"]
    expect(page.locator("input.ra-seek[type=range]")).to_be_visible()
    expect(page.locator(".ra-time")).to_be_visible()


def test_play_button_plays_time_advances_and_pauses(new_page, player):
    page = open_player(new_page, player)
    play = page.locator(".ra-play")
    play.click()
    until(page, f"{AUDIO}.currentTime > 0.8")
    assert page.evaluate(f"{AUDIO}.paused") is False
    expect(play).to_have_accessible_name(re.compile(r"^\s*Tạm dừng\s*$"))
    play.click()
    until(page, f"{AUDIO}.paused")
    expect(play).to_have_accessible_name(re.compile(r"^\s*Phát\s*$"))
    stopped = now(page)
    page.wait_for_timeout(400)
    assert now(page) == stopped


def test_chapter_click_seeks_to_the_chapters_start(new_page, player):
    page = open_player(new_page, player)
    chapters = page.locator("nav.ra-chapters button.ra-chapter[data-start]")
    expect(chapters.first).to_be_visible()
    starts = [float(s) for s in chapters.evaluate_all("all => all.map(b => b.dataset.start)")]
    assert starts == pytest.approx([c["start_ms"] / 1000 for c in player.summary["chapters"]], abs=0.001)
    assert len(starts) >= 3
    for index in [2, 1, len(starts) - 1, 0]:
        chapters.nth(index).click()
        settle(page)
        assert now(page) == pytest.approx(starts[index], abs=0.25), f"chapter {index}"


def test_highlighted_sentence_is_the_cue_at_the_current_time(new_page, player):
    page = open_player(new_page, player)
    cues = player.cues()
    assert page.locator(".ra-transcript .ra-cue").count() == len(cues)
    gap = next(i for i in range(len(cues) - 1) if cues[i + 1][0] - cues[i][1] > 0.3)
    times = {"inside the 4th cue": (cues[3][0] + cues[3][1]) / 2,
             f"in the pause after cue {gap + 1}": (cues[gap][1] + cues[gap + 1][0]) / 2,
             "inside the 12th cue": (cues[11][0] + cues[11][1]) / 2,
             "after the last cue ends": cues[-1][1] + 0.05}
    for what, seconds in times.items():
        seek_to(page, min(seconds, page.evaluate(f"{AUDIO}.duration")))
        state = highlight_settles(page)
        assert state["current"] == state["ariaCurrent"] == [state["due"]], f"{what}: {state}"
    # And while it plays: from the middle of cue 8, for two seconds.
    seek_to(page, (cues[7][0] + cues[7][1]) / 2)
    press_play(page)
    page.wait_for_timeout(2000)
    page.locator(".ra-play").click()
    until(page, f"{AUDIO}.paused")
    state = highlight_settles(page)
    assert state["current"] == state["ariaCurrent"] == [state["due"]], f"after playing: {state}"


def test_clicking_a_cue_seeks_to_its_start(new_page, player):
    page = open_player(new_page, player)
    cue = page.locator(".ra-transcript .ra-cue").nth(9)
    expect(cue).to_have_js_property("tagName", "BUTTON")
    start = float(cue.get_attribute("data-start"))
    cue.click()
    settle(page)
    assert now(page) == pytest.approx(start, abs=0.25)
    expect(cue).to_have_class(re.compile(r"\bra-current\b"))
    expect(cue).to_have_attribute("aria-current", "true")


def test_speed_buttons_set_the_playback_rate(new_page, player):
    page = open_player(new_page, player)
    press_play(page)
    for rate in [1.5, 0.75, 2, 1]:
        page.locator(f".ra-rate[data-rate='{rate:g}']").click()
        assert page.evaluate(f"{AUDIO}.playbackRate") == rate
        pressed = page.locator(".ra-rate").evaluate_all(
            "all => all.map(b => [parseFloat(b.dataset.rate), b.getAttribute('aria-pressed')])")
        assert pressed == [[r, "true" if r == rate else "false"] for r in RATES], pressed


def test_keyboard_alone_plays_and_seeks(new_page, player):
    """No mouse: Tab to Play (its focus visible), Space plays and pauses, ArrowRight +10 s, ArrowLeft -10 s,
    End, Home; the keys work from another button of the player too."""
    page = open_player(new_page, player)
    tab_to(page, ".ra-play", 25)
    focus = page.evaluate("""() => { const el = document.activeElement, s = getComputedStyle(el);
        return [el.matches(':focus-visible'), s.outlineStyle, s.outlineWidth]; }""")
    assert focus[0] is True and focus[1] != "none" and focus[2] != "0px", focus

    page.keyboard.press("Space")
    until(page, f"!{AUDIO}.paused && {AUDIO}.currentTime > 0.5")
    page.keyboard.press("Space")
    until(page, f"{AUDIO}.paused")
    start = now(page)
    page.keyboard.press("ArrowRight")
    settle(page)
    assert now(page) == pytest.approx(start + 10, abs=0.3)
    page.keyboard.press("ArrowRight")
    settle(page)
    page.keyboard.press("ArrowLeft")
    settle(page)
    assert now(page) == pytest.approx(start + 10, abs=0.3)
    page.keyboard.press("End")
    settle(page)
    assert now(page) == pytest.approx(page.evaluate(f"{AUDIO}.duration"), abs=0.3)
    page.keyboard.press("Home")
    settle(page)
    assert now(page) == pytest.approx(0, abs=0.3)
    assert page.evaluate(f"{AUDIO}.paused") is True, "seeking by key must not start playing by itself"

    page.keyboard.press("Tab")  # on to the next control: -10 s
    assert page.evaluate("document.activeElement.closest('[data-ra-player]') !== null")
    assert not page.evaluate("document.activeElement.matches('input, textarea, select')")
    page.keyboard.press("ArrowRight")
    settle(page)
    assert now(page) == pytest.approx(10, abs=0.3), "ArrowRight from another button of the player"


def test_space_on_a_link_of_the_player_toggles_play(new_page, player):
    """The contract: Space toggles play/pause with the focus anywhere in the player but a text or range input.
    A button keeps Space for its own action (a chapter seeks, a speed is chosen); a link has none (Enter
    follows it; Space would only scroll the page), so there Space is the player's."""
    page = open_player(new_page, player, viewport={"width": 1280, "height": 600})
    tab_to(page, ".ra-download", 40)
    page.keyboard.press("Space")
    try:
        until(page, f"!{AUDIO}.paused", timeout=3000)
    except PlaywrightTimeout:
        pytest.fail(f"Space on the MP3 link did not play; the page scrolled to y={page.evaluate('scrollY')}")


def test_transcript_keys_move_between_cues_and_seek(new_page, player):
    """Roving tabindex: one cue in the Tab order; ArrowDown/ArrowUp move the focus; Enter seeks there and
    Space plays from there (no trip back to the play button)."""
    page = open_player(new_page, player)
    cues = page.locator(".ra-transcript .ra-cue")
    tabbable = cues.evaluate_all("all => all.filter(c => c.tabIndex === 0).length")
    assert tabbable == 1
    tab_to(page, ".ra-transcript .ra-cue", 60)
    index = lambda: page.evaluate(  # noqa: E731
        "Array.from(document.querySelectorAll('.ra-transcript .ra-cue')).indexOf(document.activeElement)")
    first = index()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert index() == first + 2
    page.keyboard.press("ArrowUp")
    assert index() == first + 1
    assert cues.evaluate_all("all => all.filter(c => c.tabIndex === 0).length") == 1
    assert cues.nth(first + 1).evaluate("c => c.tabIndex") == 0
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    assert now(page) == pytest.approx(float(cues.nth(first + 3).get_attribute("data-start")), abs=0.25)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    assert now(page) == pytest.approx(float(cues.nth(first + 4).get_attribute("data-start")), abs=0.25)
    page.keyboard.press("Space")
    until(page, f"!{AUDIO}.paused && {AUDIO}.currentTime > {now(page) + 0.3}")
    page.keyboard.press("Space")
    until(page, f"{AUDIO}.paused")
    assert index() == first + 4


@pytest.mark.parametrize("width", [360, 1280])
def test_transcript_scrolls_its_own_box_to_the_current_cue(new_page, player, width):
    """The page is taller than the window (so a scrollIntoView would show), and stays where it is."""
    page = open_player(new_page, player, viewport={"width": width, "height": 600})
    box = page.evaluate_handle(SCROLL_BOX)
    assert page.evaluate("box => box !== null", box), "the transcript has no scroll box of its own"
    assert page.evaluate("box => box.scrollHeight > box.clientHeight + 20", box), "too short to test"
    assert page.evaluate("document.documentElement.scrollHeight > innerHeight + 100"), "the page cannot scroll"
    page_scroll = page.evaluate("[window.scrollX, window.scrollY]")
    cues = player.cues()
    seek_to(page, (cues[-3][0] + cues[-3][1]) / 2)
    highlight_settles(page)
    visible = """box => { const cue = box.querySelector('.ra-current'); if (!cue) return false;
        const c = cue.getBoundingClientRect(), b = box.getBoundingClientRect();
        return c.top >= b.top - 1 && c.bottom <= b.bottom + 1; }"""
    until(page, visible, arg=box, timeout=3000)
    assert page.evaluate("box => box.scrollTop", box) > 0
    assert page.evaluate("[window.scrollX, window.scrollY]") == page_scroll, "the page scrolled, not the box"


def test_position_and_rate_are_remembered_across_a_reload(new_page, player):
    page = open_player(new_page, player)
    # Kept under the MP3's address: one article shares its place between its own page and an index, and
    # two articles whose files have one name in two folders do not.
    key = "readaloud:position:" + page.evaluate(f"{AUDIO}.src")
    assert key.endswith(".mp3") and key.startswith("readaloud:position:http://127.0.0.1:")
    page.locator(".ra-rate[data-rate='1.25']").click()
    page.locator("button.ra-chapter").nth(1).click()
    settle(page)
    press_play(page)
    page.wait_for_timeout(1500)
    page.locator(".ra-play").click()
    until(page, f"{AUDIO}.paused")
    left_at = now(page)
    assert left_at > 5
    saved = page.evaluate("key => localStorage.getItem(key)", key)
    assert saved is not None, f"nothing under {key}"

    page.reload()
    page.wait_for_selector("[data-ra-player][data-ra-ready]", state="attached")
    until(page, f"{AUDIO}.readyState >= 1 && {AUDIO}.currentTime > 0", timeout=5000)
    assert now(page) == pytest.approx(left_at, abs=1.0)
    assert page.evaluate(f"{AUDIO}.playbackRate") == 1.25
    expect(page.locator(".ra-rate[data-rate='1.25']")).to_have_attribute("aria-pressed", "true")


def test_transcript_is_not_live_and_status_is(new_page, player):
    page = open_player(new_page, player)
    live = page.evaluate("""() => { const t = document.querySelector('.ra-transcript');
        return [t, ...t.querySelectorAll('*')].filter(el => el.hasAttribute('aria-live') ||
            ['log', 'status', 'alert', 'marquee', 'timer'].includes(el.getAttribute('role')))
            .map(el => el.outerHTML.slice(0, 80)); }""")
    assert live == []
    for status in page.locator(".ra-status").all():
        expect(status).to_have_attribute("role", "status")


def test_reduced_motion_means_no_smooth_scroll_nor_transitions(new_page, player):
    page = open_player(new_page, player)
    page.emulate_media(reduced_motion="reduce")
    box = page.evaluate_handle(SCROLL_BOX)
    assert page.evaluate("box => box !== null", box)
    assert page.evaluate("box => getComputedStyle(box).scrollBehavior", box) == "auto"
    moving = page.evaluate("""() => [...document.querySelectorAll('.ra-player, .ra-player *')].filter(el => {
        const s = getComputedStyle(el);
        const long = v => v.split(',').some(d => parseFloat(d) > 0);
        return long(s.transitionDuration) || (s.animationName !== 'none' && long(s.animationDuration));
    }).map(el => el.className)""")
    assert moving == []


# --- JavaScript off ------------------------------------------------------------------------------------------

def test_without_javascript_the_page_still_plays(new_page, player):
    page = open_player(new_page, player, java_script_enabled=False)
    assert page.locator("[data-ra-ready]").count() == 0
    audio = page.locator(".ra-audio")
    expect(audio).to_be_visible()
    assert page.evaluate(f"{AUDIO}.controls") is True
    expect(page.locator(".ra-controls")).to_be_hidden()
    download = page.locator(".ra-download")
    expect(download).to_be_visible()
    href = download.evaluate("a => a.href")
    assert href.endswith(player.mp3.name)
    got = page.request.get(href)
    assert got.status == 200 and got.body() == player.mp3.read_bytes()
    link = page.locator(".ra-transcript-link")
    expect(link).to_be_visible()
    target = link.evaluate("a => { const t = document.getElementById(decodeURIComponent(a.hash.slice(1)));"
                           " return t && t.matches('.ra-transcript') ? t.id : null; }")
    assert target and target.startswith("ra-") and target.endswith("-transcript")
    cues = page.locator(".ra-transcript .ra-cue")
    assert cues.count() == len(player.cues())
    assert set(cues.evaluate_all("all => all.map(c => c.tagName)")) == {"SPAN"}
    link.click()
    expect(page.locator(f"#{target}")).to_be_in_viewport()
    box = audio.bounding_box()
    audio.click(position={"x": 26, "y": box["height"] / 2})  # the native Play
    until(page, f"{AUDIO}.currentTime > 0.5")
    assert page.evaluate(f"{AUDIO}.paused") is False


# --- axe-core, layout, screenshots -------------------------------------------------------------------------

@pytest.mark.parametrize(("js", "width", "scheme"), [(True, 1280, "light"), (False, 1280, "light"),
                                                    (True, 360, "light"), (True, 1280, "dark")],
                         ids=["js-1280", "no-js-1280", "js-360", "js-1280-dark"])
def test_axe_finds_no_violations(new_page, player, js, width, scheme):
    page = open_player(new_page, player, java_script_enabled=js, viewport={"width": width, "height": 800},
                       color_scheme=scheme)
    if js:  # with a sentence highlighted and a speed announced: their colours are audited too
        page.locator(".ra-rate[data-rate='1.25']").click()
        cues = player.cues()
        seek_to(page, (cues[3][0] + cues[3][1]) / 2)
        highlight_settles(page)
    violations = axe_violations(page)
    assert not violations, axe_report(violations)


def test_axe_runs_colour_contrast(new_page, player):
    """The audits above include the color-contrast rule: axe lists it among the rules it applied."""
    page = open_player(new_page, player)
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"resultTypes": ["passes"]}).response
    applied = {rule["id"] for rule in result["passes"] + result["violations"] + result["incomplete"]}
    assert "color-contrast" in applied


@pytest.mark.parametrize(("viewport", "scale", "js"), [(360, 1, True), (640, 2, True), (360, 1, False)],
                         ids=["360px", "zoom-200%", "360px-no-js"])
def test_no_horizontal_scroll_and_every_control_visible(new_page, player, viewport, scale, js):
    """At 360 CSS px, and at 200% zoom of a 1280 px window. Chromium's page zoom lays the page out in a
    viewport of window/zoom CSS px with devicePixelRatio x zoom: viewport 640 px at device_scale_factor 2
    is what 200% zoom gives the page (media queries, container queries, vw units alike); CSS `zoom` on the
    root would not be (viewport units and media queries would still see 1280 px)."""
    page = open_player(new_page, player, java_script_enabled=js, device_scale_factor=scale,
                       viewport={"width": viewport, "height": 800})
    assert page.evaluate("window.innerWidth") == viewport
    sizes = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], f"horizontal scroll: scrollWidth {sizes[0]} > clientWidth {sizes[1]}"
    if js:
        controls = [".ra-play", ".ra-back", ".ra-forward", ".ra-rate", ".ra-seek", ".ra-time", ".ra-chapter",
                    ".ra-download", ".ra-transcript-link", ".ra-transcript .ra-cue"]
    else:
        controls = [".ra-audio", ".ra-download", ".ra-transcript-link"]
    hidden = page.evaluate("""([selectors, width]) => selectors.flatMap(selector => {
        const found = [...document.querySelectorAll(selector)];
        if (!found.length) return [selector + ': none'];
        return found.flatMap(el => {
            const box = el.getBoundingClientRect();
            const seen = el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) &&
                box.width > 0 && box.height > 0 && box.left >= -0.5 && box.right <= width + 0.5;
            return seen ? [] : [`${selector}: ${Math.round(box.left)}..${Math.round(box.right)} px`];
        });
    })""", [controls, sizes[1]])
    assert hidden == [], f"not visible, or out of the {sizes[1]} px width: {hidden}"


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshots(new_page, player, width):
    """out/screenshots/player-360.png and player-1280.png, a sentence highlighted, for a person to look at."""
    page = open_player(new_page, player, viewport={"width": width, "height": 800})
    cues = player.cues()
    seek_to(page, (cues[4][0] + cues[4][1]) / 2)
    highlight_settles(page)
    page.locator(".ra-rate[data-rate='1.25']").click()
    path = screenshot(page, f"player-{width}")
    assert path.exists() and path.stat().st_size > 5000


def test_demo_index_of_two_articles_is_accessible(new_page, player, article, serve, tmp_path_factory):
    """`readaloud player a.mp3 b.mp3 --index`: two players on one page; unique ids, each its own keys."""
    folder = player.mp3.parent
    other = folder / article[0].name
    if not other.exists():
        for suffix in (".mp3", ".vtt"):
            other.with_suffix(suffix).write_bytes(article[0].with_suffix(suffix).read_bytes())
    readaloud(folder, "player", player.mp3, other, "--index", folder / "index.html")
    page = new_page()
    page.goto(player.server.url("index.html"))
    until(page, "document.querySelectorAll('[data-ra-player][data-ra-ready]').length === 2")
    assert_accessible(page)
    second = page.locator("[data-ra-player]").nth(1)
    second.locator(".ra-forward").click()
    assert page.evaluate("[...document.querySelectorAll('.ra-audio')].map(a => a.currentTime > 5)") == \
        [False, True]


def test_a_server_without_range_requests_is_named_when_a_seek_fails(new_page, player):
    """Python's http.server answers every request whole (200, no Accept-Ranges): the browser can then seek
    only within what it has downloaded, and the player says why a chapter click did nothing."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(player.mp3.parent))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = new_page()
        page.goto(f"http://127.0.0.1:{server.server_port}/{player.mp3.stem}.demo.html")
        page.wait_for_selector("[data-ra-player][data-ra-ready]", state="attached")
        until(page, f"{AUDIO}.readyState >= 1")
        page.locator("button.ra-chapter").last.click()
        expect(page.locator(".ra-status")).to_contain_text("HTTP Range")
    finally:
        server.shutdown()
        server.server_close()
