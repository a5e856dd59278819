"""Stage 3 (analyze): reuse across applicants, from the history store (family ``history``).

One operator runs many personas, and the strongest evidence is often the same phone, mailbox,
shipping address, payout account, wallet, profile or resume text behind different names. The
analyzer keys the current application's identifiers, asks the store which *earlier*
applications hold the same keys (it runs before the current one is recorded, and never matches an
application with itself), and relates each earlier name to the current one, so that re-applying
under one's own name (``same``) is reported apart from reuse under another name. Facts carry
application ids, kinds and relations, never the identifiers themselves.

Recording happens after scoring (``record``, called by the pipeline), so an application is only
ever compared with applications screened before it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.namematch import NameRelation
from screening.analyze.common.shingles import Signature
from screening.analyze.history.fingerprint import MIN_RESUME_WORDS, fingerprint
from screening.analyze.history.identifiers import KINDS
from screening.analyze.history.name_keys import RELATIONS, relation
from screening.errors import StoreError
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application
from screening.store.history import Fingerprint, HistoryStore, Lookup, StoredApplication

log = logging.getLogger("screening.history")

DEFAULT_RESUME_SIMILARITY = 0.65  # measured: tests/analyze/history/test_resume_clones.py
DEFAULT_MAX_MATCHES = 50
REUSE_KINDS = (*KINDS, "resume")
_KIND_ORDER = {k: i for i, k in enumerate(REUSE_KINDS)}
# what each reuse kind is, for the ``history.shared_<kind>`` fact descriptions
_SHARED_WHAT = {
    "phone": "phone number",
    "email": "mailbox (dots and +tags folded where the provider ignores them)",
    "address": "postal address (any kind)",
    "bank_account": "payout account (holder, bank country and platform)",
    "wallet": "wallet address",
    "handle": "LinkedIn, GitHub, GitLab, X or Telegram handle",
    "reference_contact": "reference's phone or email (compared with other references)",
    "resume": "resume text (near-duplicate)",
}
_NO_PHOTO_HASHES = (
    "perceptual photo hashes are not computed (no image decoder is bundled), so photos are not "
    "compared across applicants"
)


class HistoryAnalyzer:
    """Which earlier applications share identifiers, names or resume text with this one."""

    name: ClassVar[str] = "history"
    description: ClassVar[str] = (
        "Reuse of identifiers, names and resume text across earlier applications (keyed hashes)"
    )
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec(
            "history", "What the history store holds about this applicant", "history", False
        ),
        NamespaceSpec(
            "reuse",
            "One record per identifier kind and earlier application sharing it",
            "history",
            True,
        ),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = (
        *declare(
            "history",
            "history",
            [
                (
                    "earlier_applications",
                    "int",
                    "Applications recorded in the history before this one (what it was compared "
                    "with)",
                ),
                *(
                    (
                        f"shared_{kind}",
                        "list[str]",
                        "Ids of earlier applications under another name (different, or with "
                        f"only some name tokens in common) that share this application's "
                        f"{_SHARED_WHAT[kind]}",
                    )
                    for kind in REUSE_KINDS
                ),
                (
                    "shared_photo",
                    "list[str]",
                    "Ids of earlier applications with the same photo (not computed: no image "
                    "decoder is bundled; missing whenever photos are given)",
                ),
                (
                    "reapplied",
                    "list[str]",
                    "Ids of earlier applications under the same name that share an identifier "
                    "or resume text: the candidate applying again",
                ),
                (
                    "similar_candidates",
                    "list[str]",
                    "Ids of earlier applications (the newest ten per name) under the same or a "
                    "similar name (short forms, spelling variants, token order) that share no "
                    "identifier. Common names are shared by many honest people: never score "
                    "this alone",
                ),
                (
                    "other_names",
                    "int",
                    "Earlier applications under another name that share an identifier or resume "
                    "text",
                ),
            ],
        ),
        *declare(
            "history",
            "reuse",
            [
                ("kind", "str", "What is shared", {"values": REUSE_KINDS}),
                (
                    "role",
                    "str",
                    "How this application uses it (own, home, shipping, payment, github, ...)",
                ),
                ("earlier_role", "str", "How the earlier application used it"),
                ("application_id", "str", "The earlier application's id"),
                (
                    "relation",
                    "str",
                    "The earlier application's name compared with this one's: same "
                    "(re-applying), variant (some name tokens shared), different, or "
                    "incomparable (written in another script)",
                    {"values": RELATIONS},
                ),
                ("name_similarity", "float", "Share of name tokens paired, 0-100"),
                (
                    "similarity",
                    "float",
                    "1 for an exact identifier; estimated Jaccard similarity for resume text",
                ),
                ("recorded_at", "datetime", "When the earlier application was screened"),
                ("earlier_score", "float", "The earlier application's score"),
                ("earlier_band", "str", "The earlier application's band"),
            ],
        ),
    )

    def __init__(
        self,
        store: HistoryStore | None,
        *,
        resume_similarity: float = DEFAULT_RESUME_SIMILARITY,
        max_matches: int = DEFAULT_MAX_MATCHES,
    ) -> None:
        self.store = store
        self.resume_similarity = resume_similarity
        self.max_matches = max_matches
        self._last = threading.local()

    def sources(self) -> list[Source]:
        """The history database and when it was started."""
        if self.store is None:
            return []
        try:
            created = self.store.created_at()
        except StoreError:
            created = None
        label = f"created {created[:10]}" if created else "creation date unknown"
        return [Source(f"history store ({self.store.path.name}, keyed hashes)", label)]

    def _fingerprint(self, app: Application, store: HistoryStore) -> Fingerprint:
        """The application's fingerprint, computed once for lookup and recording."""
        last: tuple[Application, Fingerprint] | None = getattr(self._last, "value", None)
        if last is not None and last[0] is app:
            return last[1]
        fp = fingerprint(app, store)
        self._last.value = (app, fp)
        return fp

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """Reuse records and summary lists; unavailable without a usable store."""
        if self.store is None:
            return FamilyResult.unavailable(
                "no history store in use (screening check and batch use the configured one)"
            )
        try:
            fp = self._fingerprint(app, self.store)
            found = self.store.lookup(fp, limit=self.max_matches)
        except StoreError as exc:
            return FamilyResult.unavailable(f"history store unusable: {exc}")
        reuse = self._reuse(fp, found)
        summary: Record = {"earlier_applications": found.earlier}
        for kind in REUSE_KINDS:
            summary[f"shared_{kind}"] = _ids(r for r in reuse if r["kind"] == kind and _other(r))
        summary["shared_photo"] = []
        summary["reapplied"] = _ids(r for r in reuse if r["relation"] == NameRelation.SAME.value)
        linked = {r["application_id"] for r in reuse}
        summary["similar_candidates"] = list(
            dict.fromkeys(
                a.application_id for a in found.same_name_key if a.application_id not in linked
            )
        )
        summary["other_names"] = len({r["application_id"] for r in reuse if _other(r)})
        missing: dict[str, str] = {}
        if app.photos:
            missing["history.shared_photo"] = _NO_PHOTO_HASHES
        if not fp.resume:
            missing["history.shared_resume"] = (
                f"no resume text of {MIN_RESUME_WORDS} words or more to compare"
            )
        return FamilyResult(records={"history": [summary], "reuse": reuse}, missing=missing)

    def _reuse(self, fp: Fingerprint, found: Lookup) -> list[Record]:
        roles: dict[bytes, list[str]] = {}
        for ident in fp.identifiers:
            roles.setdefault(ident.digest, []).append(ident.role)
        records: dict[tuple[str, str, str], Record] = {}
        names: dict[
            int, tuple[NameRelation, float]
        ] = {}  # one name comparison per earlier application

        def add(earlier: StoredApplication, kind: str, role: str, old: str, sim: float) -> None:
            key = (kind, role, earlier.application_id)
            if key in records:
                return
            if earlier.key not in names:
                names[earlier.key] = relation(fp.names, earlier.names)
            records[key] = _record(earlier, kind, role, old, sim, names[earlier.key])

        for hit in found.identifiers:
            for role in roles.get(hit.digest, ()):
                add(hit.application, hit.kind, role, hit.role, 1.0)
        for cand in found.resumes:
            similarity = Signature(fp.resume).similarity(Signature(cand.signature))
            if similarity >= self.resume_similarity:
                add(cand.application, "resume", "resume", "resume", round(similarity, 3))
        return sorted(
            records.values(),
            key=lambda r: (_KIND_ORDER[str(r["kind"])], -_timestamp(r["recorded_at"])),
        )

    def record(self, app: Application, score: float, band: str, now: dt.datetime) -> list[str]:
        """Record a screened application; a note for the report when the store refused it."""
        if self.store is None:
            return []
        try:
            recorded = self.store.record(
                self._fingerprint(app, self.store),
                score=score,
                band=band,
                recorded_at=now,
                received_at=app.received_at,
            )
            if not recorded:
                return [
                    "This screening was not recorded in the history store: the application was "
                    "erased on request (submit it under a new id to have it recorded)."
                ]
        except StoreError as exc:
            log.warning("application not recorded in the history store: %s", exc)
            return [f"This screening was not recorded in the history store: {exc}"]
        finally:
            self._last.value = None
        return []


def _record(
    earlier: StoredApplication,
    kind: str,
    role: str,
    earlier_role: str,
    similarity: float,
    name: tuple[NameRelation, float],
) -> Record:
    return {
        "kind": kind,
        "role": role,
        "earlier_role": earlier_role,
        "application_id": earlier.application_id,
        "relation": name[0].value,
        "name_similarity": name[1],
        "similarity": similarity,
        "recorded_at": earlier.recorded_at,
        "earlier_score": earlier.score,
        "earlier_band": earlier.band,
    }


def _other(record: Record) -> bool:
    """Reuse under another name: different, or only partly the same (not re-applying)."""
    return record["relation"] not in (NameRelation.SAME.value, NameRelation.INCOMPARABLE.value)


def _ids(records: Iterable[Record]) -> list[str]:
    return list(dict.fromkeys(str(r["application_id"]) for r in records))


def _timestamp(value: object) -> float:
    return value.timestamp() if isinstance(value, dt.datetime) else 0.0
