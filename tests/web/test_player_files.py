"""The player's own files, as `readaloud player` writes them: small enough for an article page (issue 16:
CSS and script together at most 20 KB, uncompressed), and linked from the page it writes. No browser."""

from __future__ import annotations

from pathlib import Path

LIMIT = 20_000  # bytes: "20 KB" read the strict way (20 KiB would be 20,480)


def test_css_and_script_together_weigh_at_most_20_kb(player):
    css, js = Path(player.files["css"]), Path(player.files["js"])
    sizes = {css.name: css.stat().st_size, js.name: js.stat().st_size}
    assert sum(sizes.values()) <= LIMIT, sizes
    page = Path(player.files["page"]).read_text(encoding="utf-8")
    assert f'href="{css.name}"' in page and f'src="{js.name}"' in page
