"""Which store a configuration means: the embedded SQLite file, or PostgreSQL by URL."""

from __future__ import annotations

from pathlib import Path

from screening.store.jobs_api import JobStore

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(url: str | None) -> bool:
    """Whether ``[store] url`` names a PostgreSQL database."""
    return url is not None and url.startswith(POSTGRES_SCHEMES)


def open_job_store(path: Path, url: str | None = None) -> JobStore:
    """The job queue and result store: PostgreSQL when ``url`` names one, else the SQLite file
    at ``path`` (created and migrated on first use)."""
    if is_postgres(url):
        from screening.store.jobs_pg import PostgresJobs

        return PostgresJobs(str(url))
    from screening.store.jobs import SqliteJobs

    return SqliteJobs(path)
