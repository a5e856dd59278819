"""Domain-name facts that need no network: roles, validity, punycode and look-alike characters.

Kept apart from the DNS lookups on purpose: an internationalised domain that imitates google.com
with Cyrillic letters is visible in the name itself, so it is reported offline too, while
existence, MX and SPF answers (the ``dns`` family) are skipped in offline mode.
"""

from __future__ import annotations

from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common import lookalike
from screening.analyze.dns.domain_names import ROLES, collect_domains
from screening.analyze.dns.front_companies import FrontCompanies
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

DEFAULT_MAX_DOMAINS = 50


class DomainAnalyzer:
    """One record per distinct domain the application names, with its roles."""

    name: ClassVar[str] = "domains"
    description: ClassVar[str] = "Domain names of emails, employers, references and websites"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec(
            "domains", "One record per distinct domain in the application", "domains", True
        ),
        NamespaceSpec("domain_summary", "How many domains there were", "domains", False),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "domains",
        "domains",
        [
            ("domain", "str", "The domain in ASCII (punycode) form"),
            ("unicode", "str", "The domain as it reads (Unicode form of punycode labels)"),
            ("roles", "list[str]", "Where the domain appears", {"values": ROLES}),
            ("valid", "bool", "The text is a valid host name that can be looked up"),
            ("invalid_reason", "str", "Why the text is not a usable domain name"),
            ("punycode", "bool", "The domain has internationalised (xn--) labels"),
            (
                "mixed_script",
                "bool",
                "A label mixes letters of different scripts (e.g. Latin with Cyrillic)",
            ),
            (
                "confusables",
                "list[str]",
                "Characters that imitate Latin letters, with the letter and code point",
            ),
            ("skeleton", "str", "The domain with look-alike characters replaced by the letters"),
            ("imitates", "str", "The well-known domain the skeleton reads as"),
            (
                "front_company",
                "str",
                "The front-company domain (pack lists/front-company-domains.txt) it is or imitates",
            ),
            (
                "front_company_match",
                "str",
                "How it matches the listed front company",
                {"values": ("listed", "imitation")},
            ),
            ("front_company_source", "str", "The listed company and the public source naming it"),
        ],
    ) + declare(
        "domains",
        "domain_summary",
        [
            ("total", "int", "Distinct domains in the application"),
            ("examined", "int", "Distinct domains examined (at most [dns] max_domains)"),
            ("truncated", "bool", "More domains were given than are examined"),
        ],
    )

    def __init__(
        self,
        *,
        max_domains: int = DEFAULT_MAX_DOMAINS,
        front_companies: FrontCompanies | None = None,
    ) -> None:
        self.max_domains = max_domains
        # the packs' front-company lists, found by the pack loader (none: no front companies)
        self.front = front_companies or FrontCompanies()

    def sources(self) -> list[Source]:
        """The confusable-character table, the well-known domains and front-company lists."""
        return lookalike.sources() + self.front.sources()

    def _front(self, domain: str, skeleton: str | None) -> Record:
        found = self.front.match(domain) or (self.front.match(skeleton) if skeleton else None)
        if found is None:
            return {"front_company": None, "front_company_match": None}
        listed, how, note = found
        return {"front_company": listed, "front_company_match": how, "front_company_source": note}

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per domain; the summary says whether the list was cut."""
        found = collect_domains(app, self.max_domains)
        if not found.total:
            return FamilyResult.skipped("no email, employer, reference or website domains")
        records: list[Record] = [
            {
                "domain": n.domain,
                "unicode": n.unicode,
                "roles": list(n.roles),
                "valid": n.valid,
                "invalid_reason": n.invalid_reason,
                "punycode": n.punycode,
                "mixed_script": n.mixed_script,
                "confusables": list(n.confusables),
                "skeleton": n.skeleton,
                "imitates": n.imitates,
                **self._front(n.domain, n.skeleton),
            }
            for n in found.names
        ]
        summary: Record = {
            "total": found.total,
            "examined": len(found.names),
            "truncated": found.truncated,
        }
        result = FamilyResult(records={"domains": records, "domain_summary": [summary]})
        if found.truncated:
            result.reason = (
                f"examined {len(found.names)} of {found.total} domains (limit [dns] max_domains)"
            )
        return result
