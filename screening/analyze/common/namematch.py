"""Comparing names with each other and with handles, loosely and fairly.

Names are compared on folded tokens, with common short forms and romanization variants treated as
the same name (``name_equivalents.txt``), initials accepted, token order ignored and small spelling
differences tolerated. Names written in different scripts are *incomparable*, never different:
the toolkit does not transliterate, and it must not penalise a name for its script.

One comparison serves every rule: ``relate`` pairs the tokens of two names one-to-one under a
pluggable token-equality test and names the relation in one vocabulary (``NameRelation``). Raw
names use ``tokens_equal``; the history compares keyed token sets (``analyze.history.name_keys``).

Cost is bounded by construction: fuzzy matching costs grow faster than linearly with the input,
so only the first ``MAX_NAME_TOKENS`` tokens of a name (each cut to ``MAX_TOKEN_CHARS``) and the
first ``MAX_HANDLE_CHARS`` of a handle are compared. Real names and handles are far shorter; the
caps only stop a crafted 6,000-word name from holding a worker for minutes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from functools import cache
from typing import TypeVar

from rapidfuzz import fuzz

from screening.model.normalized import Name
from screening.refdata import groups

_CHUNK = re.compile(r"[a-z]+")
T = TypeVar("T")
MAX_NAME_TOKENS = 12
MAX_TOKEN_CHARS = 40
MAX_HANDLE_CHARS = 100


class NameRelation(StrEnum):
    """How a name or handle relates to the candidate's own names."""

    SAME = "same"
    VARIANT = "variant"
    DIFFERENT = "different"
    RELATED = "related"
    OTHER_NAME = "other_name"
    UNRELATED = "unrelated"
    INCOMPARABLE = "incomparable"
    NOT_A_NAME = "not_a_name"


@cache
def equivalence_groups() -> dict[str, frozenset[int]]:
    """Name token -> ids of the ``name_equivalents.txt`` groups it belongs to (ids are the line
    order of the file, so keys derived from them stay stable across runs)."""
    table: dict[str, set[int]] = {}
    for gid, group in enumerate(groups("name_equivalents.txt")):
        for word in group:
            table.setdefault(word, set()).add(gid)
    return {k: frozenset(v) for k, v in table.items()}


def compared_tokens(name: Name) -> tuple[str, ...]:
    """The tokens of ``name`` that comparisons look at (capped in number and length)."""
    return tuple(t[:MAX_TOKEN_CHARS] for t in name.tokens[:MAX_NAME_TOKENS])


def tokens_equal(a: str, b: str) -> bool:
    """Same name token: equal, equivalent short form or romanization, or one spelling off."""
    if a == b:
        return True
    eq = equivalence_groups()
    ga, gb = eq.get(a), eq.get(b)
    if ga and gb and ga & gb:
        return True
    return bool(min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= 80)


def _comparable(a: Name, b: Name) -> bool:
    scripts = {a.script, b.script}
    return len(scripts) == 1 and "none" not in scripts and "mixed" not in scripts


def paired(left: Sequence[T], right: Sequence[T], equal: Callable[[T, T], bool]) -> int:
    """Tokens of ``left`` paired one-to-one with equal tokens of ``right`` (greedy)."""
    used: set[int] = set()
    for tok in left:
        for i, other in enumerate(right):
            if i not in used and equal(tok, other):
                used.add(i)
                break
    return len(used)


def relate(
    a: Sequence[T], b: Sequence[T], equal: Callable[[T, T], bool]
) -> tuple[NameRelation, int]:
    """The relation of two token sequences under ``equal`` and the number of tokens paired.

    ``same``: every token paired, or at least two and all of the shorter name; ``variant``: some
    token paired (a relative, a married name, a persona varying one name); else ``different``.
    """
    shared = max(paired(a, b, equal), paired(b, a, equal))
    shorter = min(len(a), len(b))
    if shared == len(a) == len(b) or (shared >= shorter and shared >= 2):
        return NameRelation.SAME, shared
    return (NameRelation.VARIANT if shared >= 1 else NameRelation.DIFFERENT), shared


def _equal_or_initial(short: str, full: str) -> bool:
    return tokens_equal(short, full) or (len(short) == 1 and full.startswith(short))


def _initial_match(short: Sequence[str], full: Sequence[str]) -> bool:
    """'J Miller' vs 'Jonathan Miller': every short token is an initial or equal to a full token."""
    return len(short) >= 2 and paired(short, full, _equal_or_initial) == len(short)


def compare_names(a: Name, b: Name) -> tuple[NameRelation, float]:
    """Relation between two full names and a 0-100 similarity."""
    if not a.tokens or not b.tokens or not _comparable(a, b):
        return NameRelation.INCOMPARABLE, 0.0
    ta, tb = compared_tokens(a), compared_tokens(b)
    score = float(fuzz.token_set_ratio(" ".join(ta), " ".join(tb)))
    relation, _ = relate(ta, tb, tokens_equal)
    if relation is NameRelation.SAME:
        return relation, max(score, 90.0)
    if _initial_match(ta, tb) or _initial_match(tb, ta):
        return NameRelation.SAME, max(score, 85.0)
    if relation is NameRelation.VARIANT or score >= 80:
        return NameRelation.VARIANT, score
    return NameRelation.DIFFERENT, score


_ORDER = {
    NameRelation.SAME: 0,
    NameRelation.VARIANT: 1,
    NameRelation.DIFFERENT: 2,
    NameRelation.INCOMPARABLE: 3,
}


def closest(relations: Iterable[tuple[NameRelation, float]]) -> tuple[NameRelation, float]:
    """The closest of several relations (same before variant before different, then by
    similarity); ``incomparable`` when there are none."""
    best = (NameRelation.INCOMPARABLE, 0.0)
    for rel in relations:
        if _ORDER[rel[0]] < _ORDER[best[0]] or (rel[0] == best[0] and rel[1] > best[1]):
            best = rel
    return best


def best_relation(own: Sequence[Name], other: Name) -> tuple[NameRelation, float]:
    """The closest relation between ``other`` and any of the candidate's names (name + aliases)."""
    return closest(compare_names(name, other) for name in own)


def _latin_tokens(own: Sequence[Name]) -> list[tuple[str, ...]]:
    return [compared_tokens(n) for n in own if n.script == "latin" and n.tokens]


def handle_chunks(handle: str) -> list[str]:
    """Alphabetic chunks of a handle ('jon.miller_dev77' -> ['jon', 'miller', 'dev']), of its
    first ``MAX_HANDLE_CHARS`` characters."""
    return _CHUNK.findall(handle[:MAX_HANDLE_CHARS].lower())


def handle_relation(own: Sequence[Name], handle: str) -> tuple[NameRelation, float]:
    """How an email local part or profile handle relates to the candidate's names.

    ``related``: it contains a name token, initials plus a surname, or an equivalent form;
    ``unrelated``: it does not (most handles: 'coolcoder', 'octo-builder'); ``incomparable``: the
    candidate's names are not in Latin script, so a Latin handle says nothing either way.
    Whether an unrelated handle names *someone else* is only decided against another full name
    found in the application (``names_other``): guessing that two words are a person's name would
    flag every 'pixel-pusher' and depend on the script of the candidate's own name.
    """
    names = _latin_tokens(own)
    if not names:
        return NameRelation.INCOMPARABLE, 0.0
    chunks = handle_chunks(handle)
    if not chunks:
        return NameRelation.UNRELATED, 0.0
    joined = "".join(chunks)
    best = 0.0
    for tokens in names:
        initials = "".join(t[0] for t in tokens)
        for tok in tokens:
            if len(tok) >= 3 and tok in joined:
                return NameRelation.RELATED, 100.0
            for ch in chunks:
                if tokens_equal(ch, tok):
                    return NameRelation.RELATED, 100.0
        for ch in chunks:
            if len(ch) >= 2 and ch == initials:
                return NameRelation.RELATED, 90.0
            # initial + surname or name + initial: "jmiller", "jonm"
            for tok in tokens:
                if (
                    len(tok) >= 3
                    and len(ch) > len(tok)
                    and (ch.endswith(tok) or ch.startswith(tok))
                ):
                    return NameRelation.RELATED, 90.0
        best = max(best, float(fuzz.partial_ratio(" ".join(tokens), " ".join(chunks))))
    return NameRelation.UNRELATED, best


def names_other(handle: str, other: Name) -> bool:
    """True when ``handle`` carries at least two name tokens of ``other`` ('robert.hayes88')."""
    if other.script != "latin" or len(other.tokens) < 2:
        return False
    chunks = handle_chunks(handle)
    joined = "".join(chunks)
    hits = sum(
        1
        for tok in compared_tokens(other)
        if (len(tok) >= 3 and tok in joined) or any(tokens_equal(ch, tok) for ch in chunks)
    )
    return hits >= 2
