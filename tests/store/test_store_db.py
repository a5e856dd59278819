"""The SQLite foundation: migrations per component, newer schemas refused, bad files explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from screening.errors import StoreError
from screening.store import Migration, connect, migrate, schema_version

V1 = [Migration(1, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")]
V2 = [
    *V1,
    Migration(2, "ALTER TABLE things ADD COLUMN size INTEGER; CREATE INDEX i ON things(name)"),
]


def test_migrations_run_once_and_in_order(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "s.sqlite3"
    conn = connect(db)
    assert migrate(conn, "things", V1) == 1
    conn.execute("INSERT INTO things(name) VALUES ('a')")
    assert migrate(conn, "things", V2) == 2
    assert migrate(conn, "things", V2) == 2  # idempotent
    assert schema_version(conn, "things") == 2
    assert conn.execute("SELECT name, size FROM things").fetchall() == [("a", None)]
    assert schema_version(conn, "other") == 0


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    migrate(connect(db), "things", V2)
    with pytest.raises(StoreError, match="schema version 2, newer than this version"):
        migrate(connect(db), "things", V1)


def test_corrupt_file_gives_a_clear_error_and_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        migrate(connect(db), "things", V1)
    assert db.read_bytes().startswith(b"this is not a database")


def test_failed_migration_rolls_back(tmp_path: Path) -> None:
    conn = connect(tmp_path / "s.sqlite3")
    bad = [*V1, Migration(2, "CREATE TABLE ok (x); CREATE TABLE broken (")]
    with pytest.raises(StoreError):
        migrate(conn, "things", bad)
    assert schema_version(conn, "things") == 0
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "things" not in tables and "ok" not in tables
