"""Stage 3 (analyze, language): phrase patterns as the matcher uses them.

Rule packs hold a ``patterns/`` directory of YAML files, one *signal* per file (for example
``camera-refusal``): token patterns in spaCy Matcher syntax and phrase lists matched on
lower-cased text. The pack loader (``screening.evaluate.pattern_files``) reads and validates those
files against their schema and hands the engine a ``PatternSet``, which reaches the analyzer
through its constructor; this module holds only what matching needs: the pattern data, the
words that negate, and the anchor words that keep matching cheap on long texts. Patterns only use
token attributes the blank pipeline sets (``TEXT_ATTRS`` and flags), so they behave the same with
or without a trained model; compiling them into spaCy matchers happens later, once, on the first
text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

MAX_SPAN_TOKENS = 16  # longest text a token pattern can cover: the matching window is this wide
TEXT_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM"})  # attributes that compare words
RANGE = re.compile(r"^\{(\d*)(,?)(\d*)\}$")  # an OP such as {0,3}

Kind = Literal["observation", "request"]
Group = tuple[str, ...]  # a ``near`` group: its alternatives, each a word or a few words

# Words that negate a statement; a pattern that spells one out itself (``would not turn on``)
# keeps it as part of the wording (see ``PatternSpec.literal_cues``).
NEGATION_CUES = frozenset(
    {
        "not",
        "n't",
        "n’t",
        "nt",
        "no",
        "never",
        "without",
        "nor",
        "neither",
        "none",
        "nobody",
        "nothing",
        "cannot",
        "deny",
        "denied",
        "denies",
        "dont",
        "didnt",
        "doesnt",
        "isnt",
        "wasnt",
        "cant",
        "wont",
        # a rule or policy against the thing is not a request for it
        "forbid",
        "forbids",
        "forbidden",
        "prohibit",
        "prohibits",
        "prohibited",
        "banned",
        "disallow",
        "disallowed",
    }
)
# Words that make a statement a question ("asked whether the camera was broken"). In a *request*
# signal (equipment, payment, remote access, pressure) the question is the request itself ("asked
# if the laptop can go to a friend"), so there they do not negate (``kind: request``).
HEDGES = frozenset({"if", "whether"})

# Words too frequent to anchor a pattern on: windows around them would cover most of a text.
COMMON_WORDS = NEGATION_CUES | frozenset(
    "a an the to at in on of for with by from as into about over it its is are was were be been "
    "and or but if so my your his her their our me you he she we they i this that these those "
    "do does did can could will would should may might have has had 's ' - , .".split()
)


@dataclass(frozen=True, slots=True)
class PatternSpec:
    """One pattern: ``tokens`` (a spaCy Matcher pattern), ``phrases`` (lower-cased text) or
    ``near`` (groups of words that must all occur close together, in any order)."""

    key: str  # "<signal>.<id>", unique across every pattern file loaded
    signal: str
    tokens: tuple[Mapping[str, Any], ...] = ()
    phrases: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()  # lower-cased words one of which every match contains
    literal_cues: frozenset[str] = frozenset()
    near: tuple[Group, ...] = ()  # each group: alternatives, each a tuple of lower-cased words
    within: int = 0  # ``near``: most tokens from the first group's word to the last one's

    @property
    def is_tokens(self) -> bool:
        """True for a token pattern, False for a phrase list or a ``near`` pattern."""
        return bool(self.tokens)

    @property
    def is_near(self) -> bool:
        """True for a ``near`` pattern."""
        return bool(self.near)


def token_pattern(
    key: str, signal: str, tokens: Sequence[Mapping[str, Any]], kind: Kind
) -> PatternSpec:
    """A token pattern with its anchors and the negation words it spells out itself."""
    cues = frozenset(_literals(tokens)) & NEGATION_CUES
    return PatternSpec(
        key,
        signal,
        tokens=tuple(tokens),
        anchors=_anchors(tokens),
        literal_cues=cues | (HEDGES if kind == "request" else frozenset()),
    )


def phrase_pattern(key: str, signal: str, phrases: Sequence[str], kind: Kind) -> PatternSpec:
    """A phrase list, lower-cased with runs of spaces collapsed and repeats dropped."""
    normal = tuple(dict.fromkeys(" ".join(p.lower().split()) for p in phrases))
    cues = frozenset(_phrase_words(normal)) & NEGATION_CUES
    return PatternSpec(
        key,
        signal,
        phrases=normal,
        literal_cues=cues | (HEDGES if kind == "request" else frozenset()),
    )


def near_pattern(
    key: str, signal: str, groups: Sequence[Sequence[str]], within: int, kind: Kind
) -> PatternSpec:
    """Word groups that must all occur within ``within`` tokens of one sentence, in any order.

    An entry of a group is a word or a few words in a row ("someone else"), lower-cased with runs
    of spaces collapsed; the compiler splits entries as the tokenizer splits text ("can't").
    """
    near = tuple(tuple(dict.fromkeys(" ".join(e.lower().split()) for e in g)) for g in groups)
    cues = frozenset(_phrase_words([e for g in near for e in g])) & NEGATION_CUES
    return PatternSpec(
        key,
        signal,
        literal_cues=cues | (HEDGES if kind == "request" else frozenset()),
        near=near,
        within=within,
    )


@dataclass(frozen=True, slots=True)
class Examples:
    """Sentences a signal's file says must match, must not match, or match but negated."""

    match: tuple[str, ...] = ()
    no_match: tuple[str, ...] = ()
    negated: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SignalFile:
    """One pattern file: a signal, what it means, its patterns and its examples."""

    path: Path
    pack: str
    signal: str
    description: str
    patterns: tuple[PatternSpec, ...]
    examples: Examples = field(default_factory=Examples)
    kind: Kind = "observation"  # or "request": asking for it is the signal (hedges do not negate)


@dataclass(frozen=True, slots=True)
class PatternSet:
    """Every pattern file the pack loader read, in load order, after the packs' overrides."""

    files: tuple[SignalFile, ...] = ()
    packs: tuple[tuple[str, str], ...] = ()  # (pack id, version) of packs that hold patterns

    @property
    def patterns(self) -> tuple[PatternSpec, ...]:
        """All patterns of all files."""
        return tuple(p for f in self.files for p in f.patterns)

    @property
    def signals(self) -> tuple[str, ...]:
        """Signal names, in load order, without repeats."""
        return tuple(dict.fromkeys(f.signal for f in self.files))

    def count(self, pack: str) -> int:
        """How many patterns of ``pack`` are loaded."""
        return sum(len(f.patterns) for f in self.files if f.pack == pack)


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.lower()]
    if isinstance(value, dict) and isinstance(value.get("IN"), list):
        return [str(v).lower() for v in value["IN"]]
    return []


def _phrase_words(phrases: Sequence[str]) -> list[str]:
    """Words of phrases as the tokenizer splits negations ("can't" -> "ca", "n't")."""
    out: list[str] = []
    for phrase in phrases:
        for word in phrase.split():
            out.append(word)
            if word == "cannot":
                out.append("not")
            for suffix in ("n't", "n’t"):
                if word.endswith(suffix):
                    out.append(suffix)
    return out


def _literals(tokens: Sequence[Mapping[str, Any]]) -> list[str]:
    """Every literal word a pattern spells out (so its own "not" is not read as negation)."""
    out: list[str] = []
    for spec in tokens:
        for attr in TEXT_ATTRS:
            if attr in spec:
                out.extend(_words(spec[attr]))
    return out


def required_words(tokens: Sequence[Mapping[str, Any]]) -> list[tuple[str, ...]]:
    """For each token every match must contain, the words it may be (lower-cased).

    A window around an anchor word is only worth running a pattern's matcher over when a word
    of every such set occurs in it; most windows of a long resume fail that cheap test.
    """
    out: list[tuple[str, ...]] = []
    for spec in tokens:
        if spec.get("OP") not in (None, "+") and not _range_required(spec):
            continue
        for attr in ("ORTH", "TEXT", "LOWER"):  # NORM maps "n't" to "not": not a safe test
            words = _words(spec.get(attr)) if attr in spec else []
            if words:
                out.append(tuple(dict.fromkeys(words)))
                break
    return out


def _anchors(tokens: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Words one of which every match must contain: the most selective required literal token.

    Matching runs the token patterns only near these words (found with a vectorised lookup),
    which keeps long resumes cheap; a pattern with no required literal has no anchors and runs
    over the whole text.
    """
    return min(required_words(tokens), key=_rarity, default=())


def _rarity(words: Sequence[str]) -> tuple[bool, int]:
    """Sort key of anchor candidates: sets without everyday words first, then smaller sets."""
    return (any(w in COMMON_WORDS for w in words), len(words))


def _range_required(spec: Mapping[str, Any]) -> bool:
    m = RANGE.match(str(spec.get("OP", "")))
    return bool(m and int(m.group(1) or 0) >= 1)
