"""The audit trail on PostgreSQL (``[store] url``): one list for every receiver and worker.

Same lines, same SQL (``screening.store.audit``); what differs is how append-only is enforced.
A trigger, not privileges: ``REVOKE UPDATE, DELETE`` binds only roles that are not the table's
owner or a superuser, and the service usually connects as the owner (it creates the tables), so
a revoke would not stop the service's own connection. Row triggers refuse every UPDATE and
DELETE and a statement trigger refuses TRUNCATE (which fires no row trigger), whoever connects.
Only someone who can drop the trigger (the owner, consciously, with DDL that PostgreSQL itself
can log) can rewrite the trail; docs/deployment.md says how to also take that from the service
with a separate owner role.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from screening.store.audit import COMPONENT, AuditTrail
from screening.store.db import Migration
from screening.store.postgres import PgConnected, PgConnection, pg_migrate

MIGRATIONS = (
    Migration(
        1,
        """
        CREATE TABLE audit (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at DOUBLE PRECISION NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            app_id TEXT,
            detail TEXT NOT NULL
        );
        CREATE INDEX audit_app ON audit(app_id, seq);
        CREATE INDEX audit_actor ON audit(actor, seq);
        CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only';
        END
        $$;
        CREATE TRIGGER audit_append_only_rows BEFORE UPDATE OR DELETE ON audit
            FOR EACH ROW EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_append_only_truncate BEFORE TRUNCATE ON audit
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()
        """,
    ),
)


def prepare_pg(conn: PgConnection, url: str) -> None:
    """Create or upgrade the audit table in the database."""
    pg_migrate(conn.raw, COMPONENT, MIGRATIONS, url)


class PostgresAuditLog(PgConnected, AuditTrail):
    """The audit trail in a PostgreSQL database, for callers that keep no other store open."""

    def __init__(self, url: str, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(url, clock)
        try:
            prepare_pg(self._conn, url)
        except BaseException:
            self._conn.close()
            raise
