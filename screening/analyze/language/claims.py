"""Stage 3 (analyze, language): years-of-experience claims and what the record says about them.

A claim is "8+ years of experience", "10 years of Rust", "Kubernetes (9 years)" or "using Go since
2008" in the resume, the cover letter, the candidate's messages or the interview notes. Each
claim is measured against things that cannot bend, and each measure is an amount the rules
compare (the thresholds live in the rules, not here): how many years before the technology's
first public release the claimed experience would have started, how many years the claim goes
beyond the employment history given in the same application, and how old the candidate was when
the claimed experience would have started (from the date of birth, like
``education.age_at_end``; the candidate's age itself is not a fact of this family).

Only the first technology named right after "years of (experience with)" is tied to the claim:
"10 years of experience with Python, Kubernetes and Go" claims ten years of Python, not of Go,
because people list a stack after a career length and reading every item as ten years would
accuse honest candidates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from screening.analyze.language.matching import sentence_of, span_text
from screening.analyze.language.negation import negated
from screening.analyze.language.nlp import Compiled
from screening.analyze.language.techdates import Technology
from screening.analyze.language.texts import Text

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc

YEAR_WORDS = ("years", "year", "yrs", "yr", "since")
MAX_YEARS = 60
ANACHRONISM_TOLERANCE_YEARS = 1.0  # only for the summary count; the rule holds its own
_FUSED = re.compile(r"^(\d{1,2})\+?(?:yrs?|years?)$", re.IGNORECASE)
_FUSED_IN_TEXT = re.compile(r"\d\+?(?:yrs?|years?)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(19[5-9]\d|20\d\d)$")
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
FILLERS = frozenset(
    "' ’ of + professional commercial industry industrial hands - on hands-on production "
    "practical solid proven strong extensive deep relevant total overall combined experience exp "
    "expertise in with using working developing building programming coding writing as a an the "
    "full time full-time".split()
)
EXPERIENCE = frozenset({"experience", "exp", "expertise"})
FIELD_WORDS = frozenset(
    "software it development engineering programming industry tech web backend back-end "
    "frontend front-end developer engineer career".split()
)
NOT_EXPERIENCE = frozenset(
    "old ago later earlier before after from younger older running warranty contract term".split()
)
BEFORE_SEPARATORS = frozenset({":", "(", "-", "–", "—", ",", "["})
LOOKBACK_SINCE = 4


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim of experience found in a text."""

    years: int
    technology: Technology | None
    since_year: int | None
    text: str
    sentence: str
    label: str
    source: str
    negated: bool


def _tech_spans(doc: Doc, compiled: Compiled) -> dict[int, tuple[int, Technology]]:
    """Technology mentions by start token (the longest at each start): start -> (end, tech)."""
    spans: dict[int, tuple[int, Technology]] = {}
    for match_id, start, end in [*compiled.tech.lower(doc), *compiled.tech.cased(doc)]:
        tech = compiled.tech.by_key[match_id]
        if start not in spans or spans[start][0] < end:
            spans[start] = (end, tech)
    return spans


def _number_before(doc: Doc, i: int) -> tuple[int, int] | None:
    """(years, first token) of the number that ends just before token ``i``."""
    j = i - 1
    if j >= 0 and doc[j].text == "+":
        j -= 1
    if j < 0:
        return None
    value = _number(doc[j].lower_)
    if value is None:
        return None
    first = j
    if j >= 2 and doc[j - 1].lower_ in ("-", "–", "to") and (low := _number(doc[j - 2].lower_)):
        value, first = min(value, low), j - 2  # "5-7 years": the lower bound
    return value, first


def _number(word: str) -> int | None:
    if word.isdigit():
        value = int(word)
        return value if 0 < value <= MAX_YEARS else None
    return NUMBER_WORDS.get(word) or None


def find_claims(doc: Doc, lowers: np.ndarray, compiled: Compiled, text: Text) -> list[Claim]:
    """Every experience claim in ``doc``."""
    positions = compiled.years.positions(lowers)
    if _FUSED_IN_TEXT.search(text.text):
        positions.extend(t.i for t in doc if _FUSED.match(t.text))
        positions.sort()
    if not positions:
        return []
    techs = _tech_spans(doc, compiled)
    by_end = {end: (start, tech) for start, (end, tech) in techs.items()}
    claims: list[Claim] = []
    for i in positions:
        token = doc[i]
        if token.lower_ == "since":
            claim = _since(doc, i, by_end, text)
        else:
            claim = _years(doc, i, techs, by_end, text)
        if claim is not None:
            claims.append(claim)
    return claims


def _years(
    doc: Doc,
    i: int,
    techs: dict[int, tuple[int, Technology]],
    by_end: dict[int, tuple[int, Technology]],
    text: Text,
) -> Claim | None:
    fused = _FUSED.match(doc[i].text)
    if fused:
        found: tuple[int, int] | None = (int(fused.group(1)), i)
    else:
        found = _number_before(doc, i)
    if found is None or not 0 < found[0] <= MAX_YEARS:
        return None
    years, first = found
    if i + 1 < len(doc) and doc[i + 1].lower_ in NOT_EXPERIENCE:
        return None
    saw_experience = False
    j = i + 1
    while j < len(doc) and j <= i + 6 and doc[j].lower_ in FILLERS:
        saw_experience = saw_experience or doc[j].lower_ in EXPERIENCE
        j += 1
    tech: Technology | None = None
    last = j if saw_experience else i + 1
    if j in techs:  # "10 years of Rust", "8 years of experience with Kubernetes"
        last, tech = techs[j]
    else:  # "Rust: 10 years", "Kubernetes (9+ years)", "Go 5 yrs"
        for gap in range(3):
            before = first - gap
            if before < 0:
                break
            separators = all(doc[k].text in BEFORE_SEPARATORS for k in range(before, first))
            if before in by_end and separators:
                first, tech = by_end[before]
                break
    if tech is None and not saw_experience:
        if not (j < len(doc) and doc[j].lower_ in FIELD_WORDS):
            return None
        last = j + 1
    return Claim(
        years=years,
        technology=tech,
        since_year=None,
        text=span_text(doc, first, last),
        sentence=sentence_of(doc, first, last),
        label=text.label,
        source=text.source,
        negated=negated(doc, first, last),
    )


def _since(doc: Doc, i: int, by_end: dict[int, tuple[int, Technology]], text: Text) -> Claim | None:
    if i + 1 >= len(doc) or not _YEAR.match(doc[i + 1].text):
        return None
    year = int(doc[i + 1].text)
    for end in range(i, max(i - LOOKBACK_SINCE, 0) - 1, -1):
        if end in by_end:
            start, tech = by_end[end]
            return Claim(
                years=0,
                technology=tech,
                since_year=year,
                text=span_text(doc, start, i + 2),
                sentence=sentence_of(doc, start, i + 2),
                label=text.label,
                source=text.source,
                negated=negated(doc, start, i + 2),
            )
    return None


@dataclass(frozen=True, slots=True)
class Judged:
    """A claim with what the record says about it."""

    claim: Claim
    years: int  # claimed years ("since 2008" counts the years up to the screening date)
    available_years: float | None
    years_before_release: float | None  # > 0: the experience would predate the technology
    years_beyond_history: float | None  # > 0: more years than the work history covers
    start_age: float | None  # age when the claimed experience would have started

    @property
    def anachronism(self) -> bool:
        """For the summary count: more than a year before the first release."""
        before = self.years_before_release
        return before is not None and before > ANACHRONISM_TOLERANCE_YEARS


def judge(claim: Claim, today: dt.date, history_years: float | None, dob: dt.date | None) -> Judged:
    """Measure one claim against the technology table, the work history and the date of birth."""
    tech = claim.technology
    years = claim.years if claim.since_year is None else max(today.year - claim.since_year, 0)
    available = tech.years_available(today) if tech else None
    before: float | None = None
    if tech is not None and claim.since_year is not None:
        # "since 2008" starts on the first day of 2008, the earliest the words allow
        before = _years_between(dt.date(claim.since_year, 1, 1), tech.released)
    elif tech is not None:
        before = years - (available or 0.0)
    beyond = years - history_years if history_years is not None else None
    start_age = None
    if dob is not None:
        months_since = (today.year - dob.year) * 12 + today.month - dob.month
        start_age = (months_since - years * 12) / 12
    return Judged(
        claim,
        years,
        _round(available),
        _round(before),
        _round(beyond),
        _round(start_age),
    )


def _years_between(start: dt.date, end: dt.date) -> float:
    return ((end.year - start.year) * 12 + end.month - start.month) / 12


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def history_years(starts: list[dt.date], today: dt.date) -> float | None:
    """Years from the earliest recorded role start to ``today`` (None without dated roles)."""
    if not starts:
        return None
    first = min(starts)
    return max((today.year - first.year) * 12 + today.month - first.month, 0) / 12
