"""Stage 1 of 6 (ingest): a Lever webhook and the opportunity it names -> application contract v1.

Sources: Lever Help Center, "Configuring webhooks" (help.lever.co, article 20087284427677:
"Application created - Triggers when a candidate application is created"); the body shape
``{"triggeredAt", "event", "signature", "token", "data": {"applicationId", "contactId",
"opportunityId"}}`` and the opportunity fields are as several independent Lever integrations
read them; Lever's developer reference is at https://hire.lever.co/developer/documentation.

Lever's webhook is thin: it carries ids only, and its ``data`` is not covered by the signature.
So the receiver queues the opportunity id, and the worker fetches the opportunity from Lever's
API (``GET /v1/opportunities/{id}`` with the configured key) before mapping it here; the ids in a
webhook are only ever used to ask Lever, never trusted as data. ``applicationCreated`` is
screened; other events, and the connection test Lever sends without an opportunity id, are
ignored. The delivery id is ``token:triggeredAt`` (both inside the signed string).

Which contract field each opportunity field feeds (paths under the API response's ``data``):

=====================================  ==================================================
Lever opportunity                      contract v1
=====================================  ==================================================
(webhook) data.applicationId, else     id (``lever-<id>``)
data.opportunityId
(the vendor)                           source: ``lever``
createdAt (ms since 1970)              received_at
name                                   name
emails[]                               emails
phones[].value                         phones
links[]                                links
(webhook) data.opportunityId           (the opportunity fetched; write-back notes go to it)
=====================================  ==================================================

Not mapped: ``location`` and ``headline`` (free text with no structure to map onto a country or
a dated role), tags, sources, owner, followers and stage.

The resume: ``GET /v1/opportunities/{id}/resumes`` lists the opportunity's resumes (``data[]``
with ``id`` and ``file.name``), and ``GET /v1/opportunities/{id}/resumes/{resume}/download``
returns the file, both with the API key [3rd-party: routes as Lever integrations call them;
Lever's reference was not readable here]. A download that redirects off api.lever.co is refused
(no other Lever file host is documented) and noted.
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
    epoch_ms,
    erasure,
    event_name,
    ignored,
    vendor_id,
)
from screening.ingest.ats.vendor import (
    Access,
    Acknowledge,
    Api,
    ApiCall,
    ApiError,
    Headers,
    Resume,
    SignatureError,
    Signed,
    Vendor,
    check_fresh,
    digest,
    same,
)

VENDOR = "lever"
APPLICATION_EVENT = "applicationCreated"
ERASE_EVENT = "candidateDeleted"  # event name from several integrations [unverified shape]


def read_event(envelope: Mapping[str, object], headers: Headers) -> AtsEvent:
    """The event in a decoded body (signature fields are checked by the receiver first)."""
    event = event_name(envelope.get("event"))
    data = envelope.get("data")
    if event == ERASE_EVENT and isinstance(data, Mapping):
        # the opportunity our job addresses (legacy ``candidateId`` is the same id)
        key = "opportunityId" if data.get("opportunityId") else "candidateId"
        return erasure(VENDOR, event, candidate=(data.get(key), f"data.{key}"))
    if event != APPLICATION_EVENT or not isinstance(data, Mapping) or not data.get("opportunityId"):
        return ignored(VENDOR, event)
    opportunity = vendor_id(data.get("opportunityId"), "data.opportunityId")
    application = data.get("applicationId")
    return AtsEvent(
        vendor=VENDOR,
        event=event,
        kind=EventKind.APPLICATION,
        application_id=(
            vendor_id(application, "data.applicationId") if application else opportunity
        ),
        candidate_ref=opportunity,
        delivery_id=f"{envelope.get('token')}:{envelope.get('triggeredAt')}",
        record={"opportunityId": opportunity},
    )


def to_contract(opportunity: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of an opportunity fetched from Lever's API."""
    r = Reader("data")
    name = r.text(opportunity, "name", "name")
    emails = r.texts(opportunity, "emails", "emails")
    phones = r.values(opportunity, "phones", "phones", "value")
    links = r.texts(opportunity, "links", "links")
    received = epoch_ms(opportunity.get("createdAt"), r, "createdAt")
    return contract(
        r,
        app_id,
        VENDOR,
        {"received_at": received, "name": name, "emails": emails, "phones": phones, "links": links},
    )


_MAX_MILLISECONDS = 10**15  # about the year 33658: beyond it a number is not a timestamp


def verify(secret: str, request: Signed) -> None:
    """Body fields: ``signature`` = hex(HMAC-SHA256(secret, token + triggeredAt)), fresh.

    Several independent Lever integrations agree on this (Lever's own reference was not
    available). ``triggeredAt`` (ms since 1970) is inside the signed string, so a delivery
    signed longer ago (or further ahead) than the replay window is refused as stale. The body's
    ``data`` is not signed: it is only used to ask Lever's API for the opportunity.
    """
    envelope = request.envelope
    token = envelope.get("token")
    triggered = envelope.get("triggeredAt")
    presented = envelope.get("signature")
    if not isinstance(token, str) or not token or not isinstance(presented, str):
        raise SignatureError("missing token or signature in the body")
    if (
        isinstance(triggered, bool)
        or not isinstance(triggered, int)
        or not 0 <= triggered < _MAX_MILLISECONDS
    ):
        raise SignatureError("missing triggeredAt (milliseconds since 1970) in the body")
    expected = digest(secret, f"{token}{triggered}".encode()).hex()
    if not same(expected, presented):
        raise SignatureError("the signature does not match token and triggeredAt")
    check_fresh(request, triggered / 1000)


def sign(secret: str, payload: Mapping[str, object], now: float) -> tuple[bytes, dict[str, str]]:
    """A delivery signed as Lever signs it: ``triggeredAt`` set to ``now``, ``signature`` anew."""
    stamp = int(now * 1000)
    token = str(payload.get("token", ""))
    mac = digest(secret, f"{token}{stamp}".encode()).hex()
    body = json.dumps({**payload, "triggeredAt": stamp, "signature": mac}).encode()
    return body, {"Content-Type": "application/json"}


def fetch(api: Api, access: Access, meta: Mapping[str, str]) -> Mapping[str, object]:
    """``GET /v1/opportunities/{id}`` with the API key: the webhook carries ids only."""
    call = ApiCall(
        "GET",
        f"{access.api_url}/v1/opportunities/{quote(meta.get('candidate', ''), safe='')}",
        headers={"Accept": "application/json"},
        basic_auth=(access.api_key or "", ""),
    )
    answer = api.json(call)
    data = answer.get("data") if isinstance(answer, Mapping) else None
    if not isinstance(data, Mapping):
        raise ApiError("Lever's answer has no 'data' object", transient=False)
    return data


def fetch_resume(
    api: Api, access: Access, meta: Mapping[str, str], record: Mapping[str, object]
) -> Resume | None:
    """The opportunity's first listed resume, downloaded with the API key (see the module)."""
    base = f"{access.api_url}/v1/opportunities/{quote(meta.get('candidate', ''), safe='')}"
    key = (access.api_key_for("Fetching Lever's resume"), "")
    answer = api.json(ApiCall("GET", f"{base}/resumes", basic_auth=key))
    rows = answer.get("data") if isinstance(answer, Mapping) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, Mapping) and isinstance(row.get("id"), str) and row["id"]:
            file = row.get("file")
            name = file.get("name") if isinstance(file, Mapping) else None
            url = f"{base}/resumes/{quote(row['id'], safe='')}/download"
            data = api.download(ApiCall("GET", url, basic_auth=key), access)
            return Resume(data, name[:200] if isinstance(name, str) else "")
    return None


def note(access: Access, candidate_ref: str, text: str) -> ApiCall:
    """``POST /v1/opportunities/{id}/notes`` (``perform_as`` when a user is configured);
    a private note is a ``secret`` one (not shown to everyone on the opportunity)."""
    return ApiCall(
        "POST",
        f"{access.api_url}/v1/opportunities/{quote(candidate_ref, safe='')}/notes",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        json={"value": text, "secret": True} if access.note_private else {"value": text},
        params={"perform_as": access.user_id} if access.user_id else {},
        basic_auth=(access.api_key or "", ""),
    )


def list_notes(access: Access, candidate_ref: str) -> ApiCall:
    """``GET /v1/opportunities/{id}/notes`` (Lever "List all notes"), its largest page."""
    return ApiCall(
        "GET",
        f"{access.api_url}/v1/opportunities/{quote(candidate_ref, safe='')}/notes",
        headers={"Accept": "application/json"},
        params={"limit": "100"},
        basic_auth=(access.api_key or "", ""),
    )


DESCRIPTION = Vendor(
    name=VENDOR,
    title="Lever",
    read_event=read_event,
    to_contract=to_contract,
    verify=verify,
    sign=sign,
    acknowledge=Acknowledge.ACCEPTED,
    # Lever documents no retry schedule: a day covers a redelivery after a long outage of ours,
    # and a replay of the same delivery (token:triggeredAt) is still answered ``duplicate``
    replay_window_seconds=24 * 3600.0,
    api_url="https://api.lever.co",
    signed_in_body=True,
    fetch=fetch,
    note=note,
    fetch_resume=fetch_resume,
    list_notes=list_notes,
)
