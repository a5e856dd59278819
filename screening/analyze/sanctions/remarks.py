"""Stage 3 (analyze): identifiers inside the Remarks field of the OFAC SDN CSV files.

In the delimited files OFAC stores an entry's identifiers as clauses of its Remarks field,
separated by "; " and introduced by "alt." when an entry has several of a kind:
``Digital Currency Address - ETH 0x...; alt. Digital Currency Address - ETH 0x...``,
``Email Address x@y.example`` (older entries: ``EMAIL x@y.example``), ``Website tornado.cash``,
``DOB 12 Jul 1986`` and weak aliases ``a.k.a. 'NICKNAME'``. Remarks are cut at 1,000 characters
(the rest is in OFAC's spillover and XML files), so a final clause that does not end the field
cleanly may be truncated and is dropped: a shortened address could otherwise match the wrong one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from screening.analyze.sanctions.entries import BirthDate, Wallet

REMARKS_LIMIT = 1000
_CURRENCY = re.compile(r"^Digital Currency Address - ([A-Za-z0-9]+)\s+(\S+)$", re.IGNORECASE)
_EMAIL = re.compile(r"^(?:Email Address|EMAIL)\s+(\S+@\S+)$", re.IGNORECASE)
_WEBSITE = re.compile(r"^Website\s+(\S+)$", re.IGNORECASE)
_DOB = re.compile(r"^DOB\s+(.+)$")
_AKA = re.compile(r"^[afn]\.k\.a\.\s+'(.+)'$")


@dataclass(slots=True)
class Remarks:
    """What the Remarks field says that matters for screening."""

    emails: list[str] = field(default_factory=list)
    wallets: list[Wallet] = field(default_factory=list)
    websites: list[str] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    weak_aliases: list[str] = field(default_factory=list)


def clauses(text: str) -> list[str]:
    """The complete clauses of a Remarks field, "alt." prefixes removed."""
    body = text.strip()
    if not body:
        return []
    complete = body.endswith((".", ";")) or len(body) < REMARKS_LIMIT
    parts = [p.strip() for p in body.rstrip(".;").split("; ")]
    if not complete:
        parts = parts[:-1]
    out = []
    for part in parts:
        if part.lower().startswith("alt. "):
            part = part[5:].strip()
        if part:
            out.append(part)
    return out


def parse_remarks(text: str) -> Remarks:
    """Emails, digital-currency addresses, websites, dates of birth and weak aliases."""
    found = Remarks()
    for clause in clauses(text):
        if m := _CURRENCY.match(clause):
            found.wallets.append(Wallet(m.group(1).upper(), m.group(2)))
        elif m := _EMAIL.match(clause):
            found.emails.append(m.group(1).lower())
        elif m := _WEBSITE.match(clause):
            found.websites.append(m.group(1))
        elif m := _DOB.match(clause):
            dob = BirthDate.parse(m.group(1))
            if dob is not None:
                found.birth_dates.append(dob)
        elif m := _AKA.match(clause):
            found.weak_aliases.append(m.group(1))
    return found
