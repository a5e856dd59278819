"""Stage 3 (analyze, language): a pattern word matches every inflection of it.

A pattern that lists ``refused`` should also match "refuses" and "refusing", and ``send`` should
match "sent": reviewers write one form and notes use another. The blank pipeline has no
lemmatizer, so instead of lemmatizing every text the pattern words are expanded once, when the
patterns are compiled, with LemmInflect's English lemma and inflection tables (a maintained,
MIT-licensed source; https://github.com/bjascob/LemmInflect). Only nouns and verbs are expanded,
never stop words or negation words, so "not", "off" or "only" keep their exact meaning.

Loading LemmInflect's tables costs seconds, so the forms of every word in the shipped patterns
are kept in ``data/word-forms.json`` (``python -m screening.evaluate.word_forms``
rewrites it; a test fails when it is stale). Only a word of a user's own pack that is not in
that file loads LemmInflect; without it installed such a word is used as written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from screening.analyze.language.patterns import COMMON_WORDS, HEDGES, PatternSet, PatternSpec
from screening.resources import data_dir

FORMS_FILE = "word-forms.json"

_EXPANDED_POS = ("VERB", "NOUN")
# spaCy's stop-word list holds some content verbs and nouns: "never showed his face" must match a
# pattern that writes "show", and "kept the camera off" one that writes "keep"
CONTENT_STOP_WORDS = frozenset(
    "call give keep make made move put say see show take get become name part amount".split()
)
_TEXT_ATTRS = ("LOWER",)


@cache
def tables() -> tuple[Any, Any] | None:
    try:
        from lemminflect import getAllInflections, getAllLemmas
    except ImportError:
        return None
    return getAllLemmas, getAllInflections


@cache
def _shipped() -> dict[str, tuple[str, ...]]:
    """The stored forms of the shipped patterns' words."""
    path = data_dir() / FORMS_FILE
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): tuple(str(f) for f in v) for k, v in data.items()}


def expandable(word: str) -> bool:
    """Only content words are expanded: no short words, stop words, negations or hedges."""
    if not word.isalpha() or len(word) < 3 or word in COMMON_WORDS | HEDGES:
        return False
    from spacy.lang.en.stop_words import STOP_WORDS

    return word not in STOP_WORDS or word in CONTENT_STOP_WORDS


@cache
def forms(word: str) -> tuple[str, ...]:
    """``word`` and every noun or verb inflection of its lemmas ("sent" -> send, sends ...)."""
    if not expandable(word):
        return (word,)
    stored = _shipped().get(word)
    if stored is not None:
        return stored
    return looked_up(word)


def looked_up(word: str) -> tuple[str, ...]:
    """The forms from LemmInflect's tables (loaded on first use), or the word alone."""
    found = tables()
    if found is None:
        return (word,)
    lemmas, inflections = found
    out = [word]
    for pos, found in lemmas(word).items():
        if pos not in _EXPANDED_POS:
            continue
        for lemma in found:
            out.append(lemma.lower())
            for variants in inflections(lemma, upos=pos).values():
                out.extend(v.lower() for v in variants)
    return tuple(dict.fromkeys(out))


def expand(words: Iterable[str]) -> list[str]:
    """Every form of every word, in order, without repeats."""
    return list(dict.fromkeys(f for w in words for f in forms(w)))


def _token(spec: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(spec)
    for attr in _TEXT_ATTRS:
        value = out.get(attr)
        if isinstance(value, str) and len(forms(value)) > 1:
            out[attr] = {"IN": list(forms(value))}
        elif isinstance(value, dict) and isinstance(value.get("IN"), list):
            out[attr] = {"IN": expand(value["IN"])}
    return out


def _entry_forms(entry: str) -> list[str]:
    """A ``near`` entry in every form of its first word ("turn on" -> "turned on" ...)."""
    first, _, rest = entry.partition(" ")
    return [f"{f} {rest}" if rest else f for f in forms(first)]


def inflected(spec: PatternSpec) -> PatternSpec:
    """``spec`` with every literal noun or verb of its token pattern, or the first word of each
    entry of its ``near`` groups, in all its forms."""
    if spec.is_near:
        groups = tuple(
            tuple(dict.fromkeys(f for e in g for f in _entry_forms(e))) for g in spec.near
        )
        return replace(spec, near=groups)
    if not spec.is_tokens:
        return spec
    return replace(
        spec,
        tokens=tuple(_token(t) for t in spec.tokens),
        anchors=tuple(expand(spec.anchors)),
    )


def pattern_words(patterns: PatternSet) -> list[str]:
    """Every expandable literal word of the token patterns, sorted."""
    out: set[str] = set()
    for spec in patterns.patterns:
        out.update(entry.partition(" ")[0] for group in spec.near for entry in group)
        for token in spec.tokens:
            for attr in _TEXT_ATTRS:
                value = token.get(attr)
                if isinstance(value, str):
                    out.add(value)
                elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                    out.update(str(v) for v in value["IN"])
    return sorted(w for w in out if expandable(w))


def table(patterns: PatternSet) -> dict[str, list[str]]:
    """The stored-forms table for ``patterns``, looked up in LemmInflect."""
    return {w: list(looked_up(w)) for w in pattern_words(patterns)}


def render(patterns: PatternSet) -> str:
    """``data/word-forms.json`` as text, one word a line."""
    rows = [f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in table(patterns).items()]
    return "{\n" + ",\n".join(rows) + "\n}\n"
