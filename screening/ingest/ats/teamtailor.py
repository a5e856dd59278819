"""Stage 1 of 6 (ingest): a Teamtailor webhook and the application it names -> contract v1.

Sources: Teamtailor partner documentation (partner.teamtailor.com/company_webhooks; repository
Teamtailor/tt-partner-docs, ``source/includes/company_webhooks/_signatures``, ``_payloads``,
``_event_types``, ``_changelog``) and the public API reference (Teamtailor/docs: JSON:API,
``Authorization: Token token=<key>``, ``X-Api-Version``).

- **Signature (v2)**: ``TT-Signature`` is base64 of ``t=<unix seconds>,v2=<hex>`` where the hex
  is HMAC-SHA256(signature key, ``t + "." + raw body``); a timestamp outside the replay window
  is stale. The deprecated v1 signs only the resource id, not the body, and is refused: choose
  v2 in Teamtailor's webhook settings.
- **Answer**: any 2xx. "There is no retry mechanism at the moment" (changelog 2026-03-19), so
  the replay window is short (five minutes, for clock skew) and a refusal is a lost delivery:
  keep the receiver up, and reconcile through the API.
- **Events**: ``job_application.create`` is screened; ``job_application.destroy`` and
  ``candidate.destroy`` erase (``data.id``); everything else is ignored. No delivery id is
  documented: ``event_name:data.id``.
- **Thin payload**: a few attributes of the job application only. The worker fetches
  ``GET /v1/job-applications/{id}?include=candidate`` and maps the included candidate.
  Attribute keys are accepted in kebab-case (``first-name``, as the API sends) and snake_case.
- **Write-back**: ``POST /v1/notes`` (JSON:API ``notes`` with the candidate and the user as
  relationships), so ``user_id`` is required.

Which contract field each fetched field feeds:

=============================================  ===========================================
Teamtailor                                     contract v1
=============================================  ===========================================
(webhook) data.id (the job application)        id (``teamtailor-<id>``)
(the vendor)                                   source: ``teamtailor``
job application ``created-at``                 received_at
candidate ``first-name`` + ``last-name``       name
candidate ``email``                            emails[0]
candidate ``phone``                            phones[0]
candidate ``linkedin-url``                     links
candidate ``pitch``                            cover_letter.text
candidate id                                   (write-back: the note's candidate)
=============================================  ===========================================
"""

from __future__ import annotations

import base64
import binascii
import json
import re
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
    joined,
    required,
    vendor_id,
)
from screening.ingest.ats.vendor import (
    FETCHED_CANDIDATE,
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

VENDOR = "teamtailor"
APPLICATION_EVENT = "job_application.create"
ERASE_APPLICATION = "job_application.destroy"
ERASE_CANDIDATE = "candidate.destroy"
JSON_API = "application/vnd.api+json"
_V2 = re.compile(r"t=(\d{1,12}),v2=([0-9a-f]{64})")
_CANDIDATE_KEYS = ("first-name", "last-name", "email", "phone", "linkedin-url", "pitch")


def verify(secret: str, request: Signed) -> None:
    """``TT-Signature`` = base64(``t=<ts>,v2=<hex HMAC(key, t "." body)>``), fresh."""
    presented = header(request.headers, "TT-Signature")
    try:
        decoded = base64.b64decode(presented, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        raise SignatureError("the TT-Signature header is not base64 of 't=...,v2=...'") from None
    shape = _V2.fullmatch(decoded)
    if shape is None:
        raise SignatureError("the TT-Signature header is not a v2 signature (t=...,v2=...)")
    stamp, mac = shape.group(1), shape.group(2)
    if not same(digest(secret, stamp.encode() + b"." + request.body).hex(), mac):
        raise SignatureError("the signature does not match the body")
    check_fresh(request, int(stamp))


def sign(secret: str, payload: Mapping[str, object], now: float) -> tuple[bytes, dict[str, str]]:
    """A delivery signed as Teamtailor signs it (v2)."""
    body = json.dumps(payload).encode()
    stamp = str(int(now))
    value = f"t={stamp},v2={digest(secret, stamp.encode() + b'.' + body).hex()}"
    signature = base64.b64encode(value.encode()).decode("ascii")
    return body, {"Content-Type": "application/json", "TT-Signature": signature}


def read_event(envelope: Mapping[str, object], headers: Headers) -> AtsEvent:
    """``payload.event_name`` and ``payload.data.id``."""
    payload = required(envelope, "payload")
    event = event_name(payload.get("event_name"))
    if event not in (APPLICATION_EVENT, ERASE_APPLICATION, ERASE_CANDIDATE):
        return ignored(VENDOR, event)
    data = required(payload, "data", "payload")
    if event == ERASE_APPLICATION:
        return erasure(VENDOR, event, [(data.get("id"), "payload.data.id")])
    if event == ERASE_CANDIDATE:
        return erasure(VENDOR, event, candidate=(data.get("id"), "payload.data.id"))
    application = vendor_id(data.get("id"), "payload.data.id")
    return AtsEvent(
        vendor=VENDOR,
        event=event,
        kind=EventKind.APPLICATION,
        application_id=application,
        candidate_ref=application,  # until the fetch names the candidate
        delivery_id=f"{event}:{application}",
        record={"id": application},
    )


def _headers(access: Access) -> dict[str, str]:
    return {
        "Accept": JSON_API,
        "Authorization": f"Token token={access.api_key or ''}",
        "X-Api-Version": access.api_version or "",
    }


def fetch(api: Api, access: Access, meta: Mapping[str, str]) -> Mapping[str, object]:
    """``GET /v1/job-applications/{id}?include=candidate``: the application and its candidate."""
    ref = quote(meta.get("candidate", ""), safe="")  # the job application, until fetched
    answer = api.json(
        ApiCall(
            "GET",
            f"{access.api_url}/v1/job-applications/{ref}",
            headers=_headers(access),
            params={"include": "candidate"},
        )
    )
    data = answer.get("data") if isinstance(answer, Mapping) else None
    included = answer.get("included") if isinstance(answer, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(included, list):
        raise ApiError(
            "Teamtailor's answer has no job application with its candidate", transient=False
        )
    candidate = next(
        (c for c in included if isinstance(c, Mapping) and c.get("type") == "candidates"), None
    )
    if candidate is None:
        raise ApiError("Teamtailor's answer includes no candidate", transient=False)
    application = data.get("attributes")
    attributes = candidate.get("attributes")
    return {
        FETCHED_CANDIDATE: str(candidate.get("id") or ""),
        "created_at": _attr(application if isinstance(application, Mapping) else {}, "created-at"),
        "candidate": {key: _attr(attributes, key) for key in _CANDIDATE_KEYS}
        if isinstance(attributes, Mapping)
        else {},
    }


def _attr(attributes: Mapping[str, object], kebab: str) -> object:
    """An attribute in kebab-case (as the API sends it) or snake_case (as some examples do)."""
    value = attributes.get(kebab)
    return value if value is not None else attributes.get(kebab.replace("-", "_"))


def to_contract(record: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of a fetched application; ``InputError`` for wrongly typed fields."""
    r = Reader("included.candidates[0].attributes")
    cand = r.mapping(record, "candidate", "")
    name = joined(
        [r.text(cand, "first-name", "first-name"), r.text(cand, "last-name", "last-name")]
    )
    pitch = r.text(cand, "pitch", "pitch")
    return contract(
        r,
        app_id,
        VENDOR,
        {
            "received_at": r.text(record, "created_at", "data.attributes.created-at"),
            "name": name,
            "emails": [r.text(cand, "email", "email")],
            "phones": [r.text(cand, "phone", "phone")],
            "links": [r.text(cand, "linkedin-url", "linkedin-url")],
            "cover_letter": {"text": pitch} if pitch else None,
        },
    )


def note(access: Access, candidate_ref: str, text: str) -> ApiCall:
    """``POST /v1/notes``: a JSON:API note on the candidate, by the configured user."""
    return ApiCall(
        "POST",
        f"{access.api_url}/v1/notes",
        headers={**_headers(access), "Content-Type": JSON_API},
        json={
            "data": {
                "type": "notes",
                "attributes": {"note": text},
                "relationships": {
                    "candidate": {"data": {"id": candidate_ref, "type": "candidates"}},
                    "user": {"data": {"id": access.user_id, "type": "users"}},
                },
            }
        },
    )


DESCRIPTION = Vendor(
    name=VENDOR,
    title="Teamtailor",
    read_event=read_event,
    to_contract=to_contract,
    verify=verify,
    sign=sign,
    acknowledge=Acknowledge.ACCEPTED,
    replay_window_seconds=300.0,  # no retries: the window only absorbs clock skew
    api_url="https://api.teamtailor.com",
    api_version="20161108",  # the version in the public API reference; set yours in api_version
    fetch=fetch,
    note=note,
    note_user="the Teamtailor user id notes are posted as",
)
