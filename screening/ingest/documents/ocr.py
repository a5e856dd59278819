"""Stage 1 of 6 (ingest): optional OCR of image-only PDF pages (the 'ocr' extra, Tesseract).

A scanned resume has no text layer. When ``pytesseract`` (the 'ocr' extra) and the ``tesseract``
program (Debian: ``tesseract-ocr``) are installed, its pages are rendered by PDFium and read by
Tesseract; the note saying so reaches the report's document sources. Otherwise the document is
reported as unreadable in plain words. Tesseract gets most of the document's time limit
(``limits.document_timeout_seconds``), split over at most three pages.
"""

from __future__ import annotations

import shutil
import time
from typing import Any

from screening.ingest.documents.layout import Line

NO_TEXT = "no text layer: the resume could not be read"
_OCR_HINT = "; OCR is available with the 'ocr' extra and Debian's tesseract-ocr"
_SCALE = 300 / 72  # render at 300 dpi ...
_MAX_PIXELS = 40_000_000  # ... unless the page is so large that the bitmap would exceed this
_MAX_OCR_PAGES = 3


def ocr_pages(data: bytes, pages: int, max_chars: int, seconds: float) -> tuple[list[Line], str]:
    """Lines read by OCR and a note naming the source, or no lines and the reason.

    Only pages that hold images are read (a blank or damaged page has nothing to recognise),
    at most the first few; the ``tesseract`` program is looked up on the PATH, never run to
    find out whether it exists.
    """
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        images = [i for i in range(min(pages, len(document))) if _has_image(document[i])]
        if not images:
            return [], NO_TEXT + " (the pages hold neither text nor images)"
        try:
            import pytesseract
        except ImportError:
            return [], NO_TEXT + " (an image-only PDF)" + _OCR_HINT
        if shutil.which("tesseract") is None:
            return [], NO_TEXT + " (an image-only PDF)" + _OCR_HINT
        return _recognise(pytesseract, document, images[:_MAX_OCR_PAGES], max_chars, seconds)
    finally:
        document.close()


def _has_image(page: Any) -> bool:
    import pypdfium2.raw as raw

    try:
        return any(True for _ in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3))
    finally:
        page.close()


def _recognise(
    pytesseract: Any, document: Any, indexes: list[int], max_chars: int, seconds: float
) -> tuple[list[Line], str]:
    lines: list[Line] = []
    used = 0
    deadline = time.monotonic() + seconds
    for index in indexes:
        left = deadline - time.monotonic()
        if left < 1.0:
            break
        page = document[index]
        try:
            width, height = page.get_size()
            scale = min(_SCALE, (_MAX_PIXELS / max(width * height, 1.0)) ** 0.5)
            image = page.render(scale=scale).to_pil()
        finally:
            page.close()
        try:  # pytesseract ends the tesseract process itself when its time-out passes
            text = pytesseract.image_to_string(image, timeout=left)
        except RuntimeError:  # pytesseract's time-out
            break
        for raw in text.splitlines():
            if raw.strip() and used < max_chars:
                lines.append(Line(raw.strip(), page=index))
                used += len(raw)
    if not lines:
        return [], NO_TEXT + " (an image-only PDF; OCR found no text)"
    return lines, "text read by OCR (Tesseract): no text layer"
