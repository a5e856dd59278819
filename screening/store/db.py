"""SQLite connections and per-component schema migrations.

Connections use WAL journaling (readers never block the writer), a busy timeout so that two
processes writing at once wait for each other instead of failing, and foreign keys. Errors that
mean the file is not usable (corrupt, not a database, locked for longer than the timeout) become
``StoreError`` with a message that names the file and says what to do; nothing is overwritten.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

from screening.errors import StoreError

BUSY_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step of a component: version N is reached by running ``sql``."""

    version: int
    sql: str


def connect(path: Path | str, *, timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
    """Open (creating it and its folder if needed) a database file for concurrent use."""
    target = Path(path)
    if str(path) != ":memory:":
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            private_file(target)
        except OSError as exc:
            raise StoreError(f"cannot create {target}: {exc.strerror}") from None
    try:
        conn = sqlite3.connect(str(target), timeout=timeout, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_versions ("
            " component TEXT PRIMARY KEY, version INTEGER NOT NULL)"
        )
    except sqlite3.DatabaseError as exc:
        raise StoreError(explain_error(target, exc)) from None
    return conn


def private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (0600), or narrow an existing file we own.

    The database holds reports about people; SQLite creates its -wal and -shm files with the
    main file's permissions, so they follow. An existing file is changed by path, never opened:
    closing any descriptor of a database file drops every POSIX lock this process holds on it,
    including those of other SQLite connections (sqlite.org "How To Corrupt", 2.2.1), which
    showed as "disk I/O error" when a second thread opened the file.
    """
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        info = os.stat(path)
        if info.st_mode & 0o077 and info.st_uid == os.getuid():
            os.chmod(path, 0o600)
        return
    os.close(fd)


def hold_server_lock(path: Path) -> IO[bytes]:
    """Lock ``<path>.serve.lock`` for this process's lifetime, or refuse with who holds it.

    Two servers on one SQLite file would each requeue the other's running jobs at start and
    screen them twice; a deployment with several servers needs PostgreSQL (``[store] url``).
    The lock is an advisory ``flock``: the kernel drops it when the process dies, so a server
    killed with SIGKILL never leaves a stale lock behind.
    """
    lock_path = Path(f"{path}.serve.lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        private_file(lock_path)
        handle = lock_path.open("r+b")
    except OSError as exc:
        raise StoreError(f"cannot create {lock_path}: {exc.strerror}") from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = handle.read(32).decode("ascii", "replace").strip() or "unknown"
        handle.close()
        raise StoreError(
            f"another `screening serve` (pid {holder}) is already using {path}; one SQLite "
            "file serves one server: stop the other one, point [store] path at another file, "
            "or share a PostgreSQL database between servers ([store] url = postgresql://...)"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()).encode())
    handle.flush()
    return handle


def explain_error(path: Path, exc: sqlite3.Error) -> str:
    """A sentence that names the file and says what to do about a SQLite error."""
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return (
            f"{path} is not a usable SQLite database ({exc}); move it aside to start a new "
            "history, or restore it from a backup"
        )
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another process for longer than the timeout; try again"
    if "readonly" in text or "unable to open" in text:
        return f"cannot write to {path}: {exc}"
    return f"database error on {path}: {exc}"


def schema_version(conn: sqlite3.Connection, component: str) -> int:
    """The component's schema version in this database (0: never created)."""
    row = conn.execute(
        "SELECT version FROM schema_versions WHERE component = ?", (component,)
    ).fetchone()
    return int(row[0]) if row else 0


@contextmanager
def write_transaction(
    conn: sqlite3.Connection, path: Path | str, *, poll_seconds: float = 0.0
) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any error; SQLite errors become a
    ``StoreError`` naming the file.

    IMMEDIATE takes the write lock at the start, so two processes cannot interleave a
    read-then-write. SQLite has already rolled back after some errors (disk full, I/O); a second
    ROLLBACK would raise "no transaction is active" in place of the error that explains it.
    ``poll_seconds``: see ``_begin``.
    """
    try:
        _begin(conn, poll_seconds)
    except sqlite3.Error as exc:
        raise StoreError(explain_error(Path(path), exc)) from None
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StoreError(explain_error(Path(path), exc)) from None
        raise


def _begin(conn: sqlite3.Connection, poll_seconds: float) -> None:
    """``BEGIN IMMEDIATE``. While another connection writes, SQLite's busy handler sleeps 1,
    2, 5, 10 ... up to 100 ms between tries (sqlite.org, ``sqliteDefaultBusyCallback``), so a
    waiter can miss many short transactions of busy writers in a row; with ``poll_seconds``
    the lock is tried at that fixed interval instead (for up to the busy timeout), which takes
    it soon after it is free, ahead of writers that back off."""
    if poll_seconds <= 0:
        conn.execute("BEGIN IMMEDIATE")
        return
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                    raise
            time.sleep(poll_seconds)
    finally:
        conn.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")


def migrate(
    conn: sqlite3.Connection, component: str, migrations: Sequence[Migration], path: str = ""
) -> int:
    """Bring ``component`` to the newest of ``migrations``; refuse a newer database.

    Runs in one ``BEGIN IMMEDIATE`` transaction so two processes starting at once cannot both
    apply the same step; a schema that is already current is only read, so opening a connection
    (each thread of the server opens its own) never waits for the write lock.
    """
    latest = max((m.version for m in migrations), default=0)
    try:
        if schema_version(conn, component) == latest:
            return latest
    except sqlite3.Error as exc:
        raise StoreError(explain_error(Path(path or "database"), exc)) from None
    with write_transaction(conn, path or "database"):
        current = schema_version(conn, component)
        if current > latest:
            raise StoreError(
                f"{path or 'the database'} holds {component} schema version {current}, newer "
                f"than this version of screening understands ({latest}); upgrade screening "
                "or point [store] path at another file"
            )
        for m in sorted(migrations, key=lambda m: m.version):
            if m.version > current:
                for statement in _statements(m.sql):
                    conn.execute(statement)
        if latest > current:
            conn.execute(
                "INSERT INTO schema_versions(component, version) VALUES(?, ?) "
                "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                (component, latest),
            )
    return latest


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements; a trigger's ``BEGIN ... END`` stays whole
    (SQLite says when a statement is complete)."""
    out: list[str] = []
    buffer = ""
    for piece in sql.split(";"):
        buffer = f"{buffer};{piece}" if buffer else piece
        if sqlite3.complete_statement(buffer + ";"):
            if buffer.strip():
                out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        out.append(buffer.strip())
    return out


class SqlConnection(Protocol):
    """What the stores that run one SQL text on SQLite and PostgreSQL need of a connection:
    ``sqlite3.Connection`` itself, or ``screening.store.postgres.PgConnection``."""

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Any: ...

    def executemany(self, sql: str, parameters: Sequence[Sequence[Any]], /) -> Any: ...


class SqlBacked:
    """A store whose SQL is written once for both backends: a backend mix-in
    (``SqliteConnected``, ``PgConnected``) supplies the connection (``_db``), a write
    transaction (``_write``) and the translation of read errors (``_reading``)."""

    path: str
    _clock: Callable[[], float]

    def _db(self) -> SqlConnection:
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _reading(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection."""
        raise NotImplementedError


@contextmanager
def sqlite_reading(path: Path | str) -> Iterator[None]:
    """SQLite errors of a read as a ``StoreError`` naming the file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(explain_error(Path(path), exc)) from None


class SqliteConnected:
    """The SQLite side of a store written once for both backends (``SqlConnection`` SQL):
    its connection, write transactions and read errors (the reviewers' store, the audit log)."""

    def __init__(self, path: Path | str, clock: Callable[[], float]) -> None:
        self.path = str(path)
        self._clock = clock
        self._conn = connect(path)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def _db(self) -> SqlConnection:
        return self._conn

    def _write(self) -> AbstractContextManager[None]:
        return write_transaction(self._conn, self.path)

    def _reading(self) -> AbstractContextManager[None]:
        return sqlite_reading(self.path)
