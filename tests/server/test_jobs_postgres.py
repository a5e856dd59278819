"""The job store on a real PostgreSQL database: each attempt is a procrastinate job committed with
the row that needs it; the same transitions, counters and operator actions as on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from serverkit import RESULT, Clock, job

from screening.store.jobs_api import Enqueued, JobStatus
from screening.store.jobs_pg import PostgresJobs


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(pg_url: str, clock: Clock) -> Iterator[PostgresJobs]:
    s = PostgresJobs(pg_url, clock=clock)
    yield s
    s.close()


def attempts(store: PostgresJobs, job_id: str) -> list[tuple[str, Any]]:
    """procrastinate jobs (status, scheduled time) carrying ``job_id``."""
    rows = store._read_all(
        "SELECT status, scheduled_at FROM procrastinate_jobs WHERE args->>'job_id' = ? ORDER BY id",
        (job_id,),
    )
    return [(str(r[0]), r[1]) for r in rows]


def counters_match_rows(store: PostgresJobs) -> None:
    rows = dict(store._read_all("SELECT status, COUNT(*) FROM jobs GROUP BY status"))
    counts = {s.value: n for s, n in store.stats().counts.items() if n}
    assert counts == rows


def test_a_job_and_its_first_attempt_commit_together(store: PostgresJobs) -> None:
    assert store.enqueue(job(1), limit=10) is Enqueued.QUEUED
    assert [status for status, _ in attempts(store, "greenhouse-1")] == ["todo"]
    assert store.enqueue(job(1), limit=10) is Enqueued.DUPLICATE
    assert store.enqueue(job(2, delivery="event-1"), limit=10) is Enqueued.DUPLICATE
    assert len(attempts(store, "greenhouse-1")) == 1 and attempts(store, "greenhouse-2") == []
    claimed = store.start("greenhouse-1", "w1", 60)
    assert claimed is not None and claimed.attempts == 1 and claimed.payload
    assert store.complete("greenhouse-1", "w1", RESULT)
    assert store.report("greenhouse-1", "json") == '{"score": 42.5}'
    assert store.start("greenhouse-1", "w2", 60) is None  # a stale attempt does nothing
    assert store.find_candidate("greenhouse", "1") == ["greenhouse-1"]
    counters_match_rows(store)


def test_a_retry_is_a_scheduled_attempt_and_a_failed_job_can_be_requeued(
    store: PostgresJobs,
) -> None:
    store.enqueue(job(1), limit=10)
    assert store.start("greenhouse-1", "w", 60) is not None
    assert store.retry("greenhouse-1", "w", "TimeoutError: slow", delay=30)
    scheduled = attempts(store, "greenhouse-1")
    assert len(scheduled) == 2 and scheduled[1][1] is not None  # due in 30 s
    assert store.get("greenhouse-1").status is JobStatus.RETRYING  # type: ignore[union-attr]
    assert store.start("greenhouse-1", "w", 60) is not None
    assert store.bury("greenhouse-1", "w", "gave up", "retries_exhausted")
    failed = store.list_jobs(JobStatus.FAILED)
    assert [(r.id, r.attempts, r.failure_reason) for r in failed] == [
        ("greenhouse-1", 2, "retries_exhausted")
    ]
    assert store.payload("greenhouse-1") == job(1).payload
    assert store.stats().failures == {"retries_exhausted": 1}
    assert store.requeue("greenhouse-1") == 1
    assert len(attempts(store, "greenhouse-1")) == 3
    again = store.start("greenhouse-1", "w", 60)
    assert again is not None and again.attempts == 1
    counters_match_rows(store)


def test_full_queue_purge_prune_and_forget(store: PostgresJobs, clock: Clock) -> None:
    for n in range(3):
        assert store.enqueue(job(n), limit=3) is Enqueued.QUEUED
    assert store.enqueue(job(3), limit=3) is Enqueued.FULL
    store.start("greenhouse-0", "w", 60)
    store.complete("greenhouse-0", "w", RESULT)
    store.start("greenhouse-1", "w", 60)
    store.bury("greenhouse-1", "w", "boom", "invalid_payload")
    assert store.purge("greenhouse-1") == 1
    clock.now += 86400
    assert store.prune(clock.now - 3600) == 1
    assert store.forget("greenhouse-2")
    assert store.list_jobs() == []
    counters_match_rows(store)
    assert store.stats().screen_seconds.count == 1
