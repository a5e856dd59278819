"""Signed, expiring report links: what a recruiter clicks in an ATS note.

Why: the results API needs a bearer token, which recruiters do not have, so a note's "full
report" link could not be opened. A link instead carries its own proof: an expiry time and
``hex(HMAC-SHA256(link key, "report:" id ":" expires))``. It opens one application's HTML report
(``GET /applications/{id}/report?expires=...&signature=...``), nothing else, until it expires or
the application is erased. The key is ``[server] link_secret`` (or one derived from the API
tokens), so changing it retires every link at once.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import quote, urlencode


def _signature(key: bytes, job_id: str, expires: int) -> str:
    return hmac.new(key, f"report:{job_id}:{expires}".encode(), hashlib.sha256).hexdigest()


def signed_report_link(
    public_url: str, key: bytes, job_id: str, *, now: float, seconds: float
) -> str:
    """The report's URL with ``expires`` and ``signature`` query parameters."""
    expires = int(now + seconds)
    query = urlencode({"expires": expires, "signature": _signature(key, job_id, expires)})
    return f"{public_url}/applications/{quote(job_id, safe='')}/report?{query}"


def link_problem(key: bytes | None, job_id: str, expires: str, signature: str, now: float) -> str:
    """Why a presented link does not open the report ("" when it does)."""
    if key is None:
        return "report links are not enabled ([server] link_secret or api_tokens)"
    if not expires.isdigit() or len(expires) > 12:
        return "the link is malformed"
    expected = _signature(key, job_id, int(expires))
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return "the link is not valid"
    if int(expires) < now:
        return "the link has expired; open the report from the ATS note again or ask for it"
    return ""
