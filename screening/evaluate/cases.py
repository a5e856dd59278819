"""Stage 4 (evaluate): checking the tests embedded in a rule when the rule loads.

A test case names facts by catalogue path; a misspelt path or a value of the wrong type would
make the case test nothing, so every case is checked against the catalogue at load time (with the
line it was written on) and kept as a ``CaseSpec`` for ``ruletests`` to run.
"""

from __future__ import annotations

from screening.evaluate.factsbuilder import check_facts
from screening.evaluate.rule import CaseSpec
from screening.evaluate.schema import CaseModel
from screening.evaluate.yaml_files import Reporter
from screening.model.facts import FactCatalogue
from screening.safeload import DocPath, dotted


def fact_paths(
    raw: object, where: DocPath, rep: Reporter, catalogue: FactCatalogue
) -> tuple[str, ...]:
    """The catalogue paths of a list of paths (``evidence``, ``expect_evidence``)."""
    if not isinstance(raw, list):
        return ()
    out = []
    for i, path in enumerate(raw):
        spot = (*where, i)
        if isinstance(path, str) and rep.fact(catalogue, path, spot, dotted(spot)):
            out.append(path)
    return tuple(out)


def compile_cases(
    raw: object,
    bad: set[DocPath],
    validated: list[CaseModel] | None,
    rep: Reporter,
    catalogue: FactCatalogue,
) -> tuple[CaseSpec, ...]:
    """The rule's test cases; ``validated`` are the schema-checked cases when the file was valid."""
    if ("tests",) in bad or not isinstance(raw, list):
        return ()
    out: list[CaseSpec] = []
    names: set[str] = set()
    for i, item in enumerate(raw):
        where: DocPath = ("tests", i)
        if where in bad:
            continue
        case = validated[i] if validated is not None else CaseModel.model_validate(item)
        if case.name in names:
            rep.value(
                (*where, "name"),
                f"tests[{i}].name: '{case.name}' is used by another test of this rule",
            )
        names.add(case.name)
        _, problems = check_facts(case.facts, catalogue, case.unavailable)
        for p in problems:
            message = f"tests[{i}].{dotted(p.path)}: {p.message}"
            (rep.key if p.at_key else rep.value)(where + p.path, message)
        evidence = fact_paths(case.expect_evidence, (*where, "expect_evidence"), rep, catalogue)
        out.append(
            CaseSpec(
                case.name,
                case.facts,
                tuple(case.unavailable),
                case.expect,
                evidence,
                case.todo,
                rep.locator.value(where)[0],
            )
        )
    return tuple(out)
