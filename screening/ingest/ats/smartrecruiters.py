"""Stage 1 of 6 (ingest): a SmartRecruiters webhook and the candidate it names -> contract v1.

Sources: SmartRecruiters developer documentation (developers.smartrecruiters.com): "Receiving
webhook notifications", "Webhooks security", "Activate subscription" and the Customer API
"Candidates" reference (``GET /candidates/{id}``, ``X-SmartToken`` header); the signature test
vector published there is reproduced in ``tests/server/test_signatures.py``.

- **Activation**: SmartRecruiters POSTs with an ``X-Hook-Secret`` header and expects HTTP 200
  with the same header echoed within 20 s; nothing is queued.
- **Signature**: ``smartrecruiters-signature: v1=<hex>[;v1=<hex>...]`` (one entry per valid key
  during a key change; any matching ``v1`` is accepted) over
  ``timestamp "." body "." event-id "." event-name "." event-version "." link`` (headers, an
  empty string for a missing one), with ``smartrecruiters-timestamp`` in Unix seconds; older
  than the replay window is stale.
- **Answer**: HTTP 202 within 5 s is the only success; other codes are retried (1 min ... 24 h,
  up to 10 times) and repeated failures suspend the subscription. So every accepted delivery,
  duplicate or ignored, gets 202, and the replay window (three days) covers the retries.
- **Thin payload**: ``application.created`` carries ``{"job_id", "candidate_id"}`` only (and a
  ``link`` header we do not follow: only the configured API base is contacted). The worker
  fetches ``GET /candidates/{candidate_id}``. The delivery id is the ``event-id`` header.
- **Write-back**: the Customer API's note routes were not confirmed, so there is none (a vendor
  without write-back, docs/ats-vendors.md).

Which contract field each candidate field feeds (``GET /candidates/{id}``):

=================================  ====================================================
SmartRecruiters candidate          contract v1
=================================  ====================================================
(webhook) candidate_id + job_id    id (``smartrecruiters-<candidate id>.<job id>``)
(the vendor)                       source: ``smartrecruiters``
createdOn                          received_at
firstName + lastName               name
email                              emails[0]
phoneNumber                        phones[0]
web.linkedIn / website / ...       links
location.country / region / city   location.country / region / city
experience[].employer / title /    employment[].employer / title / start / end
startDate / endDate                (``current`` with no end: ``present``)
education[].institution / degree   education[].institution / degree (with ``major``)
/ major / startDate / endDate      / start / end
=================================  ====================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import quote

from screening.ingest.ats.common import (
    AtsEvent,
    EventKind,
    Reader,
    compact,
    contract,
    event_name,
    ignored,
    joined,
    pick,
    vendor_date,
    vendor_id,
)
from screening.ingest.ats.vendor import (
    Access,
    Acknowledge,
    Api,
    ApiCall,
    ApiError,
    Headers,
    SignatureError,
    Signed,
    Vendor,
    check_fresh,
    digest,
    header,
    same,
)

VENDOR = "smartrecruiters"
APPLICATION_EVENT = "application.created"
_SIGNED_HEADERS = ("event-id", "event-name", "event-version", "link")
_HOOK_SECRET = re.compile(r"[\x21-\x7e]{1,512}")
_TIMESTAMP = re.compile(r"\d{1,12}")
_CANDIDATE_KEYS = (
    "firstName",
    "lastName",
    "email",
    "phoneNumber",
    "location",
    "web",
    "experience",
    "education",
    "createdOn",
)
_WEB_KEYS = ("linkedIn", "website", "xing", "skype", "twitter", "facebook")


def handshake(headers: Headers, body: bytes) -> Mapping[str, str] | None:
    """The activation request: echo ``X-Hook-Secret`` (a short printable token) with 200."""
    value = headers.get("x-hook-secret")
    if value is None or not _HOOK_SECRET.fullmatch(value):
        return None
    return {"X-Hook-Secret": value}


def _message(headers: Headers, timestamp: str, body: bytes) -> bytes:
    rest = ".".join(headers.get(name, "") for name in _SIGNED_HEADERS)
    return timestamp.encode("ascii") + b"." + body + b"." + rest.encode("utf-8")


def verify(secret: str, request: Signed) -> None:
    """Any ``v1=`` entry equal to hex(HMAC-SHA256(key, the signed string)), fresh."""
    timestamp = header(request.headers, "smartrecruiters-timestamp")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise SignatureError("the smartrecruiters-timestamp header must be Unix seconds")
    presented = header(request.headers, "smartrecruiters-signature")
    expected = "v1=" + digest(secret, _message(request.headers, timestamp, request.body)).hex()
    matched = False
    for entry in presented.split(";")[:16]:  # up to 16 unexpired keys
        matched |= same(expected, entry.strip())  # every entry compared: no early exit
    if not matched:
        raise SignatureError("no v1 signature matches the request")
    check_fresh(request, int(timestamp))


def sign(secret: str, payload: Mapping[str, object], now: float) -> tuple[bytes, dict[str, str]]:
    """A delivery signed as SmartRecruiters signs it: compact body, headers, ``v1=``."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {
        "content-type": "application/json",
        "smartrecruiters-timestamp": str(int(now)),
        "event-id": f"evt-{digest(secret, body).hex()[:16]}",
        "event-name": APPLICATION_EVENT,
        "event-version": "v201910",
        "link": "<https://api.smartrecruiters.com/candidates>; rel=self",
    }
    mac = digest(secret, _message(headers, headers["smartrecruiters-timestamp"], body)).hex()
    return body, {**headers, "smartrecruiters-signature": f"v1={mac}"}


def read_event(envelope: Mapping[str, object], headers: Headers) -> AtsEvent:
    """The event is named in the ``event-name`` header; the body holds the ids."""
    event = event_name(headers.get("event-name"))
    if event != APPLICATION_EVENT:
        return ignored(VENDOR, event)
    candidate = vendor_id(envelope.get("candidate_id"), "candidate_id")
    job = vendor_id(envelope.get("job_id"), "job_id")
    return AtsEvent(
        vendor=VENDOR,
        event=event,
        kind=EventKind.APPLICATION,
        application_id=f"{candidate}.{job}",
        candidate_ref=candidate,
        record={"candidate_id": candidate, "job_id": job},
    )


def fetch(api: Api, access: Access, meta: Mapping[str, str]) -> Mapping[str, object]:
    """``GET /candidates/{id}`` with ``X-SmartToken``: the webhook carries ids only."""
    ref = quote(meta.get("candidate", ""), safe="")
    answer = api.json(
        ApiCall(
            "GET",
            f"{access.api_url}/candidates/{ref}",
            headers={"Accept": "application/json", "X-SmartToken": access.api_key or ""},
        )
    )
    if not isinstance(answer, Mapping):
        raise ApiError("SmartRecruiters' answer is not a candidate object", transient=False)
    return pick(answer, _CANDIDATE_KEYS)


def to_contract(record: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of a fetched candidate; ``InputError`` for wrongly typed fields."""
    r = Reader("candidate")
    name = joined(
        [r.text(record, "firstName", "firstName"), r.text(record, "lastName", "lastName")]
    )
    web = r.mapping(record, "web", "web")
    links = [r.text(web, key, f"web.{key}") for key in _WEB_KEYS if key != "skype"]
    where = r.mapping(record, "location", "location")
    location = compact(
        {
            "country": r.text(where, "country", "location.country"),
            "region": r.text(where, "region", "location.region"),
            "city": r.text(where, "city", "location.city"),
        }
    )
    employment = []
    for i, e in enumerate(r.items(record, "experience", "experience")):
        at = f"experience[{i}]"
        role = {
            "employer": r.text(e, "employer", f"{at}.employer"),
            "title": r.text(e, "title", f"{at}.title"),
            "start": vendor_date(r.text(e, "startDate", f"{at}.startDate")),
            "end": vendor_date(r.text(e, "endDate", f"{at}.endDate")),
        }
        if not role["end"] and e.get("current") is True:
            role["end"] = "present"
        employment.append(compact(role))
    education = []
    for i, e in enumerate(r.items(record, "education", "education")):
        at = f"education[{i}]"
        parts = [r.text(e, "degree", f"{at}.degree"), r.text(e, "major", f"{at}.major")]
        study = {
            "institution": r.text(e, "institution", f"{at}.institution"),
            "degree": joined(parts, ", "),
            "start": vendor_date(r.text(e, "startDate", f"{at}.startDate")),
            "end": vendor_date(r.text(e, "endDate", f"{at}.endDate")),
        }
        education.append(compact(study))
    return contract(
        r,
        app_id,
        VENDOR,
        {
            "received_at": r.text(record, "createdOn", "createdOn"),
            "name": name,
            "emails": [r.text(record, "email", "email")],
            "phones": [r.text(record, "phoneNumber", "phoneNumber")],
            "location": location,
            "links": links,
            "employment": employment,
            "education": education,
        },
    )


DESCRIPTION = Vendor(
    name=VENDOR,
    title="SmartRecruiters",
    read_event=read_event,
    to_contract=to_contract,
    verify=verify,
    sign=sign,
    acknowledge=Acknowledge.ALWAYS_202,
    replay_window_seconds=3 * 86400.0,  # ten retries, the last ones a day apart
    api_url="https://api.smartrecruiters.com",
    delivery_header="event-id",
    fetch=fetch,
    handshake=handshake,
)
