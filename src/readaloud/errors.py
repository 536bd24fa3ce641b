"""Error families. The CLI turns each into one line and an exit code; nothing else prints."""

from __future__ import annotations


class ReadaloudError(Exception):
    """Base of every error readaloud reports to the user; the message is one line they can act on."""

    exit_code = 1


class InputError(ReadaloudError):
    """The article (or a setting) is unusable: missing, empty, binary, wrong encoding or type."""


class ConfigError(ReadaloudError):
    """A configuration file or value is wrong; usage-class error."""

    exit_code = 2


class UsageError(ReadaloudError):
    """A command was given something it cannot use (OUT_DIR that is no folder): exit 2, as a bad option."""

    exit_code = 2


class ToolError(ReadaloudError):
    """An external tool (ffmpeg) is missing or failed."""


class SynthesisError(ReadaloudError):
    """An engine could not produce audio for a chunk and retrying will not help."""


class TransientEngineError(SynthesisError):
    """A failure worth retrying (429, 5xx, timeout, empty reply).

    `retry_after` carries the server's Retry-After in seconds when it sent one.
    """

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class EngineUnavailable(SynthesisError):
    """The engine cannot be reached or loaded at all; under `auto` this triggers the fallback."""


class EngineMisconfigured(EngineUnavailable, ConfigError):
    """The engine's settings do not let it run (no key, no voice file, a voice file that is no voice): under
    `auto` the next engine of the chain speaks, as for any unavailable engine; an engine named on its own
    fails as a configuration error (exit 2)."""

    exit_code = 2
