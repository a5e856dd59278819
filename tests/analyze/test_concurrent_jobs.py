"""Concurrent employers: promotions, handover months, month-less years, placements and side
work are not "three jobs at once"; three real employers at once are."""

from __future__ import annotations

import datetime as dt
from typing import Any

from screening.analyze.base import AnalysisContext
from screening.analyze.timeline import TimelineAnalyzer
from screening.ingest import from_mapping
from screening.normalize import normalize
from screening.testing import FixedClock

CTX = AnalysisContext(clock=FixedClock(dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)))


def summary(*jobs: dict[str, Any], name: str = "Alex Morgan") -> dict[str, object]:
    app = normalize(from_mapping({"name": name, "employment": list(jobs)}, "test"))
    return TimelineAnalyzer().analyze(app, CTX).records["timeline"][0]


def test_three_employers_at_once_count_three() -> None:
    s = summary(
        {"employer": "Acme", "title": "Engineer", "start": "2020-01", "end": "2022-12"},
        {"employer": "Globex", "title": "Developer", "start": "2021-01", "end": "present"},
        {"employer": "Initech", "title": "Developer", "start": "2021-06", "end": "2021-12"},
    )
    assert s["max_concurrent_jobs"] == 3 and s["max_concurrent_roles"] == 3


def test_promotions_and_handover_months_are_one_job_at_a_time() -> None:
    s = summary(
        {
            "employer": "SOGETI Luxembourg",
            "title": "Developer",
            "start": "2016-01",
            "end": "2016-06",
        },
        {"employer": "Sogeti luxembourg", "title": "Lead", "start": "2016-06", "end": "2017-08"},
        {"employer": "Fundsquare S.A.", "title": "Engineer", "start": "2017-08", "end": "2019-02"},
        {"employer": "Foyer", "title": "Architect", "start": "2019-02", "end": "present"},
    )
    assert s["max_concurrent_roles"] == 2
    assert s["max_concurrent_jobs"] == 1


def test_years_without_months_do_not_make_overlaps() -> None:
    s = summary(
        {"employer": "HyperOne", "title": "Engineer", "start": "2018", "end": "2021"},
        {"employer": "Orange", "title": "Engineer", "start": "2018", "end": "2018"},
        {"employer": "Select Star", "title": "DevOps", "start": "2021", "end": "present"},
    )
    assert s["max_concurrent_roles"] == 2
    assert s["max_concurrent_jobs"] == 1


def test_side_work_and_placements_are_not_extra_jobs() -> None:
    s = summary(
        {"employer": "Algolia", "title": "Frontend Engineer", "start": "2018-03", "end": "present"},
        {"employer": "Freelance", "title": "Designer", "start": "2016-09", "end": "present"},
        {"employer": "Woesh", "title": "Vrijwilliger", "start": "2019-04", "end": "2024-05"},
        {"employer": "Alex Morgan", "title": "Web developer", "start": "2019-01", "end": "present"},
        {"employer": "Uni", "title": "Assistant teacher", "start": "2019-02", "end": "2019-12"},
        {"employer": "Yodono", "title": "Co-founder", "start": "2019-01", "end": "present"},
        {"employer": "ING (via Xebia)", "title": "Engineer", "start": "2017-05", "end": "2019-09"},
        {"employer": "Xebia", "title": "Consultant", "start": "2017-05", "end": "2019-09"},
    )
    assert s["max_concurrent_roles"] == 8
    assert s["max_concurrent_jobs"] == 2
