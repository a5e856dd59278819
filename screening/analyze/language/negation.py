"""Stage 3 (analyze, language): is a matched phrase negated or only hypothetical?

"The camera is not broken", "never asked to ship the laptop elsewhere" and "asked whether anyone
else was helping" contain the words of a red flag but say the opposite, so they must not fire a
rule. A match counts as negated when a negation word (not, n't, never, no, without, denied,
forbids ...) or a hedge (if, whether; not in request signals, where the question is the request)
stands in the same clause shortly before it, inside it, or shortly after it, and when its sentence
describes past work ("at my last job she used AnyDesk to support staff", "when I worked at a
support desk"), or its clause opens with an experience verb ("wrote a tool to detect TeamViewer",
"worked on a crypto wallet"). Clauses end at
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
PAST_ROLE_FIRST = frozenset({"last", "previous", "former", "prior", "past", "earlier", "old"})
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
# "when I worked at a support desk": a clause about the speaker's past work
PAST_WORK_CLAUSE = frozenset({"worked", "working"})
SUBJECTS = frozenset({"i", "he", "she", "they", "we"})
# A clause that describes building or studying something ("wrote a tool to detect TeamViewer",
# "worked on a crypto wallet", "integrated PayPal into a checkout") states experience, not a request
# or an event in the interview.
EXPERIENCE_VERBS = frozenset(
    "architected automated built configured created deployed designed developed engineered "
    "implemented "
    "integrated led maintained migrated researched studied taught tested worked wrote".split()
)
# "he wrote that ...", "wrote to us": a verb of reporting there, not of building
REPORTING = frozenset({"that", "to", "me", "us", "him", "her", "them"})
# "as if", "even if": a comparison or concession, not a question
NOT_HEDGING = frozenset({"as", "even"})
BEFORE = 5
AFTER = 3


def _breaks(lower: str, text: str) -> bool:
    return lower in CLAUSE_PUNCT or lower in CONTRAST or "\n" in text


def _not_hedging(doc: Doc, i: int, literal_cues: Set[str]) -> bool:
    """The hedge at ``i`` does not negate: the pattern is a request, or it reads "as if"."""
    return doc[i].lower_ in literal_cues or (i > 0 and doc[i - 1].lower_ in NOT_HEDGING)


def past_role(doc: Doc, start: int) -> bool:
    """The sentence around token ``start`` describes past work ("at my last job", "used to")."""
    sent = doc[start].sent
    lowers = [t.lower_ for t in sent]
    for a, b in pairwise(lowers):
        if (a in PAST_ROLE_FIRST and b in PAST_ROLE_SECOND) or (a, b) == ("used", "to"):
            return True
    for a, b, c in zip(lowers, lowers[1:], lowers[2:], strict=False):
        if a == "when" and b in SUBJECTS and c in PAST_WORK_CLAUSE:
            return True
    return False


def describes_experience(doc: Doc, start: int) -> bool:
    """An experience verb ("built", "worked on") opens the clause that leads to token ``start``."""
    i = start - 1
    while i >= 0:
        tok = doc[i]
        lower = tok.lower_
        if _breaks(lower, tok.text) or lower in FORWARD_BREAKS:
            return False
        if lower in EXPERIENCE_VERBS and doc[i + 1].lower_ not in REPORTING:
            return True
        if tok.is_sent_start:
            return False
        i -= 1
    return False


def negated(doc: Doc, start: int, end: int, literal_cues: Set[str] = frozenset()) -> bool:
    """True when the tokens ``[start, end)`` of ``doc`` are negated or hedged in their clause,
    or their sentence describes past work."""
    if past_role(doc, start) or describes_experience(doc, start):
        return True
    for i in range(start, end):
        lower = doc[i].lower_
        if lower in CUES and lower not in literal_cues and doc[i].norm_ not in literal_cues:
            return True
    i = start - 1
    while i >= max(0, start - BEFORE):
        tok = doc[i]
        lower = tok.lower_
        if _breaks(lower, tok.text) or tok.is_sent_end:
            break
        if lower in CUES and not (lower in HEDGES and _not_hedging(doc, i, literal_cues)):
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
