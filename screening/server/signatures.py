"""Webhook signatures, verified exactly as each vendor documents them, in constant time.

The server calls these before it trusts anything in a delivery: a bad or missing signature is a
401 and nothing is queued. Every comparison goes through ``hmac.compare_digest`` on canonical
encodings we computed ourselves; a presented signature is never decoded (so no alternative
spelling of the same bytes is accepted).

What each vendor signs, and where we read it:

- **Greenhouse** ("Recruiting Webhooks", Authentication; grnhse/greenhouse-api-docs
  ``source/includes/webhooks/_introduction.md``): header ``Signature: sha256 <hex>``, "the SHA
  algorithm used to generate the signature, a space, and the signature";
  ``hex(HMAC-SHA256(secret key, entire raw body))`` with the body's escaped Unicode as sent. No
  timestamp is signed, so replays are stopped by the ``Greenhouse-Event-ID`` delivery id.
- **Lever** (research/ats.md section 3: several independent Lever integrations agree; Lever's
  own reference was not available): the body's ``signature`` is
  ``hex(HMAC-SHA256(signature token, token + str(triggeredAt)))``, plain concatenation.
  ``triggeredAt`` (ms since 1970) is inside the signed string, so deliveries older (or further
  in the future) than ``[server] signature_max_age_seconds`` are refused as stale. The body's
  ``data`` is not signed: it is only used to ask Lever's API for the opportunity.
- **Ashby** ("Authenticating Webhooks", developers.ashbyhq.com): header
  ``Ashby-Signature: sha256=<hex>`` over "the raw payload (i.e. whole request body, json
  string)". No timestamp; ``webhookActionId`` is the delivery id.
- **Workable** ("Webhook Subscriptions", workable.readme.io): "HMAC SHA256 on the payload of the
  request", sent in ``X-Workable-Signature``, keyed with the account API token or the OAuth
  application secret. The encoding is not documented, so both canonical encodings of the same
  digest are accepted: lowercase hex and padded standard base64. No timestamp.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping

Headers = Mapping[str, str]


class SignatureError(Exception):
    """The delivery is not authentic (missing, malformed, wrong or stale signature)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _digest(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()


def _same(expected: str, presented: str) -> bool:
    return hmac.compare_digest(expected.encode("ascii"), presented.encode("utf-8", "replace"))


def _header(headers: Headers, name: str) -> str:
    value = headers.get(name.lower(), "")
    if not value:
        raise SignatureError(f"missing {name} header")
    return value.strip()


def verify_greenhouse(secret: str, headers: Headers, body: bytes) -> None:
    """``Signature: sha256 <hex of HMAC-SHA256(secret, body)>``."""
    algorithm, _, presented = _header(headers, "Signature").partition(" ")
    if algorithm != "sha256" or not presented:
        raise SignatureError("the Signature header must read 'sha256 <hex digest>'")
    if not _same(_digest(secret, body).hex(), presented.strip()):
        raise SignatureError("the signature does not match the body")


def verify_ashby(secret: str, headers: Headers, body: bytes) -> None:
    """``Ashby-Signature: sha256=<hex of HMAC-SHA256(secret, body)>``."""
    presented = _header(headers, "Ashby-Signature")
    if not presented.startswith("sha256="):
        raise SignatureError("the Ashby-Signature header must read 'sha256=<hex digest>'")
    if not _same("sha256=" + _digest(secret, body).hex(), presented):
        raise SignatureError("the signature does not match the body")


def verify_workable(secret: str, headers: Headers, body: bytes) -> None:
    """``X-Workable-Signature``: HMAC-SHA256(secret, body) as hex or as base64."""
    presented = _header(headers, "X-Workable-Signature")
    digest = _digest(secret, body)
    as_hex = _same(digest.hex(), presented)
    as_base64 = _same(base64.b64encode(digest).decode("ascii"), presented)
    if not (as_hex | as_base64):  # both always computed: no early exit to time
        raise SignatureError("the signature does not match the body")


def verify_lever(
    secret: str,
    envelope: Mapping[str, object],
    max_age_seconds: float,
    clock: Callable[[], float] = time.time,
) -> None:
    """Body fields: ``signature`` = hex(HMAC-SHA256(secret, token + triggeredAt)), fresh."""
    token = envelope.get("token")
    triggered = envelope.get("triggeredAt")
    presented = envelope.get("signature")
    if not isinstance(token, str) or not token or not isinstance(presented, str):
        raise SignatureError("missing token or signature in the body")
    if isinstance(triggered, bool) or not isinstance(triggered, int):
        raise SignatureError("missing triggeredAt (milliseconds since 1970) in the body")
    expected = _digest(secret, f"{token}{triggered}".encode()).hex()
    if not _same(expected, presented):
        raise SignatureError("the signature does not match token and triggeredAt")
    age = clock() - triggered / 1000
    if abs(age) > max_age_seconds:
        raise SignatureError(
            f"stale delivery: signed {age:.0f} s ago, the limit is {max_age_seconds:g} s "
            "([server] signature_max_age_seconds)"
        )
