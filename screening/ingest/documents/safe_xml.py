"""Stage 1 of 6 (ingest): parse the small XML parts of documents (DOCX app.xml, PDF XMP) safely.

Why this way: defusedxml is not a dependency, and the standard library's parser will expand
internal entities (the "billion laughs"). Office and XMP metadata never need a DTD, so any
document type declaration or entity declaration is refused before parsing, and the input is capped.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

MAX_XML_BYTES = 1024 * 1024
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class UnsafeXml(ValueError):
    """XML with a DTD or entity declaration, or larger than the cap."""


def has_dtd(data: bytes) -> bool:
    """Whether ``data`` declares a document type or entities."""
    return _DTD.search(data) is not None


def parse_xml(data: bytes) -> ET.Element | None:
    """The root element, ``None`` when the XML is malformed; ``UnsafeXml`` when refused."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXml(f"an XML part is larger than {MAX_XML_BYTES} bytes")
    if has_dtd(data):
        raise UnsafeXml("an XML part declares a DTD or entities (refused for safety)")
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None
