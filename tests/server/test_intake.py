"""The acknowledgement's durable write: deliveries that arrive together are committed together
(one transaction, one flush), each answered with its own outcome, none before its commit."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from serverkit import job

from screening.errors import StoreError
from screening.server.intake import GroupCommit
from screening.store.jobs import SqliteJobs
from screening.store.jobs_api import Enqueued, JobStatus, NewJob
from screening.store.jobs_pg import PostgresJobs


def held_write_lock(path: str) -> sqlite3.Connection:
    """Another process's writer, modelled by a second connection holding the write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def submit_while_locked(
    intake: GroupCommit, path: str, jobs: list[NewJob], limit: int = 100
) -> list[Enqueued | BaseException]:
    """Hand ``jobs`` to the writer from threads while the write lock is held, so that all but
    the first queue up behind it and are committed as one group once it is released."""
    lock = held_write_lock(path)
    outcomes: list[Enqueued | BaseException] = [RuntimeError("unanswered")] * len(jobs)

    def one(i: int) -> None:
        try:
            outcomes[i] = intake.enqueue(jobs[i], limit=limit)
        except BaseException as exc:  # the test looks at it
            outcomes[i] = exc

    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(one, i) for i in range(len(jobs))]
        time.sleep(0.3)  # every job is handed over and none is answered: none is committed
        assert all(isinstance(o, RuntimeError) for o in outcomes)
        lock.execute("ROLLBACK")
        lock.close()
        for f in futures:
            f.result(timeout=30)
    return outcomes


def test_a_group_gets_each_its_own_answer_and_nothing_before_its_commit(tmp_path: Path) -> None:
    store = SqliteJobs(tmp_path / "jobs.sqlite3")
    intake = GroupCommit(lambda: SqliteJobs(tmp_path / "jobs.sqlite3"))
    intake.start()
    try:
        jobs = [job(1), job(2), job(1, delivery="again"), job(3, delivery="event-2"), job(4)]
        outcomes = submit_while_locked(intake, store.path, jobs)
    finally:
        intake.close()
    by_id: dict[str, list[Enqueued | BaseException]] = {}
    for j, o in zip(jobs, outcomes, strict=True):
        by_id.setdefault(j.id, []).append(o)
    # whichever of a duplicated pair came first is queued, the other is a duplicate
    assert sorted(map(str, by_id["greenhouse-1"])) == ["duplicate", "queued"]
    queued_2_or_3 = [by_id["greenhouse-2"][0], by_id["greenhouse-3"][0]]
    assert sorted(map(str, queued_2_or_3)) == ["duplicate", "queued"]  # same delivery id
    assert by_id["greenhouse-4"] == [Enqueued.QUEUED]
    assert store.stats().counts[JobStatus.QUEUED] == 3
    assert len(store.list_jobs(JobStatus.QUEUED)) == 3


def test_one_bad_job_does_not_refuse_the_rest_of_its_group(tmp_path: Path) -> None:
    store = SqliteJobs(tmp_path / "jobs.sqlite3")
    intake = GroupCommit(lambda: SqliteJobs(tmp_path / "jobs.sqlite3"))
    intake.start()
    try:
        unserialisable = dataclasses.replace(job(8), payload={"x": {1, 2}})
        outcomes = submit_while_locked(intake, store.path, [job(1), job(2), unserialisable, job(3)])
    finally:
        intake.close()
    assert outcomes[0] is Enqueued.QUEUED and outcomes[1] is Enqueued.QUEUED
    assert outcomes[3] is Enqueued.QUEUED
    assert isinstance(outcomes[2], TypeError)
    assert store.get("greenhouse-8") is None
    assert store.stats().counts[JobStatus.QUEUED] == 3


def test_the_queue_bound_holds_within_a_group(tmp_path: Path) -> None:
    store = SqliteJobs(tmp_path / "jobs.sqlite3")
    intake = GroupCommit(lambda: SqliteJobs(tmp_path / "jobs.sqlite3"))
    intake.start()
    try:
        outcomes = submit_while_locked(intake, store.path, [job(i) for i in range(6)], limit=4)
    finally:
        intake.close()
    assert sorted(map(str, outcomes)) == ["full", "full"] + ["queued"] * 4
    assert store.stats().counts[JobStatus.QUEUED] == 4


def test_postgresql_commits_a_group_with_a_racing_receivers_duplicate(pg_url: str) -> None:
    """On PostgreSQL a unique-key conflict inside a group (another receiver committed the same
    delivery) is answered as a duplicate without undoing the rest of the group."""
    other = PostgresJobs(pg_url)
    intake = GroupCommit(lambda: PostgresJobs(pg_url))
    intake.start()
    try:
        assert other.enqueue(job(2), limit=100) is Enqueued.QUEUED
        outcomes = other.enqueue_many([job(1), job(2), job(3)], limit=100)
        assert outcomes == [Enqueued.QUEUED, Enqueued.DUPLICATE, Enqueued.QUEUED]
        assert intake.enqueue(job(4), limit=100) is Enqueued.QUEUED
        assert intake.enqueue(job(4), limit=100) is Enqueued.DUPLICATE
    finally:
        intake.close()
    assert other.stats().counts[JobStatus.QUEUED] == 4
    other.close()


def test_a_store_that_cannot_open_is_reported_at_start(tmp_path: Path) -> None:
    (tmp_path / "not-a-db").write_bytes(b"this is not a database file, it is text" * 100)
    intake = GroupCommit(lambda: SqliteJobs(tmp_path / "not-a-db"))
    with pytest.raises(StoreError, match="is not a usable SQLite database"):
        intake.start()


def test_deliveries_from_many_threads_are_each_queued_once(tmp_path: Path) -> None:
    store = SqliteJobs(tmp_path / "jobs.sqlite3")
    intake = GroupCommit(lambda: SqliteJobs(tmp_path / "jobs.sqlite3"))
    intake.start()
    answers: list[Enqueued] = []
    threads = [
        threading.Thread(target=lambda i=i: answers.append(intake.enqueue(job(i), limit=100)))
        for i in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    intake.close()
    assert answers == [Enqueued.QUEUED] * 20
    assert store.stats().counts[JobStatus.QUEUED] == 20
