"""A resume's lines read into the application fields a structured file would give.

Lines are split into sections at recognised headings (text before the first heading is the
header). Contacts are searched outside the references section; the references section gives
``references`` (a referee's email and phone are never the candidate's). Letter-spaced text
(``a . w a l e t z k i @ g m x . d e``) is rejoined before contacts are searched. National phone
numbers are read through the country of the header's location, then the default region; numbers
written with ``+`` need neither.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from screening.ingest.documents.layout import Line
from screening.ingest.resume import sections as sec
from screening.ingest.resume.countries import place_countries, region_country
from screening.ingest.resume.dates import find_range
from screening.ingest.resume.entries import Entry, read_entries
from screening.ingest.resume.name import NameChoice, choose_name
from screening.ingest.text_extract import find_emails, find_links

_HEADER_LINES = 20
# a national number written as people do: "(613) 987-8559", "0171 234 5678", "06-12345678"
_NATIONAL = re.compile(r"(?<![\w+/.])\(?0?\d{1,5}\)?(?:[ \-./]?\(?\d{2,5}\)?){1,5}(?![\w/])")
_MIN_DIGITS = 7
_MAX_DIGITS = 15
_NOT_CONTACT = frozenset({sec.REFERENCES, sec.EXPERIENCE, sec.EDUCATION, sec.PROJECTS})
_MAX_SKILL_CHARS = 40
_MAX_SKILL_WORDS = 4
_SKILL_SPLIT = re.compile(r"\s*(?:[,;|•·●▪/]|\t|\s-\s|\s{2,})\s*")
_LABEL = re.compile(r"^[^:：]{1,30}[:：]\s*")
# runs of single characters separated by spaces: "a . w a l e t z k i @ g m x . d e"
_SPACED = re.compile(r"(?<!\S)(?:\S ){5,}\S(?!\S)")
_PLACE = re.compile(r"^[^\W\d_][^\d@:/]{1,60}$")
_POSTAL = re.compile(r"(?<![^\s,])\d[\d\-]{0,9}(?![^\s,])")  # house numbers, "28001", "01-234"
_MAX_PLACE_WORDS = 6
_SUBHEADING_POINTS = 1.5
_ENTRIES = frozenset({sec.EXPERIENCE, sec.EDUCATION})
_PARTS_OF_ENTRIES = frozenset({sec.CERTIFICATIONS, sec.SKILLS, sec.PROJECTS, sec.LANGUAGES})
_MAX_PHONE_TEXT = 2_000  # the header lines a place is settled with
_MAX_PHONE_TRIES = 20
_CONTACT_HINT = re.compile(r"@|\d{3}")


@dataclass(frozen=True, slots=True)
class Location:
    """Where the header says the candidate lives."""

    city: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class Referee:
    """A reference's contact details found under a references heading."""

    name: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class ResumeStructure:
    """Everything read from one resume's text."""

    name: NameChoice | None
    emails: list[str]
    phones: list[str]
    links: list[str]
    location: Location | None
    work: list[Entry]
    education: list[Entry]
    skills: list[str]
    references: list[Referee]
    sections: list[str] = field(default_factory=list)


def phone_strings(text: str, region: str | None, limit: int) -> list[str]:
    """Phone numbers as written, for normalisation to place (it notes how it read each).

    With a region, ``phonenumbers``' matcher finds national and international numbers; without
    one it finds international numbers only, and digit groups that look like a national number
    (7 to 15 digits, optionally with a trunk prefix and separators) are kept as written so that
    the configured default region can place them, or a note says they could not be placed.
    """
    import phonenumbers

    found = [m.raw_string for m in phonenumbers.PhoneNumberMatcher(text, region)]
    if region is None:
        for m in _NATIONAL.finditer(text):
            digits = sum(c.isdigit() for c in m.group(0))
            if _MIN_DIGITS <= digits <= _MAX_DIGITS:
                found.append(m.group(0).strip())
    return _distinct_numbers(found)[:limit]


def _distinct_numbers(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        digits = "".join(c for c in value if c.isdigit())
        if not any(digits.endswith(s) or s.endswith(digits) for s in seen):
            seen.add(digits)
            out.append(value)
    return out


def _without_dates(text: str) -> str:
    out = []
    for line in text.splitlines():
        found = find_range(line)
        while found is not None:
            line = line[: found.begin] + " " * (found.stop - found.begin) + line[found.stop :]
            found = find_range(line)
        out.append(line)
    return "\n".join(out)


def rejoin_spaced(text: str) -> str:
    """Letter-spaced runs written as words again (``g m x . d e`` -> ``gmx.de``)."""
    return _SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)


def read_structure(
    lines: list[Line],
    *,
    author: str | None,
    file_stem: str | None,
    default_region: str | None,
    max_items: int,
) -> ResumeStructure:
    """Read name, contacts, location, entries, skills and references from ``lines``."""
    parts = split_sections(lines)

    def _joined(chosen: Iterable[bool]) -> str:
        picked = [body for keep, (_, body) in zip(chosen, parts, strict=True) if keep]
        return _without_dates(rejoin_spaced("\n".join(x.text for b in picked for x in b)))

    own = [line for kind, body in parts if kind != sec.REFERENCES for line in body]
    own_text = rejoin_spaced("\n".join(line.text for line in own))
    header = [line for kind, body in parts if kind in ("header", sec.CONTACT) for line in body]
    # the header first; else a short line of the sections around it ("About", "Contact" in a
    # sidebar), never the entries
    around = [x for kind, body in parts if kind in (sec.SUMMARY, sec.CONTACT) for x in body]
    location = _location(header or own[:_HEADER_LINES]) or _location(
        [x for x in around if len(x.text.split()) <= _MAX_PLACE_WORDS]
    )
    region = (location.country if location else None) or default_region
    emails = find_emails(own_text, max_items)
    # national numbers only outside the entries, where figures can read like phone numbers;
    # date ranges are blanked first everywhere
    contact = _joined(kind not in _NOT_CONTACT for kind, _ in parts)
    entries = _joined(kind in _NOT_CONTACT and kind != sec.REFERENCES for kind, _ in parts)
    phones = phone_strings(contact, region, max_items) + phone_strings(entries, None, max_items)
    phones = _distinct_numbers(phones)[:max_items]
    links = find_links(own_text, max_items)
    handles = [link.rstrip("/").rsplit("/", 1)[-1] for link in links]
    name = choose_name(lines, author, emails, handles, file_stem)
    work: list[Entry] = []
    education: list[Entry] = []
    skills: list[str] = []
    references: list[Referee] = []
    for kind, body in parts:
        if kind == sec.EXPERIENCE:
            work.extend(read_entries(body, education=False))
        elif kind == sec.EDUCATION:
            education.extend(read_entries(body, education=True))
        elif kind == sec.SKILLS:
            skills.extend(_skills(body))
        elif kind == sec.REFERENCES:
            references.extend(_referees(body, region))
    return ResumeStructure(
        name=name,
        emails=emails,
        phones=phones,
        links=links,
        location=location,
        work=work[:max_items],
        education=education[:max_items],
        skills=_distinct(skills)[:max_items],
        references=references[:max_items],
        sections=[kind for kind, _ in parts],
    )


def split_sections(lines: list[Line]) -> list[tuple[str, list[Line]]]:
    """(kind, lines) in document order; ``header`` before the first heading.

    Text at the top of a new page continues the section that was open at the end of the previous
    page's main column (the one with the most lines), not the sidebar read last.
    """
    parts: list[tuple[str, list[Line]]] = [("header", [])]
    opened: Line | None = None  # the heading line of the open section
    last_in: dict[tuple[int, int], str] = {}  # (page, column) -> section open at its end
    count: dict[tuple[int, int], int] = {}
    page = lines[0].page if lines else 0
    for line in lines:
        if line.page != page:
            main = max(
                (key for key in count if key[0] == page), key=lambda k: count[k], default=None
            )
            if main is not None and last_in.get(main) not in (None, parts[-1][0]):
                parts.append((last_in[main], []))
            page = line.page
        kind = sec.heading_kind(line.text)
        rest = None
        if kind is None and "\t" in line.text:
            first, _, after = line.text.partition("\t")
            kind = sec.heading_kind(first)
            rest = after.strip() or None
        key = (line.page, line.column)
        count[key] = count.get(key, 0) + 1
        if kind in _PARTS_OF_ENTRIES and parts[-1][0] in _ENTRIES and _subheading(line, opened):
            kind = None  # "Courses" set smaller inside an education entry stays in the entry
        if kind is None:
            parts[-1][1].append(line)
        else:
            parts.append((kind, []))
            opened = line
            if rest:
                parts[-1][1].append(
                    Line(rest, line.size, line.bold, line.page, line.column, line.top)
                )
        last_in[key] = parts[-1][0]
    return [(kind, body) for kind, body in parts if body or kind != "header"]


def _subheading(line: Line, opened: Line | None) -> bool:
    """A heading word ("Courses", "Skills") set clearly smaller than the experience or education
    heading of the section it stands in, in the same column: a part of that section's entries,
    not a section of its own."""
    return (
        opened is not None
        and line.size > 0
        and opened.size - line.size > _SUBHEADING_POINTS
        and line.column == opened.column
    )


def _location(header: list[Line]) -> Location | None:
    """The first header piece written as "City, Country", "City, State" (a subdivision of one
    country only) or a country name alone. Postal codes are read past ("Madrid 28001 ES"), and
    on a line that also holds a contact a piece may be a subdivision alone ("... | Bayern")."""
    phones = "\n".join(line.text for line in header[:_HEADER_LINES])
    for line in header[:_HEADER_LINES]:
        contact = bool(_CONTACT_HINT.search(line.text))
        for piece in re.split(r"\t|\s[|•·]\s", line.text):
            address = _POSTAL.sub(" ", piece).strip(" ,")
            if not address or not _PLACE.match(address):
                continue
            words = [w.strip(" ()") for w in address.split(",")]
            found = _place_in(words, contact, postal=address != piece.strip(" ,"), phones=phones)
            if found:
                return found
    return None


def _place_in(words: list[str], contact: bool, postal: bool, phones: str) -> Location | None:
    for i in range(len(words) - 1, -1, -1):
        tokens = words[i].split()
        # an address with a postal code may end in a capitalised code: "Madrid 28001 ES"
        code_at_end = tokens[-1] if postal and len(tokens) > 1 and tokens[-1].isupper() else ""
        for candidate in (words[i], code_at_end):
            code = _one_country(place_countries(candidate), phones) if candidate else None
            if code:
                return Location(words[0] if i > 0 else None, code)
    for i in range(len(words) - 1, -1, -1):
        if i == 0 and not (contact and len(words) == 1):
            break  # a lone word is a region only beside a contact, never a name line
        code = region_country(words[i])
        if code:
            return Location(words[0] if i > 0 else None, code)
    return None


def _one_country(countries: tuple[str, frozenset[str]] | None, phones: str) -> str | None:
    """The country a place word names. A code that is also a subdivision code elsewhere ("CO":
    Colombia, or Colorado in the US) is its country when the header's phone number is valid
    there; else the one other country it belongs to, or the one where it is valid; else None
    (unread beats a wrong country)."""
    if countries is None:
        return None
    country, others = countries
    if not others:
        return country
    import phonenumbers

    text = phones[:_MAX_PHONE_TEXT]

    def regions(default: str) -> set[str | None]:
        """The regions of the header's numbers read with ``default`` for national ones."""
        matches = phonenumbers.PhoneNumberMatcher(text, default, max_tries=_MAX_PHONE_TRIES)
        return {phonenumbers.region_code_for_number(m.number) for m in matches}

    found = regions(country)
    if country in found:
        return country
    # a shared calling code names the other country directly ("CA" and a +1 415 number: US)
    held = sorted(others & found) or [other for other in sorted(others) if other in regions(other)]
    return held[0] if len(held) == 1 else None


def _skills(body: list[Line]) -> list[str]:
    out: list[str] = []
    for line in body:
        text = _LABEL.sub("", line.text)
        for item in _SKILL_SPLIT.split(text):
            item = item.strip(" .:-–()")
            if (
                item
                and len(item) <= _MAX_SKILL_CHARS
                and len(item.split()) <= _MAX_SKILL_WORDS
                and any(c.isalnum() for c in item)
            ):
                out.append(item)
    return out


def _referees(body: list[Line], region: str | None) -> list[Referee]:
    """One referee per block that holds an email or a phone; the name is the block's first line."""
    out: list[Referee] = []
    block: list[str] = []

    def close() -> None:
        text = rejoin_spaced("\n".join(block))
        emails = find_emails(text, 1)
        phones = phone_strings(text, region, 1)
        if emails or phones:
            first = block[0].split("\t")[0].split(",")[0].strip() if block else None
            out.append(Referee(first or None, emails[0] if emails else None,
                               phones[0] if phones else None))  # fmt: skip
        block.clear()

    for line in body:
        if block and (line.bold or not line.text.strip()) and find_emails("\n".join(block), 1):
            close()
        block.append(line.text)
    close()
    return out


def _distinct(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        if value.casefold() not in seen:
            seen.add(value.casefold())
            out.append(value)
    return out
