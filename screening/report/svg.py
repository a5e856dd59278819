"""Stage 6 of 6 (report): the two inline SVG charts of the HTML report.

The HTML report must be self-contained and printable, so its charts are inline SVG built here as
text. Candidate-supplied text (employer names and titles above all) ends up inside these strings
and the template inserts them unescaped, so every text piece goes through ``markupsafe.escape``
and only numbers we formatted ourselves are written raw; the finished string is marked safe once,
at the end. Both builders are plain string assembly: no XML library, no per-call compilation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

CHART_WIDTH = 640
MAX_ROLES = 40
"""Rows drawn in the timeline; hostile input may carry many more roles than a chart can show."""

_LABEL_CHARS = 26
_TOOLTIP_CHARS = 200
_TICK_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
_MAX_TICKS = 10
_FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif\""


@dataclass(frozen=True, slots=True)
class TimelineRole:
    """One role to draw: who, what, from when to when (``end`` None means not given)."""

    employer: str
    title: str
    start: dt.date
    end: dt.date | None
    current: bool


def category_chart(scores: Sequence[tuple[str, float]]) -> Markup:
    """Horizontal bars of score (0-100) per category, so the reviewer sees where risk sits."""
    label_w, value_w, row_h, top = 130, 50, 28, 26
    bar_w = CHART_WIDTH - label_w - value_w - 10
    height = top + row_h * len(scores) + 8
    desc = "; ".join(f"{name} {value:.1f} of 100" for name, value in scores)
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {CHART_WIDTH} '
        f'{height}" width="{CHART_WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="cat-title cat-desc" {_FONT} font-size="13">',
        '<title id="cat-title">Score by category (0 to 100)</title>',
        f'<desc id="cat-desc">{escape(desc)}</desc>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" '
            'stroke="#9ca3af" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" fill="#374151" '
            f'font-size="11">{tick}</text>'
        )
    for i, (name, value) in enumerate(scores):
        y = top + i * row_h
        clamped = min(max(value, 0.0), 100.0)
        width = bar_w * clamped / 100
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 18}" text-anchor="end" fill="#111827">'
            f"{escape(name)}</text>"
            f'<rect x="{label_w}" y="{y + 5}" width="{bar_w}" height="18" fill="#f3f4f6"/>'
            f'<rect x="{label_w}" y="{y + 5}" width="{width:.1f}" height="18" fill="#1e40af"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 18}" fill="#111827">{value:.1f}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def employment_timeline(roles: Sequence[TimelineRole], report_date: dt.date) -> Markup | None:
    """One bar per role across the years, so overlaps and gaps in a work history show at a glance.

    Roles without an end are drawn to ``report_date``. A role whose start is after its end is
    drawn as a marker at its start instead of a bar. Returns None when there is nothing to draw.
    """
    if not roles:
        return None
    shown = sorted(roles, key=lambda r: (r.start, r.end or report_date, r.employer))[:MAX_ROLES]
    spans = [(r, r.end or report_date) for r in shown]
    lo = min(min(r.start, end) for r, end in spans)
    hi = max(max(r.start, end) for r, end in spans)
    lo_year, hi_year = lo.year, hi.year + 1
    top, row_h = 30, 24
    axis = _Axis(_year_ordinal(lo_year), _year_ordinal(hi_year), 200, CHART_WIDTH - 220)
    rows_h = row_h * len(shown)
    height = top + rows_h + 34

    desc = f"Employment history, {len(shown)} of {len(roles)} roles, {lo_year} to {hi_year}."
    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {CHART_WIDTH} '
        f'{height}" width="{CHART_WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="tl-title tl-desc" {_FONT} font-size="12">',
        '<title id="tl-title">Employment timeline</title>',
        f'<desc id="tl-desc">{escape(desc)}</desc>',
    ]
    for start, end in _overlaps(spans):
        x1, x2 = axis.x(start), axis.x(end)
        parts.append(
            f'<rect x="{x1:.1f}" y="{top - 4}" width="{max(x2 - x1, 1.0):.1f}" '
            f'height="{rows_h + 8}" fill="#fde68a"/>'
        )
    step = next((s for s in _TICK_STEPS if (hi_year - lo_year) / s <= _MAX_TICKS), 10_000)
    for year in range(-(-lo_year // step) * step, hi_year + 1, step):
        x = axis.x_ordinal(_year_ordinal(year))
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{top + rows_h}" '
            'stroke="#9ca3af" stroke-width="1" stroke-dasharray="2 3"/>'
            f'<text x="{x:.1f}" y="{top - 12}" text-anchor="middle" fill="#374151" '
            f'font-size="11">{year}</text>'
        )
    if lo <= report_date <= hi:
        x = axis.x(report_date)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + rows_h + 4}" '
            'stroke="#111827" stroke-width="1.5"/>'
        )
    for i, (role, end) in enumerate(spans):
        parts.append(_role_row(role, end, top + i * row_h, axis))
    legend_y = top + rows_h + 22
    parts.append(
        f'<rect x="10" y="{legend_y - 10}" width="12" height="12" fill="#fde68a"/>'
        f'<text x="28" y="{legend_y}" fill="#111827">overlapping roles</text>'
        f'<rect x="160" y="{legend_y - 8}" width="20" height="8" fill="#0f766e"/>'
        f'<text x="186" y="{legend_y}" fill="#111827">ongoing or no end</text>'
        f'<rect x="320" y="{legend_y - 10}" width="2" height="12" fill="#111827"/>'
        f'<text x="328" y="{legend_y}" fill="#111827">report date</text>'
        f'<path d="M450,{legend_y - 11} l6,6 l-6,6 l-6,-6 z" fill="#b91c1c"/>'
        f'<text x="462" y="{legend_y}" fill="#111827">start after end</text>'
        "</svg>"
    )
    return Markup("".join(parts))


@dataclass(frozen=True, slots=True)
class _Axis:
    """Maps day ordinals in [lo, hi) to x positions in [left, left + width)."""

    lo: int
    hi: int
    left: int
    width: int

    def x_ordinal(self, ordinal: int) -> float:
        return self.left + self.width * (ordinal - self.lo) / (self.hi - self.lo)

    def x(self, day: dt.date) -> float:
        return self.x_ordinal(day.toordinal())


def _role_row(role: TimelineRole, end: dt.date, y: int, axis: _Axis) -> str:
    label = escape(_clip(role.employer, _LABEL_CHARS))
    until = end.isoformat() if role.end is not None else "present" if role.current else "no end"
    tooltip = escape(
        _clip(f"{role.employer}, {role.title}: {role.start.isoformat()} to {until}", _TOOLTIP_CHARS)
    )
    head = f'<text x="{axis.left - 8}" y="{y + 16}" text-anchor="end" fill="#111827">{label}</text>'
    x1 = axis.x(role.start)
    if end < role.start:
        return (
            f"{head}<g><title>{tooltip} (start after end)</title>"
            f'<path d="M{x1:.1f},{y + 4} l8,8 l-8,8 l-8,-8 z" fill="#b91c1c"/></g>'
        )
    width = max(axis.x(end) - x1, 2.0)
    fill = "#1e40af" if role.end is not None else "#0f766e"
    row = (
        f"{head}<g><title>{tooltip}</title>"
        f'<rect x="{x1:.1f}" y="{y + 5}" width="{width:.1f}" height="14" rx="2" fill="{fill}"/>'
    )
    if role.end is None:
        row += f'<path d="M{x1 + width:.1f},{y + 3} l7,9 l-7,9 z" fill="{fill}"/>'
    return row + "</g>"


def _overlaps(spans: Sequence[tuple[TimelineRole, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Periods covered by two or more well-formed roles (a sweep over start/end events)."""
    events: list[tuple[int, int]] = []
    for role, end in spans:
        if end > role.start:
            events.append((role.start.toordinal(), 1))
            events.append((end.toordinal(), -1))
    events.sort(key=lambda e: (e[0], e[1]))
    out: list[tuple[dt.date, dt.date]] = []
    depth, opened = 0, 0
    for ordinal, delta in events:
        if depth >= 2 and depth + delta < 2 and ordinal > opened:
            out.append((dt.date.fromordinal(opened), dt.date.fromordinal(ordinal)))
        if depth < 2 <= depth + delta:
            opened = ordinal
        depth += delta
    return out


def _year_ordinal(year: int) -> int:
    """Ordinal of 1 January ``year``; one past the last day for the year after 9999."""
    if year > dt.MAXYEAR:
        return dt.date.max.toordinal() + 1
    return dt.date(year, 1, 1).toordinal()


def _clip(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters, single-line (labels must not break the chart)."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
