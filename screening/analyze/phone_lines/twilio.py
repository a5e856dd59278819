"""Twilio Lookup v2 line type intelligence, from its documented API.

    GET {base}/v2/PhoneNumbers/{E.164}?Fields=line_type_intelligence
    HTTP basic auth: Account SID (or API key SID) and Auth Token (or API key secret)

The answer's ``line_type_intelligence`` object carries ``type`` (mobile, landline, fixedVoip,
nonFixedVoip, tollFree, ...), ``carrier_name`` and ``error_code`` (for example 60600 when the
number is out of coverage). Errors come back as JSON ``{"code", "message", "status"}``: 401 for
bad credentials, 404 for a number Twilio cannot parse, 429 with ``Retry-After`` when rate
limited, 5xx when Twilio is down. Every one of them, and every timeout, becomes a
``LookupFailed`` with a plain reason; credentials never appear in a reason.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import quote

from screening.analyze.phone_lines.provider import LINE_TYPES, LineType, LookupFailed

if TYPE_CHECKING:
    import httpx

DEFAULT_BASE_URL = "https://lookups.twilio.com"
MAX_BODY_BYTES = 64 * 1024
AUTH_PAUSE = 300.0
DEFAULT_RETRY_AFTER = 60.0
MAX_RETRY_AFTER = 3600.0


class TwilioLineTypes:
    """Line types from Twilio Lookup v2 (one HTTP client, reused across threads)."""

    name: ClassVar[str] = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 5.0,
    ) -> None:
        if not account_sid or not auth_token:
            raise ValueError("Twilio needs an account SID and an auth token")
        import httpx

        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._client: httpx.Client = httpx.Client(
            auth=(account_sid, auth_token),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": "screening-phone-lookup"},
        )

    def describe(self) -> str:
        """The endpoint asked."""
        return f"{self.base_url}/v2/PhoneNumbers (line_type_intelligence)"

    def lookup(self, e164: str) -> LineType:
        """Ask Twilio for the line type of ``e164``."""
        import httpx

        url = f"{self.base_url}/v2/PhoneNumbers/{quote(e164, safe='+')}"
        try:
            with self._client.stream(
                "GET", url, params={"Fields": "line_type_intelligence"}
            ) as response:
                body = _read_capped(response)
                status = response.status_code
                retry_after = response.headers.get("Retry-After")
        except httpx.TimeoutException:
            raise LookupFailed(f"Twilio did not answer within {self.timeout:g} s") from None
        except httpx.HTTPError as exc:
            raise LookupFailed(f"cannot reach Twilio ({type(exc).__name__})") from None
        if status == 200:
            return _parse(body)
        detail = _error_detail(body)
        if status in (401, 403):
            raise LookupFailed(
                f"Twilio rejected the credentials (HTTP {status}{detail})", AUTH_PAUSE
            )
        if status == 404:
            raise LookupFailed(f"Twilio does not know this number (HTTP 404{detail})")
        if status == 429:
            pause = _retry_after(retry_after)
            raise LookupFailed(
                f"Twilio rate limit reached (HTTP 429{detail}); retry after {pause:g} s", pause
            )
        if status >= 500:
            raise LookupFailed(f"Twilio server error (HTTP {status}{detail})")
        raise LookupFailed(f"unexpected answer from Twilio (HTTP {status}{detail})")

    def close(self) -> None:
        """Close the HTTP client."""
        self._client.close()


def _read_capped(response: httpx.Response) -> bytes:
    body = bytearray()
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise LookupFailed("Twilio's answer is larger than expected; ignored")
    return bytes(body)


def _json(body: bytes) -> dict[str, object] | None:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _error_detail(body: bytes) -> str:
    data = _json(body) or {}
    code = data.get("code")
    return f", Twilio error {code}" if isinstance(code, int) else ""


def _retry_after(value: str | None) -> float:
    try:
        seconds = float(value) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        seconds = DEFAULT_RETRY_AFTER  # an HTTP date: wait the default rather than parse it
    return min(max(seconds, 1.0), MAX_RETRY_AFTER)


def _parse(body: bytes) -> LineType:
    data = _json(body)
    if data is None:
        raise LookupFailed("unreadable answer from Twilio (not JSON)")
    if data.get("valid") is False:
        return LineType(None)
    info = data.get("line_type_intelligence")
    if not isinstance(info, dict):
        raise LookupFailed("Twilio's answer has no line_type_intelligence (package not enabled?)")
    kind = info.get("type")
    code = info.get("error_code")
    if not kind and code is not None:
        raise LookupFailed(f"Twilio could not tell the line type (error {code})")
    known = kind if isinstance(kind, str) and kind in LINE_TYPES else None
    carrier = info.get("carrier_name")
    return LineType(
        known or ("unknown" if kind else None),
        str(carrier)[:120] if carrier else None,
    )
