"""Stage 4 (evaluate): the one-line ``explain`` sentence of a finding.

``Phone {phones.e164} is a VoIP line numbered in {phones.region}`` is split once, at load time,
into text and placeholders; on a match each placeholder becomes the evidence value(s) for that
path (the rule adds every placeholder to the evidence: from the matched records when they share
its namespace, else every value in the FactSet), else words saying which value the application
did not give (``(no carrier given)``), never a bare placeholder. Values stay plain text here:
reports escape them when they render.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from screening.model.facts import FactValue

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def missing(path: str) -> str:
    """What a sentence says where its value is missing: ``phones.carrier`` -> ``(no carrier
    given)``, so a reviewer reads which fact was absent instead of a placeholder."""
    leaf = path.rsplit(".", 1)[-1].replace("_", " ").strip() or "value"
    return f"(no {leaf} given)"


@dataclass(frozen=True, slots=True)
class Explain:
    """A parsed explain sentence: ``parts`` alternate text and placeholder paths."""

    parts: tuple[str, ...]

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The placeholder paths in order of appearance."""
        return self.parts[1::2]

    def render(self, values: Mapping[str, list[FactValue]]) -> str:
        """The sentence for one match, from the match's evidence values by path."""
        out: list[str] = []
        for i, part in enumerate(self.parts):
            if i % 2 == 0:
                out.append(part)
                continue
            found = values.get(part)
            out.append(", ".join(format_value(v) for v in found) if found else missing(part))
        return "".join(out)


def parse_explain(text: str) -> Explain:
    """Split ``text`` (whitespace collapsed to single spaces) into text and placeholders."""
    pieces = _PLACEHOLDER.split(" ".join(text.split()))
    return Explain(tuple(p.strip() if i % 2 else p for i, p in enumerate(pieces)))


def format_value(value: FactValue) -> str:
    """A fact value in a sentence: lists joined, booleans as rules write them, dates ISO."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(format_value(v) for v in value)
    return str(value)
