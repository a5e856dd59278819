"""Scoring: the noisy-OR formula, contributions that add up, bands and next steps."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from screening.model.findings import (
    Category,
    Evidence,
    Outcome,
    RuleInfo,
    RuleOutcome,
    RuleStatus,
    Severity,
)
from screening.model.screening import Band
from screening.score import BandPolicy, contributions, noisy_or, score_outcomes


def info(rule_id: str, weight: float, category: Category = Category.IDENTITY) -> RuleInfo:
    return RuleInfo(
        id=rule_id,
        title=rule_id,
        category=category,
        severity=Severity.MEDIUM,
        status=RuleStatus.STABLE,
        weight=weight,
        default_weight=weight,
        description="d",
        guidance="g",
        references=("r",),
        falsepositives=("f",),
        pack="p",
    )


def test_noisy_or_formula() -> None:
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5]) == pytest.approx(50.0)
    assert noisy_or([0.5, 0.5]) == pytest.approx(75.0)
    assert noisy_or([0.5, 0.5, -0.2]) == pytest.approx(60.0)
    assert noisy_or([1.0]) == pytest.approx(100.0, abs=1e-3)
    assert noisy_or([0.0, 0.0]) == 0.0


weights = st.lists(st.floats(min_value=-0.95, max_value=0.95), max_size=12)


@given(weights)
def test_contributions_add_up_to_the_score(ws: list[float]) -> None:
    assert math.fsum(contributions(ws)) == pytest.approx(noisy_or(ws), abs=1e-6)


@given(weights)
def test_score_stays_in_range_and_does_not_depend_on_order(ws: list[float]) -> None:
    s = noisy_or(ws)
    assert 0.0 <= s <= 100.0
    assert noisy_or(list(reversed(ws))) == pytest.approx(s)


def test_mitigating_findings_have_negative_contributions() -> None:
    c = contributions([0.5, -0.2])
    assert c[0] == pytest.approx(50.0) and c[1] == pytest.approx(-10.0)


def test_score_outcomes_builds_findings_categories_and_band() -> None:
    infos = {
        "a": info("a", 0.5, Category.PAYMENT),
        "b": info("b", 0.3, Category.IDENTITY),
        "c": info("c", 0.4, Category.IDENTITY),
        "x": info("x", 0.0),
    }
    outcomes = [
        RuleOutcome("a", Outcome.MATCH, (Evidence("payment.holder", "M P"),), (), "held by M P"),
        RuleOutcome("b", Outcome.MATCH, (), (), "b"),
        RuleOutcome("c", Outcome.NO_MATCH),
        RuleOutcome("x", Outcome.NOT_EVALUATED, missing=("phones.valid",)),
    ]
    policy = BandPolicy(25, 50, 75, {"high": "verify on video"})
    findings, breakdown = score_outcomes(outcomes, infos, policy)
    assert [f.id for f in findings] == ["a", "b"]
    assert breakdown.score == pytest.approx(65.0)
    assert breakdown.band is Band.HIGH and breakdown.next_step == "verify on video"
    assert breakdown.categories["payment"] == 50.0
    assert breakdown.categories["identity"] == 30.0
    assert breakdown.categories["device"] == 0.0
    assert sum(f.contribution for f in findings) == pytest.approx(65.0)
    assert findings[0].evidence[0].value == "M P"


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, Band.LOW),
        (24.9, Band.LOW),
        (25, Band.MEDIUM),
        (50, Band.HIGH),
        (74.9, Band.HIGH),
        (75, Band.CRITICAL),
    ],
)
def test_band_thresholds_are_lower_bounds(score: float, band: Band) -> None:
    assert BandPolicy(25, 50, 75).band_for(score) is band
