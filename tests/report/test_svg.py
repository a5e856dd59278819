"""The inline SVG charts: well-formed, escaped, and sane on odd work histories."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from screening.report.svg import MAX_ROLES, TimelineRole, category_chart, employment_timeline

NS = {"s": "http://www.w3.org/2000/svg"}
TODAY = dt.date(2024, 6, 1)


def parse(svg: str) -> ET.Element:
    """Parse as XML: escaping mistakes in an SVG show up as parse errors or stray elements."""
    return ET.fromstring(svg)


def role(employer: str, start: dt.date, end: dt.date | None, current: bool = False) -> TimelineRole:
    return TimelineRole(employer, "Engineer", start, end, current)


def labels(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iterfind("s:text", NS)]


def bars(root: ET.Element) -> list[ET.Element]:
    return list(root.iterfind("s:g/s:rect", NS))


def test_category_chart_bars_and_labels() -> None:
    svg = category_chart([("infrastructure", 67.5), ("identity", 0.0), ("device", 100.0)])
    assert isinstance(svg, Markup)
    root = parse(svg)
    texts = labels(root)
    for expected in ("infrastructure", "67.5", "identity", "0.0", "device", "100.0", "0", "100"):
        assert expected in texts
    widths = [float(r.get("width", "0")) for r in root.iterfind("s:rect", NS)]
    # Track + bar per category: bar widths scale 0-100 onto the track width.
    track = widths[0]
    assert widths[1::2] == [pytest.approx(track * 0.675, abs=0.1), 0.0, pytest.approx(track)]
    assert root.find("s:title", NS) is not None


def test_category_chart_clamps_out_of_range_values() -> None:
    root = parse(category_chart([("identity", 140.0), ("device", -5.0)]))
    widths = [float(r.get("width", "0")) for r in root.iterfind("s:rect", NS)]
    assert widths[1] == widths[0] and widths[3] == 0.0


def test_no_roles_no_svg() -> None:
    assert employment_timeline([], TODAY) is None


def test_one_role() -> None:
    root = parse(
        employment_timeline([role("Example Corp", dt.date(2020, 3, 1), dt.date(2022, 1, 1))], TODAY)
        or ""
    )
    assert "Example Corp" in labels(root)
    assert len(bars(root)) == 1
    assert "2020" in labels(root) and "2023" in labels(root)


def test_overlapping_roles_are_shaded_and_ongoing_role_reaches_report_date() -> None:
    roles = [
        role("Example Corp", dt.date(2016, 1, 1), dt.date(2020, 6, 30)),
        role("Sample Labs", dt.date(2019, 3, 1), None, current=True),
    ]
    root = parse(employment_timeline(roles, TODAY) or "")
    first, second = bars(root)
    end_first = float(first.get("x", "0")) + float(first.get("width", "0"))
    start_second = float(second.get("x", "0"))
    assert start_second < end_first  # the bars overlap on the time axis
    shading = [r for r in root.iterfind("s:rect", NS) if r.get("fill") == "#fde68a"]
    # One band for the overlap (plus the legend swatch).
    overlap = [r for r in shading if float(r.get("height", "0")) > 12]
    assert len(overlap) == 1
    assert float(overlap[0].get("x", "0")) == pytest.approx(start_second, abs=0.1)
    assert float(overlap[0].get("width", "0")) == pytest.approx(end_first - start_second, abs=0.2)
    # The ongoing bar ends at the report-date line.
    line = next(ln for ln in root.iterfind("s:line", NS) if ln.get("stroke") == "#111827")
    ongoing_end = float(second.get("x", "0")) + float(second.get("width", "0"))
    assert ongoing_end == pytest.approx(float(line.get("x1", "0")), abs=0.2)


def test_roles_that_touch_do_not_overlap() -> None:
    roles = [
        role("A", dt.date(2016, 1, 1), dt.date(2018, 1, 1)),
        role("B", dt.date(2018, 1, 1), dt.date(2020, 1, 1)),
    ]
    root = parse(employment_timeline(roles, TODAY) or "")
    assert [r for r in root.iterfind("s:rect", NS) if float(r.get("height", "0")) > 12] == []


def test_forty_years_uses_readable_ticks() -> None:
    roles = [
        role(f"Employer {i}", dt.date(1984 + 10 * i, 1, 1), dt.date(1993 + 10 * i, 1, 1))
        for i in range(4)
    ]
    roles.append(role("Now", dt.date(2020, 1, 1), None, current=True))
    root = parse(employment_timeline(roles, TODAY) or "")
    years = [int(t) for t in labels(root) if t.isdigit()]
    assert years[0] >= 1984 and years[-1] <= 2025
    assert 3 <= len(years) <= 11
    assert len(bars(root)) == 5


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2022, 1, 1), dt.date(2020, 1, 1)),
        (dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        (dt.date(9999, 12, 31), None),
        (dt.date(2024, 6, 1), dt.date(2024, 6, 1)),
    ],
)
def test_absurd_dates_do_not_crash(start: dt.date, end: dt.date | None) -> None:
    svg = employment_timeline([role("Example Corp", start, end)], TODAY)
    assert svg is not None
    root = parse(svg)
    assert "Example Corp" in labels(root)


def test_start_after_end_draws_a_marker_not_a_bar() -> None:
    svg = employment_timeline(
        [role("Example Corp", dt.date(2022, 1, 1), dt.date(2020, 1, 1))], TODAY
    )
    root = parse(svg or "")
    assert bars(root) == []
    (group,) = root.iterfind("s:g", NS)
    marker = group.find("s:path", NS)
    assert marker is not None and marker.get("fill") == "#b91c1c"
    title = group.find("s:title", NS)
    assert title is not None and (title.text or "").endswith("(start after end)")


def test_many_roles_are_capped() -> None:
    roles = [
        role(f"E{i}", dt.date(2000, 1, 1) + dt.timedelta(days=30 * i), None)
        for i in range(MAX_ROLES + 10)
    ]
    root = parse(employment_timeline(roles, TODAY) or "")
    assert len(bars(root)) == MAX_ROLES
    desc = root.find("s:desc", NS)
    assert desc is not None and f"{MAX_ROLES} of {MAX_ROLES + 10} roles" in (desc.text or "")


@pytest.mark.parametrize(
    "employer",
    ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "A & B </text></svg><b>x"],
)
def test_candidate_text_is_escaped(employer: str) -> None:
    svg = employment_timeline([role(employer, dt.date(2019, 1, 1), dt.date(2021, 1, 1))], TODAY)
    assert svg is not None
    root = parse(svg)  # well-formed: nothing broke out of its element
    assert "<script" not in svg and "<img" not in svg and "<b>" not in svg
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert tags <= {"svg", "title", "desc", "rect", "line", "text", "g", "path"}
    assert any(t.startswith(employer[:10]) for t in labels(root))
    tooltip = root.find("s:g/s:title", NS)
    assert tooltip is not None and (tooltip.text or "").startswith(employer)
