"""The review store on a real SQLite file and on a real PostgreSQL database (every test taking
``target`` runs against both): decisions and resolutions keep their history, the audit trail
cannot be rewritten, erasure and retention remove what may hold personal data, rule precision
adds up, the sign-in throttle is shared by every store on one database, and the inbox pages in
the database and syncs only what finished since it last looked."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screening.server.ui import auth
from screening.server.ui.console import SYNC_OVERLAP_SECONDS, sync_inbox
from screening.store.audit import AuditTrail
from screening.store.backend import open_audit_log, open_job_store, open_review_store
from screening.store.jobs import SqlJobs
from screening.store.jobs_api import JobResult, NewJob
from screening.store.review import (
    Decision,
    InboxFilter,
    IndexedReport,
    Resolution,
    ReviewStore,
    Role,
    iter_labels,
)


class Clock:
    """A settable clock."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


_OPENED: list[ReviewStore | AuditTrail | SqlJobs] = []


@pytest.fixture(autouse=True)
def _close_opened() -> Iterator[None]:
    yield
    while _OPENED:
        _OPENED.pop().close()


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where the store lives: a new SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "db.sqlite3")
    return str(request.getfixturevalue("pg_url"))


def _where(target: str) -> tuple[Path, str | None]:
    pg = target.startswith("postgresql://")
    return (Path() if pg else Path(target)), (target if pg else None)


def open_review(target: str, clock: Clock | None = None) -> ReviewStore:
    store = open_review_store(*_where(target))
    if clock is not None:
        store._clock = clock
    _OPENED.append(store)
    return store


def open_jobs(target: str, clock: Clock) -> SqlJobs:
    jobs = open_job_store(*_where(target))
    assert isinstance(jobs, SqlJobs)
    jobs._clock = clock
    _OPENED.append(jobs)
    return jobs


def raw(target: str) -> Any:
    """A plain connection to the same database, as someone with the file or the URL has."""
    if target.startswith("postgresql://"):
        import psycopg

        return psycopg.connect(target, autocommit=True)
    return sqlite3.connect(target, isolation_level=None)


@pytest.fixture
def store(target: str) -> ReviewStore:
    return open_review(target, Clock())


def _indexed(app_id: str, *rules: str, name: str = "") -> IndexedReport:
    return IndexedReport(app_id, name or f"Name {app_id}", "native", "high", 60.0, rules, 1.0)


def test_latest_resolution_stands_and_history_is_kept(store: ReviewStore) -> None:
    store.resolve("a1", "identity.x", Resolution.CONFIRMED, "first look", "alice")
    store.resolve("a1", "identity.x", Resolution.BENIGN, "explained by a move", "bob")
    current = store.resolutions("a1")["identity.x"]
    assert (current.resolution, current.reviewer, current.note) == (
        Resolution.BENIGN,
        "bob",
        "explained by a move",
    )
    actions = [e.action for e in store.audit_entries(app_id="a1")]
    assert actions == ["finding.resolved", "finding.resolved"]


def test_decisions_history_and_labels(store: ReviewStore) -> None:
    store.decide("a1", Decision.VERIFY_IDENTITY, "", "alice")
    store.decide("a1", Decision.ESCALATE, "same phone as a2", "alice")
    store.decide("a2", Decision.PROCEED, "", "bob")
    store.decide("a3", Decision.VERIFY_IDENTITY, "", "bob")
    assert [d.decision for d in store.decisions("a1")] == [
        Decision.VERIFY_IDENTITY,
        Decision.ESCALATE,
    ]
    labels = dict(iter_labels(store.current_decisions()))
    assert labels == {"a1": "impostor", "a2": "genuine"}  # verify identity is still open


def test_audit_trail_is_append_only(target: str) -> None:
    log = open_audit_log(*_where(target))
    _OPENED.append(log)
    log.record("alice", "report.read", "a1", "html")
    conn = raw(target)
    try:
        statements = ["UPDATE audit SET actor = 'mallory'", "DELETE FROM audit"]
        if target.startswith("postgresql://"):
            statements.append("TRUNCATE audit")  # fires no row trigger: refused on its own
        for statement in statements:
            with pytest.raises(Exception, match="append-only"):
                conn.execute(statement)
        assert conn.execute("SELECT actor FROM audit").fetchall() == [("alice",)]
    finally:
        conn.close()
    assert [e.actor for e in log.entries()] == ["alice"]


def test_the_audit_log_and_the_review_store_write_one_trail(target: str) -> None:
    review = open_review(target)
    log = open_audit_log(*_where(target))
    _OPENED.append(log)
    log.record("cli:ops", "token.create", None, "ci: submit")
    review.decide("a1", Decision.PROCEED, "", "alice")
    assert [e.action for e in review.audit_entries()] == ["application.decided", "token.create"]
    assert [e.action for e in log.entries(actor="alice")] == ["application.decided"]


def test_forget_erases_review_data_but_keeps_the_access_record(store: ReviewStore) -> None:
    store.index([_indexed("a1", "identity.x")])
    store.resolve("a1", "identity.x", Resolution.CONFIRMED, "note with a name", "alice")
    store.decide("a1", Decision.ESCALATE, "note with a phone", "alice")
    assert store.forget("a1", "api")
    assert store.resolutions("a1") == {}
    assert store.decisions("a1") == []
    assert store.inbox() == []
    entries = store.audit_entries(app_id="a1")
    assert entries[0].action == "application.erased"
    assert all("name" not in e.detail and "phone" not in e.detail for e in entries)


def test_rule_outcomes_count_current_resolutions_and_open_findings(store: ReviewStore) -> None:
    store.index(
        [_indexed("a1", "r.one", "r.two"), _indexed("a2", "r.one"), _indexed("a3", "r.one")]
    )
    store.resolve("a1", "r.one", Resolution.CONFIRMED, "", "alice")
    store.resolve("a2", "r.one", Resolution.CONFIRMED, "", "alice")
    store.resolve("a2", "r.one", Resolution.BENIGN, "", "bob")  # changed: benign stands
    store.resolve("a1", "r.two", Resolution.NEEDS_INFORMATION, "", "alice")
    outcomes = {o.rule_id: o for o in store.rule_outcomes(store.fired())}
    one, two = outcomes["r.one"], outcomes["r.two"]
    assert (one.confirmed, one.benign, one.open, one.precision) == (1, 1, 1, 0.5)
    assert (two.needs_information, two.open, two.precision) == (1, 0, None)


def test_inbox_status_moves_from_new_to_in_review_to_decided(store: ReviewStore) -> None:
    store.index([_indexed("a1"), _indexed("a2"), _indexed("a3", "r.one"), _indexed("a4", "r.x")])
    store.mark_opened("a2")
    store.resolve("a3", "r.one", Resolution.CONFIRMED, "", "alice")
    store.decide("a3", Decision.ESCALATE, "", "alice")
    store.resolve("a4", "r.x", Resolution.BENIGN, "", "bob")  # resolved, never opened
    status = {e.app_id: e.status for e in store.inbox()}
    assert status == {"a1": "new", "a2": "in review", "a3": "decided", "a4": "in review"}
    assert {e.app_id: e.decision for e in store.inbox()}["a3"] is Decision.ESCALATE
    store.index([_indexed("a3", "r.one")])  # screened again: still decided
    assert {e.app_id: e.status for e in store.inbox()}["a3"] == "decided"
    assert [e.app_id for e in store.inbox(InboxFilter(status="in review"))] == ["a4", "a2"]


def test_inbox_filters_sorts_and_pages_in_the_database(store: ReviewStore) -> None:
    bands = ("low", "critical", "medium", "high")
    store.index(
        [
            IndexedReport(f"app-{n}", name, "native", bands[n % 4], float(n), (), 100.0 + n)
            for n, name in enumerate(["Élodie Durand", "ana LEE", "Bo 50%_x", "Cy", "Dee"])
        ]
    )
    assert [e.app_id for e in store.inbox(InboxFilter(limit=2))] == ["app-4", "app-3"]
    assert [e.app_id for e in store.inbox(InboxFilter(limit=2, offset=4))] == ["app-0"]
    assert [e.app_id for e in store.inbox(InboxFilter(search="ÉLODIE"))] == ["app-0"]
    assert [e.app_id for e in store.inbox(InboxFilter(search="Lee"))] == ["app-1"]
    assert [e.app_id for e in store.inbox(InboxFilter(search="APP-3"))] == ["app-3"]
    # the search's own wildcards are literal characters
    assert [e.app_id for e in store.inbox(InboxFilter(search="0%_"))] == ["app-2"]
    assert store.inbox(InboxFilter(search="%")) != store.inbox()
    by_band = store.inbox(InboxFilter(sort="band"))
    assert [e.band for e in by_band] == ["critical", "high", "medium", "low", "low"]
    assert [e.name for e in store.inbox(InboxFilter(sort="name", descending=False))][:2] == [
        "ana LEE",
        "Bo 50%_x",
    ]
    chosen = InboxFilter(bands=("low", "high"))
    assert {e.app_id for e in store.inbox(chosen)} == {"app-0", "app-3", "app-4"}
    assert store.inbox_count(chosen) == 3 and store.inbox_count() == 5


def test_sessions_are_stored_hashed_and_end_when_the_account_is_disabled(target: str) -> None:
    clock = Clock()
    store = open_review(target, clock)
    store.add_reviewer("alice", Role.ADMIN, auth.hash_password("a long enough pass"))
    token = auth.new_token()
    store.open_session(token, "alice", Role.ADMIN, auth.new_token(), 60)
    assert store.session(token) is not None
    conn = raw(target)
    try:
        assert token not in repr(conn.execute("SELECT * FROM review_sessions").fetchall())
    finally:
        conn.close()
    clock.now += 61
    assert store.session(token) is None  # expired
    token2 = auth.new_token()
    store.open_session(token2, "alice", Role.ADMIN, auth.new_token(), 60)
    store.disable_reviewer("alice")
    assert store.session(token2) is None


def test_a_session_opened_through_one_store_is_valid_through_another(target: str) -> None:
    one, two = open_review(target), open_review(target)
    one.add_reviewer("bob", Role.REVIEWER, auth.hash_password("a long enough pass"))
    token, csrf = auth.new_token(), auth.new_token()
    one.open_session(token, "bob", Role.REVIEWER, csrf, 600)
    seen = two.session(token)
    assert seen is not None and (seen.reviewer, seen.csrf) == ("bob", csrf)
    two.close_session(token)
    assert one.session(token) is None


def test_passwords_verify_only_against_their_hash() -> None:
    store_hash = auth.hash_password("correct horse battery")
    assert store_hash.startswith("$argon2id$")
    from screening.store.review import Reviewer

    account = Reviewer("alice", Role.REVIEWER, store_hash, False)
    assert auth.verify_password(account, "correct horse battery")
    assert not auth.verify_password(account, "correct horse batterY")
    assert not auth.verify_password(None, "correct horse battery")
    disabled = Reviewer("alice", Role.REVIEWER, store_hash, True)
    assert not auth.verify_password(disabled, "correct horse battery")


def test_throttle_blocks_after_the_allowed_failures_and_forgets_after_the_window(
    target: str,
) -> None:
    clock = Clock()
    store = open_review(target, clock)
    for _ in range(3):
        assert store.login_wait("name:alice", 3, 60) == 0
        store.login_failed(("name:alice", "address:1.2.3.4"), 60)
        clock.now += 1
    assert store.login_wait("name:alice", 3, 60) == pytest.approx(57)  # the oldest + window
    assert store.login_wait("address:1.2.3.4", 3, 60) > 0  # same address, any name
    assert store.login_wait("address:1.2.3.4", 30, 60) == 0  # the address's own, larger limit
    assert store.login_wait("name:bob", 3, 60) == 0
    clock.now += 58
    assert store.login_wait("name:alice", 3, 60) == 0
    store.login_failed(("name:alice",), 60)
    store.login_succeeded("name:alice")
    assert store.login_wait("name:alice", 1, 60) == 0


def test_failed_sign_ins_count_together_across_stores_and_are_kept_hashed(target: str) -> None:
    clock = Clock()
    one, two = open_review(target, clock), open_review(target, clock)
    one.login_failed(("name:carol",), 300)
    two.login_failed(("name:carol",), 300)
    assert one.login_wait("name:carol", 2, 300) == pytest.approx(300)
    assert two.login_wait("name:carol", 2, 300) == pytest.approx(300)
    conn = raw(target)
    try:
        assert "carol" not in repr(conn.execute("SELECT * FROM login_failures").fetchall())
    finally:
        conn.close()
    clock.now += 301
    one.login_failed(("name:dave",), 300)  # old failures are deleted as new ones come
    conn = raw(target)
    try:
        assert conn.execute("SELECT COUNT(*) FROM login_failures").fetchall() == [(1,)]
    finally:
        conn.close()


def test_retention_prunes_review_data_of_pruned_applications(target: str) -> None:
    clock = Clock()
    clock.now = 50.0
    store = open_review(target, clock)
    old = IndexedReport("old", "Old Name", "native", "high", 60.0, ("r.one",), 10.0, (), 20.0)
    new = IndexedReport("new", "New Name", "native", "low", 5.0, ("r.one",), 10.0, (), 500.0)
    store.index([old, new])
    for app_id in ("old", "new"):
        store.resolve(app_id, "r.one", Resolution.CONFIRMED, f"note on {app_id}", "alice")
        store.decide(app_id, Decision.ESCALATE, f"note on {app_id}", "alice")
    store.decide("gone", Decision.PROCEED, "decided, never indexed", "bob")
    clock.now = 1_000.0
    assert store.prune(100.0) == 1
    assert [e.app_id for e in store.inbox()] == ["new"]
    assert store.decisions("old") == [] and store.resolutions("old") == {}
    assert store.decisions("gone") == []  # older than the horizon and in no inbox row
    assert len(store.decisions("new")) == 1 and "r.one" in store.resolutions("new")
    assert store.audit_entries(app_id="old")  # the trail keeps its lines
    assert store.prune(100.0) == 0


def _finish(jobs: SqlJobs, clock: Clock, n: int, at: float) -> str:
    """Queue, take and complete job ``n`` at time ``at`` (either backend's way of taking)."""
    job_id = f"native-{n}"
    clock.now = at
    new = NewJob(job_id, "native", f"key-{n}", {"id": str(n)})
    jobs.enqueue(new, limit=100_000)
    start = getattr(jobs, "start", None)
    taken = start(job_id, "w1", 60) if start is not None else jobs.claim("w1", 60)  # type: ignore[attr-defined]
    assert taken is not None and taken.id == job_id
    report = f'{{"application": {{"name": "Ana Example{n}"}}, "band": "low", "score": 1.0}}'
    assert jobs.complete(job_id, "w1", JobResult(1.0, "low", report, "<p></p>", 0.01))
    return job_id


def test_the_inbox_syncs_only_what_finished_since_it_last_looked(target: str) -> None:
    clock = Clock()
    jobs, review = open_jobs(target, clock), open_review(target, clock)
    first = [_finish(jobs, clock, n, 10_000.0 + n) for n in range(5)]
    assert sync_inbox(jobs, review) == 5
    assert sync_inbox(jobs, review) == 0  # nothing new: nothing read again
    _finish(jobs, clock, 5, 20_000.0)
    assert sync_inbox(jobs, review) == 1
    # finished (committed) after the sync above but stamped a little earlier (another worker's
    # clock, a slow commit): the overlap still finds it
    _finish(jobs, clock, 6, 20_000.0 - SYNC_OVERLAP_SECONDS / 2)
    assert sync_inbox(jobs, review) == 1
    assert sorted(e.app_id for e in review.inbox()) == sorted([*first, "native-5", "native-6"])
    assert review.inbox(InboxFilter(search="example6"))[0].app_id == "native-6"


def test_finished_since_pages_through_jobs_in_finishing_order(target: str) -> None:
    clock = Clock()
    jobs = open_jobs(target, clock)
    for n in range(5):
        _finish(jobs, clock, n, 500.0 if n < 3 else 600.0 + n)  # three finish at one moment
    assert [r.id for r in jobs.finished_since(None, "", 10)] == [f"native-{n}" for n in range(5)]
    page = jobs.finished_since(None, "", 2)
    rest = jobs.finished_since(page[-1].finished_at, page[-1].id, 10)
    assert [r.id for r in page + rest] == [f"native-{n}" for n in range(5)]
    assert [r.id for r in jobs.finished_since(604.0, "", 10)] == ["native-4"]
    assert jobs.finished_since(604.0, "native-4", 10) == []


def test_the_one_erasure_also_removes_decisions_and_notes(tmp_path: Path) -> None:
    from screening.store import erasure
    from screening.store.history import HistoryStore

    path = tmp_path / "db.sqlite3"
    review = open_review(str(path))
    review.index([_indexed("greenhouse-7", "r.one")])
    review.decide("greenhouse-7", Decision.ESCALATE, "the note names Ana Example", "alice")
    review.close()
    history = HistoryStore.open(path, "0" * 64)
    try:
        result = erasure.erase(history, "greenhouse-7", actor="cli")
    finally:
        history.close()
    assert result.had_review and result.found
    review = open_review(str(path))
    assert review.decisions("greenhouse-7") == [] and review.inbox() == []
    assert review.audit_entries(app_id="greenhouse-7")[0].action == "application.erased"
    review.close()
    assert b"Ana Example" not in path.read_bytes()  # compacted: no freed page keeps the note


def test_the_one_erasure_removes_decisions_and_notes_on_postgresql(pg_url: str) -> None:
    from screening.store import erasure
    from screening.store.history_pg import PostgresHistory

    review = open_review(pg_url)
    review.index([_indexed("greenhouse-8", "r.one")])
    review.resolve("greenhouse-8", "r.one", Resolution.CONFIRMED, "names Ana Example", "alice")
    review.decide("greenhouse-8", Decision.ESCALATE, "the note names Ana Example", "alice")
    history = PostgresHistory.open_url(pg_url, "0" * 64)
    try:
        result = erasure.erase(history, "greenhouse-8", actor="api")
    finally:
        history.close()
    assert result.had_review and result.found
    assert review.decisions("greenhouse-8") == [] and review.inbox() == []
    assert review.resolutions("greenhouse-8") == {}
    erased = review.audit_entries(app_id="greenhouse-8")[0]
    assert (erased.action, erased.actor) == ("application.erased", "api")
    conn = raw(pg_url)
    try:
        for table in ("decisions", "resolutions", "inbox", "audit"):
            assert "Ana Example" not in repr(conn.execute(f"SELECT * FROM {table}").fetchall())
    finally:
        conn.close()
    review.close()


def test_rule_counters_follow_indexing_erasure_and_retention(target: str) -> None:
    clock = Clock()
    clock.now = 50.0
    store = open_review(target, clock)
    store.index([_indexed("a1", "r.one", "r.two"), _indexed("a2", "r.one")])
    store.index([_indexed("a1", "r.one", "r.three")])  # screened again: r.two is gone from it
    assert store.fired() == {"r.one": 2, "r.three": 1}
    store.forget("a2", "api")
    assert store.fired() == {"r.one": 1, "r.three": 1}
    old = IndexedReport("a3", "N", "native", "low", 1.0, ("r.one",), 0.1, (), 0.5)
    store.index([old])
    assert store.fired() == {"r.one": 2, "r.three": 1}
    assert store.prune(0.9) == 1  # the others finished at 1.0
    assert store.fired() == {"r.one": 1, "r.three": 1}


def test_an_inbox_of_the_first_schema_is_migrated_in_place(tmp_path: Path) -> None:
    from screening.store.db import connect, migrate
    from screening.store.review import COMPONENT, MIGRATIONS

    path = tmp_path / "db.sqlite3"
    conn = connect(path)
    migrate(conn, COMPONENT, MIGRATIONS[:1], str(path))
    conn.executemany(
        "INSERT INTO inbox(app_id, name, source, band, score, findings, received_at, opened, "
        "rules) VALUES(?, ?, 'native', 'high', 50, ?, ?, ?, ?)",
        [
            ("a1", "Ana Lee", 2, 100.0, 0, "r.one r.two"),
            ("a2", "Bo Chen", 1, 200.0, 1, "r.one"),
            ("a3", "Cy Dee", 0, 300.0, 0, ""),
        ],
    )
    conn.execute(
        "INSERT INTO decisions(app_id, decision, note, reviewer, at) "
        "VALUES('a1', 'escalate', '', 'alice', 1)"
    )
    conn.execute(
        "INSERT INTO resolutions(app_id, rule_id, resolution, note, reviewer, at) "
        "VALUES('a3', 'r.x', 'benign', '', 'bob', 1)"
    )
    conn.close()
    store = open_review(str(path))
    status = {e.app_id: e.status for e in store.inbox()}
    assert status == {"a1": "decided", "a2": "in review", "a3": "in review"}
    assert store.fired() == {"r.one": 2, "r.two": 1}
    assert store.index_cursor() == 300.0
    assert [e.app_id for e in store.inbox(InboxFilter(search="bo c"))] == ["a2"]
