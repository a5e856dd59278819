"""One "did you mean" rule everywhere: a typo gets a suggestion, a different word does not."""

from __future__ import annotations

from screening.errors import closest, did_you_mean, unknown

FIELDS = ["emails", "phones", "employment", "education", "timezone", "name"]


def test_a_typo_finds_the_name_it_misspells() -> None:
    assert closest("emial", FIELDS) == "emails"  # swapped letters and a missing plural
    assert closest("phnes", FIELDS) == "phones"
    assert closest("Employmnet", FIELDS) == "employment"
    assert closest("EMAILS", FIELDS) == "emails"  # only the case differs


def test_a_different_word_gets_no_suggestion() -> None:
    assert closest("zzz", FIELDS) is None
    assert closest("salary", FIELDS) is None
    assert did_you_mean("salary", FIELDS) == ""


def test_dotted_names_are_compared_after_the_segments_they_share() -> None:
    facts = ["phones.carrier", "phones.valid", "phones.line_type"]
    assert closest("phones.carier", facts) == "phones.carrier"
    assert closest("phones.colour", facts) is None


def test_a_truncated_id_is_close() -> None:
    assert closest("identity.implausible", ["identity.implausible-graduation-age"]) == (
        "identity.implausible-graduation-age"
    )


def test_the_noun_is_a_parameter_and_the_wording_is_one() -> None:
    assert unknown("column", "emial", FIELDS) == "unknown column 'emial' (did you mean 'emails'?)"
    assert unknown("modifier", "qq", ["re", "lt"]) == "unknown modifier 'qq'"
