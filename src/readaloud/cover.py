"""The article's image as cover art, taken only from where the article may point.

The image's name is article text (Markdown `image:`, an HTML page's og:image or JSON-LD image), which a
broken CMS or an outsider may control, and the MP3 is published. So: only a regular file inside the
article's folder (images/ there included) is read, found without following any symbolic link; never a
device, a FIFO, a folder or anything over MAX_BYTES; warnings name a file only once it is known to lie
inside the folder, so they never tell whether some other path exists.

What is embedded is not the file but its pixels, decoded and encoded again by ffmpeg (same format, no
metadata, at most MAX_SIDE_PX a side). A file that merely starts like a PNG but holds something else
does not decode, so it is never published, and even a real photo's EXIF (a reporter's GPS position,
camera serial) or text chunks stay behind. Re-encoding a JPEG at quality 2 loses nothing visible.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

from readaloud import audio
from readaloud.model import Article, Cover, Warn

MAX_BYTES = 5_000_000  # a cover photo is tens to hundreds of kB; more is a wrong file
MAX_SIDE_PX = 3000  # the largest cover podcast directories ask for
MAX_PIXELS = 40_000_000  # what the decoder may allocate for (a 5 MB PNG can claim 16k x 16k pixels)
DECODE_TIMEOUT_S = 15.0
_KINDS = {b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png"}
_WEB_FOLDER = "images"  # where a copy of a web page's image may also be


class _NotUsed(Exception):
    """Why a cover candidate is not used, worded to follow "cover image NAME not used: "."""


def load_cover(article: Article, warn: Warn) -> Cover | None:
    """The article's image as cover art (JPEG or PNG), or None with one warning saying why not.

    Markdown names a path relative to the article. A web address, and anything an HTML page names (its
    og:image is a URL even when relative), is never downloaded: a build must not depend on the CMS's web
    server; a copy with the same file name beside the article or in images/ there is used instead."""
    if not article.image:
        return None
    source = article.source
    candidates = _candidates(source, article.image, warn)
    if candidates is None:
        return None
    base = Path(source).parent if source != "<stdin>" else Path(".")
    try:
        folder = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        warn(f"{source}: cover image not used: cannot open the article's folder ({exc.strerror or exc})")
        return None
    try:
        return _first_usable(folder, candidates, source, warn)
    finally:
        os.close(folder)


def _candidates(source: str, image: str, warn: Warn) -> list[PurePosixPath] | None:
    """Where below the article's folder its image may be, in the order to look; None (with a warning)
    when nowhere."""
    if image.lower().startswith("data:"):
        warn(f"{source}: cover image not used: an inline data: image; name an image file beside the article")
        return None
    if "://" in image or Path(source).suffix.lower() in (".html", ".htm"):
        name = _file_name_of(image)
        if name is None:
            warn(f"{source}: cover image not used: its address names no file")
            return None
        return [PurePosixPath(name), PurePosixPath(_WEB_FOLDER, name)]
    relative = PurePosixPath(image)
    if not image or relative.is_absolute() or ".." in relative.parts or not _plain(image):
        warn(f"{source}: cover image not used: outside the article's folder")
        return None
    return [relative]


def _first_usable(folder: int, candidates: list[PurePosixPath], source: str, warn: Warn) -> Cover | None:
    """The first candidate that exists, as a cover; None with one warning when it cannot be used or
    none exists. Only the last candidate's absence is reported."""
    for position, relative in enumerate(candidates):
        shown = _shown(relative)
        try:
            data = _read_inside(folder, relative)
        except FileNotFoundError:
            if position + 1 < len(candidates):
                continue
            if len(candidates) > 1:
                warn(f"{source}: cover image is a web address and no copy named {_shown(candidates[0])} "
                     f"is beside the article or in {_WEB_FOLDER}/ there; built without a cover")
            else:
                warn(f"{source}: cover image {shown} not used: no such file")
            return None
        except _NotUsed as reason:
            warn(f"{source}: cover image {shown} not used: {reason}")
            return None
        try:
            return _reencoded(data)
        except _NotUsed as reason:
            warn(f"{source}: cover image {shown} not used: {reason}")
            return None
    return None  # pragma: no cover - the loop always returns


def _file_name_of(address: str) -> str | None:
    """The last part of a URL's path, decoded ("https://x.vn/a/b%20c.jpg" -> "b c.jpg"), when usable."""
    from urllib.parse import unquote, urlsplit

    try:
        name = PurePosixPath(unquote(urlsplit(address).path)).name
    except ValueError:
        return None
    return name if name not in ("", ".", "..") and _plain(name) else None


def _plain(name: str) -> bool:
    # No NUL (no path can hold it) and no control character that could forge a line in a log.
    return not any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in name)


def _shown(relative: PurePosixPath) -> str:
    text = str(relative)
    return text if len(text) <= 120 else text[:119] + "…"


def _read_inside(folder: int, relative: PurePosixPath) -> bytes:
    """The bytes of the regular file at `relative` below the open directory `folder`, walking one name at
    a time without following a symbolic link anywhere, so nothing outside the folder can be reached.
    Its type is checked before it is opened (opening a device can act on it) and again after, on the open
    file; the open never blocks (a FIFO swapped in between), and at most MAX_BYTES + 1 bytes are read."""
    parts = [part for part in relative.parts if part != "."]
    if not parts:
        raise _NotUsed("not a file")
    opened: list[int] = []
    try:
        current = folder
        for part in parts[:-1]:
            current = _open_folder(part, current)
            opened.append(current)
        handle, size = _open_regular(parts[-1], current)
        opened.append(handle)
        return _read_capped(handle, size)
    finally:
        for fd in opened:
            os.close(fd)


def _open_folder(name: str, parent: int) -> int:
    """The folder `name` inside the open folder `parent`, opened unless it is a symbolic link."""
    try:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
    except FileNotFoundError:
        raise
    except (NotADirectoryError, OSError) as exc:
        # O_NOFOLLOW|O_DIRECTORY on a symbolic link fails with ENOTDIR (or ELOOP).
        if isinstance(exc, NotADirectoryError) or exc.errno == errno.ELOOP:
            raise _NotUsed("not in a folder inside the article's folder (symbolic links are not "
                           "followed)") from None
        raise _NotUsed(exc.strerror or "cannot be read") from None


def _open_regular(name: str, parent: int) -> tuple[int, int]:
    """The regular file `name` inside the open folder `parent`, its type checked before and after opening;
    returns the open file and its size."""
    try:
        found = os.stat(name, dir_fd=parent, follow_symlinks=False)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _NotUsed(exc.strerror or "cannot be read") from None
    _require_regular(found.st_mode)
    try:
        handle = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC,
                         dir_fd=parent)
    except OSError as exc:
        raise _NotUsed(exc.strerror or "cannot be read") from None
    try:
        found = os.fstat(handle)
        _require_regular(found.st_mode)
    except BaseException:
        os.close(handle)
        raise
    return handle, found.st_size


def _read_capped(handle: int, size_now: int) -> bytes:
    """All of the open file, refused once over MAX_BYTES (by its size, or as read: it may grow meanwhile)."""
    if size_now > MAX_BYTES:
        raise _NotUsed(f"larger than the {MAX_BYTES / 1_000_000:g} MB limit for a cover")
    chunks: list[bytes] = []
    size = 0
    while size <= MAX_BYTES:
        chunk = os.read(handle, min(1 << 20, MAX_BYTES + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_BYTES:  # grew while being read
        raise _NotUsed(f"larger than the {MAX_BYTES / 1_000_000:g} MB limit for a cover")
    return b"".join(chunks)


def _require_regular(mode: int) -> None:
    if stat.S_ISLNK(mode):
        raise _NotUsed("a symbolic link (not followed)")
    if not stat.S_ISREG(mode):
        raise _NotUsed("not a regular file")


def _reencoded(data: bytes) -> Cover:
    kind = next((kind for magic, kind in _KINDS.items() if data.startswith(magic)), None)
    if kind is None:
        raise _NotUsed("not a JPEG or PNG")
    pixels = audio.reencode_image(data, kind, MAX_SIDE_PX, MAX_PIXELS, DECODE_TIMEOUT_S)
    if pixels is None:
        raise _NotUsed(f"not a {kind.upper()} image that can be decoded")
    if len(pixels) > MAX_BYTES:
        raise _NotUsed(f"over {MAX_BYTES / 1_000_000:g} MB even re-encoded")
    return Cover(pixels, f"image/{kind}")
