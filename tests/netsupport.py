"""Shared helpers for the network analyzer tests: applications and analyzer options."""

from __future__ import annotations

from typing import Any

from dnszone import ZoneServer

from screening.analyze.dns import DnsOptions
from screening.model.application import RawApplication, parse_application
from screening.model.facts import CheckStatus, FamilyResult, Record
from screening.model.normalized import Application
from screening.normalize import normalize

CANARIES = ("example.com", "example.org")


def app(**fields: Any) -> Application:
    """A normalized application with a synthetic name and the given fields."""
    data = {"name": "Jordan Avery", **fields}
    return normalize(RawApplication(data=parse_application(data)))


def options(server: ZoneServer, **overrides: Any) -> DnsOptions:
    """DNS options pointing at the loopback test server, with short time limits."""
    base: dict[str, Any] = {
        "nameservers": ("127.0.0.1",),
        "port": server.port,
        "timeout": 0.5,
        "budget": 3.0,
        "canaries": CANARIES,
    }
    base.update(overrides)
    return DnsOptions(**base)


def records(result: FamilyResult, namespace: str) -> list[Record]:
    """The records of an ``ok`` result (fails with the reason otherwise)."""
    assert result.status is CheckStatus.OK, result.reason
    return result.records[namespace]


def by_domain(result: FamilyResult) -> dict[str, Record]:
    """DNS records keyed by domain."""
    return {str(r["domain"]): r for r in records(result, "dns")}
