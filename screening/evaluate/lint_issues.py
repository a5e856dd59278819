"""Stage 4 (evaluate): what a lint issue is and how much it matters (rules and patterns alike)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class LintSeverity(StrEnum):
    """How much a lint issue matters (one scheme for every validator).

    - ``high``: error level. The rule is wrong, untested or unfair as written (a dangling
      selection, a sensitive fact read without the pack's justification, no match/no_match
      test). CI fails on these.
    - ``medium``: something a reviewer relies on is missing or confusing (empty false
      positives, missing guidance, two rules with one title).
    - ``low``: warning level. A likely slip or style problem worth a look (a single-value
      ``all``, a severity that disagrees with the weight, a justified sensitive fact).
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low, 1 for medium, 2 for high (for ``--fail-on`` thresholds)."""
        return ("low", "medium", "high").index(self.value)


@dataclass(frozen=True, slots=True)
class LintIssue:
    """One lint finding about a rule (or about the exclusions file)."""

    rule_id: str | None
    path: str
    line: int | None
    severity: LintSeverity
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        rule = f" {self.rule_id}:" if self.rule_id else ""
        return f"{where}:{rule} {self.severity.value} [{self.code}] {self.message}"
