"""The application file: input contract version 1 (docs/application.md lists every field).

This is the boundary model every ingest format produces: a native JSON/YAML file, a JSON Resume,
a CSV row or a resume document all become a validated ``ApplicationInput``. The schema is closed
(unknown fields are errors that suggest the closest known field) and every problem is reported with
the field path and what was expected, so a reviewer can fix the file without reading code.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from screening.errors import InputError, Problem, did_you_mean
from screening.model.attachments import Triage
from screening.model.notes import InputNote

CONTRACT_VERSION = 1

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_PRESENT_WORDS = {"present", "current", "now", "today", "ongoing"}


def _partial_date(value: object) -> object:
    """Accept 2019, '2019', '2019-01', '2019-01-15', a date, or 'present' (kept as text)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError("expected a date like 2019-01")
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("expected a date like 2019-01")
    text = value.strip()
    if text.lower() in _PRESENT_WORDS:
        return "present"
    m = _PARTIAL_DATE.match(text)
    if not m:
        raise ValueError(f"expected a date like 2019, 2019-01 or 2019-01-15, got {value!r}")
    year, month, day = m.group(1), m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"month out of range in {value!r}")
    if day is not None:
        try:
            dt.date(int(year), int(month or 1), int(day))
        except ValueError:
            raise ValueError(f"not a real date: {value!r}") from None
        return f"{year}-{int(month or 1):02d}-{int(day):02d}"
    if month is not None:
        return f"{year}-{int(month):02d}"
    return year


def _country(value: object) -> object:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{2}", value.strip()):
        raise ValueError(f"expected an ISO 3166-1 alpha-2 country code such as 'US', got {value!r}")
    return value.strip().upper()


_ZONE_SHAPE = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}")


@functools.cache
def _zones() -> dict[str, str]:
    """Case-folded IANA zone names -> the names as the database writes them (tzdata)."""
    import zoneinfo

    return {name.casefold(): name for name in zoneinfo.available_timezones()}


def _timezone(value: object) -> object:
    """An IANA zone name (``Europe/Lisbon``), in any letter case. Its shape is checked first
    (letters, digits, ``_+-``, at most two slashes, 64 characters), so paths, control characters
    and essays never reach the lookup; a name the zone database does not know is an input error
    naming the closest one, like a country code that is not a country."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("expected an IANA time zone name such as 'Europe/Lisbon'")
    text = value.strip()
    if not text:
        return None
    if len(text) > 64 or not _ZONE_SHAPE.fullmatch(text):
        raise ValueError("expected an IANA time zone name such as 'Europe/Lisbon'")
    known = _zones().get(text.casefold())
    if known is None:
        hint = did_you_mean(text, _zones().values())
        raise ValueError(f"{text!r} is not a time zone of the IANA database{hint}")
    return known


def _text(value: object) -> object:
    """Accept numbers where text is expected (CSV and YAML turn '78701' into 78701)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


PartialDate = Annotated[str | None, BeforeValidator(_partial_date)]
Country = Annotated[str | None, BeforeValidator(_country)]
Text = Annotated[str, BeforeValidator(_text)]
OptText = Annotated[str | None, BeforeValidator(_text)]
TimeZone = Annotated[str | None, BeforeValidator(_timezone)]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Location(_Closed):
    """Where the candidate says they live."""

    country: Country = None
    region: OptText = None
    city: OptText = None
    timezone: TimeZone = None


class AddressKind(StrEnum):
    HOME = "home"
    SHIPPING = "shipping"
    MAILING = "mailing"
    OTHER = "other"


class Address(_Closed):
    """A postal address; ``shipping`` is where equipment should go, ``recipient`` the name the
    parcel is addressed to when it is given (``c/o`` someone)."""

    kind: AddressKind = AddressKind.HOME
    recipient: OptText = None
    line1: OptText = None
    line2: OptText = None
    city: OptText = None
    region: OptText = None
    postal_code: OptText = None
    country: Country = None


class Document(_Closed):
    """A resume or cover letter: a file path (relative to the application file) or its text."""

    path: OptText = None
    text: OptText = None

    @model_validator(mode="after")
    def _one_of(self) -> Document:
        if not self.path and not self.text:
            raise ValueError("give either 'path' or 'text'")
        return self


class Employment(_Closed):
    """One role in the work history."""

    employer: OptText = None
    title: OptText = None
    start: PartialDate = None
    end: PartialDate = None
    location: OptText = None
    website: OptText = None
    description: OptText = None


class Education(_Closed):
    """One degree or programme."""

    institution: OptText = None
    degree: OptText = None
    start: PartialDate = None
    end: PartialDate = None
    country: Country = None


class Reference(_Closed):
    """A professional reference and how to reach them, with what your own enrichment knows of
    when their contact details came into existence (the toolkit never looks these up)."""

    name: OptText = None
    email: OptText = None
    phone: OptText = None
    relationship: OptText = None
    company: OptText = None
    # the earliest date your records or reputation provider saw this address / number
    email_first_seen: dt.date | None = None
    phone_first_seen: dt.date | None = None
    # the registration date of the email's domain (RDAP/WHOIS creation date)
    email_domain_registered: dt.date | None = None

    @field_validator(
        "email_first_seen", "phone_first_seen", "email_domain_registered", mode="before"
    )
    @classmethod
    def _day(cls, value: object) -> object:
        return value.date() if isinstance(value, dt.datetime) else value


class NetworkEvent(_Closed):
    """An IP address the ATS, interview tool or onboarding saw, with the browser's UTC offset."""

    ip: Text
    seen_at: dt.datetime | None = None
    context: OptText = None
    user_agent: OptText = None
    utc_offset_minutes: int | None = Field(default=None, ge=-14 * 60, le=14 * 60)


class Payment(_Closed):
    """How the candidate asks to be paid."""

    method: OptText = None
    account_holder: OptText = None
    bank_country: Country = None
    platform: OptText = None
    wallets: list[Text] = Field(default_factory=list)


class Message(_Closed):
    """A message between the candidate and the hiring team."""

    model_config = ConfigDict(populate_by_name=True)

    sender: OptText = Field(default=None, alias="from")
    at: dt.datetime | None = None
    text: OptText = None


class Photo(_Closed):
    """A profile or ID photo (path relative to the application file)."""

    path: Text


class Attachment(_Closed):
    """Another file sent with the application (portfolio, certificate, archive): triaged for
    active content, never read as a resume (path relative to the application file)."""

    path: Text


class Device(_Closed):
    """What endpoint tools saw on a device after hire."""

    hostname: OptText = None
    remote_access_tools: list[Text] = Field(default_factory=list)
    usb_devices: list[Text] = Field(default_factory=list)
    software: list[Text] = Field(default_factory=list)
    mac_addresses: list[Text] = Field(default_factory=list)  # of the device's interfaces
    network_hosts: list[Text] = Field(default_factory=list)  # names seen on its local network


class IdentityEvent(_Closed):
    """One event from the identity provider after hire (e.g. which device approved which
    account's multi-factor prompt)."""

    account: Text
    device: OptText = None  # the approving or signing-in device's id as the provider reports it
    event: OptText = None  # e.g. mfa_approved, sign_in
    at: dt.datetime | None = None
    ip: OptText = None


class InterviewCheckKind(StrEnum):
    LIVENESS = "liveness"  # a prompt shown live: turn the head, pass a hand across the face ...


class InterviewCheckResult(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    REFUSED = "refused"


class InterviewCheck(_Closed):
    """One structured check of an interview protocol applied alike to every candidate."""

    kind: InterviewCheckKind
    result: InterviewCheckResult
    at: dt.datetime | None = None
    note: OptText = None


class ApplicationInput(_Closed):
    """One application as written by a reviewer, an export or an ATS (contract version 1)."""

    id: OptText = None
    received_at: dt.datetime | None = None
    source: OptText = None
    name: Text = Field(min_length=1)
    aliases: list[Text] = Field(default_factory=list)
    emails: list[Text] = Field(default_factory=list)
    phones: list[Text] = Field(default_factory=list)
    location: Location | None = None
    addresses: list[Address] = Field(default_factory=list)
    links: list[Text] = Field(default_factory=list)
    work_authorization: OptText = None
    citizenship: Country = None
    date_of_birth: dt.date | None = None
    resume: Document | None = None
    cover_letter: Document | None = None
    attachments: list[Attachment] = Field(default_factory=list)
    skills: list[Text] = Field(default_factory=list)
    employment: list[Employment] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    network: list[NetworkEvent] = Field(default_factory=list)
    payment: Payment | None = None
    interview_notes: list[Text] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    photos: list[Photo] = Field(default_factory=list)
    devices: list[Device] = Field(default_factory=list)
    identity_events: list[IdentityEvent] = Field(default_factory=list)
    interview_checks: list[InterviewCheck] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _has_letters(cls, value: str) -> str:
        if not any(ch.isalpha() for ch in value):
            raise ValueError("a name needs at least one letter (in any script)")
        return value

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _dob(cls, value: object) -> object:
        if isinstance(value, dt.datetime):
            return value.date()
        return value


_MODELS: dict[str, type[BaseModel]] = {
    "location": Location,
    "addresses": Address,
    "resume": Document,
    "cover_letter": Document,
    "attachments": Attachment,
    "employment": Employment,
    "education": Education,
    "references": Reference,
    "network": NetworkEvent,
    "payment": Payment,
    "messages": Message,
    "photos": Photo,
    "devices": Device,
    "identity_events": IdentityEvent,
    "interview_checks": InterviewCheck,
}

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping of fields",
    "dict_type": "a mapping of fields",
    "datetime_type": "a date and time like 2025-03-02T14:05:00Z",
    "datetime_parsing": "a date and time like 2025-03-02T14:05:00Z",
    "datetime_from_date_parsing": "a date and time like 2025-03-02T14:05:00Z",
    "date_type": "a date like 1990-04-02",
    "date_parsing": "a date like 1990-04-02",
    "date_from_datetime_parsing": "a date like 1990-04-02",
    "enum": "one of the listed values",
}


def known_fields(loc: tuple[str | int, ...]) -> list[str]:
    """Field names allowed at the level of ``loc`` (the location of an unknown field)."""
    model: type[BaseModel] = ApplicationInput
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        nested = _MODELS.get(part)
        if nested is None:
            break
        model = nested
    names = []
    for fname, finfo in model.model_fields.items():
        names.append(finfo.alias or fname)
    return names


def _path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _shown(value: object) -> str:
    """A bad value as shown in an error: short, since it may be long hostile text."""
    if isinstance(value, dict | list):
        return type(value).__name__
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def problems_from(exc: ValidationError) -> list[Problem]:
    """Turn pydantic errors into one plain sentence per field."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"])
        kind = err["type"]
        field = _path(loc)
        value = err.get("input")
        if kind == "extra_forbidden":
            name = str(loc[-1])
            problems.append(Problem(field, f"unknown field{did_you_mean(name, known_fields(loc))}"))
        elif kind == "missing":
            problems.append(Problem(field, "required field is missing"))
        elif kind == "value_error":
            msg = str(err["msg"]).removeprefix("Value error, ")
            problems.append(Problem(field, msg))
        elif kind == "enum":
            allowed = err.get("ctx", {}).get("expected", "")
            problems.append(Problem(field, f"expected one of {allowed}, got {_shown(value)}"))
        elif kind == "string_too_short":
            problems.append(Problem(field, "must not be empty"))
        elif kind in ("greater_than_equal", "less_than_equal"):
            problems.append(Problem(field, f"{err['msg'].lower()}, got {_shown(value)}"))
        else:
            expected = _EXPECTED.get(kind, str(err["msg"]).lower())
            shown = _shown(value)
            problems.append(Problem(field, f"expected {expected}, got {shown}"))
    return problems


def parse_application(data: Any, source: str | None = None) -> ApplicationInput:
    """Validate a decoded document against contract v1; raise ``InputError`` listing problems."""
    if not isinstance(data, Mapping):
        kind = "empty document" if data is None else type(data).__name__
        raise InputError(
            [Problem("", f"expected a mapping of application fields, got {kind}")], source
        )
    try:
        return ApplicationInput.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc), source) from None


class DocumentStatus(StrEnum):
    """Whether a document's text could be read."""

    OK = "ok"
    SKIPPED = "skipped"


class DocumentMeta(BaseModel):
    """Metadata a document file carries about who made it and when."""

    model_config = ConfigDict(frozen=True)

    author: str | None = None
    last_modified_by: str | None = None
    creator_tool: str | None = None
    producer: str | None = None
    created: dt.datetime | None = None
    modified: dt.datetime | None = None


class DocumentContent(BaseModel):
    """A resume or cover letter after reading: text, format, metadata, or why it was skipped."""

    model_config = ConfigDict(frozen=True)

    kind: str
    format: str
    text: str = ""
    meta: DocumentMeta = Field(default_factory=DocumentMeta)
    status: DocumentStatus = DocumentStatus.OK
    reason: str = ""
    file_name: str | None = None
    fields: dict[str, Any] = Field(default_factory=dict, exclude=True, repr=False)
    """Application fields (contract v1 shape) read from a resume's text; not part of reports."""
    assembled: bool = False
    """Text put together from structured fields (a JSON Resume's label and summary), not a
    resume document: it has no header naming the person and is not expected to repeat the
    work history, so checks that read a document's header or coverage skip it."""
    triage: Triage | None = None  # active content found in the file's bytes (ingest.triage)


class RawApplication(BaseModel):
    """Output of ingest: the validated contract plus documents read on its behalf."""

    model_config = ConfigDict(frozen=True)

    data: ApplicationInput
    documents: tuple[DocumentContent, ...] = ()
    attachments: tuple[Triage, ...] = ()
    """Files triaged without being read as documents: the application's extra attachments and
    take-home submissions the reviewer passed with it (``check --submission``)."""
    origin: str = ""
    format: str = "native"
    notes: tuple[InputNote, ...] = ()
    """What intake assumed or normalised while reading (see ``screening.model.notes``)."""
    name_uncertain: bool = False
    """The name was read from a document and the reader is not sure of it: shown, never compared
    (every name comparison finds it incomparable)."""
