"""The history of screened applications, kept as keyed hashes (docs/principles.md, §8).

Place in the flow: shared infrastructure. The history analyzer (stage 3) asks the store which
earlier applications share a keyed identifier, a similar name or near-duplicate resume text with
the application being screened; the pipeline records each application once it is scored. The
store never sees a raw identifier: phones, emails, addresses, payment accounts, wallets, handles,
name tokens and resume signatures arrive as HMAC-SHA256 digests under a secret kept outside the
database (``screening.store.secret``), so the database file alone reveals none of them. What is
stored in clear is only what ``screening history export`` shows: the application id, times, score
and band.

Why these tables and indexes: every lookup is a few primary-key seeks (digest first, newest
first, capped), so one lookup costs about the same against 10,000 or 1,000,000 applications.
Writers from several processes serialise on ``BEGIN IMMEDIATE`` with a busy timeout instead of
failing; each connection belongs to one thread of one process (a connection inherited through
``fork`` is never used or closed by the child). ``forget`` deletes with ``secure_delete`` on,
then vacuums and truncates the write-ahead log, so no page of the file keeps the erased rows.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from screening.errors import StoreError
from screening.store.db import (
    BUSY_TIMEOUT_SECONDS,
    Migration,
    connect,
    explain_error,
    migrate,
    schema_version,
    write_transaction,
)
from screening.store.secret import SecretInfo, resolve_secret

COMPONENT = "history"
TOMBSTONE_APPLICATION = "application"  # our application id (vendor and vendor id)
TOMBSTONE_DELIVERY = "delivery"  # a delivery key (already a hash of vendor and delivery id)
DIGEST_BYTES = 16
NAME_MATCHES = 10  # earlier applications listed per whole-name key: context, not evidence
_CHUNK = 500
_SECRET_CHECK = "screening history secret check"
# connections inherited through fork: closing them in the child could disturb the parent's locks
_INHERITED: list[sqlite3.Connection] = []

MIGRATIONS = (
    Migration(
        1,
        """
        CREATE TABLE history_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE history_applications (
            app_key INTEGER PRIMARY KEY,
            application_id TEXT NOT NULL UNIQUE,
            recorded_at TEXT NOT NULL,
            received_at TEXT,
            score REAL NOT NULL,
            band TEXT NOT NULL,
            names TEXT NOT NULL
        );
        CREATE TABLE history_identifiers (
            digest BLOB NOT NULL,
            app_key INTEGER NOT NULL REFERENCES history_applications(app_key) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            role TEXT NOT NULL,
            PRIMARY KEY (digest, app_key, role)
        ) WITHOUT ROWID;
        CREATE INDEX history_identifiers_by_app ON history_identifiers(app_key);
        CREATE TABLE history_names (
            name_key BLOB NOT NULL,
            app_key INTEGER NOT NULL REFERENCES history_applications(app_key) ON DELETE CASCADE,
            PRIMARY KEY (name_key, app_key)
        ) WITHOUT ROWID;
        CREATE INDEX history_names_by_app ON history_names(app_key);
        CREATE TABLE history_resumes (
            app_key INTEGER PRIMARY KEY
                REFERENCES history_applications(app_key) ON DELETE CASCADE,
            signature BLOB NOT NULL
        );
        CREATE TABLE history_resume_bands (
            band_key BLOB NOT NULL,
            app_key INTEGER NOT NULL REFERENCES history_applications(app_key) ON DELETE CASCADE,
            PRIMARY KEY (band_key, app_key)
        ) WITHOUT ROWID;
        CREATE INDEX history_resume_bands_by_app ON history_resume_bands(app_key)
        """,
    ),
    Migration(
        2,
        """
        CREATE TABLE history_tombstones (
            key BLOB PRIMARY KEY,
            erased_at REAL NOT NULL
        ) WITHOUT ROWID
        """,
    ),
)
TABLES = (
    "history_applications",
    "history_identifiers",
    "history_names",
    "history_resumes",
    "history_resume_bands",
)


class DbConnection(Protocol):
    """What the store's SQL needs of a connection: sqlite3's, or the PostgreSQL adapter
    (``screening.store.history_pg``), both with ``?`` placeholders."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any:
        """Run one statement; a cursor."""
        ...

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        """Run one statement per row of parameters."""
        ...


@dataclass(frozen=True, slots=True)
class KeyedIdentifier:
    """One identifier of an application as its keyed digest, with its kind and role."""

    kind: str  # phone, email, address, bank_account, wallet, handle
    role: str  # where the application uses it: "own", "home", "shipping", "github", ...
    digest: bytes


@dataclass(frozen=True, slots=True)
class KeyedName:
    """A name as keyed token keys: two tokens are the same name token when their sets meet."""

    script: str  # keyed digest of the writing system; "" when the script is not comparable
    tokens: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """Everything the history keeps about one application, all keyed."""

    application_id: str
    identifiers: tuple[KeyedIdentifier, ...] = ()
    names: tuple[KeyedName, ...] = ()
    name_keys: tuple[bytes, ...] = ()
    resume: tuple[int, ...] = ()  # keyed MinHash values; empty without resume text
    resume_bands: tuple[bytes, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredApplication:
    """An earlier application as the history knows it."""

    key: int
    application_id: str
    recorded_at: dt.datetime
    received_at: dt.datetime | None
    score: float
    band: str
    names: tuple[KeyedName, ...]


@dataclass(frozen=True, slots=True)
class IdentifierHit:
    """An earlier application holding one of the looked-up digests."""

    application: StoredApplication
    kind: str
    role: str  # the earlier application's role for it
    digest: bytes


@dataclass(frozen=True, slots=True)
class ResumeCandidate:
    """An earlier application whose resume shares at least one LSH band."""

    application: StoredApplication
    signature: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the history holds that relates to one application (never the application itself)."""

    earlier: int
    identifiers: tuple[IdentifierHit, ...] = ()
    resumes: tuple[ResumeCandidate, ...] = ()
    same_name_key: tuple[StoredApplication, ...] = ()


@dataclass(frozen=True, slots=True)
class ExportRow:
    """What ``history export`` shows: ids, times and scores only."""

    application_id: str
    recorded_at: str
    received_at: str | None
    score: float
    band: str


@dataclass(frozen=True, slots=True)
class Stats:
    """Counts and provenance for ``history stats``."""

    path: Path
    schema_version: int
    applications: int
    identifiers: dict[str, int]
    name_keys: int
    resumes: int
    first_recorded: str | None
    last_recorded: str | None
    size_bytes: int
    secret: SecretInfo
    created_at: str | None = None


def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def _parse_time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _names_json(names: Sequence[KeyedName]) -> str:
    return json.dumps(
        [{"s": n.script, "t": [sorted(t) for t in n.tokens]} for n in names],
        separators=(",", ":"),
    )


def _names_from_json(text: str) -> tuple[KeyedName, ...]:
    try:
        data = json.loads(text)
        return tuple(
            KeyedName(str(n["s"]), tuple(frozenset(str(k) for k in t) for t in n["t"]))
            for n in data
        )
    except (ValueError, KeyError, TypeError):
        return ()


def _signature_bytes(values: Sequence[int]) -> bytes:
    return b"".join(v.to_bytes(8, "big") for v in values)


def _signature_values(data: bytes) -> tuple[int, ...]:
    return tuple(int.from_bytes(data[i : i + 8], "big") for i in range(0, len(data), 8))


class HistoryStore:
    """The history database: keyed lookups, recording, forgetting, statistics and export."""

    def __init__(self, path: Path, secret: str | None, timeout: float) -> None:
        self.path = path
        self._configured = secret
        self._secret = b""
        self.secret_info = SecretInfo("configured" if secret is not None else "generated")
        self._timeout = timeout
        self._local = threading.local()

    @classmethod
    def open(
        cls, path: Path, secret: str | None = None, *, timeout: float = BUSY_TIMEOUT_SECONDS
    ) -> HistoryStore:
        """Open (creating and migrating it if needed) the history at ``path``.

        ``secret`` is the configured key; without one a key is generated beside the file (only
        once the file has proved to be a usable database). Raises ``StoreError`` for a corrupt or
        locked file, a newer schema, or a key that does not match the one the database was
        written with.
        """
        store = cls(path, secret, timeout)
        store._connection()
        return store

    # -- keys ---------------------------------------------------------------------------------

    def digest(self, purpose: str, value: str, size: int = DIGEST_BYTES) -> bytes:
        """HMAC-SHA256 of ``value`` for ``purpose`` under the store's secret, truncated."""
        if not self._secret:
            self._connection()  # resolves the secret
        message = f"{purpose}\x1f{value}".encode()
        return hmac.digest(self._secret, message, "sha256")[:size]

    def _check_value(self) -> str:
        return self.digest("secret-check", _SECRET_CHECK).hex()

    # -- connections --------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "conn", None)
        if held is not None and held[0] == os.getpid():
            return held[1]
        if held is not None:
            _INHERITED.append(held[1])
        conn = connect(self.path, timeout=self._timeout)
        try:
            conn.execute("PRAGMA secure_delete=ON")
            migrate(conn, COMPONENT, MIGRATIONS, str(self.path))
            if not self._secret:
                self._secret, self.secret_info = resolve_secret(self.path, self._configured)
            self._check_secret(conn)
        except BaseException:
            conn.close()
            raise
        self._local.conn = (os.getpid(), conn)
        return conn

    def _check_secret(self, conn: DbConnection) -> None:
        expected = self._check_value()
        try:
            row = conn.execute(
                "SELECT value FROM history_meta WHERE key = 'secret_check'"
            ).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(explain_error(self.path, exc)) from None
        if row is None:  # a new database: write its metadata once
            row = self._initialise(conn, expected)
        if row[0] != expected:
            raise StoreError(
                f"{self.path} was written with a different history secret, so every lookup "
                "would silently miss; use the secret it was created with ([history] secret or "
                f"secret_file, or the generated {self.path.name}.secret beside it), or point "
                "[store] path at a new file"
            )

    def _initialise(self, conn: DbConnection, expected: str) -> tuple[str]:
        with self._write(conn):
            conn.execute(
                "INSERT INTO history_meta(key, value) VALUES ('secret_check', ?) "
                "ON CONFLICT DO NOTHING",
                (expected,),
            )
            conn.execute(
                "INSERT INTO history_meta(key, value) VALUES ('created_at', ?) "
                "ON CONFLICT DO NOTHING",
                (_iso(dt.datetime.now(dt.UTC)),),
            )
            conn.execute(
                "INSERT INTO history_meta(key, value) VALUES ('applications', '0') "
                "ON CONFLICT DO NOTHING"
            )
            row = conn.execute(
                "SELECT value FROM history_meta WHERE key = 'secret_check'"
            ).fetchone()
        return (str(row[0]),)

    def close(self) -> None:
        """Close this thread's connection (the next call opens a new one)."""
        held: tuple[int, sqlite3.Connection] | None = getattr(self._local, "conn", None)
        self._local.conn = None
        if held is not None and held[0] == os.getpid():
            held[1].close()

    def _write(self, conn: Any) -> AbstractContextManager[None]:
        return write_transaction(conn, self.path)

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        try:
            conn.execute("BEGIN")  # one snapshot for every query of the lookup
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(explain_error(self.path, exc)) from None

    # -- recording ----------------------------------------------------------------------------

    def record(
        self,
        fingerprint: Fingerprint,
        *,
        score: float,
        band: str,
        recorded_at: dt.datetime,
        received_at: dt.datetime | None = None,
    ) -> bool:
        """Record (or, for an id already recorded, replace) one screened application; False
        (nothing written) when the application was erased on request."""
        conn = self._connection()
        tombstone = self.digest(f"tombstone:{TOMBSTONE_APPLICATION}", fingerprint.application_id)
        with self._write(conn):
            # checked in the writing transaction: an erasure cannot slip in between
            if conn.execute(
                "SELECT 1 FROM history_tombstones WHERE key = ?", (tombstone,)
            ).fetchone():
                return False
            old = conn.execute(
                "SELECT app_key FROM history_applications WHERE application_id = ?",
                (fingerprint.application_id,),
            ).fetchone()
            if old is not None:
                self._delete(conn, int(old[0]))
            else:
                self._count(conn, +1)
            cur = conn.execute(
                "INSERT INTO history_applications"
                "(application_id, recorded_at, received_at, score, band, names) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING app_key",
                (
                    fingerprint.application_id,
                    _iso(recorded_at),
                    _iso(received_at),
                    float(score),
                    band,
                    _names_json(fingerprint.names),
                ),
            )
            key = int(cur.fetchone()[0])
            conn.executemany(
                "INSERT INTO history_identifiers(digest, app_key, kind, role) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(i.digest, key, i.kind, i.role) for i in fingerprint.identifiers],
            )
            conn.executemany(
                "INSERT INTO history_names(name_key, app_key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(k, key) for k in set(fingerprint.name_keys)],
            )
            if fingerprint.resume:
                conn.execute(
                    "INSERT INTO history_resumes(app_key, signature) VALUES (?, ?)",
                    (key, _signature_bytes(fingerprint.resume)),
                )
                conn.executemany(
                    "INSERT INTO history_resume_bands(band_key, app_key) VALUES (?, ?) "
                    "ON CONFLICT DO NOTHING",
                    [(b, key) for b in set(fingerprint.resume_bands)],
                )
        return True

    @staticmethod
    def _delete(conn: DbConnection, key: int) -> None:
        for table in reversed(TABLES):
            conn.execute(f"DELETE FROM {table} WHERE app_key = ?", (key,))

    @staticmethod
    def _count(conn: DbConnection, delta: int) -> None:
        conn.execute(
            "UPDATE history_meta SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT) "
            "WHERE key = 'applications'",
            (delta,),
        )

    # -- lookup -------------------------------------------------------------------------------

    def lookup(
        self, fingerprint: Fingerprint, *, limit: int = 50, name_limit: int = NAME_MATCHES
    ) -> Lookup:
        """Earlier applications (not this id) sharing a digest, a name key or resume bands.

        Each digest and band contributes at most ``limit`` of its newest holders, each name key
        ``name_limit``, so an identifier shared by thousands (a company switchboard) or a very
        common name cannot make a lookup slow.
        """
        with self._read() as conn:
            own = conn.execute(
                "SELECT app_key FROM history_applications WHERE application_id = ?",
                (fingerprint.application_id,),
            ).fetchone()
            own_key = int(own[0]) if own else -1
            total = int(
                conn.execute(
                    "SELECT value FROM history_meta WHERE key = 'applications'"
                ).fetchone()[0]
            )
            raw_hits: list[tuple[int, str, str, bytes]] = []
            for digest in dict.fromkeys(i.digest for i in fingerprint.identifiers):
                for app_key, kind, role in conn.execute(
                    "SELECT app_key, kind, role FROM history_identifiers "
                    "WHERE digest = ? AND app_key != ? ORDER BY app_key DESC LIMIT ?",
                    (digest, own_key, limit),
                ):
                    raw_hits.append((int(app_key), str(kind), str(role), digest))
            bands: Counter[int] = Counter()
            for band in dict.fromkeys(fingerprint.resume_bands):
                for (app_key,) in conn.execute(
                    "SELECT app_key FROM history_resume_bands "
                    "WHERE band_key = ? AND app_key != ? ORDER BY app_key DESC LIMIT ?",
                    (band, own_key, limit),
                ):
                    bands[int(app_key)] += 1
            resume_keys = [k for k, _ in bands.most_common(limit)]
            signatures: dict[int, tuple[int, ...]] = {}
            for chunk in _chunks(resume_keys):
                marks = ",".join("?" * len(chunk))
                for app_key, blob in conn.execute(
                    f"SELECT app_key, signature FROM history_resumes WHERE app_key IN ({marks})",
                    chunk,
                ):
                    signatures[int(app_key)] = _signature_values(bytes(blob))
            name_keys: list[int] = []
            for name_key in dict.fromkeys(fingerprint.name_keys):
                name_keys.extend(
                    int(r[0])
                    for r in conn.execute(
                        "SELECT app_key FROM history_names "
                        "WHERE name_key = ? AND app_key != ? ORDER BY app_key DESC LIMIT ?",
                        (name_key, own_key, name_limit),
                    )
                )
            related = {h[0] for h in raw_hits} | set(signatures)
            apps = self._applications(conn, related)
            # applications found only by name are listed by id: their names are not needed
            apps.update(self._applications(conn, set(name_keys) - related, with_names=False))
        return Lookup(
            earlier=total - (1 if own else 0),
            identifiers=tuple(
                IdentifierHit(apps[k], kind, role, digest)
                for k, kind, role, digest in raw_hits
                if k in apps
            ),
            resumes=tuple(
                ResumeCandidate(apps[k], signatures[k])
                for k in resume_keys
                # a signature of another length (a damaged row) cannot be compared
                if k in apps and len(signatures.get(k, ())) == len(fingerprint.resume)
            ),
            same_name_key=tuple(apps[k] for k in dict.fromkeys(name_keys) if k in apps),
        )

    @staticmethod
    def _applications(
        conn: DbConnection, keys: Iterable[int], with_names: bool = True
    ) -> dict[int, StoredApplication]:
        out: dict[int, StoredApplication] = {}
        names_column = "names" if with_names else "''"
        for chunk in _chunks(sorted(keys)):
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                "SELECT app_key, application_id, recorded_at, received_at, score, band, "
                f"{names_column} FROM history_applications WHERE app_key IN ({marks})",
                chunk,
            ):
                recorded = _parse_time(row[2])
                out[int(row[0])] = StoredApplication(
                    key=int(row[0]),
                    application_id=str(row[1]),
                    recorded_at=recorded or dt.datetime.min.replace(tzinfo=dt.UTC),
                    received_at=_parse_time(row[3]),
                    score=float(row[4]),
                    band=str(row[5]),
                    names=_names_from_json(str(row[6])) if with_names else (),
                )
        return out

    # -- forgetting, statistics, export -------------------------------------------------------

    def bury(self, kind: str, values: Sequence[str], erased_at: float) -> None:
        """Leave keyed tombstones for ``values`` (application ids, delivery keys): an erased
        applicant's ids are kept only as HMACs, so a replay can be recognised and refused."""
        conn = self._connection()
        with self._write(conn):
            conn.executemany(
                "INSERT INTO history_tombstones(key, erased_at) VALUES (?, ?) "
                "ON CONFLICT DO NOTHING",
                [(self.digest(f"tombstone:{kind}", v), erased_at) for v in values if v],
            )

    def erased(self, kind: str, value: str) -> bool:
        """Whether ``value`` of ``kind`` was erased on request (it has a tombstone)."""
        if not value:
            return False
        try:
            row = (
                self._connection()
                .execute(
                    "SELECT 1 FROM history_tombstones WHERE key = ?",
                    (self.digest(f"tombstone:{kind}", value),),
                )
                .fetchone()
            )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from None
        return row is not None

    def prune(self, recorded_before: float, batch: int = 500) -> int:
        """Delete up to ``batch`` applications recorded before ``recorded_before`` (a Unix
        time: ``[history] retention_days``); call again while it returns ``batch``. Not an
        erasure: no tombstone, and the file is not compacted (freed pages are reused)."""
        cutoff = _iso(dt.datetime.fromtimestamp(recorded_before, dt.UTC))
        conn = self._connection()
        with self._write(conn):
            keys = [
                int(r[0])
                for r in conn.execute(
                    "SELECT app_key FROM history_applications WHERE recorded_at < ? "
                    "ORDER BY app_key LIMIT ?",
                    (cutoff, batch),
                ).fetchall()
            ]
            for key in keys:
                self._delete(conn, key)
            self._count(conn, -len(keys))
        return len(keys)

    def forget(self, application_id: str) -> bool:
        """Erase everything stored for ``application_id``; False when it was not recorded.

        The rows are deleted with ``secure_delete`` (freed space is overwritten), then the file
        is vacuumed and the write-ahead log truncated, so no copy of them stays in the files.
        """
        conn = self._connection()
        with self._write(conn):
            row = conn.execute(
                "SELECT app_key FROM history_applications WHERE application_id = ?",
                (application_id,),
            ).fetchone()
            if row is None:
                return False
            self._delete(conn, int(row[0]))
            self._count(conn, -1)
        try:
            self.compact()
        except StoreError as exc:
            raise StoreError(f"{application_id} was deleted, but {exc}") from None
        return True

    def compact(self) -> None:
        """Rewrite the file and truncate the write-ahead log, so no freed page keeps erased rows.

        The whole file is compacted, so rows other components deleted from it (the server's
        jobs and reports) are covered too.
        """
        conn = self._connection()
        retry = (
            "run `screening history forget` with the same id again later: it compacts the file "
            "even when nothing is left to delete"
        )
        try:
            conn.execute("VACUUM")
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        except sqlite3.Error as exc:
            raise StoreError(
                f"compacting {self.path} failed ({explain_error(self.path, exc)}); {retry}"
            ) from None
        if busy:
            raise StoreError(
                f"compacting {self.path} could not truncate its write-ahead log while another "
                f"process was reading it; {retry}"
            )

    def stats(self) -> Stats:
        """Counts per table and identifier kind, first and last recording, file size."""
        with self._read() as conn:
            applications = int(
                conn.execute(
                    "SELECT value FROM history_meta WHERE key = 'applications'"
                ).fetchone()[0]
            )
            kinds = {
                str(kind): int(n)
                for kind, n in conn.execute(
                    "SELECT kind, COUNT(*) FROM history_identifiers GROUP BY kind ORDER BY kind"
                )
            }
            names = int(conn.execute("SELECT COUNT(*) FROM history_names").fetchone()[0])
            resumes = int(conn.execute("SELECT COUNT(*) FROM history_resumes").fetchone()[0])
            first, last = conn.execute(
                "SELECT MIN(recorded_at), MAX(recorded_at) FROM history_applications"
            ).fetchone()
            created = conn.execute(
                "SELECT value FROM history_meta WHERE key = 'created_at'"
            ).fetchone()
            version = schema_version(conn, COMPONENT)
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return Stats(
            path=self.path,
            schema_version=version,
            applications=applications,
            identifiers=kinds,
            name_keys=names,
            resumes=resumes,
            first_recorded=first,
            last_recorded=last,
            size_bytes=size,
            secret=self.secret_info,
            created_at=created[0] if created else None,
        )

    def created_at(self) -> str | None:
        """When this history database was created (ISO time), for reports' sources."""
        with self._read() as conn:
            row = conn.execute("SELECT value FROM history_meta WHERE key = 'created_at'").fetchone()
        return str(row[0]) if row else None

    def export(self) -> Iterator[ExportRow]:
        """Every recorded application, oldest first: ids, times and scores only."""
        with self._read() as conn:
            cursor = conn.execute(
                "SELECT application_id, recorded_at, received_at, score, band "
                "FROM history_applications ORDER BY app_key"
            )
            while rows := cursor.fetchmany(1000):
                for r in rows:
                    yield ExportRow(str(r[0]), str(r[1]), r[2], float(r[3]), str(r[4]))


def _chunks(keys: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(keys), _CHUNK):
        yield list(keys[i : i + _CHUNK])
