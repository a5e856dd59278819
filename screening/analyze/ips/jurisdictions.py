"""Sanctioned jurisdictions: which IP locations count as access from an embargoed territory.

Read from ``sanctioned_jurisdictions.txt`` (``CODE = name (legal basis)``), where a code is an ISO
3166-1 country (``KP``) or an ISO 3166-2 region (``UA-43``, Crimea). Regions can only be
recognised when a city-level database tells the region of an address.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from screening.model.facts import Source
from screening.refdata import source_of
from screening.resources import data_dir

JURISDICTIONS_FILE = "sanctioned_jurisdictions.txt"


@cache
def sanctioned() -> dict[str, str]:
    """Code -> display name (with the legal basis) of every listed jurisdiction."""
    out: dict[str, str] = {}
    for raw in (data_dir() / JURISDICTIONS_FILE).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            code, _, name = line.partition("=")
            out[code.strip().upper()] = name.strip() or code.strip().upper()
    return out


def match(country: str | None, regions: Iterable[str] = ()) -> str | None:
    """``"KP (North Korea ...)"`` when the country or one of the regions is listed, else None."""
    table = sanctioned()
    for code in (*regions, country):
        if code and code.upper() in table:
            return f"{code.upper()} ({table[code.upper()]})"
    return None


def jurisdictions_source() -> Source:
    """Provenance of the jurisdiction list."""
    return source_of(JURISDICTIONS_FILE, "Sanctioned jurisdictions (OFAC comprehensive embargoes)")
