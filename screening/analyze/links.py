"""Link facts: what kinds of profiles and sites the candidate lists (never fetched).

Free-hosted portfolio sites and messaging-app contacts are recorded for the reviewer; they are
weak on their own (many honest developers host on GitHub Pages or Vercel). A GitHub Pages site of
a GitHub account the candidate also lists is that account's page, not a separate throwaway site.
"""

from __future__ import annotations

from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

KINDS = (
    "linkedin",
    "github",
    "gitlab",
    "x",
    "telegram",
    "discord",
    "whatsapp",
    "skype",
    "free_host",
    "website",
    "invalid",
)


class LinkAnalyzer:
    """Kind, host and handle of each link."""

    name: ClassVar[str] = "links"
    description: ClassVar[str] = "Profile and website links (parsed, never fetched)"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("links", "One record per link given", "links", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "links",
        "links",
        [
            ("url", "str", "The link"),
            ("host", "str", "Host name"),
            ("kind", "str", "What the link is", {"values": KINDS}),
            ("handle", "str", "User name on the platform, when the link carries one"),
            (
                "free_host",
                "bool",
                "A free static-site host (netlify.app, vercel.app, github.io ...)",
            ),
            (
                "own_github_site",
                "bool",
                "A github.io site of a GitHub account the candidate also lists (the account's "
                "own history stands behind it)",
            ),
        ],
    )

    def sources(self) -> list[Source]:
        """No external data."""
        return []

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per link."""
        if not app.links:
            return FamilyResult.skipped("no links in the application")
        accounts = {link.handle for link in app.links if link.kind == "github" and link.handle}
        records: list[Record] = [
            {
                "url": link.url[:500],
                "host": link.host,
                "kind": link.kind,
                "handle": link.handle,
                "free_host": link.kind == "free_host",
                "own_github_site": link.kind == "free_host"
                and link.host.endswith(".github.io")
                and link.handle in accounts,
            }
            for link in app.links
        ]
        return FamilyResult(records={"links": records})
