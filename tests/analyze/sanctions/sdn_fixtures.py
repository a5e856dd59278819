"""Small sanctions files in the official formats, written by the tests (all entries invented).

OFAC CSV: no header, ``-0-`` for empty fields, Windows-1252, CRLF, closed by a Ctrl-Z byte;
OFAC XML: ``sdnList`` in a namespace with ``publshInformation`` and ``sdnEntry`` elements;
FollowTheMoney: one JSON entity per line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

E = "-0- "


def csv_line(fields: Sequence[str]) -> str:
    return ",".join(f if f == E else '"' + f.replace('"', '""') + '"' for f in fields)


def sdn_row(
    ent: int, name: str, kind: str = E, program: str = "DPRK3", remarks: str = E
) -> list[str]:
    return [str(ent), name, kind, program, E, E, E, E, E, E, E, remarks]


def encode(lines: Sequence[str]) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("cp1252") + b"\x1a"


SDN_ROWS = [
    sdn_row(
        90001,
        "PAEK, Un-hui",
        "individual",
        "DPRK3] [CYBER2",
        "DOB 12 Jul 1986; nationality Korea, North; Email Address paek.eh@mail.example; "
        "Digital Currency Address - ETH 0xAbCdEf0123456789aBcDeF0123456789AbCdEf01; alt. Digital "
        "Currency Address - XBT 1ExampLeAddressForTests000000000; a.k.a. 'codewolf77'.",
    ),
    sdn_row(90002, "JOSÉ FERNÁNDEZ, María", "individual", "DPRK2", "DOB 1979; POB Havana."),
    sdn_row(
        90003,
        "EXAMPLE FRONT TRADING CO",
        E,
        "DPRK",
        "Website www.front-trading.example; EMAIL ops@front-trading.example.",
    ),
    sdn_row(90004, "MORNING STAR", "vessel", "DPRK4"),
]
ALT_ROWS = [
    ["90001", "501", "aka", "BAEK, Eun Hui", E],
    ["90002", "502", "fka", "FERNANDEZ LOPEZ, Maria Jose", E],
]
ADD_ROWS = [["90003", "601", "1 Example Road", "Example City", "Korea, North", E]]


def sdn_csv(rows: Sequence[Sequence[str]] = SDN_ROWS) -> bytes:
    return encode([csv_line(r) for r in rows])


def alt_csv(rows: Sequence[Sequence[str]] = ALT_ROWS) -> bytes:
    return encode([csv_line(r) for r in rows])


def add_csv(rows: Sequence[Sequence[str]] = ADD_ROWS) -> bytes:
    return encode([csv_line(r) for r in rows])


def write_csv_set(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sdn.csv").write_bytes(sdn_csv())
    (folder / "alt.csv").write_bytes(alt_csv())
    (folder / "add.csv").write_bytes(add_csv())
    return folder / "sdn.csv"


NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML"
SDN_XML = f"""<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="{NS}">
  <publshInformation>
    <Publish_Date>11/02/2026</Publish_Date>
    <Record_Count>2</Record_Count>
  </publshInformation>
  <sdnEntry>
    <uid>91001</uid>
    <firstName>Sol Ju</firstName>
    <lastName>HAN</lastName>
    <sdnType>Individual</sdnType>
    <programList><program>DPRK3</program><program>CYBER2</program></programList>
    <idList>
      <id><uid>1</uid><idType>Email Address</idType><idNumber>Han.SolJu@mail.example</idNumber></id>
      <id><uid>2</uid><idType>Digital Currency Address - USDT</idType>
        <idNumber>TExampleTronAddress000000000000001</idNumber></id>
      <id><uid>3</uid><idType>Website</idType><idNumber>https://devshop.example</idNumber></id>
    </idList>
    <akaList>
      <aka><uid>11</uid><type>a.k.a.</type><category>strong</category>
        <lastName>HAN</lastName><firstName>Sol-ju</firstName></aka>
      <aka><uid>12</uid><type>a.k.a.</type><category>weak</category>
        <lastName>SOLDEV</lastName></aka>
    </akaList>
    <dateOfBirthList>
      <dateOfBirthItem><uid>21</uid><dateOfBirth>03 Mar 1991</dateOfBirth>
        <mainEntry>true</mainEntry></dateOfBirthItem>
    </dateOfBirthList>
  </sdnEntry>
  <sdnEntry>
    <uid>91002</uid>
    <lastName>EXAMPLE IT SOLUTIONS LLC</lastName>
    <sdnType>Entity</sdnType>
    <programList><program>DPRK2</program></programList>
  </sdnEntry>
</sdnList>
"""


def ftm_lines() -> bytes:
    entities = [
        {
            "id": "ex-person-1",
            "schema": "Person",
            "caption": "Ri Chol Min",
            "properties": {
                "name": ["Ri Chol Min"],
                "alias": ["Lee Cheol-min"],
                "weakAlias": ["chollie"],
                "birthDate": ["1988-11-05"],
                "email": ["Ri.Cholmin@mail.example"],
            },
        },
        {
            "id": "ex-wallet-1",
            "schema": "CryptoWallet",
            "properties": {
                "publicKey": ["bc1qqpzry9x8gf2tvdw0s3jn54khce6mua7l"],
                "currency": ["btc"],
                "holder": ["ex-person-1"],
            },
        },
        {
            "id": "ex-wallet-2",
            "schema": "CryptoWallet",
            "properties": {"publicKey": ["0x1111111111111111111111111111111111111111"]},
        },
        {
            "id": "ex-sanction-1",
            "schema": "Sanction",
            "properties": {"entity": ["ex-person-1"], "program": ["DPRK3"]},
        },
    ]
    return ("\n".join(json.dumps(e) for e in entities) + "\n").encode()
