"""The shipped packs: they load, lint clean, pass every embedded test, and stay quiet on the
benign corpus except for the known false positives written down in rules/known-fps.yml."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from screening.analyze import build_catalogue
from screening.config import Settings
from screening.evaluate import iter_rule_cases, lint_ruleset, load_known_fps, load_ruleset
from screening.ingest import IngestFailure, read_path
from screening.model.facts import FactCatalogue
from screening.model.findings import Category, RuleStatus
from screening.pipeline import Engine, build_analyzers
from screening.resources import rules_dir
from screening.testing import FixedClock

ROOT = Path(__file__).resolve().parents[2]
BENIGN = ROOT / "tests" / "corpus" / "benign"
CATALOGUE: FactCatalogue = build_catalogue(build_analyzers(Settings(), offline=True))
RULESET = load_ruleset([rules_dir()], CATALOGUE)
CASES: list[tuple[str, Callable[[], None]]] = list(iter_rule_cases(RULESET, CATALOGUE))


def test_at_least_thirty_scored_rules_across_five_categories() -> None:
    scored = [r for r in RULESET.rules if r.info.status in (RuleStatus.STABLE, RuleStatus.TEST)]
    assert len(scored) >= 30
    categories = {r.info.category for r in scored}
    assert categories >= {
        Category.INFRASTRUCTURE,
        Category.IDENTITY,
        Category.PAYMENT,
        Category.DEVICE,
        Category.BEHAVIOR,
    }


def test_every_rule_documents_itself() -> None:
    for rule in RULESET.rules:
        info = rule.info
        assert info.description and info.guidance, info.id
        assert info.references and info.falsepositives, info.id


def test_no_shipped_rule_reads_a_sensitive_fact() -> None:
    sensitive = {p for p, s in CATALOGUE.facts.items() if s.sensitive}
    for rule in RULESET.rules:
        assert not (set(rule.fact_paths) & sensitive), rule.info.id


def test_shipped_packs_lint_clean() -> None:
    exclusions = rules_dir() / "lint-exclusions.yml"
    issues = lint_ruleset(RULESET, CATALOGUE, exclusions if exclusions.is_file() else None)
    assert [str(i) for i in issues] == []


@pytest.mark.parametrize("case", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_embedded_rule_case(case: Callable[[], None]) -> None:
    case()


def test_benign_corpus_fires_only_known_false_positives() -> None:
    engine = Engine.build(Settings(), clock=FixedClock(), offline=True, strict=True)
    known = {(k.rule, k.case) for k in load_known_fps(rules_dir() / "known-fps.yml")}
    unexpected = []
    seen_known = set()
    files = sorted(BENIGN.glob("*.yml"))
    assert len(files) >= 15
    for path in files:
        (item,) = read_path(path)
        assert not isinstance(item, IngestFailure), item
        screening = engine.screen(item)
        for finding in screening.findings:
            if finding.rule.status not in (RuleStatus.STABLE, RuleStatus.TEST):
                continue
            key = (finding.id, path.stem)
            if key in known:
                seen_known.add(key)
            else:
                unexpected.append(key)
    assert unexpected == []
    # a known false positive that no longer fires should be removed from the list
    assert seen_known == known
