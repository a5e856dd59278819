"""Sanctions matching: names tolerant of order, spacing, accents and spelling but not of a
different name; exact identifiers; dates of birth grading a name match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sdn_fixtures import SDN_XML, ftm_lines, write_csv_set

from screening.analyze.sanctions import SanctionsAnalyzer
from screening.analyze.sanctions.index import Match, SanctionsIndex
from screening.analyze.sanctions.name_forms import forms
from screening.analyze.sanctions.ofac_csv import load_csv_set
from screening.analyze.sanctions.ofac_xml import load_xml
from screening.ingest import from_mapping
from screening.model.normalized import Application
from screening.normalize import normalize


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SanctionsIndex:
    folder = tmp_path_factory.mktemp("lists")
    sdn = write_csv_set(folder / "csv")
    xml = folder / "sdn.xml"
    xml.write_text(SDN_XML, encoding="utf-8")
    return SanctionsIndex([load_csv_set(sdn, folder / "csv" / "alt.csv"), load_xml(xml)])


def app(**fields: Any) -> Application:
    return normalize(from_mapping({"id": "t-1", "name": "Jordan Avery", **fields}, "test"))


def matches(index: SanctionsIndex, **fields: Any) -> list[Match]:
    return index.screen(app(**fields))


@pytest.mark.parametrize(
    "name",
    [
        "Un-hui Paek",  # display order
        "Paek Un Hui",  # spacing
        "Unhui Paek",  # given names joined
        "Eun Hui Baek",  # strong alias from alt.csv
        "Paik Un-hui",  # spelling variant of a syllable
        "PAEK Un-Hui",  # case
    ],
)
def test_name_variants_match_the_listed_person(index: SanctionsIndex, name: str) -> None:
    (m,) = [m for m in matches(index, name=name) if m.basis == "name"]
    assert m.entry.uid == "90001" and m.score >= 90
    assert m.strength == "name_only" and m.birth_date_matches is None


def test_accents_are_folded(index: SanctionsIndex) -> None:
    (m,) = matches(index, name="Maria Jose Fernandez")
    assert m.entry.uid == "90002"


@pytest.mark.parametrize(
    "name",
    [
        "Myung Hui Paek",  # another given name: a different person
        "Paek",  # one token is never screened
        "Un Paek Smith Jones",  # listed tokens inside a longer name need three listed tokens
        "Example Front Trading",  # organisations are not name-matched against people
        "Morning Star",  # nor vessels
    ],
)
def test_other_names_do_not_match(index: SanctionsIndex, name: str) -> None:
    assert [m for m in matches(index, name=name) if m.basis == "name"] == []


def test_birth_date_grades_a_name_match(index: SanctionsIndex) -> None:
    (same,) = matches(index, name="Paek Un Hui", date_of_birth="1986-07-12")
    assert (same.strength, same.birth_date_matches) == ("strong", True)
    (other,) = matches(index, name="Paek Un Hui", date_of_birth="1990-02-01")
    assert (other.strength, other.birth_date_matches) == ("contradicted", False)
    (year_only,) = matches(index, name="Maria Jose Fernandez", date_of_birth="1979-05-05")
    assert (year_only.strength, year_only.birth_date_matches) == ("name_only", True)


def test_emails_wallets_and_websites_match_exactly(index: SanctionsIndex) -> None:
    found = matches(
        index,
        emails=["Paek.EH@mail.example", "han.solju+jobs@mail.example"],
        payment={
            "wallets": [
                "0xabcdef0123456789abcdef0123456789abcdef01",  # hex: case does not matter
                "1examplEaddressForTests000000000",  # base58: case does
                "TExampleTronAddress000000000000001",
            ]
        },
        links=["https://portfolio.devshop.example/about"],
        employment=[{"employer": "Front", "website": "https://www.front-trading.example"}],
    )
    got = {(m.basis, m.entry.uid, m.matched_field) for m in found}
    assert got == {
        ("email", "90001", "emails"),
        ("wallet", "90001", "payment.wallets"),
        ("wallet", "91001", "payment.wallets"),
        ("website", "91001", "links"),
        ("website", "90003", "employment.website"),
    }
    assert all(m.strength == "strong" and m.score == 100.0 for m in found)
    wallet = next(m for m in found if m.basis == "wallet" and m.entry.uid == "90001")
    assert wallet.asset == "ETH"


def test_gmail_dots_are_folded_on_both_sides(tmp_path: Path) -> None:
    ftm = tmp_path / "e.jsonl"
    ftm.write_bytes(
        b'{"id": "p", "schema": "Person", "properties": {"name": ["Test Person"], '
        b'"email": ["some.body@gmail.com"]}}\n'
    )
    analyzer = SanctionsAnalyzer([ftm], tmp_path, include_ofac=False)
    (m,) = analyzer.index().screen(app(emails=["Somebody+cv@googlemail.com"]))
    assert m.basis == "email" and m.listed_value == "some.body@gmail.com"


def test_user_files_of_every_form_are_screened(tmp_path: Path) -> None:
    xml = tmp_path / "sdn.xml"
    xml.write_text(SDN_XML, encoding="utf-8")
    ftm = tmp_path / "entities.ftm.jsonl"
    ftm.write_bytes(ftm_lines())
    sdn = write_csv_set(tmp_path / "csv")
    analyzer = SanctionsAnalyzer([xml, ftm, sdn.parent], tmp_path / "lists")
    titles = [s.name for s in analyzer.sources()]
    assert titles[0] == "OFAC SDN list, North Korea programs (official advanced XML, shipped)"
    assert titles[4:] == [
        "OFAC SDN list (sdn.xml)",
        "Sanctions entities (entities.ftm.jsonl)",
        "OFAC SDN list (sdn.csv)",
    ]
    found = analyzer.index().screen(
        app(name="Lee Cheol Min", payment={"wallets": ["BC1QQPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"]})
    )
    assert {(m.basis, m.entry.uid) for m in found} == {
        ("name", "ex-person-1"),
        ("wallet", "ex-person-1"),
    }


def test_listed_wallet_of_the_shipped_snapshot() -> None:
    analyzer = SanctionsAnalyzer(lists_dir=Path("/nonexistent-lists-dir"))
    # the Lazarus Group entry of the 2025-11-19 snapshot (listed there in checksum case)
    found = analyzer.index().screen(
        app(payment={"wallets": ["0x098b716b8aaf21512996dc57eb0615e2383e2f96"]})
    )
    assert [(m.entry.uid, m.entry.name, m.entry.programs) for m in found] == [
        ("27307", "Lazarus Group", ("DPRK3",))
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=0, max_size=60))
def test_name_forms_never_raise_and_are_sorted(name: str) -> None:
    for form in forms(name):
        assert list(form) == sorted(form) and len(form) >= 2
