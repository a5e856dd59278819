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
(not about the candidate), and resume file handles (never fetched).
"""

from __future__ import annotations

from collections.abc import Mapping

from screening.errors import InputError, Problem
from screening.ingest.ats.common import (
    AtsEvent,
    EventKind,
    Reader,
    contract,
    event_name,
    ignored,
    pick,
    unique,
    vendor_id,
)

VENDOR = "ashby"
APPLICATION_EVENT = "applicationSubmit"
_PREFIX = "data.application"
_CANDIDATE_KEYS = (
    "name",
    "primaryEmailAddress",
    "emailAddresses",
    "primaryPhoneNumber",
    "phoneNumbers",
    "socialLinks",
)


def read_event(envelope: Mapping[str, object]) -> AtsEvent:
    """The event in a decoded body; ``InputError`` naming the field when the envelope is broken."""
    action = event_name(envelope.get("action"))
    if action != APPLICATION_EVENT:
        return ignored(VENDOR, action)
    data = envelope.get("data")
    application = data.get("application") if isinstance(data, Mapping) else None
    if not isinstance(application, Mapping):
        raise InputError([Problem(_PREFIX, "required object is missing")])
    candidate = application.get("candidate")
    if not isinstance(candidate, Mapping):
        raise InputError([Problem(f"{_PREFIX}.candidate", "required object is missing")])
    return AtsEvent(
        vendor=VENDOR,
        event=action,
        kind=EventKind.APPLICATION,
        application_id=vendor_id(application.get("id"), f"{_PREFIX}.id"),
        candidate_ref=vendor_id(candidate.get("id"), f"{_PREFIX}.candidate.id"),
        delivery_id=vendor_id(envelope.get("webhookActionId"), "webhookActionId"),
        record={
            "createdAt": application.get("createdAt"),
            "candidate": pick(candidate, _CANDIDATE_KEYS),
        },
    )


def to_contract(record: Mapping[str, object], app_id: str) -> dict[str, object]:
    """The contract mapping of a recorded application; ``InputError`` for wrongly typed fields."""
    r = Reader(_PREFIX)
    cand = r.mapping(record, "candidate", "candidate")
    c = "candidate"
    primary_email = r.mapping(cand, "primaryEmailAddress", f"{c}.primaryEmailAddress")
    emails = [r.text(primary_email, "value", f"{c}.primaryEmailAddress.value")]
    emails += [
        r.text(e, "value", f"{c}.emailAddresses[{i}].value")
        for i, e in enumerate(r.items(cand, "emailAddresses", f"{c}.emailAddresses"))
    ]
    primary_phone = r.mapping(cand, "primaryPhoneNumber", f"{c}.primaryPhoneNumber")
    phones = [r.text(primary_phone, "value", f"{c}.primaryPhoneNumber.value")]
    phones += [
        r.text(p, "value", f"{c}.phoneNumbers[{i}].value")
        for i, p in enumerate(r.items(cand, "phoneNumbers", f"{c}.phoneNumbers"))
    ]
    links = [
        r.text(s, "url", f"{c}.socialLinks[{i}].url")
        for i, s in enumerate(r.items(cand, "socialLinks", f"{c}.socialLinks"))
    ]
    name = r.text(cand, "name", f"{c}.name")
    received = r.text(record, "createdAt", "createdAt")
    r.check()
    return contract(
        app_id,
        VENDOR,
        {
            "received_at": received,
            "name": name,
            "emails": unique(emails),
            "phones": unique(phones),
            "links": unique(links),
        },
    )
