"""Stage 1 of 6 (ingest): positioned text of PDF pages through PDFium, in reading order.

Each character's box, baseline, font size, weight and font name come from PDFium's text page;
characters on one baseline without a wide gap become a ``Fragment`` (a gap wider than one and a
half characters ends it, which keeps a right-aligned date apart from its title), and ``layout``
orders the fragments. Letter-spaced headings are kept as drawn; the resume reader rejoins them.
Reading stops once ``max_chars`` characters were taken.
"""

from __future__ import annotations

import ctypes
from typing import Any

from screening.ingest.documents.layout import Fragment, Line, reading_order

_GAP = 1.5  # a horizontal gap wider than this many font sizes starts a new fragment
_BOLD_WEIGHT = 600
_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")
_FONT_BUF = 128


def page_lines(data: bytes, pages: int, max_chars: int) -> tuple[list[Line], bool]:
    """Lines of the first ``pages`` pages, each page in reading order, and whether the
    character budget cut the text short."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        lines: list[Line] = []
        budget = max_chars
        cut = False
        last = min(pages, len(document))
        for index in range(last):
            page = document[index]
            try:
                width, height = page.get_size()
                fragments, used, cut = _fragments(page, height, budget)
                budget -= used
                lines.extend(reading_order(fragments, width, index))
            finally:
                page.close()
            if budget <= 0:
                cut = cut or index + 1 < last
                break
        return lines, cut
    finally:
        document.close()


def _fragments(page: Any, height: float, budget: int) -> tuple[list[Fragment], int, bool]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        available = textpage.count_chars()
        count = min(available, max(budget, 0))
        out: list[Fragment] = []
        buf = ctypes.create_string_buffer(_FONT_BUF)
        flags = ctypes.c_int()
        x = ctypes.c_double()
        y = ctypes.c_double()
        chars: list[str] = []
        box: list[float] = []
        size = 0.0
        bold = False
        baseline = 0.0
        last_x1 = 0.0
        font_key: tuple[int, float] = (-2, 0.0)

        def flush() -> None:
            # PDFium gives UTF-16 code units: a pair is one character (an emoji), a lone one is junk
            joined = (
                "".join(chars).encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
            )
            text = joined.strip()
            if text:
                out.append(Fragment(text, box[0], box[1], box[2], box[3], size, bold))
            chars.clear()

        for i in range(count):
            code = raw.FPDFText_GetUnicode(textpage.raw, i)
            if code in (0x0D, 0x0A) or code == 0xFFFE:
                continue
            char = chr(code) if code < 0x110000 else "\ufffd"
            char_size = raw.FPDFText_GetFontSize(textpage.raw, i)
            if char.isspace() or char_size <= 1.0:
                if chars:
                    chars.append(" ")
                continue
            left, _bottom, right, top = textpage.get_charbox(i)
            raw.FPDFText_GetCharOrigin(textpage.raw, i, ctypes.byref(x), ctypes.byref(y))
            base = height - y.value
            weight = raw.FPDFText_GetFontWeight(textpage.raw, i)
            key = (weight, char_size)
            if key != font_key:
                font_key = key
                raw.FPDFText_GetFontInfo(textpage.raw, i, buf, _FONT_BUF, ctypes.byref(flags))
                name = buf.value.decode("latin-1", "replace").casefold()
                char_bold = weight >= _BOLD_WEIGHT or any(b in name for b in _BOLD_NAMES)
            if chars and (
                abs(base - baseline) > 0.45 * max(size, char_size)
                or left - last_x1 > _GAP * max(size, char_size)
                or left < box[0] - size
                or abs(char_size - size) > 0.2 * size
            ):
                flush()
            if not chars:
                box = [left, height - top, right, base]
                size, bold, baseline = char_size, char_bold, base
            else:
                box[0] = min(box[0], left)
                box[1] = min(box[1], height - top)
                box[2] = max(box[2], right)
                size = max(size, char_size)
                bold = bold and char_bold
            chars.append(char)
            last_x1 = right
        flush()
        return out, count, available > count
    finally:
        textpage.close()
