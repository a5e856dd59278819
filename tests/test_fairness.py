"""Fairness: applications identical but for the candidate's name and citizenship score identically.

Names come from many origins and scripts. Two presentations are tested: (1) the name and
citizenship change and nothing else (every other identifier fixed), over Latin-script names of
many origins; (2) the same person written with a different name everywhere their own name
appears (resume header, account holder, document author), over every script. Cross-script
comparisons are impossible without transliteration, so a name in another script may remove a
name-consistency finding but must never add one.

The language pack is covered by a template full of texts (resume, interview notes, messages)
that fire its rules, and by pairs of texts with the same content written in native and in
simpler, non-native English: the simpler one may never score higher, because rules key on what
is said, not on how fluently.
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
    "addresses": BASE["addresses"]
    + [{"kind": "shipping", "city": "Kowloon", "country": "HK", "recipient": "Erick Prince"}],
    "network": [{"ip": "45.77.1.1", "seen_at": "2025-03-02T14:05:00Z", "utc_offset_minutes": 540}],
    "payment": {"method": "USDT", "wallets": ["0x" + "c" * 40], "bank_country": "HK"},
    "references": [
        {"name": "Ann Lee", "phone": "+82 10 1234 5678", "relationship": "manager"},
        {
            "name": "Tom Reed",
            "email": "bestcoder88@outlook.com",
            "relationship": "colleague",
            "email_first_seen": "2025-03-01",
        },
    ],
    "employment": BASE["employment"]
    + [{"employer": "Independent Lab", "website": "https://inditechlab.com", "start": "2016-01"}],
    "devices": [
        {
            "software": ["AnyDesk", "Cluely"],
            "usb_devices": ["TinyPilot KVM"],
            "mac_addresses": ["30:52:53:00:00:01"],
        }
    ],
    "identity_events": [
        {"account": "a.one@corp.example", "device": "auth-1", "event": "mfa_approved"},
        {"account": "b.two@corp.example", "device": "auth-1", "event": "mfa_approved"},
    ],
    "interview_checks": [{"kind": "liveness", "result": "refused"}],
}
# rules added for issue 13: the SIGNALS template fires each of them, so every fairness test
# above compares their outcome across names, citizenships and scripts
NEW_RULES = {
    "identity.front-company-domain",
    "identity.references-look-like-support-personas",
    "identity.reference-contact-created-with-application",
    "behavior.liveness-challenge-not-passed",
    "device.interview-assist-tool",
    "device.ship-to-another-recipient",
    "device.one-device-approves-several-accounts",
    "device.ip-kvm-attached",
}

# the same kind of person, now with texts that fire the language pack
LANGUAGE: dict[str, Any] = {
    **BASE,
    "resume": {
        "text": "Location: Singapore\n"
        "Senior engineer with 10 years of ChatGPT and LLM work.\n"
        "Experienced developer skilled in system and program development and database "
        "management systems, using a wide variety of common languages, frameworks, tools and "
        "cloud resources, with strong skills in a number of coding and markup languages.\n"
    },
    "interview_notes": [
        "Kept the camera off and said the webcam was broken.",
        "Someone else was answering off camera.",
    ],
    "messages": [
        {
            "from": "candidate",
            "at": "2025-03-03T16:00:00Z",
            "text": "Please send the laptop to my cousin's address. I can only work at night.",
        },
        {"from": "candidate", "text": "I will connect to the laptop with AnyDesk."},
    ],
}

# (native phrasing, simpler non-native phrasing, the language rules both must fire)
PHRASINGS: list[tuple[str, str, set[str]]] = [
    (
        "I've been building backend services for about eight years, mostly in Python. I'd be "
        "glad to hop on a video call whenever suits you.",
        "I am backend developer since 8 years, mostly Python. I am glad to join video call any "
        "time you want.",
        set(),
    ),
    (
        "Unfortunately my webcam isn't working today, so could we do this one audio only?",
        "Sorry, my camera is broken today. We can do interview with audio only?",
        {"language.camera-refusal"},
    ),
    (
        "Would you mind shipping the laptop over to my cousin's place? I'm staying there.",
        "Please send laptop to my cousin address, I stay there now.",
        {"language.equipment-to-another-address"},
    ),
    (
        "I've got 6 years of experience with React and I'm comfortable leading a small team.",
        "I have 6 years experience in React and I can lead small team.",
        set(),
    ),
    (
        "Could you possibly pay my salary in USDT rather than through a bank?",
        "Please pay salary in USDT, not bank.",
        {"language.crypto-payment-request"},
    ),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock(), offline=True, strict=True)


def screen(
    engine: Engine, data: dict[str, Any], name: str, citizenship: str, own_name_everywhere: bool
) -> Screening:
    from screening.ingest import from_mapping

    data = copy.deepcopy(data)
    data["name"] = name
    data["citizenship"] = citizenship
    inline = data.pop("resume", {}).get("text", "")
    docs: tuple[DocumentContent, ...] = (
        (DocumentContent(kind="resume", format="text", text=inline),) if inline else ()
    )
    if own_name_everywhere:
        data["payment"] = {**data["payment"], "account_holder": name}
        data["addresses"] = [
            {**a, "recipient": name} if "recipient" in a else a for a in data["addresses"]
        ]
        docs = (
            DocumentContent(
                kind="resume",
                format="docx",
                text=f"{name}\nSoftware Engineer\n{inline}",
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


TEMPLATES = pytest.mark.parametrize(
    "template", [BASE, SIGNALS, LANGUAGE], ids=["clean", "many-signals", "language-signals"]
)


@TEMPLATES
def test_name_and_citizenship_do_not_change_the_outcome(
    engine: Engine, template: dict[str, Any]
) -> None:
    results = {
        name: signature(screen(engine, template, name, cit, False)) for name, cit in LATIN_NAMES
    }
    assert len(set(results.values())) == 1, results


@TEMPLATES
def test_same_person_in_any_script_scores_the_same(
    engine: Engine, template: dict[str, Any]
) -> None:
    results = {
        name: signature(screen(engine, template, name, cit, True)) for name, cit in ANY_SCRIPT_NAMES
    }
    assert len(set(results.values())) == 1, results
    if template is SIGNALS:
        assert next(iter(results.values()))[0] >= 50  # the signals are still found
    if template is LANGUAGE:  # the language pack fires, identically for everyone
        language = [f for f in next(iter(results.values()))[1] if f.startswith("language.")]
        assert len(language) >= 6, language


def test_the_fairness_templates_fire_every_new_rule(engine: Engine) -> None:
    fired = {f.id for f in screen(engine, SIGNALS, "Jonathan Miller", "US", False).findings}
    assert fired >= NEW_RULES, NEW_RULES - fired


def test_another_script_never_adds_a_finding(engine: Engine) -> None:
    impostor = {**SIGNALS, "links": ["https://www.linkedin.com/in/robert-hayes-3f9a"]}
    latin = {f.id for f in screen(engine, impostor, "Jonathan Miller", "US", False).findings}
    for name, cit in ANY_SCRIPT_NAMES:
        other = {f.id for f in screen(engine, impostor, name, cit, False).findings}
        assert other <= latin, (name, other - latin)


@pytest.mark.parametrize(("native", "simple", "expected"), PHRASINGS, ids=range(len(PHRASINGS)))
def test_simpler_english_never_scores_higher_than_native_phrasing(
    engine: Engine, native: str, simple: str, expected: set[str]
) -> None:
    def run(text: str) -> Screening:
        data = {**BASE, "messages": [{"from": "candidate", "text": text}]}
        return screen(engine, data, "Jonathan Miller", "US", False)

    plain, fluent = run(simple), run(native)
    assert plain.score.score <= fluent.score.score
    for screening in (plain, fluent):  # the same content fires the same language rules
        assert {f.id for f in screening.findings if f.id.startswith("language.")} == expected
