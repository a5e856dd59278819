"""Stage 6 of 6 (report): "What was read" and "Input notes", the application as the tool saw it.

A reviewer should check the reading before trusting a finding: a phone read against the wrong
country or a date read as the wrong month changes what the rules saw. Every report format shows
the same ``ReadView`` (rows of label and text for HTML and Markdown, ``data`` for the JSON
report's ``read`` field), built here from the normalized ``Application``.

Documents (resumes, cover letters) appear with their format, status and metadata; a reader of a
new document format only has to fill ``DocumentContent`` and add ``InputNote``s (kind
``document``) for what it assumed; nothing here needs to change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from screening.model.application import DocumentContent
from screening.model.normalized import Address, Application, Email, Name, Period, Phone
from screening.model.notes import InputNote

MAX_LISTED = 30
"""Longest list (skills, links ...) shown in full; the rest is counted."""


@dataclass(frozen=True, slots=True)
class ReadRow:
    """One line of "What was read": a label and the value as text."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class ReadPeriodRow:
    """A role or a course of study as read (dates as ``YYYY-MM``, ``YYYY`` or a word)."""

    organisation: str
    title: str
    start: str
    end: str
    location: str


@dataclass(frozen=True, slots=True)
class ReadView:
    """The application as read: rows, employment, education, and the same as JSON data."""

    rows: tuple[ReadRow, ...]
    employment: tuple[ReadPeriodRow, ...]
    education: tuple[ReadPeriodRow, ...]
    data: dict[str, object]


@dataclass(frozen=True, slots=True)
class InputNoteView:
    """One input note as shown: field, kind and message."""

    field: str
    kind: str
    message: str


@dataclass(frozen=True, slots=True)
class InputNotesView:
    """All input notes and how many there are of each kind (``counts``: kind, count; by kind)."""

    notes: tuple[InputNoteView, ...]
    counts: tuple[tuple[str, int], ...]


def input_notes_view(notes: Sequence[InputNote]) -> InputNotesView:
    """Notes in the order they were made, with a per-kind count."""
    counts = Counter(str(n.kind) for n in notes)
    return InputNotesView(
        tuple(InputNoteView(n.field, str(n.kind), n.message) for n in notes),
        tuple(sorted(counts.items())),
    )


EMPTY_READ = ReadView((), (), (), {})


def read_view(app: Application | None) -> ReadView:
    """``app`` as rows and data (an empty view when the screening carries no application)."""
    if app is None:
        return EMPTY_READ
    rows: list[ReadRow] = [ReadRow("Name", app.name.display)]
    _add(rows, "Aliases", [n.display for n in app.aliases])
    _add(rows, "Emails", [e.address for e in app.emails])
    _add(rows, "Phones", [_phone(p) for p in app.phones])
    _add(rows, "Links", [link.url for link in app.links])
    location = _join(
        (app.location.city, app.location.region, app.location.country, app.location.timezone)
    )
    _add(rows, "Location", [location] if location else [])
    _add(rows, "Addresses", [_address(a) for a in app.addresses])
    _add(rows, "Work authorization", [app.work_authorization or ""])
    _add(rows, "Citizenship", [app.citizenship or ""])
    _add(rows, "Date of birth", [app.date_of_birth.isoformat() if app.date_of_birth else ""])
    _add(rows, "Skills", list(app.skills))
    _add(rows, "References", [_reference(r.name, r.email, r.phone) for r in app.references])
    if app.payment is not None:
        p = app.payment
        count = len(p.wallets)
        wallets = f"{count} wallet address{'' if count == 1 else 'es'}" if count else ""
        holder = p.account_holder.display if p.account_holder else ""
        _add(rows, "Payment", [_join((p.method, p.platform, holder, p.bank_country, wallets))])
    _add(rows, "Documents", [_document(d) for d in app.documents])
    if app.network:
        _add(rows, "Network", [f"{len(app.network)} IP address record(s)"])
    employment = tuple(
        ReadPeriodRow(
            j.employer or "(employer not given)",
            j.title or "",
            *_period(j.period),
            _join((j.location, j.website_domain)),
        )
        for j in app.employment
    )
    education = tuple(
        ReadPeriodRow(
            s.institution or "(institution not given)",
            s.degree or "",
            *_period(s.period),
            s.country or "",
        )
        for s in app.education
    )
    return ReadView(tuple(rows), employment, education, _data(app))


def _add(rows: list[ReadRow], label: str, values: Sequence[str]) -> None:
    values = [v for v in values if v]
    if not values:
        return
    shown = values[:MAX_LISTED]
    text = "; ".join(shown)
    if len(values) > MAX_LISTED:
        text += f"; and {len(values) - MAX_LISTED} more"
    rows.append(ReadRow(label, text))


def _join(parts: Iterable[str | None]) -> str:
    return ", ".join(p for p in parts if p)


def _phone(phone: Phone) -> str:
    if phone.e164 is None:
        return f"{phone.raw} (not placed: {phone.error})"
    region = f" ({phone.region})" if phone.region else ""
    return f"{phone.e164}{region}"


def _address(a: Address) -> str:
    return f"{a.kind}: " + _join((a.line1, a.line2, a.postal_code, a.city, a.region, a.country))


def _reference(name: Name | None, email: Email | None, phone: Phone | None) -> str:
    parts = [name.display if name else "(name not given)"]
    if email is not None:
        parts.append(email.address)
    if phone is not None:
        parts.append(_phone(phone))
    return ", ".join(parts)


def _document(d: DocumentContent) -> str:
    label = d.file_name or d.kind.replace("_", " ")
    parts = [f"{label} ({d.format}, {d.status})"]
    if d.text:
        parts.append(f"{len(d.text)} characters")
    meta = d.meta
    for name, value in (
        ("author", meta.author),
        ("last modified by", meta.last_modified_by),
        ("made with", meta.creator_tool),
        ("producer", meta.producer),
        ("created", meta.created.isoformat(timespec="seconds") if meta.created else None),
        ("modified", meta.modified.isoformat(timespec="seconds") if meta.modified else None),
    ):
        if value:
            parts.append(f"{name} {value}")
    if d.reason:
        parts.append(d.reason)
    return ", ".join(parts)


def _period(p: Period) -> tuple[str, str]:
    start = str(p.start) if p.start else "not given"
    end = str(p.end) if p.end else ("present" if p.current else "not given")
    return start, end


def _data(app: Application) -> dict[str, object]:
    """The JSON report's ``read`` field: values as normalised, lists as lists."""
    loc = app.location
    return {
        "name": app.name.display,
        "aliases": [n.display for n in app.aliases],
        "emails": [e.address for e in app.emails],
        "phones": [
            {"as_written": p.raw, "e164": p.e164, "region": p.region, "error": p.error}
            for p in app.phones
        ],
        "links": [link.url for link in app.links],
        "location": {
            "country": loc.country,
            "region": loc.region,
            "city": loc.city,
            "timezone": loc.timezone,
        },
        "addresses": [
            {
                "kind": a.kind,
                "line1": a.line1,
                "line2": a.line2,
                "city": a.city,
                "region": a.region,
                "postal_code": a.postal_code,
                "country": a.country,
            }
            for a in app.addresses
        ],
        "work_authorization": app.work_authorization,
        "citizenship": app.citizenship,
        "date_of_birth": app.date_of_birth.isoformat() if app.date_of_birth else None,
        "skills": list(app.skills),
        "employment": [
            {
                "employer": j.employer,
                "title": j.title,
                "start": str(j.period.start) if j.period.start else None,
                "end": str(j.period.end) if j.period.end else None,
                "current": j.period.current,
                "location": j.location,
                "website_domain": j.website_domain,
            }
            for j in app.employment
        ],
        "education": [
            {
                "institution": s.institution,
                "degree": s.degree,
                "start": str(s.period.start) if s.period.start else None,
                "end": str(s.period.end) if s.period.end else None,
                "country": s.country,
            }
            for s in app.education
        ],
        "references": [
            {
                "name": r.name.display if r.name else None,
                "email": r.email.address if r.email else None,
                "phone": r.phone.e164 if r.phone else None,
            }
            for r in app.references
        ],
        "payment": None
        if app.payment is None
        else {
            "method": app.payment.method,
            "platform": app.payment.platform,
            "account_holder": (
                app.payment.account_holder.display if app.payment.account_holder else None
            ),
            "bank_country": app.payment.bank_country,
            "wallets": len(app.payment.wallets),
        },
        "documents": [
            {
                "kind": d.kind,
                "format": d.format,
                "file_name": d.file_name,
                "status": str(d.status),
                "reason": d.reason or None,
                "characters": len(d.text),
                "meta": d.meta.model_dump(mode="json", exclude_none=True),
            }
            for d in app.documents
        ],
        "network_records": len(app.network),
    }
