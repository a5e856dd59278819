"""Dates as resumes write them are read with no more precision than they give."""

from __future__ import annotations

import json

import pytest

from screening.ingest import read_bytes
from screening.ingest.loose_dates import is_range, read_date
from screening.model.application import RawApplication


@pytest.mark.parametrize(
    "written,value",
    [
        ("2019", "2019"),
        (2019, "2019"),
        ("2019-06", "2019-06"),
        ("2019-6", "2019-06"),
        ("2019-06-14", "2019-06-14"),
        ("08/2013", "2013-08"),
        ("2017/10", "2017-10"),
        ("2017/10/11", "2017-10-11"),
        ("Mar 2022", "2022-03"),
        ("Mar-2022", "2022-03"),
        ("March 2022", "2022-03"),
        ("APRIL 2021", "2021-04"),
        ("Sept. 2019", "2019-09"),
        ("enero 2020", "2020-01"),
        ("janv. 2020", "2020-01"),
        ("März 2019", "2019-03"),
        ("20-08-2017", "2017-08-20"),  # day first: 20 cannot be a month
        ("03-25-2024", "2024-03-25"),  # month first: 25 cannot be a month
        ("03-04-2024", "2024"),  # either order: only the year is sure
        ("2024-09-31", "2024-09"),  # no 31 September: month precision
        ("2015-12-00", "2015-12"),
        ("2015-00", "2015"),
        ("present", "present"),
        ("Present", "present"),
        ("now", "present"),
        ("至今", "present"),
        ("actualidad", "present"),
        ("Ongoing", "present"),
        ("2020-01-15T09:30:00Z", "2020-01-15"),
    ],
)
def test_common_forms(written: object, value: str) -> None:
    reading = read_date(written)
    assert reading is not None and reading.value == value


@pytest.mark.parametrize("written", ["soon", "2019 x", "13/2019", "99", "", None, True, 12.5])
def test_what_is_not_a_date(written: object) -> None:
    assert read_date(written) is None


def test_a_range_in_one_field_gives_its_start_or_end() -> None:
    start, end = read_date("Jan 2019 – Present"), read_date("Jan 2019 – Present", end=True)
    assert start is not None and start.value == "2019-01"
    assert end is not None and end.value == "present"


def test_in_a_resume_a_missing_end_is_a_current_role_and_each_assumption_is_noted() -> None:
    doc = {
        "basics": {"name": "Ana Lima"},
        "work": [
            {"name": "Now Co", "startDate": "Mar 2022"},
            {"name": "Was Co", "startDate": "08/2019", "endDate": "2024-09-31"},
            {"name": "Empty Co", "startDate": "2017", "endDate": ""},
        ],
        "education": [{"institution": "Uni", "startDate": "2012"}],
    }
    (raw,) = read_bytes(json.dumps(doc).encode(), "ana.json")
    assert isinstance(raw, RawApplication)
    jobs = [(j.start, j.end) for j in raw.data.employment]
    assert jobs == [("2022-03", "present"), ("2019-08", "2024-09"), ("2017", "present")]
    assert raw.data.education[0].end is None  # a course without an end is not "current"
    notes = [(n.field, str(n.kind)) for n in raw.notes]
    assert notes == [
        ("work[0].startDate", "date"),
        ("work[0].endDate", "ongoing"),
        ("work[1].startDate", "date"),
        ("work[1].endDate", "date"),
        ("work[2].endDate", "ongoing"),
    ]


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("2014-2020", "2014", "2020"),
        ("2019/2020", "2019", "2020"),
        ("Mai 2020 – Gegenwart", "2020-05", "present"),
    ],
)
def test_year_ranges_and_more_ongoing_words(written: str, start: str, end: str) -> None:
    assert is_range(written)
    first, last = read_date(written), read_date(written, end=True)
    assert first is not None and last is not None and (first.value, last.value) == (start, end)
    assert not is_range("2019-10") and not is_range("July 2025")
