"""Which store a configuration means: the embedded SQLite file, or PostgreSQL by URL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from screening.store.jobs_api import JobStore

if TYPE_CHECKING:
    from screening.store.audit import AuditTrail
    from screening.store.review import ReviewStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(url: str | None) -> bool:
    """Whether ``[store] url`` names a PostgreSQL database."""
    return url is not None and url.startswith(POSTGRES_SCHEMES)


class StoreSettings(Protocol):
    """What ``store_location`` reads of ``[store]`` (``screening.config.StoreConfig``; the
    store package does not import the configuration)."""

    @property
    def url(self) -> str | None: ...

    def sqlite_path(self) -> Path: ...


def store_location(store: StoreSettings) -> tuple[Path, str | None]:
    """Where ``[store]`` points: ``(the SQLite file, None)``, or ``(Path(), the PostgreSQL
    URL)`` (for the ``open_*`` functions here)."""
    if is_postgres(store.url):
        return Path(), store.url
    return store.sqlite_path(), None


def open_job_store(path: Path, url: str | None = None) -> JobStore:
    """The job queue and result store: PostgreSQL when ``url`` names one, else the SQLite file
    at ``path`` (created and migrated on first use)."""
    if is_postgres(url):
        from screening.store.jobs_pg import PostgresJobs

        return PostgresJobs(str(url))
    from screening.store.jobs import SqliteJobs

    return SqliteJobs(path)


def open_review_store(path: Path, url: str | None = None) -> ReviewStore:
    """The reviewer console's store (accounts, sessions, decisions, inbox, throttle) and its
    audit trail: in the PostgreSQL database when ``url`` names one (shared by every
    receiver), else in the SQLite file at ``path``."""
    if is_postgres(url):
        from screening.store.review_pg import PostgresReview

        return PostgresReview(str(url))
    from screening.store.review import SqliteReview

    return SqliteReview(path)


def open_audit_log(path: Path, url: str | None = None) -> AuditTrail:
    """The audit trail alone, where ``open_review_store`` keeps it."""
    if is_postgres(url):
        from screening.store.audit_pg import PostgresAuditLog

        return PostgresAuditLog(str(url))
    from screening.store.audit import AuditLog

    return AuditLog(path)
