"""The result of screening one application: score, band, findings, gaps and provenance.

Everything a report shows comes from a ``Screening``; it records enough (weights, contributions,
packs and sources) that the score can be recomputed from the report alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from screening.model.facts import Check, FactSet, Source
from screening.model.findings import Finding, NotEvaluated
from screening.model.normalized import Application
from screening.model.notes import InputNote


class Band(StrEnum):
    """Score band; each has a recommended next step in configuration."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@dataclass(frozen=True, slots=True)
class ScoreBreakdown:
    """Score 0-100, band, next step, per-category subtotals and the formula used."""

    score: float
    band: Band
    next_step: str
    categories: dict[str, float]
    formula: str = "noisy-or"
    rules_checked: int = 0  # rules whose facts could be computed (matched or not)
    rules_total: int = 0  # rules run; the rest are "not evaluated"


@dataclass(frozen=True, slots=True)
class PackInfo:
    """A loaded rule pack: id, version and how many rules it contributed."""

    id: str
    version: str
    rules: int
    title: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class ApplicationSummary:
    """Who was screened: id, name, source, where the file came from."""

    id: str
    name: str
    source: str | None = None
    file: str | None = None


@dataclass(slots=True)
class Screening:
    """Everything known about one screened application."""

    application: ApplicationSummary
    score: ScoreBreakdown
    findings: list[Finding]
    not_evaluated: list[NotEvaluated]
    checks: list[Check]
    sources: list[Source]
    packs: list[PackInfo]
    facts: FactSet
    generated_at: dt.datetime
    rules_evaluated: int = 0
    notes: list[str] = field(default_factory=list)
    input_notes: list[InputNote] = field(default_factory=list)
    """What intake assumed or normalised (shown as "Input notes" in every report)."""
    read: Application | None = None
    """The application as the tool understood it (the reports' "What was read" part)."""
