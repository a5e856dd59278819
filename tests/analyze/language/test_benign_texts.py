"""Honest texts that share words with red flags must not fire any language rule.

A false positive costs an honest applicant a job, so this corpus collects the near misses:
tools named as skills, crypto work experience, split work, competing offers, camera checks that
went fine, questions the interviewer asked, and dates and places that only look inconsistent.
"""

from __future__ import annotations

from typing import Any

import pytest

from screening.config import Settings
from screening.ingest import from_mapping
from screening.model.application import DocumentContent, RawApplication
from screening.pipeline import Engine
from screening.testing import FixedClock

MESSAGES = [
    "Thanks for the invitation! I have another offer and would appreciate an answer by Friday.",
    "I worked on a crypto payments platform at my last job, happy to talk about it.",
    "We split the work between two teams and shipped the payment service in March.",
    "My friend recommended your company; she says the team is great.",
    "Camera and microphone tested, see you on video at 10.",
    "Could you send the contract to my personal email instead of my work one?",
    "I'm shipping a release tonight, so could we move the call to tomorrow morning?",
    "Please ship the laptop to my home address on the form.",
    "I usually start early and finish around 4pm, but I'm flexible for meetings.",
    "Happy to do the background check and the drug test whenever it suits you.",
    "Payroll direct deposit works for me; my bank is in Austin.",
    "I use VS Code remote containers and SSH for development, nothing else.",
    "Is the salary paid monthly or twice a month?",
]
NOTES = [
    "Camera on the whole time; clear answers on caching and queues.",
    "No camera issues. Strong system design.",
    "Asked whether anyone else was in the room; candidate showed the room, nobody there.",
    "Asked about the remote access policy: candidate said they never use AnyDesk or TeamViewer.",
    "Candidate paused to think before answering; answers were thorough.",
    "Accent noted by the first interviewer; irrelevant to the role and not assessed.",
    "Candidate asked if the laptop could be shipped to their home address. Yes.",
]
RESUME = """\
Jordan Avery
Location: Austin, TX, USA | jordan.avery@example.com
Summary: Backend engineer with 9 years of experience in Python and Go, 6 years of Kubernetes.
Experience
Example Tech, Senior Engineer, 2019 - present: built payment reconciliation services, moved
billing to Kubernetes, mentored four engineers. Supported the IT team with TeamViewer and
AnyDesk rollouts for customer support staff.
Previous Example, Engineer, 2016 - 2019: crypto wallet integrations for a fintech client;
shipped the mobile onboarding flow; split the monolith into services.
Skills: Python, Go, Kubernetes, PostgreSQL, Terraform (since 2016), React.
Education: Example University, BSc Computer Science, 2012 - 2016, Atlanta, Georgia.
"""


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock(), offline=True, strict=True)


def test_honest_texts_fire_no_language_rule(engine: Engine) -> None:
    data: dict[str, Any] = {
        "name": "Jordan Avery",
        "date_of_birth": "1994-02-03",
        "location": {"country": "US", "region": "TX", "city": "Austin"},
        "skills": ["Python", "Go", "Kubernetes"],
        "employment": [
            {"employer": "Example Tech", "start": "2019-01", "end": "present"},
            {"employer": "Previous Example", "start": "2016-06", "end": "2018-12"},
        ],
        "interview_notes": NOTES,
        "messages": [{"from": "candidate", "text": m} for m in MESSAGES],
    }
    raw = from_mapping(data, "benign")
    doc = DocumentContent(kind="resume", format="txt", text=RESUME)
    screening = engine.screen(RawApplication(data=raw.data, documents=(doc,), origin="benign"))
    language = [f.id for f in screening.findings if f.id.startswith("language.")]
    assert language == []
    facts = screening.facts
    assert facts is not None
    (summary,) = facts.namespace("language")
    assert summary["text_count"] == 1 + len(NOTES) + len(MESSAGES)
