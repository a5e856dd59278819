"""Stage 1 of 6 (ingest): a Greenhouse Recruiting webhook -> application contract v1.

Source: Greenhouse, "Recruiting Webhooks" (developers.greenhouse.io/webhooks.html; repository
grnhse/greenhouse-api-docs, ``source/includes/webhooks/_introduction.md`` and
``_application_events.md``). The body is ``{"action": ..., "payload": {"application": {...}}}``.
``new_candidate_application`` ("Application created") is screened; every other action, including
``new_prospect_application`` (a sourced prospect has not applied) and the ping Greenhouse sends
when a web hook is saved, is ignored. The delivery id is the ``Greenhouse-Event-ID`` header, which
the receiver reads (it is not in the body).

Which contract field each Greenhouse field feeds (paths under ``payload.application``):

==================================================  =========================================
Greenhouse                                          contract v1
==================================================  =========================================
id                                                  id (``greenhouse-<id>``)
(the vendor)                                        source: ``greenhouse``
applied_at                                          received_at
candidate.first_name + candidate.last_name          name
candidate.email_addresses[].value                   emails (in order, duplicates dropped)
candidate.phone_numbers[].value (type not skype:    phones
a Skype entry is a handle, not a number)
candidate.addresses[].value (free text)             addresses[]: line1 = first line, line2 = the
                                                    rest; kind home for type home, else other
candidate.website_addresses[].value,                links (in that order)
candidate.social_media_addresses[].value
candidate.employments[].company_name / title /      employment[].employer / title / start / end
start_date / end_date                               (ISO date-times cut to the date)
candidate.educations[].school_name                  education[].institution
candidate.educations[].degree + discipline          education[].degree ("Bachelor's Degree,
                                                    Computer Science")
candidate.educations[].start_date / end_date        education[].start / end (``MM/DD/YYYY`` and
                                                    ISO date-times become ``YYYY-MM-DD``)
candidate.id                                        (write-back: the Harvest candidate)
==================================================  =========================================

Kept for the resume: the first ``candidate.attachments[]`` of ``type`` ``resume`` (its ``url``
and ``filename``): Greenhouse's own pre-signed link, which "expire[s] in 7 days" (Harvest,
"Candidates", noteworthy attributes); the documented examples point at
``https://prod-heroku.s3.amazonaws.com/...``, the only file host allowed besides the API.
``fetch_resume`` downloads it; an expired link (403) is renewed through Harvest v3
``GET /v3/attachments?application_ids=...&type=resume`` ("the url ... expires after seven days,
so refetch the attachment whenever you need a fresh URL", harvestdocs.greenhouse.io reference
"List attachments").

Harvest v3 (v1/v2 are retired since 2026-08-31): OAuth 2.0 client credentials, ``POST
https://auth.greenhouse.io/token`` with HTTP Basic ``client_id:client_secret`` and the form
``grant_type=client_credentials``, ``sub=<user id>`` (harvestdocs.greenhouse.io,
"Authentication"); the token is cached by the server until it expires and asked again on a 401.
Notes: ``POST /v3/notes`` with ``candidate_id``, ``body``, ``note_type: NOTE`` and
``visibility`` [unverified: seen in one third-party connector, not in Greenhouse's reference].

Not mapped: the other attachments, ``candidate.title``/``company`` (a headline, not a dated
role), tags, custom fields, the job, its hiring team and the recruiter (not about the
candidate, so not kept).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from screening.ingest.ats.common import (
    AtsEvent,
    Reader,
    compact,
    contract,
    erasure,
    event_name,
    ignored,
    joined,
    nested_application,
    required,
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

VENDOR = "greenhouse"
APPLICATION_EVENT = "new_candidate_application"
_MAX_LINK_CHARS = 4096  # a pre-signed link is a few hundred characters; more is not one
AUTH_URL = "https://auth.greenhouse.io/token"  # harvestdocs.greenhouse.io, "Authentication"
_PREFIX = "payload.application"
# "Application deleted", "Candidate deleted" and "Candidate anonymized" (Recruiting Webhooks,
# _application_events.md and _candidate_events.md): whatever Greenhouse erased, we erase
ERASE_EVENTS = frozenset({"delete_application", "delete_candidate", "candidate_anonymized"})
_CANDIDATE_KEYS = (
    "first_name",
    "last_name",
    "email_addresses",
    "phone_numbers",
    "addresses",
    "website_addresses",
    "social_media_addresses",
    "employments",
    "educations",
)


def read_event(envelope: Mapping[str, object], headers: Headers) -> AtsEvent:
    """The event in a decoded body; ``InputError`` naming the field when the envelope is broken."""
    action = event_name(envelope.get("action"))
    if action in ERASE_EVENTS:
        return _erasure(action, envelope)
    if action != APPLICATION_EVENT:
        return ignored(VENDOR, action)
    event = nested_application(
        VENDOR,
        action,
        envelope,
        _PREFIX,
        received_key="applied_at",
        candidate_keys=_CANDIDATE_KEYS,
    )
    candidate = required(envelope, f"{_PREFIX}.candidate")
    record = {**event.record, "application_id": event.application_id}
    link = _resume_link(candidate.get("attachments"))
    if link:
        record["resume"] = link
    return dataclasses.replace(event, record=record)


def _resume_link(attachments: object) -> dict[str, str] | None:
    """The first resume attachment's ``url`` and ``filename`` (text only), if there is one."""
    for item in attachments if isinstance(attachments, list) else []:
        if isinstance(item, Mapping) and item.get("type") == "resume":
            url, name = item.get("url"), item.get("filename")
            if isinstance(url, str) and 0 < len(url) <= _MAX_LINK_CHARS:
                return {"url": url, "filename": name[:200] if isinstance(name, str) else ""}
    return None


def _erasure(action: str, envelope: Mapping[str, object]) -> AtsEvent:
    """``payload.application.id``; ``payload.person.id`` with its ``deleted_application_ids``;
    ``payload.candidate_id`` (an anonymisation: every screening of that candidate goes)."""
    if action == "delete_application":
        application = required(envelope, "payload.application")
        return erasure(VENDOR, action, [(application.get("id"), "payload.application.id")])
    if action == "delete_candidate":
        person = required(envelope, "payload.person")
        deleted = person.get("deleted_application_ids")
        where = "payload.person.deleted_application_ids"
        ids = [
            (v, f"{where}[{i}]") for i, v in enumerate(deleted if isinstance(deleted, list) else [])
        ]
        return erasure(VENDOR, action, ids, (person.get("id"), "payload.person.id"))
    payload = required(envelope, "payload")
    return erasure(VENDOR, action, candidate=(payload.get("candidate_id"), "payload.candidate_id"))


def to_contract(record: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of a recorded application; ``InputError`` for wrongly typed fields."""
    r = Reader(_PREFIX)
    cand = r.mapping(record, "candidate", "candidate")
    c = "candidate"
    first = r.text(cand, "first_name", f"{c}.first_name")
    last = r.text(cand, "last_name", f"{c}.last_name")
    name = joined([first, last])
    emails = r.values(cand, "email_addresses", f"{c}.email_addresses", "value")
    phones = [
        r.text(p, "value", f"{c}.phone_numbers[{i}].value")
        for i, p in enumerate(r.items(cand, "phone_numbers", f"{c}.phone_numbers"))
        if p.get("type") != "skype"
    ]
    links = [
        link
        for key in ("website_addresses", "social_media_addresses")
        for link in r.values(cand, key, f"{c}.{key}", "value")
    ]
    addresses = []
    for i, a in enumerate(r.items(cand, "addresses", f"{c}.addresses")):
        text = r.text(a, "value", f"{c}.addresses[{i}].value")
        if text:
            line1, _, rest = text.partition("\n")
            kind = "home" if a.get("type") == "home" else "other"
            line2 = " ".join(rest.split())
            addresses.append(compact({"kind": kind, "line1": line1.strip(), "line2": line2}))
    employment = []
    for i, e in enumerate(r.items(cand, "employments", f"{c}.employments")):
        at = f"{c}.employments[{i}]"
        role = {
            "employer": r.text(e, "company_name", f"{at}.company_name"),
            "title": r.text(e, "title", f"{at}.title"),
            **r.period(e, at),
        }
        employment.append(compact(role))
    education = []
    for i, e in enumerate(r.items(cand, "educations", f"{c}.educations")):
        at = f"{c}.educations[{i}]"
        parts = [r.text(e, "degree", f"{at}.degree"), r.text(e, "discipline", f"{at}.discipline")]
        degree = {
            "institution": r.text(e, "school_name", f"{at}.school_name"),
            "degree": joined(parts, ", "),
            **r.period(e, at),
        }
        education.append(compact(degree))
    received = r.text(record, "applied_at", "applied_at")
    return contract(
        r,
        app_id,
        VENDOR,
        {
            "received_at": received,
            "name": name,
            "emails": emails,
            "phones": phones,
            "addresses": addresses,
            "links": links,
            "employment": employment,
            "education": education,
        },
    )


_SIGNATURE = re.compile(r"sha256 ([0-9a-f]{64})")


def verify(secret: str, request: Signed) -> None:
    """``Signature: sha256 <hex of HMAC-SHA256(secret key, entire raw body)>``.

    Greenhouse, "Recruiting Webhooks", Authentication: "the SHA algorithm used to generate the
    signature, a space, and the signature"; the body's escaped Unicode is hashed as sent. No
    timestamp is signed: replays are stopped by the ``Greenhouse-Event-ID`` delivery id.
    """
    shape = _SIGNATURE.fullmatch(header(request.headers, "Signature"))
    if shape is None:  # one space, lowercase hex, nothing else: no other spelling is accepted
        raise SignatureError("the Signature header must read 'sha256 <hex digest>'")
    if not same(digest(secret, request.body).hex(), shape.group(1)):
        raise SignatureError("the signature does not match the body")


def sign(secret: str, payload: Mapping[str, object], now: float) -> tuple[bytes, dict[str, str]]:
    """A delivery signed as Greenhouse signs it (for tests and deployment checks)."""
    return signed_body(secret, payload, "Signature", "sha256 {}")


def token_call(access: Access) -> ApiCall:
    """The Harvest v3 client-credentials token request (the acting user is ``sub``)."""
    form = {"grant_type": "client_credentials"}
    if access.user_id:
        form["sub"] = access.user_id
    return ApiCall(
        "POST",
        access.auth_url or AUTH_URL,
        headers={"Accept": "application/json"},
        form=form,
        basic_auth=(access.client_id or "", access.api_key or ""),
    )


def note(access: Access, candidate_ref: str, text: str) -> ApiCall:
    """Harvest v3 ``POST /v3/notes`` [unverified route and fields], private unless configured."""
    return ApiCall(
        "POST",
        f"{access.api_url}/v3/notes",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        json={
            "candidate_id": int(candidate_ref) if candidate_ref.isdigit() else candidate_ref,
            "body": text,
            "note_type": "NOTE",
            "visibility": "private" if access.note_private else "public",
        },
        oauth=token_call(access),
    )


def fetch_resume(
    api: Api, access: Access, meta: Mapping[str, str], record: Mapping[str, object]
) -> Resume | None:
    """The resume the webhook pointed at; an expired link (403) or none at all is asked of
    Harvest v3 ``GET /v3/attachments`` when client credentials are configured."""
    link = record.get("resume")
    if isinstance(link, Mapping) and isinstance(link.get("url"), str):
        try:
            return Resume(api.download(ApiCall("GET", str(link["url"])), access), _name(link))
        except ApiError as exc:
            if exc.status != 403:
                raise
            if not _can_ask(access):
                raise ApiError(
                    "Greenhouse's file link has expired (HTTP 403) and no Harvest v3 client "
                    "credentials are configured to renew it",
                    transient=False,
                ) from None
    if not _can_ask(access):
        return None
    fresh = _attachment(api, access, str(record.get("application_id", "")))
    if fresh is None:
        return None
    return Resume(api.download(ApiCall("GET", str(fresh["url"])), access), _name(fresh))


def _attachment(api: Api, access: Access, application_id: str) -> Mapping[str, object] | None:
    """The application's resume attachment as Harvest v3 lists it now (a fresh link)."""
    answer = api.json(
        ApiCall(
            "GET",
            f"{access.api_url}/v3/attachments",
            headers={"Accept": "application/json"},
            params={"application_ids": application_id, "type": "resume"},
            oauth=token_call(access),
        )
    )
    for item in answer if isinstance(answer, list) else []:
        if isinstance(item, Mapping) and isinstance(item.get("url"), str) and item["url"]:
            return item
    return None


def _can_ask(access: Access) -> bool:
    return bool(access.client_id and access.api_key and access.api_url)


def _name(link: Mapping[str, object]) -> str:
    name = link.get("filename")
    return name[:200] if isinstance(name, str) else ""


DESCRIPTION = Vendor(
    name=VENDOR,
    title="Greenhouse",
    read_event=read_event,
    to_contract=to_contract,
    verify=verify,
    sign=sign,
    acknowledge=Acknowledge.ALWAYS_200,  # a non-200 fails; a failed save ping disables the hook
    api_url="https://harvest.greenhouse.io",
    delivery_header="Greenhouse-Event-ID",
    note=note,
    note_user="the Greenhouse user id notes are posted as (the token's sub)",
    fetch_resume=fetch_resume,
    file_hosts=("prod-heroku.s3.amazonaws.com",),
    auth_url=AUTH_URL,
)
