"""Stage 1 of 6 (ingest): text lines and authorship metadata of a PDF resume ('documents' extra).

Text comes from PDFium (``pypdfium2``, Apache-2.0/BSD): chosen over pdfminer.six by measurement on
the resume corpus (tests/ingest/resumes), where it read the same characters five to seven times
faster, and it also renders pages for the optional OCR. Characters are grouped into positioned
fragments with their font size and weight, which ``layout`` puts into reading order (columns and
sidebars one after the other). A PDF whose pages carry no text at all is an image (a scan or a
"print to image" export): it is read by OCR when the 'ocr' extra and Tesseract are installed, and
otherwise reported as unreadable, never as an empty resume. Metadata stays with ``pypdf``.

Metadata matters as much as text here: an author or creator tool that names someone else, or a
creation date after the application, are signals for review. The info dictionary is read first;
XMP (``dc:creator``, ``xmp:CreatorTool``, dates) fills what it lacks. Only the first
``max_document_pages`` pages are read. Errors are left to the caller (``documents``), which turns
any library exception into a ``DocumentError`` under a time limit.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from typing import Any

from screening.ingest.documents.dates import parse_iso_date, parse_pdf_date
from screening.ingest.documents.extracted import Extracted, TextCollector, clean_meta
from screening.ingest.documents.safe_xml import MAX_XML_BYTES, UnsafeXml, parse_xml
from screening.model.application import DocumentMeta
from screening.model.limits import Limits

_RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
_DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_XMP = "{http://ns.adobe.com/xap/1.0/}"
_OCR_SHARE = 0.7  # of the document's time limit, left to OCR (the rest was text and metadata)


def read_pdf(data: bytes, limits: Limits) -> Extracted:
    """Text of the first pages and the document's metadata, or ``skipped`` when encrypted."""
    from pypdf import PdfReader  # the 'documents' extra; imported only when a PDF is read

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not _unlock(reader):
        return Extracted("", skipped="encrypted")
    meta, notes = _meta(reader)
    total = len(reader.pages)
    count = min(total, limits.max_document_pages)
    if total > count:
        notes.append(f"read the first {count} of {total} pages (limits.max_document_pages)")
    from screening.ingest.documents.pdf_text import page_lines

    lines, cut = page_lines(data, count, limits.max_document_chars)
    source = "text layer"
    if not lines and count:
        from screening.ingest.documents.ocr import ocr_pages

        seconds = limits.document_timeout_seconds * _OCR_SHARE
        lines, source = ocr_pages(data, count, limits.max_document_chars, seconds)
        if not lines:
            return Extracted("", meta, tuple(notes), skipped=source)
        notes.append(source)
    collector = TextCollector(limits.max_document_chars)
    collector.truncated = cut
    for i, line in enumerate(lines):
        if i and line.page != lines[i - 1].page:
            collector.add("")  # a blank line between pages
        collector.add(line.text)
    return Extracted(collector.text(), meta, (*notes, *collector.notes()), lines=tuple(lines))


def _unlock(reader: Any) -> bool:
    # Many "encrypted" PDFs only restrict printing and open with the empty user password.
    try:
        return bool(reader.decrypt(""))
    except Exception:  # e.g. AES without the 'cryptography' package: treat as locked
        return False


def _meta(reader: Any) -> tuple[DocumentMeta, list[str]]:
    try:
        info = reader.metadata
        fields = {
            "author": clean_meta(_info(info, "/Author")),
            "creator_tool": clean_meta(_info(info, "/Creator")),
            "producer": clean_meta(_info(info, "/Producer")),
            "created": parse_pdf_date(clean_meta(_info(info, "/CreationDate"))),
            "modified": parse_pdf_date(clean_meta(_info(info, "/ModDate"))),
        }
    except Exception:  # a broken info dictionary should not cost the text
        return DocumentMeta(), ["metadata unreadable"]
    notes: list[str] = []
    if None in (fields["author"], fields["creator_tool"], fields["created"], fields["modified"]):
        try:
            xmp = _xmp(reader)
        except UnsafeXml as exc:
            xmp = {}
            notes.append(f"XMP metadata ignored: {exc}")
        except Exception:
            xmp = {}
        fields["author"] = fields["author"] or clean_meta(xmp.get("author"))
        fields["creator_tool"] = fields["creator_tool"] or clean_meta(xmp.get("creator_tool"))
        fields["created"] = fields["created"] or parse_iso_date(xmp.get("created"))
        fields["modified"] = fields["modified"] or parse_iso_date(xmp.get("modified"))
    return DocumentMeta(**fields), notes


def _info(info: Any, key: str) -> object:
    if info is None:
        return None
    value = info.get(key)
    if hasattr(value, "get_object"):
        value = value.get_object()
    return value


def _xmp(reader: Any) -> dict[str, str]:
    root = reader.trailer["/Root"].get_object()
    ref = root.get("/Metadata")
    if ref is None:
        return {}
    stream = ref.get_object()
    declared = stream.get("/Length")
    if isinstance(declared, int) and declared > MAX_XML_BYTES:
        return {}
    element = parse_xml(stream.get_data())
    if element is None:
        return {}
    found = {
        "author": _dc_creator(element),
        "creator_tool": _xmp_value(element, "CreatorTool"),
        "created": _xmp_value(element, "CreateDate"),
        "modified": _xmp_value(element, "ModifyDate"),
    }
    return {key: value for key, value in found.items() if value}


def _dc_creator(root: ET.Element) -> str | None:
    for creator in root.iter(_DC_CREATOR):
        for item in creator.iter(f"{_RDF}li"):
            if item.text and item.text.strip():
                return item.text
        if creator.text and creator.text.strip():
            return creator.text
    return None


def _xmp_value(root: ET.Element, name: str) -> str | None:
    """``xmp:Name`` written as an element or as an attribute of ``rdf:Description``."""
    tag = _XMP + name
    for element in root.iter():
        if element.tag == tag and element.text and element.text.strip():
            return element.text
        attribute = element.get(tag)
        if attribute:
            return attribute
    return None
