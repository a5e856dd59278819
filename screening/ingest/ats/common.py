"""Stage 1 of 6 (ingest): what every ATS mapping shares: the event record and a careful reader.

A webhook payload is hostile input even when its signature is valid (the candidate wrote most of
it), so the mappings never index into it blindly: ``Reader`` fetches each value with its type
checked, and collects one problem per bad field, named by its path in the vendor's payload
(``payload.application.candidate.email_addresses[0].value``), so the operator can see what the
vendor sent. Problems are raised together as one ``InputError``.

``AtsEvent`` is what a receiver needs from an envelope before anything is queued: which event it
is, the vendor's application id (our id is ``<vendor>-<that id>``), the id write-back addresses,
the vendor's delivery id, and ``record``: the part of the payload the mapping reads, and nothing
else (data minimisation: the hiring team's names, interview kits and custom fields of the job
are never stored).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from screening.errors import InputError, Problem

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")
_MAX_EPOCH_MS = 253402300799999  # 9999-12-31T23:59:59.999Z


class EventKind(StrEnum):
    """Whether an event carries a new application to screen."""

    APPLICATION = "application"
    ERASE = "erase"  # the vendor deleted or anonymised the applicant: erase ours too
    IGNORED = "ignored"


@dataclass(frozen=True, slots=True)
class AtsEvent:
    """One webhook delivery, as far as the receiver needs to understand it."""

    vendor: str
    event: str
    kind: EventKind
    application_id: str = ""
    candidate_ref: str = ""  # the id the vendor's API addresses notes to (candidate, opportunity)
    delivery_id: str = ""  # the vendor's delivery id when it is in the body
    record: Mapping[str, object] = field(default_factory=dict)
    erase_ids: tuple[str, ...] = ()  # ERASE: the vendor's application ids to erase

    @property
    def our_id(self) -> str:
        """``<vendor>-<vendor application id>``: the id of the job, the report and the API."""
        return f"{self.vendor}-{self.application_id}"


def ignored(vendor: str, event: str) -> AtsEvent:
    """An event that is not a new application (pings, stage changes, prospects ...)."""
    return AtsEvent(vendor=vendor, event=event, kind=EventKind.IGNORED)


def erasure(
    vendor: str,
    event: str,
    applications: Sequence[tuple[object, str]] = (),
    candidate: tuple[object, str] = (None, ""),
) -> AtsEvent:
    """A deletion or anonymisation: the named applications, and every one of the candidate's.

    Each id comes with the field it was read from, and is checked like any vendor id; an event
    naming nothing erases nothing and is answered as ignored.
    """
    ids = tuple(vendor_id(v, where) for v, where in applications if v not in (None, ""))
    value, where = candidate
    ref = vendor_id(value, where) if value not in (None, "") else ""
    if not ids and not ref:
        return ignored(vendor, event)
    return AtsEvent(
        vendor=vendor, event=event, kind=EventKind.ERASE, candidate_ref=ref, erase_ids=ids
    )


def required(obj: Mapping[str, object], path: str, prefix: str = "") -> Mapping[str, object]:
    """The object at dotted ``path`` of an envelope; ``InputError`` naming it when it is not one."""
    value: object = obj
    for key in path.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(value, Mapping):
        where = f"{prefix}.{path}" if prefix else path
        raise InputError([Problem(where, "required object is missing")])
    return value


def nested_application(
    vendor: str,
    event: str,
    envelope: Mapping[str, object],
    prefix: str,
    *,
    received_key: str,
    candidate_keys: Sequence[str],
    delivery_id: str = "",
) -> AtsEvent:
    """An application event whose body nests the candidate in the application at ``prefix``.

    Greenhouse (``payload.application``) and Ashby (``data.application``) both send it this way:
    the application's and the candidate's ids are checked, and the record keeps the
    application's ``received_key`` time and the listed candidate fields, nothing else.
    """
    application = required(envelope, prefix)
    candidate = required(application, "candidate", prefix)
    return AtsEvent(
        vendor=vendor,
        event=event,
        kind=EventKind.APPLICATION,
        application_id=vendor_id(application.get("id"), f"{prefix}.id"),
        candidate_ref=vendor_id(candidate.get("id"), f"{prefix}.candidate.id"),
        delivery_id=delivery_id,
        record={
            received_key: application.get(received_key),
            "candidate": pick(candidate, candidate_keys),
        },
    )


def event_name(value: object) -> str:
    """The event type as a short printable string (it is logged, so it is bounded)."""
    if not isinstance(value, str):
        return ""
    return re.sub(r"[^A-Za-z0-9._:-]", "?", value[:64])


class Reader:
    """Typed access to a decoded payload; problems are collected with the vendor's paths."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.problems: list[Problem] = []

    def _path(self, path: str) -> str:
        if not self.prefix:
            return path
        return f"{self.prefix}.{path}" if path else self.prefix

    def fail(self, path: str, message: str) -> None:
        """Record a problem at ``path`` (relative to the reader's prefix)."""
        self.problems.append(Problem(self._path(path), message))

    def check(self) -> None:
        """Raise every problem found so far as one ``InputError``."""
        if self.problems:
            raise InputError(self.problems)

    def mapping(self, obj: Mapping[str, object], key: str, path: str) -> Mapping[str, object]:
        """A nested object; absent or null gives an empty one."""
        value = obj.get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.fail(path, f"expected an object, got {type(value).__name__}")
            return {}
        return value

    def items(self, obj: Mapping[str, object], key: str, path: str) -> list[Mapping[str, object]]:
        """A list of objects; absent or null gives an empty list, non-objects are problems."""
        out: list[Mapping[str, object]] = []
        for i, item in enumerate(self._list(obj, key, path)):
            if isinstance(item, Mapping):
                out.append(item)
            elif item is not None:
                self.fail(f"{path}[{i}]", f"expected an object, got {type(item).__name__}")
        return out

    def values(
        self, obj: Mapping[str, object], key: str, path: str, field: str
    ) -> list[str | None]:
        """``field`` of each object in a list (``emails[i].value``), as ``text`` reads it."""
        return [
            self.text(item, field, f"{path}[{i}].{field}")
            for i, item in enumerate(self.items(obj, key, path))
        ]

    def texts(self, obj: Mapping[str, object], key: str, path: str) -> list[str]:
        """A list of strings (numbers are accepted as text); absent or null gives []."""
        out = []
        for i, item in enumerate(self._list(obj, key, path)):
            text = self._as_text(item, f"{path}[{i}]")
            if text:
                out.append(text)
        return out

    def text(self, obj: Mapping[str, object], key: str, path: str) -> str | None:
        """A string (a number is accepted as text); absent, null or blank gives None."""
        return self._as_text(obj.get(key), path)

    def period(self, obj: Mapping[str, object], path: str) -> dict[str, str | None]:
        """``start_date`` and ``end_date`` of a role or a study as contract ``start`` / ``end``."""
        return {
            "start": vendor_date(self.text(obj, "start_date", f"{path}.start_date")),
            "end": vendor_date(self.text(obj, "end_date", f"{path}.end_date")),
        }

    def _list(self, obj: Mapping[str, object], key: str, path: str) -> list[object]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, f"expected a list, got {type(value).__name__}")
            return []
        return value

    def _as_text(self, value: object, path: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool):
            self.fail(path, "expected text, got a boolean")
            return None
        if isinstance(value, int | float):
            return str(value)
        if not isinstance(value, str):
            self.fail(path, f"expected text, got {type(value).__name__}")
            return None
        return value.strip() or None


def vendor_id(value: object, where: str) -> str:
    """A vendor id as text, refused unless it is a short run of safe characters.

    Ids end up in URLs, file-like keys and log lines, so anything else is a malformed payload.
    """
    if isinstance(value, bool) or value is None:
        raise InputError([Problem(where, "required id is missing")])
    text = str(value) if isinstance(value, int | str) else ""
    if not _ID.fullmatch(text):
        raise InputError(
            [Problem(where, "expected an id of at most 128 letters, digits, '.', '_', ':' or '-'")]
        )
    return text


def vendor_date(text: str | None) -> str | None:
    """``MM/DD/YYYY`` (Greenhouse education) and ISO date-times reduced to ``YYYY-MM-DD``.

    Anything else is passed on unchanged, so the contract's own check names what was expected.
    """
    if text is None:
        return None
    m = _US_DATE.fullmatch(text)
    if m:
        return f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}"
    m = _ISO_DATETIME.match(text)
    if m:
        return m[1]
    return text


def epoch_ms(value: object, reader: Reader, path: str) -> str | None:
    """Milliseconds since the epoch (Lever) as an ISO 8601 UTC time."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_EPOCH_MS:
        reader.fail(path, "expected milliseconds since 1970 as a whole number")
        return None
    moment = dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def joined(parts: Sequence[str | None], sep: str = " ") -> str:
    """The parts that have a value, joined (first and last name; degree and discipline)."""
    return sep.join(part for part in parts if part)


def pick(obj: Mapping[str, object], keys: Sequence[str]) -> dict[str, object]:
    """The listed keys of ``obj`` that are present (the minimised record)."""
    return {k: obj[k] for k in keys if k in obj}


def compact(entry: Mapping[str, str | None]) -> dict[str, str]:
    """A record's fields that have a value (a contract entry with only the data there is)."""
    return {k: v for k, v in entry.items() if v}


def contract(
    reader: Reader, app_id: str, vendor: str, fields: Mapping[str, object]
) -> dict[str, object]:
    """A contract v1 mapping once the reader found no problem (else its ``InputError``).

    Our id and the vendor as source come first, then only the fields that have data: a list of
    text keeps its values in order without blanks or case-insensitive duplicates (an email given
    as primary and again in the list counts once), a list of records loses the empty ones.
    """
    reader.check()
    out: dict[str, object] = {"id": app_id, "source": vendor}
    for key, value in fields.items():
        if isinstance(value, list):
            value = _tidy(value)
        if value not in (None, "", [], {}):
            out[key] = value
    return out


def _tidy(values: list[object]) -> list[object]:
    seen: set[str] = set()
    out: list[object] = []
    for value in values:
        if isinstance(value, str):
            if value.casefold() in seen:
                continue
            seen.add(value.casefold())
        if value:
            out.append(value)
    return out
