"""Sanctions screening end to end: ``screening lists update`` from a loopback server serving the
official files, the rules and their evidence in reports, and unreadable lists reported as gaps."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from loopback import FileServer
from sdn_fixtures import csv_line, encode, sdn_row

from screening.analyze.sanctions import OFAC_SDN, SNAPSHOT
from screening.analyze.sanctions.sources import UPDATED
from screening.cli import main
from screening.config import Settings
from screening.model.screening import Screening
from screening.pipeline import Engine
from screening.resources import data_dir
from screening.testing import FixedClock, screen_mapping

LAZARUS_WALLET = "0x098b716b8aaf21512996dc57eb0615e2383e2f96"  # in the shipped 2025-11-19 XML


def official_advanced_xml() -> bytes:
    """The 2025-11-19 ``SDN_ADVANCED.XML`` cut that ships with the package, as OFAC serves the
    file (plain XML)."""
    return gzip.decompress((data_dir() / SNAPSHOT).read_bytes())


def mirror(server: str, monkeypatch: pytest.MonkeyPatch, lists_dir: Path) -> None:
    monkeypatch.setenv("SCREENING_LISTS__DIR", str(lists_dir))
    monkeypatch.setenv("SCREENING_LISTS__URLS", f"ofac-sdn/{UPDATED}={server}/SDN_ADVANCED.XML")


def screen(settings: Settings, **fields: Any) -> Screening:
    engine = Engine.build(settings, clock=FixedClock(), offline=True)
    return screen_mapping(engine, {"id": "s-1", "name": "Jordan Avery", **fields})


def finding_ids(s: Screening) -> list[str]:
    return [f.id for f in s.findings]


def test_update_fetches_the_advanced_xml_from_ofacs_sanctions_list_service() -> None:
    (url,) = [f.url for f in OFAC_SDN.files]
    assert url == (
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
        "SDN_ADVANCED.XML"
    )


def test_lists_update_replaces_the_snapshot_with_the_downloaded_advanced_xml(
    file_server: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_server.files = {"/SDN_ADVANCED.XML": official_advanced_xml()}
    lists_dir = tmp_path / "lists"
    mirror(file_server.url, monkeypatch, lists_dir)
    settings = Settings.model_validate({"lists": {"dir": str(lists_dir)}})
    npwmd = "0x4F47BC496083C727C5FBE3CE9CDF2B0F6496270C"  # in the shipped wallet extracts only
    assert "identity.sanctions-identifier-match" in finding_ids(
        screen(settings, payment={"method": "crypto", "wallets": [npwmd]})
    )
    runner = CliRunner()
    result = runner.invoke(main, ["lists", "update", "ofac-sdn"])
    assert result.exit_code == 0, result.output
    assert "ofac-sdn: updated: 538 entries" in result.output
    kept = lists_dir / "ofac-sdn" / UPDATED
    assert gzip.decompress(kept.read_bytes()) == official_advanced_xml()
    meta = json.loads((lists_dir / "ofac-sdn" / "ofac-sdn.meta.json").read_text())
    assert meta["date"] == "2025-11-19" and meta["source"].endswith("/SDN_ADVANCED.XML")
    assert [p.name for p in kept.parent.iterdir() if p.name.startswith(".")] == []
    shown = runner.invoke(main, ["lists", "show"]).output
    assert "OFAC SDN list — updated" in shown and "dated 2025-11-19" in shown

    s = screen(settings, payment={"method": "crypto", "wallets": [LAZARUS_WALLET]})
    finding = next(f for f in s.findings if f.id == "identity.sanctions-identifier-match")
    assert {e.path: e.value for e in finding.evidence}["sanctions.uid"] == "27307"
    dated = {src.name: src.version_or_date for src in s.sources}
    (label,) = [n for n in dated if n.startswith("OFAC SDN list (updated ")]
    assert dated[label] == "2025-11-19"
    # the downloaded file alone is in use now: the shipped extracts are not read
    s = screen(settings, payment={"method": "crypto", "wallets": [npwmd]})
    assert "identity.sanctions-identifier-match" not in finding_ids(s)


@pytest.mark.parametrize(
    ("served", "error"),
    [
        (b"<html><body>Service Unavailable</body></html>", "line 1"),
        (b"", "line 1"),
    ],
)
def test_a_broken_download_keeps_the_copy_in_use(
    file_server: FileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    served: bytes,
    error: str,
) -> None:
    file_server.files = {"/SDN_ADVANCED.XML": served}
    lists_dir = tmp_path / "lists"
    mirror(file_server.url, monkeypatch, lists_dir)
    result = CliRunner().invoke(main, ["lists", "update", "ofac-sdn"])
    assert result.exit_code == 1
    assert "ofac-sdn: FAILED" in result.output and error in result.output
    assert list((lists_dir / "ofac-sdn").iterdir()) == []  # nothing half-written
    s = screen(
        Settings.model_validate({"lists": {"dir": str(lists_dir)}}),
        payment={"method": "crypto", "wallets": [LAZARUS_WALLET]},
    )
    assert "identity.sanctions-identifier-match" in finding_ids(s)


def test_a_download_cut_short_keeps_the_updated_copy(
    file_server: FileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lists_dir = tmp_path / "lists"
    mirror(file_server.url, monkeypatch, lists_dir)
    file_server.files = {"/SDN_ADVANCED.XML": official_advanced_xml()}
    assert CliRunner().invoke(main, ["lists", "update", "ofac-sdn"]).exit_code == 0
    before = (lists_dir / "ofac-sdn" / UPDATED).read_bytes()
    file_server.files = {"/SDN_ADVANCED.XML": official_advanced_xml()[:2_000_000]}
    result = CliRunner().invoke(main, ["lists", "update", "ofac-sdn"])
    assert result.exit_code == 1 and "not well-formed" in result.output
    assert (lists_dir / "ofac-sdn" / UPDATED).read_bytes() == before


def test_a_csv_copy_from_an_earlier_update_is_still_read(tmp_path: Path) -> None:
    lists_dir = tmp_path / "lists"
    (lists_dir / "ofac-sdn").mkdir(parents=True)
    row = sdn_row(
        99001, "NEWLY LISTED FRONT LLC", program="DPRK3", remarks="Website newfront.example."
    )
    (lists_dir / "ofac-sdn" / "sdn.csv").write_bytes(encode([csv_line(row)]))
    settings = Settings.model_validate({"lists": {"dir": str(lists_dir)}})
    s = screen(settings, links=["https://newfront.example/"])
    assert "identity.sanctions-identifier-match" in finding_ids(s)


def test_offline_snapshot_finding_shows_the_entry_and_the_list_date(tmp_path: Path) -> None:
    settings = Settings.model_validate({"lists": {"dir": str(tmp_path)}})
    s = screen(settings, payment={"method": "crypto", "wallets": [LAZARUS_WALLET.upper()[2:]]})
    assert "identity.sanctions-identifier-match" not in [f.id for f in s.findings]
    # the list writes it with its EIP-55 checksum case: EVM addresses compare case-blind
    s = screen(settings, payment={"method": "crypto", "wallets": [LAZARUS_WALLET]})
    finding = next(f for f in s.findings if f.id == "identity.sanctions-identifier-match")
    assert finding.rule.severity == "critical" and finding.weight == 0.95
    evidence = {e.path: e.value for e in finding.evidence}
    assert evidence["sanctions.uid"] == "27307"
    assert evidence["sanctions.entry_name"] == "Lazarus Group"
    assert evidence["sanctions.programs"] == ["DPRK3"]
    assert "Lazarus Group (uid 27307" in finding.explain and "2025-11-19" in finding.explain
    assert "escalate to compliance" in finding.rule.guidance
    dated = {src.name: src.version_or_date for src in s.sources}
    official = "OFAC SDN list, North Korea programs (official advanced XML, shipped)"
    assert dated[official] == "2025-11-19"
    assert "2026-08-22" in dated.values()  # the newer addresses, under their own date


def test_a_wallet_listed_under_any_program_is_caught(tmp_path: Path) -> None:
    settings = Settings.model_validate({"lists": {"dir": str(tmp_path)}})
    # Arbitrum address of an NPWMD-program individual (not North Korean), written upper-case
    npwmd = "0x4F47BC496083C727C5FBE3CE9CDF2B0F6496270C"
    s = screen(settings, payment={"method": "crypto", "wallets": [npwmd]})
    finding = next(f for f in s.findings if f.id == "identity.sanctions-identifier-match")
    evidence = {e.path: e.value for e in finding.evidence}
    assert evidence["sanctions.programs"] == ["NPWMD"] and evidence["sanctions.uid"] == "42498"
    # an address only on the 2026-08-22 list (no asset or party given there)
    newer = "TNiq9AXBp9EjUqhDhrwrfvAA8U3GUQZH81"
    s = screen(settings, payment={"method": "crypto", "wallets": [f"tron:{newer}"]})
    finding = next(f for f in s.findings if f.id == "identity.sanctions-identifier-match")
    assert "2026-08-22" in finding.explain
    # base58 is case-sensitive: another case is another address
    s = screen(settings, payment={"method": "crypto", "wallets": [newer.lower()]})
    assert "identity.sanctions-identifier-match" not in [f.id for f in s.findings]


def test_name_only_match_is_shown_for_review_but_never_scored(tmp_path: Path) -> None:
    settings = Settings.model_validate({"lists": {"dir": str(tmp_path)}})
    base = screen(settings, name="Jordan Avery")
    # a listed individual of the 2025-11-19 snapshot (DPRK4), name only
    named = screen(settings, name="Pae Won Uk")
    finding = next(f for f in named.findings if f.id == "identity.sanctions-name-only")
    assert finding.weight == 0.0 and finding.contribution == 0.0
    assert named.score.score == base.score.score
    assert "compliance" in finding.rule.guidance
    confirmed = screen(settings, name="Pae Won Uk", date_of_birth="1969-08-22")
    assert "identity.sanctions-name-and-birth-date" in [f.id for f in confirmed.findings]
    other = screen(settings, name="Pae Won Uk", date_of_birth="1969-08-23")
    assert not [f for f in other.findings if f.id.startswith("identity.sanctions")]


def test_unreadable_user_list_is_a_known_gap(tmp_path: Path) -> None:
    bad = tmp_path / "sdn.xml"
    bad.write_text("<sdnList>\n<sdnEntry>\n", encoding="utf-8")
    settings = Settings.model_validate(
        {"lists": {"dir": str(tmp_path)}, "sanctions": {"files": [str(bad)]}}
    )
    s = screen(settings, payment={"method": "crypto", "wallets": [LAZARUS_WALLET]})
    check = next(c for c in s.checks if c.analyzer == "sanctions")
    assert check.status == "unavailable" and f"{bad}, line 3" in check.reason
    gaps = {n.rule_id for n in s.not_evaluated}
    assert "identity.sanctions-identifier-match" in gaps
    assert not [f for f in s.findings if f.id.startswith("identity.sanctions")]


# Bitcoin Cash addresses OFAC lists (2025-11-19 advanced XML, asset BCH), one in each form. The
# other forms were cross-checked with an independent implementation (the ``cashaddress`` package).
BCH_LISTED_LEGACY = "18M8bJWMzWHDBMxoLqjHHAffdRy4SrzkfB"  # Secondeye Solution, uid 30518
BCH_LISTED_LEGACY_AS_CASHADDR = "bitcoincash:qpgf0ztxq3mwfq6eg5versgfdzq9c3pwv5jsk6wnay"
BCH_LISTED_CASHADDR = "qz9f2vz3033sg5vc5mf7m7xshmj0jugy4ummf05jk8"  # GRIMM, Matthew Simon, 39593
BCH_LISTED_CASHADDR_AS_LEGACY = "1DdkyHiYk2Bq6S9R9KobuVe8ypGMy48CAC"


@pytest.mark.parametrize(
    ("given", "uid"),
    [(BCH_LISTED_LEGACY_AS_CASHADDR, "30518"), (BCH_LISTED_CASHADDR_AS_LEGACY, "39593")],
)
def test_either_form_of_a_bitcoin_cash_address_matches_the_other(
    tmp_path: Path, given: str, uid: str
) -> None:
    settings = Settings.model_validate({"lists": {"dir": str(tmp_path)}})
    s = screen(settings, payment={"method": "crypto", "wallets": [given]})
    finding = next(f for f in s.findings if f.id == "identity.sanctions-identifier-match")
    assert {e.path: e.value for e in finding.evidence}["sanctions.uid"] == uid
    # one character off is another address: no match
    wrong = given[:-1] + ("q" if given[-1] != "q" else "p")
    s = screen(settings, payment={"method": "crypto", "wallets": [wrong]})
    assert "identity.sanctions-identifier-match" not in [f.id for f in s.findings]
