"""Stage 1 of 6 (ingest): a Workable webhook -> application contract v1.

Sources: Workable API reference (workable.readme.io): "Webhook Subscriptions - Candidates &
Employees" ("Workable will POST a Candidate object ... similar to candidate details"; "Response
status should be 200"), "/candidates/:id" (the candidate object) and "Employee Events" (the
envelope ``{"id", "resource_type", "event_type", "fired_at", "data"}``). ``candidate_created`` is
screened; every other event type is ignored. Workable documents no delivery id, so the delivery
key is ``id:event_type:fired_at``.

Which contract field each Workable field feeds (paths under ``data``, the candidate):

===========================================  ===============================================
Workable                                     contract v1
===========================================  ===============================================
id                                           id (``workable-<id>``); a Workable candidate
                                             belongs to one job, so it is the application
(the vendor)                                 source: ``workable``
created_at                                   received_at
name, else firstname + lastname              name
email                                        emails[0]
phone                                        phones[0]
address (free text)                          addresses[0] (kind home, line1)
location.country_code / region / city        location.country / region / city
social_profiles[].url                        links
headline, summary                            resume.text (headline, a blank line, summary)
cover_letter                                 cover_letter.text
experience_entries[].company / title /       employment[].employer / title / start / end
start_date / end_date (current: true and     (end ``present`` for a current role),
no end date), summary                        description
education_entries[].school                   education[].institution
education_entries[].degree + field_of_study  education[].degree
education_entries[].start_date / end_date    education[].start / end
skills[].name                                skills
===========================================  ===============================================

Not mapped: the account, job, stage, disqualification, tags, answers, uploader, the outbound
mailbox (Workable's, not the candidate's), ``domain`` (where the candidate was sourced) and
``image_url`` (never fetched).

The resume: ``GET /spi/v3/candidates/{id}`` (bearer token) answers ``{"candidate": {...}}``
with ``resume_url`` ("This information can be retrieved by the candidate info endpoint",
Workable API, "What's new in v3"; the ``candidate`` wrapper [unverified]); the link's host is
not documented [unverified], so it is fetched only from ``[server.workable] file_hosts``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import quote

from screening.ingest.ats.common import (
    AtsEvent,
    EventKind,
    Reader,
    compact,
    contract,
    erasure,
    event_name,
    ignored,
    joined,
    pick,
    required,
    vendor_id,
)
from screening.ingest.ats.vendor import (
    Access,
    Acknowledge,
    Api,
    ApiCall,
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

VENDOR = "workable"
APPLICATION_EVENT = "candidate_created"
ERASE_EVENT = "candidate_deleted"  # listed in one version of the subscription page
_CANDIDATE_KEYS = (
    "created_at",
    "name",
    "firstname",
    "lastname",
    "email",
    "phone",
    "address",
    "location",
    "social_profiles",
    "headline",
    "summary",
    "cover_letter",
    "experience_entries",
    "education_entries",
    "skills",
)


def read_event(envelope: Mapping[str, object], headers: Headers) -> AtsEvent:
    """The event in a decoded body; ``InputError`` naming the field when the envelope is broken."""
    event = event_name(envelope.get("event_type"))
    if event == ERASE_EVENT:
        data = required(envelope, "data")
        return erasure(VENDOR, event, [(data.get("id"), "data.id")])
    if event != APPLICATION_EVENT:
        return ignored(VENDOR, event)
    data = required(envelope, "data")
    candidate = vendor_id(data.get("id"), "data.id")
    fired = envelope.get("fired_at")
    return AtsEvent(
        vendor=VENDOR,
        event=event,
        kind=EventKind.APPLICATION,
        application_id=candidate,
        candidate_ref=candidate,
        delivery_id=f"{envelope.get('id')}:{event}:{fired}" if fired else "",
        record=pick(data, _CANDIDATE_KEYS),
    )


def to_contract(record: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of a recorded candidate; ``InputError`` for wrongly typed fields."""
    r = Reader("data")
    name = r.text(record, "name", "name")
    if not name:
        parts = [r.text(record, "firstname", "firstname"), r.text(record, "lastname", "lastname")]
        name = joined(parts)
    where = r.mapping(record, "location", "location")
    location = compact(
        {
            "country": r.text(where, "country_code", "location.country_code"),
            "region": r.text(where, "region", "location.region"),
            "city": r.text(where, "city", "location.city"),
        }
    )
    address = r.text(record, "address", "address")
    links = r.values(record, "social_profiles", "social_profiles", "url")
    about = [r.text(record, "headline", "headline"), r.text(record, "summary", "summary")]
    resume = joined(about, "\n\n")
    cover = r.text(record, "cover_letter", "cover_letter")
    employment = []
    for i, e in enumerate(r.items(record, "experience_entries", "experience_entries")):
        at = f"experience_entries[{i}]"
        role = {
            "employer": r.text(e, "company", f"{at}.company"),
            "title": r.text(e, "title", f"{at}.title"),
            **r.period(e, at),
            "description": r.text(e, "summary", f"{at}.summary"),
        }
        if not role["end"] and e.get("current") is True:
            role["end"] = "present"
        employment.append(compact(role))
    education = []
    for i, e in enumerate(r.items(record, "education_entries", "education_entries")):
        at = f"education_entries[{i}]"
        field = r.text(e, "field_of_study", f"{at}.field_of_study")
        parts = [r.text(e, "degree", f"{at}.degree"), field]
        degree = {
            "institution": r.text(e, "school", f"{at}.school"),
            "degree": joined(parts, ", "),
            **r.period(e, at),
        }
        education.append(compact(degree))
    skills = r.values(record, "skills", "skills", "name")
    email = r.text(record, "email", "email")
    phone = r.text(record, "phone", "phone")
    received = r.text(record, "created_at", "created_at")
    return contract(
        r,
        app_id,
        VENDOR,
        {
            "received_at": received,
            "name": name,
            "emails": [email],
            "phones": [phone],
            "location": location,
            "addresses": [{"kind": "home", "line1": address}] if address else [],
            "links": links,
            "resume": {"text": resume} if resume else None,
            "cover_letter": {"text": cover} if cover else None,
            "employment": employment,
            "education": education,
            "skills": skills,
        },
    )


def verify(secret: str, request: Signed) -> None:
    """``X-Workable-Signature``: HMAC-SHA256(secret, body) as hex or as base64.

    Workable, "Webhook Subscriptions": "HMAC SHA256 on the payload of the request", keyed with
    the account API token or the OAuth application secret. The encoding is not documented, so
    both canonical encodings of the same digest are accepted. No timestamp.
    """
    presented = header(request.headers, "X-Workable-Signature")
    mac = digest(secret, request.body)
    as_hex = same(mac.hex(), presented)
    as_base64 = same(base64.b64encode(mac).decode("ascii"), presented)
    if not (as_hex | as_base64):  # both always computed: no early exit to time
        raise SignatureError("the signature does not match the body")


def sign(secret: str, payload: Mapping[str, object], now: float) -> tuple[bytes, dict[str, str]]:
    """A delivery signed as Workable signs it (hex, one of the two accepted encodings)."""
    return signed_body(secret, payload, "X-Workable-Signature", "{}")


def note(access: Access, candidate_ref: str, text: str) -> ApiCall:
    """``POST /spi/v3/candidates/{id}/comments`` as the configured member, bearer token; a
    private comment's ``policy`` lets recruiters see it (admins always do)."""
    comment: dict[str, object] = {"body": text}
    if access.note_private:
        comment["policy"] = ["recruiter"]
    return ApiCall(
        "POST",
        f"{access.api_url}/spi/v3/candidates/{quote(candidate_ref, safe='')}/comments",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Bearer {access.api_key or ''}",
        },
        json={"member_id": access.user_id, "comment": comment},
    )


def fetch_resume(
    api: Api, access: Access, meta: Mapping[str, str], record: Mapping[str, object]
) -> Resume | None:
    """``GET /spi/v3/candidates/{id}`` for a current ``resume_url`` (the webhook's may be stale),
    then the file; Workable documents no host for it [unverified]: only ``file_hosts``."""
    key = access.api_key_for("Fetching Workable's resume")
    ref = quote(meta.get("candidate", ""), safe="")
    answer = api.json(
        ApiCall(
            "GET",
            f"{access.api_url}/spi/v3/candidates/{ref}",
            headers={"Accept": "application/json", "Authorization": f"Bearer {key}"},
        )
    )
    candidate = answer.get("candidate") if isinstance(answer, Mapping) else None
    url = candidate.get("resume_url") if isinstance(candidate, Mapping) else None
    if not isinstance(url, str) or not url:
        return None
    return Resume(api.download(ApiCall("GET", url), access), "")


DESCRIPTION = Vendor(
    name=VENDOR,
    title="Workable",
    read_event=read_event,
    to_contract=to_contract,
    verify=verify,
    sign=sign,
    acknowledge=Acknowledge.ALWAYS_200,  # "Response status should be 200"
    api_url=None,  # per account: https://<subdomain>.workable.com
    note=note,
    note_user="the Workable member id comments are posted as",
    fetch_resume=fetch_resume,
)
