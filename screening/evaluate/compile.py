"""Stage 4 (evaluate): compiling one validated rule file into a ``CompiledRule``.

The schema has already checked the shape of the file; here everything that depends on the fact
catalogue or the pack is checked and resolved once: selection keys (paths, modifiers, types,
values, lists), the condition, evidence paths, the explain sentence and the embedded tests. Every
problem is collected with its line and column so an author sees all of them in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import ValidationError

from screening.errors import RuleProblem
from screening.evaluate.condition import (
    KEYWORDS,
    NAME,
    Condition,
    ConditionError,
    compile_condition,
)
from screening.evaluate.documents import Locator
from screening.evaluate.explain import parse_explain
from screening.evaluate.factsbuilder import check_facts
from screening.evaluate.matcher import AndMap, Group, KeyMatcher, Selection
from screening.evaluate.messages import describe, did_you_mean, schema_problems
from screening.evaluate.modifiers import (
    KeySpec,
    check_ref,
    check_type,
    exists_test,
    normalizer,
    parse_key,
    ref_test,
    rule_value,
    static_test,
)
from screening.evaluate.packs import LIST_PLACEHOLDER, LoadedPack
from screening.evaluate.rule import CaseSpec, CompiledRule, LintData
from screening.evaluate.schema import RULE_ID, CaseModel, RuleModel
from screening.evaluate.values import ValueProblem
from screening.model.facts import FactCatalogue, FactSpec
from screening.model.findings import RuleInfo, RuleStatus
from screening.safeload import Path as DocPath
from screening.safeload import dotted

MAX_LIST_ERRORS = 5


def expected_id(file: Path) -> str:
    """The id a rule file must declare: ``<folder>.<file stem>``."""
    return f"{file.parent.name}.{file.stem}"


@dataclass(slots=True)
class _Reporter:
    file: Path
    rule_id: str
    locator: Locator
    problems: list[RuleProblem]

    def value(self, path: DocPath, message: str) -> None:
        self.problems.append(
            RuleProblem(str(self.file), message, *self.locator.value(path), self.rule_id)
        )

    def key(self, path: DocPath, message: str) -> None:
        self.problems.append(
            RuleProblem(str(self.file), message, *self.locator.key(path), self.rule_id)
        )


def compile_rule(
    data: dict[str, object],
    locator: Locator,
    file: Path,
    pack: LoadedPack,
    catalogue: FactCatalogue,
) -> tuple[CompiledRule | None, list[RuleProblem]]:
    """Compile one rule file's data; the rule is None when any problem was found."""
    rule_id = expected_id(file)
    rep = _Reporter(file, rule_id, locator, [])
    model: RuleModel | None = None
    bad: set[DocPath] = set()
    try:
        model = RuleModel.model_validate(data)
    except ValidationError as exc:
        for problem in schema_problems(exc, RuleModel):
            (rep.key if problem.at_key else rep.value)(problem.path, problem.message)
            bad.add(problem.path[:1] if len(problem.path) == 1 else problem.path[:2])
    _check_id(data, rule_id, rep, bad)
    compiler = _Compiler(rep, pack, catalogue, file)
    match = data.get("match")
    selections: list[Selection] = []
    condition: Condition | None = None
    if ("match",) not in bad and isinstance(match, dict):
        selections, condition = compiler.match(match)
    evidence = _paths(data.get("evidence"), ("evidence",), bad, compiler)
    tests = compiler.tests(data.get("tests"), bad)
    if model is not None:
        _check_status(model, rep)
    if rep.problems or model is None or condition is None:
        return None, rep.problems
    return _build(model, file, pack, selections, condition, evidence, tests, compiler, locator), []


def _check_id(data: dict[str, object], rule_id: str, rep: _Reporter, bad: set[DocPath]) -> None:
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


def _check_status(model: RuleModel, rep: _Reporter) -> None:
    if model.status is RuleStatus.STABLE and not model.guidance:
        rep.value(
            ("status",),
            "missing required key 'guidance' for a stable rule: what the reviewer should check "
            "next",
        )
    if model.status is not RuleStatus.EXPERIMENTAL and not model.references:
        rep.value(
            ("references",) if "references" in model.model_fields_set else ("status",),
            f"references: a {model.status.value} rule needs at least 1 public source "
            "(only experimental rules may have none)",
        )


def _paths(raw: object, where: DocPath, bad: set[DocPath], compiler: _Compiler) -> tuple[str, ...]:
    if where in bad or not isinstance(raw, list):
        return ()
    out = []
    for i, path in enumerate(raw):
        if isinstance(path, str) and compiler.fact(path, (*where, i), dotted((*where, i))):
            out.append(path)
    return tuple(out)


class _Compiler:
    def __init__(
        self, rep: _Reporter, pack: LoadedPack, catalogue: FactCatalogue, file: Path
    ) -> None:
        self.rep = rep
        self.pack = pack
        self.catalogue = catalogue
        self.file = file
        self.single_all: list[tuple[str, int | None]] = []
        self.unused: list[tuple[str, int | None]] = []

    def fact(self, path: str, where: DocPath, label: str, *, key: bool = False) -> FactSpec | None:
        spec = self.catalogue.get(path)
        if spec is None:
            message = f"{label}: {unknown_path(path, self.catalogue)}"
            (self.rep.key if key else self.rep.value)(where, message)
        return spec

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
            self.rep.problems.append(
                RuleProblem(
                    str(self.file),
                    f"match.condition: {exc.message} (column {exc.column} of '{text}')",
                    line,
                    column,
                    self.rep.rule_id,
                )
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
                matcher = self.key((*path, key_text), map_label, key_text, value)
                if matcher is None:
                    ok = False
                else:
                    keys.append(matcher)
            maps.append(AndMap(_groups(keys, self.catalogue)))
        if not ok:
            return None
        return Selection(name, tuple(maps), self.rep.locator.key(where)[0])

    def key(self, where: DocPath, label: str, text: str, value: object) -> KeyMatcher | None:
        try:
            spec = parse_key(text)
        except ValueProblem as exc:
            self.rep.key(where, f"{label}: key '{text}': {exc}")
            return None
        fact = self.fact(spec.path, where, label, key=True)
        if fact is None:
            return None
        try:
            check_type(spec, fact)
        except ValueProblem as exc:
            self.rep.key(where, f"{label}: key '{text}': {exc}")
            return None
        line = self.rep.locator.key(where)[0]
        prefix = f"{label}: key '{text}'"
        if value is None:
            if spec.op not in ("eq", "neq") or spec != KeySpec(spec.path, spec.op):
                self.rep.value(
                    where,
                    f"{prefix}: null only means absent ('{spec.path}: null') or present "
                    f"('{spec.path}|neq: null'); use '{spec.path}|exists: false' to be explicit",
                )
                return None
            spec, value = replace(spec, op="exists"), spec.op == "neq"
        if spec.op == "exists":
            if not isinstance(value, bool):
                self.rep.value(
                    where, f"{prefix}: 'exists' takes true or false, got {describe(value)}"
                )
                return None
            return KeyMatcher(
                text, fact.path, fact.key, fact.family, exists_test(fact.key, value), line=line
            )
        if spec.fieldref:
            return self.fieldref(where, prefix, text, spec, fact, value, line)
        values = self.values(where, prefix, spec, fact, value)
        if values is None:
            return None
        if spec.all and len(values) == 1:
            self.single_all.append((text, line))
        norm = normalizer(fact.type.element, spec.cased)
        test = static_test(fact.key, fact.type.is_list, norm, spec.op, values, spec.all)
        return KeyMatcher(text, fact.path, fact.key, fact.family, test, line=line)

    def fieldref(
        self,
        where: DocPath,
        prefix: str,
        text: str,
        spec: KeySpec,
        fact: FactSpec,
        value: object,
        line: int | None,
    ) -> KeyMatcher | None:
        if not isinstance(value, str):
            self.rep.value(
                where, f"{prefix}: 'fieldref' takes one fact path, got {describe(value)}"
            )
            return None
        ref = self.fact(value, where, prefix)
        if ref is None:
            return None
        try:
            check_ref(spec, fact, ref)
        except ValueProblem as exc:
            self.rep.value(where, f"{prefix}: {exc}")
            return None
        same = ref.namespace == fact.namespace
        test = ref_test(
            fact.key,
            normalizer(fact.type.element, spec.cased),
            spec.op,
            spec.all,
            ref.key if same else None,
            ref.path,
            normalizer(ref.type.element, spec.cased),
        )
        return KeyMatcher(
            text,
            fact.path,
            fact.key,
            fact.family,
            test,
            ref_path=ref.path,
            ref_family=ref.family,
            ref_key=ref.key if same else None,
            line=line,
        )

    def values(
        self, where: DocPath, prefix: str, spec: KeySpec, fact: FactSpec, value: object
    ) -> list[object] | None:
        if isinstance(value, dict):
            self.rep.value(where, f"{prefix}: expected a value or a list of values, got a mapping")
            return None
        items = value if isinstance(value, list) else [value]
        if not items:
            self.rep.value(
                where, f"{prefix}: an empty list matches nothing; give at least one value"
            )
            return None
        out: list[object] = []
        ok = True
        for i, item in enumerate(items):
            at = (*where, i) if isinstance(value, list) else where
            if item is None or isinstance(item, list | dict):
                self.rep.value(at, f"{prefix}: expected a single value, got {describe(item)}")
                ok = False
                continue
            if spec.expand:
                expanded = self.expand(at, prefix, spec, fact, item)
                ok = ok and expanded is not None
                out.extend(expanded or ())
                continue
            try:
                out.append(rule_value(spec, fact, item))
            except ValueProblem as exc:
                self.rep.value(at, f"{prefix}: {exc}")
                ok = False
        return out if ok else None

    def expand(
        self, where: DocPath, prefix: str, spec: KeySpec, fact: FactSpec, item: object
    ) -> list[object] | None:
        match = LIST_PLACEHOLDER.fullmatch(item) if isinstance(item, str) else None
        if match is None:
            self.rep.value(
                where,
                f"{prefix}: with 'expand' each value is a list name such as "
                f"'%disposable_domains%', got {describe(item)}",
            )
            return None
        try:
            lines = self.pack.lists.get(match.group(1))
        except ValueProblem as exc:
            self.rep.value(where, f"{prefix}: {exc}")
            return None
        if not lines:
            self.rep.value(where, f"{prefix}: list '{item}' is empty")
            return None
        out: list[object] = []
        errors = 0
        list_file = self.pack.lists.path(match.group(1))
        for number, line in lines:
            try:
                out.append(rule_value(spec, fact, line, from_list=True))
            except ValueProblem as exc:
                errors += 1
                if errors <= MAX_LIST_ERRORS:
                    self.rep.problems.append(
                        RuleProblem(
                            str(list_file),
                            f"{exc} (expanded by '{spec.path}' in {self.file.name})",
                            number,
                            1,
                            self.rep.rule_id,
                        )
                    )
        return None if errors else out

    def tests(self, raw: object, bad: set[DocPath]) -> tuple[CaseSpec, ...]:
        if ("tests",) in bad or not isinstance(raw, list):
            return ()
        out: list[CaseSpec] = []
        names: set[str] = set()
        for i, item in enumerate(raw):
            where: DocPath = ("tests", i)
            if where in bad:
                continue
            case = CaseModel.model_validate(item)
            if case.name in names:
                self.rep.value(
                    (*where, "name"),
                    f"tests[{i}].name: '{case.name}' is used by another test of this rule",
                )
            names.add(case.name)
            _, problems = check_facts(case.facts, self.catalogue, case.unavailable)
            for p in problems:
                message = f"tests[{i}].{dotted(p.path)}: {p.message}"
                (self.rep.key if p.at_key else self.rep.value)(where + p.path, message)
            evidence = _paths(case.expect_evidence, (*where, "expect_evidence"), bad, self)
            out.append(
                CaseSpec(
                    case.name,
                    case.facts,
                    tuple(case.unavailable),
                    case.expect,
                    evidence,
                    case.todo,
                    self.rep.locator.value(where)[0],
                )
            )
        return tuple(out)


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


def unknown_path(path: str, catalogue: FactCatalogue) -> str:
    """Message for a path that is not in the catalogue, with the closest one."""
    hint = did_you_mean(path, catalogue.facts) or "; 'screening facts list' shows every fact"
    return f"unknown fact path '{path}'{hint}"


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
            single_value_all=tuple(compiler.single_all),
            sensitive_paths=sensitive,
        ),
        justification=pack.justification,
        positive=tuple(i for i, s in enumerate(selections) if s.name in condition.positive),
    )
