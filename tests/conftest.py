"""Shared fixtures; what tests import lives in tests/helpers/. No test may touch the network: name
resolution is refused for every host but this machine, so any stray request fails at once the way an
offline newsroom machine would."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.helpers.google import make_tone_mp3

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


@pytest.fixture(scope="session")
def tone_mp3(tmp_path_factory) -> bytes:
    """A 0.6 s tone as Google's MP3 (tests.helpers.google.make_tone_mp3), made once per run."""
    return make_tone_mp3(tmp_path_factory.mktemp("tone"))


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """No test reads the user's config or writes to the user's cache, and stray READALOUD_* variables
    from the shell do not leak in."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    import os

    for name in list(os.environ):
        if name.startswith("READALOUD_"):
            monkeypatch.delenv(name)
