"""Stage 1 of 6 (ingest): what one applicant-tracking system is, as one ``Vendor`` description.

Why one description: everything the toolkit knows about a vendor (how its webhook is signed,
which events it sends, how it wants to be answered, where its delivery id is, its API base, how
to fetch a thin payload, how to post a note) lives in that vendor's module and is reached only
through its ``Vendor`` entry in the table (``screening.ingest.ats.VENDORS``). The server, the
configuration, the test helpers and the tests iterate over the table; none of them names a
vendor. Adding a vendor is one module, one table entry, its tests and its fixture
(docs/ats-vendors.md).

The outbound side is described, not performed, here: a vendor builds ``ApiCall`` values and
reads answers through an ``Api`` (the server's ``VendorHttp`` does the HTTP with retries, caps
and no redirects), so this stage stays free of network code.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit

from screening.ingest.ats.common import AtsEvent

Envelope = Mapping[str, object]
Headers = Mapping[str, str]
# the key of a fetched record that names the candidate notes go to, when the webhook did not
FETCHED_CANDIDATE = "candidate_ref"


class SignatureError(Exception):
    """The delivery is not authentic (missing, malformed, wrong or stale signature)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class ApiError(Exception):
    """A call that did not succeed; ``transient`` errors are worth another attempt later.

    ``status`` is the HTTP status when there was an answer (a vendor tells an expired file
    link, 403, from a missing one, 404)."""

    def __init__(self, message: str, *, transient: bool, status: int | None = None) -> None:
        self.transient = transient
        self.status = status
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One request: method, absolute URL, headers, JSON body, query, HTTP Basic credentials."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    json: object | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    basic_auth: tuple[str, str] | None = None
    form: Mapping[str, str] | None = None  # an application/x-www-form-urlencoded body
    # the OAuth token request whose access token goes in ``Authorization: Bearer`` (cached by
    # the server until it expires, asked again on a 401)
    oauth: ApiCall | None = None


@dataclass(frozen=True, slots=True)
class Resume:
    """A resume file as the vendor's API handed it over (read by the same intake as ``check``)."""

    data: bytes
    name: str  # the vendor's file name (shown, never used as a path)


class Api(Protocol):
    """Outbound HTTP as the server provides it (retries, size caps, no redirects)."""

    def send(self, call: ApiCall) -> bytes:
        """The body of a 2xx answer; ``ApiError`` otherwise."""
        ...

    def json(self, call: ApiCall) -> object:
        """The decoded JSON of a 2xx answer (bounded parser); ``ApiError`` otherwise."""
        ...

    def download(self, call: ApiCall, access: Access) -> bytes:
        """A file's bytes, once, from an allowed host only (``access.allowed_file_url``), within
        the server's size and time limits; redirects only to allowed hosts. ``ApiError``
        otherwise (``transient`` for time-outs, 429 and 5xx: the job step is retried)."""
        ...


@dataclass(frozen=True, slots=True)
class Access:
    """One vendor's resolved settings (secrets read once, by the server's options)."""

    name: str
    secrets: tuple[str, ...] = ()  # the current webhook secret, then the previous one
    replay_window_seconds: float = 300.0  # how old a signed timestamp may be
    writeback: bool = False
    api_key: str | None = None
    api_url: str | None = None
    user_id: str | None = None
    api_version: str | None = None  # a vendor API version header value (Teamtailor)
    note_private: bool = True  # notes private to the hiring team where the API allows it
    note_min_band: str = "medium"  # the lowest band that gets a note
    client_id: str | None = None  # OAuth client credentials: ``api_key`` is then the secret
    auth_url: str | None = None  # the OAuth token endpoint (Greenhouse Harvest v3)
    # https hosts the vendor documents for its files (pre-signed links), then configured ones
    file_hosts: tuple[str, ...] = ()
    resumes: bool = True  # fetch resumes through the API (off: noted as not fetched)

    def api_key_for(self, what: str) -> str:
        """The API key, or ``ApiError`` (permanent) saying that ``what`` needs one."""
        if not self.api_key or not self.api_url:
            raise ApiError(
                f"{what} needs the API: set [server.{self.name}] api_key and api_url",
                transient=False,
            )
        return self.api_key

    def allowed_file_url(self, url: str) -> str | None:
        """Why ``url`` may not be fetched (None: it may): only the configured API base (any
        scheme, as configured) and the vendor's file hosts over https are ever contacted."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return "the file link is not a URL"
        host = (parts.hostname or "").lower()
        shown = host if len(host) <= 60 else host[:59] + "…"  # a payload's host is quoted short
        if self.api_url is not None:
            base = urlsplit(self.api_url)
            if (parts.scheme, parts.netloc.lower()) == (base.scheme, base.netloc.lower()):
                return None
        if host in self.file_hosts:
            if parts.scheme != "https" or port not in (None, 443):
                return f"the file link to {shown} is not https"
            return None
        return f"{shown or 'the file link'} is not the API or a file host of {self.name}"

    @property
    def secret(self) -> str | None:
        """The current webhook secret (None: the receiver is not configured)."""
        return self.secrets[0] if self.secrets else None


@dataclass(frozen=True, slots=True)
class Signed:
    """A delivery as its signature is checked: raw headers and body, and the time."""

    headers: Headers
    body: bytes
    envelope: Envelope  # decoded first only for vendors that sign fields inside the body
    now: float
    max_age_seconds: float


class Acknowledge(StrEnum):
    """How a vendor wants a delivery answered (docs/ats-vendors.md, "Answer policy")."""

    ALWAYS_200 = "always-200"  # anything but 200 is a failure (Greenhouse, Workable ...)
    ALWAYS_202 = "always-202"  # only 202 is a success (SmartRecruiters)
    ACCEPTED = "accepted"  # 202 for queued and ignored, 200 for a duplicate (any 2xx)

    def status(self, outcome: str) -> int:
        """The HTTP status for ``queued``, ``ignored`` or ``duplicate``."""
        if self is Acknowledge.ALWAYS_200:
            return 200
        if self is Acknowledge.ALWAYS_202:
            return 202
        return 200 if outcome == "duplicate" else 202


@dataclass(frozen=True, slots=True)
class Vendor:
    """Everything about one ATS; the server and the tests read vendors only through this."""

    name: str
    title: str  # as the vendor spells itself, for messages and docs
    read_event: Callable[[Envelope, Headers], AtsEvent]
    to_contract: Callable[[Envelope, str], dict[str, object]]
    verify: Callable[[str, Signed], None]
    sign: Callable[[str, Mapping[str, object], float], tuple[bytes, dict[str, str]]]
    acknowledge: Acknowledge
    replay_window_seconds: float = 300.0  # default age limit of a signed timestamp (retries)
    api_url: str | None = None  # the public API base (None: per account, must be configured)
    signed_in_body: bool = False  # the signature covers fields inside the body (decode first)
    delivery_header: str | None = None  # the header that carries the delivery id, if any
    fetch: Callable[[Api, Access, Mapping[str, str]], Envelope] | None = None  # thin payloads
    note: Callable[[Access, str, str], ApiCall] | None = None  # write-back: add a note
    check_note: Callable[[object], None] | None = None  # a 2xx answer that still means failure
    # the documented call listing a candidate's notes: a write-back try that follows an
    # interrupted one looks there for its note before posting it again
    list_notes: Callable[[Access, str], ApiCall] | None = None
    note_user: str | None = None  # why write-back needs ``user_id`` (None: it does not)
    # a setup request answered 200 before any signature check, with these response headers
    # (SmartRecruiters' X-Hook-Secret activation, Recruitee's unsigned {"test": true})
    handshake: Callable[[Headers, bytes], Mapping[str, str] | None] | None = None
    api_version: str | None = None  # default API version header value, when the API needs one
    # the application's resume through the vendor's API (None: not offered for this vendor);
    # gets the queued record; None back: the vendor holds no resume for the application
    fetch_resume: Callable[[Api, Access, Mapping[str, str], Envelope], Resume | None] | None = None
    file_hosts: tuple[str, ...] = ()  # documented https hosts of its file links, exactly
    auth_url: str | None = None  # the OAuth token endpoint, when the API uses one


def digest(secret: str, message: bytes) -> bytes:
    """HMAC-SHA256, the scheme every supported vendor signs with."""
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()


def same(expected: str, presented: str) -> bool:
    """Constant-time comparison of a signature we computed with one presented to us."""
    return hmac.compare_digest(expected.encode("ascii"), presented.encode("utf-8", "replace"))


def header(headers: Headers, name: str) -> str:
    """A required signature header, stripped; ``SignatureError`` naming it when absent."""
    value = headers.get(name.lower(), "")
    if not value:
        raise SignatureError(f"missing {name} header")
    return value.strip()


def signed_body(
    secret: str, payload: Mapping[str, object], name: str, template: str
) -> tuple[bytes, dict[str, str]]:
    """A JSON body and its headers, with ``name: template.format(hex HMAC of the body)``."""
    body = json.dumps(payload).encode()
    value = template.format(digest(secret, body).hex())
    return body, {"Content-Type": "application/json", name: value}


def check_fresh(request: Signed, signed_at: float) -> None:
    """Refuse a signed timestamp outside the vendor's replay window (either direction)."""
    age = request.now - signed_at
    if abs(age) > request.max_age_seconds:
        raise SignatureError(
            f"stale delivery: signed {age:.0f} s ago, the limit is "
            f"{request.max_age_seconds:g} s (replay_window_seconds)"
        )
