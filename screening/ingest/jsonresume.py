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

A missing ``endDate`` stays empty (JSON Resume leaves "still there" implicit; no date is
invented). Values built from several fields (skills, links, descriptions) are capped at
``limits.max_list_items`` / ``limits.max_text_chars`` rather than refused, because each part
already passed those limits as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from screening.errors import InputError
from screening.ingest.detect import InputFormat
from screening.ingest.documents.attachments import attach_documents
from screening.ingest.limits_check import Loc, shape_problems
from screening.ingest.profiles import PROFILE_URLS, profile_url
from screening.ingest.structured import Source
from screening.ingest.text_extract import find_emails, find_phones
from screening.ingest.validation import Placement, check_shape_placed, place, validate
from screening.model.application import RawApplication
from screening.model.limits import Limits
from screening.safeload import dotted

_SHOWN_CHARS = 60
_REFERENCE_SCAN_CHARS = 2000  # a reference's contact details come early; bounds the phone search


def is_jsonresume(data: object) -> bool:
    """A mapping with a top-level ``basics`` key."""
    return isinstance(data, Mapping) and "basics" in data


def read_jsonresume(source: Source, origin: str, default_id: str, limits: Limits) -> RawApplication:
    """Map and validate; raises ``InputError`` with JSON Resume paths and positions."""

    def placer(loc: Loc) -> Placement:
        return (dotted(loc), *source.where(loc))

    check_shape_placed(shape_problems(source.data, limits), placer)
    mapper = _Mapper(limits)
    mapped = mapper.map(source.data)
    if mapper.problems:
        raise InputError(place(mapper.problems, placer))

    def contract_placer(loc: Loc) -> Placement:
        return placer(mapper.origin_of(loc))

    app = validate(mapped, contract_placer, default_id)
    documents = attach_documents(app, None, limits, contract_placer)
    return RawApplication(
        data=app, documents=documents, origin=origin, format=InputFormat.JSONRESUME.value
    )


class _Mapper:
    """Builds the contract mapping and remembers which JSON Resume field each value came from."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[tuple[Loc, str]] = []
        self.origins: dict[Loc, Loc] = {}
        self.country: str | None = None

    def origin_of(self, loc: Loc) -> Loc:
        """The JSON Resume path a contract path was built from."""
        p = loc
        while p:
            found = self.origins.get(p)
            if found is not None:
                return found
            p = p[:-1]
        return loc

    def map(self, doc: Any) -> dict[str, object]:
        out: dict[str, object] = {}
        self.origins[("name",)] = ("basics", "name")
        basics = self._mapping(doc.get("basics"), ("basics",))
        if basics is not None:
            self._basics(basics, out)
        self._work(doc.get("work"), out)
        self._education(doc.get("education"), out)
        self._skills(doc.get("skills"), out)
        self._references(doc.get("references"), out)
        return out

    def _basics(self, basics: Mapping[str, Any], out: dict[str, object]) -> None:
        b: Loc = ("basics",)
        if basics.get("name") is not None:
            out["name"] = basics["name"]
        for key, target in (("email", "emails"), ("phone", "phones")):
            if basics.get(key) not in (None, ""):
                out[target] = [basics[key]]
                self.origins[(target,)] = (*b, key)
        about = [self._text(basics.get(k), (*b, k)) for k in ("label", "summary")]
        if any(about):
            out["resume"] = {"text": "\n".join(t for t in about if t)[: self.limits.max_text_chars]}
            self.origins[("resume",)] = (*b, "summary")
        links = self._links(basics)
        if links:
            out["links"] = links
        location = self._mapping(basics.get("location"), (*b, "location"))
        if location is not None:
            self._location(location, out)

    def _links(self, basics: Mapping[str, Any]) -> list[str]:
        found: list[tuple[str, Loc]] = []
        url = self._text(basics.get("url"), ("basics", "url"))
        if url:
            found.append((url, ("basics", "url")))
        for i, profile in self._items(basics.get("profiles"), ("basics", "profiles")):
            p: Loc = ("basics", "profiles", i)
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
            if url.casefold() not in seen and len(links) < self.limits.max_list_items:
                seen.add(url.casefold())
                self.origins[("links", len(links))] = origin
                links.append(url)
        return links

    def _location(self, location: Mapping[str, Any], out: dict[str, object]) -> None:
        lp: Loc = ("basics", "location")
        place_out: dict[str, object] = {}
        for jr_key, key in (("countryCode", "country"), ("city", "city"), ("region", "region")):
            if location.get(jr_key) not in (None, ""):
                place_out[key] = location[jr_key]
                self.origins[("location", key)] = (*lp, jr_key)
        if place_out:
            out["location"] = place_out
        country = location.get("countryCode")
        if isinstance(country, str) and len(country.strip()) == 2:
            self.country = country.strip().upper()
        address = self._text(location.get("address"), (*lp, "address"))
        postal = location.get("postalCode")
        if not address and postal in (None, ""):
            return
        home: dict[str, object] = {"kind": "home"}
        a: Loc = ("addresses", 0)
        if address:
            lines = [line.strip() for line in address.splitlines() if line.strip()]
            home["line1"] = lines[0]
            if len(lines) > 1:
                home["line2"] = ", ".join(lines[1:])
            self.origins[(*a, "line1")] = self.origins[(*a, "line2")] = (*lp, "address")
        if postal not in (None, ""):
            home["postal_code"] = postal
            self.origins[(*a, "postal_code")] = (*lp, "postalCode")
        for key in ("city", "region", "country"):
            if key in place_out:
                home[key] = place_out[key]
                self.origins[(*a, key)] = self.origins[("location", key)]
        out["addresses"] = [home]

    def _work(self, value: object, out: dict[str, object]) -> None:
        pairs = (
            ("name", "employer"), ("company", "employer"), ("position", "title"),
            ("startDate", "start"), ("endDate", "end"), ("url", "website"),
            ("website", "website"), ("location", "location"),
        )  # fmt: skip
        rows: list[dict[str, object]] = []
        for i, work in self._items(value, ("work",)):
            src: Loc = ("work", i)
            dst: Loc = ("employment", len(rows))
            row = self._copy(work, src, dst, pairs)
            summary = self._text(work.get("summary"), (*src, "summary"))
            highlights = self._texts(work.get("highlights"), (*src, "highlights"))
            lines = ([summary] if summary else []) + [f"- {h}" for h in highlights]
            if lines:
                row["description"] = "\n".join(lines)[: self.limits.max_text_chars]
                self.origins[(*dst, "description")] = (*src, "summary" if summary else "highlights")
            rows.append(row)
        if rows:
            out["employment"] = rows

    def _education(self, value: object, out: dict[str, object]) -> None:
        pairs = (("institution", "institution"), ("startDate", "start"), ("endDate", "end"))
        rows: list[dict[str, object]] = []
        for i, study in self._items(value, ("education",)):
            src: Loc = ("education", i)
            dst: Loc = ("education", len(rows))
            row = self._copy(study, src, dst, pairs)
            kind = self._text(study.get("studyType"), (*src, "studyType"))
            area = self._text(study.get("area"), (*src, "area"))
            if kind or area:
                row["degree"] = " ".join(t for t in (kind, area) if t)
                self.origins[(*dst, "degree")] = (*src, "studyType" if kind else "area")
            rows.append(row)
        if rows:
            out["education"] = rows

    def _skills(self, value: object, out: dict[str, object]) -> None:
        skills: list[str] = []
        seen: set[str] = set()
        for i, skill in self._items(value, ("skills",)):
            src: Loc = ("skills", i)
            name = self._text(skill.get("name"), (*src, "name"))
            keywords = self._texts(skill.get("keywords"), (*src, "keywords"))
            for word in ([name] if name else []) + keywords:
                if word.casefold() not in seen and len(skills) < self.limits.max_list_items:
                    seen.add(word.casefold())
                    self.origins[("skills", len(skills))] = src
                    skills.append(word)
        if skills:
            out["skills"] = skills

    def _references(self, value: object, out: dict[str, object]) -> None:
        rows: list[dict[str, object]] = []
        for i, ref in self._items(value, ("references",)):
            src: Loc = ("references", i)
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
        """Copy fields as written (the contract checks them); the first of two aliases wins."""
        row: dict[str, object] = {}
        for jr_key, key in pairs:
            value = src.get(jr_key)
            if key in row or value is None or value == "":
                continue
            row[key] = value
            self.origins[(*dst_loc, key)] = (*src_loc, jr_key)
        return row

    def _mapping(self, value: object, loc: Loc) -> Mapping[str, Any] | None:
        if value is None or isinstance(value, Mapping):
            return value
        self.problems.append((loc, f"expected a mapping of fields, got {_shown(value)}"))
        return None

    def _items(self, value: object, loc: Loc) -> list[tuple[int, Mapping[str, Any]]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append((loc, f"expected a list, got {_shown(value)}"))
            return []
        items = []
        for i, item in enumerate(value):
            mapping = self._mapping(item, (*loc, i))
            if mapping is not None:
                items.append((i, mapping))
        return items

    def _text(self, value: object, loc: Loc) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        self.problems.append((loc, f"expected text, got {_shown(value)}"))
        return None

    def _texts(self, value: object, loc: Loc) -> list[str]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append((loc, f"expected a list of text, got {_shown(value)}"))
            return []
        texts = (self._text(item, (*loc, i)) for i, item in enumerate(value))
        return [t for t in texts if t]


def _shown(value: object) -> str:
    if isinstance(value, Mapping | list):
        return type(value).__name__
    text = repr(value)
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."
