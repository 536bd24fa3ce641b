"""Where a build writes: checks on the files it will replace, the temporary files and work folder it names
itself, and the removal of those a build left behind when it was killed outright (kill -9, the OOM killer).

Every staging folder and work folder is locked (flock) by its owner for as long as it is in use; the kernel
drops the lock when the owner dies, however it dies. A temporary of ours whose lock can be taken is
therefore left over by a dead build and may be removed; PIDs and ages need not be trusted. That holds
where flock is shared by every machine writing the folder: on a network file system that does not share
it, two machines building into one output folder could each take the other's live temporaries for stale.

The output folder is often writable by others (a web server's folder), so a build never writes there by
name: it writes into a staging folder of its own (mode 0700, so nobody else can put a link in it), under
names it makes up, and moves each finished file out through the folder's open descriptor. Swapping the
staging folder itself for a link is noticed before anything is published.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from readaloud.errors import InputError

TEMP_NAME = re.compile(r"\.readaloud-[0-9a-f]{12}\.tmp")  # staging folders (older builds: files) beside the outputs
WORK_PREFIX = "readaloud-build-"
WORK_NAME = re.compile(re.escape(WORK_PREFIX) + r"[a-z0-9_]{8}")  # in TMPDIR, as tempfile.mkdtemp names it
WORK_LOCK = ".lock"
# A work folder without its lock file was made in the instant before the lock was, or by a build killed in
# that instant: only the latter can be this old.
UNLOCKED_WORK_AGE_S = 3600.0

_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def check_target(path: Path, writable: bool = True) -> None:
    """Raise InputError unless `path` is free to be replaced by a new file: nothing there yet, or a regular
    file (with `writable`, one this process may write). A link to a regular file counts as one: the link is
    replaced, its target kept.

    A rename puts a new file over a device node, a FIFO or a read-only file just as over an MP3; run as root,
    `build -o /dev/null` would replace the machine's /dev/null. So those are refused, before anything is
    written; and nothing here opens the path (opening a FIFO blocks)."""
    try:
        info = os.stat(path)  # follows a link: what the path names is what a reader of it gets
    except FileNotFoundError:
        return  # nothing there, or a dangling link (the link is replaced)
    except OSError as exc:  # a loop of links, a file where a folder should be
        raise InputError(f"{path}: cannot be written: {exc.strerror}") from None
    link = "a link to " if os.path.islink(path) else ""
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is {link}a directory, not a file; not replaced")
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "something other than a file")
        raise InputError(f"{path}: is {link}{kind}, not a regular file; not replaced")
    if not writable:
        return
    # No write bit for anyone: read-only on purpose, even for root (whom os.access lets write anything).
    if not info.st_mode & 0o222:
        raise InputError(f"{path}: is {link}a read-only file; not replaced")
    if not os.access(path, os.W_OK):  # not this user's to write, or on a file system mounted read-only
        read_only_fs = os.statvfs(path).f_flag & os.ST_RDONLY
        raise InputError(f"{path}: cannot be written: {os.strerror(errno.EROFS if read_only_fs else errno.EACCES)}")


def check_targets(paths: Iterable[Path]) -> None:
    for path in paths:
        check_target(path)


def same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the file open as `fd` (another build's cleanup may have removed it in
    the instant between its creation and its lock)."""
    try:
        here, held = os.stat(path, follow_symlinks=False), os.fstat(fd)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


class Staging:
    """A private folder beside the outputs where a build writes its files before they are moved into place
    (the same file system, so each move is one atomic rename). Locked while this object lives."""

    def __init__(self, folder: Path) -> None:
        while True:
            path = folder / f".readaloud-{secrets.token_hex(6)}.tmp"
            try:
                os.mkdir(path, 0o700)
                fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
            except (FileExistsError, FileNotFoundError, NotADirectoryError):
                if not folder.is_dir():  # not there at all: trying again would never end
                    raise InputError(f"{folder}: no such folder; nothing was written") from None
                continue  # a name taken, or the folder removed or swapped in the instant after it was made
            except OSError as exc:
                if exc.errno != errno.ELOOP:
                    raise
                continue
            fcntl.flock(fd, fcntl.LOCK_EX)
            if same_file(fd, path):
                break
            os.close(fd)
        self.path, self._fd = path, fd

    def file_for(self, suffix: str) -> Path:
        """A name for one output's temporary (no user text: safe to hand to ffmpeg)."""
        return self.path / f"{secrets.token_hex(6)}{suffix}"

    def move(self, temp: Path, final: Path) -> None:
        """Put `temp` (made by file_for) in place as `final`, reached through the folder's descriptor."""
        if not same_file(self._fd, self.path):
            raise InputError(f"{final.parent}: the build's staging folder there was replaced while it ran; "
                             "nothing was published")
        info = os.stat(temp.name, dir_fd=self._fd, follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{final}: its temporary file is not a regular file; not published")
        os.replace(temp.name, final, src_dir_fd=self._fd)

    def remove(self) -> None:
        """Remove what is left in the folder, then the folder (only if its name still leads to it)."""
        try:
            for name in os.listdir(self._fd):
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=self._fd)
            if same_file(self._fd, self.path):
                with contextlib.suppress(OSError):
                    os.rmdir(self.path)
        finally:
            os.close(self._fd)


def publish(files: Mapping[Path, bytes]) -> None:
    """Write small finished files (a player page, a feed) the way a build publishes its MP3: every target
    checked first, the contents written in a staging folder beside them, then moved into place one
    rename each (a reader sees each file old or new, whole; a failure between two renames, such as the
    disk removed, can leave the first new beside the second old). Every target lies in one folder."""
    folders = {path.parent for path in files}
    if len(folders) != 1:
        raise ValueError("publish() writes into one folder at a time")
    check_targets(files)
    staging = Staging(folders.pop())
    try:
        staged = []
        for final, data in files.items():
            temp = staging.file_for(final.suffix)
            temp.write_bytes(data)
            staged.append((temp, final))
        for temp, final in staged:
            staging.move(temp, final)
    finally:
        staging.remove()


def _lock_new_folder(folder: Path) -> int | None:
    """The lock of the folder just made, held; None if another build's cleanup removed the folder first."""
    lock = folder / WORK_LOCK
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
    except FileNotFoundError:  # removed before the lock existed
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if same_file(fd, lock):
            return fd
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    """A private folder in TMPDIR for the build's raw audio, locked while in use, removed afterwards."""
    while True:
        folder = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
        try:
            fd = _lock_new_folder(folder)
        except BaseException:  # SIGTERM (raised as an exception) while locking: leave no folder behind
            shutil.rmtree(folder, ignore_errors=True)
            raise
        if fd is not None:
            break
    try:
        yield folder
    finally:
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)  # only now: the folder is never unlocked while it exists


def _take_abandoned(path: Path, folder: bool = False) -> int | None:
    """`path` open and locked when it is a regular file (with `folder`, a real folder) of ours that nobody
    holds; else None. Never blocks: a FIFO planted under one of our names is not opened for reading
    (O_NONBLOCK), a link is not followed."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | (os.O_DIRECTORY if folder else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode) if folder else stat.S_ISREG(mode):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
    except OSError:  # BlockingIOError: its owner is alive
        pass
    os.close(fd)
    return None


def _remove_abandoned_folder(path: Path) -> bool:
    fd = _take_abandoned(path, folder=True)
    if fd is None:
        return False
    try:
        if not same_file(fd, path):
            return False
        for name in os.listdir(fd):  # files only: a staging folder holds nothing else
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=fd)
        os.rmdir(path)  # while still locked, so no new owner can have it
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def remove_stale_temps(folder: Path) -> int:
    """Remove the staging folders (and, from older builds, temporary files) of dead builds from an output
    folder; returns how many."""
    removed = 0
    try:
        names = [entry.name for entry in os.scandir(folder) if TEMP_NAME.fullmatch(entry.name)]
    except OSError:
        return 0
    for name in names:
        if _remove_abandoned_folder(folder / name):
            removed += 1
            continue
        fd = _take_abandoned(folder / name)
        if fd is None:
            continue
        try:
            if same_file(fd, folder / name):
                (folder / name).unlink()  # while still locked, so no new owner can have it
                removed += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def remove_stale_work_folders(base: Path | None = None) -> int:
    """Remove the work folders of dead builds from TMPDIR (or `base`); returns how many. Only folders of
    this user, named as work_folder() names them, and never a link."""
    base = Path(tempfile.gettempdir()) if base is None else base
    removed = 0
    try:
        entries = [entry for entry in os.scandir(base) if WORK_NAME.fullmatch(entry.name)]
    except OSError:
        return 0
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            continue
        folder = Path(entry.path)
        lock = folder / WORK_LOCK
        if not os.path.lexists(lock):
            if time.time() - info.st_mtime > UNLOCKED_WORK_AGE_S:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
            continue
        fd = _take_abandoned(lock)
        if fd is None:
            continue
        try:
            if same_file(fd, lock):
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        finally:
            os.close(fd)
    return removed


def url_path(relative: str) -> str:
    """A published file's "/"-separated path as it goes into a URL: each segment percent-encoded from its
    bytes (UTF-8, or the raw bytes of a name that is not UTF-8), so any file name makes a valid address.
    The player's links and the feed's both come from here."""
    from urllib.parse import quote

    return "/".join(quote(os.fsencode(part), safe="") for part in relative.split("/"))
