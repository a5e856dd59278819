"""Stage 4 (evaluate): building a FactSet from a small dotted mapping, for rule tests.

Rule tests (and the project's own tests, through ``screening.testing``) describe an application by
its facts, not by an application file: ``{phones.line_type: voip, identity.claimed_country: DE}``
or ``{phones: [{line_type: voip}, {line_type: mobile}]}``. Every family in the catalogue is
``ok`` unless listed as unavailable, so a fact not given is *absent*, never unknown; values are
checked against the catalogue types so a test cannot pass by comparing the wrong type.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from screening.errors import unknown
from screening.evaluate.messages import describe, did_you_mean
from screening.evaluate.values import ValueProblem, fact_value
from screening.model.facts import FactCatalogue, FactSet, FamilyResult, Record
from screening.safeload import DocPath, dotted

UNAVAILABLE_REASON = "marked unavailable in the test"


@dataclass(frozen=True, slots=True)
class FactsProblem:
    """A problem in test facts, located by its path; ``at_key`` when the key itself is wrong."""

    path: DocPath
    message: str
    at_key: bool = False


def facts_from_dotted(
    facts: Mapping[str, object], catalogue: FactCatalogue, unavailable: Sequence[str] = ()
) -> FactSet:
    """A FactSet holding ``facts``; ``unavailable`` lists families, namespaces or fact paths.

    Raises ValueError naming every problem (unknown path, wrong type, unknown family).
    """
    built, problems = check_facts(facts, catalogue, unavailable)
    if problems:
        raise ValueError("; ".join(f"{dotted(p.path)}: {p.message}" for p in problems))
    return built


def check_facts(
    facts: Mapping[str, object], catalogue: FactCatalogue, unavailable: Sequence[str] = ()
) -> tuple[FactSet, list[FactsProblem]]:
    """The FactSet and every problem found, each located by its path (``facts.<key>`` ...)."""
    problems: list[FactsProblem] = []
    records: dict[str, list[Record]] = {}
    dotted_keys: list[tuple[str, object]] = []
    for key, value in facts.items():
        if key in catalogue.namespaces:
            records[key] = _records(key, value, catalogue, problems)
        else:
            dotted_keys.append((key, value))
    for key, value in dotted_keys:
        spec = catalogue.get(key)
        if spec is None:
            problems.append(FactsProblem(("facts", key), _unknown(key, catalogue), at_key=True))
            continue
        try:
            converted = fact_value(value, spec)
        except ValueProblem as exc:
            problems.append(FactsProblem(("facts", key), str(exc)))
            continue
        namespace = records.setdefault(spec.namespace, [])
        if not namespace:
            namespace.append({})
        namespace[0][spec.key] = converted
    down, missing = _unavailable(unavailable, catalogue, records, problems)
    return _factset(catalogue, records, down, missing), problems


def _records(
    namespace: str, value: object, catalogue: FactCatalogue, problems: list[FactsProblem]
) -> list[Record]:
    items = [value] if isinstance(value, Mapping) else value
    if not isinstance(items, list):
        problems.append(
            FactsProblem(("facts", namespace), f"expected a list of records, got {describe(value)}")
        )
        return []
    if len(items) > 1 and not catalogue.namespaces[namespace].many:
        problems.append(
            FactsProblem(("facts", namespace), f"{namespace} holds one record, got {len(items)}")
        )
    out: list[Record] = []
    for i, item in enumerate(items):
        if not isinstance(item, Mapping):
            problems.append(
                FactsProblem(
                    ("facts", namespace, i), f"expected a mapping of facts, got {describe(item)}"
                )
            )
            continue
        record: Record = {}
        for key, raw in item.items():
            path = f"{namespace}.{key}"
            spec = catalogue.get(path)
            if spec is None:
                problems.append(
                    FactsProblem(("facts", namespace, i, str(key)), _unknown(path, catalogue), True)
                )
                continue
            try:
                record[spec.key] = fact_value(raw, spec)
            except ValueProblem as exc:
                problems.append(FactsProblem(("facts", namespace, i, str(key)), str(exc)))
        out.append(record)
    return out


def _unavailable(
    entries: Sequence[str],
    catalogue: FactCatalogue,
    records: Mapping[str, list[Record]],
    problems: list[FactsProblem],
) -> tuple[set[str], set[str]]:
    families = _families(catalogue)
    down: set[str] = set()
    missing: set[str] = set()
    for j, entry in enumerate(entries):
        where: DocPath = ("unavailable", j)
        if entry in families:
            down.add(entry)
            given = [ns for ns in records if catalogue.namespaces[ns].family == entry]
            if given:
                problems.append(
                    FactsProblem(
                        where,
                        f"family '{entry}' is marked unavailable but facts are given for "
                        f"{', '.join(sorted(given))}: remove those facts or this entry",
                    )
                )
            continue
        paths = [p for p in catalogue.facts if p == entry or p.startswith(entry + ".")]
        if not paths:
            candidates = sorted(families | set(catalogue.namespaces) | set(catalogue.facts))
            hint = did_you_mean(entry, candidates)
            problems.append(
                FactsProblem(where, f"'{entry}' is not a family, namespace or fact path{hint}")
            )
            continue
        for path in paths:
            spec = catalogue.facts[path]
            if any(r.get(spec.key) is not None for r in records.get(spec.namespace, ())):
                problems.append(
                    FactsProblem(where, f"{path} is marked unavailable but a value is given for it")
                )
        missing.update(paths)
    return down, missing


def _families(catalogue: FactCatalogue) -> set[str]:
    return catalogue.families() | {ns.family for ns in catalogue.namespaces.values()}


def _factset(
    catalogue: FactCatalogue,
    records: Mapping[str, list[Record]],
    down: set[str],
    missing: set[str],
) -> FactSet:
    facts = FactSet()
    for family in sorted(_families(catalogue)):
        if family in down:
            facts.add(family, FamilyResult.unavailable(UNAVAILABLE_REASON))
            continue
        facts.add(
            family,
            FamilyResult(
                records={
                    ns: recs
                    for ns, recs in records.items()
                    if catalogue.namespaces[ns].family == family
                },
                missing={
                    p: UNAVAILABLE_REASON for p in missing if catalogue.facts[p].family == family
                },
            ),
        )
    return facts


def _unknown(path: str, catalogue: FactCatalogue) -> str:
    candidates = list(catalogue.facts) if "." in path else list(catalogue.namespaces)
    return unknown("fact path", path, candidates)
