"""Stage 6 of 6 (report): which parts of "What was read" a finding's evidence is about.

Evidence is fact paths and values; a reviewer checking a finding wants the rows of data behind
it. The link is generic, with no rule named here, in three steps tried in order:

1. a namespace whose records follow one list of the application item for item (one record per
   email, per role ...: ``ITEMS_OF``) links an evidence value to the records that hold it;
2. a fact about a part as a whole (the claimed country is the location, a timeline count is the
   history) links to that part (``PART_OF``, by path, else by namespace);
3. a fact derived from several parts (domains, names, sanctions matches, resume text) links by
   value: an evidence value equal to an identifier of a read item (an address, a number, a
   domain, an employer, a file name) links to that item.

Evidence that none of these reach links nowhere rather than somewhere wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from screening.model.facts import FactSet, FactValue, Record
from screening.model.findings import Evidence
from screening.model.normalized import Application
from screening.report.read_view import ref_key

ITEMS_OF: dict[str, str] = {
    "emails": "emails",
    "phones": "phones",
    "links": "links",
    "addresses": "addresses",
    "employment": "employment",
    "education": "education",
    "references": "references",
    "documents": "documents",
}
"""Namespaces with one record per item of an application list, in order (namespace: part);
the part key is also the ``Application`` attribute holding the list."""

PART_OF: dict[str, tuple[str, ...]] = {
    "identity.name": ("name",),
    "identity.name_script": ("name",),
    "identity.claimed_country": ("location",),
    "identity.claimed_region": ("location",),
    "identity.claimed_city": ("location",),
    "identity.claimed_timezone": ("location",),
    "identity.home_country": ("addresses",),
    "identity.home_country_differs_from_claim": ("addresses", "location"),
    "identity.alias_count": ("aliases",),
    "identity.citizenship": ("citizenship",),
    "identity.work_authorization": ("work_authorization",),
    "identity.age": ("date_of_birth",),
    "payment": ("payment",),
    "wallets": ("payment",),
    "timeline": ("employment",),
    "timeline.impossible_date_count": ("employment", "education"),
    "network": ("network_records",),
    "sessions": ("network_records",),
    "ips": ("network_records",),
    "ip_summary": ("network_records",),
    "ip_dnsbl": ("network_records",),
}
"""Facts about a part as a whole, by fact path or by namespace (the path wins)."""

COUNTED_IN: dict[str, tuple[str, ...]] = {
    "timeline.impossible_date_count": (
        "employment.ends_before_start",
        "employment.starts_in_future",
        "education.ends_before_start",
    ),
}
"""Counts of flagged records: the count links to the records whose flag holds, and to the
whole part (``PART_OF``) only when none does (what it counted has no flag of its own)."""

SOURCE_PARTS: dict[str, tuple[str, ...]] = {
    "email": ("emails",),
    "linkedin": ("links",),
    "github": ("links",),
    "gitlab": ("links",),
    "alias": ("aliases",),
    "resume_header": ("documents",),
    "document_author": ("documents",),
    "payment_holder": ("payment",),
}
"""``names.source`` values: the part a name variant was read from."""

MIN_IDENTIFIER = 3
"""Shorter values ("US", "x") are too common to say which item they came from."""


@dataclass(frozen=True, slots=True)
class ReadRef:
    """A part of "What was read", or one item of it when ``index`` is set."""

    part: str
    index: int | None = None

    @property
    def key(self) -> str:
        """The field path in the JSON report's ``read``: ``location``, ``employment[2]``."""
        return ref_key(self.part, self.index)


class ReadLinks:
    """Evidence -> the read parts and items behind it, for one screened application."""

    __slots__ = ("_identifiers", "_records")

    def __init__(self, app: Application | None, facts: FactSet) -> None:
        self._records: dict[str, list[Record]] = {}
        self._identifiers: dict[str, list[ReadRef]] = {}
        if app is None:
            return
        for namespace, part in ITEMS_OF.items():
            records = facts.namespace(namespace)
            items: Sequence[object] = getattr(app, part)
            if records and len(records) == len(items):  # aligned only when counts agree
                self._records[namespace] = records
        for ref, value in _identifiers(app):
            text = value.strip().casefold()
            if len(text) >= MIN_IDENTIFIER:
                refs = self._identifiers.setdefault(text, [])
                if ref not in refs:
                    refs.append(ref)

    def refs(self, evidence: Evidence) -> tuple[ReadRef, ...]:
        """The parts and items of "What was read" that ``evidence`` is about (maybe none)."""
        namespace, _, key = evidence.path.partition(".")
        part = ITEMS_OF.get(namespace)
        if part is not None:
            records = self._records.get(namespace)
            if records is None:
                return (ReadRef(part),)
            held = [i for i, r in enumerate(records) if _same(r.get(key), evidence.value)]
            return tuple(ReadRef(part, i) for i in held) or (ReadRef(part),)
        if evidence.path == "names.source" and isinstance(evidence.value, str):
            return tuple(ReadRef(p) for p in SOURCE_PARTS.get(evidence.value, ()))
        flagged = self._flagged(COUNTED_IN.get(evidence.path, ()))
        if flagged:
            return flagged
        parts = PART_OF.get(evidence.path) or PART_OF.get(namespace)
        if parts is not None:
            return tuple(ReadRef(p) for p in parts)
        found: list[ReadRef] = []
        for text in _texts(evidence.value):
            for ref in self._identifiers.get(text.strip().casefold(), ()):
                if ref not in found:
                    found.append(ref)
        return tuple(found)

    def _flagged(self, flags: tuple[str, ...]) -> tuple[ReadRef, ...]:
        found: list[ReadRef] = []
        for flag in flags:
            namespace, _, key = flag.partition(".")
            for i, record in enumerate(self._records.get(namespace, ())):
                if record.get(key) is True:
                    found.append(ReadRef(ITEMS_OF[namespace], i))
        return tuple(found)


def finding_refs(
    evidence: Sequence[Evidence], refs: Sequence[tuple[ReadRef, ...]]
) -> tuple[ReadRef, ...]:
    """What a finding is about: its evidence's refs, except the items broad context names
    (``Evidence.broad``: read from every record, so every item) when the other evidence already
    names the items it is about."""
    precise = [r for e, each in zip(evidence, refs, strict=True) if not e.broad for r in each]
    itemised = any(r.index is not None for r in precise)
    context = [
        r
        for e, each in zip(evidence, refs, strict=True)
        if e.broad
        for r in each
        if r.index is None or not itemised
    ]
    return narrowest([*precise, *context])


def narrowest(refs: Iterable[ReadRef]) -> tuple[ReadRef, ...]:
    """``refs`` once each, in order, without a whole part when one of its items is there."""
    unique = list(dict.fromkeys(refs))
    itemised = {r.part for r in unique if r.index is not None}
    return tuple(r for r in unique if r.index is not None or r.part not in itemised)


def _same(held: FactValue, value: FactValue) -> bool:
    try:
        return bool(held == value)
    except Exception:  # a value type whose comparison fails is simply not the same
        return False


MAX_VALUES = 100
"""Elements of a list-valued evidence value looked up (a hostile list is long)."""


def _texts(value: FactValue) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple | set | frozenset):
        for element in list(value)[:MAX_VALUES]:
            if isinstance(element, str):
                yield element


def _identifiers(app: Application) -> Iterable[tuple[ReadRef, str]]:
    """Each read item with the values that identify it where other facts repeat them."""
    yield ReadRef("name"), app.name.display
    for i, alias in enumerate(app.aliases):
        yield ReadRef("aliases", i), alias.display
    for i, email in enumerate(app.emails):
        ref = ReadRef("emails", i)
        yield ref, email.address
        yield ref, email.local.split("+", 1)[0]
        yield ref, email.domain
    for i, phone in enumerate(app.phones):
        yield ReadRef("phones", i), phone.raw
        if phone.e164:
            yield ReadRef("phones", i), phone.e164
    for i, link in enumerate(app.links):
        ref = ReadRef("links", i)
        yield ref, link.url
        yield ref, link.host
        if link.handle:
            yield ref, link.handle
    for i, skill in enumerate(app.skills):
        yield ReadRef("skills", i), skill
    for i, job in enumerate(app.employment):
        for value in (job.employer, job.website_domain):
            if value:
                yield ReadRef("employment", i), value
    for i, school in enumerate(app.education):
        if school.institution:
            yield ReadRef("education", i), school.institution
    for i, reference in enumerate(app.references):
        ref = ReadRef("references", i)
        if reference.name is not None:
            yield ref, reference.name.display
        if reference.email is not None:
            yield ref, reference.email.address
        if reference.phone is not None and reference.phone.e164:
            yield ref, reference.phone.e164
    for i, document in enumerate(app.documents):
        if document.file_name:
            yield ReadRef("documents", i), document.file_name
