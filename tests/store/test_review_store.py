"""The review store: decisions and resolutions keep their history, the audit trail cannot be
rewritten, erasure removes what may hold personal data, and rule precision adds up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from screening.server.ui import auth
from screening.store.audit import AuditLog
from screening.store.review import (
    Decision,
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


@pytest.fixture
def store(tmp_path: Path) -> ReviewStore:
    return ReviewStore(tmp_path / "db.sqlite3", clock=Clock())


def _indexed(app_id: str, *rules: str) -> IndexedReport:
    return IndexedReport(app_id, f"Name {app_id}", "native", "high", 60.0, rules, 1.0)


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


def test_audit_trail_is_append_only(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    log = AuditLog(path)
    log.record("alice", "report.read", "a1", "html")
    log.close()
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit SET actor = 'mallory'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM audit")
    assert conn.execute("SELECT actor FROM audit").fetchall() == [("alice",)]


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
    store.index([_indexed("a1"), _indexed("a2"), _indexed("a3", "r.one")])
    store.mark_opened("a2")
    store.resolve("a3", "r.one", Resolution.CONFIRMED, "", "alice")
    store.decide("a3", Decision.ESCALATE, "", "alice")
    status = {e.app_id: e.status for e in store.inbox()}
    assert status == {"a1": "new", "a2": "in review", "a3": "decided"}


def test_sessions_are_stored_hashed_and_end_when_the_account_is_disabled(
    tmp_path: Path,
) -> None:
    clock = Clock()
    store = ReviewStore(tmp_path / "db.sqlite3", clock=clock)
    store.add_reviewer("alice", Role.ADMIN, auth.hash_password("a long enough pass"))
    token = auth.new_token()
    store.open_session(token, "alice", Role.ADMIN, auth.new_token(), 60)
    assert store.session(token) is not None
    raw = sqlite3.connect(tmp_path / "db.sqlite3").execute("SELECT * FROM review_sessions")
    assert token not in repr(raw.fetchall())
    clock.now += 61
    assert store.session(token) is None  # expired
    token2 = auth.new_token()
    store.open_session(token2, "alice", Role.ADMIN, auth.new_token(), 60)
    store.disable_reviewer("alice")
    assert store.session(token2) is None


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


def test_throttle_blocks_after_the_allowed_failures_and_forgets_after_the_window() -> None:
    clock = Clock()
    throttle = auth.Throttle(attempts=3, window=60, clock=clock)
    for _ in range(3):
        assert throttle.retry_after("name:alice") == 0
        throttle.failed("name:alice", "addr:1.2.3.4")
    assert throttle.retry_after("name:alice") == pytest.approx(60)
    assert throttle.retry_after("name:bob", "addr:1.2.3.4") > 0  # same address, other name
    clock.now += 61
    assert throttle.retry_after("name:alice", "addr:1.2.3.4") == 0


def test_the_one_erasure_also_removes_decisions_and_notes(tmp_path: Path) -> None:
    from screening.store import erasure
    from screening.store.history import HistoryStore

    path = tmp_path / "db.sqlite3"
    review = ReviewStore(path)
    review.index([_indexed("greenhouse-7", "r.one")])
    review.decide("greenhouse-7", Decision.ESCALATE, "the note names Ana Example", "alice")
    review.close()
    history = HistoryStore.open(path, "0" * 64)
    try:
        result = erasure.erase(history, "greenhouse-7", actor="cli")
    finally:
        history.close()
    assert result.had_review and result.found
    review = ReviewStore(path)
    assert review.decisions("greenhouse-7") == [] and review.inbox() == []
    assert review.audit_entries(app_id="greenhouse-7")[0].action == "application.erased"
    review.close()
    assert b"Ana Example" not in path.read_bytes()  # compacted: no freed page keeps the note
