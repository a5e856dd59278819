"""``near`` patterns: word groups that must all occur close together in one sentence, in any
order ("the laptop ... my roommate ... ship" as well as "ship it to my roommate, the laptop")."""

from __future__ import annotations

from pathlib import Path

import pytest
from language_support import analyze, signals

from screening.analyze.language import LanguageAnalyzer, LanguageOptions
from screening.analyze.language.patterns import PatternSet, PatternSpec, SignalFile, near_pattern
from screening.errors import RulePackError
from screening.evaluate import load_patterns

SHIP = near_pattern(
    "equipment-elsewhere.ship-near-person",
    "equipment-elsewhere",
    [["laptop", "company computer"], ["ship", "send"], ["roommate", "friend's place"]],
    10,
    "request",
)


def analyzer(*specs: PatternSpec) -> LanguageAnalyzer:
    file = SignalFile(Path("x.yml"), "test", "equipment-elsewhere", "test", specs)
    return LanguageAnalyzer(LanguageOptions(), patterns=PatternSet((file,)))


def fires(text: str, an: LanguageAnalyzer, negated: bool = False) -> bool:
    return "equipment-elsewhere" in signals(
        analyze({"interview_notes": [text]}, analyzer=an), negated=negated
    )


@pytest.mark.parametrize(
    "text",
    [
        "Please ship the laptop to my roommate.",
        "My roommate will sign for it, just send the laptop over.",  # any order
        "Asked us to send the company computer to a friend's place.",  # multi-word entries
        "Shipped laptop to roommate",  # inflected: "shipped"
    ],
)
def test_every_group_near_each_other_fires_in_any_order(text: str) -> None:
    assert fires(text, analyzer(SHIP))


@pytest.mark.parametrize(
    "text",
    [
        # too far apart: more than 10 tokens from the first word to the last
        "Please ship the laptop as soon as you possibly can and then tell my roommate.",
        # in another sentence
        "Please ship the laptop. My roommate says hello.",
        # one group missing
        "My roommate has a laptop.",
        # the groups sit in opposed statements
        "Please ship the laptop, but my roommate is away.",
    ],
)
def test_far_apart_other_sentence_or_missing_group_does_not_fire(text: str) -> None:
    assert not fires(text, analyzer(SHIP))


def test_a_near_match_is_checked_for_negation() -> None:
    assert fires("Never asked to ship the laptop to a roommate.", analyzer(SHIP), negated=True)


def test_one_word_cannot_stand_for_two_groups() -> None:
    spec = near_pattern(
        "s.same", "equipment-elsewhere", [["laptop"], ["laptop", "ship"]], 4, "request"
    )
    an = analyzer(spec)
    assert not fires("The laptop is fine.", an)
    assert fires("Ship my laptop.", an)


def test_a_pattern_file_with_near_groups_loads_and_bad_ones_name_the_field(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    (pack / "patterns").mkdir(parents=True)
    (pack / "pack.yml").write_text(
        "id: mine\ntitle: Mine\nversion: '1.0'\ndescription: test\n", encoding="utf-8"
    )
    body = (
        "signal: equipment-elsewhere\ndescription: test\nkind: request\npatterns:\n"
        "  - id: near-person\n    near:\n      within: 8\n      groups:\n"
        "        - [laptop]\n        - [roommate, friend's place]\n"
    )
    (pack / "patterns" / "eq.yml").write_text(body, encoding="utf-8")
    loaded = load_patterns([pack])
    (spec,) = loaded.patterns
    assert spec.near == (("laptop",), ("roommate", "friend's place")) and spec.within == 8
    (pack / "patterns" / "eq.yml").write_text(body.replace("within: 8", "within: 99"))
    with pytest.raises(RulePackError, match="within"):
        load_patterns([pack])
    (pack / "patterns" / "eq.yml").write_text(
        body.replace("        - [roommate, friend's place]\n", "")
    )
    with pytest.raises(RulePackError, match="groups"):
        load_patterns([pack])
