"""The durable job queue on SQLite: idempotency, bound, leases, retries, dead letters, restarts."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from serverkit import RESULT, Clock, job

from screening.errors import StoreError
from screening.store.jobs import SqliteJobs, delivery_hash
from screening.store.jobs_api import Enqueued, JobStatus, WritebackStatus


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(tmp_path: Path, clock: Clock) -> SqliteJobs:
    return SqliteJobs(tmp_path / "jobs.sqlite3", clock=clock)


def test_a_job_goes_from_queued_to_done_and_keeps_only_its_reports(store: SqliteJobs) -> None:
    assert store.enqueue(job(1), limit=10) is Enqueued.QUEUED
    record = store.get("greenhouse-1")
    assert record is not None and record.status is JobStatus.QUEUED
    claimed = store.claim("w1", lease_seconds=60)
    assert claimed is not None
    assert (claimed.id, claimed.attempts, claimed.meta) == ("greenhouse-1", 1, {"candidate": "1"})
    assert claimed.payload == {"candidate": {"first_name": "Ana", "last_name": "Example1"}}
    assert store.get("greenhouse-1").status is JobStatus.RUNNING  # type: ignore[union-attr]
    assert store.claim("w2", lease_seconds=60) is None
    assert store.complete("greenhouse-1", "w1", RESULT)
    done = store.get("greenhouse-1")
    assert done is not None and (done.status, done.score, done.band) == (
        JobStatus.DONE,
        42.5,
        "medium",
    )
    assert store.report("greenhouse-1", "json") == '{"score": 42.5}'
    assert store.report("greenhouse-1", "html") == "<p>report</p>"
    raw = sqlite3.connect(store.path).execute("SELECT payload FROM jobs").fetchone()
    assert raw == (None,)  # the candidate's record is dropped once screened


def test_redelivery_is_a_duplicate_by_application_id_or_by_delivery_id(store: SqliteJobs) -> None:
    assert store.enqueue(job(1), limit=10) is Enqueued.QUEUED
    assert store.enqueue(job(1), limit=10) is Enqueued.DUPLICATE
    assert store.enqueue(job(1, delivery="another"), limit=10) is Enqueued.DUPLICATE
    assert store.enqueue(job(2, delivery="event-1"), limit=10) is Enqueued.DUPLICATE
    assert store.get("greenhouse-2") is None
    claimed = store.claim("w", 60)
    assert claimed is not None
    store.complete(claimed.id, "w", RESULT)
    assert store.enqueue(job(1), limit=10) is Enqueued.DUPLICATE  # screened once


def test_the_queue_is_bounded_and_a_full_queue_stores_nothing(store: SqliteJobs) -> None:
    for n in range(3):
        assert store.enqueue(job(n), limit=3) is Enqueued.QUEUED
    assert store.enqueue(job(3), limit=3) is Enqueued.FULL
    assert store.get("greenhouse-3") is None
    assert store.enqueue(job(0), limit=3) is Enqueued.DUPLICATE  # a redelivery is still answered
    claimed = store.claim("w", 60)
    assert claimed is not None
    store.complete(claimed.id, "w", RESULT)
    assert store.enqueue(job(3), limit=3) is Enqueued.QUEUED


def test_failed_attempts_wait_for_their_backoff(store: SqliteJobs, clock: Clock) -> None:
    store.enqueue(job(1), limit=10)
    claimed = store.claim("w", 60)
    assert claimed is not None
    assert store.retry(claimed.id, "w", "ConnectError calling api.lever.co", delay=30)
    record = store.get(claimed.id)
    assert record is not None and record.status is JobStatus.RETRYING
    assert record.last_error == "ConnectError calling api.lever.co"
    assert record.next_attempt_at == clock.now + 30
    assert store.claim("w", 60) is None
    clock.now += 31
    again = store.claim("w", 60)
    assert again is not None and again.attempts == 2


def test_a_failed_job_keeps_payload_and_error_and_a_redelivery_replaces_it(
    store: SqliteJobs,
) -> None:
    store.enqueue(job(1), limit=10)
    claimed = store.claim("w", 60)
    assert claimed is not None
    error = "the application cannot be screened: name: missing"
    assert store.bury(claimed.id, "w", error, "invalid_payload")
    record = store.get("greenhouse-1")
    assert record is not None and record.status is JobStatus.FAILED
    assert (record.last_error, record.failure_reason, record.attempts) == (
        error,
        "invalid_payload",
        1,
    )
    assert store.payload("greenhouse-1") == claimed.payload
    assert [r.id for r in store.list_jobs(JobStatus.FAILED)] == ["greenhouse-1"]
    assert store.stats().failures == {"invalid_payload": 1}
    assert store.report("greenhouse-1", "json") is None
    assert store.enqueue(job(1), limit=10) is Enqueued.QUEUED
    replaced = store.claim("w", 60)
    assert replaced is not None and replaced.attempts == 1 and replaced.payload


def test_an_expired_lease_lets_another_worker_take_over(store: SqliteJobs, clock: Clock) -> None:
    store.enqueue(job(1), limit=10)
    first = store.claim("w1", lease_seconds=60)
    assert first is not None
    clock.now += 61  # w1 died
    second = store.claim("w2", lease_seconds=60)
    assert second is not None and second.id == first.id and second.attempts == 2
    assert not store.complete(first.id, "w1", RESULT)  # the old owner lost it
    assert store.complete(second.id, "w2", RESULT)


def test_jobs_survive_a_restart_and_running_ones_are_released(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    first = SqliteJobs(path)
    first.enqueue(job(1), limit=10)
    first.enqueue(job(2), limit=10)
    assert first.claim("dead-worker", lease_seconds=3600) is not None
    first.close()
    second = SqliteJobs(path)
    assert second.release_running() == 1
    ids = set()
    while (claimed := second.claim("w", 60)) is not None:
        ids.add(claimed.id)
    assert ids == {"greenhouse-1", "greenhouse-2"}


def test_stats_count_jobs_by_status_and_histogram_latencies(
    store: SqliteJobs, clock: Clock
) -> None:
    for n in range(3):
        store.enqueue(job(n), limit=10)
    claimed = store.claim("w", 60)
    assert claimed is not None
    clock.now += 2
    store.complete(claimed.id, "w", RESULT)
    stats = store.stats()
    assert stats.counts[JobStatus.DONE] == 1 and stats.counts[JobStatus.QUEUED] == 2
    assert stats.screen_seconds.count == 1 and stats.screen_seconds.total == pytest.approx(0.004)
    assert stats.screen_seconds.buckets[0] == 1  # <= 5 ms
    assert stats.end_to_end_seconds.buckets[7] == 0 and stats.end_to_end_seconds.buckets[8] == 1


def test_forget_deletes_a_job_and_its_reports(store: SqliteJobs) -> None:
    store.enqueue(job(1), limit=10)
    assert store.forget("greenhouse-1")
    assert store.get("greenhouse-1") is None
    assert not store.forget("greenhouse-1")


def test_delivery_ids_are_stored_hashed(store: SqliteJobs) -> None:
    store.enqueue(job(1, delivery="token-abc:1711561844000"), limit=10)
    keys = sqlite3.connect(store.path).execute("SELECT delivery_key FROM jobs").fetchall()
    assert keys == [(delivery_hash("greenhouse", "token-abc:1711561844000"),)]
    assert "token-abc" not in keys[0][0]


def test_a_full_disk_is_a_store_error_and_leaves_the_store_usable(store: SqliteJobs) -> None:
    """A full disk (SQLite rolls back by itself) is a StoreError: the receiver answers 503."""
    conn = store._conn  # the file may not grow by a page: what a full disk looks like to SQLite
    conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
    big = dataclasses.replace(job(1), payload={"resume": "x" * 100_000})
    with pytest.raises(StoreError, match="disk is full"):
        store.enqueue(big, limit=10)
    assert store.get("greenhouse-1") is None
    assert store.enqueue(job(2), limit=10) is Enqueued.QUEUED


OPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "enqueue",
                "claim",
                "complete",
                "retry",
                "bury",
                "forget",
                "release",
                "expire",
                "requeue",
                "purge",
                "prune",
            ]
        ),
        st.integers(0, 5),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(ops=OPS)
def test_the_status_counters_stay_exact_and_bound_the_queue(
    tmp_path_factory: Any, ops: Any
) -> None:
    clock = Clock()
    store = SqliteJobs(tmp_path_factory.mktemp("prop") / "jobs.sqlite3", clock=clock)
    held: list[str] = []
    for op, n in ops:
        if op == "enqueue":
            store.enqueue(job(n), limit=4)
        elif op == "claim" and (claimed := store.claim("w", 10)) is not None:
            held.append(claimed.id)
        elif op in ("complete", "retry", "bury") and held:
            job_id = held.pop(n % len(held))
            if op == "complete":
                store.complete(job_id, "w", RESULT)
            elif op == "retry":
                store.retry(job_id, "w", "error", delay=1)
            else:
                store.bury(job_id, "w", "error")
        elif op == "forget":
            store.forget(f"greenhouse-{n}")
        elif op == "release":
            store.release_running()
            held.clear()
        elif op == "expire":
            clock.now += 11
        elif op == "requeue":
            store.requeue(f"greenhouse-{n}" if n else None)
        elif op == "purge":
            store.purge(f"greenhouse-{n}" if n else None)
        elif op == "prune":
            store.prune(clock.now + 1, batch=2)
        counts = store.stats().counts
        rows = dict(
            sqlite3.connect(store.path).execute("SELECT status, COUNT(*) FROM jobs GROUP BY status")
        )
        assert {s.value: n for s, n in counts.items() if n} == rows
        assert (
            sum(counts[s] for s in (JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.RETRYING)) <= 4
        )
    store.close()


def test_history_forget_also_erases_the_webhook_job(tmp_path: Path) -> None:
    """One deletion request erases the applicant from history and from the job results."""
    from click.testing import CliRunner

    from screening.cli import main

    db = tmp_path / "store.sqlite3"
    jobs = SqliteJobs(db)
    assert jobs.enqueue(job(1), limit=10) is Enqueued.QUEUED
    jobs.close()
    app = tmp_path / "greenhouse-1.yml"
    app.write_text(
        "id: greenhouse-1\nname: Ana Example\nemails: [ana@example.org]\n", encoding="utf-8"
    )
    env = {"SCREENING_STORE__PATH": str(db), "SCREENING_NETWORK__OFFLINE": "1"}
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(app)], env=env).exit_code == 0
    result = runner.invoke(main, ["history", "forget", "greenhouse-1"], env=env)
    assert result.exit_code == 0, result.output
    assert "and the webhook job with its reports" in result.output
    assert SqliteJobs(db).get("greenhouse-1") is None
    assert b"greenhouse-1" not in db.read_bytes()


def test_retention_prunes_finished_jobs_only_and_the_counters_follow(
    store: SqliteJobs, clock: Clock
) -> None:
    for n in range(4):
        store.enqueue(job(n), limit=10)
    first = store.claim("w", 60)
    second = store.claim("w", 60)
    assert first is not None and second is not None
    store.complete(first.id, "w", RESULT)
    store.bury(second.id, "w", "boom", "retries_exhausted")
    clock.now += 86400
    assert store.prune(clock.now - 3600, batch=1) == 1  # one short batch at a time
    assert store.prune(clock.now - 3600, batch=1) == 1
    assert store.prune(clock.now - 3600, batch=1) == 0
    assert store.get(first.id) is None and store.get(second.id) is None
    stats = store.stats()
    assert stats.counts[JobStatus.QUEUED] == 2 and stats.counts[JobStatus.DONE] == 0
    assert stats.oldest_pending_seconds == pytest.approx(86400)
    assert stats.screen_seconds.count == 1  # histograms are totals, not rows


def test_database_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    SqliteJobs(path).close()
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_write_back_step_is_stored_with_the_result_leased_and_retried(
    store: SqliteJobs, clock: Clock
) -> None:
    store.enqueue(job(1), limit=10)
    claimed = store.claim("w", 60)
    assert claimed is not None
    step = '{"kind": "result"}'
    assert store.complete(claimed.id, "w", dataclasses.replace(RESULT, writeback=step))
    record = store.get(claimed.id)
    assert record is not None and record.writeback_status is WritebackStatus.PENDING
    task = store.claim_writeback("w1", 30)
    assert task is not None and (task.attempts, task.payload, task.candidate) == (1, step, "1")
    assert store.claim_writeback("w2", 30) is None  # leased to w1
    clock.now += 31  # w1 died while posting: the step is tried again
    again = store.claim_writeback("w2", 30)
    assert again is not None and again.attempts == 2
    store.finish_writeback(claimed.id, "note failed: HTTP 503", WritebackStatus.RETRYING, 10)
    assert store.claim_writeback("w2", 30) is None  # waits for its backoff
    clock.now += 11
    third = store.claim_writeback("w2", 30, claimed.id)
    assert third is not None and third.outcome == "note failed: HTTP 503"
    store.finish_writeback(claimed.id, "note sent", WritebackStatus.SENT)
    record = store.get(claimed.id)
    assert record is not None and record.writeback_status is WritebackStatus.SENT
    assert store.claim_writeback("w2", 30) is None
    assert store.stats().writebacks == {"retrying": 1, "sent": 1}


def test_a_store_opens_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    """A current schema is only read on opening: a receiver thread's or worker's new connection
    does not wait for a writer (it used to take the write lock to check the version)."""
    SqliteJobs(tmp_path / "jobs.sqlite3").close()
    writer = sqlite3.connect(tmp_path / "jobs.sqlite3", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        opened = SqliteJobs(tmp_path / "jobs.sqlite3")
        assert opened.get("greenhouse-1") is None
        opened.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_worker_transitions_leave_the_acknowledgement_durable(store: SqliteJobs) -> None:
    """Workers' transitions commit without a flush (a power loss redoes them after the lease);
    the connection is back to flushing every commit for the next enqueue."""
    full = 2  # PRAGMA synchronous: 1 NORMAL, 2 FULL
    assert store.enqueue(job(1), limit=10) is Enqueued.QUEUED
    claimed = store.claim("w", 60)
    assert claimed is not None
    assert store.complete(claimed.id, "w", RESULT)
    assert store._conn.execute("PRAGMA synchronous").fetchone() == (full,)
    assert store.enqueue(job(2), limit=10) is Enqueued.QUEUED
    assert store._conn.execute("PRAGMA synchronous").fetchone() == (full,)
