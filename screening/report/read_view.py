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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from screening.model.application import DocumentContent
from screening.model.normalized import Address, Application, Email, Name, Period, Phone
from screening.model.notes import InputNote

MAX_LISTED = 30
"""Longest list (skills, links ...) shown in full; the rest is counted."""

PARTS: dict[str, str] = {
    "name": "Name",
    "aliases": "Aliases",
    "emails": "Emails",
    "phones": "Phones",
    "links": "Links",
    "location": "Location",
    "addresses": "Addresses",
    "work_authorization": "Work authorization",
    "citizenship": "Citizenship",
    "date_of_birth": "Date of birth",
    "skills": "Skills",
    "references": "References",
    "payment": "Payment",
    "documents": "Documents",
    "network_records": "Network",
    "employment": "Employment",
    "education": "Education",
}
"""Every part of "What was read": its key in the JSON report's ``read`` field and its label."""


def ref_key(part: str, index: int | None = None) -> str:
    """The field path of a part or one of its items in ``read``: ``location``, ``emails[0]``."""
    return part if index is None else f"{part}[{index}]"


def anchor(part: str, index: int | None = None) -> str:
    """The HTML id of a part or item, made of the part key and index only (never candidate
    text): ``read-location``, ``read-emails-0``."""
    base = "read-" + part.replace("_", "-")
    return base if index is None else f"{base}-{index}"


def ref_label(part: str, index: int | None = None) -> str:
    """How a reference reads in a report: ``Location``, ``Emails 1`` (items counted from 1)."""
    label = PARTS[part]
    return label if index is None else f"{label} {index + 1}"


@dataclass(frozen=True, slots=True)
class Citation:
    """A finding that cites a part or item of "What was read": its anchor and number."""

    anchor: str
    number: int
    title: str


NO_CITATIONS: Mapping[str, tuple[Citation, ...]] = {}


@dataclass(frozen=True, slots=True)
class ReadItem:
    """One value of a listed part (an email, a skill ...), anchored by ``id``; ``number`` counts
    from 1 as the references read ("Emails 2")."""

    id: str
    number: int
    text: str
    cited_by: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadRow:
    """One line of "What was read": a part with its value, or its items when ``listed``.

    ``cited_by`` holds the findings that cite the part as a whole (a listed part's items carry
    their own); ``more`` counts the items beyond ``MAX_LISTED`` that are not shown.
    """

    part: str
    label: str
    id: str
    listed: bool
    items: tuple[ReadItem, ...]
    more: int = 0
    cited_by: tuple[Citation, ...] = ()

    @property
    def value(self) -> str:
        """The row as one line of text."""
        text = "; ".join(i.text for i in self.items)
        return f"{text}; and {self.more} more" if self.more else text


@dataclass(frozen=True, slots=True)
class ReadPeriodRow:
    """A role or a course of study as read (dates as ``YYYY-MM``, ``YYYY`` or a word)."""

    organisation: str
    title: str
    start: str
    end: str
    location: str
    id: str = ""
    cited_by: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadView:
    """The application as read: rows, employment, education, and the same as JSON data.

    ``employment_cited_by`` and ``education_cited_by`` are the findings that cite the whole
    history (a timeline count) rather than one entry.
    """

    rows: tuple[ReadRow, ...]
    employment: tuple[ReadPeriodRow, ...]
    education: tuple[ReadPeriodRow, ...]
    data: dict[str, object]
    employment_cited_by: tuple[Citation, ...] = ()
    education_cited_by: tuple[Citation, ...] = ()

    def has(self, part: str) -> bool:
        """True when ``part`` has a place (and an anchor) in the report."""
        if part == "employment":
            return bool(self.employment)
        if part == "education":
            return bool(self.education)
        return any(r.part == part for r in self.rows)

    def shown(self, part: str, index: int) -> bool:
        """True when item ``index`` of ``part`` has its own anchor in the report."""
        if part == "employment":
            return index < len(self.employment)
        if part == "education":
            return index < len(self.education)
        wanted = anchor(part, index)
        return any(
            i.id == wanted for r in self.rows if r.part == part and r.listed for i in r.items
        )


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


def read_view(
    app: Application | None, cited: Mapping[str, tuple[Citation, ...]] = NO_CITATIONS
) -> ReadView:
    """``app`` as rows and data (an empty view when the screening carries no application);
    ``cited`` maps a ``ref_key`` to the findings that cite it."""
    if app is None:
        return EMPTY_READ
    rows = _Rows(cited)
    rows.single("name", app.name.display)
    rows.listed("aliases", [n.display for n in app.aliases])
    rows.listed("emails", [e.address for e in app.emails])
    rows.listed("phones", [_phone(p) for p in app.phones])
    rows.listed("links", [link.url for link in app.links])
    loc = app.location
    rows.single("location", _join((loc.city, loc.region, loc.country, loc.timezone)))
    rows.listed("addresses", [_address(a) for a in app.addresses])
    rows.single("work_authorization", app.work_authorization or "")
    rows.single("citizenship", app.citizenship or "")
    rows.single("date_of_birth", app.date_of_birth.isoformat() if app.date_of_birth else "")
    rows.listed("skills", list(app.skills))
    rows.listed("references", [_reference(r.name, r.email, r.phone) for r in app.references])
    if app.payment is not None:
        p = app.payment
        count = len(p.wallets)
        wallets = f"{count} wallet address{'' if count == 1 else 'es'}" if count else ""
        holder = p.account_holder.display if p.account_holder else ""
        rows.single("payment", _join((p.method, p.platform, holder, p.bank_country, wallets)))
    rows.listed("documents", [_document(d) for d in app.documents])
    if app.network:
        rows.single("network_records", f"{len(app.network)} IP address record(s)")
    employment = tuple(
        ReadPeriodRow(
            j.employer or "(employer not given)",
            j.title or "",
            *_period(j.period),
            _join((j.location, j.website_domain)),
            anchor("employment", i),
            cited.get(ref_key("employment", i), ()),
        )
        for i, j in enumerate(app.employment)
    )
    education = tuple(
        ReadPeriodRow(
            s.institution or "(institution not given)",
            s.degree or "",
            *_period(s.period),
            s.country or "",
            anchor("education", i),
            cited.get(ref_key("education", i), ()),
        )
        for i, s in enumerate(app.education)
    )
    return ReadView(
        tuple(rows.rows),
        employment,
        education,
        _data(app),
        cited.get("employment", ()),
        cited.get("education", ()),
    )


class _Rows:
    """Rows in the order they are added; empty values leave no row (and no anchor)."""

    def __init__(self, cited: Mapping[str, tuple[Citation, ...]]) -> None:
        self.rows: list[ReadRow] = []
        self.cited = cited

    def single(self, part: str, value: str) -> None:
        if value:
            item = ReadItem(anchor(part), 1, value)
            self.rows.append(self._row(part, False, (item,), 0))

    def listed(self, part: str, values: Sequence[str]) -> None:
        items = [
            ReadItem(anchor(part, i), i + 1, v, self.cited.get(ref_key(part, i), ()))
            for i, v in enumerate(values)
            if v
        ]
        if items:
            shown = tuple(items[:MAX_LISTED])
            self.rows.append(self._row(part, True, shown, len(items) - len(shown)))

    def _row(self, part: str, listed: bool, items: tuple[ReadItem, ...], more: int) -> ReadRow:
        cited_by = self.cited.get(ref_key(part), ())
        return ReadRow(part, PARTS[part], anchor(part), listed, items, more, cited_by)


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
