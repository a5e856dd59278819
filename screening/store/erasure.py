"""Erasure that stays erased: one function every deletion path calls.

``screening history forget``, ``DELETE /applications/{id}`` and (with a vendor's deletion event)
the server all erase through ``erase``: the webhook job and its stored reports, the reviewers'
decisions and notes (the console), the history record behind reuse detection, then keyed
tombstones of the application id (``<vendor>-<vendor id>``) and of every delivery key the job
was queued under, and finally a compaction of the file so no freed page keeps a copy. Tombstones
are HMACs under the history's secret (an id has too little entropy for a plain hash): they let
the receivers answer a vendor's retry or replay of an erased delivery with ``{"status":
"erased"}`` and stop a late screening from recording the applicant again, while an application
genuinely submitted again arrives under a new vendor id and is screened normally.

The job table and the reviewers' store are the ones beside the history: the embedded SQLite
ones (``screening.store.jobs``, ``screening.store.review``) in the same file, or the PostgreSQL
ones in the same database (``screening.store.jobs_pg``, ``screening.store.review_pg``); another
``JobStore`` erases its own rows and passes their delivery keys here.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from screening.store.db import connect, schema_version
from screening.store.history import TOMBSTONE_APPLICATION, TOMBSTONE_DELIVERY, HistoryStore
from screening.store.jobs import COMPONENT as JOBS_COMPONENT
from screening.store.jobs import SqliteJobs, SqlJobs
from screening.store.review import COMPONENT as REVIEW_COMPONENT
from screening.store.review import ReviewStore, SqliteReview


@dataclass(frozen=True, slots=True)
class Erasure:
    """What one erasure found and removed."""

    application_id: str
    had_job: bool
    had_history: bool
    had_review: bool = False  # reviewers' decisions and notes in the console

    @property
    def found(self) -> bool:
        """Whether anything was stored for the application."""
        return self.had_job or self.had_history or self.had_review


def erase(
    history: HistoryStore,
    application_id: str,
    *,
    delivery_keys: Iterable[str] = (),
    clock: float | None = None,
    actor: str = "cli",
) -> Erasure:
    """Erase ``application_id`` everywhere in the store file and leave its tombstones.

    Tombstones are written even when nothing was found (a deletion request may arrive before
    the delivery it deletes); the file is compacted in every case, so a retry after a failed
    compaction still compacts.
    """
    keys = list(delivery_keys)
    had_job = False
    jobs = _jobs_beside(history)
    if jobs is not None:
        try:
            keys += jobs.delivery_keys(application_id)
            had_job = jobs.forget(application_id)
        finally:
            jobs.close()
    had_review = False
    review = _review_beside(history)  # decisions and notes may name the person
    if review is not None:
        try:
            had_review = review.forget(application_id, actor)
            review.compact()
        finally:
            review.close()
    now = time.time() if clock is None else clock
    history.bury(TOMBSTONE_APPLICATION, [application_id], now)
    history.bury(TOMBSTONE_DELIVERY, keys, now)
    had_history = history.forget(application_id)  # compacts when it erased something
    if not had_history:
        history.compact()
    return Erasure(application_id, had_job, had_history, had_review)


def is_erased(history: HistoryStore, application_id: str, delivery_key: str = "") -> bool:
    """Whether an application id or a delivery key belongs to an erased applicant."""
    return history.erased(TOMBSTONE_APPLICATION, application_id) or history.erased(
        TOMBSTONE_DELIVERY, delivery_key
    )


def _has_component(history: HistoryStore, component: str) -> bool:
    """Whether ``component`` has tables in the history's SQLite file."""
    conn = connect(history.path)
    try:
        return schema_version(conn, component) > 0
    finally:
        conn.close()


def _review_beside(history: HistoryStore) -> ReviewStore | None:
    """The reviewers' store in the history's database, when there is one."""
    from screening.store.history_pg import PostgresHistory

    if isinstance(history, PostgresHistory):
        from screening.store.review_pg import PostgresReview

        return PostgresReview(history.url)
    return SqliteReview(history.path) if _has_component(history, REVIEW_COMPONENT) else None


def _jobs_beside(history: HistoryStore) -> SqlJobs | None:
    """The job store in the history's database, when there is one."""
    from screening.store.history_pg import PostgresHistory

    if isinstance(history, PostgresHistory):
        from screening.store.jobs_pg import PostgresJobs

        return PostgresJobs(history.url)
    return SqliteJobs(history.path) if _has_component(history, JOBS_COMPONENT) else None
