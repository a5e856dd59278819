"""Stage 1 of 6 (ingest): resume and cover-letter documents (TXT, PDF, DOCX) read safely.

``read`` is the entry point and the boundary with hostile files; ``pdf_file`` and ``docx_file``
hold the format readers, ``extracted`` what they hand back, ``dates`` the document date formats,
``safe_xml`` guards the XML parts (``screening.ingest.timeout`` bounds the parse time), and
``attachments`` reads the documents an application refers to (by path or inline).
"""

from __future__ import annotations

from screening.ingest.documents.read import DOCUMENT_FORMATS, read_document

__all__ = ["DOCUMENT_FORMATS", "read_document"]
