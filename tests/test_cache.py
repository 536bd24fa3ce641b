"""The clip cache: keys, integrity, healing, and re-rendering without engine calls."""

from __future__ import annotations

import errno
import hashlib
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
from tests.helpers import SAMPLES, cli_runner


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


# --- Hostile or stale entries (issue 10, point 8): never played under the wrong key, never a crash or a failed build.

SHORT, LONG = "Vâng.", "Hội nghị tổng kết công tác năm của ngành nông nghiệp đã diễn ra thành công tốt đẹp tại thủ đô."


def forged_entry(key: str, fmt: str, rate: object, payload: bytes, version: object = 2) -> bytes:
    """An entry as a writer who knows the format would make it, checksum recomputed so it matches."""
    fields = {"version": version, "key": key, "format": fmt, "rate": rate, "bytes": len(payload)}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode() + b"\n" + payload).hexdigest()
    return b"READALOUD-CLIP " + json.dumps({**fields, "sha256": digest}, sort_keys=True).encode() + b"\n" + payload


def test_an_entry_copied_under_another_key_is_spoken_again(tmp_path):
    engine = CountingEspeak()
    cache = ClipCache(tmp_path)
    counts = CacheCounts()
    cached = CachedEngine(engine, cache, counts)
    short, long = cached.synthesize(SHORT), cached.synthesize(LONG)
    assert long.audio.samples > 3 * short.audio.samples
    identity = engine.identity()
    target = cache.path_for(clip_key(identity, SHORT))
    target.write_bytes(cache.path_for(clip_key(identity, LONG)).read_bytes())
    again = cached.synthesize(SHORT)
    assert engine.calls == [SHORT, LONG, SHORT] and (counts.cached, counts.healed) == (0, 1)
    assert abs(again.audio.samples - short.audio.samples) < short.audio.samples * 0.05  # the short sentence
    assert cache.get(clip_key(identity, SHORT)).audio.samples == again.audio.samples  # healed on disk


def test_a_build_never_plays_another_sentences_clip(tmp_path):
    article = tmp_path / "tin.txt"
    article.write_text(f"Tin ngắn\n\n{SHORT}\n\n{LONG}\n", encoding="utf-8")
    settings = settings_with(tmp_path)
    first = pipeline.build(str(article), tmp_path / "a.mp3", settings)
    identity = EspeakEngine().identity()
    cache = ClipCache(tmp_path / "clips")
    spoken = [c.spoken for c in pipeline.plan(pipeline.plan_article(str(article), settings), settings).chunks]
    short = next(text for text in spoken if "Vâng" in text)
    long = next(text for text in spoken if "Hội nghị" in text)
    cache.path_for(clip_key(identity, short)).write_bytes(cache.path_for(clip_key(identity, long)).read_bytes())
    second = pipeline.build(str(article), tmp_path / "b.mp3", settings)
    assert (second.synthesized, second.cached) == (1, first.synthesized - 1)  # the copied entry was no hit
    # The audio is the article's (the long sentence would have added seconds), so the captions match it.
    assert abs(second.duration_s - first.duration_s) < 0.1
    before, after = cue_times(Path(first.captions[0])), cue_times(Path(second.captions[0]))
    assert len(after) == len(before) >= 3  # three chunks; a long sentence shows as more than one cue
    for cue_after, cue_before in zip(after, before, strict=True):
        assert abs(cue_after[0] - cue_before[0]) < 0.1 and abs(cue_after[1] - cue_before[1]) < 0.1


def cue_times(vtt: Path) -> list[tuple[float, float]]:
    def seconds(stamp: str) -> float:
        hours, minutes, rest = stamp.split(":")
        return int(hours) * 3600 + int(minutes) * 60 + float(rest)

    return [(seconds(line.split(" --> ")[0]), seconds(line.split(" --> ")[1]))
            for line in vtt.read_text(encoding="utf-8").splitlines() if " --> " in line]


def _one_clip_cached(folder: Path):
    """SHORT spoken once into a fresh cache: the engine, the cache, fresh counts, the clip and its key."""
    engine = CountingEspeak()
    cache = ClipCache(folder)
    good = CachedEngine(engine, cache).synthesize(SHORT)
    return engine, cache, CacheCounts(), good, clip_key(engine.identity(), SHORT)


@pytest.mark.parametrize("rate", [2_000_000_000, 0, -1, 22050.0, True, "22050", 7999, 192001])
def test_a_forged_header_is_discarded_and_spoken_again(tmp_path, rate):
    engine, cache, counts, good, key = _one_clip_cached(tmp_path)
    cache.path_for(key).write_bytes(forged_entry(key, "pcm", rate, good.audio.pcm))
    again = CachedEngine(engine, cache, counts).synthesize(SHORT)
    assert again.audio.sample_rate == good.audio.sample_rate and (counts.cached, counts.healed) == (0, 1)
    assert cache.get(key) is not None  # the forged entry was replaced by a good one


@pytest.mark.parametrize("shape", ["odd length", "too long a clip", "version 1", "not a file", "fifo", "link"])
def test_entries_no_engine_wrote_are_discarded(tmp_path, shape):
    engine, cache, counts, good, key = _one_clip_cached(tmp_path)
    path = cache.path_for(key)
    rate = good.audio.sample_rate
    path.unlink()
    if shape == "odd length":
        path.write_bytes(forged_entry(key, "pcm", rate, good.audio.pcm + b"\0"))
    elif shape == "too long a clip":  # 121 s at the lowest rate: a header fit for it, but no engine answer is
        path.write_bytes(forged_entry(key, "pcm", 8000, bytes(2 * 8000 * 121)))
    elif shape == "version 1":  # a format-1 header (no key, checksum of the payload only) at this path
        header = {"format": "pcm", "rate": rate, "sha256": hashlib.sha256(good.audio.pcm).hexdigest(),
                  "bytes": len(good.audio.pcm)}
        path.write_bytes(b"READALOUD-CLIP " + json.dumps(header).encode() + b"\n" + good.audio.pcm)
    elif shape == "not a file":
        path.mkdir()
    elif shape == "fifo":  # reading it would block for ever
        os.mkfifo(path)
    else:
        other = tmp_path / "elsewhere.clip"
        other.write_bytes(forged_entry(key, "pcm", rate, good.audio.pcm))
        path.symlink_to(other)
    again = CachedEngine(engine, cache, counts).synthesize(SHORT)
    assert again.audio.sample_rate == rate and counts.cached == 0 and counts.synthesized == 1
    assert len(engine.calls) == 2
    if shape != "not a file":  # a folder in its place stays; the clip is then simply never cached
        assert cache.get(key) is not None and path.is_file() and not path.is_symlink()


def test_a_cached_clip_at_another_rate_than_the_engine_speaks_is_spoken_again(tmp_path):
    engine = CountingEspeak()
    cache = ClipCache(tmp_path)
    cached = CachedEngine(engine, cache)
    cached.synthesize(LONG)
    good = cached.synthesize(SHORT)
    key = clip_key(engine.identity(), SHORT)
    cache.path_for(key).write_bytes(forged_entry(key, "pcm", 8000, good.audio.pcm))
    counts = CacheCounts()
    fresh = CachedEngine(engine, cache, counts)
    assert fresh.synthesize(LONG).audio.sample_rate == good.audio.sample_rate  # a hit: the rate is known
    assert fresh.synthesize(SHORT).audio.sample_rate == good.audio.sample_rate
    assert (counts.cached, counts.synthesized, counts.healed) == (1, 1, 1)


def cli_build(cfg: Path, article: Path, output: Path):
    result = cli_runner().invoke(cli, ["--config", str(cfg), "build", str(article), "-o", str(output), "--json"])
    return result, (json.loads(result.stdout) if result.stdout.strip() else None)


@pytest.fixture
def small_article(tmp_path) -> Path:
    article = tmp_path / "tin.txt"
    article.write_text(f"Tin ngắn\n\n{SHORT} {LONG}\n", encoding="utf-8")
    return article


def cache_config(tmp_path: Path, folder: Path) -> Path:
    cfg = tmp_path / "readaloud.toml"
    cfg.write_text(f'[engine]\nname = "espeak"\n[cache]\ndir = "{folder}"\n', encoding="utf-8")
    return cfg


@pytest.mark.parametrize("rate", [2_000_000_000, 0, -1])
def test_a_build_survives_a_forged_header(tmp_path, small_article, rate):
    clips = tmp_path / "clips"
    cfg = cache_config(tmp_path, clips)
    _, first = cli_build(cfg, small_article, tmp_path / "a.mp3")
    for path in clips.glob("??/*.clip"):
        payload = path.read_bytes().partition(b"\n")[2]
        path.write_bytes(forged_entry(path.stem, "pcm", rate, payload))
    result, report = cli_build(cfg, small_article, tmp_path / "b.mp3")
    assert result.exit_code == 0 and report["ok"] and (tmp_path / "b.mp3").stat().st_size > 1000
    assert report["cached"] == 0 and report["synthesized"] == first["synthesized"] and report["warnings"] == []
    assert abs(report["duration_s"] - first["duration_s"]) < 0.1


@pytest.mark.parametrize("forgery", ["ceiling -30", "ceiling +6", "not a number", "gain 1e300", "one point",
                                     "key and ceiling differ", "not a ceiling", "not a curve"])
def test_a_build_survives_a_forged_loudness_record(tmp_path, small_article, forgery):
    clips = tmp_path / "clips"
    cfg = cache_config(tmp_path, clips)
    _, first = cli_build(cfg, small_article, tmp_path / "a.mp3")
    (record,) = clips.glob("curves/*.json")
    ceiling, curve = next(iter(json.loads(record.read_text(encoding="utf-8")).items()))
    forged = {"ceiling -30": {"-30.0": {**curve, "ceiling_db": -30.0}},
              "ceiling +6": {"6.0": {**curve, "ceiling_db": 6.0}},
              "not a number": {ceiling: {**curve, "raw_lufs": float("nan")}},
              "gain 1e300": {ceiling: {**curve, "points": [[1e300, -16.0], [-1e300, -15.0]]}},
              "one point": {ceiling: {**curve, "points": [curve["points"][0]]}},
              "key and ceiling differ": {"-30.0": curve},
              "not a ceiling": {"loud": curve}, "not a curve": {ceiling: [1, 2]}}[forgery]
    record.write_text(json.dumps(forged), encoding="utf-8")
    result, report = cli_build(cfg, small_article, tmp_path / "b.mp3")
    assert result.exit_code == 0 and report["ok"] and (tmp_path / "b.mp3").stat().st_size > 1000
    assert abs(report["loudness_lufs"] - first["loudness_lufs"]) <= 0.5 and report["warnings"] == []
    # Measured again and kept: the next build reads a record master_mp3 wrote.
    kept = json.loads(record.read_text(encoding="utf-8"))
    assert all(-24.0 <= value["ceiling_db"] <= 0 for value in kept.values())


@pytest.mark.parametrize("where", ["a file in the path", "read-only folder"])
def test_an_unwritable_cache_degrades_to_building_without_it(tmp_path, small_article, where):
    if where == "read-only folder":
        if os.geteuid() == 0:
            pytest.skip("root writes into a read-only folder; the file-in-the-path case covers this")
        clips = tmp_path / "clips"
        clips.mkdir()
        clips.chmod(0o500)
    else:
        (tmp_path / "plain-file").write_text("not a folder", encoding="utf-8")
        clips = tmp_path / "plain-file" / "clips"
    try:
        result, report = cli_build(cache_config(tmp_path, clips), small_article, tmp_path / "out" / "a.mp3")
    finally:
        if clips.is_dir():
            clips.chmod(0o700)
    assert result.exit_code == 0 and report["ok"] and (tmp_path / "out" / "a.mp3").stat().st_size > 1000
    assert (tmp_path / "out" / "a.vtt").is_file() and report["synthesized"] > 0
    (warning,) = report["warnings"]  # one, however many clips and records could not be stored
    assert warning.startswith(f"clip cache {clips} cannot be written") and "building without storing" in warning
    assert result.stderr.count("readaloud: warning:") == 1
    assert not list(tmp_path.glob("**/*.tmp")) and not list(tmp_path.glob("**/.*.tmp"))


def test_a_full_disk_while_storing_an_entry_degrades_to_building_without_the_cache(tmp_path, small_article,
                                                                                      monkeypatch):
    real_write = Path.write_bytes
    clips = tmp_path / "clips"

    def full_disk(self: Path, data: bytes) -> int:
        if clips in self.parents:
            real_write(self, data[: len(data) // 2])  # half written, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    warnings: list[str] = []
    result = pipeline.build(str(small_article), tmp_path / "a.mp3", settings_with(tmp_path), warn=warnings.append)
    assert (tmp_path / "a.mp3").stat().st_size > 1000 and result.synthesized > 0
    assert warnings == [f"clip cache {clips} cannot be written (No space left on device); "
                        f"building without storing clips"] and list(result.warnings) == warnings
    assert not list(clips.glob("??/*")) and not list(clips.glob("*/.*.tmp"))  # no half-written entry left


@pytest.mark.parametrize("shape", ["copied", "fifo", "format 1"])
def test_contains_only_counts_an_entry_filed_under_its_own_key(tmp_path, shape):
    cache = ClipCache(tmp_path)
    engine = EspeakEngine()
    CachedEngine(engine, cache).synthesize(LONG)
    identity = engine.identity()
    assert cache.contains(identity, LONG) and not cache.contains(identity, SHORT)
    path = cache.path_for(clip_key(identity, SHORT))
    path.parent.mkdir(exist_ok=True)
    if shape == "copied":
        path.write_bytes(cache.path_for(clip_key(identity, LONG)).read_bytes())
    elif shape == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes(b'READALOUD-CLIP {"format": "pcm", "rate": 22050, "sha256": "00", "bytes": 2}\n\0\0')
    assert not cache.contains(identity, SHORT)  # `script` marks it [new], and sync's probe does not skip it
