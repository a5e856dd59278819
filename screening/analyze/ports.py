"""Ports: what analyzers may reach outside the application (time now; DNS and NLP later).

Analyzers receive these through ``AnalysisContext`` so tests can fix them
(``screening.testing.FixedClock``) and nothing reads the wall clock behind the caller's back.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """Tells the analyzers what 'now' is (future dates, ages)."""

    def now(self) -> dt.datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        """The current UTC time."""
        return dt.datetime.now(dt.UTC)
