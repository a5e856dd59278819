"""Stage 3 (analyze): an application screened against loaded sanctions lists, built for speed.

Everything that does not depend on the application is computed once when a list is loaded:
folded name forms of every listed person and strong alias, grouped into blocks by token count
and first letters, and exact-match tables of canonical email addresses, digital-currency
addresses and website hosts. Screening one name then looks only at the block it could match
(same number of tokens starting with the same letters; for long names also the blocks of
three-token subsets) and scores that block with ``rapidfuzz.process.extract`` and a score
cutoff, instead of comparing the name with every entry.

How matches are graded (indicator ID-SDN-HIT): an email, digital-currency address or website
that is on the list is a *strong* match. A name is strong only together with a date of birth
published to the day that equals the applicant's; a name whose listed dates of birth all differ
from the applicant's is *contradicted* (almost certainly someone else); any other name match is
*name_only*: fuzzy name matching on common names is noisy and falls unevenly on people with
names common in one region, so it is a prompt for compliance review, never a verdict.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from screening.analyze.history.identifiers import canonical_email, canonical_mailbox
from screening.analyze.sanctions.entries import SanctionsEntry, SanctionsList
from screening.analyze.sanctions.name_forms import (
    SUBSET_MIN_TOKENS,
    Form,
    block_key,
    forms,
    subset_keys,
)
from screening.model.normalized import Application
from screening.normalize.links import normalize_link
from screening.normalize.wallets import canonical_wallet

DEFAULT_NAME_THRESHOLD = 90.0
STRONG_NAME_SCORE = 95.0
MIN_TOKEN_RATIO = 75.0
_STRENGTH_ORDER = {"strong": 0, "name_only": 1, "contradicted": 2}


@dataclass(frozen=True, slots=True)
class Match:
    """One applicant value matching one listed entry."""

    source: SanctionsList
    entry: SanctionsEntry
    basis: str  # "name", "email", "wallet", "website"
    matched_field: str
    matched_value: str
    listed_value: str
    score: float
    asset: str | None = None
    birth_date_matches: bool | None = None
    strength: str = "strong"  # "strong", "name_only", "contradicted"


@dataclass(frozen=True, slots=True)
class _Name:
    source: SanctionsList
    entry: SanctionsEntry
    listed: str
    form: Form
    text: str


def _host(text: str) -> str | None:
    # parsed as the applicant's links and employer websites are, so both sides compare alike
    host = normalize_link(text).host.rstrip(".")
    return host if "." in host else None


def aligned(query: Form, listed: Form) -> bool:
    """Every listed token pairs with its own applicant token: same first letter and similar.

    The whole-name ratio alone lets short romanised syllables drift ("Yong" and "Myong" are
    different names); requiring each token to start alike and stay close keeps transliteration
    variants ("Chol", "Cheol") and rejects different names.
    """
    used: set[int] = set()
    for token in listed:
        for i, other in enumerate(query):
            if i in used or other[0] != token[0]:
                continue
            if other == token or fuzz.ratio(other, token) >= MIN_TOKEN_RATIO:
                used.add(i)
                break
        else:
            return False
    return True


def _mailbox(text: str) -> str | None:
    local, at, domain = text.strip().rpartition("@")
    return canonical_mailbox(local, domain) if at else None


class SanctionsIndex:
    """Loaded lists prepared for screening one application after another."""

    def __init__(
        self, lists: Sequence[SanctionsList], name_threshold: float = DEFAULT_NAME_THRESHOLD
    ) -> None:
        self.lists = tuple(lists)
        self.name_threshold = name_threshold
        self.emails: dict[str, list[tuple[SanctionsList, SanctionsEntry, str]]] = {}
        self.wallets: dict[str, list[tuple[SanctionsList, SanctionsEntry, str, str]]] = {}
        self.websites: dict[str, list[tuple[SanctionsList, SanctionsEntry, str]]] = {}
        self.names: list[_Name] = []
        self.blocks: dict[str, tuple[list[int], list[str]]] = {}
        for source in self.lists:
            for entry in source.entries:
                self._add(source, entry)

    @property
    def entries(self) -> int:
        """Listed entries across every list."""
        return sum(len(s.entries) for s in self.lists)

    def _add(self, source: SanctionsList, entry: SanctionsEntry) -> None:
        for email in entry.emails:
            if key := _mailbox(email):
                self.emails.setdefault(key, []).append((source, entry, email))
        for wallet in entry.wallets:
            if key := canonical_wallet(wallet.address):
                self.wallets.setdefault(key, []).append(
                    (source, entry, wallet.address, wallet.asset)
                )
        for site in entry.websites:
            if key := _host(site):
                self.websites.setdefault(key, []).append((source, entry, site))
        if not entry.is_person:
            return
        for listed in dict.fromkeys((entry.name, *entry.aliases)):
            for form in forms(listed):
                index = len(self.names)
                text = " ".join(form)
                self.names.append(_Name(source, entry, listed, form, text))
                ids, texts = self.blocks.setdefault(block_key(form), ([], []))
                ids.append(index)
                texts.append(text)

    # -- screening ----------------------------------------------------------------------------

    def screen(self, app: Application) -> list[Match]:
        """Every match of ``app``'s names, emails, wallets and websites, strongest first."""
        found: dict[tuple[str, str, str, str], Match] = {}

        def keep(match: Match) -> None:
            key = (match.source.source, match.entry.uid, match.basis, match.matched_value)
            old = found.get(key)
            if old is None or match.score > old.score:
                found[key] = match

        for m in self._names(app):
            keep(m)
        for email in app.emails:
            key = canonical_email(email)
            for source, entry, listed in self.emails.get(key or "", ()):
                keep(Match(source, entry, "email", "emails", email.address, listed, 100.0))
        for raw in app.payment.wallets if app.payment else ():
            key = canonical_wallet(raw)
            for source, entry, listed, asset in self.wallets.get(key or "", ()):
                keep(Match(source, entry, "wallet", "payment.wallets", raw, listed, 100.0, asset))
        for field, host in self._hosts(app):
            for listed_host, hits in self._site_hits(host):
                for source, entry, listed in hits:
                    keep(Match(source, entry, "website", field, listed_host, listed, 100.0))
        return sorted(
            found.values(), key=lambda m: (_STRENGTH_ORDER[m.strength], -m.score, m.entry.uid)
        )

    def _hosts(self, app: Application) -> Iterable[tuple[str, str]]:
        for link in app.links:
            if link.host:
                yield "links", link.host.lower()
        for job in app.employment:
            if job.website_domain:
                yield "employment.website", job.website_domain.lower()

    def _site_hits(
        self, host: str
    ) -> Iterable[tuple[str, list[tuple[SanctionsList, SanctionsEntry, str]]]]:
        parts = host.removeprefix("www.").split(".")
        for i in range(len(parts) - 1):
            candidate = ".".join(parts[i:])
            if candidate in self.websites:
                yield candidate, self.websites[candidate]

    def _names(self, app: Application) -> list[Match]:
        own = [("name", app.name.display)] + [("aliases", a.display) for a in app.aliases]
        out: list[Match] = []
        for field, text in own:
            best: dict[int, float] = {}
            for form in forms(text):
                for index, score in self._candidates(form):
                    if score > best.get(index, 0.0):
                        best[index] = score
            for index, score in best.items():
                out.append(self._name_match(app, field, text, self.names[index], score))
        return out

    def _candidates(self, form: Form) -> list[tuple[int, float]]:
        query = " ".join(form)
        scores: dict[int, float] = {}
        blocks = [(block_key(form), fuzz.ratio)]
        if len(form) > SUBSET_MIN_TOKENS:
            blocks.extend((key, fuzz.token_set_ratio) for key in subset_keys(form))
        for key, scorer in blocks:
            block = self.blocks.get(key)
            if block is None:
                continue
            ids, texts = block
            for _, score, pos in process.extract(
                query, texts, scorer=scorer, score_cutoff=self.name_threshold, limit=None
            ):
                index = ids[pos]
                if index not in scores and aligned(form, self.names[index].form):
                    scores[index] = float(score)
        return list(scores.items())

    def _name_match(
        self, app: Application, field: str, text: str, listed: _Name, score: float
    ) -> Match:
        dobs = listed.entry.birth_dates
        born = app.date_of_birth
        matches: bool | None = None
        strength = "name_only"
        if born is not None and dobs:
            hits = [d for d in dobs if d.contains(born)]
            matches = bool(hits)
            if not hits:
                strength = "contradicted"
            elif score >= STRONG_NAME_SCORE and any(d.precision == "day" for d in hits):
                strength = "strong"
        return Match(
            listed.source,
            listed.entry,
            "name",
            field,
            text,
            listed.listed,
            round(score, 1),
            birth_date_matches=matches,
            strength=strength,
        )
