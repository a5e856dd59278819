"""Stage 4 (evaluate): lint for phrase patterns that load but prove nothing or feed no rule.

Pattern files are validated when the packs load (``pattern_files``); these are issues, not
errors: a signal file without example sentences has no proof that its wording matches, and a
signal no loaded rule reads produces facts nobody scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from screening.analyze.language.patterns import PatternSet
from screening.evaluate.lint_issues import LintIssue, LintSeverity
from screening.evaluate.rule import CompiledRule

SIGNAL_PATH = "phrases.signal"


def lint_patterns(patterns: PatternSet, rules: Iterable[CompiledRule]) -> list[LintIssue]:
    """Issues of the loaded pattern files, given the rules that may read their signals."""
    read, reads_any = _signals_read(rules)
    issues: list[LintIssue] = []

    def issue(path: Path, code: str, message: str) -> None:
        issues.append(LintIssue(None, str(path), None, LintSeverity.MEDIUM, code, message))

    for file in patterns.files:
        if not (file.examples.match and file.examples.no_match):
            issue(
                file.path,
                "pattern-without-examples",
                f"signal {file.signal}: give examples.match and examples.no_match sentences "
                "(the proof that the wording matches, and what it must not match)",
            )
        if not reads_any and file.signal not in read:
            issue(
                file.path,
                "unread-signal",
                f"no loaded rule reads {SIGNAL_PATH}: {file.signal}, so its matches are never "
                "scored",
            )
    return issues


def _signals_read(rules: Iterable[CompiledRule]) -> tuple[set[str], bool]:
    """Signals the rules compare ``phrases.signal`` with, and whether one reads it otherwise
    (a modifier or a list), which could be any signal."""
    read: set[str] = set()
    for rule in rules:
        for selection in (rule.model.match.__pydantic_extra__ or {}).values():
            for items in selection if isinstance(selection, list) else [selection]:
                if not isinstance(items, dict):
                    continue
                for key, value in items.items():
                    if key.split("|")[0] != SIGNAL_PATH:
                        continue
                    values = value if isinstance(value, list) else [value]
                    if key != SIGNAL_PATH or not all(isinstance(v, str) for v in values):
                        return read, True
                    read.update(values)
    return read, False
