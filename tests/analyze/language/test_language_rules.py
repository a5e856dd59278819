"""The language pack end to end: every rule fires on its wording, not on ordinary wording, not
when negated, and never twice for a cause the structured form already states."""

from __future__ import annotations

from typing import Any

import pytest

from screening.config import Settings
from screening.ingest import from_mapping
from screening.model.application import DocumentContent, RawApplication
from screening.model.screening import Screening
from screening.pipeline import Engine
from screening.testing import FixedClock, screen_mapping

CASES = {
    "camera-refusal": (
        "My webcam is broken today, can we do audio only?",
        "Happy to join on video tomorrow.",
        "My camera is not broken, I will turn it on.",
    ),
    "someone-else-in-interview": (
        "Can my friend join the technical interview instead of me?",
        "My friend recommended your company.",
        "It is not true that someone else was answering for me.",
    ),
    "crypto-payment-request": (
        "Could you pay my salary in USDT?",
        "Bank transfer to my account is fine.",
        "I do not want to be paid in crypto.",
    ),
    "split-payment-request": (
        "Please split my salary between two accounts.",
        "Please pay into my account.",
        "There is no need to split my salary.",
    ),
    "payment-platform-request": (
        "Please pay me through Payoneer instead of payroll.",
        "Payroll works for me.",
        "I don't need to be paid via PayPal.",
    ),
    "equipment-to-another-address": (
        "Please send the laptop to my cousin's address.",
        "Please send the laptop to my home address.",
        "I never asked you to ship the laptop to a different address.",
    ),
    "remote-access-tool-mentioned": (
        "I will connect to the laptop with AnyDesk.",
        "I use VS Code for development.",
        "No AnyDesk is installed on my laptop.",
    ),
    "unusual-hours-only": (
        "I can only work at night.",
        "I can work any hours that suit the team.",
        "I do not need to work only at night.",
    ),
    "urgency-pressure": (
        "I need an advance payment before I can start.",
        "I can start next month.",
        "I do not need any advance payment.",
    ),
    "extortion-threat": (
        "I will publish your source code unless you pay me.",
        "I can share my portfolio on GitHub.",
        "I would never publish your source code.",
    ),
}


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.build(Settings(), clock=FixedClock(), offline=True)


def fired(screening: Screening) -> set[str]:
    return {f.id for f in screening.findings}


def say(engine: Engine, text: str, sender: str = "candidate", **extra: Any) -> Screening:
    data = {"name": "Jordan Avery", "messages": [{"from": sender, "text": text}], **extra}
    return screen_mapping(engine, data)


@pytest.mark.parametrize("kind", ["positive", "negative", "negated"])
@pytest.mark.parametrize("rule", sorted(CASES))
def test_phrase_rule(engine: Engine, rule: str, kind: str) -> None:
    positive, negative, negated = CASES[rule]
    text = {"positive": positive, "negative": negative, "negated": negated}[kind]
    result = fired(say(engine, text))
    assert (f"language.{rule}" in result) is (kind == "positive"), result


@pytest.mark.parametrize("rule", sorted(CASES))
def test_the_same_words_from_the_hiring_team_do_not_fire(engine: Engine, rule: str) -> None:
    assert f"language.{rule}" not in fired(say(engine, CASES[rule][0], sender="recruiter"))


def test_interview_notes_fire_like_candidate_messages(engine: Engine) -> None:
    data = {"name": "Jordan Avery", "interview_notes": ["Kept the camera off all call."]}
    assert "language.camera-refusal" in fired(screen_mapping(engine, data))


@pytest.mark.parametrize(
    ("text", "form", "structured_rule", "language_rule"),
    [
        (
            "Could you pay my salary in USDT?",
            {"payment": {"method": "USDT", "wallets": ["0x" + "c" * 40]}},
            "payment.crypto-salary",
            "language.crypto-payment-request",
        ),
        (
            "Please send the laptop to my cousin's address.",
            {
                "addresses": [
                    {"kind": "home", "line1": "1 Oak St", "city": "Austin", "country": "US"},
                    {"kind": "shipping", "line1": "9 Elm St", "city": "Dallas", "country": "US"},
                ]
            },
            "device.ship-to-other-address",
            "language.equipment-to-another-address",
        ),
        (
            "I will connect to the laptop with AnyDesk.",
            {"devices": [{"hostname": "LT-1", "remote_access_tools": ["AnyDesk"]}]},
            "device.remote-access-tool",
            "language.remote-access-tool-mentioned",
        ),
        (
            "Please pay me through Payoneer instead of payroll.",
            {"payment": {"method": "Payoneer", "platform": "Payoneer"}},
            "payment.cross-border-platform",
            "language.payment-platform-request",
        ),
    ],
)
def test_a_cause_the_form_already_states_is_counted_once(
    engine: Engine,
    text: str,
    form: dict[str, Any],
    structured_rule: str,
    language_rule: str,
) -> None:
    both = fired(say(engine, text, **form))
    assert structured_rule in both and language_rule not in both
    alone = fired(say(engine, text))
    assert language_rule in alone and structured_rule not in alone


def screen_resume(engine: Engine, resume: str, **data: Any) -> Screening:
    raw = from_mapping({"name": "Jordan Avery", **data}, "test", engine.limits)
    doc = DocumentContent(kind="resume", format="txt", text=resume)
    return engine.screen(RawApplication(data=raw.data, documents=(doc,), origin="test"))


FILLER = " ".join(["Built and ran services for customers in many markets."] * 20)


@pytest.mark.parametrize(
    ("rule", "resume", "data"),
    [
        ("technology-anachronism", "Ten years of ChatGPT integration work.", {}),
        (
            "experience-before-age-twelve",
            "15+ years of experience.",
            {"date_of_birth": "2001-03-01"},
        ),
        (
            "experience-exceeds-history",
            "12 years of experience.",
            {"employment": [{"employer": "Acme", "start": "2022-01", "end": "present"}]},
        ),
        (
            "known-template-text",
            "Experienced developer skilled in system and program development and database "
            "management systems, using a wide variety of common languages, frameworks, tools and "
            "cloud resources, with strong skills in a number of coding and markup languages.",
            {},
        ),
        ("hidden-characters-in-flagged-words", "Tools: Any\u200bDesk, Jira.", {}),
        (
            "resume-location-differs",
            f"Location: Singapore\n{FILLER}",
            {"location": {"country": "US", "city": "Austin"}},
        ),
        (
            "resume-omits-form-employers",
            f"Acme, engineer. {FILLER}",
            {
                "employment": [
                    {"employer": "Acme", "start": "2022-01"},
                    {"employer": "Brightwave Digital", "start": "2019-01"},
                    {"employer": "Nova Chain Labs", "start": "2017-01"},
                ]
            },
        ),
        (
            "skills-without-role",
            "Engineer.",
            {
                "skills": ["Solidity", "Flutter", "Rust", "Go", "Kotlin", "Swift"],
                "employment": [{"employer": "Acme", "title": "Engineer", "description": "APIs"}],
            },
        ),
    ],
)
def test_record_rule_fires_on_its_evidence_and_not_without_it(
    engine: Engine, rule: str, resume: str, data: dict[str, Any]
) -> None:
    assert f"language.{rule}" in fired(screen_resume(engine, resume, **data))
    plain, consistent = NEGATIVE.get(rule, (f"Engineer. {FILLER}", data))
    assert f"language.{rule}" not in fired(screen_resume(engine, plain, **consistent))


# evidence that lives in the form needs a consistent form, not just plain resume text
NEGATIVE: dict[str, tuple[str, dict[str, Any]]] = {
    "resume-omits-form-employers": (
        f"Acme; Brightwave Digital; Nova Chain Labs. {FILLER}",
        {
            "employment": [
                {"employer": "Acme", "start": "2022-01"},
                {"employer": "Brightwave Digital", "start": "2019-01"},
                {"employer": "Nova Chain Labs", "start": "2017-01"},
            ]
        },
    ),
    "skills-without-role": (
        "Engineer.",
        {
            "skills": ["Solidity", "Flutter", "Rust", "Go", "Kotlin", "Swift"],
            "employment": [
                {
                    "employer": "Acme",
                    "title": "Engineer",
                    "description": "Solidity contracts, Flutter and Swift apps, Rust and Go",
                }
            ],
        },
    ),
}


def test_negated_claims_do_not_fire(engine: Engine) -> None:
    resume = "I do not claim 10 years of ChatGPT; nobody has that."
    assert "language.technology-anachronism" not in fired(screen_resume(engine, resume))


def test_rules_that_need_named_entities_are_listed_as_not_evaluated(engine: Engine) -> None:
    screening = screen_resume(engine, f"Acme Corp 2019-2022. {FILLER}")
    (gap,) = [n for n in screening.not_evaluated if n.rule_id.endswith("unlisted-employers")]
    assert any("needs a trained spaCy pipeline" in r for r in gap.reasons)
    names = [s.name for s in screening.sources]
    assert "spaCy pipeline: blank en (rule-based)" in names


def test_hidden_characters_in_a_candidate_message_are_reported(engine: Engine) -> None:
    """Notes and messages reach the language analyzer as written, so evasion there is seen."""
    message = {
        "from": "candidate",
        "at": "2025-03-05T10:00:00Z",
        "text": "I will need Any\u200bDesk on the laptop.",
    }
    screening = screen_mapping(engine, {"name": "Jordan Avery", "messages": [message]})
    assert "language.hidden-characters-in-flagged-words" in fired(screening)
    clean = {**message, "text": "I will need AnyDesk on the laptop."}
    plain = screen_mapping(engine, {"name": "Jordan Avery", "messages": [clean]})
    assert "language.hidden-characters-in-flagged-words" not in fired(plain)
