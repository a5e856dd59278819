"""Stage 3 of 6 (analyze): the analyzer protocol and helpers to declare facts.

An analyzer turns a normalized ``Application`` into facts for the namespaces it owns. It declares
every fact it can produce (path, type, description, sensitivity) so rule packs can be validated
and ``screening facts list`` can document them, and it returns a ``FamilyResult`` whose status is
``ok``, ``skipped`` (no input, with the reason) or ``unavailable`` (failed, with the reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from screening.analyze.ports import Clock, SystemClock
from screening.model.facts import FactSpec, FactType, FamilyResult, NamespaceSpec, Source
from screening.model.normalized import Application


@dataclass(frozen=True, slots=True)
class AnalysisContext:
    """What analyzers may use besides the application: the clock and analysis settings."""

    clock: Clock = field(default_factory=SystemClock)
    offline: bool = False
    # raise an analyzer's failure instead of reporting its family unavailable: for test suites
    # (benign corpus, fairness) where an analyzer that crashed must fail, not pass quietly
    strict: bool = False


class Analyzer(Protocol):
    """Computes one family of facts; ``name`` is the family shown in checks."""

    name: ClassVar[str]
    description: ClassVar[str]
    namespaces: ClassVar[tuple[NamespaceSpec, ...]]
    facts: ClassVar[tuple[FactSpec, ...]]

    def sources(self) -> list[Source]:
        """Lists, databases and tables this analyzer uses, with their version or date."""
        ...

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """Compute the facts for ``app``."""
        ...


FactRow = tuple[str, str, str] | tuple[str, str, str, dict[str, object]]


def declare(family: str, namespace: str, rows: Sequence[FactRow]) -> tuple[FactSpec, ...]:
    """Declare facts compactly: rows of ``(key, type, description[, {sensitive, values}])``."""
    specs = []
    for row in rows:
        key, type_name, description = row[0], row[1], row[2]
        extra: dict[str, object] = dict(row[3]) if len(row) == 4 else {}
        values = extra.get("values", ())
        specs.append(
            FactSpec(
                path=f"{namespace}.{key}",
                type=FactType(type_name),
                description=description,
                family=family,
                sensitive=bool(extra.get("sensitive", False)),
                values=tuple(str(v) for v in values) if isinstance(values, Sequence) else (),
            )
        )
    return tuple(specs)
