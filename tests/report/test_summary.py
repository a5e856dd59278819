"""Batch summary: ranking, safe links, failures listed, CSV that spreadsheets will not execute."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable

import pytest
from report_fixtures import Doc

from screening.report import SummaryRow, render_summary_html, summary_csv

Parse = Callable[[str], Doc]
WHEN = dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.UTC)


def row(
    id: str, score: float, band: str = "medium", name: str = "Sam Lee", report: str | None = None
) -> SummaryRow:
    return SummaryRow(
        id=id,
        name=name,
        score=score,
        band=band,
        top_findings=("VoIP number registered outside the claimed country",),
        findings_count=3,
        not_evaluated_count=1,
        report_file=report if report is not None else f"{id}.html",
    )


ROWS = [
    row("b-2", 40.0),
    row("a-1", 91.2, "critical"),
    row("c-3", 40.0),
    row("d-4", 12.5, "low"),
]


def test_rows_are_ranked_by_score_then_id(parse_html: Parse) -> None:
    doc = parse_html(render_summary_html(ROWS, [], WHEN))
    links = [a.get("href") for a in doc.tags("a")]
    assert links == ["a-1.html", "b-2.html", "c-3.html", "d-4.html"]
    table = doc.text_by_id["applications"]
    assert table.index("a-1") < table.index("b-2") < table.index("c-3") < table.index("d-4")
    assert "1 Sam Lee a-1 91.2 critical" in table


def test_csv_ranking_and_header() -> None:
    records = list(csv.reader(io.StringIO(summary_csv(ROWS))))
    assert records[0] == [
        "rank", "id", "name", "score", "band", "findings", "not_evaluated", "top_findings",
        "report", "input_notes", "input_note_kinds", "threats",
    ]  # fmt: skip
    assert [r[:2] for r in records[1:]] == [["1", "a-1"], ["2", "b-2"], ["3", "c-3"], ["4", "d-4"]]
    assert records[1][3:] == [
        "91.2", "critical", "3", "1", "VoIP number registered outside the claimed country",
        "a-1.html", "0", "", "",
    ]  # fmt: skip


def test_csv_counts_input_notes_by_kind() -> None:
    noted = SummaryRow("n-1", "Ana", 5.0, "low", (), 0, 0, None, (("country", 1), ("date", 2)))
    (record,) = list(csv.reader(io.StringIO(summary_csv([noted]))))[1:]
    assert record[9:] == ["3", "country 1; date 2", ""]


def test_threats_are_flagged_first_in_the_row(parse_html: Parse) -> None:
    threat = SummaryRow(
        "t-1", "Kim", 60.0, "high", (), 1, 0, "t-1.html", threats=("Office File With Macros",)
    )
    (record,) = list(csv.reader(io.StringIO(summary_csv([threat]))))[1:]
    assert record[-1] == "Office File With Macros"
    table = parse_html(render_summary_html([threat], [], WHEN)).text_by_id["applications"]
    assert table.index("Active content: do not open its files") < table.index("Kim")


def test_band_counts_and_failures(parse_html: Parse) -> None:
    failures = [("inbox/broken.json", "application.name: field required"), ("<b>x</b>.csv", "bad")]
    doc = parse_html(render_summary_html(ROWS, failures, WHEN))
    assert doc.text_by_id["bands"] == "low medium high critical 1 2 0 1"
    failed = doc.text_by_id["failures"]
    assert "inbox/broken.json application.name: field required" in failed
    assert "<b>x</b>.csv bad" in failed  # shown as text, not markup
    assert doc.tags("b") == []
    assert (
        "Generated 2024-06-01 09:30 UTC · 6 inputs · 4 screened · 2 could not be read" in doc.text
    )


def test_empty_batch(parse_html: Parse) -> None:
    doc = parse_html(render_summary_html([], [], WHEN))
    assert "No application was screened." in doc.text
    assert "Every input was read." in doc.text


@pytest.mark.parametrize(
    "report",
    [
        "javascript:alert(1)",
        "../x.html",
        "..",
        "/etc/passwd",
        "sub/dir.html",
        "C:\\x.html",
        "https://evil.example/r.html",
        ".hidden.html",
        "a b.html",
        '"onmouseover="alert(1).html',
    ],
)
def test_unsafe_report_files_are_not_linked(report: str, parse_html: Parse) -> None:
    doc = parse_html(render_summary_html([row("a-1", 50.0, report=report)], [], WHEN))
    assert doc.tags("a") == []
    assert f"{report} (not linked)" in doc.text
    assert all(not k.startswith("on") for _, attrs in doc.elements for k in attrs)


def test_hostile_names_are_escaped(parse_html: Parse) -> None:
    name = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
    text = render_summary_html([row("a-1", 50.0, name=name)], [], WHEN)
    doc = parse_html(text)
    assert doc.tags("img") == [] and doc.tags("script") == []
    assert name in doc.text_by_id["applications"]


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("https://evil.example")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_formula_injection_is_neutralised(value: str) -> None:
    hostile = SummaryRow(value, value, 10.0, "low", (value,), 1, 0, value)
    (record,) = list(csv.reader(io.StringIO(summary_csv([hostile]), newline="")))[1:]
    assert record[1] == record[2] == record[7] == record[8] == "'" + value
    assert record[3] == "10.0"


def test_csv_leaves_ordinary_text_alone() -> None:
    plain = SummaryRow("x-1", "Ana María O'Neil", 10.0, "low", ("A", "B"), 2, 0, None)
    (record,) = list(csv.reader(io.StringIO(summary_csv([plain]))))[1:]
    assert record[1:3] == ["x-1", "Ana María O'Neil"]
    assert record[7] == "A; B"
    assert record[8] == ""


def test_csv_line_breaks_in_names_cannot_add_rows() -> None:
    rows = [row("a-1", 50.0, name="Sam\nLee"), row("b-2", 40.0, name="Kim\r=1+1")]
    text = summary_csv(rows)
    records = list(csv.reader(io.StringIO(text, newline="")))
    assert len(records) == 3
    assert records[1][2] == "Sam\nLee" and records[2][2] == "Kim\r=1+1"
    assert text.endswith("\r\n")


def test_summary_has_no_verdict_words() -> None:
    text = render_summary_html(ROWS, [("inbox/broken.json", "unreadable")], WHEN).lower()
    text += summary_csv(ROWS).lower()
    assert not any(word in text for word in ("fraud", "reject", "fake"))
