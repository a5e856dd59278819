"""The worker pool: processes that claim jobs from the durable queue and screen them.

Why processes and not threads: screening is CPU-bound Python, and a worker thread would hold the
interpreter lock the receivers need to acknowledge webhooks within milliseconds. Each worker
process builds its own ``Engine`` once, opens its own store connection and loops: claim a job
(leased for ``[server] lease_seconds``), screen it, then ``complete``, ``retry`` (exponential
backoff: ``retry_base_seconds * 2**(attempt-1)``, capped at ``retry_max_seconds``) or ``bury``.
The server wakes workers when it queues a job; idle workers also look every half second (for
retries that became due). The pool restarts a worker process that died; the job it held is
claimed again once its lease runs out, and counts as an attempt.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnProcess
from pathlib import Path

import httpx

from screening.config import Settings
from screening.errors import ScreeningError
from screening.server import logs
from screening.server.options import ServerOptions, StoreFactory, open_store
from screening.server.processing import PermanentError, Screener
from screening.server.vendor_api import VendorHttp
from screening.server.writeback import WriteBack
from screening.store.jobs_api import ClaimedJob, JobStore, WritebackStatus

IDLE_WAIT_SECONDS = 0.5
WORKER_NICENESS = 10  # background work yields the CPU to acknowledging webhooks
STOP_TIMEOUT_SECONDS = 10.0
QUICK_DEATH_SECONDS = 10.0
MAX_RESTART_DELAY_SECONDS = 60.0


class Worker:
    """One worker's loop body, independent of processes (so it can be tested in-process)."""

    def __init__(
        self,
        store: JobStore,
        screener: Screener,
        writeback: WriteBack,
        options: ServerOptions,
        owner: str,
        settings: Settings | None = None,
    ) -> None:
        self.store = store
        self.screener = screener
        self.writeback = writeback
        self.options = options
        self.owner = owner
        self.settings = settings  # to read ``*_file`` secrets again on SIGHUP
        self.reload_requested = False  # set by the SIGHUP handler, applied before the next job

    def refresh(self) -> None:
        """Apply a SIGHUP received since the last job: ``*_file`` secrets (vendor API keys for
        fetching and write-back) are read again. Environment variables cannot change in a
        running process; a file that no longer reads keeps the options in use."""
        if not self.reload_requested or self.settings is None:
            return
        self.reload_requested = False
        try:
            fresh = ServerOptions.from_settings(self.settings)
        except ScreeningError as exc:
            logs.log_event("reload-failed", logging.ERROR, reason=str(exc))
            return
        self.options = self.screener.options = self.writeback.options = fresh
        logs.log_event("reloaded", worker=self.owner)

    def step(self) -> bool:
        """Claim and handle one due job (SQLite), else one due write-back step; False when
        there was neither."""
        job = self.store.claim(self.owner, self.options.lease_seconds)
        if job is None:
            return self.writeback_step()
        self.handle(job)
        return True

    def writeback_step(self, job_id: str | None = None) -> bool:
        """Post one due write-back step (``job_id``'s, right after its result was stored, or
        the oldest due one: a retry, or one left by a worker that died); False when none."""
        self.refresh()
        opts = self.options
        task = self.store.claim_writeback(self.owner, opts.lease_seconds, job_id)
        if task is None:
            return False
        outcome, complete = self.writeback.perform(task)
        delay = min(opts.retry_max_seconds, opts.retry_base_seconds * 2 ** (task.attempts - 1))
        if complete:
            status = WritebackStatus.SENT
        elif task.attempts >= opts.max_attempts:
            status = WritebackStatus.FAILED
        else:
            status = WritebackStatus.RETRYING
        self.store.finish_writeback(task.job_id, outcome, status, delay)
        logs.log_event(
            "writeback",
            id=task.job_id,
            vendor=task.vendor,
            status=status.value,
            attempt=task.attempts,
            outcome=outcome.split(":")[0] if complete else None,
        )
        return True

    def handle(self, job: ClaimedJob) -> None:
        """One attempt at a claimed job: screen it, then complete, retry or give up (and write
        back). Every outcome is recorded in the store; only a store error escapes."""
        self.refresh()
        opts = self.options
        if job.attempts > opts.max_attempts:
            self._bury(
                job,
                f"gave up: no attempt of {opts.max_attempts} finished",
                reason="worker_lost",
            )
            return
        started = time.perf_counter()
        try:
            screened = self.screener.screen(job)
        except PermanentError as exc:
            reason = "invalid_payload" if exc.fields else "vendor_refused"
            self._bury(job, str(exc), reason=reason, fields=list(exc.fields))
            return
        except Exception as exc:  # any other failure may pass: retry, then give up
            error = f"{type(exc).__name__}: {exc}"
            if job.attempts >= opts.max_attempts:
                message = f"gave up after {job.attempts} attempts: {error}"
                self._bury(job, message, reason="retries_exhausted", kind=type(exc).__name__)
                return
            delay = min(opts.retry_max_seconds, opts.retry_base_seconds * 2 ** (job.attempts - 1))
            self.store.retry(job.id, self.owner, error, delay)
            logs.log_event(
                "retry",
                id=job.id,
                vendor=job.vendor,
                attempt=job.attempts,
                delay_s=delay,
                error=type(exc).__name__,
            )
            return
        # the write-back step is stored with the result (one commit): a crash right after still
        # posts it; posting is the step's own business, tried now and retried on its own
        step = self.writeback.result_step(
            job.vendor, screened.result.band, screened.summary, screened.candidate_ref
        )
        result = dataclasses.replace(screened.result, writeback=step)
        if not self.store.complete(job.id, self.owner, result):
            logs.log_event("lease-lost", id=job.id, vendor=job.vendor)
            return
        logs.log_event(
            "done",
            id=job.id,
            vendor=job.vendor,
            status="done",
            attempt=job.attempts,
            duration_ms=round((time.perf_counter() - started) * 1000, 2),
        )
        if step is not None:
            self.writeback_step(job.id)

    def _bury(
        self,
        job: ClaimedJob,
        message: str,
        *,
        reason: str,
        fields: list[str] | None = None,
        kind: str | None = None,
    ) -> None:
        step = self.writeback.failure_step(job.vendor, job.id, job.meta.get("candidate", ""))
        if not self.store.bury(job.id, self.owner, message, reason, step):
            return
        logs.log_event(
            "failed", id=job.id, vendor=job.vendor, status="failed", fields=fields, error=kind
        )
        if step is not None:
            self.writeback_step(job.id)


class _Stopping:
    """SIGTERM handler: finish the job in hand, then leave the loop."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum: int, frame: object) -> None:
        self.requested = True


@dataclass(frozen=True, slots=True)
class WorkerSetup:
    """What every worker process is started with (picklable: it crosses a spawn)."""

    settings: Settings
    options: ServerOptions
    rule_dirs: tuple[Path, ...]
    offline: bool | None
    store_factory: StoreFactory


def worker_main(setup: WorkerSetup, index: int, wake: Connection) -> None:
    """Entry point of a worker process: build once, then loop until told to stop.

    SIGTERM (from the pool, or sent to the whole process group) stops the loop after the job in
    hand; SIGINT is ignored (Ctrl+C reaches every process of the group; the server decides);
    a worker whose server died (it was re-parented) stops by itself, so jobs are never screened
    by an orphan while a restarted server hands them to new workers.
    """
    stopping = _Stopping()
    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    server_pid = os.getppid()
    logs.configure()
    try:
        _run(setup, index, wake, stopping, server_pid)
    except Exception as exc:
        reason = str(exc) if isinstance(exc, ScreeningError | OSError) else None
        logs.log_event(
            "worker-failed", logging.ERROR, worker=index, error=type(exc).__name__, reason=reason
        )
        raise SystemExit(1) from None


def _run(
    setup: WorkerSetup, index: int, wake: Connection, stopping: _Stopping, server_pid: int
) -> None:
    os.nice(WORKER_NICENESS)
    with working(setup, index) as worker:
        reload_on_sighup(worker)
        if setup.options.store_url:
            from screening.server.pgworker import run_pg_worker

            run_pg_worker(setup.options.store_url, worker, parent=server_pid)
            return
        while not stopping.requested and os.getppid() == server_pid:
            if not worker.step() and wake.poll(IDLE_WAIT_SECONDS):
                os.read(wake.fileno(), 65536)  # drain the wake-up bytes


@contextlib.contextmanager
def working(setup: WorkerSetup, index: int) -> Iterator[Worker]:
    """A ``Worker`` with its engine (built once), store and HTTP client, closed afterwards."""
    from screening.pipeline import Engine, attach_history

    options = setup.options
    # every application the server screens is compared with, and recorded in, the history store
    engine = attach_history(Engine.build(setup.settings, setup.rule_dirs, offline=setup.offline))
    store = setup.store_factory(options)
    owner = f"{socket.gethostname()}:{os.getpid()}:{index}"
    timeout = httpx.Timeout(options.http_timeout_seconds)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            http = VendorHttp(
                client,
                attempts=options.writeback_attempts,
                backoff_seconds=options.writeback_backoff_seconds,
                max_response_bytes=options.max_body_bytes,
                load_limits=options.load_limits,
                max_file_bytes=options.limits.max_file_bytes,
                file_seconds=options.resume_timeout_seconds,
            )
            screener = Screener(engine, options, http)
            logs.log_event("worker-started", worker=index)
            yield Worker(store, screener, WriteBack(options, http), options, owner, setup.settings)
    finally:
        store.close()
        logs.log_event("worker-stopped", worker=index)


def reload_on_sighup(worker: Worker) -> None:
    """SIGHUP (from the server's or ``screening worker``'s reload, or an operator) marks the
    worker's ``*_file`` secrets to be read again before its next job, instead of ending it."""
    signal.signal(signal.SIGHUP, lambda *_: setattr(worker, "reload_requested", True))


@dataclass(slots=True)
class _Slot:
    """One worker's process, its wake-up pipe and its restart bookkeeping."""

    process: SpawnProcess | None = None
    wake: Connection | None = None  # the write end, non-blocking
    started: float = 0.0
    failures: int = 0
    not_before: float = 0.0


class WorkerPool:
    """``workers`` processes (spawned: safe beside the server's threads), kept alive.

    Wake-ups are single bytes written to a non-blocking pipe per worker (a full pipe already
    means "wake up"), so the server never blocks on a worker and no lock is shared with a
    process that may die. A worker that dies soon after starting is restarted with a growing
    delay (up to a minute) instead of in a tight loop.
    """

    def __init__(
        self,
        settings: Settings,
        options: ServerOptions,
        rule_dirs: Sequence[Path] = (),
        offline: bool | None = None,
        store_factory: StoreFactory = open_store,
    ) -> None:
        self._setup = WorkerSetup(settings, options, tuple(rule_dirs), offline, store_factory)
        self._ctx = multiprocessing.get_context("spawn")
        self._slots = [_Slot() for _ in range(options.workers)]
        self._stopping = False

    def start(self) -> None:
        """Start every worker process."""
        for index in range(len(self._slots)):
            self._spawn(index)
        logs.log_event("pool-started", workers=len(self._slots))

    def _spawn(self, index: int) -> None:
        slot = self._slots[index]
        reader, writer = self._ctx.Pipe(duplex=False)
        os.set_blocking(writer.fileno(), False)
        proc = self._ctx.Process(
            target=worker_main,
            args=(self._setup, index, reader),
            name=f"screening-worker-{index}",
            daemon=True,
        )
        proc.start()
        reader.close()
        slot.process, slot.wake, slot.started = proc, writer, time.monotonic()

    def wake(self) -> None:
        """Tell idle workers there is work."""
        for slot in self._slots:
            if slot.wake is not None:
                with contextlib.suppress(BlockingIOError, BrokenPipeError):
                    os.write(slot.wake.fileno(), b"\0")

    def signal(self, signum: int) -> None:
        """Send ``signum`` to every running worker process (SIGHUP: reload their secrets)."""
        for slot in self._slots:
            if slot.process is not None and slot.process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(slot.process.pid, signum)

    def alive(self) -> int:
        """How many worker processes are running."""
        return sum(1 for s in self._slots if s.process is not None and s.process.is_alive())

    def supervise(self) -> None:
        """Restart worker processes that died (their jobs come back when the lease runs out)."""
        now = time.monotonic()
        for index, slot in enumerate(self._slots):
            if self._stopping:
                return
            proc = slot.process
            if proc is not None and not proc.is_alive():
                quick = now - slot.started < QUICK_DEATH_SECONDS
                slot.failures = slot.failures + 1 if quick else 0
                delay = min(MAX_RESTART_DELAY_SECONDS, 2.0**slot.failures) if quick else 0.0
                slot.not_before = now + delay
                logs.log_event(
                    "worker-died", worker=index, status=str(proc.exitcode), delay_s=delay
                )
                self._close(slot)
            if slot.process is None and now >= slot.not_before:
                self._spawn(index)

    def stop(self) -> None:
        """Let workers finish their job in hand, then stop them (killed after a timeout)."""
        self._stopping = True
        for slot in self._slots:
            if slot.process is not None and slot.process.is_alive():
                slot.process.terminate()
        self.wake()
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        for slot in self._slots:
            proc = slot.process
            if proc is not None:
                proc.join(max(0.0, deadline - time.monotonic()))
                if proc.is_alive():
                    proc.kill()
                    proc.join(1.0)
            self._close(slot)

    @staticmethod
    def _close(slot: _Slot) -> None:
        if slot.process is not None:
            slot.process.close()
        if slot.wake is not None:
            slot.wake.close()
        slot.process = slot.wake = None
