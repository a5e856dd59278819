"""The infrastructure rules end to end: configuration -> engine -> DNS on loopback -> findings.

The engine is built from ``Settings`` the way ``screening check`` builds it (nameservers and port
from ``[dns]``, lists from ``[lists] dir``) with the shipped packs; only infrastructure findings
are asserted.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from dnszone import ZoneServer
from netsupport import CANARIES

from screening.analyze.ips.netlists import TOR, VPN
from screening.config import (
    DnsConfig,
    ListsConfig,
    NetworkConfig,
    PhoneConfig,
    Settings,
    load_settings,
)
from screening.errors import ConfigError
from screening.lists import update
from screening.model.screening import Screening
from screening.pipeline import Engine
from screening.testing import FixedClock, screen_mapping

IMPOSTOR: dict[str, Any] = {
    "id": "net-impostor",
    "name": "Jordan Avery",
    "emails": ["jordan.avery@nullmx.example.com"],
    "phones": ["+44 56 0012 3456"],
    "location": {"country": "US", "timezone": "America/Chicago"},
    "employment": [
        {"employer": "Brightline Systems", "website": "https://brightline-systems.example.com"},
        {"employer": "Google", "website": "https://g\u043e\u043egle.com"},
    ],
    "network": [
        {"ip": "45.77.1.1", "seen_at": "2025-03-02T14:05:00Z", "utc_offset_minutes": -360},
        {"ip": "175.45.176.3", "seen_at": "2025-03-04T14:05:00Z", "utc_offset_minutes": -360},
    ],
}
GENUINE: dict[str, Any] = {
    "id": "net-genuine",
    "name": "Sam Rivera",
    "emails": ["sam.rivera@mail-ok.example.com"],
    "phones": ["+1 512 555 0101"],
    "location": {"country": "US", "timezone": "America/Chicago"},
    "employment": [{"employer": "Web Only", "website": "https://web-only.example.org"}],
    "network": [{"ip": "24.0.0.1", "seen_at": "2025-03-02T14:05:00Z", "utc_offset_minutes": -360}],
}


@pytest.fixture
def lists_dir(tmp_path: Path) -> Path:
    """Updated VPN and Tor lists (served by a stand-in download), so no network fact is missing."""
    served = {
        VPN.files[0].url: b"198.51.100.0/24 Astrill\n",
        VPN.files[1].url: b"2001:db8:1::/48\n",
        TOR.files[0].url: b"81.2.81.9\n",
        TOR.files[1].url: b"fingerprint, ipaddr, port\nABCD, 81.2.81.10, 443\n",
    }
    update(
        ["vpn-networks", "tor-exit-nodes"],
        lists_dir=tmp_path / "lists",
        fetch=lambda url, timeout, limit: served[url],
    )
    return tmp_path / "lists"


NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


def engine(
    zone: ZoneServer,
    lists_dir: Path,
    lists: ListsConfig | None = None,
    clock: FixedClock | None = None,
    **kwargs: Any,
) -> Engine:
    settings = Settings(
        network=NetworkConfig(timeout_seconds=0.5, budget_seconds=3),
        dns=DnsConfig(nameservers=["127.0.0.1"], port=zone.port, canaries=list(CANARIES)),
        lists=lists or ListsConfig(dir=lists_dir),
    )
    return Engine.build(settings, clock=clock or FixedClock(), **kwargs)


MINE = {
    "infrastructure.anonymised-or-foreign-network",
    "infrastructure.email-domain-cannot-receive-mail",
    "infrastructure.employer-domain-does-not-exist",
    "infrastructure.homoglyph-domain",
    "infrastructure.ips-from-many-countries",
    "infrastructure.sanctioned-jurisdiction-access",
    "infrastructure.voip-phone-number",
}


def found(screening: Screening) -> set[str]:
    return {f.id for f in screening.findings if f.id in MINE}


def not_evaluated(screening: Screening) -> dict[str, list[str]]:
    return {n.rule_id: list(n.reasons) for n in screening.not_evaluated if n.rule_id in MINE}


def test_infrastructure_signals_of_an_impostor(zone: ZoneServer, lists_dir: Path) -> None:
    result = screen_mapping(engine(zone, lists_dir), IMPOSTOR)
    assert {
        "infrastructure.email-domain-cannot-receive-mail",
        "infrastructure.employer-domain-does-not-exist",
        "infrastructure.anonymised-or-foreign-network",
        "infrastructure.sanctioned-jurisdiction-access",
        "infrastructure.voip-phone-number",
        "infrastructure.homoglyph-domain",
    } <= found(result)
    explain = {f.id: f.explain for f in result.findings}
    assert "hosting (Vultr)" in explain["infrastructure.anonymised-or-foreign-network"]
    assert "North Korea" in explain["infrastructure.sanctioned-jurisdiction-access"]
    names = {s.name for s in result.sources}
    assert any(n.startswith("VPN provider networks") and "1 entries" not in n for n in names)
    assert any(n.startswith("IP-to-country") for n in names)


def test_a_genuine_application_stays_quiet(zone: ZoneServer, lists_dir: Path) -> None:
    result = screen_mapping(engine(zone, lists_dir), GENUINE)
    assert found(result) == set()
    assert not_evaluated(result) == {}


def test_offline_mode_keeps_offline_facts_and_names_the_gaps(
    zone: ZoneServer, lists_dir: Path
) -> None:
    result = screen_mapping(engine(zone, lists_dir, offline=True), IMPOSTOR)
    assert zone.total == 0
    assert "infrastructure.sanctioned-jurisdiction-access" in found(result)
    assert "infrastructure.homoglyph-domain" in found(result)
    gaps = not_evaluated(result)
    assert any("offline mode" in r for r in gaps["infrastructure.employer-domain-does-not-exist"])
    checks = {c.analyzer: c for c in result.checks}
    assert checks["dns"].status.value == "skipped" and checks["dns"].reason == "offline mode"
    assert not any(s.name.startswith("DNS lookups") for s in result.sources)  # nothing asked


def test_a_sinkholed_resolver_never_calls_a_domain_fake(zone: ZoneServer, lists_dir: Path) -> None:
    zone.sinkhole = True
    result = screen_mapping(engine(zone, lists_dir), GENUINE)
    assert "infrastructure.employer-domain-does-not-exist" not in found(result)
    assert "infrastructure.email-domain-cannot-receive-mail" not in found(result)
    reasons = not_evaluated(result)["infrastructure.employer-domain-does-not-exist"]
    assert any("NXDOMAIN for canary names" in r for r in reasons)


def test_disabled_network_lists_are_named_not_read_as_clean(
    zone: ZoneServer, tmp_path: Path
) -> None:
    off = ListsConfig(dir=tmp_path, disabled=["astrill-vpn", "vpn-networks", "tor-exit-nodes"])
    result = screen_mapping(engine(zone, tmp_path, lists=off), GENUINE)
    reasons = not_evaluated(result)["infrastructure.anonymised-or-foreign-network"]
    assert any("screening lists update astrill-vpn vpn-networks" in r for r in reasons)
    assert not any("Astrill VPN exits list" in n for n in result.notes)  # off: no age warning


def test_a_fresh_install_flags_astrill_naming_the_provider_and_the_list_date(
    zone: ZoneServer, tmp_path: Path
) -> None:
    astrill = {**GENUINE, "network": [{"ip": "205.178.183.71"}]}
    result = screen_mapping(engine(zone, tmp_path, clock=FixedClock(NOW)), astrill)
    assert "infrastructure.anonymised-or-foreign-network" in found(result)
    explain = {f.id: f.explain for f in result.findings}
    assert "VPN (Astrill)" in explain["infrastructure.anonymised-or-foreign-network"]
    dated = {s.name.split(" (")[0]: s.version_or_date for s in result.sources}
    assert dated["Astrill VPN exits"] == "2024-12-19"
    # the shipped Astrill list is older than its four-week limit: the report says so plainly
    (warning,) = [n for n in result.notes if "Astrill VPN exits list" in n]
    assert "717 days old" in warning and "screening lists update astrill-vpn" in warning


def test_a_configured_freshness_limit_decides_what_is_stale(
    zone: ZoneServer, tmp_path: Path
) -> None:
    lenient = ListsConfig(dir=tmp_path, max_age_days={"astrill-vpn": 1000})
    result = screen_mapping(engine(zone, tmp_path, lists=lenient, clock=FixedClock(NOW)), GENUINE)
    assert not any("Astrill VPN exits list" in n for n in result.notes)
    assert any("Tor exit relays list in use is 106 days old" in n for n in result.notes)
    with pytest.raises(ConfigError, match=r"\[lists\] disabled: unknown list 'astril-vpn'"):
        engine(zone, tmp_path, lists=ListsConfig(disabled=["astril-vpn"]))


def test_configuration_of_the_network_sections(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "screening.toml"
    config.write_text('[dns]\nnameservers = ["resolver.example"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="not an IP address"):
        load_settings(config, {})
    config.write_text('[phone]\nauth_token = "abc"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="is a secret"):
        load_settings(config, {})
    settings, _ = load_settings(
        None,
        {
            "SCREENING_DNS__NAMESERVERS": "127.0.0.1, ::1",
            "SCREENING_IP__TRUSTED_NETWORKS": "198.51.100.0/24",
            "SCREENING_PHONE__PROVIDER": "twilio",
        },
    )
    assert settings.dns.nameservers == ["127.0.0.1", "::1"]
    assert settings.ip.trusted_networks == ["198.51.100.0/24"]
    with pytest.raises(ConfigError, match="TWILIO_AUTH_TOKEN"):
        Engine.build(settings, offline=True)
    # Twilio's own variable names are read by the configuration, never by the analyzer
    twilio = {"TWILIO_ACCOUNT_SID": "AC0000", "TWILIO_AUTH_TOKEN": "token"}
    settings, _ = load_settings(None, {"SCREENING_PHONE__PROVIDER": "twilio", **twilio})
    assert settings.phone.account_sid == "AC0000"
    built = Engine.build(settings, offline=True)
    assert any(a.name == "phone_lines" for a in built.analyzers)
    # the [phone] forms win over Twilio's names
    own = {"SCREENING_PHONE__ACCOUNT_SID": "AC1111", **twilio}
    assert load_settings(None, own)[0].phone.account_sid == "AC1111"
    assert PhoneConfig().provider == "none"
