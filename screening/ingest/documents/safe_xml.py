"""Stage 1 of 6 (ingest): every XML part of a document parsed safely by construction.

Why this way: the standard library's parser expands internal entities (the "billion laughs"),
and a scan of the first bytes for ``<!DOCTYPE`` depends on where the declaration sits. Every XML
part (DOCX parts, PDF XMP metadata) goes through defusedxml with DTDs, entity declarations and
external references forbidden, so a part that declares any of them is refused wherever the
declaration is; Office and XMP documents never need one. Parts are also capped in size.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

MAX_XML_BYTES = 1024 * 1024
_REFUSED = "an XML part declares a DTD or entities (refused for safety)"


class UnsafeXml(ValueError):
    """XML with a DTD or entity declaration, or larger than the cap."""


def parse_xml(data: bytes) -> ET.Element | None:
    """The root element, ``None`` when the XML is malformed; ``UnsafeXml`` when refused."""
    if len(data) > MAX_XML_BYTES:
        raise UnsafeXml(f"an XML part is larger than {MAX_XML_BYTES} bytes")
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise UnsafeXml(_REFUSED) from None
    except ET.ParseError:
        return None


def check_xml(stream: IO[bytes]) -> bool:
    """Read a whole XML part as a stream (nothing kept); False when it is malformed,
    ``UnsafeXml`` when it declares a DTD, entities or external references."""
    try:
        for _, element in SafeET.iterparse(stream, events=("end",), forbid_dtd=True):
            element.clear()
    except DefusedXmlException:
        raise UnsafeXml(_REFUSED) from None
    except ET.ParseError:
        return False
    return True
