"""Fixtures for the evaluate tests (helpers live in evaluate_support.py)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from evaluate_support import Check, PackWriter, make_catalogue

from screening.evaluate import facts_from_dotted, load_ruleset
from screening.model.facts import FactCatalogue
from screening.model.findings import RuleOutcome


@pytest.fixture(scope="session")
def catalogue() -> FactCatalogue:
    return make_catalogue()


@pytest.fixture
def pack(tmp_path: Path) -> PackWriter:
    return PackWriter(tmp_path / "pack")


@pytest.fixture
def check(tmp_path: Path, catalogue: FactCatalogue) -> Check:
    """Evaluate one ``match`` block on dotted facts: ``check(match, facts, unavailable=())``."""
    counter = itertools.count()

    def run(
        match: str,
        facts: Mapping[str, object],
        unavailable: Sequence[str] = (),
        lists: Mapping[str, str] | None = None,
        **rule: object,
    ) -> RuleOutcome:
        writer = PackWriter(tmp_path / f"pack{next(counter)}")
        for name, text in (lists or {}).items():
            writer.list(name, text)
        writer.rule("t.rule", match, **rule)
        ruleset = load_ruleset([writer.root], catalogue)
        return ruleset.rules[0].evaluate(facts_from_dotted(facts, catalogue, unavailable))

    return run
