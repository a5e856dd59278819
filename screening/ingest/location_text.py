"""Stage 1 of 6 (ingest): a location written as one line of text -> city, region, country.

ATS exports have a single ``Location`` column and some JSON Resumes give ``location`` as a
string: ``Austin, TX``, ``Katowice, Poland (Hybrid)``, ``Hanau, Deutschland``, ``Remote``. The
last comma-separated part is a country when it names one (any language, see ``countries``); the
first part is the city and a middle part the region. Nothing is guessed beyond that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from screening.ingest.countries import country_code

_ASIDE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_MAX_PARTS = 4


@dataclass(frozen=True, slots=True)
class PlaceText:
    """What a one-line location gave; any part may be missing."""

    city: str | None = None
    region: str | None = None
    country: str | None = None


def parse_location(text: str) -> PlaceText:
    """Split ``text`` into city, region and an ISO country code where it can be done."""
    cleaned = _ASIDE.sub(" ", text)
    parts = [" ".join(p.split()) for p in re.split(r"[,;/|·]", cleaned)]
    parts = [p for p in parts if p][:_MAX_PARTS]
    if not parts:
        return PlaceText()
    country = country_code(parts[-1])
    if country is not None:
        rest = parts[:-1]
        return PlaceText(
            city=rest[0] if rest else None,
            region=rest[1] if len(rest) > 1 else None,
            country=country.code,
        )
    return PlaceText(city=parts[0], region=parts[1] if len(parts) > 1 else None)
