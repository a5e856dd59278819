"""Stage 1 of 6 (ingest): text lines of a document in reading order, with font size and weight.

Resume structure is carried by layout as much as by words: the candidate's name is the largest
text near the top, headings are bold or larger than the body, and a two-column resume must be read
column by column, not across. Readers hand back ``Line`` objects; ``columns`` orders positioned
text fragments of one page (from the PDF reader) into reading order. The column test is generic:
a vertical gutter that no body line crosses, with text on both sides whose baselines do not line up
(a date column on the right of each entry shares its baselines with the entry and stays a row).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

# Fragments sharing a baseline within this share of the font size are one line.
_SAME_LINE = 0.45
_MIN_GUTTER = 6.0  # points of clear space between two columns
_MIN_SIDE = 4  # fragments each column needs
_ROW_SHARE = 0.5  # above this share of baselines shared across the gutter it is a table row
# ... or, for a left side much shorter than the right, above this share of its fragments: a
# column of section labels beside their content
_LABEL_SHARE = 0.7
_LABEL_COUNT_SHARE = 0.35


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text; ``size`` in points (0 when unknown), ``bold`` when most of it is."""

    text: str
    size: float = 0.0
    bold: bool = False
    page: int = 0
    column: int = 0  # 0: the full width (or a header band), 1: left column, 2: right column
    top: float = 0.0  # distance from the top of the page in points (0 when unknown)


@dataclass(frozen=True, slots=True)
class Fragment:
    """A run of text on one baseline of a page, with its box (y grows downwards)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool


def reading_order(fragments: list[Fragment], width: float, page: int) -> list[Line]:
    """Lines of one page: header band first, then each column top to bottom."""
    if not fragments:
        return []
    gutter = _gutter(fragments, width)
    if gutter is None:
        return _lines(fragments, page, 0)
    x, body_top = gutter
    head = [f for f in fragments if f.bottom <= body_top]
    body = [f for f in fragments if f.bottom > body_top]
    left = [f for f in body if f.x1 <= x]
    right = [f for f in body if f.x0 >= x]
    return _lines(head, page, 0) + _lines(left, page, 1) + _lines(right, page, 2)


def _gutter(fragments: list[Fragment], width: float) -> tuple[float, float] | None:
    """The x of a column gutter and the y where the columns start, or None for one column."""
    best: tuple[int, float, float] | None = None
    step = 2.0
    x = width * 0.15
    while x < width * 0.85:
        crossing = [f for f in fragments if f.x0 < x < f.x1]
        body_top = max((f.bottom for f in crossing), default=0.0)
        body = [f for f in fragments if f.top >= body_top]
        left = [f for f in body if f.x1 <= x - _MIN_GUTTER / 2]
        right = [f for f in body if f.x0 >= x + _MIN_GUTTER / 2]
        if (
            len(left) >= _MIN_SIDE
            and len(right) >= _MIN_SIDE
            and len(left) + len(right) == len(body)
            and len(body) * 2 >= len(fragments)
            and (best is None or len(body) > best[0])
            and not _rows(left, right)
        ):
            best = (len(body), x, body_top)
        x += step
    return (best[1], best[2]) if best else None


def _rows(left: list[Fragment], right: list[Fragment]) -> bool:
    """True when most fragments of either side sit on a baseline of the other: entries with a
    date column, or a column of labels beside their content, are rows and not columns."""
    labels = len(left) < _LABEL_COUNT_SHARE * len(right)
    # a date or place column holds little text beside its entries; two columns set in the same
    # type share baselines too, but each holds text of its own
    notes = _chars(right) < _LABEL_COUNT_SHARE * _chars(left)
    return (notes and _aligned(right, left) > _ROW_SHARE * len(right)) or (
        labels and _aligned(left, right) > _LABEL_SHARE * len(left)
    )


def _chars(fragments: list[Fragment]) -> int:
    return sum(len(f.text) for f in fragments)


def _aligned(these: list[Fragment], others: list[Fragment]) -> int:
    bottoms = sorted(f.bottom for f in others)
    shared = 0
    for f in these:
        tolerance = _SAME_LINE * max(f.size, 1.0)
        i = bisect.bisect_left(bottoms, f.bottom - tolerance)
        if i < len(bottoms) and bottoms[i] <= f.bottom + tolerance:
            shared += 1
    return shared


def _lines(fragments: list[Fragment], page: int, column: int) -> list[Line]:
    ordered = sorted(fragments, key=lambda f: (f.bottom, f.x0))
    groups: list[list[Fragment]] = []
    for frag in ordered:
        if groups:
            last = groups[-1]
            ref = last[0]
            if abs(frag.bottom - ref.bottom) <= _SAME_LINE * max(min(ref.size, frag.size), 1.0):
                last.append(frag)
                continue
        groups.append([frag])
    lines: list[Line] = []
    for group in groups:
        group.sort(key=lambda f: f.x0)
        parts: list[str] = []
        prev: Fragment | None = None
        for frag in group:
            if prev is not None:
                gap = frag.x0 - prev.x1
                # a wide gap, or a change of font size, separates two elements sharing a line
                apart = gap > prev.size * 1.5 or abs(frag.size - prev.size) > 0.2 * prev.size
                parts.append("\t" if apart else " ")
            parts.append(frag.text)
            prev = frag
        text = "".join(parts).strip()
        if not text:
            continue
        chars = sum(len(f.text) for f in group) or 1
        bold_chars = sum(len(f.text) for f in group if f.bold)
        size = max(f.size for f in group)
        top = min(f.top for f in group)
        lines.append(Line(text, round(size, 1), bold_chars * 2 > chars, page, column, top))
    return lines
