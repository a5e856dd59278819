"""Reuse detection through the engine: earlier applications only, re-applying apart from other
names, near-duplicate resumes, laptop-farm addresses, and no raw identifier in the database."""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screening.config import Settings
from screening.model.application import RawApplication
from screening.model.screening import Screening
from screening.pipeline import Engine
from screening.store.history import HistoryStore
from screening.testing import FixedClock, screen_mapping

SECRET = "reuse-test-secret-0123456789"
RESUME = " ".join(
    f"Led the migration of service {i} to event driven pipelines, cutting latency and cost for "
    "the payments team while mentoring two junior engineers."
    for i in range(8)
)
PERSONA: dict[str, Any] = {
    "name": "Robert Hayes",
    "emails": ["rhayes.dev@example.com"],
    "phones": ["+1 512 555 0147"],
    "location": {"country": "US", "city": "Austin", "timezone": "America/Chicago"},
    "addresses": [
        {"kind": "home", "line1": "77 Elm Avenue", "city": "Austin", "country": "US"},
        {
            "kind": "shipping",
            "line1": "12 Oak Street Apt 4",
            "city": "Dallas",
            "postal_code": "75201",
            "country": "US",
        },
    ],
    "links": ["https://github.com/rhayes-builds"],
    "payment": {"method": "crypto", "wallets": ["0x" + "5a" * 20]},
    "resume": {"text": RESUME},
}


@pytest.fixture(scope="module")
def base_engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock(), offline=True)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[HistoryStore]:
    s = HistoryStore.open(tmp_path / "history.sqlite3", SECRET)
    yield s
    s.close()


@pytest.fixture()
def engine(base_engine: Engine, store: HistoryStore) -> Engine:
    return base_engine.with_history(store)


def screen(engine: Engine, app_id: str, **changes: Any) -> Screening:
    data = copy.deepcopy(PERSONA)
    data.update(changes)
    return screen_mapping(engine, {"id": app_id, **data})


def ids(s: Screening) -> set[str]:
    return {f.id for f in s.findings}


def summary(s: Screening, key: str) -> Any:
    (record,) = s.facts.namespace("history")
    return record[key]


def reuse(s: Screening) -> set[tuple[str, str, str]]:
    return {
        (str(r["kind"]), str(r["application_id"]), str(r["relation"]))
        for r in s.facts.namespace("reuse")
    }


def test_first_application_is_compared_with_nothing_earlier(engine: Engine) -> None:
    first = screen(engine, "gh-1")
    assert summary(first, "earlier_applications") == 0
    assert reuse(first) == set()
    again = screen(engine, "gh-1")  # screening the same application again: never itself
    assert reuse(again) == set()


def test_persona_reusing_everything_under_another_name(engine: Engine) -> None:
    screen(engine, "gh-1")
    second = screen(
        engine,
        "gh-2",
        name="Daniel Brooks",
        emails=["RHayes.Dev@Example.COM"],  # the same mailbox written in capitals
        links=["https://github.com/RHayes-Builds"],
        addresses=[
            {
                "kind": "shipping",
                "line1": "12 oak st. unit 4",
                "city": "dallas",
                "postal_code": "75201",
                "country": "US",
            }
        ],
    )
    assert reuse(second) == {
        (kind, "gh-1", "different")
        for kind in ("phone", "email", "address", "wallet", "handle", "resume")
    }
    assert {
        "identity.contact-shared-across-applicants",
        "identity.payment-shared-across-applicants",
        "identity.shipping-address-shared-across-applicants",
        "identity.resume-cloned-across-applicants",
    } <= ids(second)
    assert "identity.reapplied-under-same-name" not in ids(second)
    assert summary(second, "other_names") == 1
    contact = next(
        f for f in second.findings if f.id == "identity.contact-shared-across-applicants"
    )
    assert "gh-1" in contact.explain
    # evidence names the earlier application and what is shared, never the shared value
    shown = " ".join(f"{e.path}={e.value}" for f in second.findings for e in f.evidence)
    assert "0147" not in shown and "rhayes.dev" not in shown


def test_reapplying_under_ones_own_name_is_reported_apart(engine: Engine) -> None:
    screen(engine, "gh-1")
    again = screen(engine, "gh-9", name="Rob Hayes")  # a short form of the same name
    assert summary(again, "reapplied") == ["gh-1"]
    assert "identity.reapplied-under-same-name" in ids(again)
    assert not ids(again) & {
        "identity.contact-shared-across-applicants",
        "identity.payment-shared-across-applicants",
        "identity.resume-cloned-across-applicants",
    }
    finding = next(f for f in again.findings if f.id == "identity.reapplied-under-same-name")
    assert finding.contribution == 0.0


def test_a_name_in_another_script_never_adds_a_reuse_finding(engine: Engine) -> None:
    screen(engine, "gh-1")
    other_script = screen(engine, "gh-3", name="로버트 헤이즈")
    assert {rel for _, _, rel in reuse(other_script)} == {"incomparable"}
    assert not [f for f in other_script.findings if "across-applicants" in f.id]


def test_relatives_share_a_home_phone_without_a_finding(engine: Engine) -> None:
    screen(
        engine,
        "gh-1",
        resume={"text": "Short resume."},
        payment={"method": "bank"},
        links=[],
        emails=["robert.h@example.com"],
    )
    sister = screen(
        engine,
        "gh-4",
        name="Alice Hayes",
        emails=["alice.hayes@example.com"],
        links=[],
        payment={"method": "bank"},
        resume={"text": "A different resume entirely."},
    )
    assert ("phone", "gh-1", "variant") in reuse(sister)
    assert not [f for f in sister.findings if "across-applicants" in f.id]


def test_similar_name_with_new_contact_details_is_context_only(engine: Engine) -> None:
    screen(engine, "gh-1")
    fresh = screen(
        engine,
        "gh-5",
        name="Hayes, Robert",
        emails=["new.mail@example.org"],
        phones=["+1 512 555 0190"],
        addresses=[],
        links=[],
        payment={"method": "bank"},
        resume={"text": "Entirely new resume text."},
    )
    assert summary(fresh, "similar_candidates") == ["gh-1"]
    finding = next(f for f in fresh.findings if f.id == "identity.similar-name-new-contact-details")
    assert finding.rule.status == "experimental" and finding.weight == 0.0


def test_without_a_store_the_reuse_rules_are_known_gaps(base_engine: Engine) -> None:
    s = screen_mapping(base_engine, {"id": "x", **PERSONA})
    check = next(c for c in s.checks if c.analyzer == "history")
    assert check.status == "unavailable"
    assert "identity.contact-shared-across-applicants" in {n.rule_id for n in s.not_evaluated}


def test_photos_are_reported_as_not_compared(engine: Engine, tmp_path: Path) -> None:
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not decoded")
    path = tmp_path / "gh-6.json"
    path.write_text(json.dumps({"id": "gh-6", **PERSONA, "photos": [{"path": "photo.jpg"}]}))
    (raw,) = engine.read(path)
    assert isinstance(raw, RawApplication)
    s = engine.screen(raw)
    assert "perceptual photo hashes are not computed" in s.facts.missing["history.shared_photo"]


def test_no_raw_identifier_reaches_the_database(engine: Engine, store: HistoryStore) -> None:
    screen(engine, "gh-1")
    store.close()
    raw = store.path.read_bytes()
    wal = Path(f"{store.path}-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    for value in (
        b"rhayes",
        b"5125550147",
        b"555 0147",
        b"Oak",
        b"oak st",
        b"hayes",
        b"Robert",
        b"5a5a5a5a",
        b"migration of service",
    ):
        assert value not in raw, value
    assert b"gh-1" in raw  # ids, times and scores are what is kept in clear


def test_a_locked_store_keeps_the_screening_and_says_so(
    base_engine: Engine, tmp_path: Path
) -> None:
    path = tmp_path / "locked.sqlite3"
    store = HistoryStore.open(path, SECRET, timeout=0.2)
    engine = base_engine.with_history(store)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        s = screen(engine, "gh-7")
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert s.score.score > 0  # the screening itself is not lost
    # readers are not blocked in WAL mode: the lookup ran, only the recording was refused
    assert any("not recorded in the history store" in n and "locked" in n for n in s.notes)
    assert list(store.export()) == []
    screen(engine, "gh-7")  # once the lock is gone the same screening is recorded
    assert [r.application_id for r in store.export()] == ["gh-7"]


def test_lookup_only_engine_does_not_record(base_engine: Engine, store: HistoryStore) -> None:
    engine = base_engine.with_history(store, record=False)
    screen(engine, "gh-8")
    assert list(store.export()) == []


def test_invisible_padding_does_not_hide_a_cloned_resume(engine: Engine) -> None:
    screen(engine, "gh-1")
    padded = " ".join(w[:2] + "\u200b" + w[2:] if len(w) > 3 else w for w in RESUME.split(" "))
    clone = screen(
        engine,
        "gh-4",
        name="Daniel Brooks",
        emails=["db@example.org"],
        phones=["+1 512 555 0190"],
        links=[],
        addresses=[],
        payment=None,
        resume={"text": padded},
    )
    assert ("resume", "gh-1", "different") in reuse(clone)
    assert "identity.resume-cloned-across-applicants" in ids(clone)
