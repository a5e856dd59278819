"""Stage 1 of 6 (ingest): text and authorship metadata from a DOCX resume (python-docx, optional).

The zip archive is inspected before python-docx touches it: a DOCX is a zip, and a zip bomb (a
few kilobytes that claim gigabytes) or a part with a DTD must be refused while it is still cheap to
do so. Declared sizes are trustworthy for this because Python's zip reader never returns more
bytes than an entry declares. Caps apply before any parsing: entries, total expanded size, the
expansion ratio of each entry, and the expanded size of the XML parts together, which is what
python-docx holds as a tree (about ten times their size in memory: a 4 MB file whose XML
expands to 45 MB once took 490 MB). Every XML part is then read whole through defusedxml
(``safe_xml.check_xml``), which refuses DTDs and entities wherever they are declared. The
creator tool comes from ``docProps/app.xml``, read here with a size cap; author, last editor
and dates come from python-docx's core properties.
"""

from __future__ import annotations

import io
import zipfile

from screening.errors import DocumentError, Problem
from screening.ingest.documents.docx_lines import docx_lines
from screening.ingest.documents.extracted import Extracted, TextCollector, clean_meta
from screening.ingest.documents.safe_xml import MAX_XML_BYTES, UnsafeXml, check_xml, parse_xml
from screening.model.application import DocumentMeta
from screening.model.limits import Limits

_MAX_ENTRIES = 5000
# Deflate tops out near 1000:1; Office XML compresses ~10-30:1. Above this ratio on a large
# entry the archive was built to expand, not to be read.
_MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
MAX_XML_PARTS_BYTES = 8 * 1024 * 1024  # a long resume's XML parts are well under 1 MB
_APP_XML = "docProps/app.xml"
_CORE_XML = "docProps/core.xml"
_EXTENDED = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


def read_docx(data: bytes, limits: Limits) -> Extracted:
    """Lines of headers, body (tables and text boxes included) and footers; core and app
    metadata, where a file without core properties has none (never python-docx's defaults)."""
    creator_tool, has_core = check_archive(data, limits)
    import docx  # the 'documents' extra; imported only when a DOCX is read

    document = docx.Document(io.BytesIO(data))
    lines = docx_lines(document, limits.max_document_chars)
    collector = TextCollector(limits.max_document_chars)
    for line in lines:
        collector.add(line.text)
    if has_core:
        props = document.core_properties
        meta = DocumentMeta(
            author=clean_meta(props.author),
            last_modified_by=clean_meta(props.last_modified_by),
            creator_tool=creator_tool,
            created=props.created,
            modified=props.modified,
        )
    else:
        meta = DocumentMeta(creator_tool=creator_tool)
    return Extracted(collector.text(), meta, collector.notes(), lines=tuple(lines))


def check_archive(data: bytes, limits: Limits) -> tuple[str | None, bool]:
    """Refuse zip bombs, DTDs and non-Word archives; return the creator tool from app.xml and
    whether the file has core properties (docProps/core.xml)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _error("not a valid DOCX file (the zip archive is damaged)") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > _MAX_ENTRIES:
            raise _error(f"the archive has {len(entries)} entries, more than {_MAX_ENTRIES}")
        total = sum(entry.file_size for entry in entries)
        if total > limits.max_archive_bytes:
            raise _error(
                f"the archive expands to {total} bytes, the limit is {limits.max_archive_bytes} "
                "(limits.max_archive_bytes)"
            )
        for entry in entries:
            ratio = entry.file_size / max(entry.compress_size, 1)
            if entry.file_size > _RATIO_FLOOR and ratio > _MAX_RATIO:
                raise _error(f"an archive entry expands {ratio:.0f} times (a zip bomb?); refused")
        names = {entry.filename for entry in entries}
        if "word/document.xml" not in names:
            raise _error("not a Word document (the archive has no word/document.xml)")
        xml_parts = [e for e in entries if e.filename.endswith((".xml", ".rels"))]
        xml_bytes = sum(entry.file_size for entry in xml_parts)
        if xml_bytes > MAX_XML_PARTS_BYTES:
            raise _error(
                f"the document's XML expands to {xml_bytes} bytes, more than "
                f"{MAX_XML_PARTS_BYTES}; save it again without embedded content"
            )
        try:
            for entry in xml_parts:
                with archive.open(entry) as part:
                    check_xml(part)
            return _creator_tool(archive), _CORE_XML in names
        except UnsafeXml as exc:
            raise _error(str(exc)) from None


def _creator_tool(archive: zipfile.ZipFile) -> str | None:
    try:
        entry = archive.getinfo(_APP_XML)
    except KeyError:
        return None
    if entry.file_size > MAX_XML_BYTES:
        return None
    with archive.open(entry) as part:
        root = parse_xml(part.read(MAX_XML_BYTES + 1))
    if root is None:
        return None
    application = root.find(f"{_EXTENDED}Application")
    return clean_meta(application.text) if application is not None else None


def _error(message: str) -> DocumentError:
    return DocumentError([Problem("", message)])
