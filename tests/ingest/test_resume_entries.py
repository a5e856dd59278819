"""Entry heads as real resumes set them: wrapped heads, title and employer on styled lines of
their own, long heads that list their elements, employers named only in the description, and
undated education. Snippets written for these tests."""

from __future__ import annotations

import pytest

from screening.ingest.documents.layout import Line
from screening.ingest.resume.entries import employer_in, read_entries


def _read(rows: list[tuple[str, float, bool]], education: bool = False) -> list[tuple[object, ...]]:
    lines = [Line(text, size, bold) for text, size, bold in rows]
    return [(e.organisation, e.role, e.start, e.end) for e in read_entries(lines, education)]


def test_title_line_with_a_dash_keeps_the_employer_line_below() -> None:
    rows = [
        ("Delivery Lead - Platform Engineer", 16.0, True),
        ("Harbour Logistics", 11.0, True),
        ("Feb 2021 – Present", 11.0, False),
        ("Ran the migration of the routing service to the new cluster.", 11.0, False),
        ("Data Analyst, Part-time", 16.0, True),
        ("Norden Bakery Co", 11.0, True),
        ("Jan 2019 – Jan 2021", 11.0, False),
        ("Built the weekly sales dashboards for the owners.", 11.0, False),
    ]
    assert _read(rows) == [
        ("Harbour Logistics", "Delivery Lead - Platform Engineer", "2021-02", "present"),
        ("Norden Bakery Co", "Data Analyst, Part-time", "2019-01", "2021-01"),
    ]


def test_a_styled_head_that_wraps_is_one_line() -> None:
    rows = [
        ("School of Engineering and Applied Sciences,", 16.0, True),
        ("University of Eastfield", 16.0, True),
        ("Sep 2012 – Jun 2016", 11.0, False),
        ("Thesis on sensor networks and other topics of interest here.", 11.0, False),
        ("specialist for accessibility of public", 16.0, True),
        ("websites and services", 16.0, True),
        ("Oct 2016 – Jun 2018", 11.0, False),
        ("Audited portals of the ministries and wrote the guidelines.", 11.0, False),
    ]
    [school, other] = _read(rows, education=True)
    assert school[0] == "School of Engineering and Applied Sciences, University of Eastfield"
    assert other[0] == "specialist for accessibility of public websites and services"


def test_a_long_head_listing_degree_and_school_is_a_head() -> None:
    rows = [
        ("Bachelor of Science in Applied Computer Science and Statistics — "
         "Northgate Institute of Technology", 11.0, True),
        ("09/2014 – 06/2018", 11.0, False),
        ("Diploma in Marine Navigation, Advanced Certificate, Coastal Maritime College", 11.0,
         True),
        ("2010 – 2013", 11.0, False),
    ]  # fmt: skip
    assert _read(rows, education=True) == [
        ("Northgate Institute of Technology",
         "Bachelor of Science in Applied Computer Science and Statistics", "2014-09", "2018-06"),
        ("Diploma in Marine Navigation, Advanced Certificate, Coastal Maritime College", None,
         "2010", "2013"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("description", "employer"),
    [
        ("At Brightwave Labs, I led the payments team.", "Brightwave Labs"),
        ("At Kestrel I'm in charge of the mobile apps.", "Kestrel"),
        ("Tallyho is a marketplace for used bikes. I wrote its search.", "Tallyho"),
        ("Nordlicht GmbH ist ein Hersteller von Leuchten.", "Nordlicht GmbH"),
        ("Chez Boulanger Frères, j'ai géré la paie.", "Boulanger Frères"),
        ("Developed the checkout, which is a critical path.", None),
        ("At first I worked on the backend.", None),
        ("We built a scheduling tool for clinics.", None),
        ("The company is a leader in logistics.", None),
    ],
)
def test_employer_named_only_in_the_description(description: str, employer: str | None) -> None:
    assert employer_in(description) == employer


def test_an_entry_without_an_employer_line_takes_it_from_its_description() -> None:
    rows = [
        ("Mobile Developer", 14.0, True),
        ("Mar 2017 – Dec 2018", 10.0, False),
        ("At Pinecone Studio I wrote the iOS and Android apps from scratch.", 10.0, False),
        ("Senior Developer", 14.0, True),
        ("Acme Robotics", 10.0, True),
        ("Jan 2019 – Present", 10.0, False),
        ("At the start I was the only developer.", 10.0, False),
    ]
    assert _read(rows) == [
        ("Pinecone Studio", "Mobile Developer", "2017-03", "2018-12"),
        ("Acme Robotics", "Senior Developer", "2019-01", "present"),
    ]


def test_a_long_dash_separates_title_and_employer_and_keeps_a_hyphen_in_the_name() -> None:
    rows = [
        ("Data Engineer — Kessler Foods - Analytics Team\tMar 2019 – Jun 2021", 10.0, True),
        ("Kept the nightly loads running.", 10.0, False),
        ("Developer - Brightline Media\tJan 2017 – Feb 2019", 10.0, True),
        ("Wrote the ad server.", 10.0, False),
    ]
    assert _read(rows) == [
        ("Kessler Foods - Analytics Team", "Data Engineer", "2019-03", "2021-06"),
        ("Brightline Media", "Developer", "2017-01", "2019-02"),
    ]
