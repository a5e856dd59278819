"""Stage 4 (evaluate): a compiled rule, ready to evaluate against any number of FactSets.

Everything a rule needs at evaluation time was resolved when it loaded: its selections are
closures, its condition is a closure, its explain sentence is split into parts. A no-match (the
common case) is decided in one pass that stops early when a conjunction is already false, and
returns a shared outcome; only a match or an unknown result pays for a second pass that remembers
each selection's value and gathers evidence or missing paths.
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
from screening.safeload import DocPath

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
    """A loaded rule: what reports show (``info``), where it came from, and its logic.

    ``fact_paths`` are every catalogue path the rule reads or shows (selections, fieldref
    targets, ``evidence``, explain placeholders) and ``families`` their analyzer families;
    ``positive`` indexes the selections the condition reads outside an odd number of ``not``.
    """

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
    _shown: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_no_match", RuleOutcome(self.info.id, Outcome.NO_MATCH))
        shown = (*self.evidence_paths, *self.explain.placeholders)
        object.__setattr__(self, "_shown", tuple(dict.fromkeys(shown)))

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
        selections = self.selections
        memo: list[object] = [_UNSET] * len(selections)
        single = self.condition.single
        if single is not None:
            result = memo[single] = selections[single].evaluate(env)
            if result is False:
                return self._no_match
        else:
            if self.condition.evaluate(self._direct, env) is False:
                return self._no_match

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
        evidence, by_path = self._evidence(env, memo)
        text = self.explain.render(by_path)
        return RuleOutcome(self.info.id, Outcome.MATCH, evidence=evidence, explain=text)

    def _evidence(
        self, env: Env, memo: list[object]
    ) -> tuple[tuple[Evidence, ...], dict[str, list[FactValue]]]:
        """Evidence of a match, and its values by path (for the explain sentence).

        Keys that held in positively read selections come first, with the records that
        satisfied them; then the rule's ``evidence`` paths and the explain placeholders, read
        from those records when they share a namespace, else from every record.
        """
        found: list[tuple[str, FactValue]] = []
        matched: dict[str, list[Record]] = {}
        for i in self.positive:
            if memo[i] is True:
                self.selections[i].collect(env, found, matched)
        broad: set[int] = set()  # context read from every record: it names none of them
        for path in self._shown:
            namespace, _, key = path.partition(".")
            records = matched.get(namespace)
            for record in records or env.records.get(namespace) or ():
                value = record.get(key)
                if value is not None:
                    if not records:
                        broad.add(len(found))
                    found.append((path, value))
        seen: set[tuple[str, object]] = set()
        evidence: list[Evidence] = []
        by_path: dict[str, list[FactValue]] = {}
        for n, (path, value) in enumerate(found):
            marker = (path, value if isinstance(value, str) else _hashable(value))
            if marker not in seen:
                seen.add(marker)
                evidence.append(Evidence(path, value, broad=n in broad))
                by_path.setdefault(path, []).append(value)
        return tuple(evidence), by_path


def _hashable(value: FactValue) -> object:
    if isinstance(value, list | tuple):
        return tuple(_hashable(v) for v in value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value
