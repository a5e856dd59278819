"""Countries named in a resume's text, through the one country reader (``ingest.countries``).

Free text is not a country field: a two-letter word is a country code only where a place is
expected and it is written in capitals ("Berlin, DE"); elsewhere "Li", "Ng" or "IT" are a name or
a department. ``country_name`` therefore accepts names and short forms only, ``place_country``
also capitalised codes.

A header often names a city and its state or province but no country ("Dallas, Texas",
"Toronto, Ontario", "Ho Chi Minh"). ``region_country`` reads such names through ISO 3166-2, the
one standard list of every country's subdivisions (pycountry), so every country is read the same
way; a name that two countries share ("Punjab", "Limburg") or that is also a country is no answer.

A capitalised code after a city is read the same way for every country: "Denver, CO" and
"Bogotá, CO" use one code, a US state's and Colombia's, so ``place_countries`` also gives the
countries with a subdivision of that code (ISO 3166-2), and the reader settles it with the
header's phone number, or leaves the place unread rather than guess.
"""

from __future__ import annotations

import functools

from screening.ingest.countries import country_code, fold

_MIN_REGION_CHARS = 4  # "Bayern", "Texas", "Lagos"; shorter names are codes and abbreviations


def country_name(text: str) -> str | None:
    """The alpha-2 code of a country written as a name or short form ("Colombia", "UAE")."""
    reading = country_code(text.strip(" .,()"))
    return reading.code if reading and reading.how in ("name", "short form") else None


def place_country(text: str) -> str | None:
    """As ``country_name``, and a code written in capitals ("DE", "COL") where a place stands."""
    found = place_countries(text)
    return found[0] if found else None


def place_countries(text: str) -> tuple[str, frozenset[str]] | None:
    """The country a place word names and, for a capitalised code, the other countries with a
    subdivision of that code ("CO": Colombia, and the US for Colorado)."""
    word = text.strip(" .,()")
    reading = country_code(word)
    if reading is None:
        return None
    if reading.how in ("name", "short form"):
        return reading.code, frozenset()
    if not word.isupper():
        return None
    return reading.code, _subdivision_codes().get(word, frozenset()) - {reading.code}


def region_country(text: str) -> str | None:
    """The alpha-2 code of the one country that has a subdivision named ``text`` (ISO 3166-2,
    "Texas", "Bayern", "Hồ Chí Minh"), or None when no country or more than one has it."""
    word = text.strip(" .,()")
    if len(word) < _MIN_REGION_CHARS or country_code(word) is not None:
        return None
    return _subdivisions().get(fold(word)) or None


@functools.cache
def _subdivisions() -> dict[str, str]:
    """Folded subdivision names -> country; "" for a name that several countries use."""
    try:
        import pycountry
    except ImportError:  # the ``documents`` extra is not installed: nothing to read through
        return {}
    out: dict[str, str] = {}
    for sub in pycountry.subdivisions:
        # "Madrid, Comunidad de" is written "Madrid"
        for name in {sub.name, sub.name.split(",")[0]}:
            key = fold(name)
            if len(key) >= _MIN_REGION_CHARS:
                previous = out.get(key)
                out[key] = sub.country_code if previous in (None, sub.country_code) else ""
    return out


@functools.cache
def _subdivision_codes() -> dict[str, frozenset[str]]:
    """A subdivision code without its country prefix ("CO" of "US-CO") -> the countries using it."""
    try:
        import pycountry
    except ImportError:
        return {}
    out: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        out.setdefault(sub.code.partition("-")[2], set()).add(sub.country_code)
    return {code: frozenset(countries) for code, countries in out.items()}
