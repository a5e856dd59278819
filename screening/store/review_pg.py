"""The reviewers' store on PostgreSQL (``[store] url``): accounts, sessions, decisions,
resolutions, the inbox index and the sign-in throttle, shared by every receiver.

Why: with several receivers behind one load balancer, a decision recorded through one must be
what the next request sees whichever receiver answers it, a session opened on one must be valid
on the others (no sticky sessions needed), and failed sign-ins must count together. Everything
but the schema and the connection is ``ReviewStore``'s own SQL; the audit lines written with each
change go to the PostgreSQL audit trail (``screening.store.audit_pg``) in the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from screening.store.audit_pg import prepare_pg
from screening.store.db import Migration
from screening.store.postgres import PgConnected, pg_migrate, pg_reading
from screening.store.review import COMPONENT, ReviewStore

MIGRATIONS = (
    Migration(
        1,
        """
        CREATE TABLE reviewers (
            name TEXT PRIMARY KEY,
            password_hash TEXT,
            role TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE review_sessions (
            token_hash TEXT PRIMARY KEY,
            reviewer TEXT NOT NULL,
            role TEXT NOT NULL,
            csrf TEXT NOT NULL,
            created_at DOUBLE PRECISION NOT NULL,
            expires_at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX review_sessions_expiry ON review_sessions(expires_at);
        CREATE INDEX review_sessions_reviewer ON review_sessions(reviewer);
        CREATE TABLE resolutions (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            app_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            resolution TEXT NOT NULL,
            note TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX resolutions_app ON resolutions(app_id, rule_id, seq);
        CREATE TABLE decisions (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            app_id TEXT NOT NULL,
            decision TEXT NOT NULL,
            note TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            at DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX decisions_app ON decisions(app_id, seq);
        CREATE TABLE inbox (
            app_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            source TEXT NOT NULL,
            band TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            findings INTEGER NOT NULL,
            received_at DOUBLE PRECISION NOT NULL,
            opened INTEGER NOT NULL DEFAULT 0,
            rules TEXT NOT NULL DEFAULT '',
            finished_at DOUBLE PRECISION,
            decision TEXT,
            name_fold TEXT NOT NULL DEFAULT '',
            search TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX inbox_received ON inbox(received_at, app_id);
        CREATE INDEX inbox_finished ON inbox(finished_at);
        CREATE TABLE rule_info (
            rule_id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            refs TEXT NOT NULL,
            falsepositives TEXT NOT NULL
        );
        CREATE TABLE login_failures (key TEXT NOT NULL, at DOUBLE PRECISION NOT NULL);
        CREATE INDEX login_failures_key ON login_failures(key, at);
        CREATE INDEX login_failures_at ON login_failures(at);
        CREATE TABLE rule_fired (rule_id TEXT PRIMARY KEY, n INTEGER NOT NULL)
        """,
    ),
)


class PostgresReview(PgConnected, ReviewStore):
    """``ReviewStore`` on a PostgreSQL database (one connection, used by one thread)."""

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(url, clock)
        try:
            pg_migrate(self._conn.raw, COMPONENT, MIGRATIONS, url)
            prepare_pg(self._conn, url)
        except BaseException:
            self._conn.close()
            raise

    def _inbox_lock(self) -> None:
        """Two receivers indexing the same new application at once: the second waits, then
        sees the first's row, so the rule counters count it once."""
        self._run("SELECT pg_advisory_xact_lock(hashtext('screening-inbox'))")

    def compact(self) -> None:
        """Vacuum the tables an erasure deleted from (the freed space becomes reusable; as with
        the history, PostgreSQL does not overwrite it at once: docs/deployment.md)."""
        with pg_reading(self._conn):
            for table in ("resolutions", "decisions", "inbox"):
                self._conn.raw.execute(f"VACUUM {table}".encode())
