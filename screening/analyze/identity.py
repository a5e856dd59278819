"""Identity facts: the claim itself, name variants across sources, and addresses.

Names are compared loosely (``namematch``): nicknames, romanizations, initials and token order are
tolerated, and names in different scripts are ``incomparable``, never a mismatch. The claimed
country is used only for *inconsistencies*; citizenship, work authorization, age and the script
of the name are declared ``sensitive`` so no shipped rule may read them.
"""

from __future__ import annotations

from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.namematch import (
    NameRelation,
    best_relation,
    handle_relation,
    names_other,
)
from screening.ingest.text_extract import find_name
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application, Name
from screening.normalize.names import normalize_name
from screening.refdata import source_of, word_set

NAME_SOURCES = (
    "alias",
    "email",
    "linkedin",
    "github",
    "gitlab",
    "resume_header",
    "document_author",
    "payment_holder",
)
RELATIONS = ("same", "variant", "different", "related", "other_name", "unrelated", "incomparable")


def person_name(value: str) -> Name | None:
    """A metadata name field as a name, or None when it is not a person ('User', 'HP-PC7')."""
    name = normalize_name(value)
    if (
        1 <= len(name.tokens) <= 5
        and name.display.casefold() not in word_set("generic_document_authors.txt")
        and not any(ch.isdigit() for ch in name.display)
    ):
        return name
    return None


class IdentityAnalyzer:
    """The claimed identity, name variants across sources, and home vs other addresses."""

    name: ClassVar[str] = "identity"
    description: ClassVar[str] = "Claimed identity, name variants and addresses"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("identity", "The candidate's claims about themselves", "identity", False),
        NamespaceSpec(
            "names", "One record per other place a name or handle appears", "identity", True
        ),
        NamespaceSpec("addresses", "One record per postal address", "identity", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = (
        declare(
            "identity",
            "identity",
            [
                ("name", "str", "The candidate's name as cleaned for display"),
                (
                    "claimed_country",
                    "str",
                    "Country the candidate says they live in (location.country)",
                ),
                ("claimed_region", "str", "Region or state the candidate claims"),
                ("claimed_city", "str", "City the candidate claims"),
                ("claimed_timezone", "str", "IANA time zone the candidate claims"),
                ("home_country", "str", "Country of the home address"),
                (
                    "home_country_differs_from_claim",
                    "bool",
                    "The home address is in a different country from the claimed location",
                ),
                ("alias_count", "int", "How many other names the candidate declared"),
                ("citizenship", "str", "Declared citizenship (never scored)", {"sensitive": True}),
                (
                    "work_authorization",
                    "str",
                    "Declared work authorization (never scored)",
                    {"sensitive": True},
                ),
                (
                    "name_script",
                    "str",
                    "Script the name is written in (never scored)",
                    {"sensitive": True},
                ),
                ("age", "int", "Age from the date of birth (never scored)", {"sensitive": True}),
            ],
        )
        + declare(
            "identity",
            "names",
            [
                ("source", "str", "Where this name or handle appears", {"values": NAME_SOURCES}),
                ("value", "str", "The name or handle as found"),
                ("kind", "str", "full_name or handle", {"values": ("full_name", "handle")}),
                (
                    "relation",
                    "str",
                    "How it relates to the candidate's name and aliases (full names: same, "
                    "variant, different, incomparable; handles: related, unrelated, "
                    "incomparable, or other_name when the handle carries a different full name "
                    "found elsewhere in the application)",
                    {"values": RELATIONS},
                ),
                (
                    "similarity",
                    "float",
                    "0-100 fuzzy similarity to the closest of the candidate's names",
                ),
            ],
        )
        + declare(
            "identity",
            "addresses",
            [
                (
                    "kind",
                    "str",
                    "home, shipping, mailing or other",
                    {"values": ("home", "shipping", "mailing", "other")},
                ),
                ("country", "str", "Country of the address"),
                ("city", "str", "City of the address"),
                ("postal_code", "str", "Postal code, normalised"),
                ("same_as_home", "bool", "Same address as the home address (after normalisation)"),
                (
                    "country_differs_from_home",
                    "bool",
                    "In a different country from the home address",
                ),
                (
                    "country_differs_from_claim",
                    "bool",
                    "In a different country from the claimed location",
                ),
                ("recipient", "str", "The name the parcel is addressed to, when given"),
                (
                    "recipient_relation",
                    "str",
                    "How the recipient's name relates to the candidate's names (same, variant, "
                    "different; incomparable across scripts, never a mismatch)",
                    {"values": ("same", "variant", "different", "incomparable")},
                ),
            ],
        )
    )

    def sources(self) -> list[Source]:
        """Name-equivalence table used for loose matching."""

        return [source_of("name_equivalents.txt", "Name short forms and romanizations")]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """Claim, names and addresses; comparisons without both sides are reported missing."""
        missing: dict[str, str] = {}
        loc = app.location
        home = next((a for a in app.addresses if a.kind == "home"), None)
        age = None
        if app.date_of_birth:
            today = ctx.clock.now().date()
            dob = app.date_of_birth
            age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
        identity: Record = {
            "name": app.name.display,
            "claimed_country": loc.country,
            "claimed_region": loc.region,
            "claimed_city": loc.city,
            "claimed_timezone": loc.timezone,
            "home_country": home.country if home else None,
            "home_country_differs_from_claim": (
                home.country != loc.country if home and home.country and loc.country else None
            ),
            "alias_count": len(app.aliases),
            "citizenship": app.citizenship,
            "work_authorization": app.work_authorization,
            "name_script": app.name.script,
            "age": age,
        }
        if not (home and home.country and loc.country):
            missing["identity.home_country_differs_from_claim"] = (
                "needs both a home address with a country and a claimed country"
            )
        return FamilyResult(
            records={
                "identity": [identity],
                "names": self._names(app),
                "addresses": self._addresses(app, missing),
            },
            missing=missing,
        )

    def _names(self, app: Application) -> list[Record]:
        own = (app.name, *app.aliases)
        out: list[Record] = []
        others: list[Name] = []  # full names in the application that are not the candidate's

        def full(source: str, name: Name) -> None:
            rel, sim = best_relation(own, name)
            if rel is NameRelation.DIFFERENT:
                others.append(name)
            out.append(
                {
                    "source": source,
                    "value": name.display[:200],
                    "kind": "full_name",
                    "relation": rel.value,
                    "similarity": round(sim, 1),
                }
            )

        for alias in app.aliases:
            full("alias", alias)
        for doc in app.documents:
            if doc.kind == "resume" and doc.text and not doc.assembled:
                header = find_name(doc.text)
                if header:
                    full("resume_header", normalize_name(header))
            for value in (doc.meta.author, doc.meta.last_modified_by):
                person = person_name(value) if value else None
                if person is not None:
                    full("document_author", person)
        if app.payment and app.payment.account_holder:
            full("payment_holder", app.payment.account_holder)

        handles = [("email", e.local.split("+", 1)[0]) for e in app.emails if e.local]
        handles += [
            (link.kind, link.handle)
            for link in app.links
            if link.handle and link.kind in ("linkedin", "github", "gitlab")
        ]
        for source, value in handles:
            rel, sim = handle_relation(own, value)
            if rel is NameRelation.UNRELATED and any(names_other(value, o) for o in others):
                rel = NameRelation.OTHER_NAME
            out.append(
                {
                    "source": source,
                    "value": value[:200],
                    "kind": "handle",
                    "relation": rel.value,
                    "similarity": round(sim, 1),
                }
            )
        return out

    def _addresses(self, app: Application, missing: dict[str, str]) -> list[Record]:
        home = next((a for a in app.addresses if a.kind == "home"), None)
        claimed = app.location.country
        if home is None:
            missing["addresses.same_as_home"] = "no home address to compare with"
            missing["addresses.country_differs_from_home"] = "no home address to compare with"
        if not claimed:
            missing["addresses.country_differs_from_claim"] = (
                "no claimed country (location.country)"
            )
        out: list[Record] = []
        for addr in app.addresses:
            is_home = addr is home
            out.append(
                {
                    "kind": addr.kind,
                    "country": addr.country,
                    "city": addr.city,
                    "postal_code": addr.postal_code,
                    "same_as_home": None if home is None or is_home else addr.key == home.key,
                    "country_differs_from_home": (
                        None
                        if home is None or is_home or not (addr.country and home.country)
                        else addr.country != home.country
                    ),
                    "country_differs_from_claim": (
                        addr.country != claimed if addr.country and claimed else None
                    ),
                    "recipient": addr.recipient.display if addr.recipient else None,
                    "recipient_relation": (
                        best_relation((app.name, *app.aliases), addr.recipient)[0].value
                        if addr.recipient
                        else None
                    ),
                }
            )
        return out
