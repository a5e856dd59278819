"""Document facts: what a resume or cover-letter file says about who made it.

A resume whose author field names a different person is a known sign of a shared persona factory
(Gem/Tofu fraud detection reads "document properties, editing patterns"). Office defaults ("User",
"Microsoft Office User") are not names and are recorded as ``not_a_name``. Values that name a tool,
converter, template or platform account ("Zamzar", "Canva", "LibreOffice Writer"), that repeat
the creator or producer field, or that look like a login or handle ("jdoe82", "kim_c") say
nothing about a person and are ``incomparable``. The value judged is a fact of its own, so the
report's evidence shows it. Locale and font fields are never read: they would only be proxies
for origin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.namematch import NameRelation, best_relation
from screening.analyze.identity import person_name
from screening.ingest.resume.fields import COMPARED, not_on_form
from screening.model.application import DocumentStatus
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application, Name
from screening.refdata import source_of, word_set

TOOL_AUTHORS = "document_tool_authors.txt"

RELATIONS = ("same", "variant", "different", "incomparable", "not_a_name")


_LOGIN = re.compile(r"^[\w.\-@]+$")
_WORD = re.compile(r"[\w.\-]+")


def person_relation(
    own: Sequence[Name], value: str | None, tools: Sequence[str | None] = ()
) -> str | None:
    """Relation of a metadata name field to the candidate, or None when the field is empty.

    ``tools`` are the file's creator and producer values: an author equal to one of them is the
    tool's name, not a person's.
    """
    if not value:
        return None
    if " ".join(value.casefold().split()) in word_set("generic_document_authors.txt"):
        return NameRelation.NOT_A_NAME.value
    if is_tool_or_login(value, tools):
        return NameRelation.INCOMPARABLE.value
    person = person_name(value)
    if person is None:
        return NameRelation.NOT_A_NAME.value
    return best_relation(own, person)[0].value


def is_tool_or_login(value: str, tools: Sequence[str | None] = ()) -> bool:
    """A tool, converter, template or platform value, or a login-like single token."""
    folded = " ".join(value.casefold().split())
    if any(tool and folded == " ".join(tool.casefold().split()) for tool in tools):
        return True
    words = set(_WORD.findall(folded))
    if words & word_set(TOOL_AUTHORS):
        return True
    # one token with digits, underscores, dots or all lower case: a login or handle
    token = folded.strip()
    return (
        " " not in token
        and bool(_LOGIN.match(token))
        and (any(c.isdigit() or c in "_.@" for c in token) or value.strip().islower())
    )


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
            (
                "judged_author",
                "str",
                "The metadata value judged to name another person (author or last editor)",
            ),
            (
                "resume_name_relation",
                "str",
                "How the name read from the resume's text relates to the application's names "
                "(only a name the reader is sure of, only beside a form or ATS record)",
                {"values": RELATIONS},
            ),
            (
                "emails_not_on_form",
                "int",
                "Emails in the resume's text that the application's fields do not list "
                "(absent when either side has none)",
            ),
            (
                "phones_not_on_form",
                "int",
                "Phone numbers in the resume's text that the application's fields do not list "
                "(absent when either side has none)",
            ),
            (
                "employers_not_on_form",
                "int",
                "Employers in the resume's text that the application's work history does not "
                "name (absent when either side has none)",
            ),
        ],
    )

    def sources(self) -> list[Source]:
        """Generic author names list."""
        return [
            source_of("generic_document_authors.txt", "Generic document author values"),
            source_of(TOOL_AUTHORS, "Tool, converter and platform author values"),
        ]

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
            tools = (meta.creator_tool, meta.producer)
            read = doc.fields if doc.kind == "resume" and not doc.assembled else {}
            differ = (
                not_on_form(
                    read,
                    [e.raw for e in app.emails],
                    [p.raw for p in app.phones],
                    [j.employer for j in app.employment if j.employer],
                )
                if read
                else dict.fromkeys(COMPARED)
            )
            author_rel = person_relation(own, meta.author, tools)
            editor_rel = person_relation(own, meta.last_modified_by, tools)
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
                    "author_relation": author_rel,
                    "last_modified_by_relation": editor_rel,
                    "judged_author": meta.author
                    if author_rel == "different"
                    else meta.last_modified_by
                    if editor_rel == "different"
                    else None,
                    "modified_before_created": before,
                    "text_chars": len(doc.text),
                    "resume_name_relation": person_relation(own, read.get("name")),
                    "emails_not_on_form": differ["emails"],
                    "phones_not_on_form": differ["phones"],
                    "employers_not_on_form": differ["employers"],
                }
            )
        return FamilyResult(records={"documents": records})
