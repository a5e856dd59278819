"""Embedded rule tests, the pytest hook, and the facts builder they use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from evaluate_support import PACKS, PackWriter, make_catalogue

from screening.evaluate import (
    RuleCase,
    facts_from_dotted,
    iter_rule_cases,
    load_ruleset,
    run_rule_tests,
)
from screening.model.facts import CheckStatus, FactCatalogue
from screening.model.findings import Outcome

CORE = load_ruleset([PACKS / "core"], make_catalogue())


CASES = list(iter_rule_cases(CORE))


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_core_pack_case(case: RuleCase) -> None:
    assert case().passed


def test_calling_a_failing_case_raises_with_the_reason(
    pack: PackWriter, catalogue: FactCatalogue
) -> None:
    pack.rule(
        "t.rule", "sel_a:\n  phones.region: US\ncondition: sel_a",
        tests="- name: wrong\n  facts: {phones.region: DE}\n  expect: match",
    )  # fmt: skip
    [(_, case)] = iter_rule_cases(load_ruleset([pack.root], catalogue))
    with pytest.raises(
        AssertionError, match=r"^test-pack/t\.rule::wrong: expected match, got no_match$"
    ):
        case()


def test_case_ids_name_pack_rule_and_case() -> None:
    assert [test_id for test_id, _ in CASES] == [
        "core/contact.email-disposable-or-no-mx::disposable-domain",
        "core/contact.email-disposable-or-no-mx::normal-domain",
        "core/contact.email-disposable-or-no-mx::dns-down-but-disposable",
        "core/contact.email-disposable-or-no-mx::dns-down-normal-domain",
        "core/contact.voip-outside-claimed-country::us-voip-claims-germany",
        "core/contact.voip-outside-claimed-country::local-mobile",
        "core/contact.voip-outside-claimed-country::voip-and-foreign-mobile-are-different-phones",
        "core/contact.voip-outside-claimed-country::phone-analyzer-down",
        "core/device.remote-access-tool::anydesk",
        "core/network.ip-country-differs-from-timezone::same-observation-differs",
        "core/network.ip-country-differs-from-timezone::each-observation-consistent",
    ]


TEST_CASES = """
- name: passes
  facts: {phones.region: US}
  expect: match
- name: wrong-expectation
  facts: {phones.region: DE}
  expect: match
- name: evidence-missing
  facts: {phones.region: US}
  expect: match
  expect_evidence: [phones.carrier]
- name: unexpectedly-unknown
  unavailable: [phones]
  expect: no_match
- name: known-gap
  facts: {phones.region: FR}
  expect: match
  todo: French numbers are not handled yet
- name: gap-closed
  facts: {phones.region: US}
  expect: match
  todo: was a gap
"""


def test_results_explain_failures_and_todos(pack: PackWriter, catalogue: FactCatalogue) -> None:
    pack.rule("t.rule", "sel_a:\n  phones.region: US\ncondition: sel_a", tests=TEST_CASES,
              explain="'Region {phones.region}.'")  # fmt: skip
    results = run_rule_tests(load_ruleset([pack.root], catalogue), catalogue)
    assert [(r.case, r.passed, r.expected, r.got, r.message) for r in results] == [
        ("passes", True, Outcome.MATCH, Outcome.MATCH, "ok"),
        ("wrong-expectation", False, Outcome.MATCH, Outcome.NO_MATCH,
         "expected match, got no_match"),
        ("evidence-missing", False, Outcome.MATCH, Outcome.MATCH,
         "evidence lacks phones.carrier (has: phones.region)"),
        ("unexpectedly-unknown", False, Outcome.NO_MATCH, Outcome.NOT_EVALUATED,
         "expected no_match, got not_evaluated (unknown: phones.region)"),
        ("known-gap", True, Outcome.MATCH, Outcome.NO_MATCH,
         "known gap (French numbers are not handled yet): expected match, got no_match"),
        ("gap-closed", False, Outcome.MATCH, Outcome.MATCH,
         "remove todo: the case passes now (todo: was a gap)"),
    ]  # fmt: skip
    assert [r.todo for r in results][-2:] == ["French numbers are not handled yet", "was a gap"]


def test_unexpected_match_shows_the_explanation(pack: PackWriter, catalogue: FactCatalogue) -> None:
    pack.rule(
        "t.rule", "sel_a:\n  phones.region: US\ncondition: sel_a",
        tests="- name: surprise\n  facts: {phones.region: US}\n  expect: no_match",
        explain="'Region {phones.region}.'",
    )  # fmt: skip
    [result] = run_rule_tests(load_ruleset([pack.root], catalogue))
    assert result.message == "expected no_match, got match (Region US.)"


def test_builder_records_and_families(catalogue: FactCatalogue) -> None:
    facts = facts_from_dotted(
        {
            "phones": [{"line_type": "voip", "region": "US"}, {"line_type": "mobile"}],
            "phones.e164": "+15550100001",
            "identity.graduated_on": "2020-06-30",
            "identity.applied_at": "2025-03-02T14:05:00Z",
            "emails.dns.has_mx": True,
        },
        catalogue,
        ["network", "identity.years_experience"],
    )
    assert facts.records["phones"] == [
        {"line_type": "voip", "region": "US", "e164": "+15550100001"},
        {"line_type": "mobile"},
    ]
    assert facts.records["identity"] == [
        {
            "graduated_on": dt.date(2020, 6, 30),
            "applied_at": dt.datetime(2025, 3, 2, 14, 5, tzinfo=dt.UTC),
        }
    ]
    assert facts.records["emails"] == [{"dns.has_mx": True}]
    assert {f: c.status for f, c in facts.checks.items()} == {
        "devices": CheckStatus.OK,
        "dns": CheckStatus.OK,
        "emails": CheckStatus.OK,
        "identity": CheckStatus.OK,
        "network": CheckStatus.UNAVAILABLE,
        "phones": CheckStatus.OK,
    }
    assert facts.missing == {"identity.years_experience": "marked unavailable in the test"}
    assert "devices" not in facts.records


def test_builder_prefix_marks_every_path_below_it(catalogue: FactCatalogue) -> None:
    facts = facts_from_dotted({}, catalogue, ["emails.dns", "devices"])
    assert set(facts.missing) == {"emails.dns.has_mx"}
    prefix = facts_from_dotted({}, catalogue, ["phones"])
    assert prefix.checks["phones"].status is CheckStatus.UNAVAILABLE


def test_builder_reports_every_problem(catalogue: FactCatalogue) -> None:
    with pytest.raises(ValueError) as info:
        facts_from_dotted(
            {"phones.lines": "voip", "identity.remote_only": "yes", "devices": [5]},
            catalogue,
            ["phonez"],
        )
    assert str(info.value) == (
        "facts.devices[0]: expected a mapping of facts, got number 5; "
        "facts.phones.lines: unknown fact path 'phones.lines'; "
        "facts.identity.remote_only: type mismatch: identity.remote_only takes true or false, "
        "got 'yes'; "
        "unavailable[0]: 'phonez' is not a family, namespace or fact path (did you mean 'phones'?)"
    )


def test_run_rule_tests_reports_bad_facts_for_another_catalogue(tmp_path: Path) -> None:
    catalogue = make_catalogue()
    pack = PackWriter(tmp_path / "p")
    pack.rule(
        "t.rule", "sel_a:\n  phones.region: US\ncondition: sel_a",
        tests="- name: uses-carrier\n  facts: {phones.carrier: Acme}\n  expect: no_match",
    )  # fmt: skip
    ruleset = load_ruleset([pack.root], catalogue)
    smaller = FactCatalogue(
        [s for p, s in catalogue.facts.items() if p != "phones.carrier"],
        catalogue.namespaces.values(),
    )
    [result] = run_rule_tests(ruleset, smaller)
    assert (result.passed, result.got) == (False, None)
    assert result.message == "bad facts: facts.phones.carrier: unknown fact path 'phones.carrier'"
