"""References as support personas (experimental): free webmail under handles that are not the
reference's name, and one reference's contact vouching for unrelated applicants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from screening.config import Settings
from screening.pipeline import Engine
from screening.store.history import HistoryStore
from screening.testing import FixedClock, screen_mapping

PERSONAS = [
    {"name": "Ann Lee", "email": "techguru2021@gmail.com", "relationship": "manager"},
    {"name": "Tom Reed", "email": "bestcoder88@outlook.com", "phone": "+1 512 555 0177"},
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock(), offline=True)


def ids(engine: Engine, **data: Any) -> set[str]:
    return {f.id for f in screen_mapping(engine, {"name": "Jordan Avery", **data}).findings}


def test_references_that_look_like_support_personas(engine: Engine) -> None:
    rule = "identity.references-look-like-support-personas"
    assert rule in ids(engine, references=PERSONAS)
    own_name = [PERSONAS[0], {"name": "Tom Reed", "email": "tom.reed77@gmail.com"}]
    assert rule not in ids(engine, references=own_name)
    accents = [PERSONAS[0], {"name": "José Núñez", "email": "jose.nunez@gmail.com"}]
    assert rule not in ids(engine, references=accents)  # accents folded before comparing
    # a name in another script cannot be compared with a handle: never a finding for that
    other_script = [{"name": "김민준", "email": "techguru2021@gmail.com"}]
    assert rule not in ids(engine, references=other_script)


@pytest.fixture()
def history(tmp_path: Path) -> Iterator[Engine]:
    store = HistoryStore.open(tmp_path / "h.sqlite3", "support-persona-secret-0123")
    yield Engine.build(Settings(), clock=FixedClock(), offline=True).with_history(store)
    store.close()


def test_one_reference_vouching_for_unrelated_applicants(history: Engine) -> None:
    rule = "identity.reference-shared-across-applicants"
    first = {"id": "a-1", "name": "Jordan Avery", "references": PERSONAS[1:]}
    assert rule not in {f.id for f in screen_mapping(history, first).findings}
    second = {
        "id": "a-2",
        "name": "Minh Tran",
        "references": [{"name": "T. Reed", "phone": "+1 (512) 555-0177"}],
    }
    assert rule in {f.id for f in screen_mapping(history, second).findings}
    # the same candidate reapplying is linked to the other candidate, never to themselves
    again = screen_mapping(history, {**first, "id": "a-3"})
    finding = next(f for f in again.findings if f.id == rule)
    linked = {e.value for e in finding.evidence if e.path == "reuse.application_id"}
    assert linked == {"a-2"}


def test_reference_contact_details_created_with_the_application(engine: Engine) -> None:
    rule = "identity.reference-contact-created-with-application"
    applied = "2026-03-02T14:05:00Z"

    def run(**ref: Any) -> Any:
        data = {"name": "Jordan Avery", "received_at": applied, "references": [ref]}
        return screen_mapping(engine, data)

    fresh = run(
        name="Ann Lee", email="ann@leeconsult.example", email_domain_registered="2026-02-20"
    )
    finding = next(f for f in fresh.findings if f.id == rule)
    assert finding.rule.status == "experimental" and finding.weight == 0  # shown, not scored
    assert "reference Ann Lee came into use less than 30 days before" in finding.explain
    assert {e.path: e.value for e in finding.evidence}["references.email_domain_age_days"] == 10
    # first seen with the application: the oldest of the email's and the phone's dates counts
    seen = run(name="Tom Reed", email_first_seen="2026-03-02", phone_first_seen="2026-02-28")
    assert rule in {f.id for f in seen.findings}
    old_phone = run(name="Tom Reed", email_first_seen="2026-03-02", phone_first_seen="2019-05-01")
    assert rule not in {f.id for f in old_phone.findings}
    old = run(name="Ann Lee", email="ann.lee@acme.example", email_domain_registered="2009-06-01")
    assert rule not in {f.id for f in old.findings}
    # without the dates (what most applications carry) the rule stays silent
    assert rule not in {f.id for f in run(name="Ann Lee", email="ann@leeconsult.example").findings}
    # the screening date stands in for an application without its own date
    undated = screen_mapping(
        engine,
        {"name": "Jordan Avery", "references": [{"name": "A", "email_first_seen": "1990-01-01"}]},
    )
    assert rule not in {f.id for f in undated.findings}
