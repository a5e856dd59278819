"""Stage 4 (evaluate): lint for rules that load but are incomplete, unfair or confusing.

Errors make a rule unusable and stop loading; lint issues are data (``lint_issues``; the
packs' phrase patterns are linted in ``pattern_lint``). Each check is a small
validator class with a code and a severity, and any check can be excluded for one rule in
``rules/lint-exclusions.yml`` (``{rule id: {code: reason}}``) as long as the reason is written
down: an exclusion without a reason is itself an issue and excludes nothing.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from screening.errors import RuleProblem
from screening.evaluate.lint_issues import LintIssue, LintSeverity
from screening.evaluate.messages import describe, did_you_mean
from screening.evaluate.pattern_lint import lint_patterns
from screening.evaluate.rule import CompiledRule
from screening.evaluate.ruleset import RuleSet
from screening.evaluate.yaml_files import read_yaml
from screening.model.facts import FactCatalogue
from screening.model.findings import Outcome, RuleStatus, Severity


class Validator(ABC):
    """One lint check, run over every rule in load order; ``check`` yields its issues."""

    code: ClassVar[str]
    severity: ClassVar[LintSeverity]
    description: ClassVar[str]

    def __init__(self, catalogue: FactCatalogue) -> None:
        self.catalogue = catalogue

    @abstractmethod
    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """Issues of ``rule``."""

    def issue(
        self,
        rule: CompiledRule,
        message: str,
        line: int | None,
        severity: LintSeverity | None = None,
    ) -> LintIssue:
        """An issue of this validator about ``rule``."""
        return LintIssue(
            rule.id, str(rule.source), line, severity or self.severity, self.code, message
        )


class UnknownPlaceholder(Validator):
    """Placeholders in ``explain`` must be catalogue paths, or reviewers read "(no ... given)"."""

    code = "unknown-placeholder"
    severity = LintSeverity.HIGH
    description = "explain placeholder that is not a fact path"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """One issue per unknown placeholder."""
        for path in rule.explain.placeholders:
            if path not in self.catalogue:
                hint = did_you_mean(path, self.catalogue.facts)
                yield self.issue(
                    rule,
                    f"explain placeholder '{{{path}}}' is not a fact path{hint}",
                    rule.line_of(("explain",)),
                )


class DanglingSelection(Validator):
    """A selection the condition never reads is dead logic, usually a forgotten name."""

    code = "dangling-selection"
    severity = LintSeverity.HIGH
    description = "selection defined but not used in the condition"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """One issue per unused selection."""
        for name, line in rule.lint.unused_selections:
            yield self.issue(
                rule,
                f"selection '{name}' is not used in the condition '{rule.condition.text}'",
                line,
            )


class SensitiveFact(Validator):
    """Sensitive facts (citizenship, name origin ...) need the pack's written justification."""

    code = "sensitive-fact"
    severity = LintSeverity.HIGH
    description = "rule reads a fact declared sensitive"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """High without the pack's justification, low (a warning) with it."""
        paths = sorted(
            p for p in rule.fact_paths if (spec := self.catalogue.get(p)) and spec.sensitive
        )
        if not paths:
            return
        line = _first_line(rule, set(paths))
        if rule.justification:
            yield self.issue(
                rule,
                f"reads sensitive fact(s) {', '.join(paths)}; pack {rule.pack} justifies it: "
                f"{rule.justification}",
                line,
                LintSeverity.LOW,
            )
            return
        yield self.issue(
            rule,
            f"reads sensitive fact(s) {', '.join(paths)} but pack {rule.pack} has no "
            "sensitive_facts_justification in pack.yml",
            line,
        )


def _first_line(rule: CompiledRule, paths: set[str]) -> int | None:
    """The line of the first selection key (or evidence entry) that reads one of ``paths``."""
    for selection in rule.selections:
        for mapping in selection.maps:
            for group in mapping.groups:
                for key in group.keys:
                    if key.path in paths or key.ref_path in paths:
                        return key.line
    for i, path in enumerate(rule.evidence_paths):
        if path in paths:
            return rule.line_of(("evidence", i))
    return rule.line_of(("explain",))


class MissingTests(Validator):
    """``test`` and ``stable`` rules prove themselves with a match and a no_match case."""

    code = "missing-tests"
    severity = LintSeverity.HIGH
    description = "test/stable rule without a match and a no_match case"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """One issue naming the missing kinds of case."""
        if rule.status not in (RuleStatus.TEST, RuleStatus.STABLE):
            return
        have = {case.expect for case in rule.tests if case.todo is None}
        lacking = [o.value for o in (Outcome.MATCH, Outcome.NO_MATCH) if o not in have]
        if lacking:
            yield self.issue(
                rule,
                f"a {rule.status.value} rule needs at least one test expecting "
                f"{' and one expecting '.join(lacking)} (todo cases do not count)",
                rule.line_of(("tests",)),
            )


class MissingDocs(Validator):
    """Guidance and references are what make a finding actionable and checkable."""

    code = "missing-docs"
    severity = LintSeverity.MEDIUM
    description = "blank references or guidance, or a test rule without guidance"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """Blank entries for test/stable rules; test rules must have guidance before stable."""
        model = rule.model
        if rule.status not in (RuleStatus.TEST, RuleStatus.STABLE):
            return
        if model.guidance is None or not model.guidance.strip():
            yield self.issue(
                rule,
                "no guidance: say what the reviewer should check next (required once stable)",
                rule.line_of(("guidance",)) or rule.line_of(("status",)),
            )
        for i, reference in enumerate(model.references):
            if not reference.strip():
                yield self.issue(rule, f"references[{i}] is blank", rule.line_of(("references", i)))


class EmptyFalsePositives(Validator):
    """Every rule has benign explanations, or says ``Unknown`` explicitly."""

    code = "empty-falsepositives"
    severity = LintSeverity.MEDIUM
    description = "empty falsepositives list"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """An issue when the list is empty or only blank."""
        if not any(fp.strip() for fp in rule.model.falsepositives):
            yield self.issue(
                rule,
                "falsepositives is empty: list benign explanations, or write ['Unknown']",
                rule.line_of(("falsepositives",)),
            )


class SingleValueAll(Validator):
    """``all`` over one value does nothing; usually a value list was meant."""

    code = "single-value-all"
    severity = LintSeverity.LOW
    description = "'all' flag with a single value"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """One issue per such key."""
        for key, line in rule.lint.single_value_all:
            yield self.issue(rule, f"key '{key}' uses 'all' with a single value", line)


class SeverityWeight(Validator):
    """Severity (reviewer urgency) and weight (score) should tell the same story."""

    code = "severity-weight-mismatch"
    severity = LintSeverity.LOW
    description = "severity and weight disagree"

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """Critical but light, info but heavy, or urgent but mitigating."""
        severity, weight = rule.model.severity, rule.model.weight
        why = None
        if severity is Severity.CRITICAL and weight < 0.2:
            why = "critical severity with weight below 0.2"
        elif severity is Severity.INFO and weight > 0.3:
            why = "info severity with weight above 0.3"
        elif weight < 0 and severity in (Severity.HIGH, Severity.CRITICAL):
            why = f"{severity.value} severity on a mitigating (negative) weight"
        if why:
            yield self.issue(rule, f"{why} ({weight:g})", rule.line_of(("severity",)))


class DuplicateTitle(Validator):
    """Two rules with one title are indistinguishable in a report."""

    code = "duplicate-title"
    severity = LintSeverity.MEDIUM
    description = "title already used by another rule"

    def __init__(self, catalogue: FactCatalogue) -> None:
        super().__init__(catalogue)
        self.seen: dict[str, str] = {}

    def check(self, rule: CompiledRule) -> Iterator[LintIssue]:
        """An issue on every rule after the first with the same title (ignoring case)."""
        title = " ".join(rule.info.title.casefold().split())
        first = self.seen.setdefault(title, rule.id)
        if first != rule.id:
            yield self.issue(
                rule, f"title '{rule.info.title}' is also used by {first}", rule.line_of(("title",))
            )


VALIDATORS: tuple[type[Validator], ...] = (
    UnknownPlaceholder,
    DanglingSelection,
    SensitiveFact,
    MissingTests,
    MissingDocs,
    EmptyFalsePositives,
    SingleValueAll,
    SeverityWeight,
    DuplicateTitle,
)
CODES = frozenset(v.code for v in VALIDATORS)


def lint_ruleset(
    ruleset: RuleSet, catalogue: FactCatalogue, exclusions: Path | None = None
) -> list[LintIssue]:
    """Every lint issue of the loaded rules (deprecated ones included), minus exclusions, then
    those of the packs' phrase patterns."""
    excluded: dict[str, dict[str, str]] = {}
    issues: list[LintIssue] = []
    if exclusions is not None:
        excluded, issues = read_exclusions(exclusions, {r.id for r in ruleset.rules})
    validators = [cls(catalogue) for cls in VALIDATORS]
    for rule in ruleset.rules:
        skip = excluded.get(rule.id, {})
        for validator in validators:
            issues.extend(i for i in validator.check(rule) if i.code not in skip)
    return issues + lint_patterns(ruleset.patterns, ruleset.rules)


def read_exclusions(
    path: Path, rule_ids: set[str]
) -> tuple[dict[str, dict[str, str]], list[LintIssue]]:
    """The exclusions that apply (rule id -> code -> reason) and issues about the file."""
    problems: list[RuleProblem] = []
    issues: list[LintIssue] = []

    def bad(rule_id: str | None, line: int | None, code: str, message: str) -> None:
        severity = LintSeverity.HIGH if code == "exclusion-without-reason" else LintSeverity.MEDIUM
        issues.append(LintIssue(rule_id, str(path), line, severity, code, message))

    if not path.exists():
        return {}, []
    read = read_yaml(path, problems)
    if read is None:
        for p in problems:
            bad(None, p.line, "bad-exclusions", p.message)
        return {}, issues
    data, locator = read
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        bad(
            None,
            1,
            "bad-exclusions",
            f"expected {{rule id: {{code: reason}}}}, got {describe(data)}",
        )
        return {}, issues
    out: dict[str, dict[str, str]] = {}
    for rule_id, entries in data.items():
        line = locator.key((rule_id,))[0]
        if rule_id not in rule_ids:
            bad(
                rule_id,
                line,
                "unknown-exclusion",
                f"no loaded rule '{rule_id}'{did_you_mean(rule_id, rule_ids)}",
            )
            continue
        if not isinstance(entries, dict):
            bad(
                rule_id,
                line,
                "bad-exclusions",
                f"expected {{code: reason}}, got {describe(entries)}",
            )
            continue
        for code, reason in entries.items():
            line = locator.key((rule_id, code))[0]
            if code not in CODES:
                bad(
                    rule_id,
                    line,
                    "unknown-exclusion",
                    f"no lint check '{code}'{did_you_mean(code, CODES)}",
                )
            elif not isinstance(reason, str) or not reason.strip():
                bad(
                    rule_id,
                    line,
                    "exclusion-without-reason",
                    f"exclusion of '{code}' needs a written reason",
                )
            else:
                out.setdefault(rule_id, {})[code] = reason
    return out, issues
