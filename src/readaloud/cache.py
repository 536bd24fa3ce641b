"""Content-addressed store of engine clips, so no text is ever sent to an engine twice.

Key: sha256 over (cache format version, the engine's identity, the NFC spoken text). Pauses, loudness,
bit rate and tags are not in the key: changing them re-renders an article without one engine call.
Each entry keeps exactly what the engine produced (gTTS's MP3, espeak-ng's PCM) behind a one-line
header carrying the format version, the entry's own key, its format and rate, the engine's word times
when it gave them (so captions are timed alike on a hit), and a sha256 over all of them and the payload.
A read that fails any check (damaged bytes, an entry filed under another key, a rate or length no
engine produces, word times out of order or outside the clip, anything but a regular file) discards the
entry, which is then synthesised again, never played. Entries are written to a temporary file and renamed, so concurrent
builds sharing the cache see whole entries or none. A cache that cannot be written (a read-only
folder, a path through a file, a full disk) is used read-only: one warning, and the build goes on.

The cache folder is for trusted writers only. The checks stop mix-ups and crashes (a copied or stale
entry, a header or loudness record no build could have written), not a determined attacker: anyone
who can write there can still choose what audio is played for a sentence, since the checksum is not
a secret.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from readaloud.engines.base import Engine
from readaloud.model import Audio, Speech, Warn, ignore

# 2: the header carries the entry's key and its checksum covers the header (entries of 1 are never looked up:
# their keys were made with version 1).
FORMAT_VERSION = 2
_MAGIC = b"READALOUD-CLIP"
# Bounds no engine answer comes near (a chunk is at most a few hundred characters, ~20 s of speech at the
# slowest rate); anything outside them is a damaged or foreign entry.
MIN_RATE, MAX_RATE = 8000, 192000
MAX_CLIP_SECONDS = 120
_MAX_HEADER_BYTES = 16 * 1024  # word times of the longest chunk fit many times over
_MAX_ENTRY_BYTES = _MAX_HEADER_BYTES + 2 * MAX_RATE * MAX_CLIP_SECONDS
_MAX_RECORD_BYTES = 64 * 1024



def clip_key(engine_identity: str, spoken: str) -> str:
    text = unicodedata.normalize("NFC", spoken)
    return hashlib.sha256(f"{FORMAT_VERSION}\n{engine_identity}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int
    oldest: float | None  # modification times (seconds since the epoch)
    newest: float | None


def _read_regular(path: Path, limit: int) -> bytes | None:
    """The bytes of `path` when it is a regular file (not a link, FIFO or device) of at most `limit`
    bytes; None otherwise. Never blocks on a FIFO, never reads more than `limit` + 1 bytes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data if len(data) <= limit else None


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:  # a folder in its place, or a read-only cache: it is simply never used
        pass


class ClipCache:
    def __init__(self, folder: Path, warn: Warn = ignore):
        self.folder = Path(folder)
        self._warn = warn
        self._writable = True
        self._lock = threading.Lock()

    def path_for(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.clip"

    def contains(self, engine_identity: str, spoken: str) -> bool:
        """Whether an entry of this format is filed for the text under its own key (its header alone is
        read: cheap enough to mark a whole script; get() checks the rest)."""
        key = clip_key(engine_identity, spoken)
        try:
            fd = os.open(self.path_for(key), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return False
        try:
            head = os.read(fd, _MAX_HEADER_BYTES + len(_MAGIC) + 2) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
            header = json.loads(head.partition(b"\n")[0].removeprefix(_MAGIC + b" "))
        except (OSError, ValueError, RecursionError):
            return False
        finally:
            os.close(fd)
        return isinstance(header, dict) and header.get("version") == FORMAT_VERSION and header.get("key") == key

    def get(self, key: str) -> Speech | None:
        """The stored clip, or None when absent or not to be trusted (such an entry is removed)."""
        path = self.path_for(key)
        if not os.path.lexists(path):
            return None
        blob = _read_regular(path, _MAX_ENTRY_BYTES)
        speech = _unpack(blob, key) if blob is not None else None
        if speech is None:
            _discard(path)
            return None
        try:
            os.utime(path)  # recently used entries survive `prune --older-than`
        except OSError:
            pass
        return speech

    def put(self, key: str, speech: Speech) -> None:
        self._write(self.path_for(key), _pack(key, speech))

    def load_json(self, kind: str, key: str) -> dict | None:
        """A small JSON record kept beside the clips (e.g. an article's limiter curves); None if absent
        or unreadable."""
        path = self.folder / kind / f"{key}.json"
        blob = _read_regular(path, _MAX_RECORD_BYTES)
        try:
            data = json.loads(blob.decode("utf-8")) if blob is not None else None
        except (ValueError, RecursionError):
            data = None
        if not isinstance(data, dict):
            return None
        try:
            os.utime(path)  # in use: survives `prune --older-than` like a clip
        except OSError:
            pass
        return data

    def save_json(self, kind: str, key: str, data: dict) -> None:
        self._write(self.folder / kind / f"{key}.json", json.dumps(data).encode("utf-8"))

    def _write(self, path: Path, blob: bytes) -> None:
        """Store `blob` at `path` atomically; a cache that cannot be written is warned about once and
        then only read: a build never fails for want of a cache."""
        if not self._writable:
            return
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(blob)
            os.replace(temp, path)
        except OSError as exc:
            with self._lock:
                first, self._writable = self._writable, False
            if first:
                self._warn(f"clip cache {self.folder} cannot be written ({exc.strerror or exc}); "
                           f"building without storing clips")
        finally:
            try:
                temp.unlink(missing_ok=True)
            except OSError:
                pass

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


def _digest(fields: dict, payload: bytes) -> str:
    """The checksum: over the header's other fields (the key among them) and the payload, so an entry
    is bound to the one key it was stored under."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True).encode() + b"\n" + payload).hexdigest()


def _pack(key: str, speech: Speech) -> bytes:
    fields = {"version": FORMAT_VERSION, "key": key, "format": speech.format, "rate": speech.audio.sample_rate,
              "bytes": len(speech.original)}
    if speech.words:
        fields["words"] = [list(word) for word in speech.words]
    header = {**fields, "sha256": _digest(fields, speech.original)}
    return _MAGIC + b" " + json.dumps(header, sort_keys=True).encode() + b"\n" + speech.original


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _words(value: object, samples: int) -> tuple[tuple[int, int], ...] | None:
    """Word times as stored: pairs of (character offset, sample) in order and inside the clip; None if not."""
    if value is None:
        return ()  # an engine without word times, or an entry written before they were kept
    if not isinstance(value, list) or not all(isinstance(pair, list) and len(pair) == 2 and all(map(_is_int, pair))
                                              for pair in value):
        return None
    words = tuple((pair[0], pair[1]) for pair in value)
    in_order = all(a[0] < b[0] and a[1] <= b[1] for a, b in zip(words, words[1:], strict=False))
    inside = all(position >= 0 and 0 <= sample <= samples for position, sample in words)
    return words if in_order and inside else None


def _unpack(blob: bytes, key: str) -> Speech | None:
    """The clip in `blob` if it is a whole entry of this format, stored under `key`, with a rate and a
    length some engine could have produced; else None."""
    from readaloud import audio
    from readaloud.errors import ToolError

    head, newline, payload = blob.partition(b"\n")
    if not newline or not head.startswith(_MAGIC + b" ") or len(head) > _MAX_HEADER_BYTES:
        return None
    try:
        header = json.loads(head[len(_MAGIC) + 1:])
    except (ValueError, RecursionError):
        return None
    if not isinstance(header, dict):
        return None
    fields = {name: value for name, value in header.items() if name != "sha256"}
    fmt, rate = fields.get("format"), fields.get("rate")
    if not isinstance(rate, int) or not _is_int(rate):
        return None
    if (fields.get("version") != FORMAT_VERSION or fields.get("key") != key or fmt not in ("pcm", "mp3")
            or not MIN_RATE <= rate <= MAX_RATE
            or fields.get("bytes") != len(payload) or not payload
            or header.get("sha256") != _digest(fields, payload)):
        return None
    most = rate * MAX_CLIP_SECONDS  # samples
    if fmt == "pcm":
        words = _words(fields.get("words"), len(payload) // 2)
        if len(payload) % 2 or len(payload) // 2 > most or words is None:
            return None
        return Speech(Audio(payload, rate), payload, fmt, words=words)
    try:
        decoded = audio.decode(payload, rate)
    except ToolError:
        return None
    return Speech(decoded, payload, fmt) if 0 < decoded.samples <= most else None


@dataclass
class CacheCounts:
    cached: int = 0
    synthesized: int = 0
    healed: int = 0  # entries found unfit, removed and synthesised again


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
        # An engine speaks at one rate. What it said now is the truth; until then, the first clip handed out.
        self._rate: int | None = None
        self._rate_spoken = False

    def identity(self) -> str:
        return self._identity

    def synthesize(self, text: str) -> Speech:
        if self.cache is None:
            return self._speak(text)
        key = clip_key(self._identity, text)
        had_entry = os.path.lexists(self.cache.path_for(key))
        found = self.cache.get(key)
        if found is not None:
            with self._lock:
                if self._rate is None:
                    self._rate = found.audio.sample_rate
                fits = found.audio.sample_rate == self._rate
                self.counts.cached += fits
            if fits:
                return found
            _discard(self.cache.path_for(key))  # a rate this engine does not speak at: a foreign clip
        speech = self._speak(text)
        self.cache.put(key, speech)
        with self._lock:
            self.counts.healed += had_entry
        return speech

    def _speak(self, text: str) -> Speech:
        speech = self.engine.synthesize(text)
        with self._lock:
            self.counts.synthesized += 1
            if not self._rate_spoken:
                self._rate, self._rate_spoken = speech.audio.sample_rate, True
        return speech
