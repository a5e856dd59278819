"""IP intelligence offline: embedded countries, MaxMind files written by the tests, network lists.

Public-looking addresses below exist only in the databases these tests write or in the shipped
seed list; nothing is looked up on a network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mmdbwriter import write_mmdb
from netsupport import app, records

from screening.analyze.base import AnalysisContext
from screening.analyze.ips import IpIntel, IpIntelAnalyzer, IpOptions
from screening.analyze.ips.netlists import HOSTING, TOR, VPN, validate_networks
from screening.analyze.ips.ranges import is_public, parse_address
from screening.errors import ListError
from screening.lists import ListChoices, update
from screening.model.facts import CheckStatus

CTX = AnalysisContext()


@pytest.fixture
def databases(tmp_path: Path) -> dict[str, Path]:
    """City, ASN and Anonymous IP databases in MaxMind format."""
    city = write_mmdb(
        tmp_path / "city.mmdb",
        [
            (
                "81.2.69.0/24",
                {
                    "country": {"iso_code": "UA"},
                    "subdivisions": [{"iso_code": "43"}],
                    "city": {"names": {"en": "Simferopol"}},
                },
            ),
            (
                "81.2.70.0/24",
                {
                    "country": {"iso_code": "DE"},
                    "subdivisions": [{"iso_code": "BE"}],
                    "city": {"names": {"en": "Berlin"}},
                },
            ),
            ("81.2.71.0/24", {"registered_country": {"iso_code": "US"}}),
        ],
        database_type="GeoLite2-City",
    )
    asn = write_mmdb(
        tmp_path / "asn.mmdb",
        [
            (
                "81.2.0.0/16",
                {
                    "autonomous_system_number": 64500,
                    "autonomous_system_organization": "Example Hosting",
                },
            )
        ],
        database_type="GeoLite2-ASN",
    )
    anonymous = write_mmdb(
        tmp_path / "anon.mmdb",
        [
            (
                "81.2.70.0/25",
                {"is_anonymous": True, "is_anonymous_vpn": True, "provider_name": "Astrill"},
            ),
            ("81.2.70.128/25", {"is_anonymous": True, "is_tor_exit_node": True}),
            ("81.2.71.0/24", {"is_anonymous": True, "is_residential_proxy": True}),
        ],
        database_type="GeoIP2-Anonymous-IP",
    )
    return {"city_db": city, "asn_db": asn, "anonymous_db": anonymous}


@pytest.fixture
def full(databases: dict[str, Path]) -> Iterator[IpIntel]:
    intel = IpIntel(IpOptions(**databases))  # type: ignore[arg-type]
    yield intel
    intel.close()


def test_embedded_country_and_shipped_hosting_seed() -> None:
    result = IpIntelAnalyzer().analyze(
        app(location={"country": "DE"}, network=[{"ip": "45.77.1.1"}, {"ip": "45.77.1.1"}]), CTX
    )
    (rec,) = records(result, "ips")  # repeated addresses are examined once
    assert rec["country"] == "US" and rec["country_source"] == "rir"
    assert rec["country_matches_claim"] is False
    assert rec["hosting"] is True and rec["hosting_provider"] == "Vultr"
    assert rec["network_type"] == "hosting (Vultr)"
    assert rec["sanctioned_jurisdiction"] is None


def test_access_from_a_sanctioned_country() -> None:
    result = IpIntelAnalyzer().analyze(app(network=[{"ip": "175.45.176.3"}]), CTX)
    (rec,) = records(result, "ips")
    assert rec["country"] == "KP"
    assert str(rec["sanctioned_jurisdiction"]).startswith("KP (North Korea")


def test_private_malformed_and_mapped_addresses() -> None:
    result = IpIntelAnalyzer().analyze(
        app(
            network=[
                {"ip": "10.0.0.7"},
                {"ip": "999.1.1.1"},
                {"ip": "x" * 500},
                {"ip": "::ffff:45.77.1.1"},
                {"ip": "[2001:db8::1]"},
            ]
        ),
        CTX,
    )
    recs = records(result, "ips")
    assert [r["valid"] for r in recs] == [True, False, False, True, True]
    assert recs[0]["public"] is False and recs[4]["public"] is False
    assert recs[3]["ip"] == "45.77.1.1" and recs[3]["hosting"] is True
    assert len(str(recs[2]["text"])) <= 64
    assert records(result, "ip_summary")[0]["public_ip_count"] == 1


def test_a_fresh_install_decides_vpn_tor_and_hosting_naming_astrill() -> None:
    # addresses taken from the shipped lists: Spur's Astrill exits, the Tor Project's bulk exit
    # list, X4BNet's VPN list (no provider names)
    result = IpIntelAnalyzer().analyze(
        app(network=[{"ip": "205.178.183.71"}, {"ip": "102.130.113.9"}, {"ip": "2.26.157.5"}]),
        CTX,
    )
    astrill, tor, vpn = records(result, "ips")
    assert astrill["vpn"] is True and astrill["vpn_provider"] == "Astrill"
    assert astrill["network_type"] == "VPN (Astrill)"
    assert "Astrill VPN exits list (Astrill)" in astrill["flagged_by"]
    assert tor["tor"] is True and tor["network_type"] == "Tor exit"
    assert vpn["vpn"] is True and vpn["vpn_provider"] is None and vpn["network_type"] == "VPN"
    assert not {"ips.vpn", "ips.tor", "ips.hosting"} & set(result.missing)
    sources = {s.name.split(" (")[0]: s for s in IpIntelAnalyzer().sources()}
    assert sources["Astrill VPN exits"].version_or_date == "2024-12-19"
    assert "Spur" in sources["Astrill VPN exits"].name
    assert "MIT" in sources["VPN provider networks"].name  # the licence is shown
    assert sources["Tor exit relays"].version_or_date == "2026-08-22"


def test_a_disabled_list_is_unavailable_not_clean() -> None:
    off = ListChoices(disabled=frozenset({"astrill-vpn", "vpn-networks", "tor-exit-nodes"}))
    result = IpIntelAnalyzer(IpIntel(IpOptions(lists=off))).analyze(
        app(network=[{"ip": "205.178.183.71"}]), CTX
    )
    assert "ips.vpn" in result.missing and "astrill-vpn vpn-networks" in result.missing["ips.vpn"]
    assert "tor-exit-nodes" in result.missing["ips.tor"]
    assert "[ip] anonymous_db" in result.missing["ips.proxy"]
    assert "[ip] city_db" in result.missing["ips.region"]
    assert "ips.country_matches_claim" in result.missing  # no claimed country
    quiet = IpIntelAnalyzer().analyze(app(network=[{"ip": "192.168.1.20"}]), CTX)
    assert quiet.missing == {}  # nothing public: no gap can change an answer


def test_a_list_replaced_by_the_users_own_file(tmp_path: Path) -> None:
    own = tmp_path / "our-vpn-intel.txt"
    own.write_text("# our intelligence\n81.2.90.0/24 ExampleVPN\n", encoding="utf-8")
    choices = ListChoices(files={"astrill-vpn": (own,)})
    intel = IpIntel(IpOptions(lists=choices))
    result = IpIntelAnalyzer(intel).analyze(
        app(network=[{"ip": "81.2.90.8"}, {"ip": "205.178.183.71"}]), CTX
    )
    ours, former = records(result, "ips")
    assert ours["vpn"] is True and ours["vpn_provider"] == "ExampleVPN"
    # the user's file replaced Spur's list: this Astrill exit is no longer named Astrill
    assert former["vpn_provider"] != "Astrill"
    assert any("your files: our-vpn-intel.txt" in s.name for s in intel.sources())


def test_maxmind_city_asn_and_anonymous_databases(full: IpIntel) -> None:
    result = IpIntelAnalyzer(full).analyze(
        app(
            location={"country": "DE"},
            network=[
                {"ip": "81.2.69.10"},
                {"ip": "81.2.70.5"},
                {"ip": "81.2.70.200"},
                {"ip": "81.2.71.9"},
            ],
        ),
        CTX,
    )
    crimea, vpn, tor, proxy = records(result, "ips")
    assert crimea["country"] == "UA" and crimea["country_source"] == "maxmind"
    assert crimea["regions"] == ["UA-43"] and crimea["city"] == "Simferopol"
    assert str(crimea["sanctioned_jurisdiction"]).startswith("UA-43 (Crimea")
    assert crimea["asn"] == 64500 and crimea["as_org"] == "Example Hosting"
    assert vpn["vpn"] is True and vpn["vpn_provider"] == "Astrill"
    assert vpn["network_type"] == "VPN (Astrill)" and vpn["country_matches_claim"] is True
    assert tor["tor"] is True and tor["network_type"] == "Tor exit"
    assert proxy["proxy"] is True and proxy["country"] == "US"  # registered country fallback
    for key in ("ips.vpn", "ips.tor", "ips.proxy", "ips.region", "ips.asn"):
        assert key not in result.missing
    summary = records(result, "ip_summary")[0]
    assert summary["countries"] == ["DE", "UA", "US"]
    assert summary["located_country_count"] == 1  # only the Crimean address is not anonymised
    names = [s.name for s in full.sources()]
    assert any(n.startswith("GeoLite2-City (city.mmdb)") for n in names)
    assert any(n.startswith("GeoIP2-Anonymous-IP") for n in names)


def test_an_unreadable_database_makes_only_its_facts_unavailable(tmp_path: Path) -> None:
    broken = tmp_path / "city.mmdb"
    broken.write_bytes(b"not a database")
    intel = IpIntel(IpOptions(city_db=broken))
    result = IpIntelAnalyzer(intel).analyze(app(network=[{"ip": "45.77.1.1"}]), CTX)
    assert "cannot open [ip] city_db" in result.missing["ips.region"]
    assert records(result, "ips")[0]["country_source"] == "rir"
    assert any(s.version_or_date == "unreadable" for s in intel.sources())


def test_trusted_networks_are_never_flagged() -> None:
    intel = IpIntel(IpOptions(trusted_networks=("45.77.1.0/24",)))
    result = IpIntelAnalyzer(intel).analyze(
        app(location={"country": "DE"}, network=[{"ip": "45.77.1.1"}]), CTX
    )
    (rec,) = records(result, "ips")
    assert rec["trusted"] is True and "hosting" not in rec and "country_matches_claim" not in rec
    assert records(result, "ip_summary")[0]["public_ip_count"] == 0


def test_addresses_are_capped() -> None:
    intel = IpIntel(IpOptions(max_addresses=3))
    events = [{"ip": f"45.77.1.{i}"} for i in range(10)]
    result = IpIntelAnalyzer(intel).analyze(app(network=events), CTX)
    assert len(records(result, "ips")) == 3
    assert records(result, "ip_summary")[0]["truncated"] is True
    assert "3 of 10" in result.reason


def test_no_addresses_is_skipped() -> None:
    assert IpIntelAnalyzer().analyze(app(), CTX).status is CheckStatus.SKIPPED


def test_lists_update_replaces_the_shipped_copies(tmp_path: Path) -> None:
    served = {
        VPN.files[0].url: b"# vpn\n198.51.100.0/24\n81.2.80.0/24 Astrill\n",
        VPN.files[1].url: b"2001:db8:1::/48\n",
        TOR.files[0].url: b"81.2.81.9\n81.2.81.10\n",
        TOR.files[
            1
        ].url: b"fingerprint, ipaddr, port\nAB12, 81.2.81.11, 9001\nAB12, 2001:db8::9, 9001\n",
        HOSTING.files[0].url: b"81.2.82.0/24\n",
        HOSTING.files[1].url: b"2001:db8:2::/48\n",
    }
    results = update(
        ["vpn-networks", "tor-exit-nodes", "hosting-networks"],
        lists_dir=tmp_path,
        fetch=lambda url, timeout, limit: served[url],
    )
    assert all(r.ok for r in results), [r.message for r in results]
    intel = IpIntel(IpOptions(lists=ListChoices(dir=tmp_path)))
    result = IpIntelAnalyzer(intel).analyze(
        app(
            network=[
                {"ip": "81.2.80.7"},
                {"ip": "81.2.81.11"},
                {"ip": "45.77.1.1"},
                {"ip": "2.26.157.5"},
            ]
        ),
        CTX,
    )
    astrill, tor, vultr, former_vpn = records(result, "ips")
    assert astrill["vpn"] is True and astrill["vpn_provider"] == "Astrill"
    assert tor["tor"] is True  # from the relay table's address column
    assert vultr["hosting"] is True and vultr["hosting_provider"] == "Vultr"  # the seed names it
    assert former_vpn["vpn"] is False  # the updated copy replaced the shipped one
    assert "ips.vpn" not in result.missing and "ips.tor" not in result.missing
    assert any("VPN provider networks (updated, 3 entries)" in s.name for s in intel.sources())


def test_a_bad_list_download_is_refused() -> None:
    with pytest.raises(ListError, match="line 2"):
        validate_networks(b"198.51.100.0/24\n<html>not a list</html>\n")
    with pytest.raises(ListError, match="no entries"):
        validate_networks(b"# nothing\n")


@settings(max_examples=500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet="0123456789.:abcdef[]x \u0663", max_size=45),
        st.builds(
            lambda parts: ".".join(parts),
            st.lists(st.from_regex(r"0?[0-9]{1,3}", fullmatch=True), min_size=3, max_size=5),
        ),
        st.ip_addresses().map(str),
    )
)
def test_address_parsing_agrees_with_the_standard_library(text: str) -> None:
    parsed = parse_address(text)
    try:
        expected = ipaddress.ip_address(text)
    except ValueError:
        assert parsed is None
        return
    if expected.version == 6 and expected.ipv4_mapped:
        expected = expected.ipv4_mapped
    assert parsed == (expected.version, int(expected), str(expected))


def test_special_purpose_ranges_are_not_public() -> None:
    for text in (
        "10.1.2.3",
        "127.0.0.1",
        "169.254.1.1",
        "100.64.0.1",
        "192.0.2.1",
        "224.0.0.5",
        "255.255.255.255",
        "::1",
        "fe80::1",
        "fc00::1",
        "2001:db8::1",
        "ff02::1",
    ):
        parsed = parse_address(text)
        assert parsed is not None and not is_public(parsed[0], parsed[1]), text
    for text in ("45.77.1.1", "8.8.8.8", "2a01:4f8::1"):
        parsed = parse_address(text)
        assert parsed is not None and is_public(parsed[0], parsed[1]), text
