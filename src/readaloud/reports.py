"""The JSON the command line prints and a CMS may store: a build's result, a script, a failure. Shaped
here, once, so `Builder.build(...).as_dict()` stored by a CMS and `readaloud build --json` agree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from readaloud.model import BuildResult, Script


def build_as_dict(article: str, result: BuildResult) -> dict[str, Any]:
    return {"ok": True, "article": article, **result.as_dict()}


def script_as_dict(article: str, script: Script) -> dict[str, Any]:
    return {
        "article": article,
        "title": script.article.title,
        "sections": list(script.section_titles),
        "chunks": [{"index": c.index, "section": c.section, "role": c.role, "display": c.display,
                    "spoken": c.spoken, "pause_after_ms": c.pause_after_ms} for c in script.chunks],
    }


def failure_as_dict(about: Mapping[str, Any], message: str, exit_code: int) -> dict[str, Any]:
    """What failed (e.g. {"article": ...}), the error line and the exit code the command ends with."""
    return {"ok": False, **about, "error": message, "exit_code": exit_code}


def sync_as_dict(src: Path, out: Path, dry_run: bool, report: Mapping[str, Any]) -> dict[str, Any]:
    """`report`: SyncReport.as_dict() (taken as a mapping so this module needs nothing from sync)."""
    return {"src": str(src), "out": str(out), "dry_run": dry_run, **report}


def audit_as_dict(paths: list[str], engine: str, max_chars: int, seconds: float, failed: list[tuple[str, str]],
                  report: Mapping[str, Any]) -> dict[str, Any]:
    """`readaloud audit --json`: what was audited and how, then `report` (text.audit's Audit.as_dict)."""
    return {"ok": True, "paths": paths, "engine": engine, "max_chars": max_chars, "seconds": seconds,
            "failed": [{"article": article, "error": error} for article, error in failed], **report}
