"""Work and education history as a timeline: overlaps, gaps and dates that cannot be true.

Overlapping roles are normal (side projects, part-time work), so they are counted, not judged
(``concurrent_jobs`` counts the employers a history certainly claims at once);
what a rule can lean on is the impossible: a role that ends before it starts, starts in the
future, or starts before the candidate was 14; a degree finished at an implausible age.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common import lookalike
from screening.analyze.common.lookalike import lookalike_of
from screening.analyze.concurrent_jobs import max_concurrent_jobs
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application, Period, YearMonth

MIN_WORKING_AGE = 14


def _date(ym: YearMonth | None) -> dt.date | None:
    return dt.date(ym.year, ym.month, 1) if ym else None


def _span(p: Period, now: YearMonth) -> tuple[int, int] | None:
    """Start and end month indexes (end inclusive); ongoing roles end now."""
    if p.start is None:
        return None
    end = p.end.index if p.end else (now.index if p.current else p.start.index)
    if p.end and p.end.precision == "year":
        end = p.end.year * 12 + 11
    return p.start.index, end


def _age_at(dob: dt.date, ym: YearMonth) -> int:
    return ym.year - dob.year - (1 if ym.month < dob.month else 0)


class TimelineAnalyzer:
    """Employment and education dates: overlaps, gaps, impossible dates, ages at milestones."""

    name: ClassVar[str] = "timeline"
    description: ClassVar[str] = "Employment and education timeline"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("employment", "One record per role in the work history", "timeline", True),
        NamespaceSpec("education", "One record per degree or programme", "timeline", True),
        NamespaceSpec("timeline", "Summary of the whole history", "timeline", False),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = (
        declare(
            "timeline",
            "employment",
            [
                ("employer", "str", "Employer name"),
                ("title", "str", "Job title"),
                ("start", "date", "First month of the role"),
                ("end", "date", "Last month of the role (absent when ongoing)"),
                ("current", "bool", "The role is ongoing ('present')"),
                ("months", "int", "Length of the role in months"),
                ("website_domain", "str", "Host name of the employer website given"),
                (
                    "website_lookalike_of",
                    "str",
                    "The well-known company domain the employer website imitates",
                ),
                ("ends_before_start", "bool", "The end date is before the start date"),
                ("starts_in_future", "bool", "The role starts after the screening date"),
                (
                    "age_at_start",
                    "int",
                    "Candidate's age when the role started (from date_of_birth)",
                ),
                ("max_overlap_months", "int", "Longest overlap in months with any other role"),
            ],
        )
        + declare(
            "timeline",
            "education",
            [
                ("institution", "str", "Institution name"),
                ("degree", "str", "Degree or programme"),
                ("start", "date", "First month"),
                ("end", "date", "Last month or graduation"),
                ("country", "str", "Country of the institution"),
                ("ends_before_start", "bool", "The end date is before the start date"),
                ("age_at_end", "int", "Candidate's age at the end date (from date_of_birth)"),
            ],
        )
        + declare(
            "timeline",
            "timeline",
            [
                ("role_count", "int", "Roles in the work history"),
                ("dated_role_count", "int", "Roles with a start date"),
                ("overlapping_pairs", "int", "Pairs of roles overlapping by 3 months or more"),
                ("max_concurrent_roles", "int", "Most roles held in the same month"),
                (
                    "max_concurrent_jobs",
                    "int",
                    "Most employers certainly worked for in one month: one per employer, no "
                    "handover month or month-less year, no freelance, volunteer, teaching, "
                    "advisory or own-project roles",
                ),
                ("longest_gap_months", "int", "Longest gap between roles in months"),
                (
                    "impossible_date_count",
                    "int",
                    "Roles or degrees ending before they start, roles starting in the future "
                    "or before age 14",
                ),
                ("first_role_start", "date", "Start of the earliest role"),
            ],
        )
    )

    def sources(self) -> list[Source]:
        """The look-alike domain tables used for employer websites."""
        return lookalike.sources()

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """Records per role and degree plus a summary."""
        if not app.employment and not app.education:
            return FamilyResult.skipped("no employment or education history in the application")
        today = ctx.clock.now().date()
        now = YearMonth(today.year, today.month)
        dob = app.date_of_birth
        missing: dict[str, str] = {}
        if dob is None:
            missing["employment.age_at_start"] = "no date_of_birth in the application"
            missing["education.age_at_end"] = "no date_of_birth in the application"

        spans = [_span(j.period, now) for j in app.employment]
        jobs: list[Record] = []
        impossible = 0
        for job, span in zip(app.employment, spans, strict=True):
            p = job.period
            ends_before = bool(p.start and p.end and p.end.index < p.start.index)
            in_future = bool(p.start and p.start.index > now.index)
            age_start = _age_at(dob, p.start) if dob and p.start else None
            impossible += (
                ends_before
                + in_future
                + bool(age_start is not None and age_start < MIN_WORKING_AGE)
            )
            overlap = 0
            if span:
                for other in spans:
                    if other is span or other is None:
                        continue
                    overlap = max(overlap, min(span[1], other[1]) - max(span[0], other[0]) + 1)
            jobs.append(
                {
                    "employer": job.employer,
                    "title": job.title,
                    "start": _date(p.start),
                    "end": _date(p.end),
                    "current": p.current,
                    "months": (span[1] - span[0] + 1) if span and span[1] >= span[0] else None,
                    "website_domain": job.website_domain,
                    "website_lookalike_of": lookalike_of(job.website_domain),
                    "ends_before_start": ends_before,
                    "starts_in_future": in_future,
                    "age_at_start": age_start,
                    "max_overlap_months": overlap if span else None,
                }
            )
        schools: list[Record] = []
        for school in app.education:
            p = school.period
            ends_before = bool(p.start and p.end and p.end.index < p.start.index)
            impossible += ends_before
            schools.append(
                {
                    "institution": school.institution,
                    "degree": school.degree,
                    "start": _date(p.start),
                    "end": _date(p.end),
                    "country": school.country,
                    "ends_before_start": ends_before,
                    "age_at_end": _age_at(dob, p.end) if dob and p.end else None,
                }
            )
        valid = sorted(s for s in spans if s and s[1] >= s[0])
        jobs_at_once = max_concurrent_jobs(app, now)
        return FamilyResult(
            records={
                "employment": jobs,
                "education": schools,
                "timeline": [
                    {**self._summary(app, valid, impossible), "max_concurrent_jobs": jobs_at_once}
                ],
            },
            missing=missing,
        )

    @staticmethod
    def _summary(app: Application, spans: list[tuple[int, int]], impossible: int) -> Record:
        pairs = 0
        for i, a in enumerate(spans):
            for b in spans[i + 1 :]:
                if min(a[1], b[1]) - max(a[0], b[0]) + 1 >= 3:
                    pairs += 1
        concurrent = 0
        if spans:
            events = sorted([(s, 1) for s, _ in spans] + [(e + 1, -1) for _, e in spans])
            active = 0
            for _, delta in events:
                active += delta
                concurrent = max(concurrent, active)
        gap = 0
        reach = None
        for start, end in spans:
            if reach is not None and start > reach + 1:
                gap = max(gap, start - reach - 1)
            reach = end if reach is None else max(reach, end)
        first = min((j.period.start for j in app.employment if j.period.start), default=None)
        return {
            "role_count": len(app.employment),
            "dated_role_count": len(spans),
            "overlapping_pairs": pairs,
            "max_concurrent_roles": concurrent,
            "longest_gap_months": gap,
            "impossible_date_count": impossible,
            "first_role_start": _date(first),
        }
