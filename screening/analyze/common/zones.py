"""Time zones: the UTC offsets a claimed location can have at a given moment.

A claimed IANA time zone gives one offset; a claimed country alone gives the offsets of all its
zones (the United States spans UTC-10 to UTC-4), from the IANA ``zone.tab`` shipped in the tzdata
package. Offsets are minutes east of UTC (UTC+9 is +540), the opposite sign of JavaScript's
``getTimezoneOffset()``.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from screening.model.facts import Source


@cache
def country_zones() -> dict[str, tuple[str, ...]]:
    """ISO country code -> IANA zone names, from tzdata's zone.tab."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) >= 3:
            table.setdefault(parts[0].upper(), []).append(parts[2])
    return {k: tuple(v) for k, v in table.items()}


def tzdata_source() -> Source:
    """The time-zone database version, for the report's sources."""
    from importlib.metadata import version

    return Source("IANA time zone database (tzdata package)", version("tzdata"))


@cache
def zone(name: str) -> ZoneInfo | None:
    """A zone by IANA name, or None for unknown or malformed names."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def offset_minutes(tz: ZoneInfo, at: dt.datetime) -> int:
    """UTC offset of ``tz`` at instant ``at`` in minutes east of UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    off = at.astimezone(tz).utcoffset()
    return int(off.total_seconds() // 60) if off is not None else 0


def claimed_zones(timezone: str | None, country: str | None) -> tuple[ZoneInfo, ...]:
    """Zones the candidate's claim allows: the named zone, else every zone of the country."""
    if timezone:
        z = zone(timezone)
        return (z,) if z else ()
    if country:
        return tuple(z for z in (zone(n) for n in country_zones().get(country, ())) if z)
    return ()


def claimed_offsets(zones: tuple[ZoneInfo, ...], at: dt.datetime) -> frozenset[int]:
    """Every UTC offset the claimed zones have at ``at``."""
    return frozenset(offset_minutes(z, at) for z in zones)


def local_hours(zones: tuple[ZoneInfo, ...], at: dt.datetime) -> tuple[int, ...]:
    """The local hour of ``at`` in each claimed zone."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return tuple(sorted({at.astimezone(z).hour for z in zones}))


def utc_offset_text(minutes: int) -> str:
    """An offset as people write it: ``UTC+9``, ``UTC-3:30``, ``UTC`` (not minutes)."""
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def hours_text(minutes: int) -> str:
    """A span as people say it: ``15 hours``, ``1 hour``, ``5.5 hours``, ``45 minutes``."""
    if minutes < 60:
        return f"{minutes} minutes"
    hours = minutes / 60
    shown = f"{hours:g}"
    return f"{shown} hour" if shown == "1" else f"{shown} hours"
