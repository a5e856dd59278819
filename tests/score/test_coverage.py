"""Coverage is part of the verdict: a low score on little data never says "no extra checks"."""

from __future__ import annotations

from screening.config import DEFAULT_NEXT_STEPS, Settings
from screening.ingest import from_mapping
from screening.model.findings import Category, Finding, NotEvaluated, RuleInfo, RuleStatus, Severity
from screening.model.screening import Band, ScoreBreakdown
from screening.pipeline import Engine
from screening.score.coverage import apply_coverage
from screening.testing import FixedClock

LOW = ScoreBreakdown(4.0, Band.LOW, DEFAULT_NEXT_STEPS["low"], {})


def _gap(rule: str, *paths: str) -> NotEvaluated:
    return NotEvaluated(rule, rule, paths, ("not given",))


def _finding(title: str) -> Finding:
    info = RuleInfo(
        "identity.x", title, Category.IDENTITY, Severity.LOW, RuleStatus.STABLE, 0.04, 0.04,
        "d", "g", (), (), "identity",
    )  # fmt: skip
    return Finding(rule=info, explain="e", evidence=(), weight=0.04, contribution=4.0)


def test_enough_checked_keeps_the_configured_low_step() -> None:
    out = apply_coverage(LOW, [], [_gap("a", "phones.e164")], total=10)
    assert out.next_step == DEFAULT_NEXT_STEPS["low"]
    assert (out.rules_checked, out.rules_total) == (9, 10)


def test_little_checked_asks_for_what_is_missing() -> None:
    gaps = [_gap(f"r{i}", "employment.start") for i in range(5)]
    gaps += [_gap(f"p{i}", "phones.e164", "phone_lines.voip") for i in range(3)]
    gaps += [_gap("d1", "devices.tools")]  # nothing to ask an applicant for
    out = apply_coverage(LOW, [], gaps, total=10)
    assert out.next_step == (
        "Little could be checked (1 of 10 rules): ask for the work history with dates and a "
        "phone number, then screen again before relying on this low score."
    )
    assert "No extra checks" not in out.next_step


def test_a_compliance_finding_is_never_paired_with_no_extra_checks() -> None:
    title = "Name Resembles a Sanctioned Person (Name Only, for Compliance Review)"
    out = apply_coverage(LOW, [_finding(title)], [], total=10)
    assert out.next_step.startswith(f'Send the finding "{title}" to compliance')


def test_higher_bands_keep_their_step() -> None:
    high = ScoreBreakdown(60.0, Band.HIGH, DEFAULT_NEXT_STEPS["high"], {})
    assert (
        apply_coverage(high, [], [_gap("a", "phones.e164")] * 9, total=10).next_step
        == (DEFAULT_NEXT_STEPS["high"])
    )


def test_a_name_and_an_email_alone_cannot_be_called_low_without_saying_so() -> None:
    engine = Engine.build(Settings(), offline=True, clock=FixedClock())
    bare = engine.screen(from_mapping({"name": "Ana Lima", "emails": ["a@example.com"]}, "t"))
    assert bare.score.band is Band.LOW
    assert bare.score.next_step.startswith("Little could be checked")
    assert bare.score.rules_checked < bare.score.rules_total
