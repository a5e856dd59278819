"""Stage 1 of 6 (ingest): recognise what kind of input a file is, from its bytes and its name.

Why content first: candidates and exports mislabel files (a PDF saved as ``.docx``, a YAML
application with no extension), so magic bytes decide binary formats and the text is sniffed when
the extension says nothing useful. The extension breaks ties between text formats, because a plain
text resume that starts with ``Name: ...`` also looks like YAML. Whether a JSON/YAML mapping is a
native application or a JSON Resume is decided again on the parsed data (by its ``basics`` key);
the guess here only reads the raw text.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import PurePath


class InputFormat(StrEnum):
    """The input formats ingest understands (``unknown`` is refused with a clear error)."""

    NATIVE = "native"
    JSONRESUME = "jsonresume"
    CSV = "csv"
    TXT = "txt"
    PDF = "pdf"
    DOCX = "docx"
    UNKNOWN = "unknown"


SUPPORTED_SUFFIXES: frozenset[str] = frozenset(
    {".json", ".yml", ".yaml", ".csv", ".txt", ".pdf", ".docx"}
)

CSV_COLUMNS: tuple[str, ...] = (
    "id", "received_at", "source", "name", "aliases", "emails", "phones", "country", "region",
    "city", "timezone", "home_line1", "home_city", "home_region", "home_postal_code",
    "home_country", "shipping_line1", "shipping_city", "shipping_region", "shipping_postal_code",
    "shipping_country", "links", "linkedin", "github", "work_authorization", "citizenship",
    "date_of_birth", "skills", "resume_text", "resume_path", "cover_letter_text", "ip",
    "user_agent", "utc_offset_minutes", "payment_method", "account_holder", "bank_country",
    "payment_platform", "wallets", "interview_notes",
)  # fmt: skip

_STRUCTURED_SUFFIXES = frozenset({".json", ".yml", ".yaml"})
_SNIFF_BYTES = 8192
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\b") + b"\x7f"
_JSON_BASICS = re.compile(r'"basics"\s*:')
_YAML_BASICS = re.compile(r"""^(?:basics|"basics"|'basics')[ \t]*:""", re.MULTILINE)
_YAML_KEY = re.compile(r"""^(?:[a-z_$][A-Za-z0-9_$-]*|"[^"\n]+"|'[^'\n]+')[ \t]*:(?:[ \t]|$)""")
_DELIMITERS = (",", ";", "\t")
# Application files and exports in UTF-16 go to their reader, which asks for UTF-8.
_UTF16_BY_SUFFIX = {
    ".txt": InputFormat.TXT,
    ".csv": InputFormat.CSV,
    ".json": InputFormat.NATIVE,
    ".yml": InputFormat.NATIVE,
    ".yaml": InputFormat.NATIVE,
}


def detect_format(name: str, head: bytes) -> InputFormat:
    """Guess the format so the right reader runs; ``head`` is the start of the file (or all of it).

    A ``.json``/``.yml`` file is always read as structured data, so content that is neither a
    native application nor a JSON Resume still gets the contract's field errors.
    """
    suffix = PurePath(name).suffix.lower()
    if b"%PDF-" in head[:1024]:
        return InputFormat.PDF
    if head.startswith(_ZIP_MAGIC):
        if b"word/document.xml" in head or suffix == ".docx":
            return InputFormat.DOCX
        return InputFormat.UNKNOWN
    sample = head[:_SNIFF_BYTES]
    if sample.startswith(_UTF16_BOMS):  # text, but only resumes may be in UTF-16
        return _UTF16_BY_SUFFIX.get(suffix, InputFormat.UNKNOWN)
    if is_binary(sample):
        return InputFormat.UNKNOWN
    text = sample.decode("utf-8", errors="replace").lstrip("\ufeff")
    if suffix in _STRUCTURED_SUFFIXES:
        return _structured_kind(text)
    if suffix == ".csv":
        return InputFormat.CSV
    if suffix == ".txt":
        return InputFormat.TXT
    return _sniff_text(text)


def is_binary(sample: bytes) -> bool:
    """NUL bytes or many control characters: not something a person wrote as text."""
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    return controls * 10 > len(sample)


def sniff_delimiter(header_line: str) -> str:
    """The CSV delimiter: whichever of comma, semicolon and tab the header line uses most."""
    counts = [(header_line.count(d), -i, d) for i, d in enumerate(_DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else ","


def _structured_kind(text: str) -> InputFormat:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        found = _JSON_BASICS.search(stripped) is not None
    else:
        found = _YAML_BASICS.search(text) is not None
    return InputFormat.JSONRESUME if found else InputFormat.NATIVE


def _sniff_text(text: str) -> InputFormat:
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return _structured_kind(text)
    first = _first_line(text)
    if _looks_like_csv_header(first):
        return InputFormat.CSV
    if first == "---" or _YAML_KEY.match(first):
        return _structured_kind(text)
    return InputFormat.TXT


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    return ""


def _looks_like_csv_header(line: str) -> bool:
    cells = [c.strip().strip("\"'").lower() for c in line.split(sniff_delimiter(line))]
    if len(cells) < 2:
        return False
    known = sum(1 for c in cells if c in CSV_COLUMNS)
    return known >= 2 and known * 2 >= len(cells)
