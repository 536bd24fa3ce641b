"""Read an MP3 back the way a player or podcast app sees it: stream facts, loudness, tags, chapters."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from readaloud import audio, tags
from readaloud.errors import InputError
from readaloud.model import Chapter


@dataclass(frozen=True)
class Inspection:
    path: str
    duration_s: float
    bitrate_kbps: int
    sample_rate: int
    channels: int
    bitrate_mode: str
    loudness_lufs: float
    true_peak_dbtp: float
    id3_version: str
    title: str | None
    author: str | None
    publication: str | None
    date: str | None
    language: str | None
    genre: str | None
    url: str | None
    summary: str | None
    transcript_chars: int
    cover: str | None  # mime type of the front cover, when there is one
    engine: str | None
    source_sha256: str | None
    settings: str | None
    rules: str | None
    lexicon: str | None
    readaloud_version: str | None
    chapters: list[Chapter] = field(default_factory=list)  # in stored order


def _text(id3, key: str) -> str | None:
    frame = id3.get(key)
    return str(frame.text[0]) if frame is not None and getattr(frame, "text", None) else None


def _whole_ms(seconds: float) -> float:
    """Counted down to whole milliseconds, as `build` counts its duration and the chapter times."""
    return math.floor(seconds * 1000) / 1000


def inspect_mp3(path: Path) -> Inspection:
    from mutagen import MutagenError
    from mutagen.mp3 import MP3, HeaderNotFoundError

    if not path.exists():
        raise InputError(f"{path}: no such file")
    try:
        mp3 = MP3(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (HeaderNotFoundError, MutagenError) as exc:
        raise InputError(f"{path}: not a readable MP3 ({exc})") from None
    id3 = mp3.tags
    loud = audio.measure_loudness(path)
    info = mp3.info
    get = (lambda key: _text(id3, key)) if id3 is not None else (lambda key: None)
    comm = id3.getall("COMM") if id3 is not None else []
    uslt = id3.getall("USLT") if id3 is not None else []
    apic = [f for f in id3.getall("APIC") if f.type == 3] if id3 is not None else []
    woas = id3.getall("WOAS") if id3 is not None else []
    chapters = [Chapter(c.sub_frames["TIT2"].text[0] if "TIT2" in c.sub_frames else "", c.start_time,
                            c.end_time) for c in (id3.getall("CHAP") if id3 is not None else [])]
    return Inspection(
        path=str(path), duration_s=_whole_ms(audio.playing_seconds(path, info)), bitrate_kbps=info.bitrate // 1000,
        sample_rate=info.sample_rate, channels=info.channels,
        bitrate_mode=str(info.bitrate_mode).rsplit(".", 1)[-1], loudness_lufs=loud.integrated_lufs,
        true_peak_dbtp=loud.true_peak_dbtp,
        id3_version=".".join(str(n) for n in id3.version) if id3 is not None else "none",
        title=get("TIT2"), author=get("TPE1"), publication=get("TPUB"), date=get("TDRC"), language=get("TLAN"),
        genre=get("TCON"), url=woas[0].url if woas else None, summary=str(comm[0].text[0]) if comm else None,
        transcript_chars=len(uslt[0].text) if uslt else 0, cover=apic[0].mime if apic else None,
        engine=get(f"TXXX:{tags.ENGINE}"), source_sha256=get(f"TXXX:{tags.SOURCE}"),
        settings=get(f"TXXX:{tags.SETTINGS}"), rules=get(f"TXXX:{tags.RULES}"), lexicon=get(f"TXXX:{tags.LEXICON}"),
        readaloud_version=get(f"TXXX:{tags.VERSION}"), chapters=chapters)
