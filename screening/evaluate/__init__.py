"""Stage 4 of 6 (evaluate): rule packs x FactSet -> rule outcomes.

Rules read facts; analyzers compute them. This package loads rule packs (YAML, closed schema,
validated against the fact catalogue), compiles each rule once, evaluates every enabled rule
against an application's FactSet in three-valued logic (``match``, ``no_match``,
``not_evaluated`` with the missing paths), lints rules, and runs the tests embedded in them.

Flow inside the stage: ``packs`` finds packs, ``yaml_files`` reads YAML safely, ``schema`` checks
the shape (``token_specs`` the tokens of phrase patterns), ``pattern_files`` reads the packs'
phrase patterns for the language analyzer, ``compile`` resolves keys (``modifiers``), the
condition (``condition``) and tests (``factsbuilder``) into a ``CompiledRule`` (``rule``,
``matcher``, ``explain``); ``loader`` is the one pack loader (``read_packs`` for manifests and
patterns, ``load_ruleset`` for the ``RuleSet``); ``lint`` and ``ruletests`` check rules without
an application.

The public names are imported on first use, so ``python -m screening.evaluate.schema`` (which
regenerates the schemas in ``rules/schema/``) runs without importing its own module twice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from screening.evaluate.factsbuilder import facts_from_dotted
    from screening.evaluate.knownfps import KnownFP, load_known_fps
    from screening.evaluate.lint import lint_ruleset
    from screening.evaluate.lint_issues import LintIssue, LintSeverity
    from screening.evaluate.loader import (
        PackSet,
        load_packs,
        load_patterns,
        load_ruleset,
        read_packs,
    )
    from screening.evaluate.rule import CaseSpec, CompiledRule
    from screening.evaluate.ruleset import RuleSet
    from screening.evaluate.ruletests import (
        RuleCase,
        RuleTestResult,
        iter_rule_cases,
        run_rule_tests,
    )
    from screening.evaluate.schema import export_schema

_HOMES = {
    "CaseSpec": "rule",
    "CompiledRule": "rule",
    "KnownFP": "knownfps",
    "LintIssue": "lint_issues",
    "LintSeverity": "lint_issues",
    "RuleCase": "ruletests",
    "RuleSet": "ruleset",
    "RuleTestResult": "ruletests",
    "export_schema": "schema",
    "facts_from_dotted": "factsbuilder",
    "iter_rule_cases": "ruletests",
    "lint_ruleset": "lint",
    "load_known_fps": "knownfps",
    "load_ruleset": "loader",
    "load_packs": "loader",
    "load_patterns": "loader",
    "PackSet": "loader",
    "read_packs": "loader",
    "run_rule_tests": "ruletests",
}

__all__ = [
    "CaseSpec",
    "CompiledRule",
    "KnownFP",
    "LintIssue",
    "LintSeverity",
    "PackSet",
    "RuleCase",
    "RuleSet",
    "RuleTestResult",
    "export_schema",
    "facts_from_dotted",
    "iter_rule_cases",
    "lint_ruleset",
    "load_known_fps",
    "load_packs",
    "load_patterns",
    "load_ruleset",
    "read_packs",
    "run_rule_tests",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'screening.evaluate' has no attribute {name!r}")
    return getattr(importlib.import_module(f"screening.evaluate.{home}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
