"""``screening jobs list|show|retry|purge|prune``: the server's job queue, for operators.

Works on the configured store (``[store] path`` or ``url``) while servers and workers run: every
command is one short transaction. A failed job keeps its payload, last error and attempts, so it
can be retried once the cause is fixed, or purged.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import click

from screening.cli.common import config_option, handle_errors, load_config
from screening.config import Settings
from screening.errors import StoreError, UsageError
from screening.store.jobs_api import JobRecord, JobStatus, JobStore

_STATUSES = [s.value for s in JobStatus]


def _open(config: Path | None) -> JobStore:
    return store_of(load_config(config))


def store_of(settings: Settings) -> JobStore:
    """The configured job store (SQLite file or PostgreSQL)."""
    from screening.store.backend import is_postgres, open_job_store

    store = settings.store
    if is_postgres(store.url):
        return open_job_store(Path(), store.url)
    return open_job_store(store.sqlite_path())


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%d %H:%M:%S")


def _as_dict(r: JobRecord) -> dict[str, object]:
    return {
        "id": r.id,
        "vendor": r.vendor,
        "status": r.status.value,
        "attempts": r.attempts,
        "accepted_at": r.accepted_at,
        "finished_at": r.finished_at,
        "reason": r.failure_reason,
        "error": r.last_error,
        "writeback": r.writeback,
        "writeback_status": r.writeback_status.value if r.writeback_status else None,
    }


@click.group("jobs")
def jobs_group() -> None:
    """The webhook server's jobs: list, inspect, retry or purge failed ones."""


@jobs_group.command("list")
@click.option("--status", type=click.Choice(_STATUSES), help="Only jobs in this status.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True)
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@config_option
@handle_errors
def jobs_list(status: str | None, limit: int, fmt: str, config: Path | None) -> None:
    """Jobs, oldest first (``--status failed``: the ones given up, with their reason)."""
    store = _open(config)
    try:
        rows = store.list_jobs(JobStatus(status) if status else None, limit)
    finally:
        store.close()
    if fmt == "json":
        click.echo(json.dumps([_as_dict(r) for r in rows], indent=2))
        return
    if not rows:
        click.echo("No jobs" + (f" with status {status}." if status else "."))
        return
    for r in rows:
        reason = f"  {r.failure_reason}" if r.failure_reason else ""
        click.echo(
            f"{r.id}  {r.vendor}  {r.status.value}  attempts={r.attempts}  "
            f"accepted={_when(r.accepted_at)}{reason}"
        )


@jobs_group.command("show")
@click.argument("job_id")
@click.option("--payload", is_flag=True, help="Also print the stored payload (personal data).")
@config_option
@handle_errors
def jobs_show(job_id: str, payload: bool, config: Path | None) -> None:
    """One job: status, attempts, last error and reason, write-back outcome."""
    store = _open(config)
    try:
        record = store.get(job_id)
        body = store.payload(job_id) if payload and record is not None else None
    finally:
        store.close()
    if record is None:
        raise StoreError(f"no job with id {job_id}")
    data = _as_dict(record)
    if payload:
        data["payload"] = body
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _on_failed(job_id: str | None, all_failed: bool, config: Path | None, action: str) -> int:
    """Requeue or purge one failed job (or all of them) and audit it; how many were touched."""
    if (job_id is None) == (not all_failed):
        raise UsageError("give one job id, or --all-failed")
    from screening.cli.tokens import record

    settings = load_config(config)
    store = store_of(settings)
    try:
        n = store.requeue(job_id) if action == "job.retry" else store.purge(job_id)
    finally:
        store.close()
    if job_id is not None and n == 0:
        raise StoreError(f"no failed job with id {job_id}")
    record(settings, action, job_id, None if job_id else f"all failed jobs: {n}")
    return n


@jobs_group.command("retry")
@click.argument("job_id", required=False)
@click.option("--all-failed", is_flag=True, help="Queue every failed job again.")
@config_option
@handle_errors
def jobs_retry(job_id: str | None, all_failed: bool, config: Path | None) -> None:
    """Queue a failed job (or every one, --all-failed) again, attempts from zero."""
    n = _on_failed(job_id, all_failed, config, "job.retry")
    click.echo(f"Queued {n} failed job(s) again; a running server's workers pick them up.")


@jobs_group.command("purge")
@click.argument("job_id", required=False)
@click.option("--all-failed", is_flag=True, help="Delete every failed job.")
@config_option
@handle_errors
def jobs_purge(job_id: str | None, all_failed: bool, config: Path | None) -> None:
    """Delete a failed job (or every one, --all-failed) with its payload."""
    n = _on_failed(job_id, all_failed, config, "job.purge")
    click.echo(f"Deleted {n} failed job(s).")


@jobs_group.command("prune")
@click.option(
    "--older-than-days",
    type=click.FloatRange(min=0, min_open=True),
    help="Default: [store] retention_days.",
)
@config_option
@handle_errors
def jobs_prune(older_than_days: float | None, config: Path | None) -> None:
    """Delete done and failed jobs finished more than N days ago (what the server does hourly)."""
    settings = load_config(config)
    days = older_than_days or settings.store.retention_days
    if days is None:
        raise UsageError("give --older-than-days, or set [store] retention_days")
    store = store_of(settings)
    total = 0
    try:
        before = time.time() - days * 86400
        while (n := store.prune(before, 1000)) > 0:
            total += n
    finally:
        store.close()
    click.echo(f"Deleted {total} job(s) finished more than {days:g} day(s) ago.")
