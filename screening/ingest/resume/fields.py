"""A resume's structure as application fields (contract v1 shape), and filling an application's
missing fields from its resume.

An application that comes with structured fields (a form, an ATS payload, an application file)
keeps them: the resume fills only what is missing (employment, education, skills, location,
emails, phones, links, references; never the name), each filled field named in an input note.
Where both exist, the resume's text stays with the application and the rules that compare resume
and form read it.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from screening.ingest.resume.entries import Entry
from screening.ingest.resume.structure import ResumeStructure
from screening.model.application import ApplicationInput, RawApplication
from screening.model.notes import InputNote, NoteKind

_DESCRIPTION_CHARS = 2000
FILLABLE = (
    "emails", "phones", "links", "location", "employment", "education", "skills", "references",
)  # fmt: skip


def fields_from(structure: ResumeStructure) -> dict[str, Any]:
    """Application fields (contract v1 shape) read from a resume, only those that were found."""
    out: dict[str, Any] = {}
    for key, values in (
        ("emails", structure.emails),
        ("phones", structure.phones),
        ("links", structure.links),
        ("skills", structure.skills),
    ):
        if values:
            out[key] = list(values)
    if structure.location is not None:
        place = {"country": structure.location.country, "city": structure.location.city}
        out["location"] = {k: v for k, v in place.items() if v}
    jobs = [_job(e) for e in structure.work]
    if jobs:
        out["employment"] = jobs
    schools = [_school(e) for e in structure.education]
    if schools:
        out["education"] = schools
    refs = [
        {k: v for k, v in (("name", r.name), ("email", r.email), ("phone", r.phone)) if v}
        for r in structure.references
    ]
    if refs:
        out["references"] = refs
    return out


def fill_missing(raw: RawApplication) -> RawApplication:
    """The application with its empty fields filled from its resume's text (see the module)."""
    resume = next((d for d in raw.documents if d.kind == "resume" and d.fields), None)
    if resume is None:
        return raw
    missing = {k: v for k, v in resume.fields.items() if k in FILLABLE and not getattr(raw.data, k)}
    if not missing:
        return raw
    label = resume.file_name or "resume"
    data = raw.data.model_dump(by_alias=True, exclude_none=True)
    data.update(missing)
    try:
        app = ApplicationInput.model_validate(data)
    except ValidationError:  # a value read from the text the contract refuses: keep the form's
        note = InputNote(label, NoteKind.DOCUMENT, "fields read from the document's text were "
                         "not used: they do not fit the application contract")  # fmt: skip
        return raw.model_copy(update={"notes": (*raw.notes, note)})
    shown = ", ".join(f"{k} ({len(v)})" if isinstance(v, list) else k for k, v in missing.items())
    message = f"filled from the document's text (the application had none): {shown}"
    note = InputNote(label, NoteKind.DOCUMENT, message)
    return raw.model_copy(update={"data": app, "notes": (*raw.notes, note)})


def _job(entry: Entry) -> dict[str, object]:
    row = {
        "employer": entry.organisation,
        "title": entry.role,
        "location": entry.location,
        "start": entry.start,
        "end": entry.end,
        "description": entry.description[:_DESCRIPTION_CHARS] or None,
    }
    return {k: v for k, v in row.items() if v}


def _school(entry: Entry) -> dict[str, object]:
    row = {
        "institution": entry.organisation,
        "degree": entry.role,
        "start": entry.start,
        "end": entry.end,
    }
    return {k: v for k, v in row.items() if v}
