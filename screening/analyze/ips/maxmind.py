"""MaxMind-format databases the operator points to: country, city, ASN and Anonymous IP.

GeoLite2/GeoIP2 Country and City give the country (and the region, which sanctioned regions such
as Crimea need); ASN gives the network's operator; the Anonymous IP database flags VPN, hosting,
public and residential proxies and Tor exits. Each file is opened on first use through the
``maxminddb`` reader; one that cannot be opened makes only its own facts unavailable, with the
path and the reason.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from screening.model.facts import Source

KINDS = ("country", "city", "asn", "anonymous")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a database puts an address."""

    country: str | None
    regions: tuple[str, ...] = ()  # ISO 3166-2 codes, e.g. "UA-43"
    city: str | None = None


@dataclass(frozen=True, slots=True)
class Anonymity:
    """The Anonymous IP database's flags for an address (all False when it is not listed)."""

    vpn: bool = False
    hosting: bool = False
    proxy: bool = False
    tor: bool = False
    provider: str | None = None


class MaxMindDatabases:
    """Lazily opened readers for the configured files (``kind -> path``)."""

    def __init__(self, paths: dict[str, Path | None]) -> None:
        unknown = set(paths) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown MaxMind database kinds: {sorted(unknown)}")
        self.paths = {k: p for k, p in paths.items() if p is not None}
        self._readers: dict[str, Any] = {}
        self.problems: dict[str, str] = {}
        self._lock = threading.Lock()

    def usable(self, kind: str) -> bool:
        """The file for ``kind`` is configured and opens."""
        return self._reader(kind) is not None

    def _reader(self, kind: str) -> Any:
        if kind not in self.paths or kind in self.problems:
            return None
        reader = self._readers.get(kind)
        if reader is not None:
            return reader
        with self._lock:
            if kind in self._readers or kind in self.problems:
                return self._readers.get(kind)
            import maxminddb

            path = self.paths[kind]
            try:
                self._readers[kind] = maxminddb.open_database(str(path))
            except (OSError, ValueError, maxminddb.InvalidDatabaseError) as exc:
                self.problems[kind] = f"cannot open [ip] {kind}_db ({path}): {exc}"
                return None
            return self._readers[kind]

    def _get(self, kind: str, address: str) -> dict[str, Any] | None:
        reader = self._reader(kind)
        if reader is None:
            return None
        try:
            record = reader.get(address)
        except (ValueError, OSError):
            return None
        return record if isinstance(record, dict) else None

    def place(self, address: str) -> Place | None:
        """Country, regions and city (city database first, then country database)."""
        for kind in ("city", "country"):
            if not self.usable(kind):
                continue
            record = self._get(kind, address) or {}
            country = _iso(record.get("country")) or _iso(record.get("registered_country"))
            regions = tuple(
                f"{country}-{code}"
                for sub in record.get("subdivisions") or ()
                if country and isinstance(sub, dict) and (code := _iso(sub))
            )
            city = record.get("city", {}).get("names", {}).get("en") if record else None
            return Place(country, regions, str(city) if city else None)
        return None

    def asn(self, address: str) -> tuple[int | None, str | None] | None:
        """(AS number, organisation) when an ASN database is usable."""
        if not self.usable("asn"):
            return None
        record = self._get("asn", address) or {}
        number = record.get("autonomous_system_number")
        org = record.get("autonomous_system_organization")
        return (
            int(number) if isinstance(number, int) else None,
            str(org)[:120] if org else None,
        )

    def anonymity(self, address: str) -> Anonymity | None:
        """The Anonymous IP flags when that database is usable."""
        if not self.usable("anonymous"):
            return None
        record = self._get("anonymous", address) or {}
        provider = record.get("provider_name")
        return Anonymity(
            vpn=bool(record.get("is_anonymous_vpn")),
            hosting=bool(record.get("is_hosting_provider")),
            proxy=bool(record.get("is_public_proxy") or record.get("is_residential_proxy")),
            tor=bool(record.get("is_tor_exit_node")),
            provider=str(provider)[:80] if provider else None,
        )

    def sources(self) -> list[Source]:
        """Each configured database with its type and build date."""
        out: list[Source] = []
        for kind in KINDS:
            if kind not in self.paths:
                continue
            reader = self._reader(kind)
            if reader is None:
                out.append(Source(f"MaxMind {kind} database ({self.paths[kind]})", "unreadable"))
                continue
            meta = reader.metadata()
            built = dt.datetime.fromtimestamp(meta.build_epoch, dt.UTC).date().isoformat()
            out.append(Source(f"{meta.database_type} ({self.paths[kind].name})", built))
        return out

    def close(self) -> None:
        """Close every opened reader."""
        with self._lock:
            for reader in self._readers.values():
                reader.close()
            self._readers.clear()


def _iso(value: object) -> str | None:
    if isinstance(value, dict):
        code = value.get("iso_code")
        if isinstance(code, str) and 1 <= len(code) <= 3 and code.isalnum():
            return code.upper()
    return None
