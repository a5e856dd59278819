"""How many employers a work history claims at once, counting only what its dates make certain.

"Three roles in the same month" was mostly noise on real resumes: a promotion at one employer
is two roles, a role ending in March and the next starting in March share a handover month, a
year without a month ("2018 - 2021") spans every month of both years, and freelancing, volunteering,
teaching or a side project run beside a job by design, and a consultant's client placements
("ING (via Xebia)") are one employment. The figure here counts distinct employers
in the months the dates make certain, leaving out roles whose employer or title says they are
side work (in several languages), and roles whose employer is the candidate's own name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from screening.model.normalized import Application, Job, Period, YearMonth

# Words of an employer or title that mark side work (whole words, case- and accent-folded)
SIDE_WORK = re.compile(
    r"\b("
    r"freelanc\w*|self[- ]?employed|free[- ]?lance|part[- ]?time|teilzeit|"
    r"freiberuf\w*|selbststandig\w*|selbstandig\w*|zzp\w*|autonom[oa]|independiente|"
    r"volunte\w*|vrijwillig\w*|benevol\w*|voluntari[oa]|volontari[oa]|ehrenamt\w*|"
    r"personal project|side project|projet personnel|proyecto personal|open[- ]source|hobby|"
    r"co[- ]?founder|founder|co[- ]?fondateur|fondateur|co[- ]?fundador|fundador|grunder|"
    r"mitgrunder|board member|advis[eo]r|advisory|mentor|tutor|teacher|teaching|trainer|"
    r"instructor|lecturer|professor|professeur|formateur|docente|profesor|dozent|"
    r"treasurer|tresorier|tesorer[oa]|interim\w*|owner|eigenaar|proprietaire"
    r")\b"
)
# Employers that only say the role was on one's own account
OWN_ACCOUNT = frozenset(
    {"independent", "independant", "independiente", "indipendente", "self", "various", "diverse"}
)
LEGAL_SUFFIXES = frozenset(
    "inc ltd llc gmbh ag sa sas sarl srl spa bv nv co corp plc oy ab as kg sl pty limited".split()
)


def fold(text: str) -> str:
    """Lower case without accents or punctuation, words single-spaced."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split())


# "ING (via Xebia)": a consultant placed at a client by the firm that employs them
_VIA = re.compile(r"\(\s*(?:via|through|for)\s+([^)]+)\)", re.IGNORECASE)


def employer_key(employer: str) -> str:
    """One key per employer: "SOGETI Luxembourg" and "Sogeti luxembourg" agree, and a client
    placement "ING (via Xebia)" is the consultancy's ("xebia")."""
    via = _VIA.search(employer)
    name = via.group(1) if via else employer
    return " ".join(w for w in fold(name).split() if w not in LEGAL_SUFFIXES)


def side_work(job: Job, own_name: Iterable[str]) -> bool:
    """The role is freelance, volunteer, teaching, advisory or own-project work."""
    employer = fold(job.employer or "")
    text = f"{employer} {fold(job.title or '')}"
    if SIDE_WORK.search(text) or employer in OWN_ACCOUNT:
        return True
    name = set(own_name)
    return bool(name) and set(employer.split()) >= name


def certain_months(period: Period, now: YearMonth) -> tuple[int, int] | None:
    """Months the role certainly covers, its last month left out as a handover month.

    A year without a month counts from that year's December (start) or January (end); an
    ongoing role runs to ``now``. None when nothing is certain.
    """
    start, end = period.start, period.end
    if start is None:
        return None
    first = start.year * 12 + 11 if start.precision == "year" else start.index
    if end is None:
        last = now.index if period.current else first
    else:
        last = end.year * 12 if end.precision == "year" else end.index
    if last > first:
        last -= 1
    return (first, last) if last >= first else None


def max_concurrent_jobs(app: Application, now: YearMonth) -> int:
    """Most distinct employers (side work left out) certainly held in one month."""
    own = [fold(t) for t in app.name.tokens] if app.name else []
    per_employer: dict[str, list[tuple[int, int]]] = {}
    for i, job in enumerate(app.employment):
        span = certain_months(job.period, now)
        if span is None or side_work(job, own):
            continue
        key = employer_key(job.employer or "") or f"#{i}"
        per_employer.setdefault(key, []).append(span)
    events: list[tuple[int, int]] = []
    for spans in per_employer.values():
        for start, end in _merged(spans):
            events += [(start, 1), (end + 1, -1)]
    best = active = 0
    for _, delta in sorted(events):
        active += delta
        best = max(best, active)
    return best


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
