"""Running ffmpeg: the one place readaloud starts it, so every failure reads the same way.

Which ffmpeg is the setting `[audio] ffmpeg`'s (`use`): by default ("auto") the system's when one is on PATH
(distributions patch and update it), otherwise the static build inside the `imageio-ffmpeg` wheel, so a
machine with only Python and pip works; or always one of those, or an executable at a path. Command lines are
built with ffmpeg-python by the callers and run here, so the binding can be swapped without touching them
and every failure carries ffmpeg's own last line. Paths go in as `file:` URLs (`url`) so a name that
starts with "-" is never read as an option.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from readaloud.config import FFMPEG_CHOICES
from readaloud.errors import ToolError

_choice = "auto"  # [audio] ffmpeg, as `use` was last told


def use(choice: str) -> None:
    """Run the ffmpeg `choice` names ([audio] ffmpeg: auto, system, bundled or a path) from now on, in the
    whole process: a Builder calls it with its settings when it is made, so the last one made decides."""
    global _choice
    if choice != _choice:
        _choice = choice
        _FFMPEG_PATH.cache_clear()


@functools.cache
def ffmpeg_path() -> str:
    """The ffmpeg to run, as `use` chose it; ToolError naming the setting when there is none."""
    return chosen(_choice)[0]


_FFMPEG_PATH = ffmpeg_path  # the cached function, even while a bench has put another under the module's name


def chosen(choice: str) -> tuple[str, str]:
    """The ffmpeg `choice` names and why it is that one. ToolError when there is none."""
    if choice not in FFMPEG_CHOICES:  # a path, made absolute so it is never looked up on PATH
        return str(Path(choice).absolute()), "the path audio.ffmpeg names"
    system = shutil.which("ffmpeg") if choice != "bundled" else None
    if system:
        return system, f"{choice}: the system's, first on PATH"
    if choice == "system":
        raise ToolError('audio.ffmpeg is "system" but there is no ffmpeg on PATH: install ffmpeg, or set '
                        'audio.ffmpeg to "bundled" or "auto"')
    return _bundled(only=choice == "bundled")


def _bundled(only: bool) -> tuple[str, str]:
    """The ffmpeg inside the imageio-ffmpeg wheel: under auto when none is on PATH, or `only` that one."""
    try:
        import imageio_ffmpeg

        exe = str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError) as exc:
        if only:
            raise _no_bundled(str(exc)) from None
        raise ToolError(f"ffmpeg not found: install ffmpeg or the imageio-ffmpeg package ({exc})") from None
    if not only:
        return exe, "auto: none on PATH, so the one bundled in imageio-ffmpeg"
    if not os.path.isabs(exe):  # the wheel holds none for this machine, and imageio-ffmpeg found the system's
        raise _no_bundled("the wheel holds no ffmpeg for this machine")
    return exe, "bundled: the one in imageio-ffmpeg"


def _no_bundled(reason: str) -> ToolError:
    return ToolError(f'audio.ffmpeg is "bundled" but imageio-ffmpeg has no ffmpeg here ({reason}): install the '
                     'imageio-ffmpeg package, or set audio.ffmpeg to "system" or "auto"')


def about(choice: str) -> dict[str, str]:
    """What `readaloud config` shows of the ffmpeg `choice` names: its path, version and why it is that one;
    or the error that running it would give."""
    try:
        path, why = chosen(choice)
    except ToolError as exc:
        return {"error": str(exc)}
    try:
        done = subprocess.run([path, "-version"], capture_output=True, check=False, timeout=30,
                              **_child_options())
    except OSError as exc:
        return {"path": path, "why": why, "error": str(_cannot_run([path], exc))}
    except subprocess.TimeoutExpired:
        return {"path": path, "why": why, "error": f"{path} -version did not answer in 30 s"}
    words = done.stdout.decode("utf-8", "replace").split()
    version = words[2] if words[:2] == ["ffmpeg", "version"] and len(words) > 2 else "unknown"
    return {"path": path, "version": version, "why": why}


def url(path: Path | str) -> str:
    """`path` as an ffmpeg input/output name that can never be taken for an option."""
    return "file:" + str(Path(path).absolute())


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's prctl, looked up once in the parent (never in a freshly forked child); None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    function.restype = ctypes.c_int
    return function


def _child_options() -> dict[str, Any]:
    """Popen arguments that make an ffmpeg die with readaloud, however readaloud dies (kill -9, the OOM
    killer): otherwise it runs on and finishes a temporary MP3 nobody will rename or remove.

    Linux sends PR_SET_PDEATHSIG's signal when the *thread* that started the child ends, not the process:
    every ffmpeg here is waited for (or killed) by the thread that started it, so that thread outlives it.
    The parent may die between fork and prctl; the child then already has another parent, and stops itself.
    """
    prctl = _prctl()
    if prctl is None:
        return {}
    parent = os.getpid()

    def die_with_parent() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return {"preexec_fn": die_with_parent}


def _cannot_run(command: list[str], exc: OSError) -> ToolError:
    return ToolError(f"cannot run ffmpeg at {command[0]}: {exc.strerror}")


def check_exit(returncode: int, stderr: bytes, what: str) -> None:
    """Raise ToolError for an ffmpeg that failed: killed by a signal, or with its own last line."""
    if returncode < 0:
        raise ToolError(f"{what} failed: ffmpeg was killed by {signal.Signals(-returncode).name}")
    if returncode != 0:
        lines = stderr.decode("utf-8", "replace").strip().splitlines()
        raise ToolError(f"{what} failed: {lines[-1] if lines else f'exit status {returncode}'}")


def run(args: list[str], stdin: bytes | None = None, what: str = "ffmpeg",
        loglevel: str = "error", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run ffmpeg (in folder `cwd` if given); on failure raise ToolError carrying ffmpeg's own last line."""
    command = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", loglevel, "-y", *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, check=False, cwd=cwd, **_child_options())
    except OSError as exc:
        raise _cannot_run(command, exc) from None
    check_exit(done.returncode, done.stderr, what)
    return done


def run_for_at_most(args: list[str], stdin: bytes, timeout_s: float) -> subprocess.CompletedProcess[bytes] | None:
    """Run ffmpeg on `stdin`, killing it after `timeout_s` (then None); its exit status is the caller's to
    judge. ToolError only when ffmpeg cannot be run at all."""
    command = [ffmpeg_path(), "-hide_banner", "-nostdin", "-loglevel", "error", *args]
    try:
        return subprocess.run(command, input=stdin, capture_output=True, check=False, timeout=timeout_s,
                              **_child_options())
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        return None
    except OSError as exc:
        raise _cannot_run(command, exc) from None


def start_fed(args: list[str], log: IO[bytes]) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """Start an ffmpeg that reads its input from a pipe the caller writes to as it goes, logging at info level
    into `log` (a file, not a pipe, so a chatty ffmpeg can never stall waiting for a reader). Returns the
    process and its input; the caller waits for it and judges its exit with `check_exit`."""
    command = [ffmpeg_path(), "-hide_banner", "-loglevel", "info", *args]
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log,
                                   **_child_options())
    except OSError as exc:
        raise _cannot_run(command, exc) from None
    assert process.stdin is not None  # asked for with stdin=PIPE
    return process, process.stdin


def run_piped(first: list[str], second: list[str], what: str,
              cwd: Path | None = None) -> tuple[subprocess.CompletedProcess[bytes], subprocess.CompletedProcess[bytes]]:
    """Two ffmpeg processes, the first's stdout feeding the second's stdin, run to completion together (the
    first in folder `cwd` if given); the second logs at info level (a meter's summary)."""
    base = [ffmpeg_path(), "-hide_banner", "-nostdin", "-y"]
    try:
        producer = subprocess.Popen([*base, "-loglevel", "error", *first], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, cwd=cwd, **_child_options())
    except OSError as exc:
        raise _cannot_run(base, exc) from None
    try:
        consumer = subprocess.Popen([*base[:2], "-loglevel", "info", *second], stdin=producer.stdout,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **_child_options())
    except OSError as exc:
        producer.kill()
        producer.wait()
        raise _cannot_run(base, exc) from None
    assert producer.stdout is not None  # asked for with stdout=PIPE
    producer.stdout.close()  # the consumer holds the only reading end now
    try:
        consumer_err = consumer.communicate()[1]
        producer_err = producer.communicate()[1]
    except BaseException:
        for process in (producer, consumer):
            process.kill()
            process.wait()
        raise
    check_exit(producer.returncode, producer_err, what)
    check_exit(consumer.returncode, consumer_err, what)
    return (subprocess.CompletedProcess(producer.args, producer.returncode, b"", producer_err),
            subprocess.CompletedProcess(consumer.args, consumer.returncode, b"", consumer_err))
