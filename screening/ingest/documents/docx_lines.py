"""Stage 1 of 6 (ingest): the lines of a DOCX in reading order, with font size and weight.

python-docx's paragraph and table API skips text boxes (``w:txbxContent``), which resume
templates use for contact blocks and sidebars, so the body XML is walked here: paragraphs, table
rows (a row whose cells each hold one line becomes one tab-separated line, keeping a date cell
with its title), content controls, and text boxes after the paragraph that anchors them (only the
DrawingML choice of an ``mc:AlternateContent``, whose VML fallback repeats it). Page headers come
first and footers last, each part once. Size and weight come from the runs, else from the
paragraph style and its base styles.
"""

from __future__ import annotations

from typing import Any

from screening.ingest.documents.layout import Line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MAX_DEPTH = 12
_FALSE = ("0", "false", "off")


def docx_lines(document: Any, max_chars: int) -> list[Line]:
    """Header, body and footer lines, stopping after ``max_chars`` characters."""
    walker = _Walker(_style_fonts(document), max_chars)
    seen: set[int] = set()
    for section in document.sections:
        part = section.header
        if not part.is_linked_to_previous and id(part._element) not in seen:
            seen.add(id(part._element))
            walker.blocks(part._element, 0)
    walker.blocks(document.element.body, 0)
    for section in document.sections:
        part = section.footer
        if not part.is_linked_to_previous and id(part._element) not in seen:
            seen.add(id(part._element))
            walker.blocks(part._element, 0)
    return walker.lines


def _style_fonts(document: Any) -> dict[str, tuple[float, bool]]:
    """Paragraph style id -> (size in points, bold), following base styles."""
    fonts: dict[str, tuple[float, bool]] = {}
    try:
        styles = list(document.styles)
    except Exception:  # a damaged styles part: no style information
        return fonts
    for style in styles:
        size, bold, current, hops = 0.0, None, style, 0
        while current is not None and hops < _MAX_DEPTH:
            font = getattr(current, "font", None)
            if font is not None:
                if not size and font.size is not None:
                    size = font.size.pt
                if bold is None and font.bold is not None:
                    bold = bool(font.bold)
            current = getattr(current, "base_style", None)
            hops += 1
        name = (getattr(style, "name", "") or "").casefold()
        heading = name.startswith(("heading", "title"))
        fonts[style.style_id] = (size, bool(bold) or heading)
    return fonts


class _Walker:
    def __init__(self, fonts: dict[str, tuple[float, bool]], max_chars: int) -> None:
        self.fonts = fonts
        self.budget = max_chars
        self.lines: list[Line] = []

    def add(self, text: str, size: float, bold: bool) -> None:
        for piece in text.split("\n"):
            piece = piece.strip()
            if piece and self.budget > 0:
                piece = piece[: self.budget]
                self.budget -= len(piece) + 1
                self.lines.append(Line(piece, size, bold))

    def blocks(self, parent: Any, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        for child in parent.iterchildren():
            if self.budget <= 0:
                return
            tag = child.tag
            if tag == f"{_W}p":
                self.paragraph(child, depth)
            elif tag == f"{_W}tbl":
                self.table(child, depth)
            elif tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
                self.blocks(child, depth + 1)

    def paragraph(self, p: Any, depth: int) -> None:
        text, size, bold, boxes = self._paragraph(p)
        self.add(text, size, bold)
        for box in boxes:
            self.blocks(box, depth + 1)

    def _paragraph(self, p: Any) -> tuple[str, float, bool, list[Any]]:
        style_size, style_bold = 0.0, False
        ppr = p.find(f"{_W}pPr")
        if ppr is not None:
            style = ppr.find(f"{_W}pStyle")
            if style is not None:
                style_size, style_bold = self.fonts.get(style.get(f"{_W}val", ""), (0.0, False))
        parts: list[str] = []
        boxes: list[Any] = []
        size = 0.0
        bold_chars = chars = 0
        for run in p.iter(f"{_W}r"):
            if _inside_box(run, p):
                continue
            run_text = []
            for node in run:
                if node.tag == f"{_W}t" and node.text:
                    run_text.append(node.text)
                elif node.tag == f"{_W}tab":
                    run_text.append("\t")
                elif node.tag in (f"{_W}br", f"{_W}cr"):
                    run_text.append("\n")
            text = "".join(run_text)
            rpr = run.find(f"{_W}rPr")
            run_bold, run_size = style_bold, style_size
            if rpr is not None:
                b = rpr.find(f"{_W}b")
                if b is not None:
                    run_bold = b.get(f"{_W}val", "1").casefold() not in _FALSE
                sz = rpr.find(f"{_W}sz")
                value = sz.get(f"{_W}val", "") if sz is not None else ""
                if value.isdigit():
                    run_size = int(value) / 2
            if text.strip():
                chars += len(text)
                bold_chars += len(text) if run_bold else 0
                size = max(size, run_size)
            parts.append(text)
        for box in p.iter(f"{_W}txbxContent"):
            if not _in_fallback(box, p) and not _inside_box(box, p):
                boxes.append(box)
        return "".join(parts), size, chars > 0 and bold_chars * 2 > chars, boxes

    def table(self, tbl: Any, depth: int) -> None:
        for row in tbl.iterchildren(f"{_W}tr"):
            cells = list(row.iterchildren(f"{_W}tc"))
            simple: list[tuple[str, float, bool, list[Any]] | None] = []
            for cell in cells:
                paragraphs = [c for c in cell.iterchildren() if c.tag == f"{_W}p"]
                others = [c for c in cell.iterchildren() if c.tag == f"{_W}tbl"]
                texts = [self._paragraph(p) for p in paragraphs]
                filled = [t for t in texts if t[0].strip()]
                if (
                    others
                    or len(filled) > 1
                    or any(t[3] for t in texts)
                    or "\n" in "".join(t[0] for t in filled)
                ):
                    simple = []
                    break
                simple.append(filled[0] if filled else None)
            if simple and sum(1 for c in simple if c) > 0:
                shown = [c for c in simple if c]
                text = "\t".join(c[0].strip() for c in shown)
                bold = sum(len(c[0]) for c in shown if c[2]) * 2 > len(text)
                self.add(text, max(c[1] for c in shown), bold)
                continue
            for cell in cells:
                self.blocks(cell, depth + 1)


def _inside_box(node: Any, top: Any) -> bool:
    """True when ``node`` sits in a text box nested in ``top`` (read separately)."""
    parent = node.getparent()
    while parent is not None and parent is not top:
        if parent.tag == f"{_W}txbxContent":
            return True
        parent = parent.getparent()
    return False


def _in_fallback(node: Any, top: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not top:
        if parent.tag == f"{_MC}Fallback":
            return True
        parent = parent.getparent()
    return False
