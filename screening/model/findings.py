"""Rule outcomes and findings: what evaluation and scoring hand to reports.

An outcome is three-valued (``match``, ``no_match``, ``not_evaluated``). A finding is a matched
rule with everything a reviewer needs to understand it: the facts that matched (path and value),
a one-line reason, why it matters, references, what to do next, and its share of the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from screening.model.facts import FactValue


class Outcome(StrEnum):
    """Three-valued result of evaluating one rule."""

    MATCH = "match"
    NO_MATCH = "no_match"
    NOT_EVALUATED = "not_evaluated"


class Category(StrEnum):
    """What kind of signal a rule reads (docs/rules.md, "A rule file")."""

    INFRASTRUCTURE = "infrastructure"
    IDENTITY = "identity"
    LANGUAGE = "language"
    PAYMENT = "payment"
    BEHAVIOR = "behavior"
    DEVICE = "device"
    THREAT = "threat"  # the application attacks the reviewer (active content in its files)


class Severity(StrEnum):
    """How urgently a reviewer should look, independent of the weight."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class RuleStatus(StrEnum):
    """Maturity: experimental rules run and are shown but carry weight 0."""

    EXPERIMENTAL = "experimental"
    TEST = "test"
    STABLE = "stable"
    DEPRECATED = "deprecated"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One fact that made a rule match: its path and value.

    ``broad`` marks context the rule asked to show (``evidence:``, explain placeholders) read
    from every record of a namespace no condition matched, so it names no record in particular
    (reports link it to the data without citing every record as the finding's).
    """

    path: str
    value: FactValue
    broad: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """The outcome of one rule on one application."""

    rule_id: str
    outcome: Outcome
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[str, ...] = ()
    explain: str = ""


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What a report shows about a rule, copied from the pack so findings stand alone."""

    id: str
    title: str
    category: Category
    severity: Severity
    status: RuleStatus
    weight: float
    default_weight: float
    description: str
    guidance: str
    references: tuple[str, ...]
    falsepositives: tuple[str, ...]
    pack: str
    evasion: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """A matched rule with its explanation, evidence and contribution to the score."""

    rule: RuleInfo
    explain: str
    evidence: tuple[Evidence, ...]
    weight: float
    contribution: float

    @property
    def id(self) -> str:
        """The rule id (findings are named by the rule that produced them)."""
        return self.rule.id


@dataclass(frozen=True, slots=True)
class NotEvaluated:
    """A rule that could not be evaluated and the fact paths it was missing (with reasons)."""

    rule_id: str
    title: str
    missing: tuple[str, ...]
    reasons: tuple[str, ...]
