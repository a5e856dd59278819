"""One time budget per application: nothing holds a screening past it, and the report says what
was cut while keeping every finding of what finished."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import ClassVar

import pytest

from screening.analyze.base import AnalysisContext
from screening.analyze.budget import RAN_OUT, SPENT
from screening.config import Settings
from screening.ingest import from_mapping
from screening.ingest.timeout import can_time_limit
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Source
from screening.model.normalized import Application
from screening.pipeline import Engine
from screening.testing import FixedClock

pytestmark = pytest.mark.skipif(not can_time_limit(), reason="needs SIGALRM in the main thread")


class Stuck:
    """An analyzer that never finishes on its own (a stand-in for any runaway algorithm)."""

    name: ClassVar[str] = "stuck"
    description: ClassVar[str] = "never finishes"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = ()
    facts: ClassVar[tuple[FactSpec, ...]] = ()

    def sources(self) -> list[Source]:
        return []

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        while True:
            time.sleep(0.01)


@pytest.fixture(scope="module")
def engine() -> Engine:
    settings = Settings.model_validate({"limits": {"screening_seconds": 0.5}})
    base = Engine.build(settings, clock=FixedClock(), offline=True)
    # the stuck analyzer runs first; every later one finds the budget spent
    return replace(base, analyzers=[Stuck(), *base.analyzers], needed={*base.needed, Stuck.name})


def test_a_runaway_analyzer_is_stopped_and_the_report_names_what_was_cut(engine: Engine) -> None:
    raw = from_mapping({"id": "a-1", "name": "Ana Souza", "emails": ["ana@example.com"]}, "x")
    started = time.monotonic()
    screening = engine.screen(raw)
    assert time.monotonic() - started < 2.0
    checks = {c.analyzer: c for c in screening.checks}
    assert checks["stuck"].reason == RAN_OUT
    assert checks["identity"].reason == SPENT
    note = next(n for n in screening.notes if "time budget" in n)
    assert "0.5 s" in note and "stuck" in note and "identity" in note
    # the rules still run (a short floor of their own) on what finished; those that needed the
    # cut facts are listed as not evaluated, with the reason
    assert "rule evaluation" not in note and screening.rules_evaluated > 0
    reasons = {r for n in screening.not_evaluated for r in n.reasons}
    assert any(SPENT in r for r in reasons)


def test_loading_a_model_once_is_not_charged_to_the_application() -> None:
    """An analyzer's one-time ``prepare`` (a language model) moves the deadline."""

    class SlowToLoad(Stuck):
        name: ClassVar[str] = "slow_to_load"

        def prepare(self, app: Application) -> None:
            time.sleep(0.8)

        def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
            return FamilyResult.skipped("nothing to do")

    settings = Settings.model_validate({"limits": {"screening_seconds": 0.5}})
    base = Engine.build(settings, clock=FixedClock(), offline=True)
    engine = replace(
        base, analyzers=[SlowToLoad(), *base.analyzers], needed={*base.needed, "slow_to_load"}
    )
    raw = from_mapping({"id": "a-3", "name": "Ana Souza", "emails": ["ana@example.com"]}, "x")
    screening = engine.screen(raw)
    assert not [n for n in screening.notes if "time budget" in n]


def test_an_ordinary_application_is_not_cut() -> None:
    engine = Engine.build(Settings(), clock=FixedClock(), offline=True)
    raw = from_mapping({"id": "a-2", "name": "Ana Souza", "emails": ["ana@example.com"]}, "x")
    screening = engine.screen(raw)
    assert not [n for n in screening.notes if "time budget" in n]
    assert all(c.reason not in (RAN_OUT, SPENT) for c in screening.checks)
