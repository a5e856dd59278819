"""Stage 1 of 6 (ingest): an Ashby webhook -> application contract v1.

Sources: Ashby developer documentation (developers.ashbyhq.com): "Setting up Webhooks",
"Authenticating Webhooks", "Common Payload Data" (the body is ``{"webhookActionId", "action",
"data"}``; ``webhookActionId`` stays the same across retries) and the ``applicationSubmit``
webhook reference ("triggered when a candidate submits an application or when a candidate is
manually added"). ``applicationSubmit`` is screened; every other action, including the ``ping``
sent when a webhook is created, is ignored. The delivery id is ``webhookActionId``.

Which contract field each Ashby field feeds (paths under ``data.application``):

=============================================  ==========================================
Ashby                                          contract v1
=============================================  ==========================================
id                                             id (``ashby-<id>``); Ashby may merge
                                               candidates, so the application id is the key
(the vendor)                                   source: ``ashby``
createdAt                                      received_at
candidate.name                                 name
candidate.primaryEmailAddress.value,           emails (primary first, duplicates dropped)
candidate.emailAddresses[].value
candidate.primaryPhoneNumber.value,            phones (primary first, duplicates dropped)
candidate.phoneNumbers[].value
candidate.socialLinks[].url                    links
candidate.id                                   (write-back: ``candidate.createNote``)
=============================================  ==========================================

Not mapped: the job, interview stage, source, custom fields, credited user and archive reason
(not about the candidate).

The resume: ``candidate.info`` gives the candidate's ``resumeFileHandle`` and ``file.info`` the
file's ``url`` ("Retrieve the url of a file associated with a candidate", Ashby API reference);
Ashby documents no host for that url [unverified], so it is fetched only from a host listed in
``[server.ashby] file_hosts`` (https), and otherwise noted as not read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from screening.ingest.ats.common import (
    AtsEvent,
    Reader,
    contract,
    erasure,
    event_name,
    ignored,
    nested_application,
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
    Resume,
    SignatureError,
    Signed,
    Vendor,
    digest,
    header,
    same,
    signed_body,
)

VENDOR = "ashby"
APPLICATION_EVENT = "applicationSubmit"
ERASE_EVENT = "candidateDelete"  # a webhook type Ashby lists; ``data.candidate`` [unverified]
_PREFIX = "data.application"
_CANDIDATE_KEYS = (
    "name",
    "primaryEmailAddress",
    "emailAddresses",
    "primaryPhoneNumber",
    "phoneNumbers",
    "socialLinks",
)


def read_event(envelope: Mapping[str, object], headers: Headers) -> AtsEvent:
    """The event in a decoded body; ``InputError`` naming the field when the envelope is broken."""
    action = event_name(envelope.get("action"))
    if action == ERASE_EVENT:
        candidate = required(envelope, "data.candidate")
        return erasure(VENDOR, action, candidate=(candidate.get("id"), "data.candidate.id"))
    if action != APPLICATION_EVENT:
        return ignored(VENDOR, action)
    return nested_application(
        VENDOR,
        action,
        envelope,
        _PREFIX,
        received_key="createdAt",
        candidate_keys=_CANDIDATE_KEYS,
        delivery_id=vendor_id(envelope.get("webhookActionId"), "webhookActionId"),
    )


def to_contract(record: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of a recorded application; ``InputError`` for wrongly typed fields."""
    r = Reader(_PREFIX)
    cand = r.mapping(record, "candidate", "candidate")
    c = "candidate"
    primary_email = r.mapping(cand, "primaryEmailAddress", f"{c}.primaryEmailAddress")
    emails = [r.text(primary_email, "value", f"{c}.primaryEmailAddress.value")]
    emails += r.values(cand, "emailAddresses", f"{c}.emailAddresses", "value")
    primary_phone = r.mapping(cand, "primaryPhoneNumber", f"{c}.primaryPhoneNumber")
    phones = [r.text(primary_phone, "value", f"{c}.primaryPhoneNumber.value")]
    phones += r.values(cand, "phoneNumbers", f"{c}.phoneNumbers", "value")
    links = r.values(cand, "socialLinks", f"{c}.socialLinks", "url")
    name = r.text(cand, "name", f"{c}.name")
    received = r.text(record, "createdAt", "createdAt")
    return contract(
        r,
        app_id,
        VENDOR,
        {"received_at": received, "name": name, "emails": emails, "phones": phones, "links": links},
    )


_SIGNATURE = re.compile(r"sha256=[0-9a-f]{64}")


def verify(secret: str, request: Signed) -> None:
    """``Ashby-Signature: sha256=<hex of HMAC-SHA256(secret, raw body)>``.

    Ashby, "Authenticating Webhooks": over "the raw payload (i.e. whole request body, json
    string)". No timestamp; ``webhookActionId`` is the delivery id.
    """
    presented = header(request.headers, "Ashby-Signature")
    if not _SIGNATURE.fullmatch(presented):
        raise SignatureError("the Ashby-Signature header must read 'sha256=<hex digest>'")
    if not same("sha256=" + digest(secret, request.body).hex(), presented):
        raise SignatureError("the signature does not match the body")


def sign(secret: str, payload: Mapping[str, object], now: float) -> tuple[bytes, dict[str, str]]:
    """A delivery signed as Ashby signs it."""
    return signed_body(secret, payload, "Ashby-Signature", "sha256={}")


def note(access: Access, candidate_ref: str, text: str) -> ApiCall:
    """``POST /candidate.createNote`` with the API key (``Accept: ...; version=1``)."""
    return ApiCall(
        "POST",
        f"{access.api_url}/candidate.createNote",
        headers={"Content-Type": "application/json", "Accept": "application/json; version=1"},
        json={"candidateId": candidate_ref, "note": text},
        basic_auth=(access.api_key or "", ""),
    )


def fetch_resume(
    api: Api, access: Access, meta: Mapping[str, str], record: Mapping[str, object]
) -> Resume | None:
    """``candidate.info`` -> ``resumeFileHandle.handle`` -> ``file.info`` -> the file."""
    access.api_key_for("Fetching Ashby's resume")
    info = _results(api, access, "candidate.info", {"id": meta.get("candidate", "")})
    handle = info.get("resumeFileHandle")
    if not isinstance(handle, Mapping) or not isinstance(handle.get("handle"), str):
        return None
    file = _results(api, access, "file.info", {"fileHandle": handle["handle"]})
    url, name = file.get("url"), handle.get("name")
    if not isinstance(url, str) or not url:
        raise ApiError("Ashby's file.info answered without a url", transient=False)
    data = api.download(ApiCall("GET", url), access)
    return Resume(data, name[:200] if isinstance(name, str) else "")


def _results(
    api: Api, access: Access, method: str, body: Mapping[str, object]
) -> Mapping[str, object]:
    """The ``results`` of one RPC call (``"success": false`` is a refusal)."""
    answer = api.json(
        ApiCall(
            "POST",
            f"{access.api_url}/{method}",
            headers={"Content-Type": "application/json", "Accept": "application/json; version=1"},
            json=dict(body),
            basic_auth=(access.api_key or "", ""),
        )
    )
    results = answer.get("results") if isinstance(answer, Mapping) else None
    if not isinstance(answer, Mapping) or answer.get("success") is not True:
        raise ApiError(f"Ashby refused {method}", transient=False)
    return results if isinstance(results, Mapping) else {}


def check_note(answer: object) -> None:
    """Ashby answers 200 with ``"success": false`` on errors: that is a failure."""
    if not isinstance(answer, Mapping) or answer.get("success") is not True:
        errors = answer.get("errors") if isinstance(answer, Mapping) else None
        codes: Sequence[object] = errors if isinstance(errors, list) else []
        shown = ", ".join(str(c)[:40] for c in codes[:3]) or "no reason given"
        raise ApiError(f"Ashby refused the note ({shown})", transient=False)


DESCRIPTION = Vendor(
    name=VENDOR,
    title="Ashby",
    read_event=read_event,
    to_contract=to_contract,
    verify=verify,
    sign=sign,
    acknowledge=Acknowledge.ACCEPTED,
    api_url="https://api.ashbyhq.com",
    note=note,
    check_note=check_note,
    fetch_resume=fetch_resume,
)
