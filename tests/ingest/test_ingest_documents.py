"""Resume documents (TXT, PDF, DOCX): text, metadata, and hostile files that must fail cleanly."""

from __future__ import annotations

import base64
import datetime as dt
import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from ingest_samples import (
    encrypt_pdf,
    make_docx,
    make_pdf,
    replace_part,
    xmp_packet,
    zip_bomb_docx,
)

from screening.errors import DocumentError, LimitError
from screening.ingest import InputFormat, detect_format
from screening.ingest.documents.dates import parse_pdf_date
from screening.ingest.documents.read import read_document
from screening.ingest.timeout import DeadlineExceeded, can_time_limit, time_limit
from screening.model.application import DocumentContent, DocumentStatus
from screening.model.limits import Limits

INFO = {
    "Author": "Jane Roe",
    "Creator": "Microsoft Word 2019",
    "Producer": "Example PDF Library 1.2",
    "CreationDate": "D:20240102030405+01'00'",
    "ModDate": "D:20240301",
}
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))


def read(data: bytes, name: str, limits: Limits | None = None) -> DocumentContent:
    fmt = detect_format(name, data)
    return read_document(data, fmt, "resume", name, limits or Limits())


def test_pdf_text_and_info_metadata() -> None:
    pdf = make_pdf([["Jane Roe", "jane.roe@example.com"], ["Second page"]], info=INFO)
    doc = read(pdf, "cv.pdf")
    assert (doc.kind, doc.format, doc.status, doc.reason) == ("resume", "pdf", "ok", "")
    assert doc.text.splitlines() == ["Jane Roe", "jane.roe@example.com", "", "Second page"]
    assert doc.meta.author == "Jane Roe"
    assert doc.meta.creator_tool == "Microsoft Word 2019"
    assert doc.meta.producer == "Example PDF Library 1.2"
    assert doc.meta.last_modified_by is None  # not a PDF concept
    assert doc.meta.created == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=PLUS_ONE)
    assert doc.meta.modified == dt.datetime(2024, 3, 1)  # no zone in the file: naive


@pytest.mark.parametrize("as_attributes", [False, True])
def test_pdf_xmp_fills_what_the_info_dictionary_lacks(as_attributes: bool) -> None:
    xmp = xmp_packet("Kim Author", "Writer 7.1", "2024-05-06T07:08:09+09:00", as_attributes)
    doc = read(make_pdf([["Text"]], info={"Producer": "Lib"}, xmp=xmp), "cv.pdf")
    assert doc.meta.author == "Kim Author"
    assert doc.meta.creator_tool == "Writer 7.1"
    assert doc.meta.created == dt.datetime(
        2024, 5, 6, 7, 8, 9, tzinfo=dt.timezone(dt.timedelta(hours=9))
    )


def test_pdf_info_dictionary_wins_over_xmp() -> None:
    xmp = xmp_packet("Someone Else", "Other Tool", "2020-01-01")
    doc = read(make_pdf([["Text"]], info=INFO, xmp=xmp), "cv.pdf")
    assert (doc.meta.author, doc.meta.creator_tool) == ("Jane Roe", "Microsoft Word 2019")


def test_pdf_xmp_with_a_dtd_is_ignored_with_a_note() -> None:
    xmp = '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + xmp_packet("&a;", "Tool", "2020-01-01")
    doc = read(make_pdf([["Text"]], xmp=xmp), "cv.pdf")
    assert doc.meta.author is None
    assert (
        doc.reason
        == "XMP metadata ignored: an XML part declares a DTD or entities (refused for safety)"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("D:20240102030405+01'00'", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=PLUS_ONE)),
        ("D:20240102030405+01'00", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=PLUS_ONE)),
        ("D:20240102030405-05'30'", dt.datetime(
            2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30)))),
        ("D:20240102030405Z00'00'", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
        ("D:20240102030405Z", dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)),
        ("20240102030405", dt.datetime(2024, 1, 2, 3, 4, 5)),
        ("D:2024", dt.datetime(2024, 1, 1)),
        ("D:202402", dt.datetime(2024, 2, 1)),
        ("D:20241302", None),  # month 13
        ("D:20240230", None),  # 30 February
        ("D:20240102030405+25'00'", None),
        ("yesterday", None),
        ("", None),
    ],
)  # fmt: skip
def test_pdf_dates(value: str, expected: dt.datetime | None) -> None:
    assert parse_pdf_date(value) == expected


def test_encrypted_pdf_is_skipped_not_failed() -> None:
    doc = read(encrypt_pdf(make_pdf([["Jane Roe"]], info=INFO), "s3cret"), "cv.pdf")
    assert (doc.status, doc.reason, doc.text) == (DocumentStatus.SKIPPED, "encrypted", "")


def test_pdf_encrypted_with_an_empty_password_is_read() -> None:
    doc = read(encrypt_pdf(make_pdf([["Jane Roe"]], info=INFO), ""), "cv.pdf")
    assert (doc.status, doc.text, doc.meta.author) == ("ok", "Jane Roe", "Jane Roe")


def test_pdf_page_cap_reads_the_first_pages_and_says_so() -> None:
    pdf = make_pdf([["Page one"], ["Page two"], ["Page three"]])
    doc = read(pdf, "cv.pdf", Limits(max_document_pages=2))
    assert "Page three" not in doc.text and "Page two" in doc.text
    assert doc.reason == "read the first 2 of 3 pages (limits.max_document_pages)"


def test_text_cap_truncates_and_says_so() -> None:
    pdf = make_pdf([["A" * 40, "B" * 40], ["C" * 40]])
    doc = read(pdf, "cv.pdf", Limits(max_document_chars=50))
    assert len(doc.text) <= 50 and doc.text.startswith("A" * 40)
    assert doc.reason == "text cut at 50 characters (limits.max_document_chars)"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.4\nthis is not a pdf at all",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        make_pdf([["Jane Roe"]], info=INFO)[:300],  # cut short
        b"%PDF-1.4\n" + b"[" * 100_000,
    ],
)
def test_malformed_pdf_is_a_document_error(data: bytes) -> None:
    with pytest.raises(DocumentError) as caught:
        read(data, "cv.pdf")
    [problem] = caught.value.problems
    assert problem.message.startswith("not a readable PDF")


def test_document_over_the_size_limit() -> None:
    with pytest.raises(LimitError, match=r"the limit is 100 \(limits.max_file_bytes\)"):
        read(make_pdf([["x"]]), "cv.pdf", Limits(max_file_bytes=100))


def test_docx_text_tables_and_metadata() -> None:
    data = make_docx(
        ["Ana María López", "Backend developer", "ana@example.org"],
        table=[["Python", "Go"], ["2019", "2021"]],
        author="Ana López",
        last_modified_by="Recruiting Agency",
        created=dt.datetime(2024, 1, 2, 3, 4, 5),
        modified=dt.datetime(2024, 2, 3, 4, 5, 6),
        application="LibreOffice/7.6",
    )
    doc = read(data, "ana.docx")
    assert (doc.format, doc.status) == ("docx", "ok")
    assert doc.text.splitlines() == [
        "Ana María López", "Backend developer", "ana@example.org", "Python\tGo", "2019\t2021",
    ]  # fmt: skip
    assert doc.meta.author == "Ana López"
    assert doc.meta.last_modified_by == "Recruiting Agency"
    assert doc.meta.creator_tool == "LibreOffice/7.6"
    assert doc.meta.created == dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    assert doc.meta.modified == dt.datetime(2024, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


def test_docx_header_text_comes_first() -> None:
    doc = read(make_docx(["Body text"], header="Ana Lima"), "ana.docx")
    assert doc.text.splitlines() == ["Ana Lima", "Body text"]


def test_docx_with_a_dtd_is_refused_before_python_docx_sees_it() -> None:
    bad = b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "b">]><Properties>&a;</Properties>'
    data = replace_part(make_docx(["Text"]), "docProps/app.xml", bad)
    with pytest.raises(DocumentError, match="declares a DTD or entities"):
        read(data, "cv.docx")


@pytest.mark.parametrize(
    "part", ["word/document.xml", "word/_rels/document.xml.rels", "docProps/core.xml"]
)
def test_a_dtd_after_a_long_prolog_is_refused_wherever_it_sits(part: str) -> None:
    """No prefix scan: 10 KB of comments before the declaration do not hide it."""
    padding = b"<!--" + b" " * 10_000 + b"-->"
    bad = b'<?xml version="1.0"?>' + padding + b'<!DOCTYPE p [<!ENTITY a "b">]><p>&a;</p>'
    data = replace_part(make_docx(["Text"]), part, bad)
    with pytest.raises(DocumentError, match="declares a DTD or entities"):
        read(data, "cv.docx")


def test_docx_whose_xml_expands_past_the_cap_is_refused_before_parsing() -> None:
    from screening.ingest.documents.docx_file import MAX_XML_PARTS_BYTES

    noise = base64.b64encode(os.urandom(MAX_XML_PARTS_BYTES))  # barely compresses: no bomb
    body = b"<w:p>" + noise + b"</w:p>"
    data = replace_part(make_docx(["Text"]), "word/document.xml", body)
    with pytest.raises(DocumentError, match="XML expands to"):
        read(data, "cv.docx", Limits(max_file_bytes=50 * 1024 * 1024))


def test_zip_bomb_docx_is_refused_by_ratio() -> None:
    with pytest.raises(DocumentError, match=r"expands \d+ times \(a zip bomb\?\)"):
        read(zip_bomb_docx(4 * 1024 * 1024), "cv.docx")


def test_docx_over_the_archive_limit_is_refused() -> None:
    with pytest.raises(DocumentError) as caught:
        read(make_docx(["Text"]), "cv.docx", Limits(max_archive_bytes=10_000))
    [problem] = caught.value.problems
    assert problem.message.startswith("the archive expands to ")
    assert problem.message.endswith("the limit is 10000 (limits.max_archive_bytes)")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not a valid DOCX file (the zip archive is damaged)"),
        (replace_part(make_docx(["x"]), "word/document.xml", b"<broken"), "not a readable DOCX"),
        (zip_bomb_docx(10)[:40], "not a valid DOCX file (the zip archive is damaged)"),
    ],
)
def test_malformed_docx_is_a_document_error(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_document(data, InputFormat.DOCX, "resume", "cv.docx", Limits())
    [problem] = caught.value.problems
    assert problem.message.startswith(message)


def test_zip_without_a_word_document() -> None:
    data = replace_part(zip_bomb_docx(10), "word/media/padding.bin", b"x")
    data = data.replace(b"word/document.xml", b"word/documenX.xml")
    with pytest.raises(DocumentError, match="not a Word document"):
        read_document(data, InputFormat.DOCX, "resume", "cv.docx", Limits())


def test_txt_decodes_utf16_and_replaces_bad_bytes() -> None:
    assert read("Ana Lima\r\nZürich".encode("utf-16"), "cv.txt").text == "Ana Lima\nZürich"
    assert read(b"Ana Lima\n\xff\xfeoops", "cv.txt").text == "Ana Lima\n\ufffd\ufffdoops"


def test_missing_documents_extra_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)  # what an absent package looks like
    monkeypatch.setitem(sys.modules, "docx", None)
    for data, name in ((make_pdf([["x"]]), "cv.pdf"), (make_docx(["x"]), "cv.docx")):
        with pytest.raises(DocumentError) as caught:
            read(data, name)
        assert caught.value.problems[0].message.endswith(
            "install the 'documents' extra: pip install 'screening[documents]'"
        )


def test_slow_parsing_is_cut_off_and_the_alarm_handler_restored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def endless(data: bytes, limits: Limits) -> None:
        while True:
            time.sleep(0.01)

    monkeypatch.setattr("screening.ingest.documents.pdf_file.read_pdf", endless)
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(DocumentError, match=r"took longer than 0.2 seconds"):
        read(make_pdf([["x"]]), "cv.pdf", Limits(document_timeout_seconds=0.2))
    assert time.monotonic() - started < 2
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_restores_an_outer_timer() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 5.0)
        with time_limit(1.0):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 3.0 < remaining <= 5.0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert fired == []


def test_time_limit_only_applies_in_the_main_thread() -> None:
    seen: list[bool] = []

    def worker() -> None:
        seen.append(can_time_limit())
        with time_limit(0.01):  # a no-op here: must not touch signals from a thread
            time.sleep(0.05)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [False]
    assert can_time_limit()


def test_time_limit_raises_in_the_main_thread() -> None:
    with pytest.raises(DeadlineExceeded), time_limit(0.05):
        time.sleep(1)


def test_pdf_characters_beyond_the_basic_plane_are_whole_characters() -> None:
    """PDFium hands out UTF-16 code units: an emoji in a heading ("🎓 Education", LibreOffice
    export of a real resume layout) is one character, never two lone surrogates that later
    stages (spaCy, UTF-8 report files) cannot encode."""
    path = Path(__file__).parent / "resumes" / "files" / "047-table-de-libreoffice.pdf"
    text = read(path.read_bytes(), path.name).text or ""
    assert "\U0001f393" in text
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in text)
    text.encode("utf-8")
