"""Stage 3 (analyze, language): a pattern word matches every inflection of it.

A pattern that lists ``refused`` should also match "refuses" and "refusing", and ``send`` should
match "sent": reviewers write one form and notes use another. The blank pipeline has no
lemmatizer, so instead of lemmatizing every text the pattern words are expanded once, when the
patterns are compiled, with LemmInflect's English lemma and inflection tables (a maintained,
MIT-licensed source; https://github.com/bjascob/LemmInflect). Only nouns and verbs are expanded,
never stop words or negation words, so "not", "off" or "only" keep their exact meaning. Without
LemmInflect installed the words are used as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from screening.analyze.language.patterns import COMMON_WORDS, HEDGES, PatternSpec

_EXPANDED_POS = ("VERB", "NOUN")
_TEXT_ATTRS = ("LOWER",)


@cache
def _tables() -> tuple[Any, Any] | None:
    try:
        from lemminflect import getAllInflections, getAllLemmas
    except ImportError:
        return None
    return getAllLemmas, getAllInflections


@cache
def forms(word: str) -> tuple[str, ...]:
    """``word`` and every noun or verb inflection of its lemmas ("sent" -> send, sends ...)."""
    tables = _tables()
    if tables is None or not word.isalpha() or len(word) < 3 or word in COMMON_WORDS | HEDGES:
        return (word,)
    from spacy.lang.en.stop_words import STOP_WORDS

    if word in STOP_WORDS:
        return (word,)
    lemmas, inflections = tables
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


def inflected(spec: PatternSpec) -> PatternSpec:
    """``spec`` with every literal noun or verb of its token pattern in all its forms."""
    if not spec.is_tokens:
        return spec
    return replace(
        spec,
        tokens=tuple(_token(t) for t in spec.tokens),
        anchors=tuple(expand(spec.anchors)),
    )
