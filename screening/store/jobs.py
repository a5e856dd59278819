"""The embedded job queue and result store of the webhook server: one SQLite table.

Implements ``JobQueue`` and ``ResultStore`` (``screening.store.jobs_api``) on the shared database
file (component ``jobs``, WAL journaling through ``screening.store.db``). Why SQLite is enough
for one machine: an enqueue is one short ``BEGIN IMMEDIATE`` transaction (well under a
millisecond), WAL lets the results API read while a worker writes, and several processes (the
server and its worker processes) can share the file. An enqueue commits with
``synchronous=FULL``, so a job acknowledged to a vendor survives a crash of the process and of
the machine; workers' transitions commit without a flush (``durable=False``: a power loss can
undo the last of them, and the job is claimed again after its lease), so the write lock an
acknowledgement may wait for is never held through a worker's flush.

Data minimisation: the queued record is deleted as soon as the job is done; what stays is the
rendered report (zlib-compressed), the score, band and outcome. A job that fails for good keeps
its record (so an operator can retry it) until it is retried, purged or pruned by retention.
Delivery ids are stored as SHA-256 hashes. ``forget`` removes a job entirely.

Every hot statement is an index lookup whatever the table size: jobs per status, failures by
reason, write-back outcomes and the latency histograms are counters in ``job_counters``, updated
in the same transaction as the job moves (so ``/metrics`` reads a few dozen rows at 1M jobs), and
claiming reads one entry of a partial index on ``next_attempt_at`` (for a running job that column
holds the end of its lease, so jobs due again and jobs whose worker died are found by the same
lookup).

One connection belongs to one thread (sqlite3's rule): the server's event loop holds one, each
worker process opens its own.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from screening.errors import StoreError
from screening.store.db import Migration, connect, migrate, write_transaction
from screening.store.jobs_api import (
    ClaimedJob,
    Enqueued,
    JobRecord,
    JobResult,
    JobStatus,
    NewJob,
    QueueStats,
    ReportFormat,
    WritebackStatus,
    WritebackTask,
    bucket_index,
    histogram_from_counts,
)

COMPONENT = "jobs"
INTAKE_POLL_SECONDS = 0.0005  # how often an acknowledgement tries the write lock while busy
MIGRATIONS = [
    Migration(
        1,
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            vendor TEXT NOT NULL,
            delivery_key TEXT NOT NULL,
            status TEXT NOT NULL,
            payload TEXT,
            meta TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            accepted_at REAL NOT NULL,
            next_attempt_at REAL NOT NULL,
            owner TEXT,
            started_at REAL,
            finished_at REAL,
            screen_seconds REAL,
            last_error TEXT,
            score REAL,
            band TEXT,
            report_json BLOB,
            report_html BLOB,
            writeback TEXT
        );
        CREATE UNIQUE INDEX jobs_delivery ON jobs(delivery_key);
        CREATE INDEX jobs_due ON jobs(next_attempt_at)
            WHERE status IN ('queued', 'failed', 'running');
        CREATE TABLE jobs_pending (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
        INSERT INTO jobs_pending(id, n) VALUES (1, 0)
        """,
    ),
    # 2: "failed" (waiting for a retry) becomes "retrying", "dead" becomes "failed" and keeps
    # its payload; counters replace counting rows; indexes for listing and retention
    Migration(
        2,
        """
        UPDATE jobs SET status = 'retrying' WHERE status = 'failed';
        UPDATE jobs SET status = 'failed' WHERE status = 'dead';
        ALTER TABLE jobs ADD COLUMN failure_reason TEXT;
        DROP INDEX jobs_due;
        CREATE INDEX jobs_due ON jobs(next_attempt_at)
            WHERE status IN ('queued', 'retrying', 'running');
        CREATE INDEX jobs_status ON jobs(status, accepted_at);
        CREATE INDEX jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
        DROP TABLE jobs_pending;
        CREATE TABLE job_counters (
            name TEXT NOT NULL,
            label TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (name, label)
        ) WITHOUT ROWID;
        INSERT INTO job_counters(name, label, value)
            SELECT 'status', status, COUNT(*) FROM jobs GROUP BY status
        """,
    ),
    # 3: write-back is a step of its own, with its status, tries and due time
    Migration(
        3,
        """
        ALTER TABLE jobs ADD COLUMN writeback_status TEXT;
        ALTER TABLE jobs ADD COLUMN writeback_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN writeback_due REAL;
        ALTER TABLE jobs ADD COLUMN writeback_task TEXT;
        CREATE INDEX jobs_writeback_due ON jobs(writeback_due)
            WHERE writeback_status IN ('pending', 'retrying')
        """,
    ),
]

_RECORD_COLUMNS = (
    "id, vendor, status, attempts, accepted_at, next_attempt_at, finished_at, last_error, "
    "score, band, writeback, failure_reason, writeback_status"
)
_SCHEDULE_WRITEBACK = (
    "UPDATE jobs SET writeback_status = 'pending', writeback_due = ?, writeback_task = ?, "
    "writeback_attempts = 0 WHERE id = ?"
)


def delivery_hash(vendor: str, delivery_id: str) -> str:
    """The stored form of a delivery key (the raw id may embed a vendor token)."""
    return hashlib.sha256(f"{vendor}\x00{delivery_id}".encode()).hexdigest()


class SqlJobs:
    """The job table's transitions and reads, in SQL that SQLite and PostgreSQL both run.

    Subclasses supply the connection: ``_write`` (one transaction), ``_run`` (a statement in
    it; ``?`` placeholders) and ``_read``. Each transition moves the status counters in the
    same transaction, so the counters never disagree with the rows.
    """

    path: str
    _clock: Callable[[], float]

    def _write(self, *, durable: bool = True) -> AbstractContextManager[None]:
        """One write transaction. ``durable=False`` (a worker's transition) commits without
        waiting for the disk: a power loss may undo it, and the job is then claimed again after
        its lease, so the write lock is never held through a flush the acknowledgement waits
        behind; an enqueue, a retry or purge by an operator, and erasure stay durable."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the connection."""
        raise NotImplementedError

    def _run(self, sql: str, params: Sequence[object] = ()) -> Any:
        raise NotImplementedError

    def _read_all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _read(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        rows = self._read_all(sql, params)
        return rows[0] if rows else None

    # -- JobQueue (receivers) ------------------------------------------------------------------

    def enqueue(self, job: NewJob, *, limit: int) -> Enqueued:
        """Store a job unless it is a duplicate or ``limit`` jobs are already pending."""
        return self.enqueue_many([job], limit=limit)[0]

    def enqueue_many(self, jobs: Sequence[NewJob], *, limit: int) -> list[Enqueued]:
        """``enqueue`` for each job, in order, in one transaction: one durable commit (one
        flush) for a group of deliveries that arrived together."""
        rows = [
            (
                job,
                json.dumps(job.payload, ensure_ascii=False, separators=(",", ":")),
                json.dumps(dict(job.meta), separators=(",", ":")),
            )
            for job in jobs
        ]
        with self._write():
            return [self._enqueue_one(job, payload, meta, limit) for job, payload, meta in rows]

    def _enqueue_one(self, job: NewJob, payload: str, meta: str, limit: int) -> Enqueued:
        """One job of ``enqueue_many``, inside its transaction."""
        now = self._clock()
        seen = self._run(
            "SELECT id, status FROM jobs WHERE id = ? OR delivery_key = ?",
            (job.id, job.delivery_key),
        ).fetchall()
        if any(row_id != job.id or status != JobStatus.FAILED for row_id, status in seen):
            return Enqueued.DUPLICATE
        if self._pending() >= limit:
            return Enqueued.FULL
        for (status,) in self._run(  # a failed one, replaced by its redelivery
            "DELETE FROM jobs WHERE id = ? RETURNING status", (job.id,)
        ).fetchall():
            self._count("status", status, -1)
        self._run(
            "INSERT INTO jobs(id, vendor, delivery_key, status, payload, meta, accepted_at, "
            "next_attempt_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?)",
            (job.id, job.vendor, job.delivery_key, payload, meta, now, now),
        )
        self._count("status", JobStatus.QUEUED, +1)
        self._queued(job.id)
        return Enqueued.QUEUED

    def _queued(self, job_id: str) -> None:
        """Hook: a job was (re)queued inside the current transaction (PostgreSQL defers it)."""

    def _pending(self) -> int:
        row = self._run(
            "SELECT COALESCE(SUM(value), 0) FROM job_counters WHERE name = 'status' "
            "AND label IN ('queued', 'running', 'retrying')"
        ).fetchone()
        return int(row[0])

    # -- transitions (workers) -----------------------------------------------------------------

    def complete(self, job_id: str, owner: str, result: JobResult) -> bool:
        """Record the result and drop the queued record."""
        now = self._clock()
        report_json, report_html = _pack(result.report_json), _pack(result.report_html)
        with self._write(durable=False):
            row = self._run(
                "UPDATE jobs SET status = 'done', payload = NULL, owner = NULL, "
                "finished_at = ?, screen_seconds = ?, last_error = NULL, failure_reason = NULL, "
                "score = ?, band = ?, report_json = ?, report_html = ? "
                "WHERE id = ? AND owner = ? AND status = 'running' RETURNING accepted_at",
                (
                    now,
                    result.screen_seconds,
                    result.score,
                    result.band,
                    report_json,
                    report_html,
                    job_id,
                    owner,
                ),
            ).fetchone()
            if row is not None:
                self._moved(JobStatus.RUNNING, JobStatus.DONE)
                self._observe("screen", result.screen_seconds)
                self._observe("latency", now - float(row[0]))
                if result.writeback is not None:
                    self._run(_SCHEDULE_WRITEBACK, (now, result.writeback, job_id))
        return row is not None

    def retry(self, job_id: str, owner: str, error: str, delay: float) -> bool:
        """Record a failed attempt; due again after ``delay`` seconds."""
        with self._write(durable=False):
            moved = self._run(
                "UPDATE jobs SET status = 'retrying', owner = NULL, last_error = ?, "
                "next_attempt_at = ? WHERE id = ? AND owner = ? AND status = 'running'",
                (error, self._clock() + delay, job_id, owner),
            ).rowcount
            if moved:
                self._moved(JobStatus.RUNNING, JobStatus.RETRYING)
        return bool(moved)

    def bury(
        self,
        job_id: str,
        owner: str,
        error: str,
        reason: str = "error",
        writeback: str | None = None,
    ) -> bool:
        """Give up on a job; its payload, error and attempts are kept for an operator (and a
        "could not screen" write-back step scheduled with it, when given)."""
        now = self._clock()
        with self._write(durable=False):
            moved = self._run(
                "UPDATE jobs SET status = 'failed', owner = NULL, finished_at = ?, "
                "last_error = ?, failure_reason = ? "
                "WHERE id = ? AND owner = ? AND status = 'running'",
                (now, error, reason, job_id, owner),
            ).rowcount
            if moved:
                self._moved(JobStatus.RUNNING, JobStatus.FAILED)
                self._count("failure", reason, +1)
                if writeback is not None:
                    self._run(_SCHEDULE_WRITEBACK, (now, writeback, job_id))
        return bool(moved)

    # -- the write-back step -------------------------------------------------------------------

    def claim_writeback(
        self, owner: str, lease_seconds: float, job_id: str | None = None
    ) -> WritebackTask | None:
        """The next due write-back step (or ``job_id``'s), leased to ``owner``.

        The due time is pushed to the end of the lease in the same statement, and re-checked
        by it, so two workers cannot take the same step, and a worker that dies mid-post
        leaves the step to be tried again after the lease.
        """
        now = self._clock()
        due = "writeback_status IN ('pending', 'retrying') AND writeback_due <= ?"
        pick = f"SELECT id FROM jobs WHERE {due}" + (
            " AND id = ?" if job_id else " ORDER BY writeback_due LIMIT 1"
        )
        with self._write(durable=False):
            row = self._run(
                f"UPDATE jobs SET writeback_due = ?, writeback_attempts = writeback_attempts + 1 "
                f"WHERE id = ({pick}) AND {due} "
                "RETURNING id, vendor, meta, writeback_task, writeback_attempts, writeback",
                (now + lease_seconds, now, *((job_id,) if job_id else ()), now),
            ).fetchone()
        if row is None:
            return None
        meta = json.loads(row[2]) if row[2] else {}
        return WritebackTask(
            job_id=str(row[0]),
            vendor=str(row[1]),
            candidate=str(meta.get("candidate", "")),
            payload=str(row[3]),
            attempts=int(row[4]),
            outcome=row[5],
        )

    def finish_writeback(
        self, job_id: str, outcome: str, status: WritebackStatus, delay: float = 0.0
    ) -> None:
        """Record a try: its outcome line, the step's status and, when retrying, its due time."""
        due = self._clock() + delay if status is WritebackStatus.RETRYING else None
        with self._write(durable=False):
            self._run(
                "UPDATE jobs SET writeback = ?, writeback_status = ?, writeback_due = ? "
                "WHERE id = ?",
                (outcome, status.value, due, job_id),
            )
            self._count("writeback_step", status.value, +1)  # tries by outcome

    # -- ResultStore ---------------------------------------------------------------------------

    def get(self, job_id: str) -> JobRecord | None:
        """A job's state."""
        row = self._read(f"SELECT {_RECORD_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        return None if row is None else _record(row)

    def list_jobs(self, status: JobStatus | None = None, limit: int = 100) -> list[JobRecord]:
        """Jobs (of one status), oldest accepted first."""
        if status is None:
            rows = self._read_all(
                f"SELECT {_RECORD_COLUMNS} FROM jobs ORDER BY accepted_at, id LIMIT ?", (limit,)
            )
        else:
            rows = self._read_all(
                f"SELECT {_RECORD_COLUMNS} FROM jobs WHERE status = ? "
                "ORDER BY accepted_at, id LIMIT ?",
                (status.value, limit),
            )
        return [_record(row) for row in rows]

    def finished_since(
        self, after: float | None, after_id: str = "", limit: int = 1000
    ) -> list[JobRecord]:
        """Done jobs finished after ``(after, after_id)``, in finishing order (``None``: from
        the first): a reader that keeps the last one it saw reads only what is new (an index
        range on ``finished_at``: the ``>=`` bounds it, the rest only filters the edge;
        ``status || ''`` keeps SQLite from picking the status index, which is every done job)."""
        since = after if after is not None else float("-inf")
        rows = self._read_all(
            f"SELECT {_RECORD_COLUMNS} FROM jobs WHERE finished_at >= ? "
            "AND (finished_at > ? OR id > ?) AND status || '' = 'done' "
            "ORDER BY finished_at, id LIMIT ?",
            (since, since, after_id, limit),
        )
        return [_record(row) for row in rows]

    def payload(self, job_id: str) -> Mapping[str, object] | None:
        """The stored payload of a job that still has one (pending or failed)."""
        row = self._read("SELECT payload FROM jobs WHERE id = ?", (job_id,))
        if row is None or row[0] is None:
            return None
        data: Mapping[str, object] = json.loads(row[0])
        return data

    def report(self, job_id: str, fmt: ReportFormat) -> str | None:
        """The stored report of a finished job (None while it is not done)."""
        column = "report_json" if fmt == "json" else "report_html"
        row = self._read(f"SELECT {column} FROM jobs WHERE id = ? AND status = 'done'", (job_id,))
        return zlib.decompress(row[0]).decode("utf-8") if row and row[0] is not None else None

    # how the write-back reference inside the ``meta`` JSON text is read (SQLite's JSON1)
    _META_CANDIDATE = "json_extract(meta, '$.candidate')"

    def find_candidate(self, vendor: str, candidate_ref: str) -> list[str]:
        """Jobs of ``vendor`` whose write-back reference is ``candidate_ref``."""
        rows = self._read_all(
            f"SELECT id FROM jobs WHERE vendor = ? AND {self._META_CANDIDATE} = ?",
            (vendor, candidate_ref),
        )
        return [str(row[0]) for row in rows]

    def requeue(self, job_id: str | None = None) -> int:
        """Queue failed jobs again (one, or all when ``job_id`` is None), attempts from zero."""
        now = self._clock()
        sql = (
            "UPDATE jobs SET status = 'queued', attempts = 0, next_attempt_at = ?, "
            "finished_at = NULL, failure_reason = NULL WHERE status = 'failed' AND payload "
            "IS NOT NULL"
        )
        with self._write():
            ids = [
                str(r[0])
                for r in self._run(
                    sql + (" AND id = ? RETURNING id" if job_id else " RETURNING id"),
                    (now, job_id) if job_id else (now,),
                ).fetchall()
            ]
            self._moved(JobStatus.FAILED, JobStatus.QUEUED, len(ids))
            for one in ids:
                self._queued(one)
        return len(ids)

    def purge(self, job_id: str | None = None) -> int:
        """Delete failed jobs (one, or all when ``job_id`` is None)."""
        with self._write():
            n = self._run(
                "DELETE FROM jobs WHERE status = 'failed'" + (" AND id = ?" if job_id else ""),
                (job_id,) if job_id else (),
            ).rowcount
            self._count("status", JobStatus.FAILED, -n)
        return int(n)

    def prune(self, finished_before: float, batch: int = 1000) -> int:
        """Delete up to ``batch`` done and failed jobs finished before ``finished_before``
        (one short transaction: call again while it returns ``batch``)."""
        with self._write():
            gone = self._run(
                "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE finished_at < ? "
                "AND status IN ('done', 'failed') ORDER BY finished_at LIMIT ?) "
                "RETURNING status",
                (finished_before, batch),
            ).fetchall()
            for status, n in Counter(str(status) for (status,) in gone).items():
                self._count("status", status, -n)
        return len(gone)

    def delivery_keys(self, job_id: str) -> list[str]:
        """The delivery keys ``job_id`` was queued under (for its erasure's tombstones)."""
        return [
            str(r[0])
            for r in self._read_all("SELECT delivery_key FROM jobs WHERE id = ?", (job_id,))
        ]

    def forget(self, job_id: str) -> bool:
        """Delete a job and its reports."""
        with self._write():
            gone = self._run("DELETE FROM jobs WHERE id = ? RETURNING status", (job_id,)).fetchall()
            for (status,) in gone:
                self._count("status", status, -1)
        return bool(gone)

    def stats(self) -> QueueStats:
        """Counters (a few dozen rows whatever the table size) and the oldest pending job."""
        counts = {status: 0 for status in JobStatus}
        failures: dict[str, int] = {}
        writebacks: dict[str, int] = {}
        buckets: dict[str, dict[int, int]] = {"screen": {}, "latency": {}}
        sums = {"screen": 0.0, "latency": 0.0}
        for name, label, value in self._read_all("SELECT name, label, value FROM job_counters"):
            if name == "status" and label in _STATUS_VALUES:
                counts[JobStatus(label)] = int(value)
            elif name == "failure":
                failures[str(label)] = int(value)
            elif name == "writeback_step":
                writebacks[str(label)] = int(value)
            elif name in ("screen_sum", "latency_sum"):
                sums[name.removesuffix("_sum")] = float(value)
            elif name in buckets:
                buckets[name][int(label)] = int(value)
        oldest = [
            row[0]
            for status in ("queued", "retrying")
            if (row := self._read("SELECT MIN(accepted_at) FROM jobs WHERE status = ?", (status,)))
            and row[0] is not None
        ]
        age = max(0.0, self._clock() - min(oldest)) if oldest else 0.0
        return QueueStats(
            counts,
            histogram_from_counts(buckets["screen"], sums["screen"]),
            histogram_from_counts(buckets["latency"], sums["latency"]),
            oldest_pending_seconds=age,
            failures=failures,
            writebacks=writebacks,
        )

    def ping(self) -> None:
        """A cheap round trip that fails (``StoreError``) when the database is unusable."""
        self._read("SELECT 1")

    def workers_alive(self, within_seconds: float) -> int | None:
        """Unknown here: on SQLite the workers are the server's own processes."""
        return None

    # -- counters ------------------------------------------------------------------------------

    def _count(self, name: str, label: str, delta: float) -> None:
        if delta:
            self._run(
                "INSERT INTO job_counters(name, label, value) VALUES (?, ?, ?) "
                "ON CONFLICT(name, label) DO UPDATE SET value = job_counters.value + "
                "excluded.value",
                (name, str(label), delta),
            )

    def _moved(self, old: JobStatus, new: JobStatus, n: int = 1) -> None:
        # counter rows in one order in every transaction: on PostgreSQL two transactions
        # moving jobs the opposite way cannot deadlock on them
        for status, delta in sorted(((old.value, -n), (new.value, +n))):
            self._count("status", status, delta)

    def _observe(self, name: str, seconds: float) -> None:
        self._count(name, str(bucket_index(seconds)), 1)
        self._count(f"{name}_sum", "", seconds)


class SqliteJobs(SqlJobs):
    """``JobQueue`` and ``ResultStore`` on one SQLite connection."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = str(path)
        self._clock = clock
        self._conn = connect(path)
        self._intake = False
        try:
            self._conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use {path}: {exc}") from None
        migrate(self._conn, COMPONENT, MIGRATIONS, self.path)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def enqueue_many(self, jobs: Sequence[NewJob], *, limit: int) -> list[Enqueued]:
        """``SqlJobs.enqueue_many``; the connection that acknowledges deliveries leaves the
        write-ahead log's checkpoints (copying it into the file, with a flush) to the
        workers' connections, whose every commit checks the log's size, so that an
        acknowledgement never waits for one (the server's other connection and the last
        connection to close also checkpoint)."""
        if not self._intake:
            self._conn.execute("PRAGMA wal_autocheckpoint=0")
            self._intake = True
        return super().enqueue_many(jobs, limit=limit)

    def claim(self, owner: str, lease_seconds: float) -> ClaimedJob | None:
        """The next due job (oldest due first), leased to ``owner``."""
        now = self._clock()
        with self._write(durable=False):
            due = self._conn.execute(
                "SELECT id, status FROM jobs WHERE status IN ('queued', 'retrying', 'running') "
                "AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 1",
                (now,),
            ).fetchone()
            row = None
            if due is not None:
                row = self._conn.execute(
                    "UPDATE jobs SET status = 'running', owner = ?, next_attempt_at = ?, "
                    "started_at = ?, attempts = attempts + 1 WHERE id = ? "
                    "RETURNING id, vendor, payload, meta, attempts, accepted_at",
                    (owner, now + lease_seconds, now, due[0]),
                ).fetchone()
                if due[1] != JobStatus.RUNNING:
                    self._moved(JobStatus(due[1]), JobStatus.RUNNING)
        return None if row is None else claimed(row)

    def release_running(self) -> int:
        """Requeue every running job (call only when no worker of this database is alive)."""
        with self._write():
            n = self._conn.execute(
                "UPDATE jobs SET status = 'queued', owner = NULL, next_attempt_at = ? "
                "WHERE status = 'running'",
                (self._clock(),),
            ).rowcount
            self._moved(JobStatus.RUNNING, JobStatus.QUEUED, n)
        return int(n)

    # -- plumbing ------------------------------------------------------------------------------

    def _run(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self._conn.execute(sql, tuple(params))

    def _read_all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from None

    @contextmanager
    def _write(self, *, durable: bool = True) -> Iterator[None]:
        if durable:
            poll = INTAKE_POLL_SECONDS if self._intake else 0.0
            with write_transaction(self._conn, self.path, poll_seconds=poll):
                yield
            return
        # in WAL mode NORMAL syncs at checkpoints only; a later FULL commit (an enqueue) syncs
        # the log up to its own frames, which includes this one
        self._conn.execute("PRAGMA synchronous=NORMAL")
        try:
            with write_transaction(self._conn, self.path):
                yield
        finally:
            self._conn.execute("PRAGMA synchronous=FULL")


_STATUS_VALUES = frozenset(s.value for s in JobStatus)


def claimed(row: tuple[Any, ...]) -> ClaimedJob:
    """A claimed job from ``id, vendor, payload, meta, attempts, accepted_at``."""
    return ClaimedJob(
        id=row[0],
        vendor=row[1],
        payload=json.loads(row[2]) if row[2] else {},
        meta=json.loads(row[3]),
        attempts=int(row[4]),
        accepted_at=float(row[5]),
    )


def _record(row: tuple[Any, ...]) -> JobRecord:
    status = JobStatus(row[2])
    return JobRecord(
        id=row[0],
        vendor=row[1],
        status=status,
        attempts=int(row[3]),
        accepted_at=float(row[4]),
        next_attempt_at=float(row[5]) if status is JobStatus.RETRYING else None,
        finished_at=row[6],
        last_error=row[7],
        score=row[8],
        band=row[9],
        writeback=row[10],
        failure_reason=row[11],
        writeback_status=WritebackStatus(row[12]) if row[12] else None,
    )


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)
