"""IP intelligence offline: country, network operator, hosting/VPN/Tor, sanctioned jurisdictions.

Everything here works without a network: the country comes from a MaxMind database when one is
configured, else from the RIR data embedded with the ``iptocc`` package; hosting, VPN and Tor
membership from the shipped (or updated) network lists and the MaxMind Anonymous IP database.
An IP country is used only against the candidate's own claim or as access from a sanctioned
jurisdiction, never as a fact about the person. Facts whose data is absent (no VPN list, no city
database) are reported unavailable with the way to get them, not as "not listed".
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.ips import embedded
from screening.analyze.ips.jurisdictions import jurisdictions_source, match
from screening.analyze.ips.maxmind import MaxMindDatabases
from screening.analyze.ips.netlists import BY_FACT, LoadedList, load_list
from screening.analyze.ips.ranges import ListLine, NetworkTable, is_public, parse_address
from screening.lists import ListChoices
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

MAX_ADDRESSES = 100
_MAX_TEXT = 64


@dataclass(frozen=True, slots=True, kw_only=True)
class IpOptions:
    """Where the offline IP data lives and which networks the organisation trusts (``[ip]``)."""

    country_db: Path | None = None  # MaxMind-format files; without them: embedded RIR data
    city_db: Path | None = None
    asn_db: Path | None = None
    anonymous_db: Path | None = None
    trusted_networks: tuple[str, ...] = ()  # the organisation's own egress (VPN), never flagged
    lists: ListChoices = field(default_factory=ListChoices)  # [lists]: dir, disabled, files
    max_addresses: int = MAX_ADDRESSES


@dataclass
class _Lists:
    """For each fact (hosting, vpn, tor) the lists that decide it, in the order they are asked."""

    by_fact: tuple[tuple[str, tuple[LoadedList, ...]], ...]
    checks: tuple[tuple[str, tuple[LoadedList, ...]], ...] = ()  # only lists with entries

    def __post_init__(self) -> None:
        self.checks = tuple(
            (key, tuple(x for x in group if not x.empty)) for key, group in self.by_fact
        )

    def all(self) -> list[LoadedList]:
        """Every list, once."""
        return [loaded for _, group in self.by_fact for loaded in group]


@dataclass
class IpFacts:
    """The facts of one address (one ``ips`` record)."""

    record: Record = field(default_factory=dict)

    @property
    def country(self) -> str | None:
        value = self.record.get("country")
        return value if isinstance(value, str) else None

    @property
    def anonymised(self) -> bool:
        return any(self.record.get(k) is True for k in ("hosting", "vpn", "tor", "proxy"))


class IpIntel:
    """Per-address lookups against every offline source (lists loaded once, on first use)."""

    def __init__(self, options: IpOptions) -> None:
        self.options = options
        self.maxmind = MaxMindDatabases(
            {
                "country": options.country_db,
                "city": options.city_db,
                "asn": options.asn_db,
                "anonymous": options.anonymous_db,
            }
        )
        self.trusted = NetworkTable(
            ListLine(ipaddress.ip_network(n, strict=False), "trusted")
            for n in options.trusted_networks
        )
        self._lists: _Lists | None = None
        self._lock = threading.Lock()

    def lists(self) -> _Lists:
        """The hosting, VPN and Tor lists (the copies in use, loaded once per engine)."""
        if self._lists is None:
            with self._lock:
                if self._lists is None:
                    choices = self.options.lists
                    self._lists = _Lists(
                        tuple(
                            (key, tuple(load_list(spec, choices) for spec in specs))
                            for key, specs in BY_FACT
                        )
                    )
        return self._lists

    def examine(self, text: str) -> IpFacts:
        """Every fact about one address as written in the application."""
        shown = text[:_MAX_TEXT]
        parsed = parse_address(text.strip().strip("[]")[:_MAX_TEXT])
        if parsed is None:
            return IpFacts({"ip": None, "text": shown, "valid": False})
        version, value, ip = parsed
        public = is_public(version, value)
        rec: Record = {"ip": ip, "text": shown, "valid": True, "public": public}
        if not public:
            return IpFacts(rec)
        if self.trusted.size and self.trusted.lookup_value(version, value)[0]:
            rec["trusted"] = True
            return IpFacts(rec)
        rec["trusted"] = False
        mm = self.maxmind
        place = mm.place(ip) if mm.paths else None
        regions: tuple[str, ...] = ()
        if place is not None and place.country:
            country: str | None = place.country
            regions = place.regions
            rec.update(country_source="maxmind", regions=list(regions), city=place.city)
        else:
            country = embedded.country(ip)
            rec["country_source"] = "rir" if country else None
        rec["country"] = country
        anonymity = mm.anonymity(ip) if mm.paths else None
        flagged_by: list[str] = []
        for key, group in self.lists().checks:
            if not group and anonymity is None:
                continue  # nothing can tell: the fact is reported unavailable
            listed, provider = False, None
            for loaded in group:
                hit, label = loaded.table.lookup_value(version, value)
                if hit:
                    listed = True
                    provider = provider or label
                    flagged_by.append(f"{loaded.title} list" + (f" ({label})" if label else ""))
            from_db = bool(anonymity and getattr(anonymity, key))
            rec[key] = listed or from_db
            if from_db:
                flagged_by.append(f"MaxMind Anonymous IP ({key})")
            if key != "tor":
                if provider is None and from_db and anonymity:
                    provider = anonymity.provider
                rec[f"{key}_provider"] = provider
        if anonymity is not None:
            rec["proxy"] = anonymity.proxy
            if anonymity.proxy:
                flagged_by.append("MaxMind Anonymous IP (proxy)")
        rec["flagged_by"] = flagged_by
        rec["network_type"] = _network_type(rec)
        asn = mm.asn(ip) if mm.paths else None
        if asn is not None:
            rec["asn"], rec["as_org"] = asn
        rec["sanctioned_jurisdiction"] = match(country, regions)
        return IpFacts(rec)

    def sources(self) -> list[Source]:
        """Every offline source that can contribute."""
        lists = self.lists()
        out = [s for s in (embedded.source(),) if s is not None]
        out += self.maxmind.sources()
        out += [loaded.source for loaded in lists.all()]
        out.append(jurisdictions_source())
        return out

    def unavailable(self) -> dict[str, str]:
        """Facts no configured source can give, with how to get them."""
        lists = self.lists()
        mm = self.maxmind
        anon = mm.usable("anonymous")
        out: dict[str, str] = {}
        if not embedded.available() and not (mm.usable("country") or mm.usable("city")):
            why = mm.problems.get("city") or mm.problems.get("country")
            out["country"] = why or "no IP-to-country data: install iptocc or set [ip] country_db"
        if not mm.usable("city"):
            out["region"] = mm.problems.get("city") or "no city database ([ip] city_db)"
            out["city"] = out["region"]
        if not mm.usable("asn"):
            out["asn"] = mm.problems.get("asn") or "no ASN database ([ip] asn_db)"
            out["as_org"] = out["asn"]
        no_anon = mm.problems.get("anonymous") or "no Anonymous IP database ([ip] anonymous_db)"
        for (key, group), (_, every) in zip(lists.checks, lists.by_fact, strict=True):
            if not group and not anon:
                names = " ".join(loaded.name for loaded in every)
                out[key] = (
                    f"no {key} list in use (empty or disabled): run `screening lists update "
                    f"{names}`, check [lists] disabled, or set [ip] anonymous_db"
                )
        for key in ("hosting", "vpn"):
            if key in out:
                out[f"{key}_provider"] = out[key]
        if not anon:
            out["proxy"] = no_anon
        return out

    def close(self) -> None:
        """Close the MaxMind readers."""
        self.maxmind.close()


class IpIntelAnalyzer:
    """Country (vs the claim), operator, hosting/VPN/Tor/proxy and sanctions for each public IP."""

    name: ClassVar[str] = "ips"
    description: ClassVar[str] = "IP addresses checked against offline country and network data"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("ips", "One record per distinct IP address seen", "ips", True),
        NamespaceSpec("ip_summary", "Countries and networks across all IPs", "ips", False),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "ips",
        "ips",
        [
            ("ip", "ip", "The address (canonical form)"),
            ("text", "str", "The address as written in the application"),
            ("valid", "bool", "The text is a valid IPv4 or IPv6 address"),
            ("public", "bool", "A public (globally routed) address"),
            ("trusted", "bool", "In a network the organisation trusts ([ip] trusted_networks)"),
            ("country", "str", "ISO country of the address (location database or registration)"),
            (
                "country_source",
                "str",
                "Where the country comes from",
                {"values": ("maxmind", "rir")},
            ),
            ("regions", "list[str]", "ISO 3166-2 regions of the address (city database)"),
            ("city", "str", "City of the address (city database)"),
            ("asn", "int", "Autonomous system number of the network (ASN database)"),
            ("as_org", "str", "Organisation operating the network (ASN database)"),
            (
                "country_matches_claim",
                "bool",
                "The address's country is the country the candidate claims to live in",
            ),
            ("hosting", "bool", "A hosting or data-centre network"),
            ("hosting_provider", "str", "The hosting provider, when the list names it"),
            ("vpn", "bool", "A commercial VPN network"),
            ("vpn_provider", "str", "The VPN provider, when the data names it"),
            ("tor", "bool", "A Tor exit relay"),
            ("proxy", "bool", "A public or residential proxy (Anonymous IP database)"),
            ("flagged_by", "list[str]", "Which lists or databases flagged the address"),
            (
                "network_type",
                "str",
                "The strongest finding: Tor exit, VPN, proxy or hosting (with the provider)",
            ),
            (
                "sanctioned_jurisdiction",
                "str",
                "The comprehensively sanctioned country or region the address is in",
            ),
        ],
    ) + declare(
        "ips",
        "ip_summary",
        [
            ("public_ip_count", "int", "Distinct public, untrusted addresses examined"),
            ("countries", "list[str]", "Countries of those addresses"),
            ("country_count", "int", "How many countries they are in"),
            (
                "located_country_count",
                "int",
                "Countries of the addresses not flagged as hosting, VPN, Tor or proxy",
            ),
            ("truncated", "bool", "More addresses were given than are examined"),
        ],
    )

    def __init__(self, intel: IpIntel | None = None) -> None:
        self.intel = intel or IpIntel(IpOptions())

    def sources(self) -> list[Source]:
        """Embedded data, MaxMind databases, network lists and the jurisdiction list."""
        return self.intel.sources()

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per distinct address and a summary over the public ones."""
        texts = _distinct(e.ip for e in app.network if e.ip)
        if not texts:
            return FamilyResult.skipped("no IP addresses in the application")
        limit = self.intel.options.max_addresses
        examined = [self.intel.examine(t) for t in texts[:limit]]
        claimed = app.location.country.upper() if app.location.country else None
        records: list[Record] = []
        for facts in examined:
            rec = facts.record
            if claimed and facts.country:
                rec["country_matches_claim"] = facts.country == claimed
            records.append(rec)
        public = [f for f in examined if f.record.get("public") and not f.record.get("trusted")]
        countries = sorted({c for f in public if (c := f.country)})
        located = {c for f in public if (c := f.country) and not f.anonymised}
        summary: Record = {
            "public_ip_count": len(public),
            "countries": countries,
            "country_count": len(countries),
            "located_country_count": len(located),
            "truncated": len(texts) > limit,
        }
        # with no public address there is nothing the missing data could have decided
        gaps = self.intel.unavailable() if public else {}
        missing = {f"ips.{k}": v for k, v in gaps.items()}
        if not claimed and public:
            missing["ips.country_matches_claim"] = "no claimed country (location.country)"
        if "ips.country" in missing:
            for key in ("countries", "country_count", "located_country_count"):
                missing[f"ip_summary.{key}"] = missing["ips.country"]
            missing["ips.sanctioned_jurisdiction"] = missing["ips.country"]
        result = FamilyResult(records={"ips": records, "ip_summary": [summary]}, missing=missing)
        notes = []
        if len(texts) > limit:
            notes.append(f"examined {limit} of {len(texts)} distinct addresses")
        if public and not self.intel.maxmind.usable("city"):
            notes.append("sanctioned regions (Crimea, DNR, LNR) need a city database")
        result.reason = "; ".join(notes)
        return result


def _network_type(rec: Record) -> str:
    """The strongest anonymity finding, for explanations ("VPN (Astrill)", "hosting (Vultr)")."""
    if rec.get("tor") is True:
        return "Tor exit"
    for key, name in (("vpn", "VPN"), ("proxy", "proxy"), ("hosting", "hosting")):
        if rec.get(key) is True:
            provider = rec.get(f"{key}_provider")
            return f"{name} ({provider})" if provider else name
    return "not a known hosting, VPN, proxy or Tor network"


def _distinct(texts: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for text in texts:
        seen.setdefault(text.strip()[:_MAX_TEXT], None)
    return list(seen)
