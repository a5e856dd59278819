"""The history store on PostgreSQL: the same keyed tables, lookups and ``forget`` as SQLite.

Why: receivers and workers on several machines must find reuse whichever of them screened the
earlier application, so they share one history. Everything but the connection is
``HistoryStore``'s own code (one SQL dialect for both, ``?`` placeholders translated); what
differs is here: the schema's types, transactions, the key and what ``compact`` can promise.

The key: with SQLite a key is generated beside the file when none is configured; a database
server has no "beside", and every instance must hash with the same key, so PostgreSQL requires
``[history] secret`` (or ``secret_file``). Erasure: the rows are deleted in one transaction and
the tables vacuumed, which makes the space reusable; unlike SQLite's ``secure_delete`` PostgreSQL
does not overwrite freed pages at once (they are reused by later writes), which
docs/deployment.md states.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from screening.errors import StoreError
from screening.store.db import Migration
from screening.store.history import COMPONENT, TABLES, HistoryStore, Stats
from screening.store.postgres import PgConnection, pg_errors, pg_migrate, redact
from screening.store.secret import SecretInfo

MIGRATIONS = (
    Migration(
        1,
        """
        CREATE TABLE history_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE history_applications (
            app_key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            application_id TEXT NOT NULL UNIQUE,
            recorded_at TEXT NOT NULL,
            received_at TEXT,
            score DOUBLE PRECISION NOT NULL,
            band TEXT NOT NULL,
            names TEXT NOT NULL
        );
        CREATE TABLE history_identifiers (
            digest BYTEA NOT NULL,
            app_key BIGINT NOT NULL REFERENCES history_applications(app_key) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (digest, app_key, role)
        );
        CREATE INDEX history_identifiers_by_app ON history_identifiers(app_key);
        CREATE TABLE history_names (
            name_key BYTEA NOT NULL,
            app_key BIGINT NOT NULL REFERENCES history_applications(app_key) ON DELETE CASCADE,
            PRIMARY KEY (name_key, app_key)
        );
        CREATE INDEX history_names_by_app ON history_names(app_key);
        CREATE TABLE history_resumes (
            app_key BIGINT PRIMARY KEY
                REFERENCES history_applications(app_key) ON DELETE CASCADE,
            signature BYTEA NOT NULL
        );
        CREATE TABLE history_resume_bands (
            band_key BYTEA NOT NULL,
            app_key BIGINT NOT NULL REFERENCES history_applications(app_key) ON DELETE CASCADE,
            PRIMARY KEY (band_key, app_key)
        );
        CREATE INDEX history_resume_bands_by_app ON history_resume_bands(app_key)
        """,
    ),
    Migration(
        2,
        """
        CREATE TABLE history_tombstones (
            key BYTEA PRIMARY KEY,
            erased_at DOUBLE PRECISION NOT NULL
        )
        """,
    ),
)


class PostgresHistory(HistoryStore):
    """``HistoryStore`` on a PostgreSQL database (``[store] url``)."""

    def __init__(self, url: str, secret: str | None) -> None:
        if secret is None:
            raise StoreError(
                "a history on PostgreSQL needs [history] secret (or secret_file), the same on "
                "every instance; generate one with: python -c 'import secrets; "
                "print(secrets.token_hex(32))'"
            )
        super().__init__(Path(redact(url)), secret, 0.0)
        self.url = url
        self.secret_info = SecretInfo("configured")
        self._pg_local = threading.local()

    @classmethod
    def open_url(cls, url: str, secret: str | None) -> PostgresHistory:
        """Open (creating and migrating it if needed) the history in the database at ``url``."""
        store = cls(url, secret)
        store._connection()
        return store

    def _connection(self) -> Any:
        held: tuple[int, PgConnection] | None = getattr(self._pg_local, "conn", None)
        if held is not None and held[0] == os.getpid() and not held[1].raw.closed:
            return held[1]
        conn = PgConnection(self.url)
        try:
            pg_migrate(conn.raw, COMPONENT, MIGRATIONS, self.url)
            if not self._secret:
                self._secret = (self._configured or "").encode()
            self._check_secret(conn)
        except BaseException:
            conn.close()
            raise
        self._pg_local.conn = (os.getpid(), conn)
        return conn

    def close(self) -> None:
        """Close this thread's connection (the next call opens a new one)."""
        held: tuple[int, PgConnection] | None = getattr(self._pg_local, "conn", None)
        self._pg_local.conn = None
        if held is not None and held[0] == os.getpid():
            held[1].close()

    @contextmanager
    def _tx(self, conn: PgConnection) -> Iterator[None]:
        with pg_errors(self.url), conn.raw.transaction():
            yield

    def _write(self, conn: Any) -> AbstractContextManager[None]:
        return self._tx(conn)

    @contextmanager
    def _read(self) -> Iterator[Any]:
        conn = self._connection()
        with pg_errors(self.url), conn.raw.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield conn

    def compact(self) -> None:
        """Vacuum the history tables (the freed space becomes reusable)."""
        conn = self._connection()
        with pg_errors(self.url):
            for table in TABLES:
                conn.raw.execute(f"VACUUM {table}".encode())

    def stats(self) -> Stats:
        """As on SQLite; the size is the tables' and indexes' on the server."""
        base = super().stats()
        with self._read() as conn:
            size = sum(
                int(conn.execute("SELECT pg_total_relation_size(?)", (t,)).fetchone()[0])
                for t in (*TABLES, "history_meta")
            )
        return dataclasses.replace(base, size_bytes=size)
