"""Stage 4 (evaluate): the list of accepted false positives on the benign corpus.

No ``stable`` rule may match an application of the benign corpus unless the match is written down
in ``rules/known-fps.yml`` with a reason (Sigma's "goodlog" gate). The file is data a reviewer
edits, so it is validated like a rule file: every entry needs a rule id, a case and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from screening.errors import RulePackError, RuleProblem
from screening.evaluate.messages import describe, schema_problems
from screening.evaluate.schema import KnownFPModel
from screening.evaluate.yaml_files import read_yaml


@dataclass(frozen=True, slots=True)
class KnownFP:
    """A benign-corpus case that a rule is allowed to match, and why."""

    rule: str
    case: str
    reason: str
    line: int | None = None


def load_known_fps(path: Path) -> list[KnownFP]:
    """Read and validate ``known-fps.yml``; raises RulePackError listing every problem."""
    entries, problems = read_known_fps(path)
    if problems:
        raise RulePackError(problems)
    return entries


def read_known_fps(path: Path) -> tuple[list[KnownFP], list[RuleProblem]]:
    """The valid entries and the problems of ``known-fps.yml`` (a missing file has neither)."""
    problems: list[RuleProblem] = []
    if not path.exists():
        return [], []
    read = read_yaml(path, problems)
    if read is None:
        return [], problems
    data, locator = read
    if data is None:
        return [], []
    if not isinstance(data, list):
        problems.append(
            RuleProblem(
                str(path),
                f"expected a list of {{rule, case, reason}} entries, got {describe(data)}",
                *locator.value(()),
            )
        )
        return [], problems
    entries: list[KnownFP] = []
    seen: dict[tuple[str, str], int] = {}
    for i, item in enumerate(data):
        try:
            model = KnownFPModel.model_validate(item)
        except ValidationError as exc:
            for problem in schema_problems(exc, KnownFPModel):
                where = (i, *problem.path)
                spot = locator.key(where) if problem.at_key else locator.value(where)
                problems.append(RuleProblem(str(path), f"[{i}] {problem.message}", *spot))
            continue
        line, column = locator.value((i,))
        pair = (model.rule, model.case)
        if pair in seen:
            problems.append(
                RuleProblem(
                    str(path),
                    f"[{i}] rule {model.rule} on case {model.case} is already listed as entry "
                    f"[{seen[pair]}]",
                    line,
                    column,
                    model.rule,
                )
            )
            continue
        seen[pair] = i
        entries.append(KnownFP(model.rule, model.case, model.reason, line))
    return entries, problems
