"""Loading packs: every error with file, line, column, rule id and a fix; overrides; known FPs."""

from __future__ import annotations

from pathlib import Path

import pytest
from evaluate_support import PACKS, PackWriter, rule_text

from screening.errors import RulePackError, RuleProblem
from screening.evaluate import facts_from_dotted, load_known_fps, load_ruleset
from screening.model.facts import FactCatalogue
from screening.model.findings import Outcome, RuleStatus


def problems_of(dirs: list[Path], catalogue: FactCatalogue, **kwargs: object) -> list[RuleProblem]:
    with pytest.raises(RulePackError) as info:
        load_ruleset(dirs, catalogue, **kwargs)  # type: ignore[arg-type]
    return list(info.value.problems)


BROKEN = [
    ("contact/bad-condition.yml", 16, 27, "contact.bad-condition",
     "match.condition: unknown selection 'sel_foreing' (did you mean 'sel_foreign'?); "
     "defined: sel_voip, sel_foreign (column 14 of 'sel_voip and sel_foreing')"),
    ("contact/bad-expect.yml", 21, 13, "contact.bad-expect",
     "tests[1].expect: expected one of match, no_match, not_evaluated, got 'matched'"),
    ("contact/unknown-path.yml", 13, 5, "contact.unknown-path",
     "match.sel_voip: unknown fact path 'phones.line_typ' (did you mean 'phones.line_type'?)"),
    ("contact/value-errors.yml", 13, 27, "contact.value-errors",
     "match.sel_re: key 'emails.local_part|re': invalid regular expression '[a-z': "
     "unterminated character set at position 4"),
    ("contact/value-errors.yml", 15, 5, "contact.value-errors",
     "match.sel_order: key 'phones.region|lt': type mismatch: 'lt' compares numbers and dates, "
     "but phones.region is text"),
    ("contact/value-errors.yml", 17, 19, "contact.value-errors",
     "match.sel_bool: key 'phones.valid': type mismatch: phones.valid takes true or false, "
     "got 'yes'"),
    ("contact/value-errors.yml", 19, 5, "contact.value-errors",
     "match.sel_conflict: key 'identity.years_experience|lt|gt': conflicting modifiers 'lt' and "
     "'gt': a key takes at most one comparison"),
    ("contact/value-errors.yml", 21, 22, "contact.value-errors",
     "match.sel_cidr: key 'network.ip|cidr': cidr on network.ip: '10.0.0.1/8' has host bits "
     "set; did you mean '10.0.0.0/8'?"),
    ("contact/value-errors.yml", 23, 27, "contact.value-errors",
     "match.sel_list: key 'emails.domain|expand': unknown list '%nolist%' (lists here: domains)"),
    ("contact/value-errors.yml", 27, 31, "contact.value-errors",
     "tests[0].facts.phones.line_type: phones.line_type never takes 'voiip' (did you mean "
     "'voip'?); it takes: mobile, fixed, voip, unknown"),
    ("identity/typo-key.yml", 1, 1, "identity.typo-key",
     "missing required key 'severity' (how urgently a reviewer should look when it matches)"),
    ("identity/typo-key.yml", 5, 1, "identity.typo-key",
     "unknown key 'severty' (did you mean 'severity'?)"),
    ("identity/wrong-id.yml", 1, 5, "identity.wrong-id",
     "id: expected 'identity.wrong-id' (the folder and file name), got 'identity.other-name'; "
     "write 'id: identity.wrong-id' or rename the file"),
    ("network/duplicate-key.yml", 14, 5, "network.duplicate-key",
     "match.sel_a.network.vpn: duplicate key 'network.vpn'"),
    ("network/not-yaml.yml", 3, 1, "network.not-yaml",
     "not valid YAML: did not find expected ',' or ']'"),
    ("network/stable-no-guidance.yml", 3, 9, "network.stable-no-guidance",
     "missing required key 'guidance' for a stable rule: what the reviewer should check next"),
    ("pack.yml", 5, 13, "contact.unknown-pathh",
     "overrides.disable[0]: unknown rule id 'contact.unknown-pathh' (did you mean "
     "'contact.unknown-path'?)"),
]  # fmt: skip


def test_every_error_of_every_file_in_one_pass(catalogue: FactCatalogue) -> None:
    root = PACKS / "broken"
    got = [
        (Path(p.path).relative_to(root).as_posix(), p.line, p.column, p.rule_id, p.message)
        for p in problems_of([root], catalogue)
    ]
    assert got == BROKEN


def test_error_text_names_file_line_column_and_rule(catalogue: FactCatalogue) -> None:
    with pytest.raises(RulePackError) as info:
        load_ruleset([PACKS / "broken"], catalogue)
    line = str(info.value).splitlines()[2]
    assert line == (
        f"{PACKS / 'broken' / 'contact' / 'unknown-path.yml'}:13:5: contact.unknown-path: "
        "match.sel_voip: unknown fact path 'phones.line_typ' (did you mean 'phones.line_type'?)"
    )


ONE = "sel_a:\n  {key}\ncondition: sel_a"

RULE_ERRORS = [
    (ONE.format(key="phones.region|fieldref: identity.claimed_countr"), {}, 15, 29,
     "match.sel_a: key 'phones.region|fieldref': unknown fact path 'identity.claimed_countr' "
     "(did you mean 'identity.claimed_country'?)"),
    (ONE.format(key="phones.region|fieldref: identity.years_experience"), {}, 15, 29,
     "match.sel_a: key 'phones.region|fieldref': type mismatch: phones.region (text) cannot be "
     "compared with identity.years_experience (an integer)"),
    (ONE.format(key="emails.domain|re|fieldref: identity.name"), {}, 15, 5,
     "match.sel_a: key 'emails.domain|re|fieldref': 're' cannot take 'fieldref': a fact's value "
     "must never become a regular expression"),
    (ONE.format(key="emails.domain|expand: disposable"), {}, 15, 27,
     "match.sel_a: key 'emails.domain|expand': with 'expand' each value is a list name such as "
     "'%disposable_domains%', got 'disposable'"),
    (ONE.format(key="phones.region|contains: null"), {}, 15, 29,
     "match.sel_a: key 'phones.region|contains': null only means absent ('phones.region: null') "
     "or present ('phones.region|neq: null'); use 'phones.region|exists: false' to be explicit"),
    (ONE.format(key="phones.region: []"), {}, 15, 20,
     "match.sel_a: key 'phones.region': an empty list matches nothing; give at least one value"),
    (ONE.format(key="phones.region|exists: 'yes'"), {}, 15, 27,
     "match.sel_a: key 'phones.region|exists': 'exists' takes true or false, got 'yes'"),
    ("sel_a: {}\ncondition: sel_a", {}, 14, 10,
     "match.sel_a: expected a mapping of at least one key, got an empty mapping"),
    ("sel_a: US\ncondition: sel_a", {}, 14, 10,
     "match.sel_a: expected a mapping of keys or a non-empty list of mappings, got 'US'"),
    ("and:\n  phones.region: US\nsel_a:\n  phones.region: DE\ncondition: sel_a", {}, 14, 3,
     "match: selection name 'and' is a word of the condition language"),
    (ONE.format(key="phones.region|startwith: U"), {}, 15, 5,
     "match.sel_a: key 'phones.region|startwith': unknown modifier 'startwith' (did you mean "
     "'startswith'?)"),
    (ONE.format(key="phones.region|neq|all: [US, DE]"), {}, 15, 5,
     "match.sel_a: key 'phones.region|neq|all': 'neq' already means equal to none of the "
     "values: remove 'all'"),
    (ONE.format(key="identity.years_experience|cased: 3"), {}, 15, 5,
     "match.sel_a: key 'identity.years_experience|cased': type mismatch: 'cased' applies to "
     "text, but identity.years_experience is an integer"),
    (ONE.format(key="network.vpn|cidr: 10.0.0.0/8"), {}, 15, 5,
     "match.sel_a: key 'network.vpn|cidr': type mismatch: 'cidr' works on IP addresses, but "
     "network.vpn is text"),
    (ONE.format(key="phones.region: false"), {}, 15, 20,
     "match.sel_a: key 'phones.region': type mismatch: phones.region takes text, got boolean "
     "false; put it in quotes"),
    (ONE.format(key="phones.region: 44"), {}, 15, 20,
     "match.sel_a: key 'phones.region': type mismatch: phones.region takes text, got number "
     "44; put it in quotes"),
    (ONE.format(key="phones.region: [US, [DE]]"), {}, 15, 25,
     "match.sel_a: key 'phones.region': expected a single value, got a list"),
    (ONE.format(key="identity.years_experience|lt: 1.5"), {}, 15, 35,
     "match.sel_a: key 'identity.years_experience|lt': type mismatch: "
     "identity.years_experience takes an integer, got number 1.5"),
    (ONE.format(key="identity.graduated_on|gt: soon"), {}, 15, 31,
     "match.sel_a: key 'identity.graduated_on|gt': type mismatch: identity.graduated_on takes a "
     "date (YYYY-MM-DD), got 'soon'"),
    (ONE.format(key="network.ip: 10.0.0.300"), {}, 15, 17,
     "match.sel_a: key 'network.ip': network.ip takes an IP address, got '10.0.0.300'"),
    ("sel_a:\n  phones.region: US\nsel_b:\n  phones.region: DE\ncondition: sel_a and", {}, 18, 23,
     "match.condition: expected a selection name, '(', 'not' or 'N of', got the end of the "
     "condition (column 10 of 'sel_a and')"),
    (ONE.format(key="phones.region: US"), {"weight": 1.5}, 6, 9,
     "weight: must be between -1 and 1, got 1.5"),
    (ONE.format(key="phones.region: US"), {"extra": "evidence: [phones.e165]\n"}, 13, 12,
     "evidence[0]: unknown fact path 'phones.e165' (did you mean 'phones.e164'?)"),
    (ONE.format(key="phones.region: US"),
     {"extra": "related: [{id: t.other, type: renamed-from}]\n"}, 13, 31,
     "related[0].type: expected one of derived, obsoletes, renamed, similar, got 'renamed-from'"),
    (ONE.format(key="phones.region: US"), {"extra": "date: 2025-13-01\n"}, 13, 7,
     "date: cannot read value: month must be in 1..12"),
    (ONE.format(key="phones.region: US"), {"extra": "confidence: sure\n"}, 13, 13,
     "confidence: expected one of low, medium, high, got 'sure'"),
    (ONE.format(key="phones.region: US"), {"extra": "custom: 5\n"}, 13, 9,
     "custom: expected a mapping of keys, got number 5"),
    (ONE.format(key="phones.region: US"), {"tests": "- name: Bad Name\n  expect: match"}, 18, 11,
     "tests[0].name: 'Bad Name' is not kebab-case (lowercase letters, digits and single '-')"),
    (ONE.format(key="phones.region: US"),
     {"tests": "- name: two\n  facts: {identity: [{name: A}, {name: B}]}\n  expect: match"}, 19, 23,
     "tests[0].facts.identity: identity holds one record, got 2"),
    (ONE.format(key="phones.region: US"),
     {"tests": "- name: down\n  facts: {phones.region: US}\n  unavailable: [phones]\n"
               "  expect: not_evaluated"}, 20, 19,
     "tests[0].unavailable[0]: family 'phones' is marked unavailable but facts are given for "
     "phones: remove those facts or this entry"),
    (ONE.format(key="phones.region: US"),
     {"tests": "- name: down\n  facts: {phones.region: US}\n  unavailable: [phones.region]\n"
               "  expect: not_evaluated"}, 20, 19,
     "tests[0].unavailable[0]: phones.region is marked unavailable but a value is given for it"),
    (ONE.format(key="phones.region: US"),
     {"tests": "- name: wrong\n  facts: {identity.skills: python}\n  expect: match"}, 19, 30,
     "tests[0].facts.identity.skills: type mismatch: identity.skills takes a list of text "
     "values, got 'python'"),
    (ONE.format(key="phones.region: US"),
     {"tests": "- name: wrong\n  facts: {phones: {region: US}, emails: 5}\n  expect: match"},
     19, 43, "tests[0].facts.emails: expected a list of records, got number 5"),
]  # fmt: skip


@pytest.mark.parametrize(("match", "rule", "line", "column", "message"), RULE_ERRORS)
def test_rule_error(
    pack: PackWriter,
    catalogue: FactCatalogue,
    match: str,
    rule: dict[str, object],
    line: int,
    column: int,
    message: str,
) -> None:
    file = pack.rule("t.rule", match, **rule)
    [problem] = problems_of([pack.root], catalogue)
    assert problem == RuleProblem(str(file), message, line, column, "t.rule")


def test_several_errors_in_one_test_case_are_all_reported(
    pack: PackWriter, catalogue: FactCatalogue
) -> None:
    tests = (
        "- name: a\n  facts: {phones: [{region: US}, {regin: DE}]}\n  expect: match\n"
        "- name: a\n  facts: {phones.region: 5}\n  unavailable: [phone]\n  expect: no_match\n"
        "  expect_evidence: [phones.regio]"
    )
    pack.rule("t.rule", ONE.format(key="phones.region: US"), tests=tests)
    assert [(p.line, p.column, p.message) for p in problems_of([pack.root], catalogue)] == [
        (19, 37,
         "tests[0].facts.phones[1].regin: unknown fact path 'phones.regin' (did you mean "
         "'phones.region'?)"),
        (21, 11, "tests[1].name: 'a' is used by another test of this rule"),
        (22, 28,
         "tests[1].facts.phones.region: type mismatch: phones.region takes text, got number 5; "
         "put it in quotes"),
        (23, 19,
         "tests[1].unavailable[0]: 'phone' is not a family, namespace or fact path (did you mean "
         "'phones'?)"),
        (25, 23,
         "tests[1].expect_evidence[0]: unknown fact path 'phones.regio' (did you mean "
         "'phones.region'?)"),
    ]  # fmt: skip


def test_schema_errors_and_match_errors_are_reported_together(
    pack: PackWriter, catalogue: FactCatalogue
) -> None:
    text = (
        "id: t.rule\ntitle: " + "x" * 130 + "\nstatus: test\ncategory: identity\n"
        "severity: urgent\nweight: 0.2\ndescription: d\nexplain: e\nreferences: []\n"
        "falsepositives: [Unknown]\ntags: []\nmatch:\n  sel_a:\n    phones.regon: US\n"
        "  condition: sel_a\ntests: []\n"
    )
    file = pack.raw("t/rule.yml", text)
    assert problems_of([pack.root], catalogue) == [
        RuleProblem(
            str(file), "title: at most 120 characters, got 130; shorten it", 2, 8, "t.rule"
        ),
        RuleProblem(
            str(file),
            "severity: expected one of info, low, medium, high, critical, got 'urgent'",
            5, 11, "t.rule",
        ),
        RuleProblem(str(file), "tags: needs at least 1 entry", 11, 7, "t.rule"),
        RuleProblem(
            str(file),
            "match.sel_a: unknown fact path 'phones.regon' (did you mean 'phones.region'?)",
            14, 5, "t.rule",
        ),
        RuleProblem(
            str(file),
            "references: a test rule needs at least 1 public source (only experimental rules may "
            "have none)",
            9, 13, "t.rule",
        ),
    ]  # fmt: skip


def test_file_level_errors(pack: PackWriter, catalogue: FactCatalogue) -> None:
    listing = pack.raw("t/a-list.yml", "- one\n- two\n")
    badname = pack.raw(
        "t/Bad_Name.yml", rule_text("t.bad-name", ONE.format(key="phones.region: US"))
    )
    nested = pack.rule("t.twice", ONE.format(key="phones.region: US"))
    again = pack.raw("more/t/twice.yml", nested.read_text())
    big = pack.raw("t/big.yml", "# " + "x" * 300_000 + "\n")
    problems = problems_of([pack.root], catalogue)
    assert [(Path(p.path), p.line, p.column, p.rule_id, p.message) for p in problems] == [
        (badname, 1, 5, "t.Bad_Name",
         "the file path gives the rule id 't.Bad_Name', which is not kebab-case: rename the "
         "folder or file (lowercase letters, digits and '-')"),
        (listing, 1, 1, "t.a-list",
         "a rule file holds one mapping (id, title, match, ...), got a list"),
        (big, None, None, "t.big", "file is 300003 bytes, over the limit of 262144; split it"),
        (nested, 1, 1, "t.twice", f"duplicate rule id 't.twice': {again} defines it too"),
    ]  # fmt: skip


def test_pack_manifest_errors(tmp_path: Path, catalogue: FactCatalogue) -> None:
    PackWriter(tmp_path / "a", manifest="id: same\ntitle: A\nversion: 1.0\nauthor: me\n")
    PackWriter(tmp_path / "b", manifest="id: Same Pack\ntitle: B\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    problems = problems_of([tmp_path / "a", tmp_path / "b", empty, tmp_path / "nowhere"], catalogue)
    got = [
        (Path(p.path).relative_to(tmp_path).as_posix(), p.line, p.column, p.message)
        for p in problems
    ]
    assert got == [
        ("empty", None, None,
         "no pack.yml here or in its subdirectories: a pack is a directory with pack.yml and "
         "rule files"),
        ("nowhere", None, None, "not a directory of rule packs"),
        ("a/pack.yml", 3, 10, "version: expected text, got number 1.0; put it in quotes"),
        ("a/pack.yml", 4, 1,
         "unknown key 'author' (allowed keys: description, id, overrides, "
         "sensitive_facts_justification, title, version)"),
        ("b/pack.yml", 1, 5,
         "id: 'Same Pack' is not kebab-case (lowercase letters, digits and single '-')"),
        ("b/pack.yml", 1, 1, "missing required key 'version' (version of the pack, e.g. 1.0.0)"),
    ]  # fmt: skip


def test_duplicate_pack_ids(tmp_path: Path, catalogue: FactCatalogue) -> None:
    PackWriter(tmp_path / "a", "twin")
    second = PackWriter(tmp_path / "b", "twin")
    [problem] = problems_of([tmp_path / "a", tmp_path / "b"], catalogue)
    assert problem == RuleProblem(
        str(second.root / "pack.yml"),
        f"pack id 'twin' is already used by {tmp_path / 'a'}; give this pack its own id",
        1,
        5,
    )


def test_list_lines_are_checked_where_they_are_written(
    pack: PackWriter, catalogue: FactCatalogue
) -> None:
    listing = pack.list("ranges", "# ranges\n10.0.0.0/8\n10.0.0.1/8\nnot-a-network\n")
    pack.rule("t.rule", ONE.format(key="network.ip|cidr|expand: '%ranges%'"))
    problems = problems_of([pack.root], catalogue)
    assert [(Path(p.path), p.line, p.message) for p in problems] == [
        (listing, 3,
         "cidr on network.ip: '10.0.0.1/8' has host bits set; did you mean '10.0.0.0/8'? "
         "(expanded by 'network.ip' in rule.yml)"),
        (listing, 4,
         "cidr on network.ip takes a network such as 10.0.0.0/8, got 'not-a-network' "
         "('not-a-network' does not appear to be an IPv4 or IPv6 network) "
         "(expanded by 'network.ip' in rule.yml)"),
    ]  # fmt: skip


CORE_USER = [PACKS / "core", PACKS / "user"]


def test_later_packs_replace_disable_and_reweight(catalogue: FactCatalogue) -> None:
    ruleset = load_ruleset(CORE_USER, catalogue)
    assert [r.id for r in ruleset.rules] == [
        "contact.email-disposable-or-no-mx",
        "contact.voip-outside-claimed-country",
        "identity.old-rule",
        "network.ip-country-differs-from-timezone",
    ]
    assert ruleset.notes == [
        "rule network.ip-country-differs-from-timezone from pack core replaced by pack user",
        "pack user disabled rule device.remote-access-tool",
        "pack user set the weight of contact.voip-outside-claimed-country to 0.5 (rule file: 0.35)",
    ]
    replaced = ruleset.get("network.ip-country-differs-from-timezone")
    assert (replaced.pack, replaced.info.pack, replaced.source) == (
        "user",
        "user",
        PACKS / "user" / "network" / "ip-country-differs-from-timezone.yml",
    )
    voip = ruleset.get("contact.voip-outside-claimed-country").info
    assert (voip.weight, voip.default_weight) == (0.5, 0.35)
    assert [(p.id, p.version, p.rules, p.title) for p in ruleset.packs] == [
        ("core", "1.0.0", 3, "Core test pack"),
        ("user", "0.3", 1, "Local adjustments"),
    ]


def test_configuration_overrides_apply_last(catalogue: FactCatalogue) -> None:
    ruleset = load_ruleset(
        CORE_USER,
        catalogue,
        weight_overrides={"contact.voip-outside-claimed-country": 0.9},
        disabled=["contact.email-disposable-or-no-mx"],
    )
    assert ruleset.get("contact.voip-outside-claimed-country").info.weight == 0.9
    assert "contact.email-disposable-or-no-mx" not in [r.id for r in ruleset.rules]
    assert ruleset.notes[-2:] == [
        "configuration disabled rule contact.email-disposable-or-no-mx",
        "configuration set the weight of contact.voip-outside-claimed-country to 0.9 "
        "(rule file: 0.35)",
    ]
    with pytest.raises(KeyError, match=r"no enabled rule 'contact\.email-disposable-or-no-mx'"):
        ruleset.get("contact.email-disposable-or-no-mx")


def test_unknown_ids_in_configuration_are_errors(catalogue: FactCatalogue) -> None:
    problems = problems_of(
        CORE_USER,
        catalogue,
        weight_overrides={"contact.voip-outside-claimed": 0.1, "identity.old-rule": 2},
        disabled=["device.remote-acess-tool", "zzz.nothing-like-it"],
    )
    assert [(p.path, p.rule_id, p.message) for p in problems] == [
        ("configuration", "device.remote-acess-tool",
         "disabled: unknown rule id 'device.remote-acess-tool' (did you mean "
         "'device.remote-access-tool'?)"),
        ("configuration", "zzz.nothing-like-it",
         "disabled: unknown rule id 'zzz.nothing-like-it'"),
        ("configuration", "contact.voip-outside-claimed",
         "weights: unknown rule id 'contact.voip-outside-claimed' (did you mean "
         "'contact.voip-outside-claimed-country'?)"),
        ("configuration", "identity.old-rule",
         "weights: identity.old-rule must be between -1 and 1, got 2"),
    ]  # fmt: skip


def test_pack_weight_override_for_unknown_id(tmp_path: Path, catalogue: FactCatalogue) -> None:
    local = PackWriter(
        tmp_path / "local",
        manifest="id: local\ntitle: L\nversion: 1.0.0\noverrides:\n  weights:\n"
        "    contact.voip-outside-claimed-countri: 0.2\n",
    )
    [problem] = problems_of([PACKS / "core", local.root], catalogue)
    assert problem == RuleProblem(
        str(local.root / "pack.yml"),
        "overrides.weights: unknown rule id 'contact.voip-outside-claimed-countri' (did you mean "
        "'contact.voip-outside-claimed-country'?)",
        6,
        5,
        "contact.voip-outside-claimed-countri",
    )


def test_a_folder_of_packs_loads_each_pack_by_name(
    tmp_path: Path, catalogue: FactCatalogue
) -> None:
    PackWriter(tmp_path / "b-pack", "b-pack").rule("x.two", ONE.format(key="phones.region: US"))
    PackWriter(tmp_path / "a-pack", "a-pack").rule("x.one", ONE.format(key="phones.region: US"))
    (tmp_path / "schema").mkdir()
    ruleset = load_ruleset([tmp_path], catalogue)
    assert [(r.pack, r.id) for r in ruleset.rules] == [("a-pack", "x.one"), ("b-pack", "x.two")]


def test_statuses(catalogue: FactCatalogue) -> None:
    ruleset = load_ruleset([PACKS / "core"], catalogue)
    experimental = ruleset.get("device.remote-access-tool").info
    assert (experimental.status, experimental.weight, experimental.default_weight) == (
        RuleStatus.EXPERIMENTAL, 0.0, 0.6,
    )  # fmt: skip
    facts = facts_from_dotted({"identity.name": "Ann Example"}, catalogue)
    outcomes = ruleset.evaluate(facts)
    assert "identity.old-rule" in [r.id for r in ruleset.rules]
    assert [o.rule_id for o in outcomes] == [
        "contact.email-disposable-or-no-mx",
        "contact.voip-outside-claimed-country",
        "device.remote-access-tool",
        "network.ip-country-differs-from-timezone",
    ]
    assert ruleset.needed_families() == {
        "dns",
        "emails",
        "phones",
        "identity",
        "devices",
        "network",
    }


def test_an_override_opts_an_experimental_rule_into_the_score(catalogue: FactCatalogue) -> None:
    ruleset = load_ruleset(
        [PACKS / "core"], catalogue, weight_overrides={"device.remote-access-tool": 0.3}
    )
    assert ruleset.get("device.remote-access-tool").info.weight == 0.3


def test_needed_families_follow_enabled_rules(tmp_path: Path, catalogue: FactCatalogue) -> None:
    writer = PackWriter(tmp_path / "p")
    writer.rule(
        "t.one",
        "sel_a:\n  phones.region|neq|fieldref: identity.claimed_country\ncondition: sel_a",
        extra="evidence: [emails.address]\n",
    )
    writer.rule("t.two", ONE.format(key="devices.open_ports: 22"))
    ruleset = load_ruleset([writer.root], catalogue, disabled=["t.two"])
    assert ruleset.needed_families() == {"phones", "identity", "emails"}


def test_sensitive_warnings_are_exposed(tmp_path: Path, catalogue: FactCatalogue) -> None:
    writer = PackWriter(
        tmp_path / "p",
        manifest="id: local\ntitle: L\nversion: 1.0.0\n"
        "sensitive_facts_justification: Sanctions screening requires it.\n",
    )
    writer.rule("t.rule", ONE.format(key="identity.citizenship: XX"))
    ruleset = load_ruleset([writer.root], catalogue)
    assert ruleset.sensitive_warnings == [
        "rule t.rule reads sensitive fact(s) identity.citizenship (justified by pack local: "
        "Sanctions screening requires it.)"
    ]


def test_known_false_positives(tmp_path: Path, catalogue: FactCatalogue) -> None:
    good = tmp_path / "known-fps.yml"
    good.write_text(
        "- rule: contact.voip-outside-claimed-country\n  case: privacy-voip\n"
        "  reason: Candidate uses a VoIP number for privacy.\n"
    )
    ruleset = load_ruleset([PACKS / "core"], catalogue, known_fps=good)
    [fp] = ruleset.known_fps
    assert (fp.rule, fp.case, fp.reason, fp.line) == (
        "contact.voip-outside-claimed-country",
        "privacy-voip",
        "Candidate uses a VoIP number for privacy.",
        1,
    )
    bad = tmp_path / "bad-fps.yml"
    bad.write_text(
        "- rule: contact.voip-outside\n  case: a\n  reason: r\n"
        "- {rule: contact.voip-outside-claimed-country, case: b}\n"
        "- {rule: contact.voip-outside-claimed-country, case: c, reason: '', note: x}\n"
        "- {rule: contact.voip-outside, case: a, reason: again}\n"
    )
    with pytest.raises(RulePackError) as info:
        load_known_fps(bad)
    assert [(p.line, p.column, p.message) for p in info.value.problems] == [
        (4, 3, "[1] missing required key 'reason' (why this match is accepted)"),
        (5, 65, "[2] reason: must not be empty"),
        (5, 69, "[2] unknown key 'note' (allowed keys: case, reason, rule)"),
        (6, 3, "[3] rule contact.voip-outside on case a is already listed as entry [0]"),
    ]
    unknown = tmp_path / "unknown-fps.yml"
    unknown.write_text("- {rule: contact.voip-outside, case: a, reason: r}\n")
    [problem] = problems_of([PACKS / "core"], catalogue, known_fps=unknown)
    assert problem == RuleProblem(
        str(unknown),
        "unknown rule id 'contact.voip-outside' (did you mean "
        "'contact.voip-outside-claimed-country'?)",
        1,
        None,
        "contact.voip-outside",
    )


def test_evaluate_runs_every_enabled_rule_once(catalogue: FactCatalogue) -> None:
    ruleset = load_ruleset(CORE_USER, catalogue)
    facts = facts_from_dotted(
        {
            "phones": [{"line_type": "voip", "region": "US", "e164": "+15550100001"}],
            "identity.claimed_country": "DE",
            "emails.domain": "mailinator.example",
            "network": [{"country": "US", "tz_country": "US"}],
        },
        catalogue,
        ["dns"],
    )
    got = {o.rule_id: o.outcome for o in ruleset.evaluate(facts)}
    assert got == {
        "contact.email-disposable-or-no-mx": Outcome.MATCH,
        "contact.voip-outside-claimed-country": Outcome.MATCH,
        "network.ip-country-differs-from-timezone": Outcome.NO_MATCH,
    }
