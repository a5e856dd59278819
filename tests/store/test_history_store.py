"""The history store on real SQLite files and on a real PostgreSQL database (the tests taking
``opener`` run against both backends): lookups, replacement, concurrent writers from two
processes, ``forget`` leaving no row behind (and, on SQLite, no page of the file); corrupt, locked
and newer SQLite files and the key beside the file."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import multiprocessing.synchronize
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.errors import StoreError
from screening.store.history import (
    TABLES,
    Fingerprint,
    HistoryStore,
    KeyedIdentifier,
    KeyedName,
)
from screening.store.history_pg import PostgresHistory
from screening.store.secret import secret_path

SECRET = "test-secret-0123456789abcdef"
NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def fingerprint(store: HistoryStore, app_id: str, phone: str, name: str = "ann lee") -> Fingerprint:
    token = frozenset({store.digest("name-token", f"w:{t}", 8).hex() for t in name.split()})
    return Fingerprint(
        application_id=app_id,
        identifiers=(
            KeyedIdentifier("phone", "own", store.digest("phone", phone)),
            KeyedIdentifier("email", "own", store.digest("email", f"{app_id}@example.com")),
        ),
        names=(KeyedName(store.digest("name-script", "latin", 8).hex(), (token,)),),
        name_keys=(store.digest("whole-name", name),),
        resume=tuple(range(64)),
        resume_bands=tuple(store.digest("band", f"{app_id}:{b}") for b in range(16)),
    )


def record(store: HistoryStore, fp: Fingerprint, score: float = 10.0) -> None:
    store.record(fp, score=score, band="low", recorded_at=NOW)


_OPENED: list[HistoryStore] = []


def open_target(target: str) -> HistoryStore:
    """The store at a SQLite path or a PostgreSQL URL (closed when the test ends)."""
    if target.startswith("postgresql://"):
        store: HistoryStore = PostgresHistory.open_url(target, SECRET)
    else:
        store = HistoryStore.open(Path(target), SECRET)
    _OPENED.append(store)
    return store


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a history lives: a new SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "h.sqlite3")
    else:
        yield request.getfixturevalue("pg_url")
    while _OPENED:
        _OPENED.pop().close()


def test_lookup_finds_earlier_holders_but_never_the_application_itself(target: str) -> None:
    store = open_target(target)
    record(store, fingerprint(store, "a-1", "+15125550101"))
    record(store, fingerprint(store, "a-2", "+15125550101"))
    found = store.lookup(fingerprint(store, "a-3", "+15125550101"))
    assert found.earlier == 2
    assert sorted(h.application.application_id for h in found.identifiers) == ["a-1", "a-2"]
    again = store.lookup(fingerprint(store, "a-1", "+15125550101"))
    assert [h.application.application_id for h in again.identifiers] == ["a-2"]
    assert again.earlier == 1


def test_recording_an_id_again_replaces_it(target: str) -> None:
    store = open_target(target)
    record(store, fingerprint(store, "a-1", "+15125550101"), score=10)
    record(store, fingerprint(store, "a-1", "+15125550199"), score=40)
    assert [(r.application_id, r.score) for r in store.export()] == [("a-1", 40.0)]
    assert store.lookup(fingerprint(store, "b-1", "+15125550101")).identifiers == ()
    assert store.stats().identifiers == {"email": 1, "phone": 1}


def _writer(where: str, prefix: str, count: int, start: multiprocessing.synchronize.Event) -> None:
    store = open_target(where)
    start.wait(30)
    for i in range(count):
        fp = fingerprint(store, f"{prefix}-{i}", f"+1512555{i % 100:04d}")
        store.lookup(fp)
        record(store, fp)


def test_two_processes_writing_at_once_lose_nothing(target: str) -> None:
    open_target(target).close()  # created before the writers race
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    writers = [ctx.Process(target=_writer, args=(target, p, 150, start)) for p in "xy"]
    for w in writers:
        w.start()
    start.set()
    for w in writers:
        w.join(120)
        assert w.exitcode == 0
    store = open_target(target)
    ids = {r.application_id for r in store.export()}
    assert ids == {f"{p}-{i}" for p in "xy" for i in range(150)}
    assert store.stats().applications == 300
    hits = store.lookup(fingerprint(store, "z-0", "+15125550007")).identifiers
    assert {h.application.application_id for h in hits} == {"x-7", "y-7", "x-107", "y-107"}


def test_corrupt_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"not a database at all " * 200)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        HistoryStore.open(path)
    assert path.read_bytes() == b"not a database at all " * 200
    assert not secret_path(path).exists()  # no key is generated for a file that is not usable


def test_locked_database_gives_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore.open(path, SECRET, timeout=0.2)
    record(store, fingerprint(store, "kept", "+15125550101"))
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            record(store, fingerprint(store, "late", "+15125550102"))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    record(store, fingerprint(store, "late", "+15125550102"))
    assert [r.application_id for r in store.export()] == ["kept", "late"]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    HistoryStore.open(path, SECRET).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_versions SET version = 7 WHERE component = 'history'")
    with pytest.raises(StoreError, match="history schema version 7, newer than"):
        HistoryStore.open(path, SECRET)


def test_generated_key_is_private_stable_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    first = HistoryStore.open(path)
    key_file = secret_path(path)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_info.origin == "generated" and first.secret_info.created_now
    digest = first.digest("phone", "+15125550101")
    again = HistoryStore.open(path)
    assert not again.secret_info.created_now
    assert again.digest("phone", "+15125550101") == digest
    key = key_file.read_text().strip()
    assert key not in again.secret_info.describe()
    with pytest.raises(StoreError, match="different history secret"):
        HistoryStore.open(path, "another-secret-that-is-long-enough")
    with pytest.raises(StoreError, match="at least 16 characters"):
        HistoryStore.open(tmp_path / "other.sqlite3", "short")


def test_forget_erases_every_table_and_every_page(target: str) -> None:
    store = open_target(target)
    gone = fingerprint(store, "cand-forget-me-4711", "+15125550123", "zora quill")
    for i in range(200):  # enough rows for interior b-tree pages
        record(store, fingerprint(store, f"other-{i:03d}", f"+1512556{i:04d}"))
    record(store, gone)
    record(store, fingerprint(store, "other-last", "+15125550123"))
    assert store.forget("cand-forget-me-4711")
    assert not store.forget("cand-forget-me-4711")

    conn = store._connection()
    ids = {r[0] for r in conn.execute("SELECT application_id FROM history_applications")}
    assert "cand-forget-me-4711" not in ids and len(ids) == 201
    keys = {r[0] for r in conn.execute("SELECT app_key FROM history_applications")}
    for table in TABLES[1:]:
        orphans = conn.execute(
            f"SELECT COUNT(*) FROM {table} WHERE app_key NOT IN "
            "(SELECT app_key FROM history_applications)"
        ).fetchone()[0]
        assert orphans == 0, table
    assert len(keys) == 201
    for digest in (gone.identifiers[1].digest, *gone.resume_bands, *gone.name_keys):
        for table, column in (
            ("history_identifiers", "digest"),
            ("history_resume_bands", "band_key"),
            ("history_names", "name_key"),
        ):
            row = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (digest,))
            assert row.fetchone()[0] == 0
    store.close()

    if not target.startswith("postgresql://"):  # SQLite: no page of the files keeps them
        path = Path(target)
        raw = path.read_bytes()
        wal = Path(f"{path}-wal")
        raw += wal.read_bytes() if wal.exists() else b""
        assert b"cand-forget-me-4711" not in raw
        for secret_bytes in (
            gone.identifiers[1].digest,  # the email only it had
            *gone.resume_bands,
            *gone.name_keys,
        ):
            assert secret_bytes not in raw
    assert store.stats().applications == 201
    # what others share is still found
    hits = open_target(target).lookup(fingerprint(store, "new", "+15125550123"))
    assert [h.application.application_id for h in hits.identifiers] == ["other-last"]


def test_export_has_ids_times_and_scores_only(target: str) -> None:
    store = open_target(target)
    store.record(
        fingerprint(store, "a-1", "+15125550101"),
        score=62.5,
        band="high",
        recorded_at=NOW,
        received_at=dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC),
    )
    (row,) = store.export()
    assert row.__slots__ == ("application_id", "recorded_at", "received_at", "score", "band")
    assert (row.application_id, row.recorded_at, row.received_at, row.score, row.band) == (
        "a-1",
        "2026-11-02T09:30:00+00:00",
        "2026-11-01T08:00:00+00:00",
        62.5,
        "high",
    )


def test_erasure_leaves_tombstones_that_stop_a_late_recording(target: str) -> None:
    """The same erasure on both backends: the job beside the history (SQLite file or
    PostgreSQL database), the history record, and keyed tombstones of the ids."""
    from screening.store import erasure
    from screening.store.backend import open_job_store
    from screening.store.jobs_api import Enqueued, NewJob

    store = open_target(target)
    jobs = open_job_store(Path(target), target if target.startswith("postgresql://") else None)
    new = NewJob("greenhouse-9", "greenhouse", "delivery-key-9", {"x": 1}, {"candidate": "9"})
    assert jobs.enqueue(new, limit=10) is Enqueued.QUEUED
    record(store, fingerprint(store, "greenhouse-9", "+15125550109"))
    done = erasure.erase(store, "greenhouse-9")
    assert done.had_job and done.had_history
    assert jobs.get("greenhouse-9") is None
    assert erasure.is_erased(store, "greenhouse-9")
    assert erasure.is_erased(store, "other-id", "delivery-key-9")
    assert not erasure.is_erased(store, "greenhouse-10", "delivery-key-10")
    assert not store.record(
        fingerprint(store, "greenhouse-9", "+15125550109"), score=1, band="low", recorded_at=NOW
    )
    assert [r.application_id for r in store.export()] == []
    jobs.close()


def test_retention_prunes_old_records_only(target: str) -> None:
    store = open_target(target)
    old = fingerprint(store, "old-1", "+15125550111")
    store.record(old, score=1, band="low", recorded_at=NOW)
    later = NOW + dt.timedelta(days=10)
    store.record(
        fingerprint(store, "new-1", "+15125550112"), score=1, band="low", recorded_at=later
    )
    cutoff = (NOW + dt.timedelta(days=1)).timestamp()
    assert store.prune(cutoff, batch=1) == 1
    assert store.prune(cutoff, batch=1) == 0
    assert [r.application_id for r in store.export()] == ["new-1"]
    assert store.stats().applications == 1
    assert store.lookup(fingerprint(store, "probe", "+15125550111")).identifiers == ()
