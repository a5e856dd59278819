"""Stage 3 (analyze): the OFAC SDN list in its advanced XML form (``SDN_ADVANCED.XML``, and the
consolidated ``CONS_ADVANCED.XML``, which share the schema).

Structure as OFAC publishes it: ``DateOfIssue`` (Year, Month, Day); ``ReferenceValueSets`` that
name the numeric ids used below (``FeatureType`` "Digital Currency Address - XBT", "Email
Address", "Website", "Birthdate"; ``PartySubType`` -> ``PartyType`` Individual, Entity,
Transport; ``NamePartType`` Last Name, First Name ...; ``AliasType`` 1403 "Name"); one
``DistinctParty`` per listed party (``FixedRef`` is the uid, the same number as ``sdn.csv``'s
first column) with a ``Profile`` holding ``Identity/Alias/DocumentedName/DocumentedNamePart/
NamePartValue`` names (``LowQuality="true"`` marks weak aliases) and ``Feature``s whose
``FeatureVersion`` carries a ``VersionDetail`` text or a ``DatePeriod``; and ``SanctionsEntry``
elements whose ``SanctionsMeasure`` of type 1 names the program in its ``Comment``. Elements are
matched by local name. The file is parsed as a stream with expat; a document type or entity
declaration is refused (no entity expansion), and every error names the file and line.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from screening.analyze.sanctions.entries import BirthDate, SanctionsEntry, SanctionsList, Wallet
from screening.analyze.sanctions.expat_stream import StreamReader
from screening.errors import ListError

TITLE = "OFAC SDN list (advanced XML)"
MAX_BYTES = 512 * 1024 * 1024
MIN_PARTIES = 100  # a full list has thousands; fewer is a truncated or wrong download
_GZIP_MAGIC = b"\x1f\x8b"
_CURRENCY_PREFIX = "digital currency address - "
_PROGRAM_MEASURE = "1"
_KINDS = {"individual": "individual", "entity": "entity", "transport": "vessel"}
_LAST, _FIRST = "last name", "first name"


@dataclass
class _Alias:
    primary: bool
    weak: bool
    parts: list[tuple[str, str]] = field(default_factory=list)  # (name part group id, text)


@dataclass
class _Party:
    uid: str
    line: int
    subtype: str = ""
    aliases: list[_Alias] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)  # name part group id -> type id
    features: list[tuple[str, str]] = field(default_factory=list)  # (feature type id, text)
    births: list[BirthDate] = field(default_factory=list)


@dataclass
class _Period:
    """The From of Start and the To of End of a DatePeriod, and whether it is approximate."""

    dates: dict[str, dict[str, int]] = field(default_factory=dict)
    approximate: bool = False


class _Reader(StreamReader):
    def __init__(self, label: str) -> None:
        super().__init__(label)
        self.attrs: dict[str, str] = {}
        self.values: dict[str, dict[str, str]] = {}  # reference set element -> id -> text
        self.subtypes: dict[str, str] = {}  # PartySubType id -> PartyType id
        self.parties: dict[str, _Party] = {}
        self.party: _Party | None = None
        self.alias: _Alias | None = None
        self.feature_type = ""
        self.period: _Period | None = None
        self.issue: dict[str, int] = {}
        self.programs: dict[str, list[str]] = {}
        self.entry_profile = ""
        self.measure_type = ""

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = self.enter(tag, "Sanctions", "OFAC advanced XML")
        self.attrs = attrs
        if local == "PartySubType":
            self.subtypes[attrs.get("ID", "")] = attrs.get("PartyTypeID", "")
        elif local == "DistinctParty":
            uid = attrs.get("FixedRef", "")
            self.party = _Party(uid, self.parser.CurrentLineNumber)
        elif local == "Profile" and self.party is not None:
            self.party.subtype = attrs.get("PartySubTypeID", "")
        elif local == "Alias" and self.party is not None:
            self.alias = _Alias(attrs.get("Primary") == "true", attrs.get("LowQuality") == "true")
        elif local == "NamePartGroup" and self.party is not None:
            self.party.groups[attrs.get("ID", "")] = attrs.get("NamePartTypeID", "")
        elif local == "Feature":
            self.feature_type = attrs.get("FeatureTypeID", "")
        elif local == "DatePeriod":
            self.period = _Period()
        elif local == "Start" and self.period is not None:
            self.period.approximate = attrs.get("Approximate") == "true"
        elif local == "SanctionsEntry":
            self.entry_profile = attrs.get("ProfileID", "")
        elif local == "SanctionsMeasure":
            self.measure_type = attrs.get("SanctionsTypeID", "")

    def end(self, _tag: str) -> None:
        local = self.stack.pop()
        parent = self.stack[-1] if self.stack else ""
        text = "".join(self.text).strip()
        self.text = []
        party = self.party
        if parent.endswith("Values") and len(self.stack) == 3:  # a reference value
            self.values.setdefault(local, {})[self.attrs.get("ID", "")] = text
        elif parent == "DateOfIssue" and local in ("Year", "Month", "Day") and text.isdigit():
            self.issue[local] = int(text)
        elif local == "NamePartValue" and self.alias is not None:
            self.alias.parts.append((self.attrs.get("NamePartGroupID", ""), text))
        elif local == "Alias" and party is not None and self.alias is not None:
            party.aliases.append(self.alias)
            self.alias = None
        elif local == "VersionDetail" and party is not None and text:
            party.features.append((self.feature_type, text))
        elif (
            local in ("Year", "Month", "Day")
            and self.period is not None
            and text.isdigit()
            # Start/From and End/To bound the period; Start/To and End/From are ignored
            and len(self.stack) >= 2
            and (self.stack[-2], parent) in (("Start", "From"), ("End", "To"))
        ):
            self.period.dates.setdefault(self.stack[-2], {})[local] = int(text)
        elif local == "DatePeriod" and party is not None and self.period is not None:
            birth = self.birth(self.period)
            if birth is not None and self.feature_name(self.feature_type) == "birthdate":
                party.births.append(birth)
            self.period = None
        elif local == "DistinctParty" and party is not None:
            if not party.uid:
                raise self.fail("DistinctParty without FixedRef", party.line)
            self.parties[party.uid] = party
            self.party = None
        elif (
            local == "Comment"
            and parent == "SanctionsMeasure"
            and text
            and self.measure_type == _PROGRAM_MEASURE
            and self.entry_profile
        ):
            self.programs.setdefault(self.entry_profile, []).append(text)

    def feature_name(self, type_id: str) -> str:
        return self.values.get("FeatureType", {}).get(type_id, "").lower()

    @staticmethod
    def birth(period: _Period) -> BirthDate | None:
        try:
            start = dt.date(**{k.lower(): v for k, v in period.dates["Start"].items()})
            end = dt.date(**{k.lower(): v for k, v in period.dates["End"].items()})
        except (KeyError, TypeError, ValueError):
            return None
        if end < start:
            return None
        if period.approximate:
            return BirthDate(dt.date(start.year - 1, 1, 1), dt.date(end.year + 1, 12, 31), "circa")
        if start == end:
            return BirthDate(start, end, "day")
        whole_year = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        if whole_year and start.year == end.year:
            return BirthDate(start, end, "year")
        return BirthDate(start, end, "range")

    def name(self, party: _Party, alias: _Alias) -> str:
        types = self.values.get("NamePartType", {})
        parts = [(types.get(party.groups.get(g, ""), "").lower(), t) for g, t in alias.parts]
        last = " ".join(t for kind, t in parts if kind == _LAST)
        rest = " ".join(t for kind, t in parts if kind != _LAST)
        return f"{last}, {rest}" if last and rest else last or rest

    def build(self, party: _Party) -> SanctionsEntry:
        primary = next((a for a in party.aliases if a.primary), None)
        if primary is None:
            raise self.fail(f"party {party.uid} has no primary name", party.line)
        strong = [self.name(party, a) for a in party.aliases if not a.primary and not a.weak]
        weak = [self.name(party, a) for a in party.aliases if not a.primary and a.weak]
        emails: list[str] = []
        wallets: list[Wallet] = []
        websites: list[str] = []
        for type_id, text in party.features:
            kind = self.feature_name(type_id)
            if kind == "email address":
                emails.append(text.lower())
            elif kind == "website":
                websites.append(text)
            elif kind.startswith(_CURRENCY_PREFIX):
                wallets.append(Wallet(kind[len(_CURRENCY_PREFIX) :].strip().upper(), text))
        party_type = self.values.get("PartyType", {}).get(self.subtypes.get(party.subtype, ""), "")
        kind = _KINDS.get(party_type.lower(), "entity")
        if (
            kind == "vessel"
            and self.values.get("PartySubType", {}).get(party.subtype) == "Aircraft"
        ):
            kind = "aircraft"
        return SanctionsEntry(
            uid=party.uid,
            name=self.name(party, primary),
            kind=kind,
            programs=tuple(self.programs.get(party.uid, ())),
            aliases=tuple(n for n in strong if n),
            weak_aliases=tuple(n for n in weak if n),
            emails=tuple(emails),
            wallets=tuple(wallets),
            websites=tuple(websites),
            birth_dates=tuple(party.births),
        )


def parse_advanced(data: bytes, label: str) -> tuple[list[SanctionsEntry], str]:
    """Entries and date of issue (ISO) of an advanced-XML document."""
    reader = _Reader(label)
    reader.parse(data)
    if not reader.parties:
        raise ListError(f"{label}, line 1: no DistinctParty elements: not an OFAC advanced file")
    date = ""
    if {"Year", "Month", "Day"} <= set(reader.issue):
        i = reader.issue
        date = dt.date(i["Year"], i["Month"], i["Day"]).isoformat()
    return [reader.build(p) for p in reader.parties.values()], date


def _read_within_limit(opener: Callable[[], io.BufferedIOBase], label: str) -> bytes:
    try:
        with opener() as fh:
            data = fh.read(MAX_BYTES + 1)
    except (OSError, EOFError) as exc:
        raise ListError(f"{label}: cannot read: {exc}") from None
    if len(data) > MAX_BYTES:
        raise ListError(f"{label}: larger than {MAX_BYTES} bytes, refused")
    return data


def _gunzip(data: bytes, label: str) -> bytes:
    if not data.startswith(_GZIP_MAGIC):
        return data
    return _read_within_limit(lambda: gzip.GzipFile(fileobj=io.BytesIO(data)), label)


def validate(data: bytes) -> tuple[int, str]:
    """``screening lists update`` check of a downloaded ``SDN_ADVANCED.XML`` (or its gzip form):
    it parses as a whole, is dated, and is not cut short."""
    label = "OFAC SDN advanced XML"
    entries, date = parse_advanced(_gunzip(data, label), label)
    if not date:
        raise ListError(f"{label}: no DateOfIssue, refusing an undated list")
    if len(entries) < MIN_PARTIES:
        raise ListError(f"{label}: only {len(entries)} parties, refusing a truncated list")
    return len(entries), date


def compress(data: bytes) -> bytes:
    """The downloaded XML as it is kept: gzip (the full list is over 100 MB as text)."""
    return data if data.startswith(_GZIP_MAGIC) else gzip.compress(data, mtime=0)


def is_advanced(head: bytes) -> bool:
    """The first bytes of a file are an advanced-XML document (its root is ``Sanctions``)."""
    return b"<Sanctions" in head[:2048]


def read_bytes(path: Path) -> bytes:
    """A file's bytes, gunzipped when it is ``.gz``, within the size limit."""
    if path.suffix == ".gz":
        return _read_within_limit(lambda: gzip.open(path, "rb"), str(path))
    return _read_within_limit(lambda: path.open("rb"), str(path))


def load_advanced(path: Path) -> SanctionsList:
    """The entries of an OFAC advanced XML file (``.xml`` or ``.xml.gz``)."""
    entries, date = parse_advanced(read_bytes(path), str(path))
    return SanctionsList(TITLE, str(path), date, tuple(entries))
