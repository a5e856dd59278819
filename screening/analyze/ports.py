"""Ports: what analyzers may reach outside the application (the clock, DNS and the NLP pipeline).

Analyzers receive these from their caller (the clock through ``AnalysisContext``, the resolver
and the pipeline loader through their constructors) so tests can substitute them
(``screening.testing.FixedClock``, a loopback DNS server, a stub pipeline) and nothing reads the
wall clock, the system resolver or a downloaded model behind the caller's back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from spacy.language import Language

    from screening.analyze.dns.lookups import Outcome, Query


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


class DnsResolver(Protocol):
    """Answers one question within a time limit (dnspython in production; a table in tests)."""

    async def ask(self, query: Query, timeout: float) -> Outcome:
        """The answer or the failure; never raises for DNS or network trouble."""
        ...


NlpLoader = Callable[[str], "Language"]
"""Loads a spaCy-compatible pipeline by name (``spacy.load`` unless the caller gives another)."""
