"""Public test doubles for people who extend the toolkit (analyzers, rule packs, integrations).

``FixedClock`` pins "now" so ages, future dates and local hours are reproducible;
``facts_from_dotted`` builds a ``FactSet`` from the same dotted-path mapping that embedded rule
tests use; ``screen_mapping`` screens an application given as a Python mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from screening.evaluate import facts_from_dotted
from screening.ingest import from_mapping
from screening.model.screening import Screening
from screening.pipeline import Engine

__all__ = ["FixedClock", "facts_from_dotted", "screen_mapping"]


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that always answers the same instant (UTC)."""

    at: dt.datetime = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        """The fixed instant."""
        return self.at if self.at.tzinfo else self.at.replace(tzinfo=dt.UTC)


def screen_mapping(engine: Engine, data: Mapping[str, object], origin: str = "test") -> Screening:
    """Screen an application given as a mapping in the native contract."""
    return engine.screen(from_mapping(data, origin, engine.limits))
