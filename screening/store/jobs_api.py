"""The job queue and result store behind the webhook server, as two small interfaces.

The receivers only ever call ``enqueue`` (``Intake``; the server groups deliveries that arrive
together into one ``enqueue_many`` commit); workers call ``claim`` and then exactly one of
``complete``, ``retry`` or ``bury``; the results API reads through ``ResultStore``. Nothing else
about storage leaks out, so the embedded SQLite implementation (``screening.store.jobs``) is one
choice among others: a deployment that outgrows one machine can implement the same two
protocols over PostgreSQL (``INSERT ... ON CONFLICT DO NOTHING`` for idempotency,
``SELECT ... FOR UPDATE SKIP LOCKED`` for claiming) or hand ``enqueue`` to a standard distributed
task queue whose workers call ``complete``/``retry``/``bury``, and pass its factory to the server
(``create_app(store_factory=...)``), without touching the receivers.

Lifecycle of a job (``JobStatus``)::

    queued --claim--> running --complete--> done
                         |  \\--retry--> retrying --(backoff elapsed) claim--> running ...
                         \\--bury--> failed     (permanent error, or attempts used up)
    failed --requeue (operator: `screening jobs retry`, POST /jobs/{id}/retry)--> queued

A ``running`` job whose lease ran out (its worker died) can be claimed again; every claim counts
as an attempt, so a job that kills its worker is buried after the last attempt instead of
looping. A ``failed`` job keeps its payload, its last error and its attempts until an operator
retries or purges it (or retention removes it). A redelivery of a ``failed`` job's application
replaces it; of any other, is a duplicate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, Protocol

ReportFormat = Literal["json", "html"]

# upper bounds (seconds) of the latency histograms in ``QueueStats``
LATENCY_BUCKETS: tuple[float, ...] = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 3600.0,
)  # fmt: skip


class JobStatus(StrEnum):
    """Where a job is in its lifecycle."""

    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"  # an attempt failed; the next one waits for its backoff
    DONE = "done"
    FAILED = "failed"  # given up: payload, last error and attempts kept for a retry


PENDING = (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING)


class Enqueued(StrEnum):
    """What happened to a job handed to ``enqueue``."""

    QUEUED = "queued"
    DUPLICATE = "duplicate"
    FULL = "full"  # the queue holds its maximum of pending jobs; nothing was stored


@dataclass(frozen=True, slots=True)
class NewJob:
    """A job as a receiver hands it over: our id, the delivery key, the record to screen."""

    id: str
    vendor: str
    delivery_key: str  # the vendor's delivery id, or a hash of the signed body
    payload: Mapping[str, object]  # the minimised vendor record or native application
    meta: Mapping[str, str] = field(default_factory=dict)  # e.g. the id write-back addresses


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """A job a worker holds under a lease."""

    id: str
    vendor: str
    payload: Mapping[str, object]
    meta: Mapping[str, str]
    attempts: int  # including this one
    accepted_at: float


@dataclass(frozen=True, slots=True)
class JobResult:
    """What a finished screening leaves behind (the rendered reports survive restarts)."""

    score: float
    band: str
    report_json: str
    report_html: str
    screen_seconds: float
    writeback: str | None = None  # the write-back step to schedule with it (``WritebackTask``)


class WritebackStatus(StrEnum):
    """Where a job's write-back step is: its own status beside the job's."""

    PENDING = "pending"  # scheduled with the result, not tried yet
    RETRYING = "retrying"  # a post failed; the next try waits for its backoff
    SENT = "sent"
    FAILED = "failed"  # tries used up; ``writeback`` says what went wrong


@dataclass(frozen=True, slots=True)
class WritebackTask:
    """A write-back step a worker holds under a lease: what to post about which job.

    ``payload`` is the step's JSON (a note summary or a "could not screen" notice: ids, score,
    band and rule titles, never the candidate's data); ``outcome`` what earlier tries did, so a
    retry posts only the parts that did not go through.
    """

    job_id: str
    vendor: str
    candidate: str
    payload: str
    attempts: int  # including this one
    outcome: str | None


@dataclass(frozen=True, slots=True)
class JobRecord:
    """A job's state as the results API shows it (without the report bodies)."""

    id: str
    vendor: str
    status: JobStatus
    attempts: int
    accepted_at: float
    next_attempt_at: float | None
    finished_at: float | None
    last_error: str | None
    score: float | None
    band: str | None
    writeback: str | None
    failure_reason: str | None = None
    writeback_status: WritebackStatus | None = None


@dataclass(frozen=True, slots=True)
class Histogram:
    """A cumulative latency histogram: counts per upper bound in ``LATENCY_BUCKETS``."""

    buckets: tuple[int, ...]
    count: int
    total: float


@dataclass(frozen=True, slots=True)
class QueueStats:
    """Jobs per status and the latencies of finished ones, for ``/metrics``."""

    counts: Mapping[JobStatus, int]
    screen_seconds: Histogram  # screening and rendering of one job
    end_to_end_seconds: Histogram  # accepted -> done
    oldest_pending_seconds: float = 0.0  # age of the oldest queued or retrying job
    failures: Mapping[str, int] = field(default_factory=dict)  # jobs given up, by reason
    writebacks: Mapping[str, int] = field(default_factory=dict)  # write-back outcomes


def bucket_index(seconds: float) -> int:
    """The first bucket of ``LATENCY_BUCKETS`` that holds ``seconds`` (len: over the last)."""
    for i, bound in enumerate(LATENCY_BUCKETS):
        if seconds <= bound:
            return i
    return len(LATENCY_BUCKETS)


def histogram_from_counts(counts: Mapping[int, int], total: float) -> Histogram:
    """A cumulative histogram from per-bucket counts (``bucket_index`` keys)."""
    running = 0
    cumulative: list[int] = []
    for i in range(len(LATENCY_BUCKETS)):
        running += counts.get(i, 0)
        cumulative.append(running)
    return Histogram(tuple(cumulative), running + counts.get(len(LATENCY_BUCKETS), 0), total)


class Intake(Protocol):
    """What the receivers need: one durable write per delivery, done when it returns."""

    def enqueue(self, job: NewJob, *, limit: int) -> Enqueued:
        """Store a job unless it is a duplicate or ``limit`` jobs are already pending."""
        ...


class JobQueue(Intake, Protocol):
    """The durable queue: what receivers and workers use."""

    def enqueue_many(self, jobs: Sequence[NewJob], *, limit: int) -> list[Enqueued]:
        """``enqueue`` for each job, in order, committed together (one flush for the group)."""
        ...

    def claim(self, owner: str, lease_seconds: float) -> ClaimedJob | None:
        """The next due job, leased to ``owner``, or None when there is none."""
        ...

    def complete(self, job_id: str, owner: str, result: JobResult) -> bool:
        """Record the result; False when the lease was lost (another worker owns the job)."""
        ...

    def retry(self, job_id: str, owner: str, error: str, delay: float) -> bool:
        """Record a failed attempt; the job is due again after ``delay`` seconds."""
        ...

    def bury(
        self,
        job_id: str,
        owner: str,
        error: str,
        reason: str = "error",
        writeback: str | None = None,
    ) -> bool:
        """Give up on the job (status ``failed``): payload kept, ``error`` says why, ``reason``
        is its short class for metrics (``invalid``, ``vendor_api``, ``gave_up`` ...)."""
        ...

    def release_running(self) -> int:
        """Requeue jobs left running by a stopped server (their workers are gone)."""
        ...

    def claim_writeback(
        self, owner: str, lease_seconds: float, job_id: str | None = None
    ) -> WritebackTask | None:
        """The next due write-back step (or ``job_id``'s), leased: a worker that dies while
        posting leaves it to be tried again once the lease runs out."""
        ...

    def finish_writeback(
        self, job_id: str, outcome: str, status: WritebackStatus, delay: float = 0.0
    ) -> None:
        """Record a try: ``sent``, ``failed`` for good, or ``retrying`` after ``delay``."""
        ...


class ResultStore(Protocol):
    """Read side for the results API and metrics; write-back outcome; forgetting."""

    def get(self, job_id: str) -> JobRecord | None:
        """A job's state."""
        ...

    def report(self, job_id: str, fmt: ReportFormat) -> str | None:
        """The stored report of a finished job."""
        ...

    def find_candidate(self, vendor: str, candidate_ref: str) -> list[str]:
        """The ids of jobs whose ``meta["candidate"]`` is ``candidate_ref`` (for erasure events
        that name a candidate, not an application)."""
        ...

    def delivery_keys(self, job_id: str) -> list[str]:
        """The delivery keys ``job_id`` was queued under, read before ``forget`` so that the
        erasure leaves tombstones of them (``screening.store.erasure``)."""
        ...

    def forget(self, job_id: str) -> bool:
        """Delete a job and its reports (an applicant's request to be forgotten)."""
        ...

    def stats(self) -> QueueStats:
        """Counts per status and latency histograms, kept as the jobs move (O(1) to read)."""
        ...

    def list_jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[JobRecord]:
        """Jobs (of one status), oldest accepted first."""
        ...

    def finished_since(
        self, after: float | None, after_id: str = "", limit: int = 1000
    ) -> list[JobRecord]:
        """Done jobs that finished after ``(after, after_id)``, oldest first: what a reader
        that remembers the last one it saw has not seen yet."""
        ...

    def payload(self, job_id: str) -> Mapping[str, object] | None:
        """The stored payload of a job that still has one (pending or failed)."""
        ...

    def requeue(self, job_id: str | None = None) -> int:
        """Queue failed jobs again (one, or all when ``job_id`` is None), attempts from zero."""
        ...

    def purge(self, job_id: str | None = None) -> int:
        """Delete failed jobs (one, or all when ``job_id`` is None)."""
        ...

    def prune(self, finished_before: float, batch: int = 1000) -> int:
        """Delete up to ``batch`` done and failed jobs (reports, payloads) finished before the
        time given; call again while it returns ``batch``."""
        ...

    def ping(self) -> None:
        """A cheap round trip that fails (``StoreError``) when the database is unusable."""
        ...

    def workers_alive(self, within_seconds: float) -> int | None:
        """Workers (any machine) seen within ``within_seconds``; None when the store does not
        know (SQLite: the server's own pool does)."""
        ...


class JobStore(JobQueue, ResultStore, Protocol):
    """Both sides in one object, as the server and each worker process open it."""

    def close(self) -> None:
        """Release the connection."""
        ...
