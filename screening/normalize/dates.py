"""Partial dates ("2019", "2019-03", "2019-03-14", "present") to ``YearMonth`` and periods."""

from __future__ import annotations

from screening.model.normalized import Period, YearMonth


def year_month(text: str | None) -> YearMonth | None:
    """Parse a contract partial date (already validated); None for missing or 'present'."""
    if not text or text == "present":
        return None
    parts = text.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return YearMonth(year, 1, "year")
    return YearMonth(year, int(parts[1]), "day" if len(parts) == 3 else "month")


def period(start: str | None, end: str | None) -> Period:
    """A period; an end of 'present' marks it current."""
    return Period(start=year_month(start), end=year_month(end), current=end == "present")
