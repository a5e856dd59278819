"""Stage 1 of 6 (ingest): a JSON Resume (jsonresume.org/schema, JSON or YAML) -> contract v1.

Recognised by its top-level ``basics`` key. JSON Resume is an open format, so unknown keys and the
sections the contract has no place for (``languages``, ``interests``, ``awards``,
``certificates``, ``publications``, ``volunteer``, ``projects``, ``meta``, ``$schema``) are
ignored; a known field of the wrong type is a problem named by its JSON Resume path
(``work[1].startDate``), with its line and column, even when the contract is what rejects it.

Which contract field each JSON Resume field feeds:

===============================================  ===============================================
JSON Resume                                       contract v1
===============================================  ===============================================
basics.name                                       name
basics.label, basics.summary                      resume.text (label, then summary)
basics.email                                      emails[0]
basics.phone                                      phones[0]
basics.url, basics.profiles[].url                 links (in that order)
basics.profiles[] without url                     links: https://www.linkedin.com/in/<username>,
                                                  https://github.com/<username> (other networks
                                                  without a url are dropped)
basics.location.countryCode / city / region       location.country / city / region
basics.location.address, postalCode (with         addresses[0] (kind home): line1 = first line of
city, region, countryCode)                        address, line2 = the other lines, postal_code
work[].name (legacy: company)                     employment[].employer
work[].position                                   employment[].title
work[].startDate / endDate                        employment[].start / end
work[].url (legacy: website)                      employment[].website
work[].location                                   employment[].location
work[].summary + work[].highlights                employment[].description (summary, then one
                                                  "- highlight" line each)
education[].institution                           education[].institution
education[].studyType + education[].area          education[].degree ("Bachelor Computer Science")
education[].startDate / endDate                   education[].start / end
skills[].name + skills[].keywords                 skills (flattened, duplicates removed)
references[].name                                 references[].name
references[].reference (free text)                references[].email, references[].phone (the
                                                  first email and phone number found in it; the
                                                  phone's country defaults to basics.location's;
                                                  only the first 2000 characters are searched)
===============================================  ===============================================

JSON Resume is written by hand, so its reader is generous about what is untidy and records an
input note (``screening.model.notes``) for every assumption instead of refusing the file:

- a work entry without ``endDate`` (or with an empty one) is a current role: the format's way
  to say "still there";
- dates in other forms (``08/2013``, ``Mar-2022``, ``2024-09-31``, ``至今``: see
  ``loose_dates``); a date that cannot be read at all is left out;
- ``countryCode`` as a name in any language, an alpha-3 code or a short form (``countries``); a
  value that names no country is left out; ``location.country`` and a country in ``region`` are
  read when ``countryCode`` is missing; ``location`` written as one line of text is split;
- text given as a list (joined), as a number, or as an object (per-language values, ``{url}``);
  lists given as text, objects or numbers (``references: 0``), objects inside ``highlights``;
  ``skills`` as an object of ``{group: [keywords]}``; duplicate keys (the last is read);
- a missing section written under another tool's name (``experience`` for ``work``, Reactive
  Resume's ``sections.<name>.items``) is read when every entry has the shape of that section's
  entries, with other tools' keys read as JSON Resume's and one note saying what was read as
  what (``borrowed_sections``); entries marked ``visible: false`` are not read;
- keys that are not part of JSON Resume are ignored, with one note naming them.

Only what cannot be understood at all is refused: not JSON/YAML, no ``basics.name``, or over a
hard limit. Values built from several fields (skills, links, descriptions) are capped at
``limits.max_list_items`` / ``limits.max_text_chars`` rather than refused, because each part
already passed those limits as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from screening.errors import InputError
from screening.ingest.countries import country_code
from screening.ingest.detect import InputFormat
from screening.ingest.documents.attachments import attach_documents
from screening.ingest.limits_check import Loc, shape_problems
from screening.ingest.location_text import parse_location
from screening.ingest.loose_dates import is_range, read_date
from screening.ingest.profiles import PROFILE_URLS, profile_url
from screening.ingest.structured import Source
from screening.ingest.text_extract import find_emails, find_phones
from screening.ingest.validation import Placement, check_shape_placed, place, validate
from screening.model.application import RawApplication
from screening.model.limits import Limits
from screening.model.notes import InputNote, NoteKind, capped, quoted
from screening.safeload import dotted, shown_key

_SHOWN_CHARS = 60
_REFERENCE_SCAN_CHARS = 2000  # a reference's contact details come early; bounds the phone search
_IGNORED_SHOWN = 12  # unknown keys named in the one "ignored" note

# Keys JSON Resume defines (schema 1.0, and the v0 names still in use: company, website, picture)
_KNOWN: dict[str, frozenset[str]] = {
    "": frozenset({
        "basics", "work", "education", "skills", "references", "volunteer", "awards",
        "certificates", "publications", "languages", "interests", "projects", "meta", "$schema",
    }),
    "basics": frozenset({
        "name", "label", "image", "picture", "email", "phone", "url", "website", "summary",
        "location", "profiles",
    }),
    "basics.location": frozenset({
        "address", "postalCode", "city", "countryCode", "region", "country",
    }),
    "basics.profiles": frozenset({"network", "username", "url"}),
    "work": frozenset({
        "name", "company", "location", "description", "position", "url", "website",
        "startDate", "endDate", "summary", "highlights", "keywords",
    }),
    "education": frozenset({
        "institution", "url", "area", "studyType", "startDate", "endDate", "score", "gpa",
        "courses",
    }),
    "skills": frozenset({"name", "level", "keywords"}),
    "references": frozenset({"name", "reference"}),
}  # fmt: skip
_READ_SECTIONS = frozenset({"basics", "work", "education", "skills", "references"})

# Sections other resume tools write under their own names, read when the JSON Resume one is
# missing and every entry has the shape of a JSON Resume entry (``_ENTRY_KEYS``)
_OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "work": ("experience", "experiences", "employment", "workExperience"),
}
_RXRESUME: dict[str, str] = {
    "work": "experience", "education": "education", "skills": "skills",
    "references": "references", "profiles": "profiles",
}  # fmt: skip
"""Reactive Resume (rxresu.me) exports keep each section's entries in ``sections.<name>.items``."""
_ENTRY_KEYS: dict[str, frozenset[str]] = {
    "work": frozenset({
        "name", "company", "organization", "organisation", "employer", "position", "title",
        "role", "roles",
    }),
    "education": frozenset({"institution", "school", "university"}),
    "skills": frozenset({"name", "keywords"}),
    "references": frozenset({"name", "reference"}),
    "profiles": frozenset({"network", "username", "url"}),
}  # fmt: skip
# Keys understood in entries of such a section beyond JSON Resume's own
_OTHER_KEYS: dict[str, frozenset[str]] = {
    "work": frozenset({
        "organization", "organisation", "employer", "title", "role", "roles", "start", "from",
        "end", "to", "date", "dates", "period", "points", "activities", "achievements",
        "responsibilities", "id", "visible",
    }),
    "education": frozenset({
        "school", "university", "start", "from", "end", "to", "date", "dates", "period",
        "summary", "id", "visible",
    }),
    "skills": frozenset({"id", "visible", "description"}),
    "references": frozenset({"id", "visible", "summary", "description"}),
    "profiles": frozenset({"id", "visible", "icon"}),
}  # fmt: skip
_DATES = {"startDate": ("startDate", "start", "from"), "endDate": ("endDate", "end", "to")}
_OTHER_FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "work": {
        "name": ("name", "company", "organization", "organisation", "employer"),
        "position": ("position", "title", "role"),
        **_DATES,
        "highlights": ("highlights", "points", "activities", "achievements", "responsibilities"),
    },
    "education": {"institution": ("institution", "school", "university"), **_DATES},
    "skills": {},
    "references": {"reference": ("reference", "summary", "description")},
    "profiles": {},
}
"""Per section, JSON Resume entry key <- the keys other tools use for it (the first given wins)."""
_ONE_FIELD_DATES = ("date", "dates", "period")
# Object keys whose text value stands for the whole object (per-language values, links)
_TEXT_KEYS = ("en", "url", "href", "value", "text", "name", "label", "title")


def is_jsonresume(data: object) -> bool:
    """A mapping with a top-level ``basics`` key."""
    return isinstance(data, Mapping) and "basics" in data


def read_jsonresume(source: Source, origin: str, default_id: str, limits: Limits) -> RawApplication:
    """Map and validate; raises ``InputError`` only for what cannot be read at all."""

    def placer(loc: Loc) -> Placement:
        return (dotted(loc), *source.where(loc))

    check_shape_placed(shape_problems(_read_part(source.data), limits), placer)
    mapper = _Mapper(limits)
    for key in dict.fromkeys(source.duplicates):
        mapper.note((), NoteKind.SHAPE, f"key '{shown_key(key)}' given twice: the last one read")
    mapped = mapper.map(source.data)
    if mapper.problems:
        raise InputError(place(mapper.problems, placer))

    def contract_placer(loc: Loc) -> Placement:
        return placer(mapper.origin_of(loc))

    app = validate(mapped, contract_placer, default_id)
    documents = tuple(
        # the summary is not a resume document: no header, no duty to repeat the work history
        d.model_copy(update={"assembled": True}) if d.kind == "resume" else d
        for d in attach_documents(app, None, limits, contract_placer)
    )
    return RawApplication(
        data=app,
        documents=documents,
        origin=origin,
        format=InputFormat.JSONRESUME.value,
        notes=capped(mapper.all_notes()),
    )


class _Mapper:
    """Builds the contract mapping and remembers which JSON Resume field each value came from."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[tuple[Loc, str]] = []
        self.notes: list[InputNote] = []
        self.ignored: dict[str, None] = {}
        self.origins: dict[Loc, Loc] = {}
        self.country: str | None = None
        self.borrowed: dict[str, tuple[list[Any], Loc]] = {}

    def note(self, loc: Loc, kind: NoteKind, message: str) -> None:
        """Record an assumption at the JSON Resume path ``loc``."""
        self.notes.append(InputNote(dotted(loc) or "(file)", kind, message))

    def all_notes(self) -> list[InputNote]:
        """The notes, then one naming every key that was not read."""
        notes = list(self.notes)
        if self.ignored:
            names = list(self.ignored)
            shown = ", ".join(names[:_IGNORED_SHOWN])
            more = f" and {len(names) - _IGNORED_SHOWN} more" if len(names) > _IGNORED_SHOWN else ""
            notes.append(
                InputNote(
                    "(file)",
                    NoteKind.IGNORED,
                    f"{len(names)} key(s) that are not part of JSON Resume were not read: "
                    f"{shown}{more}",
                )
            )
        return notes

    def origin_of(self, loc: Loc) -> Loc:
        """The JSON Resume path a contract path was built from."""
        p = loc
        while p:
            found = self.origins.get(p)
            if found is not None:
                return found
            p = p[:-1]
        return loc

    def _unknown(
        self,
        value: Mapping[str, Any],
        section: str,
        *,
        also: frozenset[str] = frozenset(),
        label: str | None = None,
    ) -> None:
        known = _KNOWN[section] | also
        shown = section if label is None else label
        for key in value:
            if str(key) not in known:
                name = shown_key(str(key), 40)
                self.ignored[f"{shown}.{name}" if shown else name] = None

    def map(self, doc: Any) -> dict[str, object]:
        out: dict[str, object] = {}
        self.borrowed = borrowed_sections(doc)
        read_too = frozenset(str(loc[0]) for _, loc in self.borrowed.values())
        self._unknown(doc, "", also=read_too)
        self.origins[("name",)] = ("basics", "name")
        basics = self._mapping(doc.get("basics"), ("basics",))
        if basics is not None:
            self._unknown(basics, "basics")
            self._basics(basics, out)
        readers: tuple[tuple[str, _Reader], ...] = (
            ("work", self._work),
            ("education", self._education),
            ("skills", self._skills),
            ("references", self._references),
        )
        for section, reader in readers:
            if section in self.borrowed:
                loc, entries = self._borrow(section)
                reader(None, out, loc, entries)
            else:
                reader(doc.get(section), out, (section,), None)
        return out

    def _entries(
        self, value: object, loc: Loc, entries: _Entries | None, text_key: str | None = None
    ) -> _Entries:
        """A section's entries and their paths: borrowed ones as given, else read from ``value``."""
        if entries is not None:
            return entries
        return [((*loc, i), dict(e)) for i, e in self._items(value, loc, text_key)]

    def _check_keys(self, entry: Mapping[str, Any], section: str, loc: Loc) -> None:
        """Unknown keys of an entry, named under the section's path as written."""
        if loc[0] == section:
            self._unknown(entry, section)
        else:
            label = dotted(loc[:3] if loc[0] == "sections" else loc[:1])
            self._unknown(entry, section, also=_OTHER_KEYS[section], label=label)

    def _borrow(self, section: str) -> tuple[Loc, _Entries]:
        """The entries of a section written under another tool's name, as JSON Resume entries,
        with one note saying where they were and which keys were read as what."""
        value, loc = self.borrowed[section]
        renamed: dict[str, None] = {}
        entries: list[tuple[Loc, dict[str, Any]]] = []
        hidden = 0
        for i, entry in enumerate(value):
            if entry.get("visible") is False:
                hidden += 1
                continue
            if section == "work" and isinstance(entry.get("roles"), list):
                company = {k: v for k, v in entry.items() if k != "roles"}
                for j, role in enumerate(entry["roles"]):
                    if isinstance(role, Mapping):
                        merged = {
                            **_renamed(company, section, renamed),
                            **_renamed(role, section, renamed),
                        }
                        entries.append(((*loc, i, "roles", j), merged))
                renamed["each of 'roles' as a role at the entry's employer"] = None
            else:
                entries.append(((*loc, i), _renamed(entry, section, renamed)))
        what = f"; read {', '.join(renamed)}" if renamed else ""
        self.note(
            loc,
            NoteKind.SHAPE,
            f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'} read as JSON Resume "
            f"'{section}' (another tool's name for it){what}",
        )
        if hidden:
            self.note(loc, NoteKind.DROPPED, f"{hidden} entry(ies) hidden in the resume: not read")
        return loc, entries

    def _basics(self, basics: Mapping[str, Any], out: dict[str, object]) -> None:
        b: Loc = ("basics",)
        name = basics.get("name")
        if name is not None:
            out["name"] = self._text(name, (*b, "name")) if not isinstance(name, str) else name
        for key, target in (("email", "emails"), ("phone", "phones")):
            values = self._texts(basics.get(key), (*b, key), list_expected=False)
            if values:
                out[target] = values[: self.limits.max_list_items]
                self.origins[(target,)] = (*b, key)
        about = [self._text(basics.get(k), (*b, k)) for k in ("label", "summary")]
        if any(about):
            out["resume"] = {"text": "\n".join(t for t in about if t)[: self.limits.max_text_chars]}
            self.origins[("resume",)] = (*b, "summary")
        links = self._links(basics)
        if links:
            out["links"] = links
        location = basics.get("location")
        if isinstance(location, str) and location.strip():
            self._location_text(location, out)
        else:
            location = self._mapping(location, (*b, "location"))
            if location is not None:
                self._unknown(location, "basics.location")
                self._location(location, out)

    def _links(self, basics: Mapping[str, Any]) -> list[str]:
        found: list[tuple[str, Loc]] = []
        for key in ("url", "website"):
            url = self._text(basics.get(key), ("basics", key))
            if url:
                found.append((url, ("basics", key)))
        if "profiles" in self.borrowed:
            loc, profiles = self._borrow("profiles")
        else:
            loc, profiles = ("basics", "profiles"), None
        for p, profile in self._entries(basics.get("profiles"), loc, profiles, "url"):
            if profiles is None:
                self._unknown(profile, "basics.profiles")
            else:
                self._unknown(
                    profile, "basics.profiles", also=_OTHER_KEYS["profiles"], label=dotted(loc)
                )
            url = self._text(profile.get("url"), (*p, "url"))
            network = (self._text(profile.get("network"), (*p, "network")) or "").casefold()
            username = self._text(profile.get("username"), (*p, "username"))
            if not url and username and network in PROFILE_URLS:
                url = profile_url(username, PROFILE_URLS[network])
            if url:
                found.append((url, p))
        links: list[str] = []
        seen: set[str] = set()
        for url, origin in found:
            if not _looks_like_link(url):
                self.note(origin, NoteKind.DROPPED, f"{quoted(url)} is not a web address: not read")
                continue
            if url.casefold() not in seen and len(links) < self.limits.max_list_items:
                seen.add(url.casefold())
                self.origins[("links", len(links))] = origin
                links.append(url)
        return links

    def _country(self, value: object, loc: Loc) -> str | None:
        text = self._text(value, loc)
        if not text:
            return None
        reading = country_code(text)
        if reading is None:
            self.note(loc, NoteKind.DROPPED, f"{quoted(text)} names no single country: not read")
            return None
        if text.strip() != reading.code:
            self.note(loc, NoteKind.COUNTRY, f"{quoted(text)} read as country code {reading.code}")
        return reading.code

    def _location_text(self, text: str, out: dict[str, object]) -> None:
        lp: Loc = ("basics", "location")
        found = parse_location(text)
        place_out = {
            k: v
            for k, v in (("city", found.city), ("region", found.region), ("country", found.country))
            if v
        }
        if not place_out:
            return
        out["location"] = place_out
        for key in place_out:
            self.origins[("location", key)] = lp
        self.country = found.country
        parts = ", ".join(f"{k} {v}" for k, v in place_out.items())
        self.note(
            lp, NoteKind.LOCATION, f"location written as text {quoted(text)}, read as {parts}"
        )

    def _location(self, location: Mapping[str, Any], out: dict[str, object]) -> None:
        lp: Loc = ("basics", "location")
        place_out: dict[str, object] = {}
        for jr_key, key in (("city", "city"), ("region", "region")):
            text = self._text(location.get(jr_key), (*lp, jr_key))
            if text:
                place_out[key] = text
                self.origins[("location", key)] = (*lp, jr_key)
        country: str | None = None
        for jr_key in ("countryCode", "country", "region"):
            value = location.get(jr_key)
            if value in (None, ""):
                continue
            if jr_key == "region":
                reading = country_code(str(value)) if isinstance(value, str) else None
                country = reading.code if reading else None
                if country:
                    self.note(
                        (*lp, jr_key),
                        NoteKind.COUNTRY,
                        f"no countryCode; the region {quoted(value)} read as country {country}",
                    )
            else:
                country = self._country(value, (*lp, jr_key))
            if country:
                place_out["country"] = country
                self.origins[("location", "country")] = (*lp, jr_key)
                break
        if place_out:
            out["location"] = place_out
        self.country = country
        address = self._text(location.get("address"), (*lp, "address"))
        postal = self._text(location.get("postalCode"), (*lp, "postalCode"))
        if not address and not postal:
            return
        home: dict[str, object] = {"kind": "home"}
        a: Loc = ("addresses", 0)
        if address:
            lines = [line.strip() for line in address.splitlines() if line.strip()]
            home["line1"] = lines[0]
            if len(lines) > 1:
                home["line2"] = ", ".join(lines[1:])
            self.origins[(*a, "line1")] = self.origins[(*a, "line2")] = (*lp, "address")
        if postal:
            home["postal_code"] = postal
            self.origins[(*a, "postal_code")] = (*lp, "postalCode")
        for key in ("city", "region", "country"):
            if key in place_out:
                home[key] = place_out[key]
                self.origins[(*a, key)] = self.origins[("location", key)]
        out["addresses"] = [home]

    def _date(self, value: object, loc: Loc, *, end: bool = False) -> str | None:
        if value is None or (isinstance(value, str) and value.strip().casefold() in ("", "null")):
            return None
        reading = read_date(value, end=end)
        if reading is None:
            self.note(loc, NoteKind.DROPPED, f"{quoted(value)} is not a date: left out")
            return None
        if reading.assumed:
            self.note(
                loc, NoteKind.DATE, f"{quoted(value)} read as {reading.value} ({reading.assumed})"
            )
        return reading.value

    def _dates(
        self, entry: Mapping[str, Any], src: Loc, dst: Loc, row: dict[str, object], *, work: bool
    ) -> None:
        start = self._date(entry.get("startDate"), (*src, "startDate"))
        end = self._date(entry.get("endDate"), (*src, "endDate"), end=True)
        if start:
            row["start"] = start
            self.origins[(*dst, "start")] = (*src, "startDate")
        if end:
            row["end"] = end
            self.origins[(*dst, "end")] = (*src, "endDate")
        elif work and start and _blank(entry.get("endDate")):
            row["end"] = "present"
            self.origins[(*dst, "end")] = (*src, "startDate")
            self.note(
                (*src, "endDate"),
                NoteKind.ONGOING,
                "no end date: read as a current role (JSON Resume's way to say so)",
            )

    def _work(
        self, value: object, out: dict[str, object], loc: Loc, entries: _Entries | None
    ) -> None:
        pairs = (
            ("name", "employer"), ("company", "employer"), ("position", "title"),
            ("url", "website"), ("website", "website"), ("location", "location"),
        )  # fmt: skip
        rows: list[dict[str, object]] = []
        for src, work in self._entries(value, loc, entries):
            dst: Loc = ("employment", len(rows))
            self._check_keys(work, "work", src)
            row = self._copy(work, src, dst, pairs)
            self._dates(work, src, dst, row, work=True)
            summary = self._text(work.get("summary") or work.get("description"), (*src, "summary"))
            highlights = self._texts(work.get("highlights"), (*src, "highlights"))
            lines = ([summary] if summary else []) + [f"- {h}" for h in highlights]
            if lines:
                row["description"] = "\n".join(lines)[: self.limits.max_text_chars]
                self.origins[(*dst, "description")] = (*src, "summary" if summary else "highlights")
            rows.append(row)
        if rows:
            out["employment"] = rows

    def _education(
        self, value: object, out: dict[str, object], loc: Loc, entries: _Entries | None
    ) -> None:
        pairs = (("institution", "institution"),)
        rows: list[dict[str, object]] = []
        for src, study in self._entries(value, loc, entries):
            dst: Loc = ("education", len(rows))
            self._check_keys(study, "education", src)
            row = self._copy(study, src, dst, pairs)
            self._dates(study, src, dst, row, work=False)
            kind = self._text(study.get("studyType"), (*src, "studyType"))
            area = self._text(study.get("area"), (*src, "area"))
            if kind or area:
                row["degree"] = " ".join(t for t in (kind, area) if t)
                self.origins[(*dst, "degree")] = (*src, "studyType" if kind else "area")
            rows.append(row)
        if rows:
            out["education"] = rows

    def _skills(
        self, value: object, out: dict[str, object], loc: Loc, entries: _Entries | None
    ) -> None:
        if isinstance(value, Mapping) and value and not _is_entry(value, "skills"):
            self.note(("skills",), NoteKind.SHAPE, "skills given as groups: each group read")
            value = [{"name": k, "keywords": v} for k, v in value.items()]
        skills: list[str] = []
        seen: set[str] = set()
        for src, skill in self._entries(value, loc, entries, "name"):
            self._check_keys(skill, "skills", src)
            name = self._text(skill.get("name"), (*src, "name"))
            keywords = self._texts(skill.get("keywords"), (*src, "keywords"))
            for word in ([name] if name else []) + keywords:
                if word.casefold() not in seen and len(skills) < self.limits.max_list_items:
                    seen.add(word.casefold())
                    self.origins[("skills", len(skills))] = src
                    skills.append(word)
        if skills:
            out["skills"] = skills

    def _references(
        self, value: object, out: dict[str, object], loc: Loc, entries: _Entries | None
    ) -> None:
        rows: list[dict[str, object]] = []
        for src, ref in self._entries(value, loc, entries, "reference"):
            self._check_keys(ref, "references", src)
            row = self._copy(ref, src, ("references", len(rows)), (("name", "name"),))
            text = self._text(ref.get("reference"), (*src, "reference"))
            if text:
                text = text[:_REFERENCE_SCAN_CHARS]
                emails = find_emails(text, 1)
                phones = find_phones(text, 1, self.country)
                if emails:
                    row["email"] = emails[0]
                if phones:
                    row["phone"] = phones[0]
            if row:
                self.origins[("references", len(rows))] = src
                rows.append(row)
        if rows:
            out["references"] = rows

    def _copy(
        self,
        src: Mapping[str, Any],
        src_loc: Loc,
        dst_loc: Loc,
        pairs: tuple[tuple[str, str], ...],
    ) -> dict[str, object]:
        """Copy text fields; the first of two aliases wins."""
        row: dict[str, object] = {}
        for jr_key, key in pairs:
            if key in row:
                continue
            text = self._text(src.get(jr_key), (*src_loc, jr_key))
            if text:
                row[key] = text
                self.origins[(*dst_loc, key)] = (*src_loc, jr_key)
        return row

    def _mapping(self, value: object, loc: Loc) -> Mapping[str, Any] | None:
        if value is None or isinstance(value, Mapping):
            return value
        if not _blank(value):
            self.note(loc, NoteKind.DROPPED, f"expected an object, got {_shown(value)}: not read")
        return None

    def _items(
        self, value: object, loc: Loc, text_key: str | None = None
    ) -> list[tuple[int, Mapping[str, Any]]]:
        """Entries of a section; text items become ``{text_key: text}`` when the section has one."""
        if _blank(value) or value == 0:
            if value == 0 or value is False:
                self.note(loc, NoteKind.DROPPED, f"{_shown(value)} where entries belong: none read")
            return []
        if isinstance(value, Mapping):
            entries = list(value.values())
            if (
                entries
                and all(isinstance(v, Mapping) for v in entries)
                and not _is_entry(value, loc[-1])
            ):
                self.note(loc, NoteKind.SHAPE, "entries given as an object: each value read")
                value = entries
            else:
                self.note(loc, NoteKind.SHAPE, "one entry given instead of a list: read as one")
                value = [value]
        elif not isinstance(value, list):
            if isinstance(value, str) and text_key:
                self.note(loc, NoteKind.SHAPE, "text given instead of a list: read as one entry")
                value = [value]
            else:
                self.note(loc, NoteKind.DROPPED, f"expected a list, got {_shown(value)}: not read")
                return []
        items: list[tuple[int, Mapping[str, Any]]] = []
        for i, item in enumerate(value):
            if isinstance(item, str) and text_key and item.strip():
                items.append((i, {text_key: item}))
            elif isinstance(item, Mapping):
                items.append((i, item))
            elif not _blank(item):
                self.note((*loc, i), NoteKind.DROPPED, f"expected an entry, got {_shown(item)}")
        return items

    def _text(self, value: object, loc: Loc) -> str | None:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, str):
            text = value.strip()
            return text if text and text.casefold() != "null" else None
        if isinstance(value, int | float):
            return str(value)
        if isinstance(value, list):
            parts = [self._flat(v) for v in value]
            joined = "\n".join(p for p in parts if p)[: self.limits.max_text_chars]
            if joined:
                self.note(loc, NoteKind.SHAPE, "a list where text was expected: joined into text")
            return joined or None
        if isinstance(value, Mapping):
            for key in _TEXT_KEYS:
                if isinstance(value.get(key), str) and value[key].strip():
                    self.note(
                        loc, NoteKind.SHAPE, f"an object where text was expected: its '{key}' read"
                    )
                    return str(value[key]).strip()
            text = self._flat(value)
            if text:
                self.note(loc, NoteKind.SHAPE, "an object where text was expected: its text read")
            return text or None
        return None

    def _flat(self, value: object, depth: int = 0) -> str:
        """The text inside nested lists and objects, one line per piece."""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        if depth >= 3:
            return ""
        if isinstance(value, Mapping):
            parts = [self._flat(v, depth + 1) for v in value.values()]
            return " — ".join(p for p in parts if p)
        if isinstance(value, list):
            return "\n".join(p for p in (self._flat(v, depth + 1) for v in value) if p)
        return ""

    def _texts(self, value: object, loc: Loc, *, list_expected: bool = True) -> list[str]:
        if _blank(value):
            return []
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            if list_expected:
                self.note(loc, NoteKind.SHAPE, "text where a list was expected: read as one item")
            return [str(value).strip()]
        if not isinstance(value, list):
            if isinstance(value, Mapping):
                text = self._text(value, loc)
                return [text] if text else []
            self.note(loc, NoteKind.DROPPED, f"expected a list of text, got {_shown(value)}")
            return []
        texts: list[str] = []
        flattened = False
        for item in value:
            if isinstance(item, str):
                text = item.strip()
            else:
                text = self._flat(item)
                flattened = flattened or bool(text)
            if text:
                texts.append(text)
        if flattened:
            self.note(loc, NoteKind.SHAPE, "objects or lists among the items: their text read")
        return texts


def _read_part(doc: object) -> object:
    """The sections this reader reads: limits apply to them, not to sections it ignores."""
    if not isinstance(doc, Mapping):
        return doc
    part: dict[object, object] = {k: v for k, v in doc.items() if k in _READ_SECTIONS}
    for value, loc in borrowed_sections(doc).values():
        at = part  # the entries at their own path, so a limit names where they are
        for key in loc[:-1]:
            at = at.setdefault(key, {})  # type: ignore[assignment]
        at[loc[-1]] = value
    return part


def borrowed_sections(doc: Mapping[str, Any]) -> dict[str, tuple[list[Any], Loc]]:
    """JSON Resume sections (and ``profiles``) that are missing but written under another
    tool's name with a clear shape: section -> (its entries, where they are)."""
    found: dict[str, tuple[list[Any], Loc]] = {}
    basics = doc.get("basics")
    sections = doc.get("sections")
    for section, rx_name in _RXRESUME.items():
        present = (
            basics.get(section)
            if section == "profiles" and isinstance(basics, Mapping)
            else (doc.get(section))
        )
        if not _blank(present):
            continue
        candidates: list[tuple[object, Loc]] = []
        if isinstance(sections, Mapping) and isinstance(sections.get(rx_name), Mapping):
            candidates.append((sections[rx_name].get("items"), ("sections", rx_name, "items")))
        candidates += [(doc.get(name), (name,)) for name in _OTHER_NAMES.get(section, ())]
        for value, loc in candidates:
            if _clear_shape(value, section):
                assert isinstance(value, list)
                found[section] = (value, loc)
                break
    return found


def _clear_shape(value: object, section: str) -> bool:
    """A non-empty list whose every entry is an object with a key that names the entry."""
    keys = _ENTRY_KEYS[section]
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(e, Mapping) and any(str(k) in keys for k in e) for e in value)
    )


_Entries = list[tuple[Loc, dict[str, Any]]]
_Reader = Callable[[object, dict[str, object], Loc, "_Entries | None"], None]


def _renamed(entry: Mapping[str, Any], section: str, renamed: dict[str, None]) -> dict[str, Any]:
    """``entry`` with other tools' keys under JSON Resume's names (``renamed`` collects what was
    read as what); a date range in one field becomes ``startDate`` and ``endDate``."""
    out: dict[str, Any] = {}
    taken: set[str] = set()
    fields = _OTHER_FIELDS[section]
    for jr_key, others in fields.items():
        for key in others:
            if not _blank(entry.get(key)):
                out[jr_key] = entry[key]
                taken.add(key)
                if key != jr_key:
                    renamed[f"'{key}' as {jr_key}"] = None
                break
    if "startDate" in fields and "startDate" not in out:
        for key in _ONE_FIELD_DATES:
            value = entry.get(key)
            if not _blank(value):
                out["startDate"] = out["endDate"] = value
                taken.add(key)
                how = "start and end" if is_range(value) else "start and end (a single date)"
                renamed[f"'{key}' as {how}"] = None
                break
    for key, value in entry.items():
        if key not in taken and key not in out:
            out[key] = value
    return out


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in ("", "null")
    return isinstance(value, list | Mapping) and not value


def _is_entry(value: Mapping[str, Any], section: object) -> bool:
    """Whether an object looks like one entry of ``section`` (its keys are the entry's keys)."""
    known = _KNOWN.get(str(section), frozenset())
    return any(str(k) in known for k in value)


def _looks_like_link(text: str) -> bool:
    """A web address or a bare domain; placeholders such as ``#`` or ``null`` are not."""
    stripped = text.strip()
    return "." in stripped and " " not in stripped and not stripped.startswith("#")


def _shown(value: object) -> str:
    if isinstance(value, Mapping | list):
        return type(value).__name__
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."
