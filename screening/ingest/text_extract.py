"""Stage 1 of 6 (ingest): contact details pulled out of free text (resumes, reference notes).

Deliberately simple and predictable, because a reviewer must be able to tell why a value was
picked: the name is the first short line near the top that looks like a person's name (letters
of any script, two to five words, not a heading or a job title); emails and links are regular
expressions; phone numbers are ``phonenumbers``' matcher. Without a country the matcher only
accepts numbers written in international form (``+44 20 ...``): guessing a country for a national
number would invent a fact. Callers search only the head of a document, where resumes keep the
candidate's contact block, so a reference's number further down is not taken as the candidate's
(and hostile text cannot make the search slow). ``phonenumbers`` is imported only when needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from screening.refdata import word_set

_NAME_LINES = 6  # non-empty lines looked at
_NAME_SCAN_CHARS = 2000
_NAME_LABEL = re.compile(r"^\s*(?:full\s+)?name\s*[:\-–]\s*", re.IGNORECASE)
_NAME_LINE = re.compile(r"^[^\W\d_][^\d@/:|]{1,60}$", re.UNICODE)
_HEADER_SKIP = re.compile(
    r"(curriculum|vitae|resume|résumé|\bcv\b|profile|summary|contact|page \d|@|https?:|www\.|"
    r"\d{3})",
    re.IGNORECASE,
)
# Words of resume section headings and job titles: a short line containing one is not a name.
_HEADINGS = frozenset(
    """
    experience skills summary objective education profile history work professional technical
    projects project contact contacts about languages certifications references employment career
    personal information details qualifications achievements interests portfolio curriculum
    vitae resume cv cover letter page me
    senior junior lead principal staff chief head associate assistant intern trainee graduate
    student freelance freelancer contractor consultant engineer engineering developer development
    programmer software hardware full stack fullstack frontend backend web mobile cloud data
    devops sre qa test tester security network systems system designer design architect analyst
    scientist researcher manager management director officer administrator admin coordinator
    specialist technician product program marketing sales support operations finance accountant
    writer editor teacher nurse president founder cofounder owner partner cto ceo cfo coo vp
    recruiter
    """.split()
)
# lower-case name particles ("Ludwig van Beethoven", "Maria da Silva", "Ahmad bin Ali")
_PARTICLES = frozenset(
    "van von de da di del della der den du dos das le la bin binti ibn al el y e".split()
)
# an elided or joined particle before a capital: "d'Amico", "dell'Orto", "al-Rashid"
_ELIDED = re.compile(r"^[a-z]{1,4}['’\-][A-Z]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")  # fmt: skip
_LINK = re.compile(
    r"(?:https?://|www\.|(?<![\w.@])(?:[a-z]{2,3}\.)?linkedin\.com/|(?<![\w.@])github\.com/)"
    r"[^\s<>\"'()\[\]{}]*",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?"
_MAX_EMAIL_CHARS = 254  # RFC 5321
_MIN_URL_CHARS = len("https://www.")
_MAX_URL_CHARS = 2048


def find_name(text: str) -> str | None:
    """The first line near the top of a resume that reads like a person's name, if any.

    Used for stand-alone documents (the candidate's name) and by the identity analyzer (the name
    a resume header carries), so both read a header the same way.
    """
    seen = 0
    for raw in text[:_NAME_SCAN_CHARS].splitlines():
        line = _NAME_LABEL.sub("", raw).strip().strip("*#|-–— ").strip()
        if not line:
            continue
        seen += 1
        if seen > _NAME_LINES:
            return None
        if _HEADER_SKIP.search(line):
            continue
        words = line.split()
        if len(words) > 6:
            return None  # prose: the header is over
        if looks_like_name(line):
            return " ".join(words)
    return None


def name_from_author(author: str | None) -> str | None:
    """The document's author metadata, when it is a real name and not a placeholder."""
    if not author or author.strip().casefold() in word_set("generic_document_authors.txt"):
        return None
    return " ".join(author.split()) if looks_like_name(author.strip()) else None


def looks_like_name(line: str) -> bool:
    """Two to five capitalised words of letters (particles such as 'van' or 'bin' allowed), or
    one word in a script without case (Hangul, Han, Kana ... write full names as one word); not
    a heading or a job title, no digits, ``@`` or URL. Latin single words are refused:
    "Experience" would read as a name."""
    if not _NAME_LINE.match(line) or line.endswith((".", ":")):
        return False
    words = line.split()
    if any(w.casefold().strip(",.") in _HEADINGS for w in words):
        return False
    if not all(any(c.isalpha() for c in w) for w in words):
        return False  # "Helm ·": a word without letters is no part of a name
    if 2 <= len(words) <= 5:
        return _capitalised(words)
    first = line[0]
    caseless = not first.isupper() and not first.islower()
    return len(words) == 1 and caseless and 2 <= len(line) <= 8


def _capitalised(words: list[str]) -> bool:
    for i, word in enumerate(words):
        first = word[0]
        if not first.isupper() and not first.islower():
            continue  # a caseless script
        if (
            first.islower()
            and not _ELIDED.match(word)
            and (i in (0, len(words) - 1) or word not in _PARTICLES)
        ):
            return False
    return True


def find_emails(text: str, limit: int) -> list[str]:
    """Distinct email addresses in order of appearance, at most ``limit``."""
    found = (m.group(0) for m in _EMAIL.finditer(text))
    return _distinct((e for e in found if len(e) <= _MAX_EMAIL_CHARS), limit)


def find_links(text: str, limit: int) -> list[str]:
    """Distinct web links (with ``https://`` added where the text omitted it)."""
    links = []
    for m in _LINK.finditer(text):
        url = m.group(0).rstrip(_TRAILING)
        if "://" not in url:
            url = "https://" + url
        if _MIN_URL_CHARS < len(url) <= _MAX_URL_CHARS and "." in url.split("://", 1)[1]:
            links.append(url)
    return _distinct(links, limit)


def find_phones(text: str, limit: int, region: str | None = None) -> list[str]:
    """Distinct valid phone numbers in E.164; without ``region`` only ``+``-prefixed ones."""
    import phonenumbers

    found = (
        phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        for match in phonenumbers.PhoneNumberMatcher(text, region)
    )
    return _distinct(found, limit)


def _distinct(values: Iterable[str], limit: int) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
            if len(out) >= limit:
                break
    return out
