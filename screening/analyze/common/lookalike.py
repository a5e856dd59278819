"""Look-alike domains: names built to pass for a well-known company's domain.

``g00gle.com``, ``rnicrosoft.com``, ``amazon-careers.net`` or ``gооgle.com`` (Cyrillic ``о``) are
not the company; fake employers and references on such domains are named in the 2022
State/Treasury/FBI DPRK IT worker advisory. One table of confusable characters
(``confusable_characters.txt``) and one comparison with ``wellknown_domains.txt`` serve every
caller: the timeline and reference analyzers ask whether an ASCII domain imitates a brand
(``lookalike_of``), and the domains family, having read a name's letters from other scripts as
the Latin letters they imitate, asks what that skeleton reads as (``reads_as``). A name matches a
brand after folding (digits, symbols and letter pairs read as letters), as a brand-plus-hiring-
word construction, or at one edit from the brand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache, lru_cache

from rapidfuzz.distance import Levenshtein

from screening.model.facts import Source
from screening.refdata import source_of, word_set
from screening.resources import data_dir

CONFUSABLES_FILE = "confusable_characters.txt"
WELLKNOWN_FILE = "wellknown_domains.txt"
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


@cache
def _confusables() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """(character -> letter, (letter pair, letter) ...) from the confusables file, read once."""
    singles: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for raw in (data_dir() / CONFUSABLES_FILE).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            text, letter = line.split()[:2]
            if len(text) == 1:
                singles[text] = letter
            else:
                pairs.append((text, letter))
    return singles, tuple(pairs)


@cache
def homoglyphs() -> dict[str, str]:
    """Non-ASCII character -> the Latin letter it imitates (IDN homographs such as Cyrillic о)."""
    return {char: letter for char, letter in _confusables()[0].items() if not char.isascii()}


@cache
def _fold_table() -> dict[int, str]:
    return str.maketrans(_confusables()[0])


def _fold(label: str) -> str:
    """``label`` with every confusable character and letter pair read as the letter it imitates."""
    folded = label.translate(_fold_table())
    for pair, letter in _confusables()[1]:
        folded = folded.replace(pair, letter)
    return folded


def sources() -> list[Source]:
    """Provenance of the confusable-character table and the well-known domains list."""
    return [
        source_of(CONFUSABLES_FILE, "Confusable characters (Unicode TS #39 subset)"),
        source_of(WELLKNOWN_FILE, "Well-known employer domains"),
    ]


def registrable_label(domain: str) -> str:
    """The label before the public suffix, approximately ('mail.google.co.uk' -> 'google')."""
    parts = domain.lower().strip(".").split(".")
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else parts[0]


@cache
def _wellknown_table() -> tuple[dict[str, str], dict[str, str]]:
    """Brand label -> its main domain (amazon -> amazon.com, not aws.amazon.com) and the hiring
    constructions ('amazon-careers' ...), built once in a fixed order, so the domain named for a
    look-alike does not depend on the process's hash seed."""
    return brand_table(word_set(WELLKNOWN_FILE))


def _wellknown(domain: str) -> str | None:
    """``domain`` or its nearest parent when that is a well-known domain (careers.google.com)."""
    wellknown = word_set(WELLKNOWN_FILE)
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        parent = ".".join(parts[i:])
        if parent in wellknown:
            return parent
    return None


def _brand_imitated(domain: str) -> str | None:
    """The well-known domain whose brand the registrable label of ``domain`` imitates."""
    return imitated_in(domain, *_wellknown_table())


def brand_table(domains: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(label -> domain, construction -> domain) for a list of domains (``imitated_in``)."""
    brands: dict[str, str] = {}
    for domain in sorted(domains, key=lambda d: (d.count("."), d)):
        brands.setdefault(registrable_label(domain), domain)
    constructions: dict[str, str] = {}
    for brand, real in brands.items():
        if len(brand) >= 4:
            for word in _HIRING_WORDS:
                for label in (
                    f"{brand}-{word}",
                    f"{word}-{brand}",
                    f"{brand}{word}",
                    f"{word}{brand}",
                ):
                    constructions.setdefault(label, real)
    return brands, constructions


def imitated_in(
    domain: str, brands: Mapping[str, str], constructions: Mapping[str, str]
) -> str | None:
    """The domain of ``brands`` whose label the registrable label of ``domain`` imitates:
    spelled with look-alike characters, built from it and a hiring word, or one edit away."""
    label = registrable_label(domain)
    if label.startswith("xn--"):
        return None  # IDN look-alikes are read by the domains family from the Unicode form
    folded = _fold(label)
    if folded in brands:
        return brands[folded]
    constructed = constructions.get(folded)
    if constructed:
        return constructed
    for brand, real in brands.items():
        near = len(brand) >= 5 and abs(len(brand) - len(folded)) <= 1
        if near and Levenshtein.distance(folded, brand, score_cutoff=1) == 1:
            return real
    return None


def reads_as(skeleton: str) -> str | None:
    """The well-known domain an ASCII name reads as: the genuine one (or parent) it spells, else
    the one it imitates. For a homoglyph skeleton, where spelling google.com *is* the imitation.
    """
    return _wellknown(skeleton.lower()) or _brand_imitated(skeleton)


@lru_cache(maxsize=4096)
def lookalike_of(domain: str | None) -> str | None:
    """The well-known domain ``domain`` imitates, or None (also None for the real domain)."""
    if not domain or "." not in domain or len(domain) > 253 or not domain.isascii():
        return None  # Unicode look-alikes are the domains family's homoglyph check, counted there
    if _wellknown(domain.lower()):
        return None
    return _brand_imitated(domain)
