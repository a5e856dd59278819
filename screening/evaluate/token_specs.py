"""Stage 4 (evaluate): the schema of one token of a phrase pattern (spaCy Matcher syntax).

A token pattern is a list of mappings such as ``{LOWER: {IN: [camera, webcam]}, OP: "?"}``.
Patterns may only use attributes the tokenizer sets (plus sentence starts), so they behave the
same on the blank pipeline and on a trained one; an attribute a trained component sets (POS,
LEMMA ...) would make a pattern silently dead by default, so it is refused with that reason.
The checks that need more than one token (how many tokens a pattern can cover, a pattern of
optional tokens only) are ``check_token_sequence``; the file-level models are in ``schema``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from screening.analyze.language.patterns import MAX_SPAN_TOKENS, RANGE, TEXT_ATTRS
from screening.errors import did_you_mean

MAX_TOKEN_SPECS = 12
MAX_PHRASES = 2000
MAX_PHRASE_CHARS = 120
MAX_REGEX_CHARS = 200
NON_BLANK = r"\S"
OP_PATTERN = r"^(!|\?|\+|\*|\{\d{0,2},?\d{0,2}\})$"
SIGNAL_OR_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)?$"

FLAG_ATTRS = frozenset(
    {
        "IS_ALPHA",
        "IS_ASCII",
        "IS_DIGIT",
        "IS_LOWER",
        "IS_UPPER",
        "IS_TITLE",
        "IS_PUNCT",
        "IS_SPACE",
        "IS_STOP",
        "IS_BRACKET",
        "IS_QUOTE",
        "IS_LEFT_PUNCT",
        "IS_RIGHT_PUNCT",
        "IS_CURRENCY",
        "IS_SENT_START",
        "LIKE_NUM",
        "LIKE_URL",
        "LIKE_EMAIL",
        "SPACY",
    }
)
TRAINED_ATTRS = frozenset(
    {"POS", "TAG", "DEP", "LEMMA", "MORPH", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID"}
)
KNOWN_ATTRS = TEXT_ATTRS | FLAG_ATTRS | {"LENGTH", "OP"}
_SET_PREDICATES = ("IN", "NOT_IN")
_NUMBER_PREDICATES = ("==", "!=", ">=", "<=", ">", "<")

_WORDS: dict[str, Any] = {"type": "array", "items": {"type": "string"}, "minItems": 1}
_TEXT_SCHEMA: dict[str, Any] = {
    "description": "Text, or exactly one of IN (a list), NOT_IN (a list), REGEX (a pattern).",
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": False,
            "properties": {
                "IN": _WORDS,
                "NOT_IN": _WORDS,
                "REGEX": {"type": "string", "maxLength": MAX_REGEX_CHARS},
            },
        },
    ],
}
_LENGTH_SCHEMA: dict[str, Any] = {
    "description": "A number of characters, or comparisons such as {'>=': 3}.",
    "anyOf": [
        {"type": "integer"},
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"enum": list(_NUMBER_PREDICATES)},
            "additionalProperties": {"type": "integer"},
        },
    ],
}
TextValue = Annotated[Any, WithJsonSchema(_TEXT_SCHEMA)]
LengthValue = Annotated[Any, WithJsonSchema(_LENGTH_SCHEMA)]


def fail(reason: str) -> PydanticCustomError:
    """A validation error whose message is ``reason`` as written (no 'Value error,' prefix)."""
    return PydanticCustomError("pack_file", "{reason}", {"reason": reason})


class TokenModel(BaseModel):
    """One token of a Matcher pattern: text attributes, flags (IS_*, LIKE_*), LENGTH and OP."""

    model_config = ConfigDict(
        extra="allow",
        frozen=True,
        json_schema_extra={"propertyNames": {"enum": list(sorted(KNOWN_ATTRS))}},
    )
    __pydantic_extra__: dict[str, StrictBool]  # the flags: IS_PUNCT: false ...

    ORTH: TextValue = Field(default=None, description="The exact text.")
    TEXT: TextValue = Field(default=None, description="The exact text (same as ORTH).")
    LOWER: TextValue = Field(default=None, description="The lower-cased text.")
    NORM: TextValue = Field(default=None, description="The normalised text (n't -> not).")
    LENGTH: LengthValue = Field(default=None, description="The number of characters.")
    OP: str | None = Field(
        default=None,
        pattern=OP_PATTERN,
        description="How often: ! (never), ? (optional), + (one or more), * (any), {n,m}.",
    )

    @model_validator(mode="before")
    @classmethod
    def _attributes(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        for attr in data:
            if attr in TRAINED_ATTRS:
                raise fail(
                    f"{attr} needs a trained pipeline; patterns must work on the blank pipeline "
                    "(use LOWER, ORTH, NORM, IS_* and LIKE_* attributes)"
                )
            if attr not in KNOWN_ATTRS:
                hint = did_you_mean(str(attr), KNOWN_ATTRS) or (
                    f"; use one of {', '.join(sorted(KNOWN_ATTRS))}"
                )
                raise fail(f"unknown token attribute '{attr}'{hint}")
        return data

    @field_validator("ORTH", "TEXT", "LOWER", "NORM")
    @classmethod
    def _text(cls, value: Any, info: ValidationInfo) -> Any:
        attr = info.field_name
        if value is None or isinstance(value, str):
            if attr == "LOWER" and isinstance(value, str) and value != value.lower():
                raise fail(f"LOWER compares lower-case text; write {value.lower()!r}")
            return value
        if not isinstance(value, dict) or len(value) != 1:
            raise fail(
                f"{attr} takes text or one of {{IN: [...]}}, {{NOT_IN: [...]}}, {{REGEX: ...}}"
            )
        ((predicate, arg),) = value.items()
        if predicate in _SET_PREDICATES:
            if not isinstance(arg, list) or not arg or not all(isinstance(v, str) for v in arg):
                raise fail(f"{predicate} takes a non-empty list of text")
            if attr == "LOWER" and any(v != v.lower() for v in arg):
                raise fail(f"LOWER compares lower-case text; lower-case the {predicate} list")
        elif predicate == "REGEX":
            if not isinstance(arg, str) or len(arg) > MAX_REGEX_CHARS:
                raise fail(f"REGEX takes a pattern of at most {MAX_REGEX_CHARS} characters")
            try:
                re.compile(arg)
            except re.error as exc:
                raise fail(f"REGEX: invalid regular expression: {exc}") from None
        else:
            raise fail(f"{attr}: use IN, NOT_IN or REGEX, not {predicate!r}")
        return value

    @field_validator("LENGTH")
    @classmethod
    def _length(cls, value: Any) -> Any:
        def number(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        if value is None or number(value):
            return value
        if (
            isinstance(value, dict)
            and value
            and all(k in _NUMBER_PREDICATES and number(v) for k, v in value.items())
        ):
            return value
        raise fail("LENGTH takes a number or comparisons such as {'>=': 3}")

    @field_validator("OP")
    @classmethod
    def _op(cls, value: str | None) -> str | None:
        if value is not None and value.startswith("{"):
            m = RANGE.match(value)
            if not (m and (m.group(1) or m.group(3)) and (m.group(2) or not m.group(3))):
                raise fail("a range needs numbers: {n}, {n,m}, {n,} or {,m}")
        return value

    @model_validator(mode="after")
    def _not_a_wildcard(self) -> TokenModel:
        if self.OP in ("*", "+") and not set(self.matcher_spec()) - {"OP"}:
            raise fail("an unbounded OP on an empty token matches anything; use {0,3}")
        return self

    def matcher_spec(self) -> dict[str, Any]:
        """The token as spaCy's Matcher takes it (only the attributes given)."""
        return self.model_dump(exclude_none=True)


def check_token_sequence(tokens: Sequence[TokenModel]) -> None:
    """Refuse a pattern that can cover more tokens than the matching window, or none at all."""
    span = sum(_max_repeat(t.OP) for t in tokens)
    if span > MAX_SPAN_TOKENS:
        raise fail(f"the pattern can cover {span} tokens, over {MAX_SPAN_TOKENS}")
    if all(t.OP in ("?", "*", "!") or _optional_range(t.OP) for t in tokens):
        raise fail("every token is optional: the pattern would match empty text")


def _max_repeat(op: str | None) -> int:
    """How many tokens one specification can take (unbounded counts as one per match step)."""
    m = RANGE.match(op or "")
    if not m:
        return 1
    low, comma, high = m.groups()
    if high:
        return int(high)
    return int(low) if low and not comma else max(int(low or 0), 1)


def _optional_range(op: str | None) -> bool:
    m = RANGE.match(op or "")
    return bool(m and not int(m.group(1) or 0))
