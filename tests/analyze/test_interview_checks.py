"""Structured interview checks: a liveness prompt refused or failed, as the interviewer recorded
it, from the input contract through the shipped rule."""

from __future__ import annotations

import pytest

from screening.config import Settings
from screening.errors import InputError
from screening.pipeline import Engine
from screening.testing import FixedClock, screen_mapping

RULE = "behavior.liveness-challenge-not-passed"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock(), offline=True)


def test_a_refused_or_failed_liveness_prompt_is_shown(engine: Engine) -> None:
    for result in ("refused", "failed"):
        checks = [{"kind": "liveness", "result": result, "note": "asked to turn the head"}]
        s = screen_mapping(engine, {"name": "Jordan Avery", "interview_checks": checks})
        finding = next(f for f in s.findings if f.id == RULE)
        assert finding.explain == f"The interview's liveness check was {result}."
        assert finding.weight == 0  # experimental: shown, not scored
    passed = [{"kind": "liveness", "result": "passed"}]
    s = screen_mapping(engine, {"name": "Jordan Avery", "interview_checks": passed})
    assert RULE not in {f.id for f in s.findings}


def test_without_recorded_checks_the_rule_is_not_evaluated(engine: Engine) -> None:
    s = screen_mapping(engine, {"name": "Jordan Avery"})
    assert RULE in {n.rule_id for n in s.not_evaluated}


def test_an_unknown_check_or_result_is_an_input_error_with_a_suggestion(engine: Engine) -> None:
    with pytest.raises(InputError, match="liveness"):
        screen_mapping(
            engine,
            {"name": "Jordan Avery", "interview_checks": [{"kind": "livenes", "result": "failed"}]},
        )
    with pytest.raises(InputError, match="refused"):
        screen_mapping(
            engine,
            {
                "name": "Jordan Avery",
                "interview_checks": [{"kind": "liveness", "result": "refuse"}],
            },
        )
