"""Sanctions loaders: the official OFAC CSV set and XML form, FollowTheMoney lines, the shipped
snapshot, and wrong formats refused with the file and line."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sdn_fixtures import (
    SDN_XML,
    csv_line,
    encode,
    ftm_lines,
    sdn_row,
    write_csv_set,
)

from screening.analyze.sanctions import SNAPSHOT, SanctionsAnalyzer
from screening.analyze.sanctions.entries import BirthDate, SanctionsEntry
from screening.analyze.sanctions.ftm import load_ftm, parse_ftm
from screening.analyze.sanctions.ofac_advanced import (
    compress,
    load_advanced,
    parse_advanced,
    validate,
)
from screening.analyze.sanctions.ofac_csv import load_csv_set
from screening.analyze.sanctions.ofac_xml import load_xml, parse_xml
from screening.analyze.sanctions.remarks import clauses, parse_remarks
from screening.errors import ListError
from screening.resources import data_dir


def by_uid(entries: tuple[SanctionsEntry, ...] | list[SanctionsEntry]) -> dict[str, SanctionsEntry]:
    return {e.uid: e for e in entries}


def test_official_csv_set_is_read_with_aliases_identifiers_and_birth_dates(tmp_path: Path) -> None:
    sdn = write_csv_set(tmp_path)
    raw = sdn.read_bytes()
    assert b"\r\n" in raw and raw.endswith(b"\x1a") and "É".encode("cp1252") in raw
    listed = load_csv_set(sdn, tmp_path / "alt.csv", date="2026-11-01")
    entries = by_uid(listed.entries)
    paek = entries["90001"]
    assert paek.kind == "individual" and paek.programs == ("DPRK3", "CYBER2")
    assert paek.aliases == ("BAEK, Eun Hui",)
    assert paek.weak_aliases == ("codewolf77",)
    assert paek.emails == ("paek.eh@mail.example",)
    assert [(w.asset, w.address) for w in paek.wallets] == [
        ("ETH", "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"),
        ("XBT", "1ExampLeAddressForTests000000000"),
    ]
    assert paek.birth_dates == (BirthDate(dt.date(1986, 7, 12), dt.date(1986, 7, 12), "day"),)
    assert entries["90002"].name == "JOSÉ FERNÁNDEZ, María"  # Windows-1252 decoded
    assert entries["90002"].birth_dates[0].precision == "year"
    front = entries["90003"]
    assert front.kind == "entity" and front.emails == ("ops@front-trading.example",)
    assert front.websites == ("www.front-trading.example",)
    assert entries["90004"].kind == "vessel"
    assert listed.date == "2026-11-01"


def test_truncated_remarks_drop_the_last_clause() -> None:
    complete = (
        "Digital Currency Address - ETH 0x"
        + "a" * 40
        + "; alt. Digital Currency Address - ETH 0x"
        + "b" * 40
        + "; "
    )
    cut = "; Email Address someone@mail.exa"  # OFAC cuts Remarks at 1,000 characters
    remarks = complete + "x" * (1000 - len(complete) - len(cut)) + cut
    assert len(remarks) == 1000
    found = parse_remarks(remarks)
    assert [w.address for w in found.wallets] == ["0x" + "a" * 40, "0x" + "b" * 40]
    assert found.emails == []  # a shortened address could match someone else's
    assert clauses("EMAIL kdb@mail.example.") == ["EMAIL kdb@mail.example"]


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("12 Jul 1986", "1986-07-12", "1986-07-12", "day"),
        ("Jul 1986", "1986-07-01", "1986-07-31", "month"),
        ("1986", "1986-01-01", "1986-12-31", "year"),
        ("circa 1947", "1946-01-01", "1948-12-31", "circa"),
        ("01 Jan 1953 to 31 Dec 1954", "1953-01-01", "1954-12-31", "range"),
        ("1988-11-05", "1988-11-05", "1988-11-05", "day"),
        ("11/02/2026", "2026-11-02", "2026-11-02", "day"),
    ],
)
def test_birth_dates_keep_their_precision(text: str, start: str, end: str, precision: str) -> None:
    parsed = BirthDate.parse(text)
    assert parsed is not None
    assert (parsed.start.isoformat(), parsed.end.isoformat(), parsed.precision) == (
        start,
        end,
        precision,
    )


@given(st.text(max_size=40))
def test_birth_date_parser_never_raises(text: str) -> None:
    BirthDate.parse(text)


@pytest.mark.parametrize("text", ["circa 0001", "circa 9999", "31 Feb 1990", "1986-07-00"])
def test_impossible_birth_dates_are_none(text: str) -> None:
    assert BirthDate.parse(text) is None


@given(st.text(max_size=300))
def test_remarks_parser_never_raises(text: str) -> None:
    parse_remarks(text)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (encode([csv_line(sdn_row(1, "A")), '2,"B",-0- ']), "line 2: 3 fields where the sdn.csv"),
        (b"<html><body>Service unavailable</body></html>\r\n", "line 1: 1 fields"),
        (
            encode([csv_line(sdn_row(1, "A")), '"x","B"' + ",-0- " * 10]),
            "line 2: the first field must be an entry number",
        ),
        (encode(['1,"unterminated']), "not valid CSV"),
    ],
)
def test_wrong_csv_format_names_the_file_and_line(
    tmp_path: Path, data: bytes, message: str
) -> None:
    path = tmp_path / "sdn.csv"
    path.write_bytes(data)
    with pytest.raises(ListError, match=message) as err:
        load_csv_set(path)
    assert str(path) in str(err.value)


def test_addresses_beside_a_configured_csv_are_not_read(tmp_path: Path) -> None:
    sdn = write_csv_set(tmp_path / "csv")
    (sdn.parent / "add.csv").write_bytes(b"<html>not the addresses file</html>\r\n")
    analyzer = SanctionsAnalyzer([sdn.parent], tmp_path / "lists", include_ofac=False)
    entries = by_uid(analyzer.index().lists[0].entries)
    assert entries["90001"].aliases == ("BAEK, Eun Hui",)  # alt.csv beside it is read


def test_update_validator_reads_the_whole_advanced_file() -> None:
    packed = (data_dir() / SNAPSHOT).read_bytes()
    plain = gzip.decompress(packed)
    assert validate(plain) == validate(packed) == (538, "2025-11-19")
    assert compress(plain)[:2] == b"\x1f\x8b" and gzip.decompress(compress(plain)) == plain
    with pytest.raises(ListError, match="line 35203: not well-formed"):
        validate(plain[: len(plain) // 2])  # a download cut short
    head = plain.split(b"<DistinctParty ", 50)
    few = b"<DistinctParty ".join(head[:50]) + b"</DistinctParties></Sanctions>"
    with pytest.raises(ListError, match="only 49 parties, refusing a truncated list"):
        validate(few)
    with pytest.raises(ListError, match="OFAC SDN advanced XML: cannot read"):
        validate(packed[:1000])


def test_shipped_snapshot_is_the_official_dprk_advanced_file() -> None:
    listed = load_advanced(data_dir() / SNAPSHOT)
    assert listed.date == "2025-11-19" and len(listed.entries) == 538
    assert sum(len(e.wallets) for e in listed.entries) == 115
    assert sum(len(e.emails) for e in listed.entries) == 27
    assert sum(len(e.websites) for e in listed.entries) == 14
    assert all(any(p.startswith("DPRK") for p in e.programs) for e in listed.entries)
    kinds = [e.kind for e in listed.entries]
    assert (kinds.count("vessel"), kinds.count("aircraft")) == (105, 16)
    pae = next(e for e in listed.entries if e.uid == "22987")
    assert pae.name == "Pae, Won Uk" and pae.programs == ("DPRK4",)
    assert [b.start for b in pae.birth_dates] == [dt.date(1969, 8, 22)]


ADVANCED = """<?xml version="1.0" encoding="utf-8"?>
<Sanctions xmlns="https://sanctionslistservice.ofac.treas.gov/ADVANCED_XML">
  <DateOfIssue><Year>2026</Year><Month>11</Month><Day>2</Day></DateOfIssue>
  <ReferenceValueSets>
    <FeatureTypeValues>
      <FeatureType ID="8">Birthdate</FeatureType>
      <FeatureType ID="21">Email Address</FeatureType>
      <FeatureType ID="345">Digital Currency Address - ETH</FeatureType>
    </FeatureTypeValues>
    <NamePartTypeValues>
      <NamePartType ID="1520">Last Name</NamePartType>
      <NamePartType ID="1521">First Name</NamePartType>
    </NamePartTypeValues>
    <PartySubTypeValues>
      <PartySubType ID="4" PartyTypeID="1">Unknown</PartySubType>
    </PartySubTypeValues>
    <PartyTypeValues><PartyType ID="1">Individual</PartyType></PartyTypeValues>
  </ReferenceValueSets>
  <DistinctParties>
    <DistinctParty FixedRef="91001">
      <Profile ID="91001" PartySubTypeID="4">
        <Identity ID="1" FixedRef="91001" Primary="true">
          <Alias FixedRef="91001" AliasTypeID="1403" Primary="true" LowQuality="false">
            <DocumentedName><DocumentedNamePart>
              <NamePartValue NamePartGroupID="10">HAN</NamePartValue></DocumentedNamePart>
              <DocumentedNamePart><NamePartValue NamePartGroupID="11">Sol Ju</NamePartValue>
            </DocumentedNamePart></DocumentedName>
          </Alias>
          <Alias FixedRef="91001" AliasTypeID="1400" Primary="false" LowQuality="true">
            <DocumentedName><DocumentedNamePart>
              <NamePartValue NamePartGroupID="12">SOLDEV</NamePartValue>
            </DocumentedNamePart></DocumentedName>
          </Alias>
          <NamePartGroups>
            <MasterNamePartGroup>
              <NamePartGroup ID="10" NamePartTypeID="1520" />
            </MasterNamePartGroup>
            <MasterNamePartGroup>
              <NamePartGroup ID="11" NamePartTypeID="1521" />
            </MasterNamePartGroup>
          </NamePartGroups>
        </Identity>
        <Feature ID="5" FeatureTypeID="21"><FeatureVersion ID="5">
          <VersionDetail DetailTypeID="1432">Han.SolJu@mail.example</VersionDetail>
        </FeatureVersion></Feature>
        <Feature ID="6" FeatureTypeID="345"><FeatureVersion ID="6">
          <VersionDetail>0x5A5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5A</VersionDetail>
        </FeatureVersion></Feature>
        <Feature ID="7" FeatureTypeID="8"><FeatureVersion ID="7">
          <DatePeriod>
            <Start Approximate="false">
              <From><Year>1991</Year><Month>3</Month><Day>3</Day></From>
              <To><Year>1991</Year><Month>3</Month><Day>3</Day></To></Start>
            <End Approximate="false"><From><Year>1991</Year><Month>3</Month><Day>3</Day></From>
              <To><Year>1991</Year><Month>3</Month><Day>3</Day></To></End>
          </DatePeriod>
        </FeatureVersion></Feature>
      </Profile>
    </DistinctParty>
  </DistinctParties>
  <SanctionsEntries>
    <SanctionsEntry ID="91001" ProfileID="91001" ListID="1550">
      <SanctionsMeasure ID="1" SanctionsTypeID="1"><Comment>DPRK3</Comment></SanctionsMeasure>
      <SanctionsMeasure ID="2" SanctionsTypeID="1"><Comment>CYBER2</Comment></SanctionsMeasure>
      <SanctionsMeasure ID="3" SanctionsTypeID="2"><Comment>Block</Comment></SanctionsMeasure>
    </SanctionsEntry>
  </SanctionsEntries>
</Sanctions>
"""


def test_advanced_xml_form_is_read() -> None:
    (han,), date = parse_advanced(ADVANCED.encode(), "SDN_ADVANCED.XML")
    assert date == "2026-11-02"
    assert (han.uid, han.name, han.kind) == ("91001", "HAN, Sol Ju", "individual")
    assert han.programs == ("DPRK3", "CYBER2")
    assert han.weak_aliases == ("SOLDEV",) and han.aliases == ()
    assert han.emails == ("han.solju@mail.example",)
    assert [(w.asset, w.address) for w in han.wallets] == [
        ("ETH", "0x5A5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5A")
    ]
    assert [(b.start, b.precision) for b in han.birth_dates] == [(dt.date(1991, 3, 3), "day")]


def test_advanced_xml_refuses_entities_and_names_the_line() -> None:
    hostile = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n<Sanctions/>'
    with pytest.raises(ListError, match=r"line 2.*refused"):
        parse_advanced(hostile.encode(), "evil.xml")
    with pytest.raises(ListError, match="root element is 'sdnList'"):
        parse_advanced(b"<sdnList/>", "classic.xml")


def test_xml_form_is_read_namespace_agnostic() -> None:
    entries, date = parse_xml(SDN_XML.encode(), "sdn.xml")
    assert date == "2026-11-02"
    han = by_uid(entries)["91001"]
    assert han.name == "HAN, Sol Ju" and han.kind == "individual"
    assert han.programs == ("DPRK3", "CYBER2")
    assert han.aliases == ("HAN, Sol-ju",) and han.weak_aliases == ("SOLDEV",)
    assert han.emails == ("han.solju@mail.example",)
    assert [(w.asset, w.address) for w in han.wallets] == [
        ("USDT", "TExampleTronAddress000000000000001")
    ]
    assert han.websites == ("https://devshop.example",)
    assert han.birth_dates[0].start == dt.date(1991, 3, 3)
    assert by_uid(entries)["91002"].kind == "entity"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<sdnList><sdnEntry><uid>1</uid>", "line 1: not well-formed XML"),
        ('<?xml version="1.0"?>\n<other/>', "line 2: not an OFAC SDN XML file"),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE sdnList [<!ENTITY a "aaaa">]>\n<sdnList/>',
            "line 2: a document type or entity declaration",
        ),
        (
            "<sdnList>\n<sdnEntry>\n<sdnType>Entity</sdnType>\n</sdnEntry>\n</sdnList>",
            "line 2: sdnEntry without uid or name",
        ),
    ],
)
def test_wrong_xml_is_refused_with_its_line(text: str, message: str) -> None:
    with pytest.raises(ListError, match=message):
        parse_xml(text.encode(), "sdn.xml")


def test_xml_file_loader(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text(SDN_XML, encoding="utf-8")
    listed = load_xml(path)
    assert listed.date == "2026-11-02" and len(listed.entries) == 2


def test_followthemoney_entities_wallets_and_programs(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_bytes(ftm_lines())
    entries = by_uid(load_ftm(path).entries)
    ri = entries["ex-person-1"]
    assert ri.kind == "individual" and ri.name == "Ri Chol Min"
    assert ri.aliases == ("Lee Cheol-min",) and ri.weak_aliases == ("chollie",)
    assert ri.emails == ("ri.cholmin@mail.example",) and ri.programs == ("DPRK3",)
    assert [(w.asset, w.address) for w in ri.wallets] == [
        ("BTC", "bc1qqpzry9x8gf2tvdw0s3jn54khce6mua7l")
    ]
    assert ri.birth_dates[0].precision == "day"
    orphan = entries["ex-wallet-2"]  # holder not in the file: still screened
    assert orphan.kind == "wallet" and orphan.wallets[0].address.startswith("0x1111")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"id": "a", "schema": "Person", "properties": {}}\n{not json}\n', "line 2: not JSON"),
        (b'\n\n["a list"]\n', "line 3: not a FollowTheMoney entity"),
        (b'{"id": "a", "properties": {}}\n', "line 1: not a FollowTheMoney entity"),
    ],
)
def test_wrong_ftm_lines_name_the_line(data: bytes, message: str) -> None:
    with pytest.raises(ListError, match=f"entities.json, {message}"):
        parse_ftm(data, "entities.json")
