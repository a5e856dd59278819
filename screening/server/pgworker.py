"""A screening worker on PostgreSQL: procrastinate's worker loop around our job steps.

One process screens one job at a time (screening is CPU-bound; start one process per core, on
as many machines as needed: ``screening worker`` or ``[server] workers`` under ``screening
serve``). procrastinate hands each attempt to exactly one worker (row locks with SKIP LOCKED),
wakes idle workers with LISTEN/NOTIFY, and records a heartbeat per worker. Every worker also
looks for attempts held by a worker whose heartbeat stopped for ``[server] lease_seconds`` (it
was killed, or its machine died) and hands them out again: the job is screened by someone else,
and the attempt counts, so a job that kills its worker every time is given up on after
``max_attempts``.

What an attempt does is the same code as on SQLite (``Worker.handle``): screen, then store the
result, record the error for a retry (the next attempt is deferred at its backoff time), or give
up and keep the job as ``failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from typing import TYPE_CHECKING

from screening.server import logs
from screening.server.worker import Worker

if TYPE_CHECKING:
    import procrastinate

STORE_RETRIES = 8
RECOVER_SHARE = 0.25  # look for stalled attempts, and send heartbeats, every quarter lease


def owner_name(index: int) -> str:
    """Who holds an attempt: machine, process and slot."""
    return f"{socket.gethostname()}:{os.getpid()}:{index}"


def run_pg_worker(url: str, worker: Worker, *, parent: int | None = None) -> None:
    """Serve attempts until SIGTERM/SIGINT (the job in hand is finished first) or, when
    ``parent`` is given, until that process is gone (a worker never outlives its server)."""
    import procrastinate

    from screening.store.jobs_pg import QUEUE, TASK, PostgresJobs, queue_app

    store = worker.store
    if not isinstance(store, PostgresJobs):
        raise TypeError("a PostgreSQL worker needs a PostgresJobs store")
    app = queue_app(url, worker=True)
    lease = worker.options.lease_seconds

    def screen(job_id: str) -> None:
        job = store.start(job_id, worker.owner, lease)
        if job is not None:
            logs.log_event("attempt", id=job.id, vendor=job.vendor, attempt=job.attempts)
            worker.handle(job)

    # a store error (the database restarting) fails the attempt before anything is recorded:
    # procrastinate tries it again, and the job is never left running without an attempt
    retry = procrastinate.RetryStrategy(max_attempts=STORE_RETRIES, exponential_wait=2)
    app.task(name=TASK, queue=QUEUE, retry=retry)(screen)

    # a second connection for write-back steps due again (retries, or left by a dead worker),
    # posted from the recovery loop's thread while the task thread screens
    posting = Worker(
        PostgresJobs(url), worker.screener, worker.writeback, worker.options, worker.owner
    )
    try:
        asyncio.run(_serve(app, worker.owner, lease, parent, posting))
    finally:
        posting.store.close()


async def _serve(
    app: procrastinate.App, name: str, lease: float, parent: int | None, posting: Worker
) -> None:
    from screening.store.jobs_pg import QUEUE

    async with app.open_async():
        run = asyncio.create_task(
            app.run_worker_async(
                queues=[QUEUE],
                name=name,
                concurrency=1,
                wait=True,
                listen_notify=True,
                delete_jobs="successful",
                update_heartbeat_interval=max(0.5, lease * RECOVER_SHARE),
                stalled_worker_timeout=lease,
                install_signal_handlers=True,
            )
        )
        recover = asyncio.create_task(_recover(app, lease, parent, run, posting))
        try:
            await run
        finally:
            recover.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recover


async def _recover(
    app: procrastinate.App,
    lease: float,
    parent: int | None,
    run: asyncio.Task[None],
    posting: Worker,
) -> None:
    """Hand out again the attempts of workers whose heartbeat stopped, post the write-back
    steps that are due; stop when orphaned."""
    from screening.store.jobs_pg import QUEUE

    while True:
        await asyncio.sleep(max(0.5, lease * RECOVER_SHARE))
        if parent is not None and os.getppid() != parent:
            logs.log_event("worker-orphaned", logging.WARNING)
            run.cancel()
            return
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                queue=QUEUE, seconds_since_heartbeat=lease
            )
            for job in stalled:
                with contextlib.suppress(Exception):  # another worker retried it first
                    await app.job_manager.retry_job(job)
                    logs.log_event("stalled-retried", id=str(job.task_kwargs.get("job_id")))
            while await asyncio.to_thread(posting.writeback_step):
                pass
        except Exception as exc:  # the database is away: try again at the next round
            logs.log_event("recover-failed", logging.WARNING, error=type(exc).__name__)
