"""Which job store a configuration means: the embedded SQLite file, or PostgreSQL by URL."""

from __future__ import annotations

from screening.config import StoreConfig
from screening.store.jobs_api import JobStore


def is_postgres(url: str | None) -> bool:
    """Whether ``[store] url`` names a PostgreSQL database."""
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


def open_job_store(store: StoreConfig) -> JobStore:
    """The job queue and result store of ``[store]`` (created and migrated on first use)."""
    from screening.store.jobs import SqliteJobs

    return SqliteJobs(store.sqlite_path())
