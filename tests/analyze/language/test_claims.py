"""Experience claims: found in many phrasings, tied to the right technology, and checked
against release dates, the work history and the date of birth (screening date 2026-01-15)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from language_support import analyze

from screening.analyze.language.techdates import technology_table


def claims(text: str, data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    result = analyze(data or {}, resume=text)
    return [dict(c) for c in result.records["experience_claims"]]


def one(text: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    (claim,) = claims(text, data)
    return claim


@pytest.mark.parametrize(
    ("text", "years", "technology"),
    [
        ("Engineer with 8+ years of experience.", 8, None),
        ("Over 10 years of professional experience in software.", 10, None),
        ("Ten years of experience building APIs.", 10, None),
        ("2 years in software development.", 2, None),
        ("5-7 years of React.", 5, "React"),
        ("10 years of ChatGPT.", 10, "ChatGPT"),
        ("Rust: 15 years", 15, "Rust"),
        ("Kubernetes (9+ years)", 9, "Kubernetes"),
        ("8yrs Docker experience", 8, "Docker"),
        ("6 years' experience with Go", 6, "Go"),
        ("7 years of hands-on experience with Node.js", 7, "Node.js"),
        ("12 years of experience with Python, Kubernetes and Go.", 12, "Python"),
        ("Python and Go, 6 years of Kubernetes.", 6, "Kubernetes"),
        ("Rust: 10 years of experience", 10, "Rust"),
    ],
)
def test_claims_are_found_in_many_phrasings(text: str, years: int, technology: str | None) -> None:
    claim = one(text)
    assert (claim["years"], claim["technology"]) == (years, technology)


@pytest.mark.parametrize(
    "text",
    [
        "I am 30 years old.",
        "I worked 3 years at Acme.",
        "Two years ago I moved to Austin.",
        "Many years of experience.",
        "I will go there in 3 years.",
    ],
)
def test_other_mentions_of_years_are_not_claims(text: str) -> None:
    assert claims(text) == []


def test_go_the_verb_is_not_the_go_language() -> None:
    assert one("5 years of experience to go around.")["technology"] is None


def test_a_claim_longer_than_the_technology_has_existed_starts_before_its_release() -> None:
    chatgpt = one("5 years of ChatGPT prompt engineering.")
    assert chatgpt["years_before_release"] == 1.8  # 5 years claimed, 3.2 available
    assert chatgpt["technology_released"] == dt.date(2022, 11, 1)
    assert chatgpt["available_years"] == 3.2
    assert "Introducing ChatGPT" in chatgpt["technology_source"]


def test_the_amount_is_given_and_the_rule_holds_the_tolerance() -> None:
    assert one("4 years of ChatGPT.")["years_before_release"] == 0.8  # the rule allows 1
    assert one("11 years of Kubernetes.")["years_before_release"] < 0  # since 2014-06
    assert one("13 years of Kubernetes.")["years_before_release"] > 1


def test_since_a_year_before_the_first_release_counts_from_that_years_first_day() -> None:
    claim = one("Using Terraform since 2011.")
    assert (claim["since_year"], claim["years"]) == (2011, 15)
    assert claim["years_before_release"] > 1
    assert one("Working with Terraform since 2015.")["years_before_release"] < 0


def test_a_negated_claim_is_marked() -> None:
    assert one("I don't have 10 years of Rust.")["negated"] is True
    assert one("I have 10 years of Rust.")["negated"] is False


def test_experience_beyond_the_history_and_before_age_12() -> None:
    data = {
        "date_of_birth": "2001-06-01",
        "employment": [{"employer": "Acme", "start": "2021-01", "end": "present"}],
    }
    claim = one("15 years of experience.", data)
    assert claim["years_beyond_history"] == 10.0  # 5 years of history
    assert claim["start_age"] == 9.6  # 24 years and 7 months old on the screening date
    plausible = one("6 years of experience.", data)
    assert plausible["years_beyond_history"] == 1.0
    assert plausible["start_age"] == 18.6


def test_without_history_or_birth_date_those_checks_are_missing_not_false() -> None:
    result = analyze({}, resume="15 years of experience.")
    assert result.missing["experience_claims.years_beyond_history"] == (
        "no dated roles in the work history"
    )
    assert "no date_of_birth" in result.missing["experience_claims.start_age"]
    assert result.records["experience_claims"][0]["start_age"] is None


def test_claims_in_the_hiring_teams_messages_do_not_count() -> None:
    result = analyze({"messages": [{"from": "recruiter", "text": "We need 10 years of Rust."}]})
    assert result.records["experience_claims"] == []


def test_every_row_of_the_release_table_has_a_source_and_a_plausible_date() -> None:
    table = technology_table()
    assert len(table.technologies) >= 40
    for tech in table.technologies:
        assert tech.source and tech.event and (tech.aliases or tech.cased), tech.name
        assert dt.date(1990, 1, 1) <= tech.released <= dt.date(2026, 1, 1), tech.name


def test_the_sentence_shown_stops_at_line_breaks() -> None:
    claim = one("Location: Austin\nSenior engineer with 8+ years of experience\n- Built APIs")
    assert claim["sentence"] == "Senior engineer with 8+ years of experience"
