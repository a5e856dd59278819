"""Stage 1 of 6 (ingest): a resume document given on its own (``screening check cv.pdf``).

The document becomes an application of format ``document``: its text and metadata are read as for
any resume, the candidate's name is taken from the first lines of the text (else from the author
metadata), and emails, international phone numbers and links found in the first
``CONTACT_SCAN_CHARS`` characters (the first page, where resumes keep contact details) fill the
contact fields. When no name can be found the user is told to wrap the document in an
application file, because screening an application without a name would compare nothing.
``id`` is the file's stem.
"""

from __future__ import annotations

from pathlib import PurePath

from screening.errors import InputError, Problem
from screening.ingest.detect import InputFormat
from screening.ingest.documents.read import read_document
from screening.ingest.text_extract import (
    find_emails,
    find_links,
    find_name,
    find_phones,
    name_from_author,
)
from screening.ingest.triage import with_triage
from screening.ingest.validation import plain, validate
from screening.model.application import (
    ApplicationInput,
    DocumentContent,
    DocumentStatus,
    RawApplication,
)
from screening.model.limits import Limits

DOCUMENT_FORMAT = "document"
# The contact block of a resume is on its first page; references further down are not contacts.
CONTACT_SCAN_CHARS = 5000


def read_standalone(
    data: bytes, fmt: InputFormat, name: str, origin: str, limits: Limits
) -> RawApplication:
    """Read the document and build its application; raises ``InputError`` and subclasses."""
    file_name = PurePath(name).name
    content = with_triage(read_document(data, fmt, "resume", file_name, limits), data, name, limits)
    app = _application(content, PurePath(name).stem, file_name, limits)
    return RawApplication(data=app, documents=(content,), origin=origin, format=DOCUMENT_FORMAT)


def _application(
    content: DocumentContent, stem: str, file_name: str, limits: Limits
) -> ApplicationInput:
    name = find_name(content.text) or name_from_author(content.meta.author)
    if name is None:
        skipped = content.status is DocumentStatus.SKIPPED
        why = f" (the document was skipped: {content.reason})" if skipped else ""
        raise InputError([Problem("name", (
            f"no candidate name found in the document's first lines or its author metadata{why}; "
            f"wrap it in an application file: name: <the candidate's name> and "
            f"resume: {{path: {file_name}}}"
        ))])  # fmt: skip
    text = content.text[:CONTACT_SCAN_CHARS]
    data: dict[str, object] = {"id": stem, "name": name, "resume": {"path": file_name}}
    for field, found in (
        ("emails", find_emails(text, limits.max_list_items)),
        ("phones", find_phones(text, limits.max_list_items)),
        ("links", find_links(text, limits.max_list_items)),
    ):
        if found:
            data[field] = found
    return validate(data, plain, stem)
