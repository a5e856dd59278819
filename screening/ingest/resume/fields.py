"""A resume's structure as application fields (contract v1 shape), and filling an application's
missing fields from its resume.

An application that comes with structured fields (a form, an ATS payload, an application file)
keeps them: the resume fills only what is missing (employment, education, skills, location,
emails, phones, links, references; never the name), each filled field named in an input note.
Where both exist, the form's values are kept and what the resume says differently is counted per
field (emails, phones and employers the form does not have): an input note names the fields, and
the ``documents`` facts carry the counts and how the resume's name relates to the form's, for
rules that look for a form and a resume that disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from rapidfuzz import fuzz

from screening.ingest.resume.entries import Entry
from screening.ingest.resume.structure import ResumeStructure
from screening.model.application import ApplicationInput, RawApplication
from screening.model.notes import InputNote, NoteKind

_DESCRIPTION_CHARS = 2000
_SAME_EMPLOYER = 85  # partial ratio: the same organisation, abbreviated or wrapped on the page
_PHONE_TAIL = 8  # the last digits identify a number written with or without its prefixes
COMPARED = ("emails", "phones", "employers")
FILLABLE = (
    "emails", "phones", "links", "location", "employment", "education", "skills", "references",
)  # fmt: skip


def fields_from(structure: ResumeStructure, with_name: bool = False) -> dict[str, Any]:
    """Application fields (contract v1 shape) read from a resume, only those that were found;
    ``with_name`` adds the name when the reader is sure of it (to compare with a form's, never to
    fill it)."""
    out: dict[str, Any] = {}
    if with_name and structure.name is not None and structure.name.certain:
        out["name"] = structure.name.name
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


def not_on_form(
    resume: dict[str, Any], emails: Sequence[str], phones: Sequence[str], employers: Sequence[str]
) -> dict[str, int | None]:
    """Per compared field, how many of the resume's values the form does not have; None where
    either side has none (nothing to compare: a field the resume filled is the resume's own)."""
    mine = {
        "emails": [str(e) for e in resume.get("emails", [])],
        "phones": [str(p) for p in resume.get("phones", [])],
        "employers": [
            str(j["employer"]) for j in resume.get("employment", []) if j.get("employer")
        ],
    }
    theirs = {"emails": emails, "phones": phones, "employers": employers}
    same = {"emails": _same_email, "phones": _same_phone, "employers": _same_employer}
    return {
        field: sum(1 for v in mine[field] if not any(same[field](v, o) for o in theirs[field]))
        if mine[field] and theirs[field]
        else None
        for field in COMPARED
    }


def _same_email(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _same_phone(a: str, b: str) -> bool:
    x, y = ("".join(c for c in v if c.isdigit())[-_PHONE_TAIL:] for v in (a, b))
    return bool(x) and x == y


def _same_employer(a: str, b: str) -> bool:
    return fuzz.partial_ratio(a.casefold(), b.casefold()) >= _SAME_EMPLOYER


def fill_missing(raw: RawApplication) -> RawApplication:
    """The application with its empty fields filled from its resume's text, and a note naming
    the fields where the resume says what the form does not (see the module)."""
    resume = next((d for d in raw.documents if d.kind == "resume" and d.fields), None)
    if resume is None:
        return raw
    label = resume.file_name or "resume"
    form = raw.data
    differ = not_on_form(
        resume.fields, form.emails, form.phones, [j.employer for j in form.employment if j.employer]
    )
    if shown := ", ".join(f"{k} ({n})" for k, n in differ.items() if n):
        note = InputNote(label, NoteKind.DOCUMENT, "the document's text has values the "
                         f"application's fields do not (the fields are kept): {shown}")  # fmt: skip
        raw = raw.model_copy(update={"notes": (*raw.notes, note)})
    missing = {k: v for k, v in resume.fields.items() if k in FILLABLE and not getattr(raw.data, k)}
    if not missing:
        return raw
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
