"""Stage 1 of 6 (ingest): applicant-tracking-system webhook payloads -> application contract v1.

One module per vendor, each with a table of which contract field every vendor field feeds and a
``DESCRIPTION`` (``vendor.Vendor``: verification, answer policy, API, write-back) listed in
``VENDORS`` below. A mapping has two steps, so that the receiver stays fast and
stores as little as possible:

1. ``read_event(vendor, envelope)`` (in the receiver, after the signature is verified): which
   event this is, the vendor's application and candidate ids, the delivery id, and the minimal
   ``record`` of the payload the mapping needs. A broken envelope is an ``InputError``.
2. ``to_application(vendor, record, our_id, limits)`` (in the worker): the record mapped onto the
   contract and validated by the same ``from_mapping`` every native application goes through.
   Wrongly typed vendor fields are problems named by their vendor path; contract problems are
   named by contract path.

Signatures are checked by the server with each vendor's ``verify`` before anything is decoded;
a thin payload's record (Lever's opportunity ...) is what the worker fetched with the vendor's
``fetch``, since such a webhook carries ids only.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from screening.ingest.ats import (
    ashby,
    greenhouse,
    lever,
    recruitee,
    smartrecruiters,
    teamtailor,
    workable,
)
from screening.ingest.ats.common import AtsEvent, EventKind
from screening.ingest.ats.vendor import Vendor
from screening.ingest.reader import from_mapping
from screening.model.application import RawApplication
from screening.model.limits import Limits

__all__ = [
    "VENDORS",
    "AtsEvent",
    "EventKind",
    "Vendor",
    "read_event",
    "to_application",
    "to_contract",
]

Envelope = Mapping[str, object]

# The vendor table: one entry per supported ATS (docs/ats-vendors.md says how to add one).
VENDORS: Mapping[str, Vendor] = MappingProxyType(
    {
        vendor.name: vendor
        for vendor in (
            greenhouse.DESCRIPTION,
            lever.DESCRIPTION,
            ashby.DESCRIPTION,
            workable.DESCRIPTION,
            smartrecruiters.DESCRIPTION,
            teamtailor.DESCRIPTION,
            recruitee.DESCRIPTION,
        )
    }
)


def read_event(
    vendor: str, envelope: Envelope, headers: Mapping[str, str] | None = None
) -> AtsEvent:
    """What a decoded webhook body is about; ``InputError`` when its envelope is broken."""
    return VENDORS[vendor].read_event(envelope, headers or {})


def to_contract(vendor: str, record: Envelope, our_id: str) -> dict[str, object]:
    """A recorded payload as a contract v1 mapping (not yet validated)."""
    return VENDORS[vendor].to_contract(record, our_id)


def to_application(vendor: str, record: Envelope, our_id: str, limits: Limits) -> RawApplication:
    """A recorded payload mapped and validated; ``InputError`` names every problem."""
    return from_mapping(to_contract(vendor, record, our_id), "", limits)
