"""Callback signatures: what readaloud sends, and the check a CMS runs on what it receives.

Each callback is a POST whose body is the job's JSON, with the header

    Readaloud-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." + body, keyed by the shared secret>

The timestamp is inside the signed bytes, so a captured callback cannot be replayed later with a new time;
the receiver refuses one older than its tolerance (5 minutes by default). This module needs only the
standard library, so a CMS can import it (`from readaloud.service.signing import verify`) or copy the
dozen lines of verify() into its own code.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Readaloud-Signature"
TOLERANCE_S = 300


class BadSignature(ValueError):
    """The callback is not from readaloud with this secret, or is too old: the receiver answers 400/401."""


def signature(body: bytes, secret: str, timestamp: int) -> str:
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return mac.hexdigest()


def sign(body: bytes, secret: str, now: float | None = None) -> str:
    """The Readaloud-Signature header value for `body`, sent at `now` (default: the time now)."""
    timestamp = int(time.time() if now is None else now)
    return f"t={timestamp},v1={signature(body, secret, timestamp)}"


def verify(body: bytes, header: str | None, secret: str, tolerance_s: float = TOLERANCE_S,
           now: float | None = None) -> int:
    """Check a received callback: `body` exactly as received (the raw bytes, before any JSON parsing),
    `header` the Readaloud-Signature value. Returns the signed timestamp; raises BadSignature when the
    header is missing or malformed, the signature does not match, or the timestamp is more than
    `tolerance_s` away from now."""
    if not header:
        raise BadSignature(f"no {HEADER} header")
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        fields.setdefault(name, []).append(value)
    try:
        timestamp = int(fields["t"][0])
    except (KeyError, ValueError):
        raise BadSignature(f"{HEADER} has no timestamp") from None
    expected = signature(body, secret, timestamp)
    # Several v1 values may come while a secret is being rotated; any one matching is enough.
    given = [value.encode("utf-8", "replace") for value in fields.get("v1", [])]  # bytes: any text compares
    if not any(hmac.compare_digest(expected.encode("ascii"), value) for value in given):
        raise BadSignature("signature does not match the body and the secret")
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        raise BadSignature(f"timestamp is {abs(current - timestamp):.0f} s away from now "
                           f"(more than {tolerance_s:g} s)")
    return timestamp
