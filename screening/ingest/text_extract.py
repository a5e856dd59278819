"""Stage 1 of 6 (ingest): contact details pulled out of free text (resumes, reference notes).

Deliberately simple and predictable, because a reviewer must be able to tell why a value was
picked: the name is the first short line near the top that looks like a person's name (letters
of any script, two to four words, not a heading or a job title); emails and links are regular
expressions; phone numbers are ``phonenumbers``' matcher. Without a country the matcher only
accepts numbers written in international form (``+44 20 ...``): guessing a country for a national
number would invent a fact. Callers search only the head of a document, where resumes keep the
candidate's contact block, so a reference's number further down is not taken as the candidate's
(and hostile text cannot make the search slow). ``phonenumbers`` is imported only when needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NAME_LINES = 6
_NAME_MAX_CHARS = 60
_NAME_SCAN_CHARS = 2000
_NAME_LABEL = re.compile(r"^\s*(?:full\s+)?name\s*[:\-–]\s*", re.IGNORECASE)
_NAME_TOKEN = re.compile(r"^[^\W\d_]+(?:[.'’\-][^\W\d_]*)*\.?$")
# Words that make a short line a heading or a job title rather than a name.
_NOT_NAME_WORDS = frozenset((
    "curriculum", "vitae", "resume", "résumé", "cv", "cover", "letter", "profile", "summary",
    "objective", "contact", "contacts", "information", "personal", "details", "experience",
    "professional", "work", "employment", "history", "education", "skills", "technical",
    "references", "projects", "certifications", "languages", "about", "me", "page", "senior",
    "junior", "lead", "principal", "staff", "chief", "head", "software", "engineer",
    "engineering", "developer", "development", "programmer", "architect", "designer", "manager",
    "consultant", "analyst", "scientist", "administrator", "specialist", "intern", "devops",
    "frontend", "backend", "fullstack", "full", "stack", "web", "mobile", "data",
))  # fmt: skip
_PLACEHOLDER_AUTHORS = frozenset(
    {"microsoft office user", "windows user", "administrator", "admin", "user", "owner",
     "author", "unknown", "default"}
)  # fmt: skip
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
    """The first of the top lines that reads like a person's name."""
    seen = 0
    for raw in text[:_NAME_SCAN_CHARS].splitlines():
        line = _NAME_LABEL.sub("", raw).strip()
        if not line:
            continue
        seen += 1
        if seen > _NAME_LINES:
            return None
        if looks_like_name(line):
            return " ".join(line.split())
    return None


def name_from_author(author: str | None) -> str | None:
    """The document's author metadata, when it is a real name and not a placeholder."""
    if not author or author.casefold() in _PLACEHOLDER_AUTHORS:
        return None
    return " ".join(author.split()) if looks_like_name(author) else None


def looks_like_name(line: str) -> bool:
    """Two to four words of letters, no digits, ``@`` or URL, not a heading or job title."""
    if len(line) > _NAME_MAX_CHARS or "@" in line or "/" in line:
        return False
    tokens = line.split()
    if not 2 <= len(tokens) <= 4:
        return False
    for token in tokens:
        if not _NAME_TOKEN.match(token) or token.casefold().strip(".") in _NOT_NAME_WORDS:
            return False
        if token[0].islower():  # names are capitalised in scripts that have case
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
