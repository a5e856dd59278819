"""Look-alike domains: names built to pass for a well-known company's domain.

``g00gle.com``, ``rnicrosoft.com`` or ``amazon-careers.net`` are not the company; fake employers
and references on such domains are named in the 2022 State/Treasury/FBI DPRK IT worker advisory.
Checked offline against ``wellknown_domains.txt`` by confusable-character folding, one-edit
distance, and brand-plus-hiring-word constructions.
"""

from __future__ import annotations

from functools import cache, lru_cache

from rapidfuzz.distance import Levenshtein

from screening.analyze.refdata import word_set

_CONFUSABLE = str.maketrans(
    {
        "0": "o",
        "1": "l",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "$": "s",
        "@": "a",
        "|": "l",
        "!": "i",
    }
)
_HIRING_WORDS = (
    "careers",
    "career",
    "jobs",
    "job",
    "hr",
    "hiring",
    "recruit",
    "recruiting",
    "recruitment",
    "talent",
    "team",
    "corp",
    "inc",
    "staff",
    "mail",
    "work",
    "global",
)
_SECOND_LEVEL = {"co", "com", "net", "org", "ac", "gov", "edu"}


def registrable_label(domain: str) -> str:
    """The label before the public suffix, approximately ('mail.google.co.uk' -> 'google')."""
    parts = domain.lower().strip(".").split(".")
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


@cache
def _brands() -> dict[str, str]:
    return {registrable_label(d): d for d in word_set("wellknown_domains.txt")}


@cache
def _constructions() -> dict[str, str]:
    """'amazon-careers', 'careersamazon' ... -> the real domain, built once."""
    out: dict[str, str] = {}
    for brand, real in _brands().items():
        if len(brand) >= 4:
            for word in _HIRING_WORDS:
                for label in (
                    f"{brand}-{word}",
                    f"{word}-{brand}",
                    f"{brand}{word}",
                    f"{word}{brand}",
                ):
                    out.setdefault(label, real)
    return out


def _genuine(domain: str) -> bool:
    wellknown = word_set("wellknown_domains.txt")
    parts = domain.split(".")
    return any(".".join(parts[i:]) in wellknown for i in range(len(parts) - 1))


@lru_cache(maxsize=4096)
def lookalike_of(domain: str | None) -> str | None:
    """The well-known domain ``domain`` imitates, or None (also None for the real domain)."""
    if not domain or "." not in domain or len(domain) > 253 or not domain.isascii():
        return None  # Unicode look-alikes are the DNS analyzer's homoglyph check, counted there
    if _genuine(domain.lower()):
        return None
    label = registrable_label(domain)
    if label.startswith("xn--"):
        return None  # IDN look-alikes need the DNS analyzer's confusable check
    brands = _brands()
    folded = label.translate(_CONFUSABLE).replace("rn", "m").replace("vv", "w")
    if folded in brands:
        return brands[folded]
    constructed = _constructions().get(folded)
    if constructed:
        return constructed
    for brand, real in brands.items():
        near = len(brand) >= 5 and abs(len(brand) - len(folded)) <= 1
        if near and Levenshtein.distance(folded, brand, score_cutoff=1) == 1:
            return real
    return None
