"""The time budget for one article (reading.max_article_seconds, issue 10 point 3): an article still being
read or built past it fails with one line naming its file, exit 1 and nothing written; under sync only that
article fails and the others are built."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from readaloud import budget
from readaloud import config as cfg
from readaloud.cli import cli
from readaloud.errors import ConfigError
from tests.helpers import cli_runner

# Seconds of chunking on any machine (one sentence of ranges, each cut checked), far past 0.05 s.
SLOW_TEXT = "Kết quả thi đấu\n\n" + "1 - " * 2000 + "\n"
SMALL_TEXT = "Mưa lớn\n\nMưa lớn ở Sa Đéc suốt đêm. Nước lên nhanh.\n"


def _config(folder: Path, seconds: float) -> Path:
    path = folder / "readaloud.toml"
    path.write_text(f'[engine]\nname = "espeak"\n[reading]\nmax_article_seconds = {seconds}\n'
                    '[loudness]\nenabled = false\n[cache]\nenabled = false\n', encoding="utf-8")
    return path


def _one_line_naming(stderr: str, article: Path) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert str(article) in lines[0] and "0.05 s budget for one article; not built" in lines[0]
    assert "Traceback" not in stderr


def test_script_past_the_budget_fails_with_one_line(tmp_path):
    article = tmp_path / "ranges.txt"
    article.write_text(SLOW_TEXT, encoding="utf-8")
    result = cli_runner().invoke(cli, ["--config", str(_config(tmp_path, 0.05)), "script", str(article)])
    assert result.exit_code == 1
    assert result.stdout == ""  # no partial script
    _one_line_naming(result.stderr, article)


def test_build_past_the_budget_writes_nothing(tmp_path):
    article = tmp_path / "ranges.txt"
    article.write_text(SLOW_TEXT, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    result = cli_runner().invoke(cli, ["--config", str(_config(tmp_path, 0.05)), "build", str(article),
                                       "-o", str(out / "ranges.mp3")])
    assert result.exit_code == 1
    _one_line_naming(result.stderr, article)
    assert list(out.iterdir()) == []  # no MP3, no captions, no temporary file


class _TickingClock:
    """time.monotonic() that advances one second per call: each budget check costs a "second", so an
    article's time is the number of checks it makes (a handful for a short article, thousands for a long
    one) and the test does not depend on how fast the machine is."""

    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def monotonic(self) -> float:
        with self.lock:
            self.now += 1.0
            return self.now


def test_sync_fails_only_the_article_past_its_budget(tmp_path, monkeypatch):
    src, out = tmp_path / "articles", tmp_path / "audio"
    src.mkdir()
    (src / "ranges.txt").write_text(SLOW_TEXT.replace("1 - " * 2000, "Trận đấu kết thúc. " * 300), encoding="utf-8")
    (src / "mua.txt").write_text(SMALL_TEXT, encoding="utf-8")
    monkeypatch.setattr(budget, "time", _TickingClock())
    # One at a time: the ticking clock is shared, so builds side by side would spend each other's seconds.
    result = cli_runner().invoke(cli, ["--config", str(_config(tmp_path, 60)), "sync", str(src), str(out),
                                       "--json", "--jobs", "1"])
    report = json.loads(result.stdout)
    actions = {Path(item["source"]).name: (item["action"], item["reason"]) for item in report["articles"]}
    assert actions["mua.txt"][0] == "built"
    assert actions["ranges.txt"] == ("failed", f"{src / 'ranges.txt'}: took longer than the 60 s budget for one "
                                               "article; not built")
    assert result.exit_code == 1
    assert sorted(p.name for p in out.rglob("*") if p.is_file() and not p.name.startswith(".readaloud")) == [
        "mua.chapters.json", "mua.mp3", "mua.vtt"]


def test_no_limit_and_the_range_checked(tmp_path):
    assert cfg.Settings().reading.max_article_seconds == 600
    assert cfg.from_mapping({"reading": {"max_article_seconds": 0}}, "x").reading.max_article_seconds == 0
    for bad in (-1, 86_401, "600", True):
        with pytest.raises(ConfigError, match="max_article_seconds"):
            cfg.from_mapping({"reading": {"max_article_seconds": bad}}, "x")
    with budget.article_budget("x", 0):  # 0: no deadline at all
        budget.check()
    # Not part of what an MP3 sounds like: changing it does not make sync rebuild every article.
    longer = cfg.from_mapping({"reading": {"max_article_seconds": 1200}}, "x")
    assert cfg.fingerprint(longer) == cfg.fingerprint(cfg.Settings())
