"""Stage 1 of 6 (ingest): a resume document given on its own (``screening check cv.pdf``).

The document becomes an application of format ``document``: its text is read into structure
(``resume.structure``): the candidate's name chosen by scoring the header, the metadata, the
email and profile handles; contacts outside the references section; location, work history,
education, skills and referees. Every field filled this way is named in an input note (kind
``document``), so the report can say where it came from. A name the reader is not sure of is kept
but marked uncertain: the application is screened, and the name rules see no name (not a
mismatch). Only when nothing name-like exists (no line, author, email or file name) is the user
asked to wrap the document in an application file. ``id`` is the file's stem.
"""

from __future__ import annotations

from pathlib import PurePath

from screening.errors import InputError, Problem
from screening.ingest.detect import InputFormat
from screening.ingest.documents.read import read_resume
from screening.ingest.resume.fields import fields_from
from screening.ingest.resume.structure import ResumeStructure
from screening.ingest.triage import with_triage
from screening.ingest.validation import plain, validate
from screening.model.application import (
    ApplicationInput,
    DocumentContent,
    DocumentStatus,
    RawApplication,
)
from screening.model.limits import Limits
from screening.model.notes import InputNote, NoteKind, quoted

DOCUMENT_FORMAT = "document"


def read_standalone(
    data: bytes, fmt: InputFormat, name: str, origin: str, limits: Limits
) -> RawApplication:
    """Read the document and build its application; raises ``InputError`` and subclasses."""
    file_name = PurePath(name).name
    content, structure = read_resume(data, fmt, file_name, limits)
    content = with_triage(content, data, name, limits)
    app, filled = _application(content, structure, PurePath(name).stem, file_name)
    uncertain = structure.name is not None and not structure.name.certain
    return RawApplication(
        data=app,
        documents=(content,),
        origin=origin,
        format=DOCUMENT_FORMAT,
        name_uncertain=uncertain,
        notes=document_notes(file_name, structure, filled),
    )


def document_notes(
    file_name: str, structure: ResumeStructure, filled: tuple[str, ...]
) -> tuple[InputNote, ...]:
    """What was read from the resume's text, and how sure the name is."""
    notes: list[InputNote] = []
    counts = {"employment": len(structure.work), "education": len(structure.education)}
    shown = [f"{f} ({counts[f]})" if f in counts else f for f in filled]
    notes.append(InputNote(file_name, NoteKind.DOCUMENT,
                           "read from the document's text: " + ", ".join(shown)))  # fmt: skip
    choice = structure.name
    if choice is not None and not choice.certain:
        notes.append(InputNote(file_name, NoteKind.DOCUMENT, (
            f"the name {quoted(choice.name)} (from the {', '.join(choice.sources)}) is "
            "uncertain: rules that compare names treat it as unavailable"
        )))  # fmt: skip
    if structure.location is not None and structure.location.country:
        notes.append(InputNote(file_name, NoteKind.LOCATION, (
            f"location read from the document's header: country {structure.location.country}"
            + (f", city {quoted(structure.location.city)}" if structure.location.city else "")
            + "; national phone numbers were read through this country"
        )))  # fmt: skip
    return tuple(notes)


def _application(
    content: DocumentContent, structure: ResumeStructure, stem: str, file_name: str
) -> tuple[ApplicationInput, tuple[str, ...]]:
    if structure.name is None:
        skipped = content.status is DocumentStatus.SKIPPED
        why = f" (the document was skipped: {content.reason})" if skipped else ""
        raise InputError([Problem("name", (
            f"no candidate name found in the document's text, its author metadata, its emails "
            f"or its file name{why}; wrap it in an application file: name: <the candidate's "
            f"name> and resume: {{path: {file_name}}}"
        ))])  # fmt: skip
    data: dict[str, object] = {
        "id": stem,
        "name": structure.name.name,
        "resume": {"path": file_name},
    }
    fields = fields_from(structure)
    data.update(fields)
    return validate(data, plain, stem), ("name", *fields)
