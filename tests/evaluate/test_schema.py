"""The pack-file schemas: exported files in sync with the models, and closed to unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import screening.evaluate as evaluate
from screening.evaluate.schema import (
    SCHEMAS,
    PatternFileModel,
    export_schema,
    main,
    schema_path,
    schema_text,
)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_exported_schema_file_matches_the_models(name: str) -> None:
    stored = schema_path(name).read_text(encoding="utf-8")
    assert stored == schema_text(name), (
        f"rules/schema/{name} is out of date: run `python -m screening.evaluate.schema`"
    )


def test_pattern_schema_is_closed_and_describes_tokens() -> None:
    schema = export_schema(PatternFileModel)
    assert schema["title"] == "screening phrase patterns"
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["signal", "description", "patterns"]
    defs = schema["$defs"]
    assert isinstance(defs, dict)
    token = defs["TokenModel"]
    assert token["additionalProperties"] == {"type": "boolean"}  # the IS_* and LIKE_* flags
    assert "LOWER" in token["propertyNames"]["enum"] and "POS" not in token["propertyNames"]["enum"]
    assert defs["PatternModel"]["properties"]["tokens"]["anyOf"][0]["maxItems"] == 12


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


def test_main_writes_every_schema(tmp_path: Path) -> None:
    assert main([str(tmp_path / "out")]) == 0
    for name, model in SCHEMAS.items():
        written = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        assert written == export_schema(model)


def test_public_names_resolve() -> None:
    for name in evaluate.__all__:
        assert getattr(evaluate, name) is not None
    assert sorted(dir(evaluate)) == sorted(evaluate.__all__)
