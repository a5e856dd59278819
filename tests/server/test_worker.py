"""The worker loop in-process: retries with exponential backoff, dead letters, lost workers."""

from __future__ import annotations

from pathlib import Path

from serverkit import RESULT, Clock, job

from screening.config import Settings
from screening.server.options import ServerOptions
from screening.server.processing import PermanentError, Screened
from screening.server.worker import Worker
from screening.server.writeback import Summary
from screening.store.jobs import SqliteJobs
from screening.store.jobs_api import ClaimedJob, JobStatus


class Flaky:
    """A screener that fails ``failures`` times with ``error``, then succeeds."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.failures = failures
        self.error = error
        self.calls = 0

    def screen(self, job: ClaimedJob) -> Screened:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.error
        return Screened(RESULT, Summary(job.id, 42.5, "medium", "", 0, 0, ()))


class NoWriteBack:
    def wanted(self, vendor: str, band: str) -> bool:
        return False

    def failure_note_wanted(self, vendor: str) -> bool:
        return False

    def result_step(self, vendor: str, band: str, summary: object, ref: str) -> str | None:
        return None

    def failure_step(self, vendor: str, job_id: str, ref: str) -> str | None:
        return None


def make(tmp_path: Path, screener: Flaky, **server: object) -> tuple[Worker, SqliteJobs, Clock]:
    clock = Clock()
    store = SqliteJobs(tmp_path / "jobs.sqlite3", clock=clock)
    settings = Settings.model_validate(
        {"store": {"path": str(tmp_path / "jobs.sqlite3")}, "server": server}
    )
    options = ServerOptions.from_settings(settings)
    worker = Worker(store, screener, NoWriteBack(), options, "w")  # type: ignore[arg-type]
    return worker, store, clock


def test_failures_are_retried_with_exponential_backoff_then_succeed(tmp_path: Path) -> None:
    screener = Flaky(2, TimeoutError("vendor API timed out"))
    worker, store, clock = make(tmp_path, screener, retry_base_seconds=10, max_attempts=5)
    store.enqueue(job(1), limit=10)
    waits = []
    for _ in range(2):
        assert worker.step()
        record = store.get("greenhouse-1")
        assert record is not None and record.status is JobStatus.RETRYING
        assert record.last_error == "TimeoutError: vendor API timed out"
        assert record.next_attempt_at is not None
        waits.append(record.next_attempt_at - clock.now)
        assert not worker.step()  # not due yet
        clock.now = record.next_attempt_at
    assert waits == [10, 20]
    assert worker.step()
    done = store.get("greenhouse-1")
    assert done is not None and (done.status, done.attempts) == (JobStatus.DONE, 3)


def test_retries_end_in_the_failed_state_with_the_last_error(tmp_path: Path) -> None:
    worker, store, clock = make(
        tmp_path, Flaky(9, ConnectionError("refused")), retry_base_seconds=1, max_attempts=3
    )
    store.enqueue(job(1), limit=10)
    for _ in range(3):
        clock.now += 100
        assert worker.step()
    record = store.get("greenhouse-1")
    assert record is not None and record.status is JobStatus.FAILED
    assert record.last_error == "gave up after 3 attempts: ConnectionError: refused"


def test_permanent_errors_fail_at_once(tmp_path: Path) -> None:
    error = PermanentError("the application cannot be screened: name: required", ("name",))
    worker, store, _ = make(tmp_path, Flaky(1, error))
    store.enqueue(job(1), limit=10)
    assert worker.step()
    record = store.get("greenhouse-1")
    assert record is not None and (record.status, record.attempts) == (JobStatus.FAILED, 1)
    assert record.last_error == "the application cannot be screened: name: required"


def test_a_job_whose_worker_keeps_dying_is_buried_not_looped(tmp_path: Path) -> None:
    worker, store, clock = make(tmp_path, Flaky(0, RuntimeError()), max_attempts=2)
    store.enqueue(job(1), limit=10)
    for _ in range(2):  # two workers claimed it and died (their leases ran out)
        assert store.claim("dying", lease_seconds=300) is not None
        clock.now += 301
    assert worker.step()
    record = store.get("greenhouse-1")
    assert record is not None and record.status is JobStatus.FAILED
    assert record.last_error == "gave up: no attempt of 2 finished"


def test_backoff_is_capped(tmp_path: Path) -> None:
    worker, store, clock = make(
        tmp_path,
        Flaky(3, RuntimeError("x")),
        retry_base_seconds=100,
        retry_max_seconds=150,
        max_attempts=5,
    )
    store.enqueue(job(1), limit=10)
    waits = []
    for _ in range(3):
        worker.step()
        record = store.get("greenhouse-1")
        assert record is not None and record.next_attempt_at is not None
        waits.append(record.next_attempt_at - clock.now)
        clock.now = record.next_attempt_at
    assert waits == [100, 150, 150]
