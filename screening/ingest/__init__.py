"""Stage 1 of 6 (ingest): bytes, a file or a decoded payload -> a validated ``RawApplication``.

Formats: native application files (JSON/YAML, contract v1), JSON Resume, CSV exports (one
application per row, columns in docs/csv.md) and resume documents (TXT, PDF, DOCX; PDF and DOCX
need the optional ``documents`` extra). Every input is treated as hostile: sizes, counts, depth
and parsing time are capped, candidate-supplied file paths stay inside the application's folder,
and each problem names the field (with line and column where known) and what was expected.

Importing this package is cheap: pypdf, python-docx and phonenumbers load only when needed.
"""

from __future__ import annotations

from screening.ingest.detect import SUPPORTED_SUFFIXES, InputFormat, detect_format
from screening.ingest.failure import IngestFailure
from screening.ingest.reader import from_mapping, iter_path, read_bytes, read_path

__all__ = [
    "SUPPORTED_SUFFIXES",
    "IngestFailure",
    "InputFormat",
    "detect_format",
    "from_mapping",
    "iter_path",
    "read_bytes",
    "read_path",
]
