"""Stage 1 of 6 (ingest): a country as people write it -> ISO 3166-1 alpha-2 code.

Applicants write their country as a code (``CO``, ``COL``), in English (``Colombia``), in their own
language (``España``, ``中国``, ``台灣``, ``Deutschland``) or as a common short form (``UK``,
``UAE``, ``USA``). Refusing or misreading any of these falls hardest on applicants outside the
United States, so every form is read the same way. Names come from the Unicode CLDR through
babel (every language babel ships, base languages and script variants), alpha-3 and retired
codes from CLDR's territory aliases, and short forms are the initials of the CLDR English names
(``United Arab Emirates`` -> ``UAE``) when they name one country only. No table is written here.

A name that two languages give to different countries, or that matches nothing, is not guessed:
``country_code`` returns None and the caller records an input note.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"})  # CLDR groups, pseudo
_SMALL_WORDS = frozenset({"and", "of", "the", "&"})
_PUNCT = re.compile(r"[\s\.\,\-\u2010-\u2015'’\"()&]+")
_AMBIGUOUS = ""


@dataclass(frozen=True, slots=True)
class CountryReading:
    """A code and how it was read: ``code``, ``alpha-3``, ``name`` or ``short form``."""

    code: str
    how: str


def country_code(text: str) -> CountryReading | None:
    """The alpha-2 code ``text`` stands for, or None when it names no single country."""
    raw = text.strip()
    if not raw or len(raw) > 80:
        return None
    upper = raw.upper()
    if len(upper) == 2 and upper in _codes():
        return CountryReading(upper, "code")
    if upper.isascii() and upper.isalpha() and upper in _aliases():
        return CountryReading(_aliases()[upper], "alpha-3" if len(upper) == 3 else "code")
    _, names, shorts = _index()  # names in every language: built only when a name is written
    key = fold(raw)
    found = names.get(key) or names.get(fold(re.sub(r"(?i)^the\s+", "", raw)))
    if found:
        return CountryReading(found, "name")
    found = shorts.get(key)
    if found:
        return CountryReading(found, "short form")
    return None


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing removed, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _PUNCT.sub("", stripped)


@functools.cache
def _aliases() -> dict[str, str]:
    """Alpha-3 and retired codes that stand for exactly one current country (CLDR)."""
    from babel.core import get_global

    codes = _codes()
    out: dict[str, str] = {}
    for alias, targets in get_global("territory_aliases").items():
        if alias.isalpha() and len(targets) == 1 and targets[0] in codes:
            out[alias.upper()] = targets[0]
    return out


@functools.cache
def _english() -> dict[str, str]:
    from babel import Locale

    return {str(k): str(v) for k, v in Locale("en").territories.items()}


@functools.cache
def _codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of countries and territories (CLDR; groups left out)."""
    return frozenset(
        k for k in _english() if len(k) == 2 and k.isalpha() and k not in _NOT_COUNTRIES
    )


@functools.cache
def _index() -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    """Codes, folded names in every CLDR language, and English initials; built once (~1 s)."""
    from babel import Locale, localedata

    english = _english()
    codes = _codes()
    names: dict[str, str] = {}

    def add(table: dict[str, str], key: str, code: str) -> None:
        if not key:
            return
        previous = table.get(key)
        table[key] = code if previous in (None, code) else _AMBIGUOUS

    for ident in localedata.locale_identifiers():
        parts = ident.split("_")
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) != 4):
            continue  # base languages and script variants; regional variants repeat them
        for code, name in Locale.parse(ident).territories.items():
            if code in codes:
                add(names, fold(name), code)
    shorts: dict[str, str] = {}
    for code in sorted(codes):
        words = [w for w in re.split(r"[\s\-]+", english[code]) if w.casefold() not in _SMALL_WORDS]
        initials = "".join(w[0] for w in words if w[:1].isascii() and w[:1].isalpha())
        # three letters at least: two-letter initials collide with codes and abbreviations
        if len(words) >= 3 and len(initials) == len(words):
            add(shorts, initials.casefold(), code)
    return (
        codes,
        {k: v for k, v in names.items() if v},
        {k: v for k, v in shorts.items() if v and k not in names},
    )
