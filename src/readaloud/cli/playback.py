"""Playing an MP3 for `preview --play` and `say --play`, with whichever player the machine has."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from readaloud.errors import ToolError

PLAYERS: tuple[tuple[str, list[str]], ...] = (
    ("ffplay", ["-nodisp", "-autoexit", "-loglevel", "error"]), ("mpv", ["--no-video", "--really-quiet"]),
    ("aplay", ["-q"]), ("afplay", []), ("mpg123", ["-q"]))
PLAYER_NAMES = ", ".join(name for name, _ in PLAYERS)


def play(path: Path) -> bool:
    """Play with the first player found that works; False when none is found. A player that fails (ffplay
    with no audio device exits 1 after ALSA's complaints) gives way to the next one; when every one found
    fails, that is a ToolError."""
    failures: list[str] = []
    for name, args in PLAYERS:
        exe = shutil.which(name)
        if not exe:
            continue
        with tempfile.TemporaryDirectory(prefix="readaloud-play-") as scratch:
            played = path
            if name == "aplay":  # ALSA's player takes WAV, not MP3: a decoded copy, in a private folder
                from readaloud import audio

                played = Path(scratch) / "play.wav"
                audio.mp3_to_wav(path, played)
            try:
                done = subprocess.run([exe, *args, str(played)], check=False, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            except OSError as exc:
                failures.append(f"{name}: {exc.strerror or exc}")
                continue
        if done.returncode == 0:
            return True
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        failures.append(f"{name} exited {done.returncode}" + (f" ({said[-1].strip()})" if said else ""))
    if failures:
        raise ToolError(f"{path}: could not play it: {'; '.join(failures)}")
    return False
