"""The job queue and result store on PostgreSQL: our job table, procrastinate's queue.

Division of labour: the ``jobs`` table (same columns and transitions as SQLite, ``SqlJobs``) is
the record an operator and the results API see — status, payload until screened, attempts, last
error, reports, write-back outcome — and procrastinate (a maintained PostgreSQL job queue:
``SELECT ... FOR UPDATE SKIP LOCKED`` fetching, LISTEN/NOTIFY wake-ups, worker heartbeats) hands
each attempt to exactly one worker process on whichever machine. Every attempt is one
procrastinate job carrying only our job id:

- ``enqueue`` inserts the row and defers the first attempt in the same transaction (a delivery
  is acknowledged only when both are committed; neither exists without the other);
- ``retry`` records the error and defers the next attempt at its backoff time, in one
  transaction, so a retry survives any restart;
- a worker killed mid-job stops sending heartbeats; after ``[server] lease_seconds`` any live
  worker finds its procrastinate job stalled and retries it (``recover_stalled``);
- ``requeue`` (operator retry of a failed job) defers a fresh attempt.

Why procrastinate (checked: installs from PyPI, runs on psycopg 3, MIT, maintained): it is a
queue *in* PostgreSQL, so the job row and its queue entry commit atomically — which a broker
queue (Celery/RQ on Redis) cannot offer without an outbox — and it needs no second service.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from screening.errors import StoreError
from screening.store.jobs import SqlJobs, claimed
from screening.store.jobs_api import ClaimedJob, Enqueued, JobStatus, NewJob
from screening.store.postgres import (
    JOBS_MIGRATIONS,
    connect_pg,
    pg_errors,
    pg_migrate,
    redact,
    to_pg,
)

if TYPE_CHECKING:
    import procrastinate
    import psycopg

COMPONENT = "jobs"
QUEUE = "screening"
TASK = "screening.screen"


def queue_app(url: str, *, worker: bool = False) -> procrastinate.App:
    """The procrastinate application on ``url`` (asynchronous connector for workers; a
    receiver only defers on its own connection and never opens the connector's pool)."""
    import procrastinate

    connector: procrastinate.BaseConnector
    if worker:
        connector = procrastinate.PsycopgConnector(conninfo=url)
    else:
        connector = procrastinate.SyncPsycopgConnector(conninfo=url)
    return procrastinate.App(connector=connector)


class PostgresJobs(SqlJobs):
    """``JobQueue`` and ``ResultStore`` on one PostgreSQL connection (one per process)."""

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        self.url = url
        self.path = redact(url)
        self._clock = clock
        self._conn = connect_pg(url)
        self._app = queue_app(url)
        pg_migrate(self._conn, COMPONENT, JOBS_MIGRATIONS, url)
        self._install_queue()

    def _install_queue(self) -> None:
        """procrastinate's own schema, once per database (under the migrations' lock)."""
        with pg_errors(self.url), self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('screening-migrations'))")
            row = self._conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if row is None or row[0] is None:
                self._conn.execute(self._app.schema_manager.get_schema())

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    # -- plumbing ------------------------------------------------------------------------------

    def _live(self) -> psycopg.Connection[Any]:
        """The connection, opened again if the server closed it (a database restart)."""
        if self._conn.closed or self._conn.broken:
            self._conn = connect_pg(self.url)
        return self._conn

    @contextmanager
    def _tx(self) -> Iterator[None]:
        import psycopg

        try:
            with self._live().transaction():
                yield
        except psycopg.errors.UniqueViolation:
            raise
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"database error on {self.path}: {first}") from None

    @contextmanager
    def _write(self, *, durable: bool = True) -> Iterator[None]:
        with self._tx():
            if not durable:
                self._conn.execute(b"SET LOCAL synchronous_commit = off")
            yield

    def _run(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self._conn.execute(to_pg(sql).encode(), tuple(params))

    def _read_all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with pg_errors(self.url):
            rows: list[tuple[Any, ...]] = (
                self._live().execute(to_pg(sql).encode(), tuple(params)).fetchall()
            )
        return rows

    def _queued(self, job_id: str) -> None:
        self._defer(job_id, 0.0)

    def _defer(self, job_id: str, delay: float) -> None:
        """One procrastinate job for the next attempt, in the current transaction."""
        when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay) if delay > 0 else None
        self._app.configure_task(TASK, queue=QUEUE, connection=self._conn, schedule_at=when).defer(
            job_id=job_id
        )

    # -- JobQueue ------------------------------------------------------------------------------

    def _enqueue_one(self, job: NewJob, payload: str, meta: str, limit: int) -> Enqueued:
        """One job in a savepoint of the group's transaction. Two receivers taking the same
        delivery at once: the second insert waits for the first to commit, then fails on the
        unique key, and is answered as a duplicate (the rest of its group still commits)."""
        import psycopg

        try:
            with self._tx():
                return super()._enqueue_one(job, payload, meta, limit)
        except psycopg.errors.UniqueViolation:
            return Enqueued.DUPLICATE

    def claim(self, owner: str, lease_seconds: float) -> ClaimedJob | None:
        """Not used on PostgreSQL: procrastinate hands attempts to workers (``start``)."""
        return None

    def start(self, job_id: str, owner: str, lease_seconds: float) -> ClaimedJob | None:
        """Mark the job running for the attempt procrastinate handed to ``owner``; None when it
        has nothing left to do (done, failed, forgotten: a stale attempt)."""
        now = self._clock()
        with self._write(durable=False):
            old = self._run("SELECT status FROM jobs WHERE id = ? FOR UPDATE", (job_id,)).fetchone()
            if old is None or old[0] not in ("queued", "retrying", "running"):
                return None
            row = self._run(
                "UPDATE jobs SET status = 'running', owner = ?, next_attempt_at = ?, "
                "started_at = ?, attempts = attempts + 1 WHERE id = ? "
                "RETURNING id, vendor, payload, meta, attempts, accepted_at",
                (owner, now + lease_seconds, now, job_id),
            ).fetchone()
            if old[0] != JobStatus.RUNNING:
                self._moved(JobStatus(old[0]), JobStatus.RUNNING)
        return claimed(row)

    def retry(self, job_id: str, owner: str, error: str, delay: float) -> bool:
        """Record a failed attempt and defer the next one at its backoff time (one commit)."""
        with self._write(durable=False):
            moved = super().retry(job_id, owner, error, delay)  # a savepoint inside
            if moved:
                self._defer(job_id, delay)
        return moved

    def release_running(self) -> int:
        """Nothing to do: a running job's worker is found dead by its heartbeat, not by a
        server start (other servers and workers may be running)."""
        return 0

    _META_CANDIDATE = "(meta::json ->> 'candidate')"

    def workers_alive(self, within_seconds: float) -> int | None:
        """Worker processes (any machine) whose heartbeat is fresher than ``within_seconds``."""
        row = self._read(
            "SELECT COUNT(*) FROM procrastinate_workers "
            "WHERE last_heartbeat > NOW() - make_interval(secs => ?)",
            (within_seconds,),
        )
        return int(row[0]) if row else 0
