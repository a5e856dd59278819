"""Stage 1 of 6 (ingest): read one resume or cover-letter document (TXT, PDF, DOCX) safely.

This is the boundary between hostile files and the toolkit. Whatever the parsing libraries do
on a malformed file (raise anything, recurse, warn, log, loop), the caller gets either a
``DocumentContent`` or a ``DocumentError``/``LimitError`` with a plain message, never a
traceback or a Python warning. PDF and DOCX parsing runs under ``limits.document_timeout_seconds``
(enforced in the main thread only, see ``timeout``) with the libraries' logging and warnings
silenced; their messages could quote the file's content, which must not reach logs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING

from screening.errors import DocumentError, Problem
from screening.ingest.detect import InputFormat
from screening.ingest.documents.extracted import Extracted, TextCollector
from screening.ingest.documents.layout import Line
from screening.ingest.limits_check import too_big
from screening.ingest.quiet import quiet
from screening.ingest.timeout import DeadlineExceeded, time_limit
from screening.model.application import DocumentContent, DocumentStatus
from screening.model.limits import Limits

if TYPE_CHECKING:
    from screening.ingest.resume.structure import ResumeStructure

INSTALL_HINT = "install the 'documents' extra: pip install 'screening[documents]'"
DOCUMENT_FORMATS = frozenset({InputFormat.TXT, InputFormat.PDF, InputFormat.DOCX})
_LABELS = {InputFormat.PDF: "PDF", InputFormat.DOCX: "DOCX"}
_NOISY_LOGGERS = ("pypdf", "docx", "pypdfium2", "pytesseract")
_DETAIL_CHARS = 120

Reader = Callable[[bytes, Limits], Extracted]


def read_document(
    data: bytes, fmt: InputFormat, kind: str, file_name: str | None, limits: Limits
) -> DocumentContent:
    """The document's text and metadata; encrypted PDFs come back ``skipped``, not as errors.

    Raises ``LimitError`` (file too big) or ``DocumentError`` (unreadable, wrong format, too slow,
    or the 'documents' extra missing).
    """
    return content_of(extract(data, fmt, limits), fmt, kind, file_name)


def read_resume(
    data: bytes, fmt: InputFormat, file_name: str | None, limits: Limits
) -> tuple[DocumentContent, ResumeStructure]:
    """The resume's content and its text read into structure (name, contacts, entries ...)."""
    from screening.ingest.resume.structure import read_structure

    extracted = extract(data, fmt, limits)
    content = content_of(extracted, fmt, "resume", file_name)
    lines = list(extracted.lines) or [Line(t) for t in extracted.text.splitlines() if t.strip()]
    stem = PurePath(file_name).stem if file_name else None
    structure = read_structure(
        lines,
        author=content.meta.author,
        file_stem=stem,
        default_region=None,
        max_items=limits.max_list_items,
    )
    return content, structure


def extract(data: bytes, fmt: InputFormat, limits: Limits) -> Extracted:
    """Text, lines and metadata of one document (see ``read_document`` for the errors)."""
    if len(data) > limits.max_file_bytes:
        raise too_big(len(data), limits)
    if fmt is InputFormat.TXT:
        extracted = read_text(data, limits)
    elif fmt is InputFormat.PDF:
        from screening.ingest.documents.pdf_file import read_pdf

        extracted = _guarded(read_pdf, data, fmt, limits)
    elif fmt is InputFormat.DOCX:
        from screening.ingest.documents.docx_file import read_docx

        extracted = _guarded(read_docx, data, fmt, limits)
    else:
        raise DocumentError([Problem("", "not a PDF, DOCX or plain-text document")])
    return extracted


def content_of(
    extracted: Extracted, fmt: InputFormat, kind: str, file_name: str | None
) -> DocumentContent:
    """The report's view of an extracted document."""
    return DocumentContent(
        kind=kind,
        format=fmt.value,
        text=extracted.text,
        meta=extracted.meta,
        status=DocumentStatus.SKIPPED if extracted.skipped else DocumentStatus.OK,
        reason="; ".join(filter(None, (extracted.skipped, *extracted.notes))),
        file_name=file_name,
    )


def read_text(data: bytes, limits: Limits) -> Extracted:
    """A plain-text resume: any encoding mistakes become U+FFFD rather than an error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    collector = TextCollector(limits.max_document_chars)
    collector.add(text.replace("\r\n", "\n").replace("\r", "\n"))
    return Extracted(collector.text(), notes=collector.notes())


def _guarded(reader: Reader, data: bytes, fmt: InputFormat, limits: Limits) -> Extracted:
    label = _LABELS[fmt]
    try:
        with quiet(*_NOISY_LOGGERS), time_limit(limits.document_timeout_seconds):
            return reader(data, limits)
    except DeadlineExceeded:
        raise DocumentError([Problem("", (
            f"reading the {label} took longer than {limits.document_timeout_seconds:g} seconds "
            "(limits.document_timeout_seconds)"
        ))]) from None  # fmt: skip
    except DocumentError:
        raise
    except ImportError:
        raise DocumentError([Problem("", f"cannot read {label} files: {INSTALL_HINT}")]) from None
    except RecursionError:
        raise DocumentError([Problem("", f"not a readable {label}: nested too deeply")]) from None
    except Exception as exc:  # any library failure on a malformed file is a bad document
        raise DocumentError([Problem("", f"not a readable {label}: {_detail(exc)}")]) from None


def _detail(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:_DETAIL_CHARS]
    return text or type(exc).__name__
