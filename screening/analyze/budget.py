"""Stage 3 (analyze): one time budget per application, shared by the analyzers and the rules.

Why: a crafted application must not hold a worker for longer than the budget, whatever the cost
of the code it reaches. The budget is a deadline on the monotonic clock; each analyzer and the
rule engine run under what is left of it (``time_limit``: enforced in the main thread, which is
where ``check``, ``batch`` workers and the server's worker processes screen). What did not finish
is recorded in ``cut`` and named in a plain note of the report; the report is still produced
with everything that did finish: the rules always get a floor of one second of their own, so a
screening holds a worker for at most the budget plus that floor. One-time loading (an analyzer's
``prepare``, such as building the language pipeline) moves the deadline instead of spending it.
Algorithms whose cost grows faster than linearly also carry input caps (``namematch``), so the
budget is a backstop rather than the normal path.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from screening.ingest.timeout import DeadlineExceeded, time_limit

SPENT = "not run: the time budget of this application was spent"
RAN_OUT = "stopped: the time budget of this application ran out"


@dataclass(slots=True)
class Budget:
    """A deadline ``seconds`` from now and the names of what it cut."""

    seconds: float
    deadline: float = field(init=False)
    cut: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def extend(self, seconds: float) -> None:
        """Move the deadline by ``seconds`` (time that was not this application's cost, such
        as loading a model once per process)."""
        self.deadline += max(seconds, 0.0)

    def remaining(self) -> float:
        """Seconds left (0 when spent)."""
        return max(self.deadline - time.monotonic(), 0.0)

    @contextmanager
    def limit(self, what: str, floor: float = 0.0) -> Iterator[None]:
        """Run the block under what is left (at least ``floor`` seconds); ``DeadlineExceeded``
        propagates and ``what`` is recorded as cut."""
        left = max(self.remaining(), floor)
        if left <= 0:
            self.cut.append(what)
            raise DeadlineExceeded()
        try:
            with time_limit(left):
                yield
        except DeadlineExceeded:
            self.cut.append(what)
            raise

    def note(self) -> list[str]:
        """The report note naming what the budget cut (empty when nothing was)."""
        if not self.cut:
            return []
        return [
            f"The time budget of {self.seconds:g} s per application ran out; not finished: "
            + ", ".join(self.cut)
            + ". The findings shown come from what finished."
        ]


__all__ = ["RAN_OUT", "SPENT", "Budget", "DeadlineExceeded"]
