"""PostgreSQL connections and per-component schema migrations (the ``[store] url`` backend).

Why a second backend: one SQLite file serves one machine; several receivers and workers on
several machines share one PostgreSQL database. Components keep their versioned migrations
(``screening.store.db.Migration``) with the same ``schema_versions`` bookkeeping as SQLite;
a migration runs under a transaction-scoped advisory lock, so servers and workers starting at
once apply each step once. SQL shared with SQLite is written with ``?`` placeholders and
translated here (none of our statements holds a literal question mark).

Needs the ``postgres`` extra (psycopg 3, procrastinate).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from screening.errors import StoreError
from screening.store.db import Migration, SqlConnection

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_SECONDS = 10


def to_pg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s``."""
    return sql.replace("%", "%%").replace("?", "%s")


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}"


def connect_pg(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection (transactions are explicit), or a ``StoreError`` naming the host."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "[store] url is a PostgreSQL database: install the 'postgres' extra "
            "(pip install 'screening[postgres]')"
        ) from None
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"cannot connect to {redact(url)}: {first}") from None


@contextmanager
def pg_errors(url: str) -> Iterator[None]:
    """psycopg errors as ``StoreError`` naming the database (never its password)."""
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreError(f"database error on {redact(url)}: {first}") from None


class PgConnection:
    """A psycopg connection that speaks the ``?`` dialect the SQLite stores write (the history, the
    reviewers' store and the audit trail run the same SQL on both backends)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.raw = connect_pg(url)

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any:
        return self.raw.execute(to_pg(sql).encode(), tuple(parameters))

    def executemany(self, sql: str, parameters: Sequence[Sequence[Any]], /) -> Any:
        rows = list(parameters)
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(to_pg(sql).encode(), rows)

    def close(self) -> None:
        self.raw.close()

    def live(self) -> PgConnection:
        """This connection, opened again first if the server closed it (a database restart)."""
        if self.raw.closed or self.raw.broken:
            self.raw = connect_pg(self.url)
        return self


@contextmanager
def pg_transaction(conn: PgConnection) -> Iterator[None]:
    """One transaction on ``conn``; psycopg errors as a ``StoreError`` naming the database."""
    with pg_errors(conn.url), conn.live().raw.transaction():
        yield


@contextmanager
def pg_reading(conn: PgConnection) -> Iterator[None]:
    """Reads outside a transaction (each statement commits on its own), reconnecting first
    when the server closed the connection; never used inside ``pg_transaction``, where a new
    connection would leave the transaction."""
    with pg_errors(conn.url):
        conn.live()
        yield


class PgConnected:
    """The PostgreSQL side of a store written once for both backends (``SqlConnection`` SQL):
    its connection, write transactions and read errors (the reviewers' store, the audit log)."""

    def __init__(self, url: str, clock: Callable[[], float]) -> None:
        self.url = url
        self.path = redact(url)
        self._clock = clock
        self._conn = PgConnection(url)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _db(self) -> SqlConnection:
        return self._conn

    def _write(self) -> AbstractContextManager[None]:
        return pg_transaction(self._conn)

    def _reading(self) -> AbstractContextManager[None]:
        return pg_reading(self._conn)


def pg_migrate(
    conn: psycopg.Connection[Any], component: str, migrations: Sequence[Migration], url: str
) -> int:
    """Bring ``component`` to the newest of ``migrations``; refuse a newer database."""
    latest = max((m.version for m in migrations), default=0)
    with pg_errors(url), conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('screening-migrations'))")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions ("
            " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
        row = conn.execute(
            "SELECT version FROM schema_versions WHERE component = %s", (component,)
        ).fetchone()
        current = int(row[0]) if row else 0
        if current > latest:
            raise StoreError(
                f"{redact(url)} holds {component} schema version {current}, newer than this "
                f"version of screening understands ({latest}); upgrade screening"
            )
        for m in sorted(migrations, key=lambda m: m.version):
            if m.version > current:
                for statement in pg_statements(m.sql):
                    conn.execute(statement.encode())
        if latest > current:
            conn.execute(
                "INSERT INTO schema_versions(component, version) VALUES (%s, %s) "
                "ON CONFLICT (component) DO UPDATE SET version = excluded.version",
                (component, latest),
            )
    return latest


def pg_statements(sql: str) -> list[str]:
    """A migration script's statements; a ``$$``-quoted function body stays whole."""
    out: list[str] = []
    buffer = ""
    for piece in sql.split(";"):
        buffer = f"{buffer};{piece}" if buffer else piece
        if buffer.count("$$") % 2 == 0:
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    return out


JOBS_MIGRATIONS = (
    Migration(
        1,
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            vendor TEXT NOT NULL,
            delivery_key TEXT NOT NULL UNIQUE,
            status TEXT NOT NULL,
            payload TEXT,
            meta TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            accepted_at DOUBLE PRECISION NOT NULL,
            next_attempt_at DOUBLE PRECISION NOT NULL,
            owner TEXT,
            started_at DOUBLE PRECISION,
            finished_at DOUBLE PRECISION,
            screen_seconds DOUBLE PRECISION,
            last_error TEXT,
            score DOUBLE PRECISION,
            band TEXT,
            report_json BYTEA,
            report_html BYTEA,
            writeback TEXT,
            failure_reason TEXT
        );
        CREATE INDEX jobs_status ON jobs(status, accepted_at);
        CREATE INDEX jobs_finished ON jobs(finished_at) WHERE finished_at IS NOT NULL;
        CREATE TABLE job_counters (
            name TEXT NOT NULL,
            label TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (name, label)
        )
        """,
    ),
    # 2: write-back is a step of its own, with its status, tries and due time
    Migration(
        2,
        """
        ALTER TABLE jobs ADD COLUMN writeback_status TEXT;
        ALTER TABLE jobs ADD COLUMN writeback_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE jobs ADD COLUMN writeback_due DOUBLE PRECISION;
        ALTER TABLE jobs ADD COLUMN writeback_task TEXT;
        CREATE INDEX jobs_writeback_due ON jobs(writeback_due)
            WHERE writeback_status IN ('pending', 'retrying')
        """,
    ),
)
