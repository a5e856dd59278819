"""Stage 1 of 6 (ingest): a Recruitee webhook and the candidate it names -> contract v1.

Sources: Recruitee, "Webhooks" (docs.recruitee.com/docs/webhooks: the "Test" button sends
``{"test":true}`` and creating a webhook needs a 200 to it; "Any response status other than
200 is considered a webhook delivery failure", retried with growing delays); the signature
header and scheme and the event envelope as several independent open-source integrations read
them (not confirmed by Recruitee's own pages); the candidate and note API (api.recruitee.com,
``/c/{company_id}/candidates/{id}`` and ``.../notes``, ``Authorization: Bearer <token>``).

- **Test delivery**: ``{"test":true}`` (possibly unsigned until the secret is saved) is answered
  200 and nothing is queued, so the webhook can be saved.
- **Signature**: ``X-Recruitee-Signature: <hex HMAC-SHA256(secret, raw body)>``; no timestamp,
  so replays are stopped by the delivery id (the envelope's top-level ``id``).
- **Answer**: 200 for every accepted delivery (``ALWAYS_200``).
- **Events**: ``candidate_created`` is screened, ``candidate_deleted`` erases
  (``payload.candidate.id``); everything else (``candidate_moved`` ...) is ignored.
- **Candidate fetched**: the webhook's candidate is a summary; the worker fetches
  ``GET {api_url}/candidates/{id}`` where ``api_url`` is ``https://api.recruitee.com/c/<company
  id>`` (configured: the company is yours, never taken from a delivery).
- **Write-back**: ``POST {api_url}/candidates/{id}/notes`` with ``{"note": {"body",
  "visibility": {"level"}}}``.

Which contract field each fetched field feeds (``candidate`` of the API answer):

===================================  ===============================================
Recruitee candidate                  contract v1
===================================  ===============================================
id                                   id (``recruitee-<id>``)
(the vendor)                         source: ``recruitee``
created_at                           received_at
name                                 name
emails[]                             emails
phones[]                             phones
social_links[], links[]              links
cover_letter                         cover_letter.text
===================================  ===============================================
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import quote

from screening.ingest.ats.common import (
    AtsEvent,
    EventKind,
    Reader,
    contract,
    erasure,
    event_name,
    ignored,
    pick,
    required,
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
    digest,
    header,
    same,
    signed_body,
)

VENDOR = "recruitee"
APPLICATION_EVENT = "candidate_created"
ERASE_EVENT = "candidate_deleted"
_TEST_BODY_MAX = 64
_CANDIDATE_KEYS = (
    "name",
    "emails",
    "phones",
    "social_links",
    "links",
    "cover_letter",
    "created_at",
)


def handshake(headers: Headers, body: bytes) -> Mapping[str, str] | None:
    """The "Test" delivery ``{"test":true}``: answered 200 whether or not it is signed."""
    if len(body) > _TEST_BODY_MAX:
        return None
    try:
        decoded = json.loads(body)
    except ValueError:
        return None
    return {} if decoded == {"test": True} else None


def verify(secret: str, request: Signed) -> None:
    """``X-Recruitee-Signature``: hex HMAC-SHA256 of the raw body."""
    presented = header(request.headers, "X-Recruitee-Signature")
    if not same(digest(secret, request.body).hex(), presented):
        raise SignatureError("the signature does not match the body")


def sign(secret: str, payload: Mapping[str, object], now: float) -> tuple[bytes, dict[str, str]]:
    """A delivery signed as Recruitee signs it."""
    return signed_body(secret, payload, "X-Recruitee-Signature", "{}")


def read_event(envelope: Mapping[str, object], headers: Headers) -> AtsEvent:
    """``event_type`` and ``payload.candidate.id``; the delivery id is the top-level ``id``."""
    event = event_name(envelope.get("event_type"))
    if event not in (APPLICATION_EVENT, ERASE_EVENT):
        return ignored(VENDOR, event)
    candidate = required(envelope, "payload.candidate")
    if event == ERASE_EVENT:
        return erasure(VENDOR, event, candidate=(candidate.get("id"), "payload.candidate.id"))
    ref = vendor_id(candidate.get("id"), "payload.candidate.id")
    delivery = envelope.get("id")
    return AtsEvent(
        vendor=VENDOR,
        event=event,
        kind=EventKind.APPLICATION,
        application_id=ref,
        candidate_ref=ref,
        delivery_id=str(delivery) if isinstance(delivery, int | str) else "",
        record={"id": ref},
    )


def _auth(access: Access) -> dict[str, str]:
    return {"Accept": "application/json", "Authorization": f"Bearer {access.api_key or ''}"}


def fetch(api: Api, access: Access, meta: Mapping[str, str]) -> Mapping[str, object]:
    """``GET {api_url}/candidates/{id}``: the candidate the webhook summarised."""
    ref = quote(meta.get("candidate", ""), safe="")
    answer = api.json(ApiCall("GET", f"{access.api_url}/candidates/{ref}", headers=_auth(access)))
    candidate = answer.get("candidate") if isinstance(answer, Mapping) else None
    if not isinstance(candidate, Mapping):
        raise ApiError("Recruitee's answer has no 'candidate' object", transient=False)
    return pick(candidate, _CANDIDATE_KEYS)


def to_contract(record: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of a fetched candidate; ``InputError`` for wrongly typed fields."""
    r = Reader("candidate")
    cover = r.text(record, "cover_letter", "cover_letter")
    return contract(
        r,
        app_id,
        VENDOR,
        {
            "received_at": r.text(record, "created_at", "created_at"),
            "name": r.text(record, "name", "name"),
            "emails": r.texts(record, "emails", "emails"),
            "phones": r.texts(record, "phones", "phones"),
            "links": r.texts(record, "social_links", "social_links")
            + r.texts(record, "links", "links"),
            "cover_letter": {"text": cover} if cover else None,
        },
    )


def note(access: Access, candidate_ref: str, text: str) -> ApiCall:
    """``POST {api_url}/candidates/{id}/notes``, private to the team by default."""
    level = "private" if access.note_private else "public"
    return ApiCall(
        "POST",
        f"{access.api_url}/candidates/{quote(candidate_ref, safe='')}/notes",
        headers={**_auth(access), "Content-Type": "application/json"},
        json={"note": {"body": text, "visibility": {"level": level}}},
    )


DESCRIPTION = Vendor(
    name=VENDOR,
    title="Recruitee",
    read_event=read_event,
    to_contract=to_contract,
    verify=verify,
    sign=sign,
    acknowledge=Acknowledge.ALWAYS_200,
    api_url=None,  # per company: https://api.recruitee.com/c/<company id>
    fetch=fetch,
    note=note,
    handshake=handshake,
)
