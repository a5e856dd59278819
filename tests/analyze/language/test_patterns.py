"""Phrase patterns as data: pattern files are checked with file, line and column, compile in
spaCy, and every example sentence a shipped file gives behaves as the file says."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from language_support import note, shipped_analyzer

from screening.analyze import build_catalogue
from screening.analyze.language.patterns import load_patterns, pattern_packs
from screening.config import Settings
from screening.errors import RulePackError
from screening.evaluate import load_ruleset
from screening.pipeline import build_analyzers
from screening.resources import rules_dir
from screening.safeload import load_yaml

SHIPPED = load_patterns([rules_dir()])


def write_pack(root: Path, files: dict[str, str]) -> Path:
    pack = root / "mypack"
    (pack / "patterns").mkdir(parents=True)
    (pack / "pack.yml").write_text("id: mypack\ntitle: Mine\nversion: 2.1.0\n", encoding="utf-8")
    for name, text in files.items():
        (pack / "patterns" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return pack


def problems(root: Path, files: dict[str, str]) -> list[str]:
    write_pack(root, files)
    with pytest.raises(RulePackError) as info:
        load_patterns([root])
    return [str(p) for p in info.value.problems]


def test_a_valid_file_loads_with_anchors_and_literal_negations(tmp_path: Path) -> None:
    write_pack(
        tmp_path,
        {
            "cam.yml": """\
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
        },
    )
    loaded = load_patterns([tmp_path])
    assert loaded.packs == (("mypack", "2.1.0"),)
    tokens, phrases = loaded.patterns
    assert tokens.key == "camera-refusal.would-not"
    assert tokens.anchors == ("camera",)  # the rarest required word, not "not" or "would"
    assert tokens.literal_cues == {"not"}
    assert phrases.phrases == ("audio only", "can't show my face")
    assert phrases.literal_cues == {"n't"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "signal: Camera\ndescription: x\npatterns: [{id: a, phrases: [x]}]\n",
            "x.yml:1:9: signal: signal must be a kebab-case name",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n  - {id: a, tokens: [{POS: NOUN}]}\n",
            "x.yml:4:28: patterns.0.tokens.0.POS: POS needs a trained pipeline",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n  - {id: a, tokens: [{LOWER: Camera}]}\n",
            "LOWER compares lower-case text; write 'camera'",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n  - {id: a, tokens: [{OP: '*'}, {LOWER: x}]}\n",
            "an unbounded OP on an empty token matches anything",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n  - {id: a, tokens: [{LOWER: x, OP: '?'}]}\n",
            "every token is optional",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n"
            "  - {id: a, tokens: [{LOWER: {REGEX: '[a-'}}]}\n",
            "invalid regular expression",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n"
            "  - {id: a, phrases: [x], tokens: [{LOWER: x}]}\n",
            "give exactly one of tokens",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n  - {id: a, phrases: [x]}\nextra: 1\n",
            "x.yml:5:8: extra: unknown key",
        ),
        (
            "signal: s\ndescription: x\npatterns:\n"
            "  - {id: a, tokens: [{LOWER: x}, {OP: '{0,9}'}, {OP: '{0,9}'}, {LOWER: y}]}\n",
            "the pattern can cover 20 tokens, over 16",
        ),
        ("signal: s\ndescription: x\npatterns: [\n", "not valid YAML"),
    ],
    ids=[
        "signal-name",
        "trained-attribute",
        "lower-case",
        "unbounded-wildcard",
        "all-optional",
        "bad-regex",
        "tokens-and-phrases",
        "unknown-key",
        "too-long",
        "broken-yaml",
    ],
)
def test_problems_name_file_line_and_fix(tmp_path: Path, body: str, expected: str) -> None:
    found = problems(tmp_path, {"x.yml": body})
    assert any(expected in p for p in found), found


def test_every_problem_is_reported_in_one_pass(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        {
            "a.yml": "signal: s\ndescription: x\npatterns:\n  - {id: a, tokens: [{TAG: NN}]}\n",
            "b.yml": "signal: t\ndescription: ''\npatterns: []\n",
        },
    )
    assert len(found) == 3, found


def test_a_pattern_id_defined_twice_across_files_is_an_error(tmp_path: Path) -> None:
    body = "signal: s\ndescription: x\npatterns:\n  - {id: a, phrases: [x]}\n"
    found = problems(tmp_path, {"a.yml": body, "b.yml": body})
    assert any("pattern 's.a' is also defined in" in p for p in found)


def test_packs_without_patterns_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "pack.yml").write_text("id: plain\ntitle: P\nversion: 1.0\n")
    assert pattern_packs([tmp_path]) == []
    assert load_patterns([tmp_path]).patterns == ()


def test_rule_loader_skips_the_patterns_directory() -> None:
    catalogue = build_catalogue(build_analyzers(Settings(), offline=True))
    ruleset = load_ruleset([rules_dir()], catalogue)
    assert not any("patterns" in Path(r.source).parts for r in ruleset.rules)
    assert any(r.info.id == "language.camera-refusal" for r in ruleset.rules)


def test_shipped_patterns_compile_in_spacy() -> None:
    compiled = shipped_analyzer().manager.get()
    assert len(compiled.specs) == len(SHIPPED.patterns) > 30
    assert compiled.unanchored is None  # every shipped token pattern has anchor words


def test_every_shipped_signal_has_positive_negative_and_negated_examples() -> None:
    for file in SHIPPED.files:
        ex = file.examples
        assert ex.match and ex.no_match and ex.negated, file.path.name


def test_every_signal_a_shipped_rule_reads_has_patterns() -> None:
    signals = set(SHIPPED.signals)
    read = set()
    for path in (rules_dir() / "language").glob("*.yml"):
        data = load_yaml(path.read_text(encoding="utf-8")).data
        for selection in data.get("match", {}).values():
            if isinstance(selection, dict) and "phrases.signal" in selection:
                read.add(selection["phrases.signal"])
    assert read and read <= signals, read - signals
    assert signals <= read, signals - read  # no pattern file without a rule reading it


EXAMPLES = [
    (f.signal, kind, sentence)
    for f in SHIPPED.files
    for kind in ("match", "no_match", "negated")
    for sentence in getattr(f.examples, kind)
]


@pytest.mark.parametrize(
    ("signal", "kind", "sentence"),
    EXAMPLES,
    ids=[f"{s}-{k}-{i}" for i, (s, k, _) in enumerate(EXAMPLES)],
)
def test_shipped_example(signal: str, kind: str, sentence: str) -> None:
    result = note(sentence)
    hits = [p for p in result.records["phrases"] if p["signal"] == signal]
    plain = [p for p in hits if not p["negated"]]
    if kind == "match":
        assert plain, hits
    elif kind == "no_match":
        assert not hits, hits
    else:
        assert hits and not plain, hits
