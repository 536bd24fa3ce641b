"""Shared fixtures. No test may touch the network: name resolution is refused for every host but this
machine, so any stray request fails at once the way an offline newsroom machine would."""

from __future__ import annotations

import base64
import json
import math
import socket
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

_real_getaddrinfo = socket.getaddrinfo
_LOCAL = {"localhost", "127.0.0.1", "::1", None}


def _offline_getaddrinfo(host, *args, **kwargs):
    if host in _LOCAL:
        return _real_getaddrinfo(host, *args, **kwargs)
    raise socket.gaierror(socket.EAI_NONAME, f"tests are offline: refused to resolve {host}")


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _offline_getaddrinfo)


@pytest.fixture
def fast_config(tmp_path) -> Path:
    """Settings with quick retries and distinctive pauses, so tests measure exactly what they set."""
    path = tmp_path / "readaloud.toml"
    path.write_text(
        "[gtts]\nbackoff_s = 0.01\nmax_backoff_s = 0.05\ntimeout_s = 2.0\nmax_requests_per_s = 200.0\n"
        "[pauses]\ntitle = 900\nheading = 1500\nparagraph = 600\nsentence = 350\nchunk = 150\n",
        encoding="utf-8",
    )
    return path


TONE_SECONDS = 0.6


@pytest.fixture(scope="session")
def tone_mp3(tmp_path_factory) -> bytes:
    """Real MP3 bytes shaped like Google's (MPEG-2 Layer III, 24 kHz, mono, 32 kbit/s): a 0.6 s tone,
    loud from first to last sample so trimming keeps all of it and durations are exact."""
    from readaloud import audio

    rate = 24000
    folder = tmp_path_factory.mktemp("tone")
    pcm = folder / "tone.pcm"
    samples = int(rate * TONE_SECONDS)
    pcm.write_bytes(b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 440 * i / rate)))
                             for i in range(samples)))
    mp3 = folder / "tone.mp3"
    audio.encode_mp3(pcm, rate, mp3, bitrate_kbps=32, sample_rate=rate)
    return mp3.read_bytes()


def google_reply(mp3: bytes) -> str:
    """A batchexecute reply framed as Google frames it: the XSSI guard, a blank line, then
    length-prefixed JSON chunks, the audio as base64 inside the jQ1olc envelope."""
    envelope = json.dumps([base64.b64encode(mp3).decode("ascii")])
    first = json.dumps([["wrb.fr", "jQ1olc", envelope, None, None, None, "generic"]], separators=(",", ":"))
    second = json.dumps([["di", 33], ["af.httprm", 32, "-1", 7]], separators=(",", ":"))
    return f")]}}'\n\n{len(first)}\n{first}\n{len(second)}\n{second}\n"


def spoken_text_of(request) -> str:
    """The text gTTS asked Google to speak, decoded from the form body."""
    from urllib.parse import parse_qs

    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    rpc = json.loads(parse_qs(body)["f.req"][0])
    return json.loads(rpc[0][0][1])[0]


def cli_runner():
    """A CliRunner with stdout and stderr kept apart (click 8.1 mixes them unless told; 8.2 never does)."""
    from click.testing import CliRunner

    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """No test reads the user's config or writes to the user's cache, and stray READALOUD_* variables
    from the shell do not leak in."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    import os

    for name in list(os.environ):
        if name.startswith("READALOUD_"):
            monkeypatch.delenv(name)


def children_of(pid: int, command_has: str = "") -> list[int]:
    """The processes whose parent is `pid` (and whose command line holds `command_has`), read from /proc:
    pgrep is not on every machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="ascii", errors="replace")
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        if parent == pid and command_has in command:
            found.append(int(entry.name))
    return found
