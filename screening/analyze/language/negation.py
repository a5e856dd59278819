"""Stage 3 (analyze, language): is a matched phrase negated or only hypothetical?

"The camera is not broken", "never asked to ship the laptop elsewhere" and "asked whether anyone
else was helping" contain the words of a red flag but say the opposite, so they must not fire a
rule. A match counts as negated when a negation word (not, n't, never, no, without, denied,
forbids ...) or a hedge (if, whether; not in request signals, where the question is the request)
stands in the same clause shortly before it, inside it, or shortly after it, and when its sentence
describes past work ("at my last job she used AnyDesk to support staff", "when I worked at a
support desk"), or its clause opens with an experience verb ("wrote a tool to detect TeamViewer",
"worked on a crypto wallet"), names defending against the thing ("detecting AnyDesk abuse"),
places it in a past year ("was paid through PayPal in 2019"), describes a hobby setup ("a
homelab with a PiKVM for her own servers") or explains how something works
("explained how ransomware groups threaten to leak data"). Clauses end at sentence punctuation,
commas, semicolons, line breaks and contrast words ("no problems with audio, but the camera was
broken" still fires), and at "and" before a new verb or subject ("payroll does not work for him
and he asked for PayPal"). A hedge followed by a modal asks for something ("asked if we could
skip the video") and politeness ("if that's ok") doubts nothing, so neither negates; a negation
after a condition word ("will leak the code if we don't pay") belongs to the condition.
A pattern that spells a negation itself ("would not turn on the camera") keeps its own "not" as
part of the wording.
Erring towards "negated" is deliberate: a missed phrase costs less than a false accusation.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
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
        "client",
        "clients",
        "customer",
        "customers",
        "contract",
        "contracts",
        "gig",
        "gigs",
    }
)
# a hobby setup: remote-control devices and tools at home are no sign of a laptop farm
HOBBY = frozenset({"homelab", "home-lab", "hobby", "hobbies", "hobbyist"})
HELP = frozenset({"help", "helps", "helped", "helping", "support", "supports", "supported"})
FAMILY = frozenset(
    "parents mom dad mother father grandparents grandma grandpa grandmother grandfather family "
    "relatives".split()
)
# "call his former employer", "contact my previous company": reaching a past employer now
CONTACT = frozenset(
    "call called calling contact contacted contacting reach reached phone phoned email emailed "
    "check checked checking verify verified speak spoke talk talked".split()
)
# "when I worked at a support desk", "when I freelanced in 2019": a clause about past work
PAST_WORK_CLAUSE = frozenset(
    {"worked", "working", "freelanced", "contracted", "consulted", "interned", "freelancing"}
)
SUBJECTS = frozenset({"i", "he", "she", "they", "we"})
# A clause that describes building or studying something ("wrote a tool to detect TeamViewer",
# "worked on a crypto wallet", "integrated PayPal into a checkout") states experience, not a request
# or an event in the interview.
EXPERIENCE_VERBS = frozenset(
    "architected automated built configured created deployed designed developed engineered "
    "implemented "
    "integrated led maintained migrated researched studied taught tested worked wrote audited "
    "reviewed assessed analysed analyzed investigated secured hardened monitored".split()
) | frozenset(  # one's own money: "invests part of her salary in bitcoin" is no pay request
    "invest invests invested investing".split()
)
# "detecting AnyDesk abuse", "blocked TeamViewer": defending against the thing, not using it (the
# present tense, "our policy blocks remote desktop tools", states a rule, not work done)
DEFENDING = frozenset(
    "detected detecting blocked blocking hardening hardened monitoring monitored auditing "
    "flags detects "
    "audited flagging flagged uninstalling uninstalled removing removed preventing "
    "prevented".split()
)
# "was paid through Upwork in 2019": an event in a year named after a past-tense verb
PAST_VERBS = frozenset({"was", "were", "got", "had", "did"})
YEAR_PREPOSITIONS = frozenset({"in", "during", "from", "since", "until", "between"})
# "built a feature so users could send money through Wise": the purpose of the thing built
PURPOSE = frozenset(
    "that users customers clients people staff employees teams agents members".split()
)
# "he wrote that ...", "wrote to us": a verb of reporting there, not of building
REPORTING = frozenset({"that", "to", "me", "us", "him", "her", "them"})
# "as if", "even if": a comparison or concession, not a question
NOT_HEDGING = frozenset({"as", "even"})
# "asked if we could skip the video", "whether her brother could take the test": a question with
# a modal asks for something, so it is a request, not doubt about a fact
MODALS = frozenset({"could", "can", "would", "may", "might", "'d", "’d", "ca", "wo"})
# "if that's ok", "if possible", "if you don't mind": politeness after a request, not a question
# ("whether that camera was broken" is still a question: the OK word is what makes it polite)
POLITE = frozenset({"possible", "ok", "okay", "fine", "alright"})
POLITE_LEAD = frozenset({"that", "thats", "it", "its", "'s", "’s", "is"})
# A forward scan for a negation stops where a new clause starts: "will leak the code if we don't
# pay" is a threat whose condition is negative, not a negated threat.
SUBORDINATORS = frozenset(
    {"if", "unless", "because", "since", "when", "until", "otherwise", "whether", "once"}
)
# "and asked for PayPal", "and he said": a new clause after "and", so a negation before it does
# not reach into it
NEW_CLAUSE_AFTER_AND = SUBJECTS | frozenset(
    "asked asks said says told tells wanted wants requested requests insisted insists demanded "
    "demands offered offers suggested suggests added adds mentioned mentions".split()
)
# "explained how ransomware groups threaten to leak data": a description of how something works,
# not something that happened in the hiring process
DESCRIBING = frozenset(
    "explained explains explain described describes describe discussed discusses showed shows "
    "taught teaches presented presents covered covers demonstrated demonstrates".split()
)
CONDITIONS = frozenset({"if", "unless", "otherwise", "or"})
# "what would you do if ...", "what happens if ...": a scenario, even in a request signal
HYPOTHETICAL = frozenset({"do", "happen", "happens", "happened", "react", "respond", "handle"})
# "processes crypto payments for merchants": the business of a company, not the candidate's pay
COMMERCE = frozenset(
    "merchants merchant customers clients users businesses shops sellers buyers stores "
    "marketplaces partners".split()
)
# "in his helpdesk job", "at her current company": a job described, not this hiring
JOB_NOUNS = frozenset({"job", "role", "position", "company", "employer", "workplace"})
POSSESSIVES = frozenset({"his", "her", "my", "their"})
# "security training covers why remote access tools are blocked": teaching material
TEACHING = frozenset({"covers", "covered", "teaches", "taught", "explains"})
EXCHANGE = frozenset({"exchange", "return"})
BEFORE = 5
AFTER = 3
DESCRIPTION_REACH = 8


def _breaks(lower: str, text: str) -> bool:
    return lower in CLAUSE_PUNCT or lower in CONTRAST or "\n" in text


def _not_hedging(doc: Doc, i: int, literal_cues: Set[str]) -> bool:
    """The hedge at ``i`` does not negate: the pattern is a request, it reads "as if", it asks
    for something ("if we could skip the video"), or it is politeness ("if that's ok")."""
    if doc[i].lower_ in literal_cues or (i > 0 and doc[i - 1].lower_ in NOT_HEDGING):
        return True
    following = [t.lower_ for t in doc[i + 1 : i + 5]]
    if next((w for w in following if w not in POLITE_LEAD), "") in POLITE:
        return True
    if following[:2] == ["you", "do"] or following[:2] == ["you", "dont"]:  # "if you don't mind"
        return True
    return any(w in MODALS for w in following[:4]) and not any(
        w in CLAUSE_PUNCT for w in following[:4]
    )


def _and_starts_clause(doc: Doc, i: int) -> bool:
    """The "and" at ``i`` starts a new clause ("... and asked for PayPal", "and he said")."""
    return i + 1 < len(doc) and doc[i + 1].lower_ in NEW_CLAUSE_AFTER_AND


def describes_how(doc: Doc, start: int) -> bool:
    """The match sits in a "how" clause after a verb of explaining ("explained how ransomware
    groups threaten to leak data", "showed how to set up AnyDesk"): a description, not an event."""
    i = start - 1
    while i >= max(1, start - DESCRIPTION_REACH):
        tok = doc[i]
        if tok.lower_ in CLAUSE_PUNCT or tok.is_sent_end:
            return False
        if tok.lower_ == "how" and doc[i - 1].lower_ in DESCRIBING:
            return True
        if tok.lower_ == "why" and doc[i - 1].lower_ in TEACHING:
            return True
        i -= 1
    return False


@dataclass(frozen=True, slots=True)
class Sentence:
    """The lower-cased words of a match's sentence, read once for every sentence-wide check."""

    lowers: list[str]
    first: int  # doc index of ``lowers[0]``

    @classmethod
    def around(cls, doc: Doc, start: int) -> Sentence:
        sent = doc[start].sent
        return cls([t.lower_ for t in sent], sent.start)

    def before(self, start: int) -> list[str]:
        """The words before doc token ``start``."""
        return self.lowers[: start - self.first]


def past_role(doc: Doc, sentence: Sentence, end: int) -> bool:
    """The sentence describes past work ("at my last job", "used to"): anywhere before the match
    ending at doc token ``end``, or after it up to the end of its clause ("pls skip the
    assessment, my previous company vouches for me" is not about past work). A past employer as
    the object of a contact verb ("if we called his former employer") is a person to reach now.
    """
    stop = end
    last = sentence.first + len(sentence.lowers)
    while stop < last and not _breaks(doc[stop].lower_, doc[stop].text):
        stop += 1
    lowers = sentence.before(stop)
    for k, (a, b) in enumerate(pairwise(lowers)):
        if (a in PAST_ROLE_FIRST and b in PAST_ROLE_SECOND) and not CONTACT & set(
            lowers[max(0, k - 3) : k]
        ):
            return True
        if (a, b) == ("used", "to"):
            return True
    for a, b, c in zip(lowers, lowers[1:], lowers[2:], strict=False):
        if a == "when" and b in SUBJECTS and c in PAST_WORK_CLAUSE:
            return True
        if (a, b) == ("prior", "to") and c in {"this", "that"}:  # "prior to this, he ..."
            return True
    return False


def personal_setup(sentence: Sentence) -> bool:
    """The sentence is about a hobby setup ("runs a homelab with a PiKVM for her own servers")
    or helping family with their own computer ("to help his parents with their home PC")."""
    lowers = sentence.lowers
    if HOBBY & set(lowers):
        return True
    for a, b, c, d in zip(lowers, lowers[1:], lowers[2:], lowers[3:], strict=False):
        if a in HELP and b in POSSESSIVES and c in FAMILY and d == "with":
            return True
    return any(
        (a, b) in {("side", "project"), ("side", "projects")}
        or (a == "own" and b in {"servers", "server", "network", "nas"})
        for a, b in pairwise(lowers)
    )


def job_described(sentence: Sentence, start: int) -> bool:
    """The match follows "in/at his ... job" in its sentence: a job's duties, not this hiring."""
    lowers = sentence.before(start)
    return any(
        word in {"in", "at"}
        and lowers[k + 1] in POSSESSIVES
        and JOB_NOUNS & set(lowers[k + 2 : k + 5])
        for k, word in enumerate(lowers[:-1])
    )


def for_customers(doc: Doc, start: int, end: int) -> bool:
    """The match serves customers ("crypto payments for merchants"): a business, not pay."""
    for i in range(max(start, end - 1), min(len(doc) - 1, end + 2)):
        if doc[i].lower_ == "for":
            nxt = [t.lower_ for t in doc[i + 1 : i + 3]]
            if nxt and (nxt[0] in COMMERCE or (len(nxt) > 1 and nxt[1] in COMMERCE)):
                return True
    return False


def past_year(sentence: Sentence, start: int) -> bool:
    """A past-tense verb before the match and "in 2019" in its sentence: a past event."""
    if not set(sentence.before(start)) & PAST_VERBS:
        return False
    return any(a in YEAR_PREPOSITIONS and _year(b) for a, b in pairwise(sentence.lowers))


def _year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and text[:2] in {"19", "20"}


def describes_experience(doc: Doc, start: int) -> bool:
    """An experience verb ("built", "worked on") opens the clause that leads to token ``start``."""
    if start > 0 and doc[start - 1].lower_ in DEFENDING:
        return True
    i = start - 1
    while i >= 0:
        tok = doc[i]
        lower = tok.lower_
        if _breaks(lower, tok.text) or (
            lower in FORWARD_BREAKS and not (lower == "so" and doc[i + 1].lower_ in PURPOSE)
        ):
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
    sentence = Sentence.around(doc, start)
    if (
        past_role(doc, sentence, end)
        or past_year(sentence, start)
        or personal_setup(sentence)
        or job_described(sentence, start)
        or for_customers(doc, start, end)
        or describes_experience(doc, start)
        or describes_how(doc, start)
    ):
        return True
    # "leak the code if we don't pay": from a condition word inside the match on, a negation
    # belongs to the condition, so neither the rest of the match nor what follows is checked
    cond = next((i for i in range(start + 1, end) if doc[i].lower_ in CONDITIONS), end)
    for i in range(start, cond):
        lower = doc[i].lower_
        if lower in literal_cues or doc[i].norm_ in literal_cues:
            continue
        if i >= 2 and doc[i - 1].lower_ == "for" and doc[i - 2].lower_ in EXCHANGE:
            continue  # "money in exchange for not leaking the files": the price of the threat
        if lower in NEGATION_CUES:
            return True
        # a hedge inside the match; the last token may be one a pattern only checks is not
        # something else ("without video" + not "issues"), so it does not count there
        if lower in HEDGES and i < end - 1 and not _not_hedging(doc, i, literal_cues):
            return True
    i = start - 1
    while i >= max(0, start - BEFORE):
        tok = doc[i]
        lower = tok.lower_
        if _breaks(lower, tok.text) or tok.is_sent_end:
            break
        if lower in {"and", "then"} and _and_starts_clause(doc, i):
            break
        if lower in CUES and not (lower in HEDGES and _not_hedging(doc, i, literal_cues)):
            return True
        if lower in HEDGES and i > 0 and doc[i - 1].lower_ in HYPOTHETICAL:
            return True  # "asked what we would do if an ex-employee threatened to leak code"
        i -= 1
    i = end if cond == end else len(doc)
    while i < min(len(doc), end + AFTER):
        tok = doc[i]
        lower = tok.lower_
        if _breaks(lower, tok.text) or lower in FORWARD_BREAKS or lower in SUBORDINATORS:
            break
        if lower in NEGATION_CUES:
            return True
        if tok.is_sent_end:
            break
        i += 1
    return False
