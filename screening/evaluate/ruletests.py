"""Stage 4 (evaluate): running the tests embedded in rule files.

A rule proves itself with the cases it carries (Semgrep's ``ruleid``/``ok``/``todoruleid``): facts
in, expected outcome (and evidence) out. ``screening rules test`` and pytest run the same code:
``iter_rule_cases`` yields one runnable case per test with a stable id
(``<pack>/<rule id>::<case>``) for parametrised tests. A ``todo`` case is a written-down known
gap: it passes while it fails, and fails with "remove todo" once the rule handles it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from screening.evaluate.factsbuilder import facts_from_dotted
from screening.evaluate.rule import CaseSpec, CompiledRule
from screening.evaluate.ruleset import RuleSet
from screening.model.facts import FactCatalogue
from screening.model.findings import Outcome, RuleOutcome, RuleStatus


@dataclass(frozen=True, slots=True)
class RuleTestResult:
    """The result of one embedded test case."""

    rule_id: str
    case: str
    passed: bool
    expected: Outcome
    got: Outcome | None
    message: str
    todo: str | None = None


@dataclass(frozen=True, slots=True)
class RuleCase:
    """One runnable embedded test, named for pytest: ``<pack>/<rule id>::<case>``."""

    test_id: str
    rule: CompiledRule
    spec: CaseSpec
    catalogue: FactCatalogue

    @property
    def todo(self) -> str | None:
        """The known-gap reason, if this case is expected to fail."""
        return self.spec.todo

    def __call__(self) -> RuleTestResult:
        """Run the case for a test framework: AssertionError (with the message) if it fails."""
        result = self.run()
        if not result.passed:
            raise AssertionError(f"{self.test_id}: {result.message}")
        return result

    def run(self) -> RuleTestResult:
        """Evaluate the rule on the case's facts and compare with the expectation."""
        spec = self.spec
        try:
            facts = facts_from_dotted(spec.facts, self.catalogue, spec.unavailable)
        except ValueError as exc:
            return RuleTestResult(
                self.rule.id, spec.name, False, spec.expect, None, f"bad facts: {exc}", spec.todo
            )
        outcome = self.rule.evaluate(facts)
        failure = _failure(spec, outcome)
        if spec.todo is None:
            return RuleTestResult(
                self.rule.id,
                spec.name,
                failure is None,
                spec.expect,
                outcome.outcome,
                failure or "ok",
            )
        if failure is None:
            message = f"remove todo: the case passes now (todo: {spec.todo})"
        else:
            message = f"known gap ({spec.todo}): {failure}"
        return RuleTestResult(
            self.rule.id,
            spec.name,
            failure is not None,
            spec.expect,
            outcome.outcome,
            message,
            spec.todo,
        )


def _failure(spec: CaseSpec, outcome: RuleOutcome) -> str | None:
    if outcome.outcome is not spec.expect:
        detail = ""
        if outcome.outcome is Outcome.NOT_EVALUATED:
            detail = f" (unknown: {', '.join(outcome.missing)})"
        elif outcome.outcome is Outcome.MATCH:
            detail = f" ({outcome.explain})"
        return f"expected {spec.expect.value}, got {outcome.outcome.value}{detail}"
    shown = {e.path for e in outcome.evidence}
    lacking = [p for p in spec.expect_evidence if p not in shown]
    if lacking:
        return f"evidence lacks {', '.join(lacking)} (has: {', '.join(sorted(shown)) or 'nothing'})"
    return None


def iter_rule_cases(
    ruleset: RuleSet, catalogue: FactCatalogue | None = None
) -> Iterator[tuple[str, RuleCase]]:
    """``(test id, case)`` for every test of every enabled, non-deprecated rule, in load order.

    Made for ``pytest.mark.parametrize``: the id names the case, and calling the case runs it
    (raising AssertionError with the reason when it fails; a known gap passes).
    """
    catalogue = catalogue or ruleset.catalogue
    for rule in ruleset.rules:
        if rule.status is RuleStatus.DEPRECATED:
            continue
        for spec in rule.tests:
            test_id = f"{rule.pack}/{rule.id}::{spec.name}"
            yield test_id, RuleCase(test_id, rule, spec, catalogue)


def run_rule_tests(
    ruleset: RuleSet, catalogue: FactCatalogue | None = None
) -> list[RuleTestResult]:
    """Run every embedded test; ``catalogue`` defaults to the one the rules were loaded with."""
    return [case.run() for _, case in iter_rule_cases(ruleset, catalogue)]
