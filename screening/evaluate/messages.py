"""Stage 4 (evaluate): turning raw validation failures into sentences a rule author can act on.

pydantic reports ``Input should be 'match', 'no_match' or 'not_evaluated'`` with a location tuple;
authors need the field, the allowed values and the fix (``tests[1].expect: expected one of match,
no_match, not_evaluated, got 'matched'``), and a suggestion when a name is misspelt. Everything
that phrases a loader error lives here so messages stay consistent.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from screening.errors import closest, did_you_mean
from screening.evaluate.schema import PATTERN_HELP
from screening.safeload import DocPath, dotted

__all__ = ["closest", "did_you_mean"]  # re-exported: the rule loader's modules import them here


def describe(value: object) -> str:
    """A value as an author would recognise it in YAML, with its kind."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"number {value}"
    if isinstance(value, dt.datetime):
        return f"date and time {value.isoformat()}"
    if isinstance(value, dt.date):
        return f"date {value.isoformat()}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One rewritten validation error; ``at_key`` asks for the key's position, not the value's."""

    path: DocPath
    message: str
    at_key: bool = False


def schema_problems(exc: ValidationError, model: type[BaseModel]) -> list[SchemaProblem]:
    """Every error of ``exc`` as an actionable sentence located by its path in the document."""
    out: list[SchemaProblem] = []
    for err in exc.errors(include_url=False):
        loc: DocPath = tuple(p for p in err["loc"] if isinstance(p, str | int))
        out.append(_rewrite(err, loc, model))
    return out


def _rewrite(err: Any, loc: DocPath, model: type[BaseModel]) -> SchemaProblem:
    kind: str = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    name = dotted(loc)
    prefix = f"{name}: " if name else ""
    parent = dotted(loc[:-1])
    parent_prefix = f"{parent}: " if parent else ""
    info = _field_at(model, loc)
    if kind == "missing":
        what = ""
        if info is not None and info.description:
            text = info.description.rstrip(".")
            what = f" ({text[:1].lower()}{text[1:]})"
        return SchemaProblem(loc[:-1], f"{parent_prefix}missing required key '{loc[-1]}'{what}")
    if kind == "extra_forbidden":
        known = _fields_of(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), known)
        if not hint and known:
            hint = f" (allowed keys: {', '.join(sorted(known))})"
        return SchemaProblem(loc, f"{parent_prefix}unknown key '{loc[-1]}'{hint}", at_key=True)
    if kind in ("literal_error", "enum"):
        allowed = _allowed(info) or [ctx.get("expected", "")]
        got = repr(value) if isinstance(value, str) else describe(value)
        return SchemaProblem(loc, f"{prefix}expected one of {', '.join(allowed)}, got {got}")
    if kind == "string_type":
        return SchemaProblem(loc, f"{prefix}expected text, got {describe(value)}; put it in quotes")
    if kind in ("float_type", "float_parsing", "int_type", "int_parsing"):
        return SchemaProblem(loc, f"{prefix}expected a number, got {describe(value)}")
    if kind in ("bool_type", "bool_parsing"):
        return SchemaProblem(loc, f"{prefix}expected true or false, got {describe(value)}")
    if kind in ("list_type", "tuple_type"):
        return SchemaProblem(
            loc, f"{prefix}expected a list, got {describe(value)}; write it as a list: [...]"
        )
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return SchemaProblem(loc, f"{prefix}expected a mapping of keys, got {describe(value)}")
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return SchemaProblem(
            loc, f"{prefix}at most {limit} characters, got {len(str(value))}; shorten it"
        )
    if kind == "string_too_short":
        return SchemaProblem(loc, f"{prefix}must not be empty")
    if kind == "too_short":
        need = ctx.get("min_length", 1)
        return SchemaProblem(
            loc, f"{prefix}needs at least {need} entr{'y' if need == 1 else 'ies'}"
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return SchemaProblem(loc, f"{prefix}must be {_bounds(info, ctx)}, got {value}")
    if kind == "string_pattern_mismatch":
        form = PATTERN_HELP.get(str(ctx.get("pattern")), f"the pattern {ctx.get('pattern')}")
        return SchemaProblem(loc, f"{prefix}{value!r} is not {form}")
    if kind.startswith(("date", "datetime")):
        return SchemaProblem(
            loc, f"{prefix}expected a date such as 2025-01-31, got {describe(value)}"
        )
    return SchemaProblem(loc, f"{prefix}{err['msg']}")


def _bounds(info: FieldInfo | None, ctx: dict[str, Any]) -> str:
    low = high = None
    for meta in info.metadata if info is not None else ():
        low = getattr(meta, "ge", low)
        high = getattr(meta, "le", high)
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    if "ge" in ctx:
        return f"at least {ctx['ge']}"
    if "le" in ctx:
        return f"at most {ctx['le']}"
    return "in range"


def _unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated to reach the meaningful type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) == 1:
                annotation = args[0]
                continue
        return annotation


def _step(annotation: Any, part: str | int) -> tuple[Any, FieldInfo | None]:
    """The type found one path step below ``annotation`` and its field info if it is a field."""
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(str(part))
        if field is None:
            return None, None
        return field.annotation, field
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple) and args:
        return args[0], None
    if origin is dict and len(args) == 2:
        return args[1], None
    return None, None


def _field_at(model: type[BaseModel], loc: DocPath) -> FieldInfo | None:
    annotation: Any = model
    info: FieldInfo | None = None
    for part in loc:
        annotation, info = _step(annotation, part)
        if annotation is None:
            return None
    return info


def _fields_of(model: type[BaseModel], loc: DocPath) -> list[str]:
    annotation: Any = model
    for part in loc:
        annotation, _ = _step(annotation, part)
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _allowed(info: FieldInfo | None) -> list[str]:
    if info is None:
        return []
    annotation = _unwrap(info.annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(m.value) for m in annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    return []
