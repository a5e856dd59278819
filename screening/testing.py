"""Public test doubles for people who extend the toolkit (analyzers, rule packs, integrations).

``FixedClock`` pins "now" so ages, future dates and local hours are reproducible;
``facts_from_dotted`` builds a ``FactSet`` from the same dotted-path mapping that embedded rule
tests use; ``screen_mapping`` screens an application given as a Python mapping;
``signed_delivery`` signs a webhook body the way an ATS does, to test a ``screening serve``
deployment end to end; ``StaticResolver`` answers DNS questions from a table, for testing the
DNS analyzer (``DnsAnalyzer(resolver=...)``) without a DNS server.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from screening.analyze.dns.lookups import Answer, Failure, Outcome, Query
from screening.evaluate import facts_from_dotted
from screening.ingest import from_mapping
from screening.model.screening import Screening
from screening.pipeline import Engine

__all__ = [
    "FixedClock",
    "StaticResolver",
    "facts_from_dotted",
    "screen_mapping",
    "signed_delivery",
]


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that always answers the same instant (UTC)."""

    at: dt.datetime = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        """The fixed instant."""
        return self.at if self.at.tzinfo else self.at.replace(tzinfo=dt.UTC)


def screen_mapping(engine: Engine, data: Mapping[str, object], origin: str = "test") -> Screening:
    """Screen an application given as a mapping in the native contract."""
    return engine.screen(from_mapping(data, origin, engine.limits))


def signed_delivery(
    vendor: str, secret: str, payload: Mapping[str, object], *, now: float | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a webhook delivery signed as ``vendor`` documents it.

    Each vendor's ``sign`` in the vendor table does it; a vendor that signs a timestamp (Lever's
    ``triggeredAt`` ...) signs ``now`` (default: the current time).
    """
    from screening.ingest.ats import VENDORS

    return VENDORS[vendor].sign(secret, payload, time.time() if now is None else now)


class StaticResolver:
    """DNS answers from a table: ``{name: {"MX": ["10 mx.example.com"], "A": [...]}}``.

    A name in the table answers its records (or no data for other types), a name in ``fail``
    fails with that reason (a timeout, SERVFAIL ...), and any other name is NXDOMAIN. Remember
    the canary names (``example.com`` and ``iana.org`` by default) when the health check runs.
    ``asked`` counts the questions.
    """

    def __init__(
        self,
        records: Mapping[str, Mapping[str, Sequence[str]]],
        fail: Mapping[str, str] | None = None,
    ) -> None:
        self.records = {k.lower().rstrip("."): v for k, v in records.items()}
        self.fail = {k.lower().rstrip("."): v for k, v in (fail or {}).items()}
        self.asked: list[Query] = []

    async def ask(self, query: Query, timeout: float) -> Outcome:
        """The table's answer for one question."""
        self.asked.append(query)
        name = query.name.lower().rstrip(".")
        if name in self.fail:
            return Failure(self.fail[name])
        if name not in self.records:
            return Answer("nxdomain")
        values = tuple(self.records[name].get(query.rdtype, ()))
        return Answer("ok", values, 3600.0) if values else Answer("nodata")
