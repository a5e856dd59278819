"""Stage 4 (evaluate): a loaded set of rules, evaluated together against one FactSet.

The RuleSet is what the pipeline holds: it says which analyzer families the enabled rules need
(so only those run), evaluates every enabled, non-deprecated rule exactly once in load order, and
explains why a rule could not be evaluated.
"""

from __future__ import annotations

from collections.abc import Sequence

from screening.analyze.budget import RAN_OUT, Budget, DeadlineExceeded
from screening.analyze.language.patterns import PatternSet
from screening.evaluate.knownfps import KnownFP
from screening.evaluate.matcher import Env
from screening.evaluate.messages import did_you_mean
from screening.evaluate.rule import CompiledRule
from screening.model.facts import FactCatalogue, FactSet
from screening.model.findings import NotEvaluated, Outcome, RuleOutcome, RuleStatus
from screening.model.screening import PackInfo

RULES_FLOOR_SECONDS = 1.0


class RuleSet:
    """Enabled rules in load order, the packs they came from, and what loading changed (with
    the packs' phrase patterns, which lint checks against the rules that read them)."""

    def __init__(
        self,
        rules: Sequence[CompiledRule],
        packs: Sequence[PackInfo],
        catalogue: FactCatalogue,
        *,
        notes: Sequence[str] = (),
        sensitive_warnings: Sequence[str] = (),
        known_fps: Sequence[KnownFP] = (),
        patterns: PatternSet | None = None,
    ) -> None:
        self.rules = list(rules)
        self.patterns = patterns or PatternSet()
        self.packs = list(packs)
        self.catalogue = catalogue
        self.notes = list(notes)
        self.sensitive_warnings = list(sensitive_warnings)
        self.known_fps = list(known_fps)
        self._by_id = {rule.id: rule for rule in self.rules}
        self._active = [r for r in self.rules if r.status is not RuleStatus.DEPRECATED]
        self._families = frozenset(f for r in self._active for f in r.families)

    def needed_families(self) -> set[str]:
        """Analyzer families whose facts the enabled, non-deprecated rules read."""
        return set(self._families)

    def evaluate(self, facts: FactSet, budget: Budget | None = None) -> list[RuleOutcome]:
        """The outcome of every enabled, non-deprecated rule, in load order.

        Under a ``budget``, the rules not reached when it runs out are ``not_evaluated`` with
        that reason (the ones already evaluated keep their outcome).
        """
        env = Env(facts, self._families)
        if budget is None:
            return [rule.outcome(env) for rule in self._active]
        out: list[RuleOutcome] = []
        try:
            # the rules always get a short floor: a report of what the analyzers finished is
            # worth little without the findings on it (total: the budget plus the floor)
            with budget.limit("rule evaluation", RULES_FLOOR_SECONDS):
                for rule in self._active:
                    out.append(rule.outcome(env))
        except DeadlineExceeded:
            reason = f"{RAN_OUT} (rule evaluation)"
            out += [
                RuleOutcome(r.id, Outcome.NOT_EVALUATED, missing=(reason,))
                for r in self._active[len(out) :]
            ]
        return out

    def get(self, rule_id: str) -> CompiledRule:
        """The enabled rule ``rule_id``; KeyError names the closest id when it is unknown."""
        rule = self._by_id.get(rule_id)
        if rule is None:
            raise KeyError(f"no enabled rule '{rule_id}'{did_you_mean(rule_id, self._by_id)}")
        return rule

    def not_evaluated(self, outcomes: Sequence[RuleOutcome], facts: FactSet) -> list[NotEvaluated]:
        """The rules that could not be evaluated, with their missing paths and the reasons."""
        env = Env(facts, self._families)
        out = []
        for outcome in outcomes:
            if outcome.outcome is not Outcome.NOT_EVALUATED:
                continue
            reasons = []
            for path in outcome.missing:
                spec = self.catalogue.get(path)
                reason = env.reason(path, spec.family) if spec is not None else path
                if reason not in reasons:
                    reasons.append(reason)
            title = (
                self._by_id[outcome.rule_id].info.title if outcome.rule_id in self._by_id else ""
            )
            out.append(NotEvaluated(outcome.rule_id, title, outcome.missing, tuple(reasons)))
        return out
