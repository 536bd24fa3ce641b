"""Where the service keeps things: its folder (job store, lock, tokens), the public folder the audio is
published to, and the address each published file is reached at.

A slug from a request becomes a path only here, after jobs.sanitise_slug(), and is checked once more to
land inside the public folder.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from readaloud.errors import ConfigError, InputError

if TYPE_CHECKING:
    from readaloud.config import ServiceSettings


def default_data_dir() -> Path:
    """The user's data folder ($XDG_DATA_HOME or ~/.local/share), then readaloud/service."""
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(home) / "readaloud" / "service"


@dataclass(frozen=True)
class Places:
    data_dir: Path
    public_dir: Path
    public_url: str  # published files are at public_url + "/" + their path under public_dir
    api_url: str  # this service's own address, for the status URL in callbacks

    @classmethod
    def of(cls, service: ServiceSettings) -> Places:
        data = Path(service.data_dir) if service.data_dir else default_data_dir()
        public = Path(service.public_dir) if service.public_dir else data / "public"
        api = service.base_url.rstrip("/") or f"http://{_host_for_url(service.host)}:{service.port}"
        return cls(data, public, service.public_url.rstrip("/") or f"{api}/media", api)

    def status_url(self, job_id: str) -> str:
        return f"{self.api_url}/v1/builds/{job_id}"

    def make(self) -> None:
        for folder in (self.data_dir, self.public_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ConfigError(f"{folder}: cannot make the service folder ({exc.strerror or exc})") from None

    @property
    def store(self) -> Path:
        return self.data_dir / "jobs.sqlite3"

    @property
    def token_file(self) -> Path:
        return self.data_dir / "tokens"

    def output_for(self, slug: str) -> Path:
        """The MP3 for a (sanitised) slug, inside the public folder or InputError."""
        output = self.public_dir / f"{slug}.mp3"
        root = self.public_dir.resolve()
        if ".." in Path(slug).parts or not output.resolve().is_relative_to(root):
            raise InputError(f"slug {slug!r}: not a path inside the public folder")
        return output

    def relative(self, path: str | Path) -> str:
        return Path(path).resolve().relative_to(self.public_dir.resolve()).as_posix()

    def url_for(self, relative: str) -> str:
        return f"{self.public_url}/{quote(relative)}"

    def lock(self) -> int:
        """Hold the service folder for this process: one `serve` per job store. ConfigError when another
        process holds it. The lock goes with the process, however it ends."""
        self.make()
        fd = os.open(self.data_dir / "serve.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise ConfigError(f"{self.data_dir}: already served by process {holder} (one `readaloud serve` "
                              "per service folder; set [service] data_dir for another)") from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        return fd


def _host_for_url(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):
        return "localhost"
    return f"[{host}]" if ":" in host else host
