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

from screening.ingest.ats.common import (
    AtsEvent,
    Reader,
    contract,
    event_name,
    ignored,
    nested_application,
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
