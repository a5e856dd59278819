"""The JSON report: contract screening/report@1, exactly (report_schema.json)."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import ipaddress
import json
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from report_fixtures import Spec

from screening.model.findings import Category, Severity
from screening.model.screening import Screening
from screening.report import render, to_json_dict

Make = Callable[..., Screening]
SCHEMA_FILE = Path(__file__).parents[2] / "screening" / "report" / "report_schema.json"
CATEGORIES = ["infrastructure", "identity", "language", "payment", "behavior", "device", "threat"]

CONTRACT_TOP = [
    "schema", "application", "score", "band", "categories", "findings", "not_evaluated",
    "checks", "sources", "packs", "generated_at",
]  # fmt: skip
CONTRACT_FINDING = {
    "id": str, "title": str, "category": str, "severity": str, "weight": float,
    "contribution": float, "explain": str, "evidence": list, "description": str,
    "guidance": str, "references": list, "falsepositives": list, "status": str,
}  # fmt: skip


def test_contract_keys_and_types(screening: Screening) -> None:
    doc = to_json_dict(screening)
    # Exactly these keys, in this order (the same screening always serialises the same way);
    # contract keys keep contract order, additions sit beside related fields.
    assert list(doc) == [
        "schema", "application", "threats", "score", "band", "next_step", "categories",
        "findings", "not_evaluated", "checks", "sources", "packs", "generated_at",
        "rules_evaluated", "formula", "notes", "input_notes", "read", "coverage", "review",
    ]  # fmt: skip
    assert [k for k in doc if k in CONTRACT_TOP] == CONTRACT_TOP
    assert doc["schema"] == "screening/report@1"
    app = doc["application"]
    assert isinstance(app, dict)
    assert {"id", "name", "source"} <= set(app)
    assert all(isinstance(app[k], str) for k in ("id", "name", "source"))
    assert isinstance(doc["score"], float) and 0 <= doc["score"] <= 100
    assert doc["score"] == round(doc["score"], 1)
    assert doc["band"] in {"low", "medium", "high", "critical"}
    categories = doc["categories"]
    assert isinstance(categories, dict)
    assert list(categories) == CATEGORIES
    assert all(isinstance(v, float) and 0 <= v <= 100 for v in categories.values())
    findings = doc["findings"]
    assert isinstance(findings, list) and len(findings) == 8
    for finding in findings:
        assert list(finding) == [
            "id", "title", "category", "severity", "weight", "default_weight", "contribution",
            "explain", "evidence", "description", "guidance", "references", "falsepositives",
            "evasion", "status", "pack", "read_refs",
        ]  # fmt: skip
        for key, kind in CONTRACT_FINDING.items():
            assert isinstance(finding[key], kind), (key, finding[key])
        for evidence in finding["evidence"]:
            assert list(evidence) == ["path", "value", "read_refs"]
            assert isinstance(evidence["path"], str)
        assert all(isinstance(r, str) for r in finding["references"] + finding["falsepositives"])
    assert doc["not_evaluated"] == [
        {
            "id": "email.domain-undeliverable",
            "title": "Email domain accepts no mail",
            "missing": ["emails.mx_present", "emails.domain_age_days"],
            "reasons": ["dns: resolver timed out"],
        }
    ]
    assert doc["checks"] == [
        {"analyzer": "dns", "status": "unavailable", "reason": "resolver timed out"},
        {"analyzer": "documents", "status": "skipped", "reason": "no resume attached"},
        {"analyzer": "phones", "status": "ok", "reason": ""},
    ]
    assert doc["sources"] == [
        {"name": "OFAC SDN list", "version_or_date": "2024-05-03"},
        {"name": "disposable-email-domains", "version_or_date": "0.0.103"},
    ]
    assert doc["packs"] == [{"id": "core", "version": "1.2.0", "rules": 42, "title": "Core rules"}]
    assert doc["generated_at"] == "2024-06-01T09:30:00Z"
    assert doc["review"] == {"resolution": None, "reviewer": None, "date": None, "notes": None}


def test_additions_never_shadow_contract_fields(screening: Screening) -> None:
    doc: Any = to_json_dict(screening)
    assert doc["next_step"] == "Verify identity on live video with a document."
    assert doc["rules_evaluated"] == 43
    finding = next(f for f in doc["findings"] if f["id"] == "network.vpn-at-application")
    assert (finding["weight"], finding["default_weight"]) == (0.5, 0.4)


def test_evidence_values_are_json_data(screening: Screening) -> None:
    doc: Any = to_json_dict(screening)
    values = {e["path"]: e["value"] for f in doc["findings"] for e in f["evidence"]}
    assert values["network.providers"] == ["Astrill", "ExampleVPN"]
    assert values["network.vpn"] is True
    assert values["employment.start"] == "2019-03-01"
    assert values["employment.checked_at"] == "2024-06-01T09:00:00+00:00"
    assert values["references.confirmed"] == 2


def test_values_json_cannot_encode_become_text(make_screening: Make) -> None:
    spec = Spec(
        "network.hosting-ip",
        "Application IP in a hosting network",
        Category.INFRASTRUCTURE,
        Severity.MEDIUM,
        0.3,
        (("network.ip", ipaddress.ip_address("192.0.2.7")), ("network.ratio", math.nan)),
        "The IP 192.0.2.7 is in a hosting network.",
    )
    text = render(make_screening(specs=[spec]), "json")
    doc = json.loads(text)  # strict: NaN would not be valid JSON for other parsers
    assert "NaN" not in text
    evidence = doc["findings"][0]["evidence"]
    assert evidence == [
        {"path": "network.ip", "value": "192.0.2.7", "read_refs": []},
        {"path": "network.ratio", "value": "nan", "read_refs": []},
    ]


def test_score_can_be_recomputed_from_the_json_alone(screening: Screening) -> None:
    doc = json.loads(render(screening, "json"))
    weights = [f["weight"] for f in doc["findings"]]
    positive = math.prod(1 - w for w in weights if w > 0)
    negative = math.prod(1 + w for w in weights if w < 0)
    assert abs(100 * (1 - positive) * negative - doc["score"]) <= 0.1
    for category in CATEGORIES:
        ws = [f["weight"] for f in doc["findings"] if f["category"] == category]
        subtotal = 100 * (1 - math.prod(1 - w for w in ws if w > 0))
        subtotal *= math.prod(1 + w for w in ws if w < 0)
        assert abs(subtotal - doc["categories"][category]) <= 0.1


def test_render_json_is_deterministic_and_unicode(make_screening: Make) -> None:
    first = render(make_screening(name="Zoë Ñúñez 李"), "json")
    second = render(make_screening(name="Zoë Ñúñez 李"), "json")
    assert first == second
    assert first.endswith("}\n")
    assert '"name": "Zoë Ñúñez 李"' in first
    assert first.startswith('{\n  "schema": "screening/report@1",\n')


def test_null_source_and_file(make_screening: Make) -> None:
    screening = make_screening()
    screening.application = type(screening.application)("x-1", "Jordan Avery")
    app = to_json_dict(screening)["application"]
    assert app == {"id": "x-1", "name": "Jordan Avery", "source": None, "file": None}


# --- validation against the shipped JSON Schema ------------------------------------------------

_TYPES: dict[str, Callable[[object], bool]] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_KNOWN = {
    "$schema", "$id", "title", "description", "type", "required", "properties", "items",
    "additionalProperties", "enum", "const", "minimum", "maximum", "pattern",
}  # fmt: skip


def structural_errors(value: object, schema: dict[str, object], where: str = "$") -> list[str]:
    """The subset of JSON Schema report_schema.json uses, checked by hand (no dependency)."""
    unknown = set(schema) - _KNOWN
    assert not unknown, f"schema keyword this checker does not know: {unknown}"
    errors: list[str] = []
    kinds = schema.get("type")
    if kinds is not None:
        names = [kinds] if isinstance(kinds, str) else kinds
        assert isinstance(names, list)
        if not any(_TYPES[n](value) for n in names):
            return [f"{where}: {value!r} is not {names}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: {value!r} != {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:  # type: ignore[operator]
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:  # type: ignore[operator]
            errors.append(f"{where}: {value} < minimum")
        if "maximum" in schema and value > schema["maximum"]:  # type: ignore[operator]
            errors.append(f"{where}: {value} > maximum")
    if isinstance(value, str) and not re.search(str(schema.get("pattern", "")), value):
        errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):  # type: ignore[attr-defined]
            if key not in value:
                errors.append(f"{where}: missing {key!r}")
        properties = schema.get("properties", {})
        assert isinstance(properties, dict)
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if key in properties:
                errors += structural_errors(item, properties[key], f"{where}.{key}")
            elif isinstance(extra, dict):
                errors += structural_errors(item, extra, f"{where}.{key}")
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        for i, item in enumerate(value):
            errors += structural_errors(item, schema["items"], f"{where}[{i}]")  # type: ignore[arg-type]
    return errors


def test_schema_file_matches_produced_reports(screening: Screening) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    doc = json.loads(render(screening, "json"))
    assert structural_errors(doc, schema) == []
    if importlib.util.find_spec("jsonschema") is not None:
        importlib.import_module("jsonschema").validate(doc, schema)


def test_schema_check_catches_a_renamed_field(screening: Screening) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    doc = json.loads(render(screening, "json"))
    doc["findings"][0]["why"] = doc["findings"][0].pop("description")
    doc["score"] = 140.0
    doc["generated_at"] = dt.datetime(2024, 6, 1).isoformat()
    errors = structural_errors(doc, schema)
    assert any("missing 'description'" in e for e in errors)
    assert any("maximum" in e for e in errors)
    assert any("generated_at" in e for e in errors)


@pytest.mark.parametrize("key", CONTRACT_TOP)
def test_schema_requires_every_contract_field(key: str) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert key in schema["required"]


def test_contributions_are_carried_without_distortion(screening: Screening) -> None:
    doc: Any = to_json_dict(screening)
    assert abs(sum(f["contribution"] for f in doc["findings"]) - doc["score"]) <= 0.1
    by_id = {f.id: f.contribution for f in screening.findings}
    for finding in doc["findings"]:
        assert finding["contribution"] == round(by_id[finding["id"]], 2)
