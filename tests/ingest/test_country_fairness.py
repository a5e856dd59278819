"""Fairness: a country written as a code, an alpha-3 code, an English or a native name reads the
same, so the same resume gives the same facts, findings and score whichever way it is written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from screening.config import Settings
from screening.ingest import IngestFailure, read_bytes
from screening.ingest.countries import country_code
from screening.model.application import RawApplication
from screening.model.facts import json_value
from screening.model.screening import Screening
from screening.pipeline import Engine
from screening.testing import FixedClock

# (code, alpha-3, English name, native name, a national phone number there)
COUNTRIES = [
    ("CO", "COL", "Colombia", "Colombia", "321 885 1225"),
    ("ES", "ESP", "Spain", "España", "612 345 678"),
    ("CN", "CHN", "China", "中国", "131 2345 6789"),
    ("TW", "TWN", "Taiwan", "台灣", "0912 345 678"),
    ("DE", "DEU", "Germany", "Deutschland", "0151 23456789"),
    ("IN", "IND", "India", "भारत", "98765 43210"),
    ("KR", "KOR", "South Korea", "대한민국", "010-1234-5678"),
    ("AE", "ARE", "United Arab Emirates", "الإمارات العربية المتحدة", "050 123 4567"),
    ("RU", "RUS", "Russia", "Россия", "912 345-67-89"),
    ("GB", "GBR", "United Kingdom", "United Kingdom", "07400 123456"),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), offline=True, clock=FixedClock())


def _resume(country: str, phone: str) -> bytes:
    doc: dict[str, Any] = {
        "basics": {
            "name": "Alex Morgan",
            "email": "alex.morgan@example.com",
            "phone": phone,
            "location": {"city": "Capital", "countryCode": country},
        },
        "work": [
            {"name": "Acme", "position": "Engineer", "startDate": "2019-03"},
            {"name": "Beta", "position": "Engineer", "startDate": "2016-01", "endDate": "2019-02"},
        ],
        "references": [{"name": "Sam Lee", "reference": f"Call Sam on {phone}"}],
    }
    return json.dumps(doc, ensure_ascii=False).encode()


def _signature(s: Screening) -> str:
    facts = sorted((path, json.dumps(json_value(v), sort_keys=True)) for path, v in s.facts)
    return json.dumps(
        {
            "score": s.score.score,
            "findings": [(f.id, f.explain) for f in s.findings],
            "not_evaluated": sorted(n.rule_id for n in s.not_evaluated),
            "facts": facts,
        },
        ensure_ascii=False,
    )


@pytest.mark.parametrize("code,alpha3,english,native,phone", COUNTRIES)
def test_every_way_of_writing_the_country_gives_the_same_outcome(
    engine: Engine, code: str, alpha3: str, english: str, native: str, phone: str
) -> None:
    signatures = set()
    for written in (code, code.lower(), alpha3, english, native, f" {english.upper()} "):
        (raw,) = read_bytes(_resume(written, phone), "resume.json")
        assert isinstance(raw, RawApplication), raw
        assert raw.data.location is not None and raw.data.location.country == code, written
        signatures.add(_signature(engine.screen(raw)))
    assert len(signatures) == 1


def test_short_forms_and_unknown_names() -> None:
    assert [getattr(country_code(t), "code", None) for t in ("UAE", "UK", "USA", "COL")] == [
        "AE",
        "GB",
        "US",
        "CO",
    ]
    for text in ("Europe", "ON", "SW", "Remote", "", "x" * 200):
        assert country_code(text) is None


def test_a_value_that_names_no_country_is_left_out_with_a_note_not_refused() -> None:
    (raw,) = read_bytes(_resume("Europe", "+44 7400 123456"), "resume.json")
    assert not isinstance(raw, IngestFailure)
    assert raw.data.location is not None and raw.data.location.country is None
    assert next((n.field, str(n.kind)) for n in raw.notes) == (
        "basics.location.countryCode",
        "dropped",
    )
