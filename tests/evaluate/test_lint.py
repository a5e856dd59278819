"""Lint: one validator per check, issues as data, exclusions that need a written reason."""

from __future__ import annotations

from pathlib import Path

from evaluate_support import PACKS, PackWriter

from screening.evaluate import LintIssue, LintSeverity, lint_ruleset, load_ruleset
from screening.model.facts import FactCatalogue

H, M, L = LintSeverity.HIGH, LintSeverity.MEDIUM, LintSeverity.LOW
ONE = "sel_a:\n  {key}\ncondition: sel_a"
TESTED = (
    "- name: hit\n  facts: {phones.region: US}\n  expect: match\n"
    "- name: miss\n  facts: {phones.region: DE}\n  expect: no_match"
)


def write_rules(pack: PackWriter) -> None:
    pack.rule(
        "t.placeholder",
        ONE.format(key="phones.region: US"),
        explain="'Phone {phones.e16} in {phones.region}.'",
    )
    pack.rule(
        "t.dangling",
        "sel_a:\n  phones.region: US\nsel_b:\n  phones.region: DE\ncondition: sel_a",
    )
    pack.rule("t.sensitive", ONE.format(key="identity.citizenship: XX"))
    pack.rule(
        "t.untested",
        ONE.format(key="phones.region: US"),
        status="test",
        tests="- name: hit\n  facts: {phones.region: US}\n  expect: match\n"
        "- name: gap\n  facts: {phones.region: DE}\n  expect: no_match\n  todo: not handled yet",
    )
    pack.rule(
        "t.undocumented", ONE.format(key="phones.region: US"), status="test", tests=TESTED,
        guidance=None,
    )  # fmt: skip
    pack.rule("t.no-fps", ONE.format(key="phones.region: US"), falsepositives="[]")
    pack.rule("t.single-all", ONE.format(key="identity.skills|all: [python]"))
    pack.rule(
        "t.loud", ONE.format(key="phones.region: US"), severity="critical", weight=0.1,
        title="Same Title",
    )  # fmt: skip
    pack.rule("t.quiet", ONE.format(key="phones.region: US"), title="same  title")


EXPECTED = [
    ("t.dangling", 16, H, "dangling-selection",
     "selection 'sel_b' is not used in the condition 'sel_a'"),
    ("t.loud", 5, L, "severity-weight-mismatch", "critical severity with weight below 0.2 (0.1)"),
    ("t.no-fps", 11, M, "empty-falsepositives",
     "falsepositives is empty: list benign explanations, or write ['Unknown']"),
    ("t.placeholder", 8, H, "unknown-placeholder",
     "explain placeholder '{phones.e16}' is not a fact path (did you mean 'phones.e164'?)"),
    ("t.quiet", 2, M, "duplicate-title", "title 'same  title' is also used by t.loud"),
    ("t.sensitive", 15, H, "sensitive-fact",
     "reads sensitive fact(s) identity.citizenship but pack test-pack has no "
     "sensitive_facts_justification in pack.yml"),
    ("t.single-all", 15, L, "single-value-all",
     "key 'identity.skills|all' uses 'all' with a single value"),
    ("t.undocumented", 3, M, "missing-docs",
     "no guidance: say what the reviewer should check next (required once stable)"),
    ("t.untested", 18, H, "missing-tests",
     "a test rule needs at least one test expecting no_match (todo cases do not count)"),
]  # fmt: skip


def issues_of(issues: list[LintIssue]) -> list[tuple[object, ...]]:
    return [(i.rule_id, i.line, i.severity, i.code, i.message) for i in issues]


def test_each_validator(pack: PackWriter, catalogue: FactCatalogue) -> None:
    write_rules(pack)
    ruleset = load_ruleset([pack.root], catalogue)
    issues = lint_ruleset(ruleset, catalogue)
    assert issues_of(issues) == EXPECTED
    assert all(i.path == str(ruleset.get(str(i.rule_id)).source) for i in issues)


def test_clean_pack_has_no_issues(catalogue: FactCatalogue) -> None:
    assert lint_ruleset(load_ruleset([PACKS / "core"], catalogue), catalogue) == []


def test_justified_sensitive_fact_is_a_warning(tmp_path: Path, catalogue: FactCatalogue) -> None:
    pack = PackWriter(
        tmp_path / "p",
        manifest="id: local\ntitle: L\nversion: 1.0.0\n"
        "sensitive_facts_justification: Sanctions screening requires it.\n",
    )
    pack.rule("t.sensitive", ONE.format(key="identity.citizenship: XX"))
    [issue] = lint_ruleset(load_ruleset([pack.root], catalogue), catalogue)
    assert (issue.severity, issue.code, issue.message) == (
        L,
        "sensitive-fact",
        "reads sensitive fact(s) identity.citizenship; pack local justifies it: Sanctions "
        "screening requires it.",
    )


def test_exclusions_need_reasons(pack: PackWriter, catalogue: FactCatalogue) -> None:
    write_rules(pack)
    ruleset = load_ruleset([pack.root], catalogue)
    exclusions = pack.root.parent / "lint-exclusions.yml"
    exclusions.write_text(
        "t.dangling:\n  dangling-selection: sel_b is kept for the next release\n"
        "t.loud:\n  severity-weight-mismatch: ''\n"
        "t.no-fps:\n  empty-falsepositive: typo\n"
        "t.missing:\n  duplicate-title: gone\n"
        "t.quiet: everything\n"
    )
    issues = issues_of(lint_ruleset(ruleset, catalogue, exclusions))
    assert issues[:5] == [
        ("t.loud", 4, H, "exclusion-without-reason",
         "exclusion of 'severity-weight-mismatch' needs a written reason"),
        ("t.no-fps", 6, M, "unknown-exclusion",
         "no lint check 'empty-falsepositive' (did you mean 'empty-falsepositives'?)"),
        ("t.missing", 7, M, "unknown-exclusion", "no loaded rule 't.missing'"),
        ("t.quiet", 9, M, "bad-exclusions", "expected {code: reason}, got 'everything'"),
        EXPECTED[1],
    ]  # fmt: skip
    assert issues[5:] == EXPECTED[2:]


def test_issue_text_and_severity_order() -> None:
    issue = LintIssue("t.rule", "rules/t/rule.yml", 7, H, "dangling-selection", "unused")
    assert str(issue) == "rules/t/rule.yml:7: t.rule: high [dangling-selection] unused"
    assert [s.rank for s in (L, M, H)] == [0, 1, 2]
