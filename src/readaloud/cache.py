"""Content-addressed store of engine clips, so no text is ever sent to an engine twice.

Key: sha256 over (cache format version, the engine's identity, the NFC spoken text). Pauses, loudness,
bit rate and tags are not in the key: changing them re-renders an article without one engine call.
Each entry keeps exactly what the engine produced (gTTS's MP3, espeak-ng's PCM) behind a one-line
header carrying its format, rate and a sha256 of the payload; a read that fails the check discards the
entry, which is then synthesised again, never played. Entries are written to a temporary file and
renamed, so concurrent builds sharing the cache see whole entries or none.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from readaloud.engines.base import Engine
from readaloud.model import Audio, Speech

FORMAT_VERSION = 1
_MAGIC = b"READALOUD-CLIP"


def clip_key(engine_identity: str, spoken: str) -> str:
    text = unicodedata.normalize("NFC", spoken)
    return hashlib.sha256(f"{FORMAT_VERSION}\n{engine_identity}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int
    oldest: float | None  # modification times (seconds since the epoch)
    newest: float | None


class ClipCache:
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def path_for(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.clip"

    def contains(self, engine_identity: str, spoken: str) -> bool:
        return self.path_for(clip_key(engine_identity, spoken)).is_file()

    def get(self, key: str) -> Speech | None:
        """The stored clip, or None when absent or damaged (a damaged entry is removed)."""
        path = self.path_for(key)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        speech = _unpack(blob)
        if speech is None:
            path.unlink(missing_ok=True)
            return None
        try:
            os.utime(path)  # recently used entries survive `prune --older-than`
        except OSError:
            pass
        return speech

    def put(self, key: str, speech: Speech) -> None:
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            temp.write_bytes(_pack(speech))
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)

    def load_json(self, kind: str, key: str) -> dict | None:
        """A small JSON record kept beside the clips (e.g. an article's limiter curves); None if absent
        or unreadable."""
        path = self.folder / kind / f"{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # in use: survives `prune --older-than` like a clip
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def save_json(self, kind: str, key: str, data: dict) -> None:
        path = self.folder / kind / f"{key}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            temp.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temp, path)
        finally:
            temp.unlink(missing_ok=True)

    def _entries(self) -> list[Path]:
        """Clips and JSON records (`kind/key.json`), both pruned alike; not temporary files."""
        if not self.folder.is_dir():
            return []
        return [p for pattern in ("??/*.clip", "*/*.json") for p in self.folder.glob(pattern) if p.is_file()]

    def stats(self) -> CacheStats:
        found = [(p.stat().st_size, p.stat().st_mtime) for p in self._entries()]
        times = [t for _, t in found]
        return CacheStats(len(found), sum(s for s, _ in found), min(times, default=None), max(times, default=None))

    def prune(self, older_than_s: float | None = None, max_bytes: int | None = None) -> tuple[int, int]:
        """Remove entries unused for `older_than_s`, then the least recently used beyond `max_bytes`.
        Returns (entries removed, bytes freed)."""
        entries = sorted(((p.stat().st_mtime, p.stat().st_size, p) for p in self._entries()), reverse=True)
        now = time.time()
        kept_bytes = 0
        removed = freed = 0
        for mtime, size, path in entries:  # newest first
            too_old = older_than_s is not None and now - mtime > older_than_s
            too_big = max_bytes is not None and kept_bytes + size > max_bytes
            if too_old or too_big:
                path.unlink(missing_ok=True)
                removed += 1
                freed += size
            else:
                kept_bytes += size
        # Temporary files of writes that never finished (a process killed outright) are an hour old at most
        # while any write is still going on.
        for temp in self.folder.glob("*/.*.tmp") if self.folder.is_dir() else ():
            try:
                stat = temp.stat()
                if now - stat.st_mtime > 3600:
                    temp.unlink()
                    removed += 1
                    freed += stat.st_size
            except OSError:
                pass
        return removed, freed


def _pack(speech: Speech) -> bytes:
    header = {"format": speech.format, "rate": speech.audio.sample_rate,
              "sha256": hashlib.sha256(speech.original).hexdigest(), "bytes": len(speech.original)}
    return _MAGIC + b" " + json.dumps(header, sort_keys=True).encode() + b"\n" + speech.original


def _unpack(blob: bytes) -> Speech | None:
    from readaloud import audio
    from readaloud.errors import ToolError

    head, newline, payload = blob.partition(b"\n")
    if not newline or not head.startswith(_MAGIC + b" "):
        return None
    try:
        header = json.loads(head[len(_MAGIC) + 1:])
        fmt, rate = header["format"], int(header["rate"])
        intact = len(payload) == header["bytes"] and hashlib.sha256(payload).hexdigest() == header["sha256"]
    except (ValueError, KeyError, TypeError):
        return None
    if not intact or not payload:
        return None
    if fmt == "pcm":
        return Speech(Audio(payload[: len(payload) // 2 * 2], rate), payload, fmt)
    if fmt == "mp3":
        try:
            decoded = audio.decode(payload, rate)
        except ToolError:
            return None
        return Speech(decoded, payload, fmt) if decoded.samples else None
    return None


@dataclass
class CacheCounts:
    cached: int = 0
    synthesized: int = 0
    healed: int = 0  # damaged entries found, removed and synthesised again


class CachedEngine:
    """An engine seen through the cache: hits never reach the engine; misses are stored once spoken.
    With no cache it only counts what the engine spoke."""

    name: ClassVar[str] = "cached"

    def __init__(self, engine: Engine, cache: ClipCache | None, counts: CacheCounts | None = None):
        self.engine = engine
        self.cache = cache
        self.counts = counts if counts is not None else CacheCounts()
        self.max_chars = engine.max_chars
        self.concurrency = engine.concurrency
        self.name = engine.name  # type: ignore[misc]  # report the real engine in logs and errors
        self._identity = engine.identity()
        self._lock = threading.Lock()

    def identity(self) -> str:
        return self._identity

    def synthesize(self, text: str) -> Speech:
        if self.cache is None:
            speech = self.engine.synthesize(text)
            with self._lock:
                self.counts.synthesized += 1
            return speech
        key = clip_key(self._identity, text)
        had_entry = self.cache.path_for(key).is_file()
        found = self.cache.get(key)
        if found is not None:
            with self._lock:
                self.counts.cached += 1
            return found
        speech = self.engine.synthesize(text)
        self.cache.put(key, speech)
        with self._lock:
            self.counts.synthesized += 1
            self.counts.healed += had_entry
        return speech
