"""Stage 4 (evaluate): the one-line ``explain`` sentence of a finding.

``Phone {phones.e164} is a VoIP line numbered in {phones.region}`` is split once, at load time,
into text and placeholders; on a match each placeholder becomes the evidence value(s) for that
path, else the fact's values in the FactSet, else ``(unknown)``. Values stay plain text here:
reports escape them when they render.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from screening.model.facts import FactValue
from screening.model.findings import Evidence

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
UNKNOWN = "(unknown)"


@dataclass(frozen=True, slots=True)
class Explain:
    """A parsed explain sentence: ``parts`` alternate text and placeholder paths."""

    parts: tuple[str, ...]

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The placeholder paths in order of appearance."""
        return self.parts[1::2]

    def render(self, evidence: Sequence[Evidence], values: Callable[[str], list[FactValue]]) -> str:
        """The sentence for one match; ``values`` looks a path up in the FactSet."""
        out: list[str] = []
        for i, part in enumerate(self.parts):
            if i % 2 == 0:
                out.append(part)
                continue
            found = _unique([e.value for e in evidence if e.path == part]) or _unique(values(part))
            out.append(", ".join(format_value(v) for v in found) if found else UNKNOWN)
        return "".join(out)


def parse_explain(text: str) -> Explain:
    """Split ``text`` (whitespace collapsed to single spaces) into text and placeholders."""
    pieces = _PLACEHOLDER.split(" ".join(text.split()))
    return Explain(tuple(p.strip() if i % 2 else p for i, p in enumerate(pieces)))


def format_value(value: FactValue) -> str:
    """A fact value as reviewers read it: lists joined, booleans and dates as in the report."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def _unique(values: Sequence[FactValue]) -> list[FactValue]:
    out: list[FactValue] = []
    for value in values:
        if value not in out:
            out.append(value)
    return out
