"""The rule schema: exported file in sync with the models, and closed to unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import screening.evaluate as evaluate
from screening.evaluate.schema import export_schema, main, schema_path, schema_text


def test_exported_schema_file_matches_the_models() -> None:
    stored = schema_path().read_text(encoding="utf-8")
    assert stored == schema_text(), (
        "rules/schema/rule.schema.json is out of date: run `python -m screening.evaluate.schema`"
    )


def test_schema_is_closed_and_lists_required_keys() -> None:
    schema = export_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert schema["required"] == [
        "id", "title", "status", "category", "severity", "weight", "description", "explain",
        "falsepositives", "tags", "match", "tests",
    ]  # fmt: skip
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    assert defs["CaseModel"]["additionalProperties"] is False
    assert defs["MatchModel"]["propertyNames"] == {"pattern": "^[a-z][a-z0-9_]*$"}
    assert defs["MatchModel"]["required"] == ["condition"]
    conditional = schema["allOf"]
    assert isinstance(conditional, list)
    assert conditional[0]["then"] == {"required": ["guidance"]}


def test_main_writes_the_schema(tmp_path: Path) -> None:
    target = tmp_path / "out" / "rule.schema.json"
    assert main([str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == export_schema()


def test_public_names_resolve() -> None:
    for name in evaluate.__all__:
        assert getattr(evaluate, name) is not None
    assert sorted(dir(evaluate)) == sorted(evaluate.__all__)
