"""The normalized application every analyzer reads (output of stage 2, normalize).

Values are cleaned once here so analyzers never re-parse: names are NFKC-normalised with
invisible characters removed and folded tokens for comparison, phones are E.164, emails are split
and lower-cased, dates are year-month values, links know their kind and handle. Free text
(documents, interview notes, message text) is kept as written for the language analyzer, which
cleans it itself and reports hidden characters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from screening.model.application import DocumentContent
from screening.model.attachments import Triage
from screening.model.notes import InputNote


@dataclass(frozen=True, slots=True, order=True)
class YearMonth:
    """A date with month precision (day and month may be unknown: ``precision``)."""

    year: int
    month: int = 1
    precision: str = "month"  # "year" | "month" | "day"

    @property
    def index(self) -> int:
        """Months since year 0, for arithmetic."""
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return str(self.year) if self.precision == "year" else f"{self.year}-{self.month:02d}"


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name: as written, cleaned for display, folded tokens and the script used."""

    raw: str
    display: str
    tokens: tuple[str, ...]
    script: str  # dominant Unicode script: "latin", "hangul", "han", "cyrillic", ... or "mixed"


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number as given and, when it parses, in E.164 with the number's region."""

    raw: str
    e164: str | None
    region: str | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Email:
    """An email address split into local part and (IDNA-encoded) domain."""

    raw: str
    address: str
    local: str
    domain: str
    valid: bool
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A profile or website link: host, kind (linkedin, github, ...) and handle when known."""

    raw: str
    url: str
    host: str
    kind: str
    handle: str | None = None


@dataclass(frozen=True, slots=True)
class Location:
    """Where the candidate claims to live."""

    country: str | None = None
    region: str | None = None
    city: str | None = None
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address with a normalised comparison key."""

    kind: str
    line1: str | None
    line2: str | None
    city: str | None
    region: str | None
    postal_code: str | None
    country: str | None
    key: str
    recipient: Name | None = None  # the name the parcel is addressed to, when given


@dataclass(frozen=True, slots=True)
class Period:
    """A start and end; ``current`` when the end is 'present'."""

    start: YearMonth | None = None
    end: YearMonth | None = None
    current: bool = False


@dataclass(frozen=True, slots=True)
class Job:
    """One role in the work history."""

    employer: str | None
    title: str | None
    period: Period
    location: str | None
    website_domain: str | None
    description: str | None


@dataclass(frozen=True, slots=True)
class School:
    """One degree or programme."""

    institution: str | None
    degree: str | None
    period: Period
    country: str | None


@dataclass(frozen=True, slots=True)
class Reference:
    """A reference with normalised contact details."""

    name: Name | None
    email: Email | None
    phone: Phone | None
    relationship: str | None
    company: str | None
    email_first_seen: dt.date | None = None
    phone_first_seen: dt.date | None = None
    email_domain_registered: dt.date | None = None


@dataclass(frozen=True, slots=True)
class NetworkEvent:
    """An IP address seen for the application, with context and the browser's UTC offset."""

    ip: str
    seen_at: dt.datetime | None
    context: str | None
    user_agent: str | None
    utc_offset_minutes: int | None


@dataclass(frozen=True, slots=True)
class Payment:
    """How the candidate asks to be paid, with method and platform normalised."""

    method: str | None
    account_holder: Name | None
    bank_country: str | None
    platform: str | None
    wallets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Message:
    """A message between candidate and hiring team (``text`` as written)."""

    sender: str | None
    at: dt.datetime | None
    text: str


@dataclass(frozen=True, slots=True)
class Device:
    """What endpoint tools saw on a device after hire."""

    hostname: str | None
    remote_access_tools: tuple[str, ...]
    usb_devices: tuple[str, ...]
    software: tuple[str, ...]
    mac_addresses: tuple[str, ...] = ()
    network_hosts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IdentityEvent:
    """An identity-provider event after hire: an account, the device, what happened, when."""

    account: str
    device: str | None
    event: str | None
    at: dt.datetime | None
    ip: str | None


@dataclass(frozen=True, slots=True)
class InterviewCheck:
    """One structured interview check (``liveness`` ...) and its result (passed, failed,
    refused)."""

    kind: str
    result: str
    at: dt.datetime | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Application:
    """One normalized application: the input to every analyzer."""

    id: str
    name: Name
    aliases: tuple[Name, ...] = ()
    emails: tuple[Email, ...] = ()
    phones: tuple[Phone, ...] = ()
    location: Location = field(default_factory=Location)
    addresses: tuple[Address, ...] = ()
    links: tuple[Link, ...] = ()
    work_authorization: str | None = None
    citizenship: str | None = None
    date_of_birth: dt.date | None = None
    documents: tuple[DocumentContent, ...] = ()
    attachments: tuple[Triage, ...] = ()  # see RawApplication.attachments
    skills: tuple[str, ...] = ()
    employment: tuple[Job, ...] = ()
    education: tuple[School, ...] = ()
    references: tuple[Reference, ...] = ()
    network: tuple[NetworkEvent, ...] = ()
    payment: Payment | None = None
    interview_notes: tuple[str, ...] = ()
    messages: tuple[Message, ...] = ()
    photos: tuple[str, ...] = ()
    devices: tuple[Device, ...] = ()
    identity_events: tuple[IdentityEvent, ...] = ()
    interview_checks: tuple[InterviewCheck, ...] = ()
    received_at: dt.datetime | None = None
    source: str | None = None
    origin: str = ""
    notes: tuple[InputNote, ...] = ()  # ingest's input notes, then normalize's own
