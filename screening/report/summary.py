"""Stage 6 of 6 (report): the summary of a batch, as an HTML page and as CSV.

``screening batch`` writes one report per application and this summary beside them: every
application ranked by score (ties by id, so the order is stable), a link to each report, the
inputs that could not be read, and how many applications fell in each band.

Names and ids are candidate-controlled. The HTML is autoescaped, and a row links to its report
only when the file name is a plain relative name (no scheme, no folder, no ``..``), so a crafted
value cannot become a ``javascript:`` link or point outside the batch folder. CSV cells that a
spreadsheet would run as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from screening.model.screening import Band
from screening.report.render import template
from screening.report.view import utc_display, utc_iso

CSV_HEADER = (
    "rank",
    "id",
    "name",
    "score",
    "band",
    "findings",
    "not_evaluated",
    "top_findings",
    "report",
    "input_notes",
    "input_note_kinds",
    "threats",
)

_PLAIN_FILE = re.compile(r"(?:reports/)?[A-Za-z0-9_][A-Za-z0-9_.-]{0,199}")
"""A report file name safe to link relatively: no scheme, not hidden, not ``..``, in the same
folder or in the batch's own ``reports/`` folder (where ``screening batch`` writes them)."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
"""Leading characters that make spreadsheet programs evaluate a cell (OWASP CSV injection)."""


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One screened application in a batch: its score, band, top findings and report file."""

    id: str
    name: str
    score: float
    band: str
    top_findings: tuple[str, ...]
    findings_count: int
    not_evaluated_count: int
    report_file: str | None
    input_notes: tuple[tuple[str, int], ...] = ()
    """How many input notes of each kind the application's reading produced."""
    threats: tuple[str, ...] = ()
    """Titles of threat findings: the applicant's files carry active content (shown first)."""

    @property
    def input_notes_text(self) -> str:
        """``date 2; country 1`` style, empty when the file was read as written."""
        return "; ".join(f"{kind} {count}" for kind, count in self.input_notes)


@dataclass(frozen=True, slots=True)
class _RankedRow:
    rank: int
    id: str
    name: str
    score_text: str
    band: str
    top_findings: tuple[str, ...]
    findings_count: int
    not_evaluated_count: int
    report_file: str
    href: str | None
    input_notes: int
    input_notes_text: str
    threats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _BandCount:
    band: str
    count: int


@dataclass(frozen=True, slots=True)
class _Failure:
    origin: str
    reason: str


@dataclass(frozen=True, slots=True)
class _SummaryView:
    heading: str
    generated_at: str
    generated_display: str
    rows: tuple[_RankedRow, ...]
    bands: tuple[_BandCount, ...]
    failures: tuple[_Failure, ...]
    total: int


def render_summary_html(
    rows: Sequence[SummaryRow],
    failures: Sequence[tuple[str, str]],
    generated_at: dt.datetime,
    *,
    templates: Path | None = None,
) -> str:
    """The batch summary page: ranked applications, failed inputs, counts per band."""
    ranked = _ranked(rows)
    counts = {str(b): 0 for b in Band}
    for row in ranked:
        counts[row.band] = counts.get(row.band, 0) + 1
    view = _SummaryView(
        heading="Batch summary: signals for review",
        generated_at=utc_iso(generated_at),
        generated_display=utc_display(generated_at),
        rows=tuple(
            _RankedRow(
                rank=rank,
                id=row.id,
                name=row.name,
                score_text=f"{row.score:.1f}",
                band=row.band,
                top_findings=row.top_findings,
                findings_count=row.findings_count,
                not_evaluated_count=row.not_evaluated_count,
                report_file=row.report_file or "",
                href=safe_relative_href(row.report_file),
                input_notes=sum(n for _, n in row.input_notes),
                input_notes_text=row.input_notes_text,
                threats=row.threats,
            )
            for rank, row in enumerate(ranked, start=1)
        ),
        bands=tuple(_BandCount(band, n) for band, n in counts.items()),
        failures=tuple(_Failure(origin, reason) for origin, reason in failures),
        total=len(ranked) + len(failures),
    )
    return template("summary.html.j2", templates).render(view=view)


def summary_csv(rows: Sequence[SummaryRow]) -> str:
    """The ranked batch as CSV for a spreadsheet, with formula injection neutralised."""
    out = io.StringIO()
    # RFC 4180 line ends: with "\r\n" as terminator the writer quotes cells holding either
    # character, so a name with a bare carriage return cannot start a new row.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for rank, row in enumerate(_ranked(rows), start=1):
        writer.writerow(
            (
                rank,
                _cell(row.id),
                _cell(row.name),
                f"{row.score:.1f}",
                _cell(row.band),
                row.findings_count,
                row.not_evaluated_count,
                _cell("; ".join(row.top_findings)),
                _cell(row.report_file or ""),
                sum(n for _, n in row.input_notes),
                row.input_notes_text,
                _cell("; ".join(row.threats)),
            )
        )
    return out.getvalue()


def safe_relative_href(report_file: str | None) -> str | None:
    """``report_file`` if it is a plain file name in the same folder, else None (not linked)."""
    if report_file is None or not _PLAIN_FILE.fullmatch(report_file) or ".." in report_file:
        return None
    return report_file


def _ranked(rows: Sequence[SummaryRow]) -> list[SummaryRow]:
    return sorted(rows, key=lambda r: (-r.score, r.id))


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
