"""What several test modules share: where the samples are, a CLI runner, and a look at child processes.

Imported by tests as `tests.helpers`; conftest.py holds only fixtures and hooks, and imports from here.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


def cli_runner() -> CliRunner:
    """A CliRunner with stdout and stderr kept apart (click 8.1 mixes them unless told; 8.2 never does)."""
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    except TypeError:
        return CliRunner()


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
