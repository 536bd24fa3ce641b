"""The clip cache: keys, integrity, healing, and re-rendering without engine calls."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from readaloud import config, pipeline
from readaloud.cache import CacheCounts, CachedEngine, ClipCache, clip_key
from readaloud.cli import cli
from readaloud.engines.espeak import EspeakEngine

from .conftest import SAMPLES, cli_runner


def test_the_key_is_pinned():
    # A change here changes every key: bump cache.FORMAT_VERSION deliberately, never by accident.
    assert clip_key("espeak-ng 1.52.0 voice=vi rate=165", "Xin chào các bạn.") == (
        "a50ccae016785fbbdc0694ae7728af5920eca0640030b4944d0a07bd682cb0cb")
    # NFD input is the same text.
    assert clip_key("espeak-ng 1.52.0 voice=vi rate=165", "Xin cha\u0300o các bạn.") == clip_key(
        "espeak-ng 1.52.0 voice=vi rate=165", "Xin chào các bạn.")


class CountingEspeak(EspeakEngine):
    calls: list[str]

    def __init__(self):
        super().__init__()
        self.calls = []

    def synthesize(self, text):
        self.calls.append(text)
        return super().synthesize(text)


def test_hits_skip_the_engine_and_return_the_same_audio(tmp_path):
    engine = CountingEspeak()
    counts = CacheCounts()
    cached = CachedEngine(engine, ClipCache(tmp_path), counts)
    first = cached.synthesize("Hội nghị tổng kết năm.")
    second = cached.synthesize("Hội nghị tổng kết năm.")
    assert engine.calls == ["Hội nghị tổng kết năm."]
    assert second.audio == first.audio and second.format == "pcm"
    assert (counts.synthesized, counts.cached) == (1, 1)
    entries = list(tmp_path.glob("??/*.clip"))
    assert len(entries) == 1 and not list(tmp_path.glob("??/.*.tmp"))


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "garbage"])
def test_a_damaged_entry_is_discarded_and_spoken_again(tmp_path, damage):
    engine = CountingEspeak()
    cache = ClipCache(tmp_path)
    counts = CacheCounts()
    cached = CachedEngine(engine, cache, counts)
    good = cached.synthesize("Nông dân phấn khởi.")
    entry = next(tmp_path.glob("??/*.clip"))
    blob = entry.read_bytes()
    entry.write_bytes({"flip": blob[:-10] + bytes([blob[-10] ^ 0xFF]) + blob[-9:], "truncate": blob[: len(blob) // 2],
                       "empty": b"", "garbage": os.urandom(300)}[damage])
    again = cached.synthesize("Nông dân phấn khởi.")
    # Spoken afresh (espeak-ng's output is not bit-identical from call to call), never the damaged bytes.
    assert abs(again.audio.samples - good.audio.samples) < good.audio.samples * 0.05
    assert len(engine.calls) == 2 and counts.healed == 1
    assert cache.get(clip_key(engine.identity(), "Nông dân phấn khởi.")) is not None  # healed on disk too


def settings_with(tmp_path: Path, **pauses) -> config.Settings:
    lines = ["[engine]", 'name = "espeak"', "[cache]", f'dir = "{tmp_path / "clips"}"']
    if pauses:
        lines += ["[pauses]", *(f"{k} = {v}" for k, v in pauses.items())]
    path = tmp_path / f"cfg{len(pauses)}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config.load(path)


def test_changing_pauses_or_loudness_re_renders_with_zero_engine_calls(tmp_path, monkeypatch):
    calls: list[str] = []
    speak = EspeakEngine.synthesize
    monkeypatch.setattr(EspeakEngine, "synthesize", lambda self, text: calls.append(text) or speak(self, text))
    article = str(SAMPLES / "khai-giang.md")
    first = pipeline.build(article, tmp_path / "a.mp3", settings_with(tmp_path))
    assert first.synthesized == len(calls) > 10 and first.cached == 0
    calls.clear()
    changed = settings_with(tmp_path, heading=1800, sentence=250)
    from dataclasses import replace

    changed = replace(changed, loudness=replace(changed.loudness, target_lufs=-18.0),
                      mp3=replace(changed.mp3, bitrate_kbps=96))
    second = pipeline.build(article, tmp_path / "b.mp3", changed)
    assert calls == []
    assert second.synthesized == 0 and second.cached == first.synthesized
    assert second.duration_s > first.duration_s  # longer pauses, same speech


def test_cache_commands(tmp_path):
    folder = tmp_path / "clips"
    cache = ClipCache(folder)
    cached = CachedEngine(EspeakEngine(), cache)
    for text in ("một", "hai", "ba"):
        cached.synthesize(text)
    cache.save_json("curves", "old-article", {"x": 1})
    cache.save_json("curves", "new-article", {"x": 2})
    ancient = time.time() - 40 * 86400
    old = next(folder.glob("??/*.clip"))
    old_record = folder / "curves" / "old-article.json"
    leftover = folder / "ab" / ".abcd.clip.0123456789ab.tmp"  # a write killed half-way, long ago
    leftover.parent.mkdir(exist_ok=True)
    leftover.write_bytes(b"half")
    for path in (old, old_record, leftover):
        os.utime(path, (ancient, ancient))
    cfg = tmp_path / "readaloud.toml"
    cfg.write_text(f'[cache]\ndir = "{folder}"\n', encoding="utf-8")
    stats = json.loads(cli_runner().invoke(cli, ["--config", str(cfg), "cache", "stats", "--json"]).stdout)
    assert stats["entries"] == 5 and stats["bytes"] > 0  # 3 clips and 2 records; never the temporary file
    pruned = cli_runner().invoke(cli, ["--config", str(cfg), "cache", "prune", "--older-than", "30d"])
    assert pruned.exit_code == 0 and "removed 3 entries" in pruned.stdout
    assert not old.exists() and not old_record.exists() and not leftover.exists()
    assert len(list(folder.glob("??/*.clip"))) == 2 and cache.load_json("curves", "new-article") == {"x": 2}
    capped = cli_runner().invoke(cli, ["--config", str(cfg), "cache", "prune", "--max-size", "1"])
    assert "removed 3 entries" in capped.stdout and list(folder.glob("??/*.clip")) == []
    assert list(folder.glob("*/*.json")) == []
    bad = cli_runner().invoke(cli, ["--config", str(cfg), "cache", "prune", "--older-than", "soon"])
    assert bad.exit_code == 2


def test_concurrent_builds_share_the_cache_safely(tmp_path):
    cfg = tmp_path / "readaloud.toml"
    cfg.write_text(f'[engine]\nname = "espeak"\n[cache]\ndir = "{tmp_path / "clips"}"\n', encoding="utf-8")
    exe = Path(sys.executable).with_name("readaloud")
    runs = [subprocess.Popen([str(exe), "--config", str(cfg), "build", str(SAMPLES / name), "-o",
                              str(tmp_path / f"{n}.mp3"), "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
            for n, name in enumerate(["khai-giang.md", "khai-giang.md", "mua-nuoc-noi.md"])]
    results = [json.loads(run.communicate(timeout=300)[0]) for run in runs]
    assert all(r["ok"] for r in results)
    entries = list((tmp_path / "clips").glob("??/*.clip"))
    assert not list((tmp_path / "clips").glob("??/.*.tmp"))
    cache = ClipCache(tmp_path / "clips")
    assert all(cache.get(p.stem) is not None for p in entries)  # every entry whole and verified
    again = cli_runner().invoke(cli, ["--config", str(cfg), "build", str(SAMPLES / "khai-giang.md"), "-o",
                                      str(tmp_path / "again.mp3"), "--json"])
    assert json.loads(again.stdout)["synthesized"] == 0
