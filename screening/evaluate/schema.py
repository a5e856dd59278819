"""Stage 4 (evaluate): the schema of every file in a rule pack, written once as pydantic models.

These models are the single source of truth for the shape of a rule file, a pack manifest and a
phrase-pattern file: the pack loader validates every file against them, and
``rules/schema/rule.schema.json`` and ``rules/schema/pattern.schema.json`` (for editors and CI)
are exported from them. The schema is closed (``extra="forbid"``): a misspelt key is an error,
never silently ignored. The contents of ``match`` and of test ``facts`` depend on the fact
catalogue, so they are described here for editors but checked by ``compile`` against the
catalogue. The token-level checks of phrase patterns live in ``token_specs``.

Regenerate the exported files with ``python -m screening.evaluate.schema``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from screening.analyze.language.patterns import MAX_SPAN_TOKENS
from screening.evaluate.token_specs import (
    MAX_PHRASE_CHARS,
    MAX_PHRASES,
    MAX_TOKEN_SPECS,
    NON_BLANK,
    OP_PATTERN,
    SIGNAL_OR_PATTERN,
    TokenModel,
    check_token_sequence,
    fail,
)
from screening.model.findings import Category, Outcome, RuleStatus, Severity
from screening.resources import rules_dir

RULE_ID = r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$"
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"
VERSION = r"^[0-9]+\.[0-9]+(\.[0-9]+)?([-+][0-9A-Za-z.-]+)?$"

PATTERN_HELP = {
    RULE_ID: "a rule id '<folder>.<file stem>' in kebab-case, e.g. identity.resume-name-differs",
    KEBAB: "kebab-case (lowercase letters, digits and single '-')",
    VERSION: "a version such as 1.0 or 1.2.0",
    NON_BLANK: "text with at least one letter, digit or sign",
    OP_PATTERN: "an OP: !, ?, +, * or a range such as {0,3}",
    SIGNAL_OR_PATTERN: "a signal (camera-refusal) or a pattern '<signal>.<id>' in kebab-case",
}

_SCALAR: dict[str, Any] = {"type": ["string", "number", "integer", "boolean"]}
_VALUE: dict[str, Any] = {
    "anyOf": [_SCALAR, {"type": "array", "items": _SCALAR, "minItems": 1}, {"type": "null"}]
}
_ITEMS: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+(\|[a-z]+)*$"},
    "additionalProperties": _VALUE,
}
_SELECTION_SCHEMA: dict[str, Any] = {
    "description": (
        "A named selection: a mapping of 'fact.path|modifier|flag' keys (all must hold) or a "
        "list of such mappings (any must hold)."
    ),
    "anyOf": [_ITEMS, {"type": "array", "minItems": 1, "items": _ITEMS}],
}

Selection = Annotated[Any, WithJsonSchema(_SELECTION_SCHEMA)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MatchModel(BaseModel):
    """The logic of a rule: named selections and a boolean ``condition`` over their names."""

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        json_schema_extra={"propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"}},
    )
    __pydantic_extra__: dict[str, Selection]

    condition: str = Field(
        description="Boolean expression over selection names: and, or, not, parentheses, "
        "'1 of sel_*', 'any of sel_*', 'all of sel_*', 'N of sel_*'."
    )


class RelatedModel(_Closed):
    """A lineage link to another rule."""

    id: str = Field(pattern=RULE_ID, description="Id of the related rule.")
    type: Literal["derived", "obsoletes", "renamed", "similar"] = Field(
        description="How this rule relates to the other one."
    )


class CaseModel(_Closed):
    """One embedded test of a rule: facts in, expected outcome out."""

    name: str = Field(pattern=KEBAB, description="Kebab-case name, unique within the rule.")
    facts: dict[str, Any] = Field(
        default_factory=dict,
        description="Dotted fact paths (record 0 of their namespace) or a namespace name with a "
        "list of record mappings.",
    )
    unavailable: list[str] = Field(
        default_factory=list,
        description="Analyzer families, namespaces or fact paths to simulate as unavailable.",
    )
    expect: Outcome = Field(description="The expected outcome: match, no_match or not_evaluated.")
    expect_evidence: list[str] = Field(
        default_factory=list, description="Fact paths that must appear in the finding's evidence."
    )
    todo: str | None = Field(
        default=None,
        min_length=1,
        description="Why this case is a known gap: it is expected to fail until the rule improves.",
    )


class RuleModel(_Closed):
    """One rule file (docs/rules.md explains every field)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="screening rule",
        json_schema_extra={
            "allOf": [
                {
                    "if": {"properties": {"status": {"const": "stable"}}},
                    "then": {"required": ["guidance"]},
                },
                {
                    "if": {"properties": {"status": {"enum": ["test", "stable", "deprecated"]}}},
                    "then": {
                        "required": ["references"],
                        "properties": {"references": {"minItems": 1}},
                    },
                },
            ]
        },
    )

    id: str = Field(pattern=RULE_ID, description="'<folder>.<file stem>'; must match the path.")
    title: str = Field(min_length=1, max_length=120, description="What is detected, in Title Case.")
    status: RuleStatus = Field(
        description="Maturity: experimental (runs, weight 0), test, stable, deprecated (not run)."
    )
    category: Category = Field(description="The kind of signal the rule reads.")
    severity: Severity = Field(description="How urgently a reviewer should look when it matches.")
    weight: Annotated[float, Field(strict=True, ge=-1.0, le=1.0)] = Field(
        description="Contribution to the score in [-1, 1]; negative weights mitigate."
    )
    description: str = Field(
        min_length=1, description="Flags ...: the behaviour and why it matters."
    )
    explain: str = Field(
        min_length=1,
        description="One sentence with {fact.path} placeholders, shown with each finding.",
    )
    guidance: str | None = Field(
        default=None, description="What the reviewer should check next; required when stable."
    )
    references: list[str] = Field(
        default_factory=list,
        description="Public sources for the pattern; required unless experimental.",
    )
    falsepositives: list[str] = Field(
        description="Known benign explanations; ['Unknown'] is an explicit answer."
    )
    evasion: list[str] = Field(
        default_factory=list,
        description="How an impostor avoids the rule, from the public sources; shown with it.",
    )
    tags: list[str] = Field(min_length=1, description="Namespaced tags such as signal.contact.")
    author: str | None = Field(default=None, description="Who wrote the rule.")
    date: dt.date | None = Field(default=None, description="When the rule was written (ISO date).")
    modified: dt.date | None = Field(
        default=None, description="When the logic last changed (ISO date)."
    )
    confidence: Literal["low", "medium", "high"] | None = Field(
        default=None, description="Documentation only; never used in the score."
    )
    evidence: list[str] = Field(
        default_factory=list, description="Extra fact paths shown with a finding."
    )
    related: list[RelatedModel] = Field(default_factory=list, description="Lineage links.")
    custom: dict[str, Any] | None = Field(
        default=None, description="Local extensions; ignored by the engine."
    )
    match: MatchModel = Field(description="Named selections and a condition.")
    tests: list[CaseModel] = Field(description="Embedded tests: the rule's proof.")


class PatternOverridesModel(_Closed):
    """Changes a pack makes to phrase patterns loaded before it (or to its own)."""

    disable: list[Annotated[str, Field(pattern=SIGNAL_OR_PATTERN)]] = Field(
        default_factory=list,
        description="Signals (all their patterns) or '<signal>.<id>' patterns to turn off.",
    )


class OverridesModel(_Closed):
    """Changes a pack makes to rules and patterns loaded before it (or to its own)."""

    disable: list[str] = Field(default_factory=list, description="Rule ids to turn off.")
    weights: dict[str, Annotated[float, Field(strict=True, ge=-1.0, le=1.0)]] = Field(
        default_factory=dict, description="Rule id to weight in [-1, 1]."
    )
    patterns: PatternOverridesModel = Field(
        default_factory=PatternOverridesModel, description="Turn phrase patterns off."
    )


class PackModel(_Closed):
    """``pack.yml``: a rule pack's manifest."""

    id: str = Field(pattern=KEBAB, description="Kebab-case pack id.")
    title: str = Field(min_length=1, description="Human-readable name of the pack.")
    version: str = Field(pattern=VERSION, description="Version of the pack, e.g. 1.0.0.")
    description: str | None = Field(default=None, description="What the pack is for.")
    overrides: OverridesModel = Field(
        default_factory=OverridesModel,
        description="Disable or re-weight rules by id; disable phrase patterns.",
    )
    sensitive_facts_justification: str | None = Field(
        default=None,
        min_length=1,
        description="Why rules of this pack may read facts declared sensitive.",
    )


PatternKind = Literal["observation", "request"]
Phrase = Annotated[StrictStr, Field(min_length=1, max_length=MAX_PHRASE_CHARS, pattern=NON_BLANK)]


MAX_NEAR_GROUPS = 4


class NearModel(_Closed):
    """Groups of words that must all occur close together in one sentence, in any order."""

    within: int = Field(
        ge=2,
        le=MAX_SPAN_TOKENS,
        description="Most tokens from the first matched word to the last, inclusive.",
    )
    groups: list[Annotated[list[Phrase], Field(min_length=1, max_length=MAX_PHRASES)]] = Field(
        min_length=2,
        max_length=MAX_NEAR_GROUPS,
        description="Each group lists alternatives (a word or a few words in a row); one "
        "alternative of every group must occur.",
    )


class PatternModel(_Closed):
    """One pattern of a signal: a spaCy Matcher token pattern, a list of phrases, or word
    groups that occur near each other."""

    id: str = Field(pattern=KEBAB, description="Kebab-case id, unique within the signal.")
    description: str | None = Field(default=None, description="What this wording looks like.")
    kind: PatternKind | None = Field(
        default=None, description="The file's kind for this pattern only (default: the file's)."
    )
    tokens: list[TokenModel] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_TOKEN_SPECS,
        description="A spaCy Matcher pattern: one mapping of token attributes per token.",
    )
    phrases: list[Phrase] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_PHRASES,
        description="Phrases matched on lower-cased text, runs of spaces collapsed.",
    )

    near: NearModel | None = Field(
        default=None,
        description="Word groups that must all occur within a few tokens of each other.",
    )

    @field_validator("tokens")
    @classmethod
    def _sequence(cls, tokens: list[TokenModel] | None) -> list[TokenModel] | None:
        if tokens is not None:
            check_token_sequence(tokens)
        return tokens

    @model_validator(mode="after")
    def _one_form(self) -> PatternModel:
        if sum(x is not None for x in (self.tokens, self.phrases, self.near)) != 1:
            raise fail(
                "give exactly one of tokens (a Matcher pattern), phrases (a list) or near "
                "(word groups)"
            )
        return self


class ExamplesModel(_Closed):
    """Sentences that prove the signal's patterns (the shipped packs' tests run them)."""

    match: list[StrictStr] = Field(default_factory=list, description="Must match.")
    no_match: list[StrictStr] = Field(default_factory=list, description="Must not match.")
    negated: list[StrictStr] = Field(
        default_factory=list, description="Match, but negated or hypothetical."
    )


class PatternFileModel(_Closed):
    """One ``patterns/*.yml`` file of a pack: a signal and the wordings that express it."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="screening phrase patterns")

    signal: str = Field(pattern=KEBAB, description="Kebab-case signal name rules read.")
    description: str = Field(
        min_length=1, pattern=NON_BLANK, description="One line: what the signal means."
    )
    kind: PatternKind = Field(
        default="observation",
        description="observation, or request: asking for the thing is the signal, so 'if' and "
        "'whether' do not negate a match.",
    )
    patterns: list[PatternModel] = Field(min_length=1, description="The signal's patterns.")
    examples: ExamplesModel = Field(
        default_factory=ExamplesModel, description="Sentences that prove the patterns."
    )

    @field_validator("patterns")
    @classmethod
    def _unique_ids(cls, patterns: list[PatternModel]) -> list[PatternModel]:
        seen: set[str] = set()
        for pattern in patterns:
            if pattern.id in seen:
                raise fail(f"id '{pattern.id}' is repeated in this file")
            seen.add(pattern.id)
        return patterns


class KnownFPModel(_Closed):
    """One accepted match of a stable rule on the benign corpus."""

    rule: str = Field(pattern=RULE_ID, description="The rule id.")
    case: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", description="Stem of the benign corpus case file."
    )
    reason: str = Field(min_length=1, description="Why this match is accepted.")


SCHEMAS: dict[str, type[BaseModel]] = {
    "rule.schema.json": RuleModel,
    "pattern.schema.json": PatternFileModel,
}


def export_schema(model: type[BaseModel] = RuleModel) -> dict[str, object]:
    """The JSON Schema of a rule file (or of ``model``'s file), generated, never hand-edited."""
    schema: dict[str, object] = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    schema.update(model.model_json_schema())
    return schema


def schema_text(name: str = "rule.schema.json") -> str:
    """The exported schema ``name`` exactly as stored in ``rules/schema/``."""
    return json.dumps(export_schema(SCHEMAS[name]), indent=2, ensure_ascii=False) + "\n"


def schema_path(name: str = "rule.schema.json") -> Path:
    """Where the exported schema ``name`` lives in the shipped rules directory."""
    return rules_dir() / "schema" / name


def main(argv: list[str] | None = None) -> int:
    """Write every exported schema (into the folder ``argv[0]`` or the shipped location)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else schema_path().parent
    folder.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        (folder / name).write_text(schema_text(name), encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
