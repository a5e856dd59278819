"""Countries named in a resume's text, through the one country reader (``ingest.countries``).

Free text is not a country field: a two-letter word is a country code only where a place is
expected and it is written in capitals ("Berlin, DE"); elsewhere "Li", "Ng" or "IT" are a name or
a department. ``country_name`` therefore accepts names and short forms only, ``place_country``
also capitalised codes.
"""

from __future__ import annotations

from screening.ingest.countries import country_code


def country_name(text: str) -> str | None:
    """The alpha-2 code of a country written as a name or short form ("Colombia", "UAE")."""
    reading = country_code(text.strip(" .,()"))
    return reading.code if reading and reading.how in ("name", "short form") else None


def place_country(text: str) -> str | None:
    """As ``country_name``, and a code written in capitals ("DE", "COL") where a place stands."""
    word = text.strip(" .,()")
    reading = country_code(word)
    if reading is None:
        return None
    if reading.how in ("name", "short form") or word.isupper():
        return reading.code
    return None
