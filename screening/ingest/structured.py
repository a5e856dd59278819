"""Stage 1 of 6 (ingest): decode a JSON or YAML file into data plus the position of every value.

Both native applications and JSON Resumes go through here. JSON is parsed as JSON (exact JSON
semantics, fast); its line and column positions are only worked out when an error needs them, by
reading the same text as YAML. YAML goes through ``screening.safeload`` (no aliases, no duplicate
keys, bounded depth), after a nesting pre-check: the C composer behind PyYAML recurses once per
nesting level and crashes the interpreter on documents nested tens of thousands deep, long before
safeload's depth limit can see them, so such documents are measured with the event stream first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from screening.errors import InputError, LimitError, Problem
from screening.ingest.limits_check import Loc, too_deep
from screening.model.limits import Limits
from screening.safeload import LoadError, LoadLimits, load_json, load_yaml

_EventLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NESTING_MARKS = "[{-:?"
# Below this many nesting marks no document can come near the composer's crash depth (~20 000).
_CHEAP_BOUND = 2000
_YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(slots=True)
class Source:
    """A decoded document and, on demand, the 1-based line and column of each value in it."""

    text: str
    data: object
    positions: dict[Loc, tuple[int, int]] | None = field(default=None, repr=False)

    def where(self, loc: Loc) -> tuple[int | None, int | None]:
        """Position of ``loc`` or of its nearest parent below the root (the root says nothing)."""
        if self.positions is None:
            self.positions = _positions_of(self.text)
        p = tuple(loc)
        while p:
            found = self.positions.get(p)
            if found is not None:
                return found
            p = p[:-1]
        return None, None


def load_structured(text: str, suffix: str, limits: Limits) -> Source:
    """Parse JSON (text starting with ``{`` or ``[``) or YAML; ``InputError`` with positions."""
    load_limits = LoadLimits(max_depth=limits.max_depth, max_nodes=limits.max_nodes)
    if text.lstrip().startswith(("{", "[")):
        try:
            return Source(text, load_json(text, load_limits))
        except LoadError as exc:
            if suffix.lower() not in _YAML_SUFFIXES:
                raise InputError(exc.problems) from None
    check_nesting(text, limits)
    try:
        loaded = load_yaml(text, load_limits)
    except LoadError as exc:
        raise InputError(exc.problems) from None
    return Source(text, loaded.data, loaded.positions)


def check_nesting(text: str, limits: Limits) -> None:
    """Refuse YAML nested deeper than ``max_depth`` before the recursive composer sees it."""
    if sum(text.count(mark) for mark in _NESTING_MARKS) <= _CHEAP_BOUND:
        return
    depth = 0
    try:
        for event in _events(text):
            if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    line, column = _mark(event)
                    raise LimitError([Problem("", too_deep(limits), line, column)])
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # a syntax error: load_yaml reports it with its position


def _mark(event: yaml.Event) -> tuple[int | None, int | None]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


def _events(text: str) -> Iterator[yaml.Event]:
    loader = _EventLoader(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def _positions_of(text: str) -> dict[Loc, tuple[int, int]]:
    try:
        check_nesting(text, Limits())
        return load_yaml(text).positions
    except (LoadError, InputError):
        return {}
