"""Stage 1 of 6 (ingest): what a document reader hands back, and the text cap every reader shares.

Readers collect text piece by piece (pages, paragraphs, cells) and stop as soon as
``max_document_chars`` is reached, so a hostile document never costs more than the cap; the note
saying the text was cut reaches the reviewer through ``DocumentContent.reason``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.ingest.documents.layout import Line
from screening.model.application import DocumentMeta

_META_CHARS = 500


@dataclass(frozen=True, slots=True)
class Extracted:
    """Text, metadata and notes read from one document, or why it was skipped."""

    text: str
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    notes: tuple[str, ...] = ()
    skipped: str | None = None
    lines: tuple[Line, ...] = ()  # with font size and weight where the format has them


class TextCollector:
    """Joins text pieces with newlines up to ``limit`` characters."""

    __slots__ = ("_limit", "_parts", "_size", "truncated")

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._parts: list[str] = []
        self._size = 0
        self.truncated = False

    @property
    def full(self) -> bool:
        """True once the cap is reached: stop reading."""
        return self._size >= self._limit

    def add(self, piece: str) -> None:
        """Append one piece (a page, a paragraph), cutting it at the cap."""
        if self.full:
            self.truncated = self.truncated or bool(piece)
            return
        piece = piece.replace("\x00", "")
        room = self._limit - self._size
        if len(piece) > room:
            piece = piece[:room]
            self.truncated = True
        self._parts.append(piece)
        self._size += len(piece) + 1

    def text(self) -> str:
        """The collected text."""
        return "\n".join(self._parts).strip()

    def notes(self) -> tuple[str, ...]:
        """A note for the reviewer when the text was cut."""
        if not self.truncated:
            return ()
        return (f"text cut at {self._limit} characters (limits.max_document_chars)",)


def clean_meta(value: object) -> str | None:
    """A metadata string as shown to a reviewer: stripped, bounded, empty as ``None``."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if not isinstance(value, str):
        return None
    text = " ".join(value.replace("\x00", "").split())[:_META_CHARS]
    return text or None
