"""Stage 6 of 6: REPORT. ``Screening`` -> HTML, Markdown or JSON text, and batch summaries.

The last stage of the flow (ingest -> normalize -> analyze -> evaluate -> score -> report). It
decides nothing about the candidate: it lays out the signals, their evidence, the gaps (rules
not evaluated, analyzers that did not run) and where every list came from, and leaves a place
for the reviewer's resolution. All formats render one view-model (``build_view``), so templates
hold no logic and the formats cannot disagree.
"""

from __future__ import annotations

from screening.report.json_report import to_json_dict, view_to_json_dict
from screening.report.render import render, render_formats, render_view
from screening.report.summary import SummaryRow, render_summary_html, summary_csv
from screening.report.view import ReportView, build_view

__all__ = [
    "ReportView",
    "SummaryRow",
    "build_view",
    "render",
    "render_formats",
    "render_summary_html",
    "render_view",
    "summary_csv",
    "to_json_dict",
    "view_to_json_dict",
]
