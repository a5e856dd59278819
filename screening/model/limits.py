"""Input limits (docs/principles.md, "Every input is hostile"); configurable under ``[limits]``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds applied while reading input; breaking one gives a clear error naming the field."""

    max_file_bytes: int = 5 * 1024 * 1024
    max_list_items: int = 100
    max_text_chars: int = 100_000
    max_depth: int = 32
    max_nodes: int = 200_000
    max_csv_rows: int = 100_000
    max_document_pages: int = 50
    max_document_chars: int = 200_000
    max_archive_bytes: int = 50 * 1024 * 1024
    document_timeout_seconds: float = 10.0
    # analyzers and rules of one application (network lookups add [network] budget_seconds)
    screening_seconds: float = 5.0
