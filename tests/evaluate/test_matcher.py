"""Selections against FactSets: same-record semantics, three-valued logic, evidence, explain."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from evaluate_support import Check, PackWriter, make_catalogue
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.evaluate import facts_from_dotted, load_ruleset
from screening.model.facts import CheckStatus, FactCatalogue, FactSet, FamilyResult
from screening.model.findings import Evidence, Outcome

M, N, U = Outcome.MATCH, Outcome.NO_MATCH, Outcome.NOT_EVALUATED

TWO_PHONES = {
    "phones": [
        {"line_type": "voip", "region": "US", "e164": "+15550100001"},
        {"line_type": "mobile", "region": "DE", "e164": "+495550100002"},
    ]
}


def test_keys_of_one_mapping_read_the_same_record(check: Check) -> None:
    same = "sel_a:\n  phones.line_type: voip\n  phones.region: DE\ncondition: sel_a"
    assert check(same, TWO_PHONES).outcome is N
    apart = (
        "sel_a:\n  phones.line_type: voip\nsel_b:\n  phones.region: DE\ncondition: sel_a and sel_b"
    )
    assert check(apart, TWO_PHONES).outcome is M
    matching = "sel_a:\n  phones.line_type: voip\n  phones.region: us\ncondition: sel_a"
    assert check(matching, TWO_PHONES).outcome is M


def test_a_list_of_mappings_is_an_or_of_ands(check: Check) -> None:
    match = (
        "sel_a:\n  - {phones.line_type: voip, phones.region: DE}\n"
        "  - {phones.line_type: mobile, phones.region: DE}\ncondition: sel_a"
    )
    assert check(match, TWO_PHONES).outcome is M
    assert check(match, {"phones": [{"line_type": "voip", "region": "US"}]}).outcome is N


def test_keys_from_two_namespaces_each_need_a_record(check: Check) -> None:
    match = "sel_a:\n  phones.line_type: voip\n  identity.remote_only: true\ncondition: sel_a"
    assert check(match, {**TWO_PHONES, "identity.remote_only": True}).outcome is M
    assert check(match, {**TWO_PHONES, "identity.remote_only": False}).outcome is N


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("phones.e164|exists: false", M),
        ("phones.e164|exists: true", N),
        ("phones.line_type: voip", N),
        ("phones.line_type|neq: voip", N),
    ],
)
def test_an_empty_namespace_is_one_empty_record(check: Check, key: str, expected: Outcome) -> None:
    assert check(f"sel_a:\n  {key}\ncondition: sel_a", {"identity.name": "Ann"}).outcome is expected


KLEENE = (
    "sel_phone:\n  phones.line_type: voip\nsel_mail:\n  emails.domain: example.org\n"
    "condition: {condition}"
)


@pytest.mark.parametrize(
    ("condition", "domain", "expected"),
    [
        ("sel_phone or sel_mail", "example.org", M),
        ("sel_phone or sel_mail", "example.com", U),
        ("sel_phone and sel_mail", "example.com", N),
        ("sel_phone and sel_mail", "example.org", U),
        ("not sel_phone", "example.org", U),
        ("not sel_mail or sel_phone", "example.com", M),
        ("all of sel_*", "example.com", N),
        ("1 of sel_*", "example.org", M),
        ("2 of sel_*", "example.org", U),
    ],
)
def test_unavailable_family_gives_three_valued_outcomes(
    check: Check, condition: str, domain: str, expected: Outcome
) -> None:
    outcome = check(
        KLEENE.format(condition=condition), {"emails.domain": domain}, unavailable=["phones"]
    )
    assert outcome.outcome is expected
    assert outcome.missing == (("phones.line_type",) if expected is U else ())


def test_missing_path_is_unknown_but_its_siblings_are_not(check: Check) -> None:
    match = "sel_mx:\n  emails.dns.has_mx: false\nsel_free:\n  emails.free_provider: true\n"
    facts = {"emails.domain": "example.com", "emails.free_provider": True}
    assert check(match + "condition: sel_mx or sel_free", facts, ["emails.dns"]).outcome is M
    outcome = check(match + "condition: sel_mx and sel_free", facts, ["emails.dns.has_mx"])
    assert (outcome.outcome, outcome.missing) == (U, ("emails.dns.has_mx",))


def test_only_selections_that_were_read_report_missing_paths(check: Check) -> None:
    match = (
        "sel_mail:\n  emails.domain: example.org\nsel_phone:\n  phones.line_type: voip\n"
        "sel_net:\n  network.vpn: astrill\ncondition: sel_mail and (sel_phone or sel_net)"
    )
    outcome = check(match, {"emails.domain": "example.org"}, unavailable=["phones", "network"])
    assert outcome.outcome is U
    assert set(outcome.missing) == {"phones.line_type", "network.vpn"}
    stopped = check(match, {"emails.domain": "example.com"}, unavailable=["phones", "network"])
    assert stopped.outcome is N


def _ruleset(tmp: Path, catalogue: FactCatalogue, match: str, **rule: object):  # type: ignore[no-untyped-def]
    writer = PackWriter(tmp / "p")
    writer.rule("t.rule", match, **rule)
    return load_ruleset([writer.root], catalogue)


def test_family_that_did_not_run_or_was_skipped(tmp_path: Path, catalogue: FactCatalogue) -> None:
    ruleset = _ruleset(tmp_path, catalogue, "sel_a:\n  phones.line_type: voip\ncondition: sel_a")
    facts = FactSet()
    facts.add("identity", FamilyResult(records={"identity": [{"name": "Ann"}]}))
    outcomes = ruleset.evaluate(facts)
    assert [o.outcome for o in outcomes] == [U]
    [gap] = ruleset.not_evaluated(outcomes, facts)
    assert (gap.rule_id, gap.missing, gap.reasons) == (
        "t.rule",
        ("phones.line_type",),
        ("phones: analyzer did not run",),
    )
    facts.add("phones", FamilyResult.skipped("no phone numbers given"))
    outcomes = ruleset.evaluate(facts)
    assert ruleset.not_evaluated(outcomes, facts)[0].reasons == (
        "phones skipped: no phone numbers given",
    )
    assert facts.checks["phones"].status is CheckStatus.SKIPPED


def test_missing_reason_comes_from_the_analyzer(tmp_path: Path, catalogue: FactCatalogue) -> None:
    ruleset = _ruleset(
        tmp_path, catalogue, "sel_a:\n  identity.years_experience|lt: 2\ncondition: sel_a"
    )
    facts = FactSet()
    facts.add(
        "identity",
        FamilyResult(
            records={"identity": [{"name": "Ann"}]},
            missing={"identity.years_experience": "no employment history"},
        ),
    )
    outcomes = ruleset.evaluate(facts)
    assert ruleset.not_evaluated(outcomes, facts)[0].reasons == (
        "identity.years_experience: no employment history",
    )


def test_evidence_comes_from_the_matching_record_and_positive_selections(check: Check) -> None:
    match = (
        "sel_voip:\n  phones.line_type: voip\n"
        "  phones.region|neq|fieldref: identity.claimed_country\n"
        "filter_remote:\n  identity.remote_only: true\n"
        "condition: sel_voip and not filter_remote"
    )
    facts = {**TWO_PHONES, "identity.claimed_country": "DE", "identity.remote_only": False}
    outcome = check(match, facts, extra="evidence: [phones.e164, identity.name]\n")
    assert outcome.outcome is M
    assert outcome.evidence == (
        Evidence("phones.line_type", "voip"),
        Evidence("phones.region", "US"),
        Evidence("identity.claimed_country", "DE"),
        Evidence("phones.e164", "+15550100001"),
    )


def test_evidence_from_every_satisfying_record_without_repeats(check: Check) -> None:
    facts = {
        "phones": [
            {"line_type": "voip", "region": "US"},
            {"line_type": "voip", "region": "US"},
            {"line_type": "voip", "region": "CA"},
        ]
    }
    outcome = check(
        "sel_a:\n  phones.line_type: voip\ncondition: sel_a",
        facts,
        extra="evidence: [phones.region]\n",
    )
    assert outcome.evidence == (
        Evidence("phones.line_type", "voip"),
        Evidence("phones.region", "US"),
        Evidence("phones.region", "CA"),
    )


def test_context_from_a_namespace_no_condition_matched_is_marked_broad(check: Check) -> None:
    facts = {**TWO_PHONES, "emails": [{"domain": "a.example"}, {"domain": "b.example"}]}
    outcome = check(
        "sel_a:\n  phones.line_type: voip\ncondition: sel_a",
        facts,
        extra="evidence: [phones.e164, emails.domain]\n",
    )
    broad = {(e.path, e.value): e.broad for e in outcome.evidence}
    assert broad == {
        ("phones.line_type", "voip"): False,
        ("phones.e164", "+15550100001"): False,  # from the record that matched
        ("emails.domain", "a.example"): True,  # from every record: names none of them
        ("emails.domain", "b.example"): True,
    }


def test_explain_uses_matched_records_then_facts_then_unknown(check: Check) -> None:
    facts = {
        **TWO_PHONES,
        "identity.skills": ["Go", "Rust"],
        "identity.resume_similarity": 0.875,
        "emails": [{"domain": "a.example"}, {"domain": "b.example"}],
    }
    outcome = check(
        "sel_a:\n  phones.line_type: voip\ncondition: sel_a",
        facts,
        explain="'Line {phones.line_type} in {phones.region} ({phones.e164}); skills "
        "{identity.skills}; sim {identity.resume_similarity}; carrier {phones.carrier}; "
        "mail {emails.domain}.'",
    )
    assert outcome.explain == (
        "Line voip in US (+15550100001); skills Go, Rust; sim 0.875; carrier (no carrier given); "
        "mail a.example, b.example."
    )
    assert Evidence("phones.e164", "+15550100001") in outcome.evidence
    assert Evidence("phones.e164", "+495550100002") not in outcome.evidence


def test_explain_renders_booleans_and_dates(check: Check) -> None:
    outcome = check(
        "sel_a:\n  identity.remote_only: true\ncondition: sel_a",
        {"identity.remote_only": True, "identity.graduated_on": "2020-06-30"},
        explain="'Remote {identity.remote_only} since {identity.graduated_on}.'",
    )
    assert outcome.explain == "Remote true since 2020-06-30."


def test_no_match_has_no_explain_or_evidence(check: Check) -> None:
    outcome = check(
        "sel_a:\n  phones.line_type: fixed\ncondition: sel_a",
        TWO_PHONES,
        explain="'Line {phones.line_type}.'",
    )
    assert (outcome.outcome, outcome.explain, outcome.evidence) == (N, "", ())


# -- property test: random selections on random records against brute force ----------------


class PoolKey(NamedTuple):
    key: str
    holds: Callable[[dict[str, object], object], bool]
    values: list[object]


KEY_POOL = [
    PoolKey("phones.line_type", lambda r, v: r.get("line_type") == v, ["voip", "mobile"]),
    PoolKey("phones.line_type|neq", lambda r, v: r.get("line_type") not in (None, v), ["voip"]),
    PoolKey("phones.region", lambda r, v: r.get("region") == v, ["US", "DE"]),
    PoolKey("phones.valid", lambda r, v: r.get("valid") is v, [True, False]),
    PoolKey("phones.e164|exists", lambda r, v: (r.get("e164") is not None) is v, [True, False]),
]  # fmt: skip
REGIONS = ["US", "DE"]

phone_records = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "line_type": st.sampled_from(["voip", "mobile", "fixed"]),
            "region": st.sampled_from(REGIONS),
            "valid": st.booleans(),
            "e164": st.sampled_from(["+15550100001", "+15550100002"]),
        },
    ),
    max_size=3,
)
mapping = st.lists(
    st.tuples(st.sampled_from(range(len(KEY_POOL))), st.integers(0, 1)),
    min_size=1,
    max_size=3,
    unique_by=lambda t: t[0],
)


def brute_force(
    mappings: list[list[tuple[int, int]]],
    records: list[dict[str, object]],
    claimed: str | None,
    with_ref: bool,
) -> bool:
    rows = records or [{}]
    for keys in mappings:
        for record in rows:
            ok = all(
                KEY_POOL[i].holds(record, KEY_POOL[i].values[j % len(KEY_POOL[i].values)])
                for i, j in keys
            )
            if with_ref:
                ok = ok and claimed is not None and record.get("region") not in (None, claimed)
            if ok:
                return True
    return False


def _yaml(value: object) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(mapping, min_size=1, max_size=2),
    phone_records,
    st.sampled_from([None, "US", "DE"]),
    st.booleans(),
    st.booleans(),
)
def test_random_selection_equals_brute_force(
    mappings: list[list[tuple[int, int]]],
    records: list[dict[str, object]],
    claimed: str | None,
    with_ref: bool,
    phones_down: bool,
) -> None:
    catalogue = make_catalogue()
    lines = ["sel_a:"]
    for keys in mappings:
        items = [
            f"'{KEY_POOL[i].key}': {_yaml(KEY_POOL[i].values[j % len(KEY_POOL[i].values)])}"
            for i, j in keys
        ]
        if with_ref:
            items.append("'phones.region|neq|fieldref': identity.claimed_country")
        lines.append("  - {" + ", ".join(items) + "}")
    lines.append("condition: sel_a")
    facts: dict[str, object] = {}
    if not phones_down:
        facts["phones"] = records
    if claimed is not None:
        facts["identity.claimed_country"] = claimed
    with tempfile.TemporaryDirectory() as tmp:
        ruleset = _ruleset(Path(tmp), catalogue, "\n".join(lines))
        outcome = ruleset.rules[0].evaluate(
            facts_from_dotted(facts, catalogue, ["phones"] if phones_down else [])
        )
    if phones_down:
        assert outcome.outcome is U
    else:
        expected = brute_force(mappings, records, claimed, with_ref)
        assert outcome.outcome is (M if expected else N)
