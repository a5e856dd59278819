"""Stage 4 (evaluate): a compiled rule, ready to evaluate against any number of FactSets.

Everything a rule needs at evaluation time was resolved when it loaded: its selections are
closures, its condition is a closure, its explain sentence is split into parts. Evaluation reads
each selection at most once, stops early when a conjunction is already false, and only gathers
evidence (or missing paths) when the outcome needs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from screening.evaluate.condition import Condition, Tri
from screening.evaluate.explain import Explain
from screening.evaluate.matcher import Env, Selection
from screening.evaluate.schema import RuleModel
from screening.model.facts import FactSet, FactValue, Record
from screening.model.findings import Evidence, Outcome, RuleInfo, RuleOutcome, RuleStatus
from screening.safeload import Path as DocPath

_UNSET = object()


@dataclass(frozen=True, slots=True)
class CaseSpec:
    """One embedded test case of a rule, validated against the catalogue at load time."""

    name: str
    facts: Mapping[str, object]
    unavailable: tuple[str, ...]
    expect: Outcome
    expect_evidence: tuple[str, ...] = ()
    todo: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class LintData:
    """What the loader noticed that lint reports (issues, not errors)."""

    unused_selections: tuple[tuple[str, int | None], ...] = ()
    single_value_all: tuple[tuple[str, int | None], ...] = ()
    sensitive_paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class CompiledRule:
    """A loaded rule: what reports show (``info``), where it came from, and its logic."""

    info: RuleInfo
    source: Path
    pack: str
    selections: tuple[Selection, ...]
    condition: Condition
    explain: Explain
    evidence_paths: tuple[str, ...]
    tests: tuple[CaseSpec, ...]
    fact_paths: frozenset[str]
    families: frozenset[str]
    model: RuleModel
    positions: Mapping[DocPath, tuple[int, int]] = field(repr=False)
    lint: LintData = LintData()
    justification: str | None = None
    positive: tuple[int, ...] = ()
    _no_match: RuleOutcome = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_no_match", RuleOutcome(self.info.id, Outcome.NO_MATCH))

    def _direct(self, i: int, env: Env) -> Tri:
        return self.selections[i].evaluate(env)

    @property
    def id(self) -> str:
        """The rule id (``<folder>.<file stem>``)."""
        return self.info.id

    @property
    def status(self) -> RuleStatus:
        """The rule's maturity."""
        return self.info.status

    def line_of(self, path: DocPath) -> int | None:
        """The line of a key of the rule file (or of its nearest parent)."""
        p = tuple(path)
        while p:
            if p in self.positions:
                return self.positions[p][0]
            p = p[:-1]
        return None

    def evaluate(self, facts: FactSet) -> RuleOutcome:
        """The outcome of this rule alone on ``facts`` (a RuleSet evaluates many at once)."""
        return self.outcome(Env(facts, self.families))

    def outcome(self, env: Env) -> RuleOutcome:
        """Evaluate on a prepared environment.

        The common no-match case runs the condition straight over the selections and returns a
        shared outcome; a match or unknown result is evaluated again with every selection's
        value remembered, to gather evidence or missing paths from exactly the selections the
        condition read.
        """
        if self.condition.evaluate(self._direct, env) is False:
            return self._no_match
        selections = self.selections
        memo: list[object] = [_UNSET] * len(selections)

        def get(i: int, env: Env) -> Tri:
            value = memo[i]
            if value is _UNSET:
                value = memo[i] = selections[i].evaluate(env)
            return value  # type: ignore[return-value]

        result = self.condition.evaluate(get, env)
        if result is None:
            missing: dict[str, str] = {}
            for i, selection in enumerate(selections):
                if memo[i] is None:
                    selection.unknown_paths(env, missing)
            return RuleOutcome(self.info.id, Outcome.NOT_EVALUATED, missing=tuple(missing))
        evidence = self._evidence(env, memo)
        text = self.explain.render(evidence, lambda path: _values(env, path))
        return RuleOutcome(self.info.id, Outcome.MATCH, evidence=evidence, explain=text)

    def _evidence(self, env: Env, memo: list[object]) -> tuple[Evidence, ...]:
        found: list[tuple[str, FactValue]] = []
        matched: dict[str, list[Record]] = {}
        for i in self.positive:
            if memo[i] is True:
                self.selections[i].collect(env, found, matched)
        for path in self.evidence_paths:
            namespace, _, key = path.partition(".")
            for record in matched.get(namespace) or env.records.get(namespace) or ():
                value = record.get(key)
                if value is not None:
                    found.append((path, value))
        unique: list[tuple[str, FactValue]] = []
        for item in found:
            if item not in unique:
                unique.append(item)
        return tuple(Evidence(path, value) for path, value in unique)


def _values(env: Env, path: str) -> list[FactValue]:
    namespace, _, key = path.partition(".")
    return [r[key] for r in env.records.get(namespace, ()) if r.get(key) is not None]
