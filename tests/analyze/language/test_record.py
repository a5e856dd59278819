"""Resume against the application form: employers, stated location, skills."""

from __future__ import annotations

from typing import Any

import pytest
from language_support import analyze, summary

from screening.analyze.language.record import countries_named, stated_locations

FILLER = " ".join(["Designed and shipped services for customers across many markets."] * 25)
FORM: dict[str, Any] = {
    "location": {"country": "US", "city": "Austin"},
    "employment": [
        {"employer": "Brightwave Digital Inc.", "title": "Engineer", "start": "2019-01"},
        {"employer": "Nova Chain Labs LLC", "title": "Developer", "start": "2017-01"},
        {"employer": "Quantix Apps", "title": "Developer", "start": "2015-01"},
        {"employer": "Self-employed", "title": "Consultant", "start": "2014-01"},
    ],
}


def test_employers_the_resume_never_mentions_are_listed() -> None:
    resume = f"Brightwave Digital, Senior Engineer, 2019-2024. {FILLER}"
    record = summary(analyze(FORM, resume=resume))
    assert record["application_employer_count"] == 3  # "Self-employed" is not an employer
    assert record["resume_missing_employers"] == ["Nova Chain Labs LLC", "Quantix Apps"]
    assert record["resume_missing_employer_share"] == 0.667


def test_employer_names_match_across_case_accents_suffixes_and_spacing() -> None:
    resume = f"BRIGHTWAVE DIGITAL; Nova-Chain Labs; QuantixApps. {FILLER}"
    assert summary(analyze(FORM, resume=resume))["resume_missing_employers"] == []


def test_a_short_resume_is_not_compared() -> None:
    result = analyze(FORM, resume="Brightwave Digital. Engineer.")
    assert "resume too short" in result.missing["language.resume_missing_employer_count"]


def test_stated_locations_are_read_from_explicit_cues_only() -> None:
    resume = "Jordan Avery\nLocation: Singapore | jordan@example.com\nBased in Lisbon, Portugal.\n"
    assert stated_locations(resume) == ["Singapore", "Lisbon, Portugal"]
    assert stated_locations("Location: Remote\nWorked in Berlin") == []


@pytest.mark.parametrize(
    ("place", "codes"),
    [
        ("Seoul, South Korea", ["KR"]),
        ("Atlanta, Georgia", []),
        ("Santa Fe, New Mexico", ["US"]),
        ("Belfast, Northern Ireland", ["GB"]),
        ("Port Moresby, Papua New Guinea", ["PG"]),
        ("Seoul, Korea", ["KP", "KR"]),
        ("Austin, TX", []),
        ("London, Ontario", []),
    ],
)
def test_only_unambiguous_country_names_are_resolved(place: str, codes: list[str]) -> None:
    assert countries_named([place]) == codes


def test_a_stated_location_in_another_country_is_a_conflict() -> None:
    record = summary(analyze(FORM, resume=f"Location: Singapore\n{FILLER}"))
    assert record["resume_location_countries"] == ["SG"]
    assert record["resume_location_conflict"] is True
    same = summary(analyze(FORM, resume=f"Based in Austin, TX, USA\n{FILLER}"))
    assert same["resume_location_conflict"] is False


def test_skills_no_role_mentions_are_listed() -> None:
    data = {
        "skills": ["Python", "Node.js", "Solidity", "Flutter"],
        "employment": [
            {"employer": "Acme", "title": "Python Developer", "description": "APIs in Node.js"},
        ],
    }
    record = summary(analyze(data, resume="Engineer."))
    assert record["skills_without_role"] == ["Solidity", "Flutter"]
    assert record["skills_without_role_share"] == 0.5


def test_without_role_descriptions_skills_are_not_judged() -> None:
    data = {"skills": ["Python"], "employment": [{"employer": "Acme", "title": "Engineer"}]}
    result = analyze(data, resume="Engineer.")
    assert "no role descriptions" in result.missing["language.skills_without_role_count"]
