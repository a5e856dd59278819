"""Fairness: applications identical but for the candidate's name and citizenship score identically.

Names come from many origins and scripts. Two presentations are tested: (1) the name and
citizenship change and nothing else (every other identifier fixed), over Latin-script names of
many origins; (2) the same person written with a different name everywhere their own name
appears (resume header, account holder, document author), over every script. Cross-script
comparisons are impossible without transliteration, so a name in another script may remove a
name-consistency finding but must never add one.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from screening.config import Settings
from screening.model.application import DocumentContent, DocumentMeta, RawApplication
from screening.model.screening import Screening
from screening.pipeline import Engine
from screening.testing import FixedClock

LATIN_NAMES = [
    ("Jonathan Miller", "US"),
    ("Minjun Kim", "KR"),
    ("Nguyễn Văn An", "VN"),
    ("Oluwaseun Adeyemi", "NG"),
    ("Priya Venkataraman", "IN"),
    ("Mohammed Al-Farsi", "AE"),
    ("Oleksandr Shevchenko", "UA"),
    ("Wang Xiu Ying", "CN"),
    ("María Fernanda López García", "MX"),
    ("Łukasz Wiśniewski", "PL"),
    ("Hanako Sato", "JP"),
    ("Chukwuemeka Obi", "NG"),
    ("Ayşe Yılmaz", "TR"),
    ("Thandiwe Dlamini", "ZA"),
    ("Kwame Mensah", "GH"),
]
ANY_SCRIPT_NAMES = [
    *LATIN_NAMES,
    ("김민준", "KR"),
    ("王秀英", "CN"),
    ("佐藤 花子", "JP"),
    ("Олександр Шевченко", "UA"),
    ("محمد الفارسي", "AE"),
    ("प्रिया वेंकटरमन", "IN"),
    ("Γιώργος Παπαδόπουλος", "GR"),
]

BASE: dict[str, Any] = {
    "id": "fairness",
    "received_at": "2025-03-02T14:05:00Z",
    "emails": ["devmail2019@example.com"],
    "phones": ["+1 512 555 0102"],
    "location": {"country": "US", "region": "TX", "city": "Austin", "timezone": "America/Chicago"},
    "addresses": [{"kind": "home", "line1": "12 Oak St", "city": "Austin", "country": "US"}],
    "links": ["https://github.com/octo-builder"],
    "skills": ["Python"],
    "employment": [
        {"employer": "Acme", "start": "2019-01", "end": "present", "website": "acme.example"}
    ],
    "education": [{"institution": "State University", "start": 2013, "end": 2017, "country": "US"}],
    "references": [{"name": "Ann Lee", "email": "ann.lee@acme.example", "relationship": "manager"}],
    "network": [
        {"ip": "203.0.113.4", "seen_at": "2025-03-02T14:05:00Z", "utc_offset_minutes": -360}
    ],
    "payment": {"method": "bank", "bank_country": "US"},
    "messages": [{"from": "candidate", "at": "2025-03-03T16:00:00Z", "text": "Thanks"}],
}

# an application with many signals that do not depend on the name at all
SIGNALS: dict[str, Any] = {
    **BASE,
    "emails": ["luckydev0412@mailinator.com"],
    "phones": ["+82 10 1234 5678"],
    "addresses": BASE["addresses"] + [{"kind": "shipping", "city": "Kowloon", "country": "HK"}],
    "network": [{"ip": "45.77.1.1", "seen_at": "2025-03-02T14:05:00Z", "utc_offset_minutes": 540}],
    "payment": {"method": "USDT", "wallets": ["0x" + "c" * 40], "bank_country": "HK"},
    "references": [{"name": "Ann Lee", "phone": "+82 10 1234 5678", "relationship": "manager"}],
    "devices": [{"software": ["AnyDesk"], "usb_devices": ["TinyPilot KVM"]}],
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock())


def screen(
    engine: Engine, data: dict[str, Any], name: str, citizenship: str, own_name_everywhere: bool
) -> Screening:
    from screening.ingest import from_mapping

    data = copy.deepcopy(data)
    data["name"] = name
    data["citizenship"] = citizenship
    docs: tuple[DocumentContent, ...] = ()
    if own_name_everywhere:
        data["payment"] = {**data["payment"], "account_holder": name}
        docs = (
            DocumentContent(
                kind="resume",
                format="docx",
                text=f"{name}\nSoftware Engineer\n",
                meta=DocumentMeta(author=name),
            ),
        )
    raw = from_mapping(data, "fairness")
    return engine.screen(RawApplication(data=raw.data, documents=docs, origin="fairness"))


def signature(s: Screening) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    return (
        s.score.score,
        tuple(f.id for f in s.findings),
        tuple(sorted(n.rule_id for n in s.not_evaluated)),
    )


@pytest.mark.parametrize("template", [BASE, SIGNALS], ids=["clean", "many-signals"])
def test_name_and_citizenship_do_not_change_the_outcome(
    engine: Engine, template: dict[str, Any]
) -> None:
    results = {
        name: signature(screen(engine, template, name, cit, False)) for name, cit in LATIN_NAMES
    }
    assert len(set(results.values())) == 1, results


@pytest.mark.parametrize("template", [BASE, SIGNALS], ids=["clean", "many-signals"])
def test_same_person_in_any_script_scores_the_same(
    engine: Engine, template: dict[str, Any]
) -> None:
    results = {
        name: signature(screen(engine, template, name, cit, True)) for name, cit in ANY_SCRIPT_NAMES
    }
    assert len(set(results.values())) == 1, results
    if template is SIGNALS:
        assert next(iter(results.values()))[0] >= 50  # the signals are still found


def test_another_script_never_adds_a_finding(engine: Engine) -> None:
    impostor = {**SIGNALS, "links": ["https://www.linkedin.com/in/robert-hayes-3f9a"]}
    latin = {f.id for f in screen(engine, impostor, "Jonathan Miller", "US", False).findings}
    for name, cit in ANY_SCRIPT_NAMES:
        other = {f.id for f in screen(engine, impostor, name, cit, False).findings}
        assert other <= latin, (name, other - latin)
