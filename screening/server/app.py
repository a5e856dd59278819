"""The ASGI application (FastAPI): routes, body limits, bearer auth, lifespan of store and workers.

Endpoints and answers (``{vendor}`` is any name in the vendor table, ``ingest/ats`` ``VENDORS``;
docs/ats-vendors.md explains the webhook answer policy)::

    POST   /webhooks/{vendor}              vendor signature                     {"id", "status"}
    POST   /applications                   native contract, bearer token        {"id", "status"}
    GET    /applications/{id}              bearer: report@1 JSON once done (plus "id" and
                                           "status": "done"), else {"id", "status", ...}
    GET    /applications/{id}/report       bearer: the HTML report (409 until done)
    DELETE /applications/{id}              bearer: forget a job and its reports (204)
    GET    /jobs?status=failed&limit=100   bearer: jobs (of one status), oldest first
    GET    /jobs/{id}                      bearer: one job's state, error and attempts
    POST   /jobs/{id}/retry, /jobs/retry   bearer: queue one or every failed job again
    GET    /healthz, GET /readyz, GET /metrics, GET /openapi.json

Every handler is ``async`` and runs on the event loop thread, which owns the store connection
(SQLite connections are per thread); each store call is a short transaction, so the loop is
never held for long, and screening itself happens in worker processes. Bodies are read as a
stream with a byte cap (413 before the whole body is in memory; a declared ``Content-Length``
over the cap is refused without reading) and a time limit (408). Reports are served with
``Cache-Control: no-store`` and, for HTML, a Content-Security-Policy that allows no script and
no outside resource (candidate text is rendered in them).

One server process owns a SQLite file (a second one is refused, ``hold_server_lock``): at start
it requeues jobs left ``running`` by a previous run (their workers died with it). More throughput
comes from ``[server] workers``. With ``[store] retention_days`` a periodic task deletes finished
jobs older than that, in short batches between requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from fastapi import FastAPI, Request, Response, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel

from screening import __version__
from screening.config import Settings
from screening.errors import ScreeningError, StoreError
from screening.ingest.ats import VENDORS
from screening.pipeline import open_history
from screening.server import logs
from screening.server.intake import GroupCommit
from screening.server.links import link_problem
from screening.server.metrics import CONTENT_TYPE, Metrics
from screening.server.options import ServerOptions, StoreFactory, open_store
from screening.server.receivers import HttpProblem, Receivers, Reply
from screening.server.ui import console
from screening.server.worker import WorkerPool
from screening.store import erasure
from screening.store.audit import AuditEntry
from screening.store.backend import open_review_store
from screening.store.history import HistoryStore
from screening.store.jobs_api import JobRecord, JobStatus, JobStore, ReportFormat
from screening.store.review import ReviewStore

SUPERVISE_SECONDS = 1.0
RECEIVER_THREADS = 32  # deliveries waiting for a commit at once; more wait for a thread
REVIEWER_HEADER = "x-screening-reviewer"  # who, behind a reviewers' tool's token
REVIEWER = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,63}")
PRUNE_EVERY_SECONDS = 3600.0
PRUNE_BATCH = 200  # rows per short transaction: acknowledgements run between batches
MAX_LIST = 1000
LOGGED_REASONS = {
    400: "malformed body or payload",
    401: "signature or token refused",
    404: "receiver not configured",
    408: "body too slow",
    413: "body too large",
    422: "not contract v1",
    503: "queue full or store unavailable",
}
_NO_SUCH_APPLICATION = "no application with this id"
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
HTML_HEADERS = {
    **NO_STORE,
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


class Receipt(BaseModel):
    """A receiver's answer."""

    id: str | None
    status: Literal["queued", "duplicate", "ignored", "erased"]
    event: str | None = None
    count: int | None = None  # erased: how many of our applications were erased


class ErrorBody(BaseModel):
    """A refusal, with the reason."""

    error: str


class JobState(BaseModel):
    """A job that has no report (yet), or a row of ``GET /jobs``."""

    id: str
    status: Literal["queued", "running", "retrying", "failed", "done"]
    attempts: int
    vendor: str | None = None
    accepted_at: float | None = None
    finished_at: float | None = None
    error: str | None = None
    reason: str | None = None
    next_attempt_at: float | None = None
    writeback: str | None = None
    writeback_status: Literal["pending", "retrying", "sent", "failed"] | None = None


class JobList(BaseModel):
    """``GET /jobs``."""

    jobs: list[JobState]


class AuditRow(BaseModel):
    """One line of the audit trail."""

    at: float
    actor: str
    action: str
    application: str | None = None
    detail: str | None = None


class AuditList(BaseModel):
    """``GET /audit``."""

    entries: list[AuditRow]


class Requeued(BaseModel):
    """How many failed jobs were queued again."""

    requeued: int


class Health(BaseModel):
    """Liveness and worker count."""

    status: Literal["ok", "degraded"]
    workers: int


@dataclass(slots=True)
class _Runtime:
    """What the lifespan opens: the stores (event-loop thread), the receivers and the pool."""

    store: JobStore
    receivers: Receivers
    pool: WorkerPool
    history: HistoryStore  # tombstones of erased applicants (event-loop thread's connection)
    review: ReviewStore  # the console's accounts, decisions and audit trail
    receiving: ThreadPoolExecutor  # receivers run here: they wait for their job's commit

    async def receive(self, call: Callable[..., Reply], *args: object) -> Reply:
        """``call`` (a receiver) off the event loop: while one delivery waits for its commit,
        the loop reads, verifies and answers the others (``screening.server.intake``)."""
        return await asyncio.get_running_loop().run_in_executor(self.receiving, call, *args)


def create_app(
    settings: Settings,
    options: ServerOptions | None = None,
    *,
    rule_dirs: Sequence[Path] = (),
    offline: bool | None = None,
    store_factory: StoreFactory = open_store,
) -> FastAPI:
    """The application; the store and worker processes start with its lifespan.

    ``store_factory`` opens the job queue and result store (in the server and in every worker
    process); the default is the embedded SQLite file.
    """
    opts = options or ServerOptions.from_settings(settings)
    metrics = Metrics()
    runtime: list[_Runtime] = []  # filled while the app runs

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        store = store_factory(opts)
        released = store.release_running()
        pool = WorkerPool(settings, opts, rule_dirs, offline, store_factory)
        pool.start()
        history = open_history(settings)

        def erased(app_id: str, delivery_key: str) -> bool:
            return erasure.is_erased(history, app_id, delivery_key)

        intake = GroupCommit(functools.partial(store_factory, opts))
        intake.start()
        receivers = Receivers(opts, intake, pool.wake, erased=erased)
        review = open_review_store(opts.db_path, opts.store_url)
        receiving = ThreadPoolExecutor(RECEIVER_THREADS, thread_name_prefix="screening-receive")
        runtime.append(_Runtime(store, receivers, pool, history, review, receiving))
        loop = asyncio.get_running_loop()
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.add_signal_handler(signal.SIGHUP, reload)  # main thread only
        supervisor = asyncio.create_task(_supervise(pool))
        pruner = asyncio.create_task(
            _prune(
                store,
                history,
                review,
                settings.store.retention_days,
                settings.history.retention_days,
            )
        )
        configured = sorted(name for name, vendor in opts.vendors.items() if vendor.secret)
        logs.log_event(
            "started",
            host=opts.host,
            port=opts.port,
            workers=opts.workers,
            receivers=configured,
            count=released,
        )
        try:
            yield
        finally:
            supervisor.cancel()
            pruner.cancel()
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.remove_signal_handler(signal.SIGHUP)
            await asyncio.to_thread(pool.stop)
            receiving.shutdown()
            intake.close()
            store.close()
            history.close()
            review.close()
            runtime.clear()
            logs.log_event("stopped")

    app = FastAPI(
        title="screening",
        version=__version__,
        description="ATS webhook receiver of the hiring-fraud screening toolkit: signals for "
        "review, not verdicts.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    bearer = [Security(HTTPBearer(auto_error=False))]
    json_body = {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    }
    refusals: dict[int | str, dict[str, object]] = {
        code: {"model": ErrorBody, "description": text}
        for code, text in (
            (400, "Malformed JSON or payload (the reason says which)"),
            (401, "Missing or wrong signature or token; nothing was queued"),
            (404, "Receiver not configured"),
            (408, "The body did not arrive in time"),
            (413, "Body larger than [server] max_body_bytes"),
            (503, "Queue full or store unavailable; see Retry-After"),
        )
    }

    def state() -> _Runtime:
        return runtime[0]

    def caller(run: _Runtime, request: Request, scope: str) -> str:
        """Who asks: the token's name, and the reviewer a reviewers' tool names for itself."""
        token = run.receivers.authorize(request.headers, scope)
        reviewer = request.headers.get(REVIEWER_HEADER, "")
        if REVIEWER.fullmatch(reviewer):
            return f"{token.name} (reviewer {reviewer})"
        return token.name

    def audit(
        run: _Runtime, actor: str, action: str, app_id: str | None, detail: str | None = None
    ) -> None:
        """One line in the append-only audit trail (``screening.store.audit``)."""
        run.review.audit(actor, action, app_id, detail or "")

    def reload() -> None:
        """SIGHUP: read secret files and the tokens file again (no restart, no lost request);
        the worker processes read theirs before their next job."""
        if not runtime:
            return
        run = state()
        run.pool.signal(signal.SIGHUP)
        try:
            fresh = ServerOptions.from_settings(settings)
        except ScreeningError as exc:
            logs.log_event("reload-failed", logging.ERROR, reason=str(exc))
            return
        run.receivers.options = fresh
        audit(run, "signal:SIGHUP", "config.reload", None, f"{len(fresh.api_tokens)} tokens")
        logs.log_event("reloaded", count=len(fresh.api_tokens))

    async def erase(
        run: _Runtime, app_id: str, vendor: str | None, reason: str, actor: str | None = None
    ) -> bool:
        """Erase one application everywhere (job, payload, reports, history record), leave
        keyed tombstones of its ids (``screening.store.erasure``) and an audit line saying who
        asked; True when there was anything to erase."""
        who = actor or (f"{vendor} webhook" if vendor else "api")
        keys = run.store.delivery_keys(app_id)
        had_job = run.store.forget(app_id)
        erased = await asyncio.to_thread(_erase, settings, app_id, keys, who)
        found = had_job or erased.found
        if found:
            logs.log_event("forgotten", id=app_id, vendor=vendor, reason=reason)
        return found

    @app.exception_handler(HttpProblem)
    async def refused(request: Request, problem: HttpProblem) -> Response:
        """A refusal raised by a handler, answered with its reason (a page in the console)."""
        if request.url.path.startswith("/ui/"):
            return console.problem_page(problem)
        return _problem(problem)

    if settings.ui.enabled:
        app.include_router(console.console_router(settings.ui, opts, state))
        app.add_exception_handler(console.REDIRECT, console.redirect_handler)

    async def respond(receiver: str, work: Callable[[], Awaitable[Reply]]) -> Response:
        started = time.perf_counter()
        outcome, code, reason, job_id, event = "error", 500, None, None, None
        try:
            reply = await work()
            code = reply.status_code
            outcome = str(reply.body.get("status"))
            job_id = reply.body.get("id")
            event = reply.body.get("event")
            return JSONResponse(dict(reply.body), status_code=code, headers=dict(reply.headers))
        except HttpProblem as problem:
            # the log gets a fixed reason per status: the answer's reason can quote the request
            code, reason = problem.status_code, LOGGED_REASONS.get(problem.status_code, "refused")
            outcome = f"http_{code}"
            return _problem(problem)
        finally:
            elapsed = time.perf_counter() - started
            metrics.observe(receiver, outcome, elapsed)
            logs.log_event(
                "delivery",
                vendor=receiver,
                id=job_id,
                type=event,
                status=outcome,
                http_status=code,
                reason=reason,
                duration_ms=round(elapsed * 1000, 3),
            )

    def webhook(vendor: str) -> Callable[[Request], Awaitable[Response]]:
        async def receive(request: Request) -> Response:
            async def work() -> Reply:
                run = state()
                secrets = run.receivers.require_vendor(vendor)
                body = await _read_body(request, opts)
                reply = await run.receive(
                    run.receivers.vendor, vendor, secrets, request.headers, body
                )
                if reply.erase is None:
                    return reply
                event = reply.erase
                ids = {f"{vendor}-{app_id}" for app_id in event.erase_ids}
                if event.candidate_ref:
                    ids.update(run.store.find_candidate(vendor, event.candidate_ref))
                count = 0
                for app_id in sorted(ids):
                    count += await erase(run, app_id, vendor, f"{vendor} {event.event}")
                return Reply(reply.status_code, {**reply.body, "count": count}, None, reply.headers)

            return await respond(vendor, work)

        receive.__name__ = f"webhook_{vendor}"
        receive.__doc__ = f"Receive a {vendor} webhook (signature verified as {vendor} documents)."
        return receive

    for vendor in VENDORS:
        app.add_api_route(
            f"/webhooks/{vendor}",
            webhook(vendor),
            methods=["POST"],
            tags=["webhooks"],
            responses={200: {"model": Receipt}, 202: {"model": Receipt}, **refusals},
            openapi_extra=json_body,
        )

    @app.post(
        "/applications",
        tags=["applications"],
        dependencies=bearer,
        responses={202: {"model": Receipt}, 422: {"model": ErrorBody}, **refusals},
        openapi_extra=json_body,
    )
    async def post_application(request: Request) -> Response:
        """Queue an application in the native contract (v1) for screening."""

        async def work() -> Reply:
            run = state()
            run.receivers.authorize(request.headers, "submit")
            body = await _read_body(request, opts)
            return await run.receive(run.receivers.native, request.headers, body)

        return await respond("native", work)

    @app.get(
        "/applications/{app_id}",
        tags=["applications"],
        dependencies=bearer,
        responses={
            200: {"model": JobState, "description": "report@1 JSON once done"},
            401: {"model": ErrorBody},
            404: {"model": ErrorBody},
        },
    )
    async def get_application(app_id: str, request: Request) -> Response:
        """The JSON report (report@1) once screened, else the job's status."""
        run = state()
        record, text = _report(run, request, app_id, "json")
        if text is None:
            return JSONResponse(_job_state(record), headers=NO_STORE)
        document = json.loads(text)
        if record.writeback_status is not None:
            document["writeback"] = record.writeback
            document["writeback_status"] = record.writeback_status.value
        document["decisions"] = console.decisions_document(run.review, app_id)
        audit(run, caller(run, request, "read"), "report.read", app_id, "json")
        return Response(
            json.dumps(document, ensure_ascii=False, indent=2),
            media_type="application/json",
            headers=NO_STORE,
        )

    @app.get(
        "/applications/{app_id}/report",
        tags=["applications"],
        dependencies=bearer,
        response_class=Response,
        responses={
            200: {"content": {"text/html": {}}, "description": "The HTML report"},
            401: {"model": ErrorBody},
            404: {"model": ErrorBody},
            409: {"model": JobState, "description": "Not screened yet"},
        },
    )
    async def get_report(
        app_id: str, request: Request, expires: str | None = None, signature: str | None = None
    ) -> Response:
        """The HTML report of a screened application: with a bearer token, or through the
        signed, expiring link of a write-back note (``expires`` and ``signature``)."""
        if expires is not None or signature is not None:
            problem = link_problem(
                opts.link_key, app_id, expires or "", signature or "", time.time()
            )
            if problem:
                raise HttpProblem(403, problem)
        run = state()
        signed = expires is not None
        record, html = _report(run, request, app_id, "html", signed=signed)
        if html is None:
            return JSONResponse(_job_state(record), status_code=409, headers=NO_STORE)
        who = "signed link" if signed else caller(run, request, "read")
        audit(run, who, "report.read", app_id, "html")
        return Response(html, media_type="text/html; charset=utf-8", headers=HTML_HEADERS)

    @app.delete(
        "/applications/{app_id}",
        tags=["applications"],
        dependencies=bearer,
        status_code=204,
        response_class=Response,
        responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    async def forget_application(app_id: str, request: Request) -> Response:
        """Forget an application: its job, its reports and its history record are deleted, and
        a retry or replay of its deliveries is answered ``erased`` from now on."""
        run = state()
        who = caller(run, request, "delete")
        if not await erase(run, app_id, None, "DELETE /applications", who):
            raise HttpProblem(404, _NO_SUCH_APPLICATION)
        return Response(status_code=204)

    @app.get(
        "/jobs",
        tags=["jobs"],
        dependencies=bearer,
        responses={200: {"model": JobList}, 400: {"model": ErrorBody}, 401: {"model": ErrorBody}},
    )
    async def list_jobs(request: Request, status: str | None = None, limit: int = 100) -> Response:
        """Jobs, oldest first; ``status=failed`` lists the ones given up (with their errors)."""
        run = state()
        run.receivers.authorize(request.headers, "read")
        wanted = _status_param(status)
        if not 0 < limit <= MAX_LIST:
            raise HttpProblem(400, f"limit: expected 1 to {MAX_LIST}")
        rows = run.store.list_jobs(wanted, limit)
        return JSONResponse({"jobs": [_job_state(r) for r in rows]}, headers=NO_STORE)

    @app.get(
        "/jobs/{job_id}",
        tags=["jobs"],
        dependencies=bearer,
        responses={200: {"model": JobState}, 401: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    async def get_job(job_id: str, request: Request) -> Response:
        """One job's state: status, attempts, last error and reason, write-back outcome."""
        run = state()
        run.receivers.authorize(request.headers, "read")
        record = run.store.get(job_id)
        if record is None:
            raise HttpProblem(404, "no job with this id")
        return JSONResponse(_job_state(record), headers=NO_STORE)

    @app.post(
        "/jobs/retry",
        tags=["jobs"],
        dependencies=bearer,
        responses={200: {"model": Requeued}, 401: {"model": ErrorBody}},
    )
    async def retry_all(request: Request) -> Response:
        """Queue every failed job again (attempts start from zero)."""
        run = state()
        who = caller(run, request, "admin")
        n = run.store.requeue(None)
        if n:
            run.pool.wake()
        audit(run, who, "job.retry", None, f"all failed jobs: {n}")
        logs.log_event("requeued", count=n)
        return JSONResponse({"requeued": n})

    @app.post(
        "/jobs/{job_id}/retry",
        tags=["jobs"],
        dependencies=bearer,
        responses={200: {"model": Requeued}, 401: {"model": ErrorBody}, 404: {"model": ErrorBody}},
    )
    async def retry_one(job_id: str, request: Request) -> Response:
        """Queue one failed job again."""
        run = state()
        who = caller(run, request, "admin")
        n = run.store.requeue(job_id)
        if not n:
            raise HttpProblem(404, "no failed job with this id")
        audit(run, who, "job.retry", job_id)
        run.pool.wake()
        logs.log_event("requeued", id=job_id, count=n)
        return JSONResponse({"requeued": n})

    @app.get(
        "/audit",
        tags=["operations"],
        dependencies=bearer,
        responses={200: {"model": AuditList}, 401: {"model": ErrorBody}, 403: {"model": ErrorBody}},
    )
    async def audit_log(
        request: Request, application: str | None = None, limit: int = 100
    ) -> Response:
        """The audit log, newest first: who read which report, deleted, retried, reloaded
        (``application=`` narrows it to one application id)."""
        run = state()
        run.receivers.authorize(request.headers, "admin")
        if not 0 < limit <= MAX_LIST:
            raise HttpProblem(400, f"limit: expected 1 to {MAX_LIST}")
        rows = run.review.audit_entries(app_id=application, limit=limit)
        body = [_audit_row(e) for e in rows]
        return JSONResponse({"entries": body}, headers=NO_STORE)

    def workers_alive(run: _Runtime) -> int:
        """This server's worker processes (SQLite), or every worker on the shared database
        whose heartbeat is fresher than a lease (PostgreSQL)."""
        shared = run.store.workers_alive(opts.lease_seconds)
        return run.pool.alive() if shared is None else shared

    def workers_expected() -> bool:
        return opts.workers > 0 or opts.store_url is not None

    @app.get("/healthz", tags=["operations"], responses={503: {"model": Health}})
    async def healthz() -> JSONResponse:
        """Liveness: the store answers and, when workers are configured, some are alive."""
        run = state()
        run.store.get("")  # a read that fails if the database is unusable
        alive = workers_alive(run)
        degraded = opts.workers > 0 and alive == 0
        body = {"status": "degraded" if degraded else "ok", "workers": alive}
        return JSONResponse(body, status_code=503 if degraded else 200)

    @app.get("/readyz", tags=["operations"], responses={503: {"model": ErrorBody}})
    async def readyz() -> JSONResponse:
        """Readiness: the database answers and, when workers are configured, some are alive."""
        run = state()
        try:
            run.store.ping()
        except StoreError:
            return JSONResponse({"error": "the database does not answer"}, status_code=503)
        alive = workers_alive(run)
        if workers_expected() and alive == 0:
            return JSONResponse({"error": "no screening worker is alive"}, status_code=503)
        return JSONResponse({"status": "ready", "workers": alive})

    @app.get(
        "/metrics",
        tags=["operations"],
        response_class=Response,
        responses={200: {"content": {CONTENT_TYPE: {}}}},
    )
    async def prometheus() -> Response:
        """Jobs by status, deliveries by outcome, latencies (Prometheus text format)."""
        run = state()
        text = metrics.render(run.store.stats(), workers_alive(run))
        return Response(text, media_type=CONTENT_TYPE)

    return app


async def _prune(
    store: JobStore,
    history: HistoryStore,
    review: ReviewStore,
    retention_days: float | None,
    history_days: float | None,
) -> None:
    """Delete finished jobs (reports, payloads), the reviewers' notes and decisions on them,
    and history records past their retention, in short batches between requests, once an
    hour."""
    pruners: list[tuple[str, Callable[[float, int], int], float]] = []
    if retention_days is not None:
        pruners.append(("jobs", store.prune, retention_days))
        pruners.append(("reviews", review.prune, retention_days))
    if history_days is not None:
        pruners.append(("history", history.prune, history_days))
    if not pruners:
        return
    while True:
        for what, prune, days in pruners:
            before = time.time() - days * 86400
            total = 0
            try:
                while (n := prune(before, PRUNE_BATCH)) > 0:
                    total += n
                    await asyncio.sleep(0.01)  # let acknowledgements run between batches
                    if n < PRUNE_BATCH:
                        break
            except StoreError as exc:
                logs.log_event("prune-failed", logging.ERROR, reason=str(exc), kind=what)
            if total:
                logs.log_event("pruned", count=total, kind=what)
        await asyncio.sleep(PRUNE_EVERY_SECONDS)


def _status_param(status: str | None) -> JobStatus | None:
    if status is None:
        return None
    try:
        return JobStatus(status)
    except ValueError:
        names = ", ".join(s.value for s in JobStatus)
        raise HttpProblem(400, f"status: expected one of {names}") from None


async def _supervise(pool: WorkerPool) -> None:
    while True:
        await asyncio.sleep(SUPERVISE_SECONDS)
        pool.supervise()


async def _read_body(request: Request, opts: ServerOptions) -> bytes:
    """The body, refused (413) as soon as it is known to be over the cap."""
    cap = opts.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.strip().isdigit():
            raise HttpProblem(400, "the Content-Length header is not a number")
        if int(declared) > cap:
            raise HttpProblem(413, f"the body is {int(declared)} bytes, the limit is {cap}")
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(opts.body_timeout_seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > cap:
                    raise HttpProblem(413, f"the body is over the limit of {cap} bytes")
                chunks.append(chunk)
    except TimeoutError:
        raise HttpProblem(408, "the body did not arrive in time") from None
    return b"".join(chunks)


def _report(
    run: _Runtime, request: Request, app_id: str, fmt: ReportFormat, *, signed: bool = False
) -> tuple[JobRecord, str | None]:
    """An authorized caller's job (bearer token with the ``read`` scope, or a checked signed
    link) and, once it is done, its stored report in ``fmt``."""
    if not signed:
        run.receivers.authorize(request.headers, "read")
    record = run.store.get(app_id)
    if record is None:
        raise HttpProblem(404, _NO_SUCH_APPLICATION)
    return record, run.store.report(app_id, fmt) if record.status is JobStatus.DONE else None


def _audit_row(entry: AuditEntry) -> Mapping[str, object]:
    row: dict[str, object] = {"at": entry.at, "actor": entry.actor, "action": entry.action}
    if entry.app_id is not None:
        row["application"] = entry.app_id
    if entry.detail:
        row["detail"] = entry.detail
    return row


def _job_state(record: JobRecord) -> Mapping[str, object]:
    body: dict[str, object] = {
        "id": record.id,
        "status": record.status.value,
        "attempts": record.attempts,
        "vendor": record.vendor,
        "accepted_at": record.accepted_at,
    }
    if record.finished_at is not None:
        body["finished_at"] = record.finished_at
    if record.status in (JobStatus.RETRYING, JobStatus.FAILED) and record.last_error:
        body["error"] = record.last_error
    if record.failure_reason:
        body["reason"] = record.failure_reason
    if record.next_attempt_at is not None:
        body["next_attempt_at"] = record.next_attempt_at
    if record.writeback:
        body["writeback"] = record.writeback
    if record.writeback_status is not None:
        body["writeback_status"] = record.writeback_status.value
    return body


def _problem(problem: HttpProblem) -> JSONResponse:
    return JSONResponse(
        {"error": problem.reason, **problem.extra},
        status_code=problem.status_code,
        headers=problem.headers,
    )


def _erase(
    settings: Settings, app_id: str, delivery_keys: Sequence[str], actor: str
) -> erasure.Erasure:
    """``screening.store.erasure.erase`` in a thread of its own (its own store connection)."""
    store = open_history(settings)
    try:
        return erasure.erase(store, app_id, delivery_keys=delivery_keys, actor=actor)
    finally:
        store.close()
