"""API tokens: random, shown once, stored only as their SHA-256 (a token is 256 random bits, so a fast
hash is enough: there is nothing to guess by trying). Accepted tokens are those in [service] tokens and
in the service folder's `tokens` file, one "sha256:<hex>" per line."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

from readaloud.errors import ConfigError

PREFIX = "sha256:"
log = logging.getLogger("readaloud.service")


def new_token() -> tuple[str, str]:
    """A new token and the line that stores it."""
    token = "ra_" + secrets.token_urlsafe(32)
    return token, hashed(token)


def hashed(token: str) -> str:
    return PREFIX + hashlib.sha256(token.encode("utf-8")).hexdigest()


def checked(lines: Iterable[str], origin: str) -> tuple[str, ...]:
    kept = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith(PREFIX) or len(line) != len(PREFIX) + 64:
            raise ConfigError(f"{origin}: {line[:20]!r}...: not a stored token (expected sha256:<64 hex digits> "
                              "from `readaloud token`; the token itself is never stored)")
        kept.append(line.lower())
    return tuple(kept)


def read_token_file(path: Path) -> tuple[str, ...]:
    try:
        return checked(path.read_text(encoding="utf-8").splitlines(), str(path))
    except FileNotFoundError:
        return ()


def add_to_token_file(path: Path, line: str) -> None:
    """Append a stored token, the file readable by its owner only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o600)
    try:
        os.write(fd, (line + "\n").encode())
    finally:
        os.close(fd)


class Tokens:
    """The accepted tokens: those of the settings, and the tokens file's, read again whenever the file
    changes (`readaloud token --save` takes effect on a running server)."""

    def __init__(self, configured: Iterable[str], file: Path | None = None):
        self.configured = tuple(configured)
        self.file = file
        self._seen: tuple[int, int] | None = None
        self._from_file: tuple[str, ...] = ()
        self._refresh(strict=True)

    @property
    def stored(self) -> tuple[str, ...]:
        return self.configured + self._from_file

    def _refresh(self, strict: bool = False) -> None:
        """Read the file again if it changed. A file that cannot be read is a ConfigError when `strict` (at
        start); on a running server it is logged once, and the tokens read before are kept: a typo made
        while editing the file must not refuse every request."""
        if self.file is None:
            return
        try:
            found = self.file.stat()
            seen: tuple[int, int] | None = (found.st_mtime_ns, found.st_size)
        except FileNotFoundError:
            seen = None
        if seen != self._seen:
            self._seen = seen
            try:
                self._from_file = read_token_file(self.file)
            except (ConfigError, OSError, UnicodeDecodeError) as exc:
                if strict:
                    raise
                log.error("%s; the tokens read from it before are kept until it is fixed", exc)

    def allows(self, authorization: str | None) -> bool:
        """Whether an Authorization header carries one of the tokens (compared in constant time)."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        self._refresh()
        given = hashed(token.strip())
        return any(hmac.compare_digest(given, stored) for stored in self.stored)
