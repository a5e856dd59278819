"""Network facts that need no lookup: address validity and ranges, browser UTC offsets.

The browser's UTC offset is a strong, cheap fact: a VPN moves the IP address but not the laptop's
clock, so an offset of +9 hours from a candidate claiming Texas is an inconsistency worth a
question. Offsets are minutes east of UTC (+540 is UTC+9). IP geolocation and VPN/hosting
detection belong to the infrastructure analyzers, which need databases.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.zones import (
    claimed_offsets,
    claimed_zones,
    hours_text,
    tzdata_source,
    utc_offset_text,
)
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application


class NetworkAnalyzer:
    """IP address validity and ranges; browser UTC offset vs the claimed time zone."""

    name: ClassVar[str] = "network"
    description: ClassVar[str] = "IP addresses and browser clocks seen for the application"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("network", "One record per network event (IP seen)", "network", True),
        NamespaceSpec("sessions", "Summary over all network events", "network", False),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "network",
        "network",
        [
            ("ip", "ip", "The IP address"),
            ("ip_valid", "bool", "The text is a valid IPv4 or IPv6 address"),
            ("ip_version", "int", "4 or 6"),
            ("private", "bool", "Private, loopback, link-local, reserved or otherwise not public"),
            ("context", "str", "Where it was seen (application, interview, onboarding ...)"),
            ("seen_at", "datetime", "When it was seen"),
            ("utc_offset_minutes", "int", "Browser UTC offset in minutes east of UTC"),
            ("utc_offset", "str", "Browser UTC offset as written for people (UTC+9, UTC-3:30)"),
            (
                "claimed_offsets",
                "list[int]",
                "UTC offsets the claimed time zone (or claimed country's zones) had at that time",
            ),
            (
                "claimed_utc_offsets",
                "str",
                "The claimed offsets as written for people (UTC-6, or UTC-6 or UTC-5)",
            ),
            (
                "offset_matches_claim",
                "bool",
                "The browser's UTC offset is one the claimed location had at that time",
            ),
            (
                "offset_difference_minutes",
                "int",
                "Distance in minutes from the browser offset to the nearest claimed offset",
            ),
        ],
    ) + declare(
        "network",
        "sessions",
        [
            ("ip_count", "int", "Distinct valid IP addresses"),
            ("public_ip_count", "int", "Distinct public IP addresses"),
            ("utc_offset_count", "int", "Distinct browser UTC offsets"),
            ("utc_offset_spread_minutes", "int", "Largest minus smallest browser UTC offset"),
            ("utc_offset_spread", "str", "That spread as written for people (15 hours)"),
        ],
    )

    def sources(self) -> list[Source]:
        """The time-zone database."""
        return [tzdata_source()]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per event plus a summary."""
        if not app.network:
            return FamilyResult.skipped("no IP addresses or browser data in the application")
        zones = claimed_zones(app.location.timezone, app.location.country)
        missing: dict[str, str] = {}
        if not zones:
            reason = (
                f"claimed time zone {app.location.timezone[:40]!r} is not a known IANA zone"
                if app.location.timezone
                else "no claimed time zone or country"
            )
            for key in (
                "claimed_offsets",
                "claimed_utc_offsets",
                "offset_matches_claim",
                "offset_difference_minutes",
            ):
                missing[f"network.{key}"] = reason
        records: list[Record] = []
        ips: set[str] = set()
        public: set[str] = set()
        offsets: set[int] = set()
        fallback = app.received_at or ctx.clock.now()
        for event in app.network:
            rec: Record = {
                "ip": event.ip[:64],
                "context": event.context,
                "seen_at": event.seen_at,
                "utc_offset_minutes": event.utc_offset_minutes,
                "utc_offset": (
                    utc_offset_text(event.utc_offset_minutes)
                    if event.utc_offset_minutes is not None
                    else None
                ),
            }
            try:
                ip = ipaddress.ip_address(event.ip.strip().strip("[]"))
            except ValueError:
                rec.update(ip=None, ip_valid=False)
            else:
                rec.update(
                    ip=str(ip), ip_valid=True, ip_version=ip.version, private=not ip.is_global
                )
                ips.add(str(ip))
                if ip.is_global:
                    public.add(str(ip))
            if event.utc_offset_minutes is not None:
                offsets.add(event.utc_offset_minutes)
                if zones:
                    at = event.seen_at or fallback
                    if at.tzinfo is None:
                        at = at.replace(tzinfo=dt.UTC)
                    allowed = claimed_offsets(zones, at)
                    diff = min(abs(event.utc_offset_minutes - o) for o in allowed)
                    rec.update(
                        claimed_offsets=sorted(allowed),
                        claimed_utc_offsets=" or ".join(
                            utc_offset_text(o) for o in sorted(allowed)
                        ),
                        offset_matches_claim=diff == 0,
                        offset_difference_minutes=diff,
                    )
            records.append(rec)
        summary: Record = {
            "ip_count": len(ips),
            "public_ip_count": len(public),
            "utc_offset_count": len(offsets),
            "utc_offset_spread_minutes": (max(offsets) - min(offsets)) if offsets else None,
            "utc_offset_spread": hours_text(max(offsets) - min(offsets)) if offsets else None,
        }
        return FamilyResult(records={"network": records, "sessions": [summary]}, missing=missing)
