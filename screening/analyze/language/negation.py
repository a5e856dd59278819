"""Stage 3 (analyze, language): is a matched phrase negated or only hypothetical?

"The camera is not broken", "never asked to ship the laptop elsewhere" and "asked whether anyone
else was helping" contain the words of a red flag but say the opposite, so they must not fire a
rule. A match counts as negated when a negation word (not, n't, never, no, without, denied,
forbids ...) or a hedge (if, whether; not in request signals, where the question is the request)
stands in the same clause shortly before it, inside it, or shortly after it, and when its sentence
describes past work ("at my last job she used AnyDesk to support staff"). Clauses end at
sentence punctuation, commas, semicolons, line breaks and contrast words
("no problems with audio, but the camera was broken" still fires). A pattern that spells a
negation itself ("would not turn on the camera") keeps its own "not" as part of the wording.
Erring towards "negated" is deliberate: a missed phrase costs less than a false accusation.
"""

from __future__ import annotations

from collections.abc import Set
from itertools import pairwise
from typing import TYPE_CHECKING

from screening.analyze.language.patterns import HEDGES, NEGATION_CUES

if TYPE_CHECKING:
    from spacy.tokens import Doc

CUES = NEGATION_CUES | HEDGES
CONTRAST = frozenset(
    {"but", "however", "although", "though", "yet", "whereas", "except", "instead", "while"}
)
CLAUSE_PUNCT = frozenset({".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "—", "–", "|", "•"})
FORWARD_BREAKS = frozenset({"and", "or", "then", "so"})
# "at my last job", "in a previous role", "used to": the sentence describes past work, where
# remote-access tools, payment platforms and shipping laptops are ordinary duties
PAST_ROLE_FIRST = frozenset({"last", "previous", "former", "prior", "past", "earlier"})
PAST_ROLE_SECOND = frozenset(
    {
        "job",
        "jobs",
        "role",
        "roles",
        "company",
        "companies",
        "employer",
        "employers",
        "position",
        "positions",
        "workplace",
        "team",
        "teams",
        "work",
    }
)
BEFORE = 5
AFTER = 3


def _breaks(lower: str, text: str) -> bool:
    return lower in CLAUSE_PUNCT or lower in CONTRAST or "\n" in text


def past_role(doc: Doc, start: int) -> bool:
    """The sentence around token ``start`` describes past work ("at my last job", "used to")."""
    sent = doc[start].sent
    lowers = [t.lower_ for t in sent]
    for a, b in pairwise(lowers):
        if (a in PAST_ROLE_FIRST and b in PAST_ROLE_SECOND) or (a, b) == ("used", "to"):
            return True
    return False


def negated(doc: Doc, start: int, end: int, literal_cues: Set[str] = frozenset()) -> bool:
    """True when the tokens ``[start, end)`` of ``doc`` are negated or hedged in their clause,
    or their sentence describes past work."""
    if past_role(doc, start):
        return True
    for i in range(start, end):
        lower = doc[i].lower_
        if lower in CUES and lower not in literal_cues:
            return True
    i = start - 1
    while i >= max(0, start - BEFORE):
        tok = doc[i]
        lower = tok.lower_
        if _breaks(lower, tok.text) or tok.is_sent_end:
            break
        if lower in CUES and not (lower in HEDGES and lower in literal_cues):
            return True
        i -= 1
    i = end
    while i < min(len(doc), end + AFTER):
        tok = doc[i]
        lower = tok.lower_
        if _breaks(lower, tok.text) or lower in FORWARD_BREAKS:
            break
        if lower in NEGATION_CUES:
            return True
        if tok.is_sent_end:
            break
        i += 1
    return False
