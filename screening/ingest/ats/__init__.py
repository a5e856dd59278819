"""Stage 1 of 6 (ingest): applicant-tracking-system webhook payloads -> application contract v1.

One module per vendor (Greenhouse, Lever, Ashby, Workable), each with a table of which contract
field every vendor field feeds. A mapping has two steps, so that the receiver stays fast and
stores as little as possible:

1. ``read_event(vendor, envelope)`` (in the receiver, after the signature is verified): which
   event this is, the vendor's application and candidate ids, the delivery id, and the minimal
   ``record`` of the payload the mapping needs. A broken envelope is an ``InputError``.
2. ``to_application(vendor, record, our_id, limits)`` (in the worker): the record mapped onto the
   contract and validated by the same ``from_mapping`` every native application goes through.
   Wrongly typed vendor fields are problems named by their vendor path; contract problems are
   named by contract path.

Signatures are the server's business (``screening.server.signatures``); Lever's record is the
opportunity the worker fetched from Lever's API, since Lever's webhook carries ids only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from screening.ingest.ats import ashby, greenhouse, lever, workable
from screening.ingest.ats.common import AtsEvent, EventKind
from screening.ingest.reader import from_mapping
from screening.model.application import RawApplication
from screening.model.limits import Limits

__all__ = ["VENDORS", "AtsEvent", "EventKind", "read_event", "to_application", "to_contract"]

Envelope = Mapping[str, object]
_READERS: Mapping[str, Callable[[Envelope], AtsEvent]] = MappingProxyType(
    {
        "greenhouse": greenhouse.read_event,
        "lever": lever.read_event,
        "ashby": ashby.read_event,
        "workable": workable.read_event,
    }
)
_MAPPERS: Mapping[str, Callable[[Envelope, str], dict[str, object]]] = MappingProxyType(
    {
        "greenhouse": greenhouse.to_contract,
        "lever": lever.to_contract,
        "ashby": ashby.to_contract,
        "workable": workable.to_contract,
    }
)
VENDORS: tuple[str, ...] = tuple(_READERS)


def read_event(vendor: str, envelope: Envelope) -> AtsEvent:
    """What a decoded webhook body is about; ``InputError`` when its envelope is broken."""
    return _READERS[vendor](envelope)


def to_contract(vendor: str, record: Envelope, our_id: str) -> dict[str, object]:
    """A recorded payload as a contract v1 mapping (not yet validated)."""
    return _MAPPERS[vendor](record, our_id)


def to_application(vendor: str, record: Envelope, our_id: str, limits: Limits) -> RawApplication:
    """A recorded payload mapped and validated; ``InputError`` names every problem."""
    return from_mapping(to_contract(vendor, record, our_id), "", limits)
