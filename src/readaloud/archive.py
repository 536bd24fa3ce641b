"""The archive a sync keeps in step: every article under SRC and the MP3 it mirrors to under OUT.

Only what a walk of SRC finds is ever built, and only ever below OUT: links that lead outside SRC (or
whose MP3 would land outside OUT), hidden files and folders, links that loop and folders that cannot be
listed are skipped with a warning.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from readaloud.model import Warn, ignore

ARTICLE_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})


class Planned(NamedTuple):
    """One article and what to do with it. `reason` is None when its MP3 is up to date; `error` is set when
    it cannot even be considered (two articles that would write the same MP3, an unreadable file)."""

    source: Path
    output: Path
    reason: str | None
    error: str | None = None


def output_for(src: Path, out: Path, source: Path) -> Path:
    """Where `source`'s MP3 goes: its path under SRC, mirrored under OUT, with the suffix .mp3. The name is
    only ever a path *below* OUT (the parts come from walking SRC, never from the article's content)."""
    return out / source.relative_to(src).with_suffix(".mp3")


def walk_folders(src: Path, warn: Warn) -> Iterator[tuple[Path, list[os.DirEntry[str]]]]:
    """Each folder under SRC (itself included) with its entries, not entering hidden folders or links.

    Not os.walk: on Python 3.11 it recurses once per level, so a tree about 1000 folders deep raised
    RecursionError and stopped the whole run; and it hides folders it cannot list. This walk keeps a
    list instead, and reports a folder it cannot list (permission, a path over the system's length
    limit) as one warning."""
    pending = [src]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            warn(f"{folder}: cannot be listed ({exc.strerror or exc}); the articles in it are skipped")
            continue
        entries.sort(key=lambda entry: entry.name)  # warnings in a stable order, folder by folder
        yield folder, entries
        pending.extend(reversed([folder / entry.name for entry in entries
                                 if not entry.name.startswith(".") and _is_real_folder(entry)]))


def _is_real_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_linked_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:  # a link that loops counts as no folder (os.walk lists it as a file too)
        return False


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # missing, a loop, a name over the length limit
        return False


def _resolved(path: Path) -> Path | None:
    """`path` with every link followed, or None when the links loop (Path.resolve raises RuntimeError on
    Python 3.11 and OSError on later versions)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def find_articles(src: Path, out: Path, warn: Warn = ignore) -> list[Planned]:
    """Every article under SRC with its output path, sorted by path (reason not yet decided).

    Skipped: hidden files and folders (editors' and readaloud's own temporary files are hidden), other
    file types, and anything that leads outside SRC (a link) or whose MP3 would land outside OUT (a link
    inside OUT); those are reported through `warn`, never built, as are links that loop and folders that
    cannot be listed. Linked folders are not entered: their target is either inside SRC (walked anyway)
    or outside it (not ours to read). An article whose MP3 path is a link that loops is planned with an
    error (reported as failed).
    """
    roots = (src.resolve(), out.resolve())
    found = [planned for here, entries in walk_folders(src, warn) for entry in entries
             if (planned := _plan_entry(here, entry, src, out, roots, warn)) is not None]
    found.sort(key=lambda planned: planned.source.relative_to(src).parts)  # path order, folder by folder
    # "a.txt" and "a.md" side by side would overwrite each other's MP3 every night and never be up to date:
    # both are reported, neither built, until one is renamed.
    by_output: dict[Path, list[Path]] = {}
    for planned in found:
        by_output.setdefault(planned.output, []).append(planned.source)
    return [planned if len(by_output[planned.output]) == 1 else planned._replace(
        error=f"{planned.output} would also be the MP3 of "
              f"{', '.join(str(s) for s in by_output[planned.output] if s != planned.source)}; rename one of them")
        for planned in found]


def _is_article_file(source: Path, entry: os.DirEntry[str], src: Path, src_root: Path, warn: Warn) -> bool:
    """Whether the entry is an article to read: not hidden, a folder or a link to one, of an article's type,
    a regular file, and (through any link) inside SRC. Skipped links and odd files are warned about."""
    if entry.name.startswith(".") or _is_real_folder(entry):
        return False
    if _is_linked_folder(entry):
        target = _resolved(source)
        if target is not None and not target.is_relative_to(src_root):
            warn(f"{source}: a link to a folder outside {src}; not followed")
        return False
    if os.path.splitext(entry.name)[1].lower() not in ARTICLE_SUFFIXES:
        return False
    if entry.is_symlink():
        target = _resolved(source)
        if target is None:
            warn(f"{source}: a link that loops; skipped")
            return False
        if not target.is_relative_to(src_root):
            warn(f"{source}: a link to a file outside {src}; skipped")
            return False
    if not _is_regular(source):  # a dangling link, a FIFO named like an article
        warn(f"{source}: not a regular file; skipped")
        return False
    return True


def _plan_entry(here: Path, entry: os.DirEntry[str], src: Path, out: Path, roots: tuple[Path, Path],
                warn: Warn) -> Planned | None:
    """The article at `entry` with its MP3's path, or None when it is not one to build (see find_articles)."""
    source = here / entry.name
    if not _is_article_file(source, entry, src, roots[0], warn):
        return None
    output = output_for(src, out, source)
    target = _resolved(output)
    if target is None:
        return Planned(source, output, None, f"{output}: a link that loops; not built")
    if not target.is_relative_to(roots[1]):
        warn(f"{source}: its MP3 {output} would be written outside {out} (a link there); skipped")
        return None
    return Planned(source, output, None)
