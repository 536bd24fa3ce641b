"""Where a build writes: checks on the files it will replace."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from readaloud.errors import InputError

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
