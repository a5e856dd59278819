"""Every modifier and flag, each with a case that matches and one that does not."""

from __future__ import annotations

import pytest
from evaluate_support import Check

from screening.model.findings import Outcome

M, N = Outcome.MATCH, Outcome.NO_MATCH

CASES = [
    # equality: case-insensitive on text, a list means any of the values
    ("phones.region: us", {"phones.region": "US"}, M),
    ("phones.region: us", {"phones.region": "DE"}, N),
    ("phones.region: [de, fr]", {"phones.region": "FR"}, M),
    ("phones.region: [de, fr]", {"phones.region": "US"}, N),
    # cased
    ("phones.carrier|cased: Acme", {"phones.carrier": "Acme"}, M),
    ("phones.carrier|cased: Acme", {"phones.carrier": "acme"}, N),
    # neq: equal to none of the values
    ("phones.region|neq: [us, ca]", {"phones.region": "DE"}, M),
    ("phones.region|neq: [us, ca]", {"phones.region": "CA"}, N),
    # substrings
    ("emails.local_part|contains: dev", {"emails.local_part": "jon.DEV77"}, M),
    ("emails.local_part|contains: dev", {"emails.local_part": "jon"}, N),
    ("emails.local_part|contains|all: [jon, dev]", {"emails.local_part": "jon.dev77"}, M),
    ("emails.local_part|contains|all: [jon, dev]", {"emails.local_part": "jon.miller"}, N),
    ("emails.local_part|contains|cased: Dev", {"emails.local_part": "jon.Dev"}, M),
    ("emails.local_part|contains|cased: Dev", {"emails.local_part": "jon.dev"}, N),
    ("emails.domain|startswith: mail.", {"emails.domain": "Mail.example.com"}, M),
    ("emails.domain|startswith: mail.", {"emails.domain": "example.com"}, N),
    ("emails.domain|endswith: [.example.org, .example.net]", {"emails.domain": "a.example.net"}, M),
    ("emails.domain|endswith: [.example.org, .example.net]", {"emails.domain": "example.com"}, N),
    # regular expressions: search semantics, case-insensitive unless cased
    ("emails.local_part|re: '[a-z]+[0-9]{2,}$'", {"emails.local_part": "x.jon77"}, M),
    ("emails.local_part|re: '[a-z]+[0-9]{2,}$'", {"emails.local_part": "jon7"}, N),
    ("emails.local_part|re: '^JON'", {"emails.local_part": "jon"}, M),
    ("emails.local_part|re|cased: '^JON'", {"emails.local_part": "jon"}, N),
    # ordering on numbers, dates and datetimes
    ("identity.years_experience|lt: 3", {"identity.years_experience": 2}, M),
    ("identity.years_experience|lt: 3", {"identity.years_experience": 3}, N),
    ("identity.years_experience|lte: 3", {"identity.years_experience": 3}, M),
    ("identity.years_experience|lte: 3", {"identity.years_experience": 4}, N),
    ("identity.years_experience|gt: 10", {"identity.years_experience": 11}, M),
    ("identity.years_experience|gt: 10", {"identity.years_experience": 10}, N),
    ("identity.years_experience|gte: 10", {"identity.years_experience": 10}, M),
    ("identity.years_experience|gte: 10", {"identity.years_experience": 9}, N),
    ("identity.resume_similarity|gte: 0.9", {"identity.resume_similarity": 0.95}, M),
    ("identity.resume_similarity|gte: 0.9", {"identity.resume_similarity": 0.5}, N),
    ("identity.resume_similarity|lt: 1", {"identity.resume_similarity": 0.5}, M),
    ("identity.graduated_on|gt: 2020-01-01", {"identity.graduated_on": "2021-06-01"}, M),
    ("identity.graduated_on|gt: '2020-01-01'", {"identity.graduated_on": "2019-06-01"}, N),
    (
        "identity.applied_at|lt: 2025-01-01T00:00:00Z",
        {"identity.applied_at": "2024-12-31T23:00:00+00:00"},
        M,
    ),
    (
        "identity.applied_at|lt: 2025-01-01T00:00:00Z",
        {"identity.applied_at": "2025-01-01T02:00:00+01:00"},
        N,
    ),
    ("identity.applied_at|gte: 2025-01-01", {"identity.applied_at": "2025-01-01T00:00:00"}, M),
    # networks
    ("network.ip|cidr: [10.0.0.0/8, '2001:db8::/32']", {"network.ip": "10.1.2.3"}, M),
    ("network.ip|cidr: [10.0.0.0/8, '2001:db8::/32']", {"network.ip": "2001:db8::1"}, M),
    ("network.ip|cidr: [10.0.0.0/8, '2001:db8::/32']", {"network.ip": "203.0.113.5"}, N),
    ("network.ip: '2001:DB8:0::1'", {"network.ip": "2001:db8::1"}, M),
    # exists is the only comparison that sees absence
    ("phones.carrier|exists: true", {"phones.carrier": "Acme", "phones.region": "US"}, M),
    ("phones.carrier|exists: true", {"phones.region": "US"}, N),
    ("phones.carrier|exists: false", {"phones.region": "US"}, M),
    ("phones.carrier|exists: false", {"phones.carrier": "Acme"}, N),
    ("identity.skills|exists: false", {"identity.skills": []}, M),
    ("phones.carrier: null", {"phones.region": "US"}, M),
    ("phones.carrier|neq: null", {"phones.carrier": "Acme"}, M),
    ("phones.carrier|neq: acme", {"phones.region": "US"}, N),
    # booleans
    ("identity.remote_only: true", {"identity.remote_only": True}, M),
    ("identity.remote_only: true", {"identity.remote_only": False}, N),
    # list-valued facts match if any element matches; all asks for every value
    ("identity.skills: rust", {"identity.skills": ["Python", "Rust"]}, M),
    ("identity.skills: rust", {"identity.skills": ["Python"]}, N),
    ("identity.skills|all: [python, rust]", {"identity.skills": ["python", "go", "rust"]}, M),
    ("identity.skills|all: [python, rust]", {"identity.skills": ["python", "go"]}, N),
    ("identity.skills|neq: python", {"identity.skills": ["python", "go"]}, M),
    ("identity.skills|neq: python", {"identity.skills": ["Python"]}, N),
    ("devices.open_ports: [3389, 5900]", {"devices.open_ports": [22, 3389]}, M),
    ("devices.open_ports: [3389, 5900]", {"devices.open_ports": [22]}, N),
    ("devices.open_ports|gte: 5900", {"devices.open_ports": [22, 6000]}, M),
    (
        "devices.remote_access_tools|startswith: any",
        {"devices.remote_access_tools": ["AnyDesk"]},
        M,
    ),
]


@pytest.mark.parametrize(("key", "facts", "expected"), CASES)
def test_modifier(check: Check, key: str, facts: dict[str, object], expected: Outcome) -> None:
    outcome = check(f"sel_a:\n  {key}\ncondition: sel_a", facts)
    assert outcome.outcome is expected


LISTS = {
    "disposable": "# synthetic\nmailinator.example\n\n  TempMail.example  \n",
    "ranges": "10.0.0.0/8\n# private\n192.168.0.0/16\n",
}


@pytest.mark.parametrize(
    ("key", "facts", "expected"),
    [
        ("emails.domain|expand: '%disposable%'", {"emails.domain": "tempmail.example"}, M),
        ("emails.domain|expand: '%disposable%'", {"emails.domain": "example.com"}, N),
        ("emails.domain|expand|neq: '%disposable%'", {"emails.domain": "example.com"}, M),
        (
            "emails.domain|expand|endswith: '%disposable%'",
            {"emails.domain": "x.mailinator.example"},
            M,
        ),
        ("network.ip|cidr|expand: '%ranges%'", {"network.ip": "192.168.4.4"}, M),
        ("network.ip|cidr|expand: '%ranges%'", {"network.ip": "203.0.113.9"}, N),
        ("emails.domain|expand: ['%disposable%', '%ranges%']", {"emails.domain": "10.0.0.0/8"}, M),
    ],
)
def test_expand_reads_pack_lists(
    check: Check, key: str, facts: dict[str, object], expected: Outcome
) -> None:
    outcome = check(f"sel_a:\n  {key}\ncondition: sel_a", facts, lists=LISTS)
    assert outcome.outcome is expected


FIELDREF = [
    # another namespace: every value of that fact is a candidate
    (
        "phones.region|neq|fieldref: identity.claimed_country",
        {"phones.region": "US", "identity.claimed_country": "de"},
        M,
    ),
    (
        "phones.region|neq|fieldref: identity.claimed_country",
        {"phones.region": "DE", "identity.claimed_country": "de"},
        N,
    ),
    (
        "network.country|fieldref: identity.claimed_country",
        {"network": [{"country": "US"}, {"country": "KP"}], "identity.claimed_country": "KP"},
        M,
    ),
    (
        "emails.local_part|contains|fieldref: identity.name",
        {"emails.local_part": "jon.miller77", "identity.name": "Miller"},
        M,
    ),
    # the same namespace: the value comes from the same record
    (
        "network.country|neq|fieldref: network.tz_country",
        {"network": [{"country": "US", "tz_country": "KP"}]},
        M,
    ),
    (
        "network.country|neq|fieldref: network.tz_country",
        {"network": [{"country": "US", "tz_country": "US"}, {"country": "DE", "tz_country": "DE"}]},
        N,
    ),
    # an absent target is false, even for neq
    ("phones.region|neq|fieldref: identity.claimed_country", {"phones.region": "US"}, N),
    (
        "identity.skills|all|fieldref: devices.remote_access_tools",
        {
            "identity.skills": ["anydesk", "zoom", "go"],
            "devices.remote_access_tools": ["AnyDesk", "Zoom"],
        },
        M,
    ),
    (
        "identity.skills|all|fieldref: devices.remote_access_tools",
        {"identity.skills": ["anydesk"], "devices.remote_access_tools": ["AnyDesk", "Zoom"]},
        N,
    ),
]


@pytest.mark.parametrize(("key", "facts", "expected"), FIELDREF)
def test_fieldref(check: Check, key: str, facts: dict[str, object], expected: Outcome) -> None:
    outcome = check(f"sel_a:\n  {key}\ncondition: sel_a", facts)
    assert outcome.outcome is expected


def test_fieldref_to_unavailable_fact_is_unknown(check: Check) -> None:
    outcome = check(
        "sel_a:\n  phones.region|neq|fieldref: identity.claimed_country\ncondition: sel_a",
        {"phones.region": "US"},
        unavailable=["identity.claimed_country"],
    )
    assert outcome.outcome is Outcome.NOT_EVALUATED
    assert outcome.missing == ("identity.claimed_country",)
