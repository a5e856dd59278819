"""The embedded job queue and result store of the webhook server: one SQLite table.

Implements ``JobQueue`` and ``ResultStore`` (``screening.store.jobs_api``) on the shared database
file (component ``jobs``, WAL journaling through ``screening.store.db``). Why SQLite is enough
for one machine: an enqueue is one short ``BEGIN IMMEDIATE`` transaction (well under a
millisecond), WAL lets the results API read while a worker writes, and several processes (the
server and its worker processes) can share the file. Commits use ``synchronous=FULL``, so a job
acknowledged to a vendor survives a crash of the process and of the machine.

Data minimisation: the queued record is deleted as soon as the job is done or dead; what stays
is the rendered report (zlib-compressed), the score, band and outcome. Delivery ids are stored
as SHA-256 hashes. ``forget`` removes a job entirely.

Both hot statements are index lookups whatever the queue length: the pending count that bounds
the queue is kept in a one-row table updated in the same transactions, and claiming reads one
entry of a partial index on ``next_attempt_at`` (for a running job that column holds the end of
its lease, so jobs due again and jobs whose worker died are found by the same lookup).

One connection belongs to one thread (sqlite3's rule): the server's event loop holds one, each
worker process opens its own.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
import zlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from screening.errors import StoreError
from screening.store.db import Migration, connect, migrate, write_transaction
from screening.store.jobs_api import (
    LATENCY_BUCKETS,
    PENDING,
    ClaimedJob,
    Enqueued,
    Histogram,
    JobRecord,
    JobResult,
    JobStatus,
    NewJob,
    QueueStats,
    ReportFormat,
)

COMPONENT = "jobs"
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
    )
]

_PENDING_VALUES = frozenset(s.value for s in PENDING)
_RECORD_COLUMNS = (
    "id, vendor, status, attempts, accepted_at, next_attempt_at, finished_at, last_error, "
    "score, band, writeback"
)
_HISTOGRAM_SQL = "SELECT {cols}, COUNT({x}), TOTAL({x}) FROM jobs WHERE status = 'done'"


def _histogram_query(expr: str) -> str:
    cols = ", ".join(f"TOTAL({expr} <= {bound})" for bound in LATENCY_BUCKETS)
    return _HISTOGRAM_SQL.format(cols=cols, x=expr)


_SCREEN_HISTOGRAM = _histogram_query("screen_seconds")
_E2E_HISTOGRAM = _histogram_query("finished_at - accepted_at")


def delivery_hash(vendor: str, delivery_id: str) -> str:
    """The stored form of a delivery key (the raw id may embed a vendor token)."""
    return hashlib.sha256(f"{vendor}\x00{delivery_id}".encode()).hexdigest()


class SqliteJobs:
    """``JobQueue`` and ``ResultStore`` on one SQLite connection."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = str(path)
        self._clock = clock
        self._conn = connect(path)
        try:
            self._conn.execute("PRAGMA synchronous=FULL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use {path}: {exc}") from None
        migrate(self._conn, COMPONENT, MIGRATIONS, self.path)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    # -- JobQueue ------------------------------------------------------------------------------

    def enqueue(self, job: NewJob, *, limit: int) -> Enqueued:
        """Store a job unless it is a duplicate or ``limit`` jobs are already pending."""
        now = self._clock()
        payload = json.dumps(job.payload, ensure_ascii=False, separators=(",", ":"))
        meta = json.dumps(dict(job.meta), separators=(",", ":"))
        with self._write():
            seen = self._conn.execute(
                "SELECT id, status FROM jobs WHERE id = ? OR delivery_key = ?",
                (job.id, job.delivery_key),
            ).fetchall()
            if any(row_id != job.id or status != JobStatus.DEAD for row_id, status in seen):
                return Enqueued.DUPLICATE
            if self._conn.execute("SELECT n FROM jobs_pending").fetchone()[0] >= limit:
                return Enqueued.FULL
            self._conn.execute("DELETE FROM jobs WHERE id = ?", (job.id,))  # a dead one
            self._conn.execute(
                "INSERT INTO jobs(id, vendor, delivery_key, status, payload, meta, accepted_at, "
                "next_attempt_at) VALUES (?, ?, ?, 'queued', ?, ?, ?, ?)",
                (job.id, job.vendor, job.delivery_key, payload, meta, now, now),
            )
            self._count_pending(+1)
        return Enqueued.QUEUED

    def claim(self, owner: str, lease_seconds: float) -> ClaimedJob | None:
        """The next due job (oldest due first), leased to ``owner``."""
        now = self._clock()
        with self._write():
            row = self._conn.execute(
                "UPDATE jobs SET status = 'running', owner = ?, next_attempt_at = ?, "
                "started_at = ?, attempts = attempts + 1 WHERE id = ("
                " SELECT id FROM jobs WHERE status IN ('queued', 'failed', 'running') "
                " AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 1) "
                "RETURNING id, vendor, payload, meta, attempts, accepted_at",
                (owner, now + lease_seconds, now, now),
            ).fetchone()
        if row is None:
            return None
        return ClaimedJob(
            id=row[0],
            vendor=row[1],
            payload=json.loads(row[2]) if row[2] else {},
            meta=json.loads(row[3]),
            attempts=int(row[4]),
            accepted_at=float(row[5]),
        )

    def complete(self, job_id: str, owner: str, result: JobResult) -> bool:
        """Record the result and drop the queued record."""
        with self._write():
            cursor = self._conn.execute(
                "UPDATE jobs SET status = 'done', payload = NULL, owner = NULL, "
                "finished_at = ?, screen_seconds = ?, last_error = NULL, "
                "score = ?, band = ?, report_json = ?, report_html = ? "
                "WHERE id = ? AND owner = ? AND status = 'running'",
                (
                    self._clock(),
                    result.screen_seconds,
                    result.score,
                    result.band,
                    _pack(result.report_json),
                    _pack(result.report_html),
                    job_id,
                    owner,
                ),
            )
            self._count_pending(-cursor.rowcount)
        return cursor.rowcount == 1

    def retry(self, job_id: str, owner: str, error: str, delay: float) -> bool:
        """Record a failed attempt; due again after ``delay`` seconds."""
        with self._write():
            cursor = self._conn.execute(
                "UPDATE jobs SET status = 'failed', owner = NULL, last_error = ?, "
                "next_attempt_at = ? "
                "WHERE id = ? AND owner = ? AND status = 'running'",
                (error, self._clock() + delay, job_id, owner),
            )
        return cursor.rowcount == 1

    def bury(self, job_id: str, owner: str, error: str) -> bool:
        """Give up on a job; its record is dropped, the error kept."""
        with self._write():
            cursor = self._conn.execute(
                "UPDATE jobs SET status = 'dead', payload = NULL, owner = NULL, "
                "finished_at = ?, last_error = ? "
                "WHERE id = ? AND owner = ? AND status = 'running'",
                (self._clock(), error, job_id, owner),
            )
            self._count_pending(-cursor.rowcount)
        return cursor.rowcount == 1

    def release_running(self) -> int:
        """Requeue every running job (call only when no worker of this database is alive)."""
        with self._write():
            cursor = self._conn.execute(
                "UPDATE jobs SET status = 'queued', owner = NULL, next_attempt_at = ? "
                "WHERE status = 'running'",
                (self._clock(),),
            )
        return cursor.rowcount

    # -- ResultStore ---------------------------------------------------------------------------

    def get(self, job_id: str) -> JobRecord | None:
        """A job's state."""
        row = self._read(f"SELECT {_RECORD_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        if row is None:
            return None
        status = JobStatus(row[2])
        return JobRecord(
            id=row[0],
            vendor=row[1],
            status=status,
            attempts=int(row[3]),
            accepted_at=float(row[4]),
            next_attempt_at=float(row[5]) if status is JobStatus.FAILED else None,
            finished_at=row[6],
            last_error=row[7],
            score=row[8],
            band=row[9],
            writeback=row[10],
        )

    def report(self, job_id: str, fmt: ReportFormat) -> str | None:
        """The stored report of a finished job (None while it is not done)."""
        column = "report_json" if fmt == "json" else "report_html"
        row = self._read(f"SELECT {column} FROM jobs WHERE id = ? AND status = 'done'", (job_id,))
        return zlib.decompress(row[0]).decode("utf-8") if row and row[0] is not None else None

    def set_writeback(self, job_id: str, outcome: str) -> None:
        """Record what write-back did."""
        with self._write():
            self._conn.execute("UPDATE jobs SET writeback = ? WHERE id = ?", (outcome, job_id))

    def find_candidate(self, vendor: str, candidate_ref: str) -> list[str]:
        """Jobs of ``vendor`` whose write-back reference is ``candidate_ref``."""
        rows = self._conn.execute(
            "SELECT id FROM jobs WHERE vendor = ? AND json_extract(meta, '$.candidate') = ?",
            (vendor, candidate_ref),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def forget(self, job_id: str) -> bool:
        """Delete a job and its reports."""
        with self._write():
            gone = self._conn.execute(
                "DELETE FROM jobs WHERE id = ? RETURNING status", (job_id,)
            ).fetchall()
            self._count_pending(-sum(1 for (status,) in gone if status in _PENDING_VALUES))
        return bool(gone)

    def stats(self) -> QueueStats:
        """Counts per status and latency histograms of finished jobs."""
        counts = {status: 0 for status in JobStatus}
        try:
            for status, n in self._conn.execute(
                "SELECT status, COUNT(*) FROM jobs GROUP BY status"
            ):
                counts[JobStatus(status)] = int(n)
            screen = self._conn.execute(_SCREEN_HISTOGRAM).fetchone()
            e2e = self._conn.execute(_E2E_HISTOGRAM).fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from None
        return QueueStats(counts, _histogram(screen), _histogram(e2e))

    # -- plumbing ------------------------------------------------------------------------------

    def _count_pending(self, delta: int) -> None:
        """Keep the pending count (what bounds the queue) in step, in the same transaction.

        Counting rows at every enqueue would cost more the longer the queue grows.
        """
        if delta:
            self._conn.execute("UPDATE jobs_pending SET n = n + ?", (delta,))

    def _read(self, sql: str, params: tuple[object, ...]) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from None
        return row

    def _write(self) -> AbstractContextManager[None]:
        return write_transaction(self._conn, self.path)


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def _histogram(row: tuple[Any, ...]) -> Histogram:
    n = len(LATENCY_BUCKETS)
    return Histogram(
        buckets=tuple(int(v) for v in row[:n]), count=int(row[n]), total=float(row[n + 1])
    )
