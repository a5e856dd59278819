"""Stage 1 of 6 (ingest): validate against contract v1, pointing each problem where it was written.

Every format ends as a mapping in the native contract's shape, validated by ``parse_application``.
Its problems name contract fields (``employment[1].start``); a *placer* turns that path back into
what the user actually edits: the same path with its YAML line and column, the JSON Resume path
(``work[1].startDate``) or the CSV column (``date_of_birth``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from screening.errors import InputError, LimitError, Problem
from screening.ingest.limits_check import Loc
from screening.model.application import ApplicationInput, parse_application
from screening.safeload import dotted

Placement = tuple[str, int | None, int | None]
Placer = Callable[[Loc], Placement]

_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def plain(loc: Loc) -> Placement:
    """The contract path itself, without a position (data that did not come from a file)."""
    return dotted(loc), None, None


def split_field(field: str) -> Loc:
    """``employment[2].start`` -> ``('employment', 2, 'start')`` (inverse of ``dotted``)."""
    return tuple(int(m[1]) if m[1] is not None else m[2] for m in _PART.finditer(field))


def place(problems: Iterable[tuple[Loc, str]], placer: Placer) -> list[Problem]:
    """Problems found at data paths, as the user should read them."""
    out = []
    for loc, message in problems:
        field, line, column = placer(loc)
        out.append(Problem(field, message, line, column))
    return out


def in_reading_order(problems: list[Problem]) -> list[Problem]:
    """Problems with a position sorted top to bottom (the contract reports in field order)."""
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.column or 0))


def check_shape_placed(problems: list[tuple[Loc, str]], placer: Placer) -> None:
    """Raise the limit problems found by ``shape_problems``, if any."""
    if problems:
        raise LimitError(place(problems, placer))


def validate(data: object, placer: Placer, default_id: str) -> ApplicationInput:
    """The validated contract; ``id`` defaults to ``default_id`` (the file's stem)."""
    try:
        app = parse_application(data)
    except InputError as exc:
        moved = [(split_field(p.field), p.message) for p in exc.problems]
        raise InputError(in_reading_order(place(moved, placer))) from None
    if app.id is None:
        app = app.model_copy(update={"id": default_id or "application"})
    return app
