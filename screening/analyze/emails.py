"""Email facts from the address alone: provider kind, disposable or relay domain, role accounts,
digits, and how the local part relates to the candidate's name.

The disposable-domain list is the maintained ``disposable-email-domains`` package; free-mail,
relay and role lists ship in ``screening/data`` with their source and date. DNS facts (MX, SPF)
come from the DNS analyzer, not from here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.namematch import NameRelation, handle_relation
from screening.errors import ListError
from screening.lists import ListFile, ListSpec, info, register, resolve
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application
from screening.refdata import source_of, word_set

_TRAILING_DIGITS = re.compile(r"(\d+)$")


_DOMAIN_LINE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9-]{1,63})+$")


def _validate_domains(data: bytes) -> tuple[int, str]:
    """One domain per line (``#`` comments allowed); names the first bad line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ListError("disposable domain list: not UTF-8 text") from None
    count = 0
    for n, line in enumerate(text.splitlines(), start=1):
        entry = line.strip().lower()
        if not entry or entry.startswith("#"):
            continue
        if not _DOMAIN_LINE.match(entry):
            raise ListError(f"disposable domain list, line {n}: not a domain name: {entry[:60]!r}")
        count += 1
    if count < 100:
        raise ListError(f"disposable domain list: only {count} domains, refusing a truncated list")
    return count, ""


DISPOSABLE = register(
    ListSpec(
        name="disposable-email-domains",
        title="Disposable email domains",
        files=(
            ListFile(
                "disposable_email_blocklist.conf",
                "https://raw.githubusercontent.com/disposable-email-domains/disposable-email-domains/"
                "main/disposable_email_blocklist.conf",
            ),
        ),
        validate=_validate_domains,
        description="Throwaway-inbox domains; the installed package is the default copy",
    )
)


@cache
def _disposable() -> frozenset[str]:
    """The updated list when ``screening lists update`` fetched one, else the package's list."""
    path = resolve(DISPOSABLE.name, DISPOSABLE.files[0].filename)
    if path is not None:
        lines = path.read_text(encoding="utf-8").splitlines()
        return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))
    from disposable_email_domains import blocklist

    return frozenset(blocklist)


def in_domain_list(domain: str, domains: frozenset[str]) -> bool:
    """``domain`` or one of its parent domains is in ``domains``."""
    parts = domain.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


class EmailAnalyzer:
    """Provider kind, disposable/relay domains, role accounts and name relation per address."""

    name: ClassVar[str] = "emails"
    description: ClassVar[str] = "Email addresses checked against provider lists (no network)"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("emails", "One record per email address given", "emails", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "emails",
        "emails",
        [
            ("address", "str", "The address, lower-cased"),
            ("local_part", "str", "The part before @, lower-cased"),
            ("domain", "str", "The domain (IDNA/punycode form)"),
            ("valid_syntax", "bool", "The address is syntactically valid"),
            ("free_provider", "bool", "The domain is a free consumer webmail provider"),
            ("disposable", "bool", "The domain is on the maintained disposable-email list"),
            (
                "relay_service",
                "bool",
                "The domain is an alias/forwarding relay (SimpleLogin, addy.io, ...)",
            ),
            (
                "role_account",
                "bool",
                "The local part names a role or shared mailbox (info, hr, admin)",
            ),
            ("plus_tag", "bool", "The local part carries a +tag"),
            ("digit_count", "int", "How many digits the local part contains"),
            ("trailing_digits", "int", "How many digits end the local part"),
            (
                "name_relation",
                "str",
                "How the local part relates to the candidate's names",
                {"values": ("related", "unrelated", "incomparable")},
            ),
            (
                "name_similarity",
                "float",
                "0-100 fuzzy similarity of the local part to the closest name",
            ),
        ],
    )

    def sources(self) -> list[Source]:
        """Versions of the domain lists used."""
        from importlib.metadata import version

        updated = info(DISPOSABLE.name)
        disposable = (
            Source("disposable-email-domains list (package)", version("disposable-email-domains"))
            if updated.shipped
            else Source(f"disposable-email-domains list ({updated.source})", updated.date)
        )
        return [
            disposable,
            source_of("freemail_domains.txt", "Free email providers"),
            source_of("relay_email_domains.txt", "Email relay services"),
        ]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per address."""
        if not app.emails:
            return FamilyResult.skipped("no email addresses in the application")
        disposable = _disposable()
        free = word_set("freemail_domains.txt")
        relay = word_set("relay_email_domains.txt")
        roles = word_set("role_local_parts.txt")
        own = (app.name, *app.aliases)
        records: list[Record] = []
        for email in app.emails:
            local = email.local
            base = local.split("+", 1)[0]
            digits = sum(ch.isdigit() for ch in base)
            m = _TRAILING_DIGITS.search(base)
            relation, similarity = (
                handle_relation(own, base) if base else (NameRelation.UNRELATED, 0.0)
            )
            domain = email.domain
            records.append(
                {
                    "address": email.address[:320],
                    "local_part": local[:64],
                    "domain": domain[:255],
                    "valid_syntax": email.valid,
                    "free_provider": bool(domain) and in_domain_list(domain, free),
                    "disposable": bool(domain) and in_domain_list(domain, disposable),
                    "relay_service": bool(domain) and in_domain_list(domain, relay),
                    "role_account": base.replace(".", "").replace("_", "") in roles
                    or base in roles,
                    "plus_tag": "+" in local,
                    "digit_count": digits,
                    "trailing_digits": len(m.group(1)) if m else 0,
                    "name_relation": relation.value,
                    "name_similarity": round(similarity, 1),
                }
            )
        return FamilyResult(records={"emails": records})
