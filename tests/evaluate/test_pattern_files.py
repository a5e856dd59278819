"""The pack loader reads phrase-pattern files: each problem names the file, field, line and
column; a later pack replaces a pattern of the same id; pack overrides and the configuration
turn patterns off; and ``screening rules lint`` reports a broken pattern file."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from screening.analyze import build_catalogue
from screening.cli import main
from screening.config import RulesConfig, Settings
from screening.errors import RulePackError
from screening.evaluate import load_patterns, load_ruleset, read_packs
from screening.pipeline import Engine, build_analyzers
from screening.resources import rules_dir
from screening.testing import FixedClock, screen_mapping

CAMERA = """\
signal: camera-refusal
description: Camera refused.
patterns:
  - id: would-not
    tokens:
      - {LOWER: {IN: [would, did]}}
      - {LOWER: not}
      - {OP: "{0,2}"}
      - {LOWER: camera}
  - id: list
    phrases: [Audio Only, "can't   show my face"]
"""


def write_pack(
    root: Path, files: dict[str, str], *, name: str = "mypack", overrides: str = ""
) -> Path:
    pack = root / name
    (pack / "patterns").mkdir(parents=True)
    manifest = f"id: {name}\ntitle: Mine\nversion: 2.1.0\n{overrides}"
    (pack / "pack.yml").write_text(manifest, encoding="utf-8")
    for file, text in files.items():
        (pack / "patterns" / file).write_text(textwrap.dedent(text), encoding="utf-8")
    return pack


def problems(root: Path, files: dict[str, str]) -> list[str]:
    write_pack(root, files)
    with pytest.raises(RulePackError) as info:
        load_patterns([root])
    return [
        str(p).removeprefix(str(root / "mypack" / "patterns") + "/") for p in info.value.problems
    ]


def test_a_valid_file_loads_into_the_analyzers_patterns(tmp_path: Path) -> None:
    write_pack(tmp_path, {"cam.yml": CAMERA})
    loaded = load_patterns([tmp_path])
    assert loaded.packs == (("mypack", "2.1.0"),)
    [file] = loaded.files
    assert (file.signal, file.pack, file.kind) == ("camera-refusal", "mypack", "observation")
    tokens, phrases = loaded.patterns
    assert tokens.key == "camera-refusal.would-not"
    assert tokens.tokens[2] == {"OP": "{0,2}"}  # only the attributes written, as spaCy takes them
    assert phrases.phrases == ("audio only", "can't show my face")


HEAD = "signal: s\ndescription: x\npatterns:\n"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "signal: Camera\ndescription: x\npatterns: [{id: a, phrases: [x]}]\n",
            "x.yml:1:9: signal: 'Camera' is not kebab-case",
        ),
        (
            HEAD + "  - {id: a, tokens: [{POS: NOUN}]}\n",
            "x.yml:4:22: patterns[0].tokens[0]: POS needs a trained pipeline",
        ),
        (
            HEAD + "  - {id: a, tokens: [{LOWR: x}]}\n",
            "x.yml:4:22: patterns[0].tokens[0]: unknown token attribute 'LOWR' (did you mean "
            "'LOWER'?)",
        ),
        (
            HEAD + "  - {id: a, tokens: [{LOWER: Camera}]}\n",
            "x.yml:4:30: patterns[0].tokens[0].LOWER: LOWER compares lower-case text; write "
            "'camera'",
        ),
        (
            HEAD + "  - {id: a, tokens: [{IS_PUNCT: 'yes', LOWER: x}]}\n",
            "x.yml:4:33: patterns[0].tokens[0].IS_PUNCT: expected true or false, got 'yes'",
        ),
        (
            HEAD + "  - {id: a, tokens: [{OP: '*'}, {LOWER: x}]}\n",
            "patterns[0].tokens[0]: an unbounded OP on an empty token matches anything",
        ),
        (
            HEAD + "  - {id: a, tokens: [{LOWER: x, OP: '%'}]}\n",
            "x.yml:4:37: patterns[0].tokens[0].OP: '%' is not an OP",
        ),
        (
            HEAD + "  - {id: a, tokens: [{LOWER: x, OP: '?'}]}\n",
            "patterns[0].tokens: every token is optional",
        ),
        (
            HEAD + "  - {id: a, tokens: [{LOWER: {REGEX: '[a-'}}]}\n",
            "patterns[0].tokens[0].LOWER: REGEX: invalid regular expression",
        ),
        (
            HEAD + "  - {id: a, tokens: [{LENGTH: {'~': 3}}, {LOWER: x}]}\n",
            "patterns[0].tokens[0].LENGTH: LENGTH takes a number or comparisons",
        ),
        (
            HEAD + "  - {id: a, phrases: [x], tokens: [{LOWER: x}]}\n",
            "x.yml:4:5: patterns[0]: give exactly one of tokens",
        ),
        (
            HEAD + "  - {id: a, phrases: [x]}\nextra: 1\n",
            "x.yml:5:1: unknown key 'extra' (allowed keys: description, examples, kind",
        ),
        (
            HEAD + "  - {id: a, phrases: [x]}\n  - {id: a, phrases: [y]}\n",
            "x.yml:4:3: patterns: id 'a' is repeated in this file",
        ),
        (
            HEAD + "  - {id: a, tokens: [{LOWER: x}, {OP: '{0,9}'}, {OP: '{0,9}'}, {LOWER: y}]}\n",
            "patterns[0].tokens: the pattern can cover 20 tokens, over 16",
        ),
        (
            "signal: s\ndescription: x\nkind: demand\npatterns: [{id: a, phrases: [x]}]\n",
            "x.yml:3:7: kind: expected one of observation, request, got 'demand'",
        ),
        (
            HEAD + "  - {id: a, phrases: [x]}\nexamples: {match: [1]}\n",
            "x.yml:5:20: examples.match[0]: expected text, got number 1",
        ),
        (
            "- a\n",
            "x.yml:1:1: expected a mapping with signal, description and patterns, got a list",
        ),
        (HEAD + "  [\n", "x.yml:5:1: not valid YAML"),
    ],
    ids=[
        "signal-name",
        "trained-attribute",
        "misspelt-attribute",
        "lower-case",
        "flag-not-boolean",
        "unbounded-wildcard",
        "bad-op",
        "all-optional",
        "bad-regex",
        "bad-length",
        "tokens-and-phrases",
        "unknown-key",
        "repeated-id",
        "too-long",
        "bad-kind",
        "example-not-text",
        "not-a-mapping",
        "broken-yaml",
    ],
)
def test_each_problem_is_one_line_naming_file_field_and_position(
    tmp_path: Path, body: str, expected: str
) -> None:
    found = problems(tmp_path, {"x.yml": body})
    assert len(found) == 1, found
    assert expected in found[0], found
    assert "\n" not in found[0]


def test_every_problem_is_reported_in_one_pass(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "a.yml": HEAD + "  - {id: a, tokens: [{TAG: NN}]}\n",
            "b.yml": "signal: t\ndescription: ''\npatterns: []\n",
        },
    )
    assert len(found) == 3, found


def test_a_pattern_defined_twice_in_one_pack_is_an_error(tmp_path: Path) -> None:
    body = HEAD + "  - {id: a, phrases: [x]}\n"
    found = problems(tmp_path, {"a.yml": body, "b.yml": body})
    assert any("pattern 's.a' is also defined in" in p for p in found), found


def test_packs_without_patterns_add_none(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "pack.yml").write_text("id: plain\ntitle: P\nversion: 1.0.0\n")
    loaded = load_patterns([tmp_path])
    assert (loaded.patterns, loaded.packs) == ((), ())


def test_a_broken_manifest_is_reported_with_the_patterns(tmp_path: Path) -> None:
    pack = write_pack(tmp_path, {"cam.yml": CAMERA})
    (pack / "pack.yml").write_text("id: mypack\ntitle: Mine\nversion: 1.0\n", encoding="utf-8")
    with pytest.raises(RulePackError, match=r"pack\.yml:3:10: version: expected text"):
        load_patterns([tmp_path])


def test_a_later_pack_replaces_a_pattern_and_disables_others(tmp_path: Path) -> None:
    write_pack(tmp_path, {"cam.yml": CAMERA}, name="a-first")
    mine = (
        HEAD.replace("signal: s", "signal: camera-refusal") + "  - {id: list, phrases: [no cam]}\n"
    )
    write_pack(
        tmp_path,
        {
            "cam.yml": mine,
            "other.yml": HEAD + "  - {id: a, phrases: [x]}\n  - {id: b, phrases: [y]}\n",
        },
        name="b-second",
        overrides="overrides:\n  patterns:\n    disable: [camera-refusal.would-not, s]\n",
    )
    packs = read_packs([tmp_path])
    assert packs.problems == ()
    assert [p.key for p in packs.patterns.patterns] == ["camera-refusal.list"]
    assert packs.patterns.patterns[0].phrases == ("no cam",)
    assert packs.notes == (
        "pattern camera-refusal.list from pack a-first replaced by pack b-second",
        "pack b-second disabled pattern camera-refusal.would-not",
        "pack b-second disabled signal s (2 patterns)",
    )
    catalogue = build_catalogue(build_analyzers(Settings(), offline=True, families=["language"]))
    ruleset = load_ruleset(packs, catalogue)
    assert "pack b-second disabled signal s (2 patterns)" in ruleset.notes  # shown in reports


def test_an_override_naming_no_pattern_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        {"cam.yml": CAMERA},
        overrides="overrides:\n  patterns:\n    disable: [camera-refusal.would-nt]\n",
    )
    found = [str(p) for p in read_packs([tmp_path]).problems]
    assert found == [
        f"{tmp_path / 'mypack' / 'pack.yml'}:6:15: overrides.patterns.disable[0]: unknown pattern "
        "or signal 'camera-refusal.would-nt' (did you mean 'camera-refusal.would-not'?)"
    ]
    with pytest.raises(RulePackError, match="disabled_patterns: unknown pattern or signal 'nope'"):
        load_patterns([tmp_path / "mypack"], disabled=["camera-refusal.would-nt", "nope"])


def test_configuration_turns_a_shipped_signal_off_end_to_end() -> None:
    application = {
        "name": "Jordan Avery",
        "interview_notes": ["The candidate said the camera was broken and kept it off."],
    }
    rule = "language.camera-refusal"
    on = Engine.build(Settings(), clock=FixedClock(), offline=True)
    assert rule in {f.id for f in screen_mapping(on, application).findings}
    settings = Settings(rules=RulesConfig(disabled_patterns=["camera-refusal"]))
    off = Engine.build(settings, clock=FixedClock(), offline=True)
    screening = screen_mapping(off, application)
    assert rule not in {f.id for f in screening.findings}
    assert any(
        n.startswith("configuration disabled signal camera-refusal") for n in screening.notes
    )


def test_rules_lint_reports_a_broken_pattern_file(tmp_path: Path) -> None:
    write_pack(tmp_path, {"x.yml": HEAD + "  - {id: a, tokens: [{POS: NOUN}]}\n"})
    result = CliRunner().invoke(main, ["rules", "lint", str(tmp_path / "mypack")])
    assert result.exit_code != 0
    assert "x.yml:4:22: patterns[0].tokens[0]: POS needs a trained pipeline" in result.output


def test_the_shipped_packs_load_through_the_one_loader() -> None:
    packs = read_packs([rules_dir()])
    assert packs.problems == () and packs.notes == ()
    assert ("language", "1.0.0") in packs.patterns.packs
    assert len(packs.patterns.patterns) > 30
