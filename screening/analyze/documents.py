"""Document facts: what a resume or cover-letter file says about who made it.

A resume whose author field names a different person is a known sign of a shared persona factory
(Gem/Tofu fraud detection reads "document properties, editing patterns"). Office defaults ("User",
"Microsoft Office User") are not names and are recorded as ``not_a_name``. Locale and font fields
are never read: they would only be proxies for origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.namematch import NameRelation, best_relation
from screening.analyze.identity import person_name
from screening.model.application import DocumentStatus
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application, Name
from screening.refdata import source_of

RELATIONS = ("same", "variant", "different", "incomparable", "not_a_name")


def person_relation(own: Sequence[Name], value: str | None) -> str | None:
    """Relation of a metadata name field to the candidate, or None when the field is empty."""
    if not value:
        return None
    person = person_name(value)
    if person is None:
        return NameRelation.NOT_A_NAME.value
    return best_relation(own, person)[0].value


class DocumentAnalyzer:
    """Metadata of resume and cover-letter files: author vs candidate, tools, times."""

    name: ClassVar[str] = "documents"
    description: ClassVar[str] = "Resume and cover-letter files and their metadata"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("documents", "One record per resume or cover letter", "documents", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "documents",
        "documents",
        [
            ("kind", "str", "resume or cover_letter", {"values": ("resume", "cover_letter")}),
            ("format", "str", "pdf, docx, txt or text (inline)"),
            ("readable", "bool", "The document's text could be read"),
            ("skip_reason", "str", "Why the document could not be read"),
            ("author", "str", "Author recorded in the file's metadata"),
            ("last_modified_by", "str", "Last-modified-by recorded in the file's metadata"),
            ("creator_tool", "str", "Application that created the file"),
            ("producer", "str", "PDF producer recorded in the file"),
            ("created", "datetime", "Creation time recorded in the file"),
            ("modified", "datetime", "Last modification time recorded in the file"),
            (
                "author_relation",
                "str",
                "How the author field relates to the candidate's names",
                {"values": RELATIONS},
            ),
            (
                "last_modified_by_relation",
                "str",
                "How the last-modified-by field relates to the candidate's names",
                {"values": RELATIONS},
            ),
            (
                "modified_before_created",
                "bool",
                "The file claims to be modified before it was created",
            ),
            ("text_chars", "int", "Characters of text read from the document"),
        ],
    )

    def sources(self) -> list[Source]:
        """Generic author names list."""
        return [source_of("generic_document_authors.txt", "Generic document author values")]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per document."""
        if not app.documents:
            return FamilyResult.skipped("no resume or cover letter in the application")
        own = (app.name, *app.aliases)
        records: list[Record] = []
        for doc in app.documents:
            meta = doc.meta
            created, modified = meta.created, meta.modified
            before = None
            if created and modified:
                try:
                    before = modified < created
                except TypeError:  # one aware, one naive: compare as UTC
                    before = modified.replace(tzinfo=None) < created.replace(tzinfo=None)
            records.append(
                {
                    "kind": doc.kind,
                    "format": doc.format,
                    "readable": doc.status is DocumentStatus.OK,
                    "skip_reason": doc.reason or None
                    if doc.status is not DocumentStatus.OK
                    else None,
                    "author": meta.author,
                    "last_modified_by": meta.last_modified_by,
                    "creator_tool": meta.creator_tool,
                    "producer": meta.producer,
                    "created": created,
                    "modified": modified,
                    "author_relation": person_relation(own, meta.author),
                    "last_modified_by_relation": person_relation(own, meta.last_modified_by),
                    "modified_before_created": before,
                    "text_chars": len(doc.text),
                }
            )
        return FamilyResult(records={"documents": records})
