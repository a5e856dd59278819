"""Phrase patterns as the matcher uses them: anchor words and literal negations, the shipped
patterns compile in spaCy, and every example sentence a shipped file gives behaves as the file
says (reading and checking pattern files is tested in tests/evaluate/test_pattern_files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from language_support import note, shipped_analyzer, signals

from screening.analyze import build_catalogue
from screening.analyze.language.patterns import (
    HEDGES,
    phrase_pattern,
    required_words,
    token_pattern,
)
from screening.config import Settings
from screening.evaluate import load_patterns, load_ruleset
from screening.pipeline import build_analyzers
from screening.resources import rules_dir
from screening.safeload import load_yaml

SHIPPED = load_patterns([rules_dir()])


def test_anchors_and_literal_negations() -> None:
    tokens = token_pattern(
        "camera-refusal.would-not",
        "camera-refusal",
        [
            {"LOWER": {"IN": ["would", "did"]}},
            {"LOWER": "not"},
            {"OP": "{0,2}"},
            {"LOWER": "camera"},
        ],
        "observation",
    )
    assert tokens.anchors == ("camera",)  # the rarest required word, not "not" or "would"
    assert tokens.literal_cues == {"not"}
    phrases = phrase_pattern("s.list", "s", ["Audio Only", "can't   show my face"], "observation")
    assert phrases.phrases == ("audio only", "can't show my face")
    assert phrases.literal_cues == {"n't"}


def test_required_words_are_the_literal_tokens_every_match_contains() -> None:
    tokens = [
        {"LOWER": {"IN": ["Send", "ship"]}},
        {"OP": "{0,2}", "IS_PUNCT": False},
        {"LOWER": "the", "OP": "?"},  # optional: not required
        {"ORTH": "Laptop", "OP": "{1,2}"},  # a range from one is required
        {"NORM": "not"},  # NORM maps "n't" to "not": not a safe test
    ]
    assert required_words(tokens) == [("send", "ship"), ("laptop",)]


def test_a_match_is_found_wherever_its_required_words_sit_in_a_long_text() -> None:
    filler = "Maintained services and wrote tests for the payments team. " * 60
    text = filler + "She asked us to ship the laptop to her cousin in another city. " + filler
    assert "equipment-elsewhere" in signals(note(text), negated=False)
    assert not signals(note(filler + "Shipped the laptop. " + filler), negated=False)


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


def test_a_request_pattern_keeps_if_and_whether_as_its_own_words() -> None:
    asked = phrase_pattern("s.a", "s", ["send the laptop"], "request")
    told = phrase_pattern("s.a", "s", ["send the laptop"], "observation")
    assert asked.literal_cues >= HEDGES and not HEDGES & told.literal_cues
