"""Domain names in an application: which ones, in what role, and whether the name itself deceives.

Every domain the candidate controls or names is collected once with its roles (their own email,
a past employer's website, a reference's email, a personal website), checked as a host name
(length, labels, IDNA) and, for internationalised names, for characters that imitate Latin
letters: ``gооgle.com`` with two Cyrillic ``о`` is a different domain that reads as google.com.
Names are candidate-supplied text, so every check is bounded: absurd lengths are refused before
any IDNA work, and the number of distinct domains is capped (the cut is reported, not silent).
"""

from __future__ import annotations

import ipaddress
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from screening.analyze.common.lookalike import homoglyphs, reads_as
from screening.model.normalized import Application

ROLES = ("email", "employer", "reference", "website")
MAX_NAME_CHARS = 253
MAX_LABEL_CHARS = 63
_SCAN_LIMIT = 1024  # longer text is refused without being examined further
_LDH = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
# scripts routinely combined with Latin in one label (Japanese, Chinese, Korean names)
_CJK_SCRIPTS = frozenset({"CJK", "HIRAGANA", "KATAKANA", "HANGUL", "BOPOMOFO"})


@dataclass(frozen=True, slots=True)
class DomainName:
    """One distinct domain: its ASCII (punycode) and Unicode forms and what is wrong with it."""

    domain: str
    unicode: str
    roles: tuple[str, ...]
    valid: bool
    invalid_reason: str | None = None
    punycode: bool = False
    mixed_script: bool = False
    confusables: tuple[str, ...] = ()
    skeleton: str | None = None
    imitates: str | None = None


@dataclass(frozen=True, slots=True)
class DomainList:
    """The application's domains in priority order, capped, with the count before the cap."""

    names: tuple[DomainName, ...]
    total: int

    @property
    def truncated(self) -> bool:
        """More distinct domains were given than are examined."""
        return self.total > len(self.names)

    def valid(self) -> list[DomainName]:
        """The names that can be looked up."""
        return [n for n in self.names if n.valid]


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")  # "CYRILLIC SMALL LETTER O", "KATAKANA-HIRAGANA ..."
    return name.split(" ", 1)[0].split("-", 1)[0] if name else None


def _mixed(label: str) -> bool:
    scripts = {s for s in map(_script, label) if s}
    return len(scripts - _CJK_SCRIPTS) >= 2


def _ascii_form(host: str) -> tuple[str | None, str | None]:
    """(ASCII form, None) or (None, reason) for a lower-cased host name."""
    if host.isascii():
        return host, None
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii"), None
    except (idna.IDNAError, UnicodeError, ValueError):
        return None, "not a valid internationalised domain name"


def _unicode_form(ascii_name: str) -> str:
    if "xn--" not in ascii_name:
        return ascii_name
    import idna

    try:
        return str(idna.decode(ascii_name))
    except (idna.IDNAError, UnicodeError, ValueError):
        return ascii_name


def _structure_problem(name: str) -> str | None:
    if len(name) > MAX_NAME_CHARS:
        return f"longer than {MAX_NAME_CHARS} characters"
    labels = name.split(".")
    if len(labels) < 2:
        return "a single label, not a domain name"
    for label in labels:
        if not label:
            return "has an empty label"
        if len(label) > MAX_LABEL_CHARS:
            return f"has a label longer than {MAX_LABEL_CHARS} characters"
        if not set(label) <= _LDH or label.startswith("-") or label.endswith("-"):
            return "has characters a host name cannot have"
    return None


def _shown(text: str) -> str:
    return text if len(text) <= 80 else text[:80] + "…"


@lru_cache(maxsize=8192)
def examine(host: str) -> DomainName:
    """Validity, punycode and confusable facts of one host name (roles filled in later)."""
    text = host.strip().strip("[]").rstrip(".").lower()
    if len(text) > _SCAN_LIMIT:
        return DomainName(_shown(text), _shown(text), (), False, "longer than 253 characters")
    try:
        ipaddress.ip_address(text)
    except ValueError:
        pass
    else:
        return DomainName(text, text, (), False, "an IP address, not a domain name")
    ascii_name, problem = _ascii_form(text)
    if ascii_name is None:
        return DomainName(_shown(text), _shown(text), (), False, problem)
    problem = _structure_problem(ascii_name)
    if problem:
        return DomainName(_shown(ascii_name), _shown(text), (), False, problem)
    uni = _unicode_form(ascii_name)
    table = homoglyphs()
    found = tuple(
        dict.fromkeys(f"{ch} looks like {table[ch]} (U+{ord(ch):04X})" for ch in uni if ch in table)
    )
    skeleton = "".join(table.get(ch, ch) for ch in uni) if found else None
    imitates = reads_as(skeleton) if skeleton and skeleton.isascii() else None
    return DomainName(
        domain=ascii_name,
        unicode=uni,
        roles=(),
        valid=True,
        punycode=any(label.startswith("xn--") for label in ascii_name.split(".")),
        mixed_script=any(_mixed(label) for label in uni.split(".")),
        confusables=found,
        skeleton=skeleton,
        imitates=imitates,
    )


def _candidates(app: Application) -> list[tuple[str, str]]:
    """(host, role) pairs in priority order: the candidate's own contacts first."""
    out: list[tuple[str, str]] = [(e.domain, "email") for e in app.emails if e.domain]
    out += [(j.website_domain, "employer") for j in app.employment if j.website_domain]
    out += [(r.email.domain, "reference") for r in app.references if r.email and r.email.domain]
    out += [(link.host, "website") for link in app.links if link.kind in ("website", "free_host")]
    return [(host, role) for host, role in out if host]


def collect_domains(app: Application, limit: int) -> DomainList:
    """The application's distinct domains with their roles, at most ``limit`` of them."""
    roles: dict[str, list[str]] = {}
    names: dict[str, DomainName] = {}
    for host, role in _candidates(app):
        name = examine(host[: _SCAN_LIMIT + 1])
        key = name.domain
        if key not in names:
            names[key] = name
            roles[key] = []
        if role not in roles[key]:
            roles[key].append(role)
    kept = list(names)[: max(limit, 0)]
    return DomainList(
        tuple(replace(names[k], roles=tuple(roles[k])) for k in kept),
        total=len(names),
    )
