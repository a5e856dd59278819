"""Stage 3 (analyze): name forms for sanctions screening, tolerant of order, spacing and accents.

Listed names are written "SURNAME, Given Names" (OFAC) or in display order (FollowTheMoney), and
romanised names vary in spacing and hyphens ("Yong Chol", "Yong-Chol", "Yongchol") as well as in
spelling ("Chol", "Cheol"). Every name becomes a few *forms*, each a sorted tuple of folded
tokens (diacritics removed, case folded): as written, with hyphenated parts joined, and with the
given names joined into one token. Comparing sorted forms with ``fuzz.ratio`` is rapidfuzz's
token-sort ratio, so order never matters and small spelling differences cost a few points.
Names of fewer than two tokens are never screened: a single word matches far too many people.
"""

from __future__ import annotations

import re
from itertools import combinations

from screening.normalize.text import fold

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
_PART = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_TOKENS = 2
SUBSET_MIN_TOKENS = 3
MAX_SUBSET_TOKENS = 8

Form = tuple[str, ...]


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _split(words: list[str]) -> list[str]:
    return [p for w in words for p in _PART.findall(w)]


def _joined(words: list[str]) -> list[str]:
    return ["".join(_PART.findall(w)) for w in words]


def forms(name: str) -> set[Form]:
    """The comparison forms of a name (empty when it has fewer than two tokens)."""
    surname, comma, given = name.partition(",")
    groups = [_words(surname), _words(given)] if comma else [_words(name)]
    words = [w for g in groups for w in g]
    out = {tuple(sorted(_split(words))), tuple(sorted(_joined(words)))}
    if comma and len(groups[1]) >= 2:
        out.add(tuple(sorted([*_joined(groups[0]), "".join(_joined(groups[1]))])))
    elif not comma and len(words) >= 3:
        parts = _joined(words)
        out.add(tuple(sorted([parts[0], "".join(parts[1:])])))
        out.add(tuple(sorted(["".join(parts[:-1]), parts[-1]])))
    return {f for f in out if len(f) >= MIN_TOKENS}


def block_key(form: Form) -> str:
    """The candidate block of a form: its token count and sorted first letters ("3:cky").

    A listed name can only match when every token pairs with an applicant token that starts
    with the same letter (see ``index.aligned``), so names outside the block never need a look.
    """
    return f"{len(form)}:{''.join(sorted(t[0] for t in form))}"


def subset_keys(form: Form) -> set[str]:
    """Blocks of shorter listed names (three tokens or more) whose tokens could all be in
    ``form``: an applicant who adds a middle name still meets the listed name."""
    initials = sorted(t[0] for t in form[:MAX_SUBSET_TOKENS])
    return {
        f"{size}:{''.join(combo)}"
        for size in range(SUBSET_MIN_TOKENS, len(initials))
        for combo in combinations(initials, size)
    }
