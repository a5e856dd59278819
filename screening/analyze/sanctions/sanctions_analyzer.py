"""Stage 3 (analyze): sanctions screening of names, emails, wallets and websites (family
``sanctions``).

Hiring a person on the OFAC SDN list, or paying a listed wallet, is prohibited for U.S. persons,
and the North Korea programs list individuals, front companies, email addresses and
digital-currency addresses tied to the IT-worker schemes. This analyzer screens the applicant's
name and aliases (fuzzy, order- and accent-tolerant), email addresses, payout wallets, profile
links and past employers' websites against every configured list and returns one ``sanctions``
record per match with the listed entry (uid, name, programs) and how strong the match is. The
lists are loaded on first use; a list that cannot be read makes the family ``unavailable`` with
the file and line, so the sanctions rules come out ``not_evaluated`` instead of "clean".
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.sanctions.index import DEFAULT_NAME_THRESHOLD, Match, SanctionsIndex
from screening.analyze.sanctions.sources import load_index
from screening.errors import ListError
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

BASES = ("name", "email", "wallet", "website")
STRENGTHS = ("strong", "name_only", "contradicted")


RECHECK_SECONDS = 30.0


class SanctionsAnalyzer:
    """Matches against the OFAC SDN list (shipped or updated) and user-supplied lists."""

    name: ClassVar[str] = "sanctions"
    description: ClassVar[str] = (
        "Names, emails, wallets and websites screened against sanctions lists (offline)"
    )
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("sanctions", "One record per sanctions-list match", "sanctions", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "sanctions",
        "sanctions",
        [
            ("list", "str", "The list that matched, as shown among the report's sources"),
            ("list_date", "str", "Publication (or download) date of that list"),
            ("uid", "str", "The listed entry's identifier on that list (OFAC ent_num / uid)"),
            ("entry_name", "str", "The listed entry's primary name"),
            (
                "entry_type",
                "str",
                "individual, entity, vessel, aircraft or wallet (FollowTheMoney: schema)",
            ),
            ("programs", "list[str]", "Sanctions programs of the entry (e.g. DPRK3, CYBER2)"),
            ("basis", "str", "What matched", {"values": BASES}),
            (
                "matched_field",
                "str",
                "Where in the application: name, aliases, emails, payment.wallets, links, "
                "employment.website",
            ),
            ("matched_value", "str", "The application's value that matched"),
            ("listed_value", "str", "The listed name, alias, address or website it matched"),
            ("score", "float", "Match score 0-100 (100 for exact identifiers)"),
            ("asset", "str", "Digital currency of a matched wallet (XBT, ETH, USDT ...)"),
            (
                "birth_date_matches",
                "bool",
                "For name matches: the applicant's date of birth falls on a listed one (absent "
                "when either side has none)",
            ),
            (
                "strength",
                "str",
                "strong (email, wallet, website, or name with the same full date of birth), "
                "name_only (name alone: review, never a verdict) or contradicted (the dates of "
                "birth differ)",
                {"values": STRENGTHS},
            ),
        ],
    )

    def __init__(
        self,
        files: Sequence[Path] = (),
        lists_dir: Path | None = None,
        *,
        name_threshold: float = DEFAULT_NAME_THRESHOLD,
        include_ofac: bool = True,
    ) -> None:
        self.files = tuple(files)
        self.lists_dir = lists_dir
        self.name_threshold = name_threshold
        self.include_ofac = include_ofac
        self._index: SanctionsIndex | None = None
        self._checked = 0.0

    def index(self) -> SanctionsIndex:
        """The loaded lists (raises ``ListError`` naming the file and line).

        Whether a list file changed (``screening lists update`` in another process) is checked at
        most every ``RECHECK_SECONDS``; stat-ing every file for every application costs more than
        screening the names.
        """
        now = time.monotonic()
        if self._index is None or now - self._checked > RECHECK_SECONDS:
            self._index = load_index(
                self.files, self.lists_dir, self.name_threshold, self.include_ofac
            )
            self._checked = now
        return self._index

    def sources(self) -> list[Source]:
        """Every list screened, with its publication or download date."""
        try:
            lists = self.index().lists
        except ListError as exc:
            return [Source("sanctions lists", f"unavailable: {exc}")]
        return [Source(s.title, s.date or "undated") for s in lists]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per match; unavailable when a list cannot be read."""
        try:
            index = self.index()
        except ListError as exc:
            return FamilyResult.unavailable(f"sanctions list unusable: {exc}")
        if index.entries == 0:
            return FamilyResult.unavailable("no sanctions list entries loaded")
        return FamilyResult(records={"sanctions": [_record(m) for m in index.screen(app)]})


def _record(m: Match) -> Record:
    return {
        "list": m.source.title,
        "list_date": m.source.date or None,
        "uid": m.entry.uid,
        "entry_name": m.entry.name,
        "entry_type": m.entry.kind,
        "programs": list(m.entry.programs),
        "basis": m.basis,
        "matched_field": m.matched_field,
        "matched_value": m.matched_value,
        "listed_value": m.listed_value,
        "score": m.score,
        "asset": m.asset,
        "birth_date_matches": m.birth_date_matches,
        "strength": m.strength,
    }
