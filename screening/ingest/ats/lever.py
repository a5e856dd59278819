"""Stage 1 of 6 (ingest): a Lever webhook and the opportunity it names -> application contract v1.

Sources: Lever Help Center, "Configuring webhooks" (help.lever.co, article 20087284427677:
"Application created - Triggers when a candidate application is created"); the body shape
``{"triggeredAt", "event", "signature", "token", "data": {"applicationId", "contactId",
"opportunityId"}}`` and the opportunity fields are as several independent Lever integrations
read them (the developer reference at hire.lever.co/developer/documentation was not available to
us; see research/ats.md section 3).

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
a dated role), tags, sources, owner, followers, stage, and resume files (never fetched).
"""

from __future__ import annotations

from collections.abc import Mapping

from screening.ingest.ats.common import (
    AtsEvent,
    EventKind,
    Reader,
    contract,
    epoch_ms,
    event_name,
    ignored,
    vendor_id,
)

VENDOR = "lever"
APPLICATION_EVENT = "applicationCreated"


def read_event(envelope: Mapping[str, object]) -> AtsEvent:
    """The event in a decoded body (signature fields are checked by the receiver first)."""
    event = event_name(envelope.get("event"))
    data = envelope.get("data")
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
