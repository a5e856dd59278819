"""``/metrics``: the server's state in the Prometheus text exposition format (version 0.0.4).

Two sources: counters of this process (deliveries by receiver and outcome, acknowledgement
latency), which restart from zero with the process as Prometheus counters may; and the durable
queue (jobs per status, age of the oldest pending job, failures by reason, write-back outcomes,
screening and end-to-end latency of finished jobs), read from counters the store keeps as jobs
move, so that every worker process's work is counted and a scrape costs the same at 10k or 1M
jobs. Written by hand: the format is a
few lines of text and needs no client library.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from screening.store.jobs_api import LATENCY_BUCKETS, Histogram, QueueStats

ACK_BUCKETS: tuple[float, ...] = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    """In-process counters of the receivers (used from the event loop thread only)."""

    def __init__(self) -> None:
        self.deliveries: Counter[tuple[str, str]] = Counter()
        self._ack = [0] * len(ACK_BUCKETS)
        self._ack_count = 0
        self._ack_sum = 0.0

    def observe(self, receiver: str, outcome: str, seconds: float) -> None:
        """Count one delivery and how long answering it took."""
        self.deliveries[(receiver, outcome)] += 1
        self._ack_count += 1
        self._ack_sum += seconds
        for i, bound in enumerate(ACK_BUCKETS):
            if seconds <= bound:
                self._ack[i] += 1

    def render(self, stats: QueueStats, workers_alive: int) -> str:
        """The exposition text."""
        lines = [
            "# HELP screening_jobs Jobs in the durable queue by status.",
            "# TYPE screening_jobs gauge",
        ]
        lines += [f'screening_jobs{{status="{s.value}"}} {n}' for s, n in stats.counts.items()]
        lines += [
            "# HELP screening_queue_oldest_seconds Age of the oldest queued or retrying job.",
            "# TYPE screening_queue_oldest_seconds gauge",
            f"screening_queue_oldest_seconds {stats.oldest_pending_seconds:.3f}",
            "# HELP screening_job_failures_total Jobs given up on, by reason.",
            "# TYPE screening_job_failures_total counter",
        ]
        lines += [
            f'screening_job_failures_total{{reason="{_label(r)}"}} {n}'
            for r, n in sorted(stats.failures.items())
        ]
        lines += [
            "# HELP screening_writeback_total Write-back posts by kind and outcome.",
            "# TYPE screening_writeback_total counter",
        ]
        lines += [
            f'screening_writeback_total{{outcome="{_label(o)}"}} {n}'
            for o, n in sorted(stats.writebacks.items())
        ]
        lines += [
            "# HELP screening_workers Screening worker processes alive.",
            "# TYPE screening_workers gauge",
            f"screening_workers {workers_alive}",
            "# HELP screening_deliveries_total Deliveries by receiver and outcome.",
            "# TYPE screening_deliveries_total counter",
        ]
        lines += [
            f'screening_deliveries_total{{receiver="{r}",outcome="{o}"}} {n}'
            for (r, o), n in sorted(self.deliveries.items())
        ]
        ack = Histogram(tuple(self._ack), self._ack_count, self._ack_sum)
        lines += _histogram(
            "screening_ack_seconds",
            "Time from receiving a delivery to answering it.",
            ACK_BUCKETS,
            ack,
        )
        lines += _histogram(
            "screening_job_screen_seconds",
            "Time to screen one job and render its reports.",
            LATENCY_BUCKETS,
            stats.screen_seconds,
        )
        lines += _histogram(
            "screening_job_latency_seconds",
            "Time from accepting a job to its result being stored.",
            LATENCY_BUCKETS,
            stats.end_to_end_seconds,
        )
        return "\n".join(lines) + "\n"


def _histogram(
    name: str, help_text: str, bounds: Sequence[float], data: Histogram
) -> Iterable[str]:
    yield f"# HELP {name} {help_text}"
    yield f"# TYPE {name} histogram"
    for bound, n in zip(bounds, data.buckets, strict=True):
        yield f'{name}_bucket{{le="{bound:g}"}} {n}'
    yield f'{name}_bucket{{le="+Inf"}} {data.count}'
    yield f"{name}_sum {data.total:.6f}"
    yield f"{name}_count {data.count}"


def _label(value: str) -> str:
    """A label value as the exposition format wants it (backslash, quote, newline escaped)."""
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
