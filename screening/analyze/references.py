"""Reference facts: contact details that repeat the candidate's own or each other's.

A reference reachable only at the candidate's own phone, or two "managers" sharing one mailbox,
is the classic sign of self-supplied references (2022 State/Treasury/FBI advisory: "false contact
information for ... previous employers"). Free-mail and look-alike domains are recorded too.

A "support persona" (OpenAI, 2025) is created for the application it vouches for, so where the
application carries what the user's own enrichment knows of the contact details' age (the
earliest date an email-reputation provider or the user's records saw the address or number, the
registration date of the email's domain) the number of days before the application is recorded.
These dates are never looked up here: the toolkit does not query registries or fetch anything a
candidate supplied.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common import lookalike
from screening.analyze.common.lookalike import lookalike_of
from screening.analyze.common.namematch import NameRelation, best_relation
from screening.analyze.emails import in_domain_list
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application, Email, Name
from screening.normalize.text import fold
from screening.refdata import source_of, word_set


class ReferenceAnalyzer:
    """Per reference: shared contacts, free-mail or look-alike domains, the candidate's own name."""

    name: ClassVar[str] = "references"
    description: ClassVar[str] = "Professional references and their contact details"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("references", "One record per reference", "references", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "references",
        "references",
        [
            ("name", "str", "The reference's name"),
            ("relationship", "str", "Stated relationship (manager, colleague ...)"),
            ("company", "str", "Company the reference works for, when given"),
            ("email", "str", "The reference's email address"),
            ("email_domain", "str", "Domain of the reference's email"),
            ("phone_e164", "str", "The reference's phone in E.164"),
            ("email_free_provider", "bool", "The reference's email is at a free webmail provider"),
            (
                "email_domain_matches_employer",
                "bool",
                "The reference's email domain equals the website domain of a listed employer",
            ),
            (
                "email_domain_lookalike_of",
                "str",
                "The well-known company domain the reference's email domain imitates",
            ),
            (
                "same_phone_as_candidate",
                "bool",
                "The reference's phone is one of the candidate's own",
            ),
            (
                "same_email_as_candidate",
                "bool",
                "The reference's email is one of the candidate's own",
            ),
            (
                "shares_contact_with_other_reference",
                "bool",
                "Another reference gives the same phone or email",
            ),
            ("name_is_candidate", "bool", "The reference's name is the candidate's own name"),
            (
                "email_handle_names_reference",
                "bool",
                "The email's local part carries a token of the reference's name (decided only for "
                "Latin-script names; a name in another script cannot be compared with a handle)",
            ),
            (
                "contact_known_days_before_application",
                "int",
                "Days between the oldest given first-seen date of the reference's email or phone "
                "and the application (negative: first seen after it); only when the application "
                "carries those dates",
            ),
            (
                "email_domain_age_days",
                "int",
                "Days between the registration of the reference's email domain and the "
                "application (negative: registered after it); only when the application carries "
                "that date",
            ),
        ],
    )

    def sources(self) -> list[Source]:
        """Lists used for free-mail and look-alike checks."""
        return [source_of("freemail_domains.txt", "Free email providers"), *lookalike.sources()]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per reference."""
        if not app.references:
            return FamilyResult.skipped("no references in the application")
        free = word_set("freemail_domains.txt")
        own_phones = {p.e164 for p in app.phones if p.e164}
        own_emails = {e.address for e in app.emails}
        employer_domains = {j.website_domain for j in app.employment if j.website_domain}
        contacts: list[set[str]] = []
        for ref in app.references:
            c = set()
            if ref.phone and ref.phone.e164:
                c.add(ref.phone.e164)
            if ref.email and ref.email.address:
                c.add(ref.email.address)
            contacts.append(c)
        own = (app.name, *app.aliases)
        applied = (app.received_at or ctx.clock.now()).date()
        records: list[Record] = []
        for i, ref in enumerate(app.references):
            domain = ref.email.domain if ref.email else None
            shared = any(contacts[i] & other for j, other in enumerate(contacts) if j != i)
            records.append(
                {
                    "name": ref.name.display if ref.name else None,
                    "relationship": ref.relationship,
                    "company": ref.company,
                    "email": ref.email.address if ref.email else None,
                    "email_domain": domain,
                    "phone_e164": ref.phone.e164 if ref.phone else None,
                    "email_free_provider": in_domain_list(domain, free) if domain else None,
                    "email_domain_matches_employer": (
                        any(
                            domain == d or domain.endswith("." + d) or d.endswith("." + domain)
                            for d in employer_domains
                        )
                        if domain and employer_domains
                        else None
                    ),
                    "email_domain_lookalike_of": lookalike_of(domain),
                    "same_phone_as_candidate": bool(
                        ref.phone and ref.phone.e164 and ref.phone.e164 in own_phones
                    ),
                    "same_email_as_candidate": bool(ref.email and ref.email.address in own_emails),
                    "shares_contact_with_other_reference": shared,
                    "name_is_candidate": (
                        best_relation(own, ref.name)[0] is NameRelation.SAME if ref.name else None
                    ),
                    "email_handle_names_reference": _handle_names(ref.email, ref.name),
                    "contact_known_days_before_application": _days_before(
                        applied, ref.email_first_seen, ref.phone_first_seen
                    ),
                    "email_domain_age_days": _days_before(applied, ref.email_domain_registered),
                }
            )
        return FamilyResult(records={"references": records})


def _handle_names(email: Email | None, name: Name | None) -> bool | None:
    """Whether the mailbox's local part carries one of the name's tokens (two letters or more),
    accents folded; None when either is missing or the name is not in Latin script."""
    if email is None or name is None or name.script != "latin" or not name.tokens:
        return None
    local = fold(email.local)
    return any(len(t) >= 2 and fold(t) in local for t in name.tokens)


def _days_before(applied: dt.date, *dates: dt.date | None) -> int | None:
    """Days from the oldest of ``dates`` to ``applied`` (None when no date is given)."""
    given = [d for d in dates if d is not None]
    return (applied - min(given)).days if given else None
