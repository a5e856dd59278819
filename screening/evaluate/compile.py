"""Stage 4 (evaluate): compiling one validated rule file into a ``CompiledRule``.

The schema checks the shape of the file; here everything that depends on the fact catalogue or
the pack is checked and resolved once: selections (their keys through ``keys``), the condition,
evidence paths, the explain sentence and the embedded tests (through ``cases``). Every problem is
collected with its line and column, and parts that are still readable after a schema error are
checked too, so an author sees all problems in one run.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from screening.errors import RuleProblem
from screening.evaluate.cases import compile_cases, fact_paths
from screening.evaluate.condition import (
    KEYWORDS,
    NAME,
    Condition,
    ConditionError,
    compile_condition,
)
from screening.evaluate.explain import parse_explain
from screening.evaluate.keys import KeyCompiler
from screening.evaluate.matcher import AndMap, Group, KeyMatcher, Selection
from screening.evaluate.messages import describe, schema_problems
from screening.evaluate.packs import LoadedPack
from screening.evaluate.rule import CaseSpec, CompiledRule, LintData
from screening.evaluate.schema import RULE_ID, RuleModel
from screening.evaluate.yaml_files import Locator, Reporter
from screening.model.facts import FactCatalogue
from screening.model.findings import RuleInfo, RuleStatus
from screening.safeload import DocPath


def expected_id(file: Path) -> str:
    """The id a rule file must declare: ``<folder>.<file stem>``."""
    return f"{file.parent.name}.{file.stem}"


def compile_rule(
    data: dict[str, object],
    locator: Locator,
    file: Path,
    pack: LoadedPack,
    catalogue: FactCatalogue,
) -> tuple[CompiledRule | None, list[RuleProblem]]:
    """Compile one rule file's data; the rule is None when any problem was found."""
    rule_id = expected_id(file)
    rep = Reporter(file, rule_id, locator, [])
    model: RuleModel | None = None
    bad: set[DocPath] = set()
    try:
        model = RuleModel.model_validate(data)
    except ValidationError as exc:
        for problem in schema_problems(exc, RuleModel):
            (rep.key if problem.at_key else rep.value)(problem.path, problem.message)
            bad.add(problem.path[:1] if len(problem.path) == 1 else problem.path[:2])
    _check_id(data, rule_id, rep, bad)
    compiler = _Compiler(rep, pack, catalogue)
    match = data.get("match")
    selections: list[Selection] = []
    condition: Condition | None = None
    if ("match",) not in bad and isinstance(match, dict):
        selections, condition = compiler.match(match)
    evidence = (
        ()
        if ("evidence",) in bad
        else fact_paths(data.get("evidence"), ("evidence",), rep, catalogue)
    )
    validated = list(model.tests) if model is not None else None
    tests = compile_cases(data.get("tests"), bad, validated, rep, catalogue)
    _check_status(data, rep, bad)
    if rep.problems or model is None or condition is None:
        return None, rep.problems
    return _build(model, file, pack, selections, condition, evidence, tests, compiler, locator), []


def _check_id(data: dict[str, object], rule_id: str, rep: Reporter, bad: set[DocPath]) -> None:
    if not re.fullmatch(RULE_ID, rule_id):
        rep.value(
            ("id",),
            f"the file path gives the rule id '{rule_id}', which is not kebab-case: rename the "
            "folder or file (lowercase letters, digits and '-')",
        )
        return
    given = data.get("id")
    if ("id",) not in bad and isinstance(given, str) and given != rule_id:
        rep.value(
            ("id",),
            f"id: expected '{rule_id}' (the folder and file name), got '{given}'; "
            f"write 'id: {rule_id}' or rename the file",
        )


def _check_status(data: dict[str, object], rep: Reporter, bad: set[DocPath]) -> None:
    """Requirements that depend on the status (checked on the raw data to report them all)."""
    if ("status",) in bad or data.get("status") not in {s.value for s in RuleStatus}:
        return
    status = RuleStatus(str(data["status"]))
    guidance = data.get("guidance")
    if status is RuleStatus.STABLE and ("guidance",) not in bad and not guidance:
        rep.value(
            ("status",),
            "missing required key 'guidance' for a stable rule: what the reviewer should check "
            "next",
        )
    references = data.get("references")
    if status is not RuleStatus.EXPERIMENTAL and ("references",) not in bad and not references:
        rep.value(
            ("references",) if "references" in data else ("status",),
            f"references: a {status.value} rule needs at least 1 public source "
            "(only experimental rules may have none)",
        )


class _Compiler:
    """Compiles the ``match`` block: selections, their keys, and the condition."""

    def __init__(self, rep: Reporter, pack: LoadedPack, catalogue: FactCatalogue) -> None:
        self.rep = rep
        self.catalogue = catalogue
        self.keys = KeyCompiler(rep, pack, catalogue)
        self.unused: list[tuple[str, int | None]] = []

    def match(self, match: dict[str, object]) -> tuple[list[Selection], Condition | None]:
        selections: list[Selection] = []
        names: list[str] = []
        for name, body in match.items():
            if name == "condition":
                continue
            where: DocPath = ("match", name)
            if not NAME.fullmatch(name) or name in KEYWORDS:
                why = (
                    "is a word of the condition language"
                    if name in KEYWORDS
                    else "must be lowercase letters, digits and '_', starting with a letter"
                )
                self.rep.key(where, f"match: selection name '{name}' {why}")
                continue
            names.append(name)
            selection = self.selection(name, body, where)
            if selection is not None:
                selections.append(selection)
        text = match.get("condition")
        if not isinstance(text, str):
            return selections, None
        try:
            condition = compile_condition(text, names)
        except ConditionError as exc:
            where = ("match", "condition")
            line, _ = self.rep.locator.value(where)
            column = self.rep.locator.text_column(where, text, exc.column)
            self.rep.at(
                self.rep.file,
                line,
                column,
                f"match.condition: {exc.message} (column {exc.column} of '{text}')",
            )
            return selections, None
        for name in names:
            if name not in condition.used:
                self.unused.append((name, self.rep.locator.key(("match", name))[0]))
        return selections, condition

    def selection(self, name: str, body: object, where: DocPath) -> Selection | None:
        label = f"match.{name}"
        if isinstance(body, dict):
            bodies: list[tuple[DocPath, str, object]] = [(where, label, body)]
        elif isinstance(body, list) and body:
            bodies = [((*where, i), f"{label}[{i}]", b) for i, b in enumerate(body)]
        else:
            self.rep.value(
                where,
                f"{label}: expected a mapping of keys or a non-empty list of mappings, got "
                f"{describe(body)}",
            )
            return None
        maps: list[AndMap] = []
        ok = True
        for path, map_label, mapping in bodies:
            if not isinstance(mapping, dict) or not mapping:
                self.rep.value(
                    path,
                    f"{map_label}: expected a mapping of at least one key, got "
                    f"{describe(mapping) if mapping != {} else 'an empty mapping'}",
                )
                ok = False
                continue
            keys: list[KeyMatcher] = []
            for key_text, value in mapping.items():
                matcher = self.keys.key((*path, key_text), map_label, key_text, value)
                if matcher is None:
                    ok = False
                else:
                    keys.append(matcher)
            maps.append(AndMap(_groups(keys, self.catalogue)))
        if not ok:
            return None
        return Selection(name, tuple(maps), self.rep.locator.key(where)[0])


def _groups(keys: list[KeyMatcher], catalogue: FactCatalogue) -> tuple[Group, ...]:
    by_namespace: dict[str, list[KeyMatcher]] = {}
    for key in keys:
        by_namespace.setdefault(catalogue.facts[key.path].namespace, []).append(key)
    groups = []
    for namespace, members in by_namespace.items():
        sources = [s for k in members for s in k.sources()]
        groups.append(
            Group(
                namespace,
                tuple(members),
                frozenset(f for _, f in sources),
                tuple(dict.fromkeys(p for p, _ in sources)),
            )
        )
    return tuple(groups)


def _build(
    model: RuleModel,
    file: Path,
    pack: LoadedPack,
    selections: list[Selection],
    condition: Condition,
    evidence: tuple[str, ...],
    tests: tuple[CaseSpec, ...],
    compiler: _Compiler,
    locator: Locator,
) -> CompiledRule:
    catalogue = compiler.catalogue
    explain = parse_explain(model.explain)
    known = [p for p in explain.placeholders if p in catalogue]
    read: list[str] = []
    for selection in selections:
        for mapping in selection.maps:
            for group in mapping.groups:
                read.extend(group.paths)
    paths = frozenset(read) | frozenset(evidence) | frozenset(known)
    sensitive = tuple(sorted(p for p in paths if catalogue.facts[p].sensitive))
    info = RuleInfo(
        id=model.id,
        title=model.title,
        category=model.category,
        severity=model.severity,
        status=model.status,
        weight=0.0 if model.status is RuleStatus.EXPERIMENTAL else model.weight,
        default_weight=model.weight,
        description=model.description,
        guidance=model.guidance or "",
        references=tuple(model.references),
        falsepositives=tuple(model.falsepositives),
        pack=pack.id,
        evasion=tuple(model.evasion),
    )
    return CompiledRule(
        info=info,
        source=file,
        pack=pack.id,
        selections=tuple(selections),
        condition=condition,
        explain=explain,
        evidence_paths=evidence,
        tests=tests,
        fact_paths=paths,
        families=frozenset(catalogue.facts[p].family for p in paths),
        model=model,
        positions=locator.loaded.positions,
        lint=LintData(
            unused_selections=tuple(compiler.unused),
            single_value_all=tuple(compiler.keys.single_all),
            sensitive_paths=sensitive,
        ),
        justification=pack.justification,
        positive=tuple(i for i, s in enumerate(selections) if s.name in condition.positive),
    )
