"""Interview facts from structured checks: one protocol applied alike to every candidate.

Public guidance (the SEAL frameworks' tiered hiring assurance, 2026) asks interviewers to run
live prompts a real-time face swap handles badly: turn the head sideways, pass a hand across the
face, read a phrase shown for the first time. Recording the result as a field, rather than an
impression, keeps the judgement the same for everyone and lets a rule read it. Free-text notes
are the language analyzer's job.
"""

from __future__ import annotations

from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application


class InterviewCheckAnalyzer:
    """One record per structured interview check."""

    name: ClassVar[str] = "interview_checks"
    description: ClassVar[str] = "Structured interview checks (liveness prompts) and their results"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec(
            "interview_checks", "One record per structured check", "interview_checks", True
        ),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "interview_checks",
        "interview_checks",
        [
            ("kind", "str", "The check (liveness)", {"values": ("liveness",)}),
            (
                "result",
                "str",
                "passed, failed or refused",
                {"values": ("passed", "failed", "refused")},
            ),
            ("at", "datetime", "When it was run"),
        ],
    )

    def sources(self) -> list[Source]:
        """No lists: the checks are the interviewers' records."""
        return []

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """The checks as recorded."""
        if not app.interview_checks:
            return FamilyResult.skipped("no structured interview checks in the application")
        records: list[Record] = [
            {"kind": c.kind, "result": c.result, "at": c.at} for c in app.interview_checks
        ]
        return FamilyResult(records={"interview_checks": records})
