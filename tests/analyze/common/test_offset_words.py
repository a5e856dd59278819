"""Explanations say offsets and spans as people do: UTC+9 and 15 hours, never raw minutes."""

from __future__ import annotations

import pytest

from screening.analyze.common.zones import hours_text, utc_offset_text
from screening.config import Settings
from screening.ingest import from_mapping
from screening.pipeline import Engine
from screening.testing import FixedClock


@pytest.mark.parametrize(
    "minutes,text",
    [(540, "UTC+9"), (-360, "UTC-6"), (0, "UTC"), (330, "UTC+5:30"), (-210, "UTC-3:30")],
)
def test_utc_offset_text(minutes: int, text: str) -> None:
    assert utc_offset_text(minutes) == text


@pytest.mark.parametrize("minutes,text", [(900, "15 hours"), (60, "1 hour"), (330, "5.5 hours"),
                                          (45, "45 minutes")])  # fmt: skip
def test_hours_text(minutes: int, text: str) -> None:
    assert hours_text(minutes) == text


def test_explanations_have_no_minutes_and_no_placeholder_counts() -> None:
    engine = Engine.build(Settings(), offline=True, clock=FixedClock())
    raw = from_mapping(
        {
            "name": "Ana Lima",
            "location": {"country": "US", "timezone": "America/Chicago"},
            "payment": {"method": "crypto"},
            "network": [
                {"ip": "203.0.113.7", "seen_at": "2025-03-02T14:05:00Z", "utc_offset_minutes": 540},
                {
                    "ip": "203.0.113.8",
                    "seen_at": "2025-03-03T14:05:00Z",
                    "utc_offset_minutes": -360,
                },
            ],
        },
        "t",
    )
    explains = {f.id: f.explain for f in engine.screen(raw).findings}
    clock = explains["infrastructure.browser-clock-vs-claimed-timezone"]
    assert "UTC+9" in clock and "UTC-6" in clock and "minutes" not in clock
    assert explains["behavior.sessions-from-several-clocks"].endswith("spanning 15 hours.")
    assert explains["payment.crypto-salary"].endswith("(no wallet address given).")
