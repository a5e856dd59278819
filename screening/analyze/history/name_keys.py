"""Stage 3 (analyze): names compared across applications without storing them.

Why this way: the history may keep keyed hashes only (docs/principles.md, "Data minimisation"),
so the tolerance that ``namematch`` applies to raw names (short forms, romanization variants,
small spelling slips, token order) has to happen *before* hashing. Each name token becomes a
small set of keys: the folded word, the equivalence groups it belongs to
(``name_equivalents.txt``: Jon = Jonathan, Park = Pak) and, for words of four letters or more, a
spelling skeleton (first letter, then the consonants with doubles collapsed: "miller" and
"miler" are both "mlr"). Two tokens are the same name token when their key sets meet; the
relation of two names is then decided by the one name comparison of ``namematch.relate`` in its
vocabulary: ``same``, ``variant`` (some token paired: a relative, or a persona varying one name)
or ``different``. Names in different scripts are ``incomparable``, never different: judging a
name by its script is what the toolkit must not do. Only the first ``MAX_NAME_TOKENS`` tokens of
a name are keyed, as in every name comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from screening.analyze.common.namematch import (
    NameRelation,
    closest,
    compared_tokens,
    equivalence_groups,
    relate,
)
from screening.model.normalized import Name
from screening.store.history import KeyedName

RELATIONS = tuple(
    r.value
    for r in (
        NameRelation.SAME,
        NameRelation.VARIANT,
        NameRelation.DIFFERENT,
        NameRelation.INCOMPARABLE,
    )
)
_VOWELS = frozenset("aeiouy")
_COMPARABLE_SCRIPTS = frozenset(
    {"latin", "hangul", "han", "kana", "cyrillic", "greek", "arabic", "hebrew", "devanagari"}
)
MAX_NAMES = 6

Keyer = Callable[[str, str], str]


def skeleton(token: str) -> str:
    """First letter, then consonants with repeats collapsed ("jonathon" -> "jnthn")."""
    out = [token[0]]
    for ch in token[1:]:
        if ch in _VOWELS or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


def token_keys(token: str) -> frozenset[str]:
    """The comparison keys of one folded name token (before keying)."""
    keys = {f"w:{token}"}
    keys.update(f"g:{gid}" for gid in equivalence_groups().get(token, ()))
    if len(token) >= 4:
        keys.add(f"k:{skeleton(token)}")
    return frozenset(keys)


def canonical_token(token: str) -> str:
    """One representative key per token, for the whole-name lookup key."""
    gids = equivalence_groups().get(token)
    if gids:
        return f"g:{min(gids)}"
    return f"k:{skeleton(token)}" if len(token) >= 4 else f"w:{token}"


def own_names(app_name: Name, aliases: Sequence[Name]) -> list[Name]:
    """The candidate's name and aliases that have tokens (at most ``MAX_NAMES``)."""
    return [n for n in (app_name, *aliases) if n.tokens][:MAX_NAMES]


def keyed_name(name: Name, keyer: Keyer) -> KeyedName:
    """A name as keyed token keys plus a keyed script (empty when not comparable)."""
    script = keyer("name-script", name.script) if name.script in _COMPARABLE_SCRIPTS else ""
    tokens = tuple(
        frozenset(keyer("name-token", k) for k in token_keys(t)) for t in compared_tokens(name)
    )
    return KeyedName(script, tokens)


def whole_name_key(name: Name) -> str | None:
    """Order-free key of the whole name with variants folded (None for one-token names)."""
    if len(name.tokens) < 2:
        return None
    return f"{name.script}:" + " ".join(sorted(canonical_token(t) for t in compared_tokens(name)))


def _meet(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a & b)


def compare(a: KeyedName, b: KeyedName) -> tuple[NameRelation, float]:
    """Relation of two keyed names and a 0-100 similarity (share of tokens paired)."""
    if not a.script or not b.script or a.script != b.script or not a.tokens or not b.tokens:
        return NameRelation.INCOMPARABLE, 0.0
    rel, shared = relate(a.tokens, b.tokens, _meet)
    return rel, round(200.0 * shared / (len(a.tokens) + len(b.tokens)), 1)


def relation(own: Sequence[KeyedName], other: Sequence[KeyedName]) -> tuple[NameRelation, float]:
    """The closest relation between any of ``own`` and any of ``other``."""
    return closest(compare(a, b) for a in own for b in other)
