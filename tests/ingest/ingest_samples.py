"""Builders for the documents the ingest tests read: PDFs written by hand, DOCX via python-docx.

Everything is generated at test time from synthetic data, so no binary fixtures are checked in
and each test shows exactly what its document contains.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
from pypdf import PdfReader, PdfWriter

from screening.ingest import IngestFailure
from screening.model.application import RawApplication


def one_app(results: list[RawApplication | IngestFailure]) -> RawApplication:
    """The single application read, failing the test with the problems otherwise."""
    assert len(results) == 1, results
    [result] = results
    assert isinstance(result, RawApplication), result.error.lines()
    return result


def one_failure(results: list[RawApplication | IngestFailure]) -> IngestFailure:
    """The single failure reported."""
    assert len(results) == 1, results
    [result] = results
    assert isinstance(result, IngestFailure), result
    return result


def lines(results: list[RawApplication | IngestFailure]) -> list[str]:
    """The error lines of a single failure, as the CLI prints them."""
    return one_failure(results).error.lines()


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make_pdf(
    pages: list[list[str]],
    info: dict[str, str] | None = None,
    xmp: str | None = None,
) -> bytes:
    """A valid PDF: one text line per entry on each page, an info dictionary, optional XMP."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the pages exist
    page_tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        kids.append(
            add(
                f"<< /Type /Page /Parent {page_tree} 0 R /MediaBox [0 0 612 792] "
                f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>".encode()
            )
        )
    kid_refs = " ".join(f"{k} 0 R" for k in kids)
    objects[page_tree - 1] = f"<< /Type /Pages /Kids [{kid_refs}] /Count {len(kids)} >>".encode()
    metadata = ""
    if xmp is not None:
        packet = xmp.encode("utf-8")
        ref = add(
            b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream"
            % (len(packet), packet)
        )
        metadata = f" /Metadata {ref} 0 R"
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {page_tree} 0 R{metadata} >>".encode()
    info_ref = None
    if info:
        entries = " ".join(f"/{key} {_pdf_string(value)}" for key, value in info.items())
        info_ref = add(f"<< {entries} >>".encode("latin-1"))
    return _assemble(objects, catalog, info_ref)


def _assemble(objects: list[bytes], root: int, info: int | None) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = f"<< /Size {len(objects) + 1} /Root {root} 0 R"
    trailer += f" /Info {info} 0 R >>" if info else " >>"
    out += f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    """The same PDF encrypted with RC4 (AES would need the 'cryptography' package to read)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xmp_packet(creator: str, tool: str, created: str, as_attributes: bool = False) -> str:
    """An XMP packet naming an author and creator tool, elements or attributes style."""
    if as_attributes:
        description = (
            f'<rdf:Description rdf:about="" xmp:CreatorTool="{tool}" xmp:CreateDate="{created}">'
            f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>"
            "</rdf:Description>"
        )
    else:
        description = (
            '<rdf:Description rdf:about="">'
            f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>"
            f"<xmp:CreatorTool>{tool}</xmp:CreatorTool><xmp:CreateDate>{created}</xmp:CreateDate>"
            "</rdf:Description>"
        )
    return (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"{description}</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def make_docx(
    paragraphs: list[str],
    table: list[list[str]] | None = None,
    author: str | None = None,
    last_modified_by: str | None = None,
    created: dt.datetime | None = None,
    modified: dt.datetime | None = None,
    application: str | None = None,
    header: str | None = None,
) -> bytes:
    """A DOCX with paragraphs, an optional table and header, core and app properties."""
    document = docx.Document()
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    props = document.core_properties
    props.author = author or ""
    props.last_modified_by = last_modified_by or ""
    if created is not None:
        props.created = created
    if modified is not None:
        props.modified = modified
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    if application is not None:
        data = replace_part(data, "docProps/app.xml", _app_xml(application))
    return data


def _app_xml(application: str) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties">'
        f"<Application>{application}</Application></Properties>"
    ).encode()


def replace_part(data: bytes, name: str, content: bytes) -> bytes:
    """The same zip with one entry's content replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename != name:
                target.writestr(entry, source.read(entry))
        target.writestr(name, content)
    return out.getvalue()


def zip_bomb_docx(expanded_bytes: int) -> bytes:
    """A small zip with a Word document part and one entry that expands to ``expanded_bytes``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/padding.bin", b"\0" * expanded_bytes)
    return out.getvalue()
