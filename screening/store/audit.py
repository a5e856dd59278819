"""The append-only audit trail: who (token name, reviewer, ``cli``) did what, to which
application, and when.

Reading a report, deciding, resolving a finding, erasing an applicant, retrying a job or
changing an account is written here. Append-only by construction: SQLite triggers refuse UPDATE
and DELETE on the table, so nothing that goes through this database can rewrite who saw what.
Lines hold the opaque application id and a short detail (never candidate text), so they can
outlive an applicant's erasure.

Other stores append inside their own write transaction (``append``) so an action and its audit
line are committed together; ``AuditLog`` is the stand-alone reader and writer. With ``[store]
url = postgresql://...`` the trail is one table in that database (``screening.store.audit_pg``),
so every receiver writes to, and every admin reads, the same list; the SQL here runs on both.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from screening.store.db import (
    Migration,
    SqlBacked,
    SqlConnection,
    SqliteConnected,
    migrate,
    write_transaction,
)

COMPONENT = "audit"
MAX_DETAIL_CHARS = 500

MIGRATIONS = (
    Migration(
        1,
        """
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            app_id TEXT,
            detail TEXT NOT NULL
        );
        CREATE INDEX audit_app ON audit(app_id, seq);
        CREATE INDEX audit_actor ON audit(actor, seq)
        """,
    ),
)
# triggers hold a semicolon inside, so they are created one statement at a time (``prepare``)
_APPEND_ONLY = tuple(
    f"CREATE TRIGGER IF NOT EXISTS audit_append_only_{op.lower()} BEFORE {op} ON audit "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    for op in ("UPDATE", "DELETE")
)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail."""

    seq: int
    at: float
    actor: str
    action: str
    app_id: str | None
    detail: str


def prepare(conn: sqlite3.Connection, path: str) -> None:
    """Create or upgrade the audit table on an open connection."""
    migrate(conn, COMPONENT, MIGRATIONS, path)
    with write_transaction(conn, path):
        for statement in _APPEND_ONLY:
            conn.execute(statement)


def append(
    conn: SqlConnection,
    at: float,
    actor: str,
    action: str,
    app_id: str | None,
    detail: str = "",
) -> None:
    """Write one line (inside the caller's transaction)."""
    conn.execute(
        "INSERT INTO audit(at, actor, action, app_id, detail) VALUES(?, ?, ?, ?, ?)",
        (at, actor[:200], action[:100], app_id, detail[:MAX_DETAIL_CHARS]),
    )


def entries(
    conn: SqlConnection,
    *,
    app_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """The newest lines first, optionally for one application, person or kind of action."""
    where: list[str] = []
    params: list[object] = []
    for column, value in (("app_id", app_id), ("actor", actor), ("action", action)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    clause = f"WHERE {' AND '.join(where)} " if where else ""
    rows = conn.execute(
        f"SELECT seq, at, actor, action, app_id, detail FROM audit {clause}"
        "ORDER BY seq DESC LIMIT ?",
        (*params, max(1, min(limit, 10_000))),
    ).fetchall()
    return [AuditEntry(int(r[0]), float(r[1]), r[2], r[3], r[4], r[5]) for r in rows]


class AuditTrail(SqlBacked):
    """Reading and writing the trail on one connection; subclasses open it (SQLite, PostgreSQL)."""

    def record(self, actor: str, action: str, app_id: str | None, detail: str = "") -> None:
        """Append one line in its own transaction."""
        with self._write():
            append(self._db(), self._clock(), actor, action, app_id, detail)

    def entries(
        self,
        *,
        app_id: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 200,
    ) -> list[AuditEntry]:
        """The newest lines first (see the module function)."""
        with self._reading():
            return entries(self._db(), app_id=app_id, actor=actor, action=action, limit=limit)


class AuditLog(SqliteConnected, AuditTrail):
    """The audit trail of one SQLite file, for callers that keep no other store open."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(path, clock)
        prepare(self._conn, self.path)
