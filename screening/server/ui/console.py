"""The reviewer console: HTML pages under ``/ui/`` served by ``screening serve``.

Pages are rendered on the server from the stored JSON report (built from the same view-model as
every report format) with autoescaped Jinja templates in ``templates/ui/``; there is no script
at all, so the Content-Security-Policy forbids every script and every outside resource. Forms
post back and redirect (post/redirect/get), each with the session's CSRF token. Candidate text
is only ever text: links the candidate supplied are printed, never made clickable.

Every page view and action is written to the audit trail with the reviewer's name.
"""

from __future__ import annotations

import asyncio
import base64
import csv
import hashlib
import io
import json
import re
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import QueryParams, UploadFile

from screening import resources
from screening.config import UiConfig
from screening.errors import InputError
from screening.ingest import IngestFailure, read_bytes
from screening.report.render import template
from screening.server import logs
from screening.server.options import ServerOptions
from screening.server.processing import UPLOAD
from screening.server.receivers import HttpProblem, Receivers
from screening.server.ui import auth
from screening.store.db import BUSY_TIMEOUT_SECONDS
from screening.store.jobs_api import JobRecord, JobStatus, JobStore, NewJob
from screening.store.review import (
    DECISION_LABELS,
    INBOX_SORTS,
    MAX_NOTE_CHARS,
    RESOLUTION_LABELS,
    Decision,
    DecisionEntry,
    InboxFilter,
    IndexedReport,
    Resolution,
    ReviewStore,
    Role,
    RuleText,
    Session,
    iter_labels,
)

PAGE_SIZE = 50
ADDRESS_FACTOR = 10  # failed sign-ins one address may make, in multiples of the per-name limit
# the inbox sync re-reads the jobs that finished this long before the newest one it indexed, so
# a job committed after a later-stamped one is still found: on SQLite a finishing time is taken
# before waiting for the write lock (at most BUSY_TIMEOUT_SECONDS, or the commit fails); on
# PostgreSQL by each worker's clock (machines must agree to well within this: NTP)
SYNC_OVERLAP_SECONDS = 2 * BUSY_TIMEOUT_SECONDS
SYNC_BATCH = 1000
BANDS = ("critical", "high", "medium", "low")
STATUSES = ("new", "in review", "decided")
SORTS = INBOX_SORTS

CONSOLE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
_SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


class ConsoleRuntime(Protocol):
    """What the console needs from the running server."""

    @property
    def store(self) -> JobStore: ...

    @property
    def receivers(self) -> Receivers: ...

    @property
    def review(self) -> ReviewStore: ...


@dataclass(frozen=True, slots=True)
class Viewer:
    """The signed-in person and the token their forms must carry."""

    name: str
    role: Role
    csrf: str

    @property
    def admin(self) -> bool:
        """May see the audit trail and manage accounts."""
        return self.role is Role.ADMIN


class _Redirect(Exception):
    def __init__(self, location: str, cookies: Mapping[str, str] | None = None) -> None:
        self.location = location
        self.cookies = dict(cookies or {})


def console_router(
    ui: UiConfig, opts: ServerOptions, runtime: Callable[[], ConsoleRuntime]
) -> APIRouter:
    """The ``/ui`` routes."""
    router = APIRouter(prefix="/ui", include_in_schema=False)
    lifetime = ui.session_hours * 3600

    def page(name: str, viewer: Viewer | None, status: int = 200, **context: Any) -> Response:
        html = template(f"ui/{name}.html.j2").render(
            viewer=viewer, anchor=anchor, plain=_plain, **context
        )
        return Response(
            html, status_code=status, media_type="text/html; charset=utf-8", headers=CONSOLE_HEADERS
        )

    def set_cookie(response: Response, name: str, value: str, max_age: int | None) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=auth.COOKIE_PATH,
            secure=ui.cookie_secure,
            httponly=True,
            samesite="strict",
        )

    def viewer_of(request: Request) -> tuple[Viewer | None, str | None]:
        """The signed-in person (and a new session token when a trusted proxy named them)."""
        review = runtime().review
        token = request.cookies.get(auth.SESSION_COOKIE, "")
        session: Session | None = review.session(token) if token else None
        proxied = _proxy_user(ui, request)
        if proxied is not None:
            if session is not None and session.reviewer == proxied:
                return Viewer(session.reviewer, session.role, session.csrf), None
            role = Role.ADMIN if proxied in ui.admins else Role.REVIEWER
            account = review.reviewer(proxied)
            if account is not None and account.disabled:
                return None, None
            fresh = auth.new_token()
            session = review.open_session(fresh, proxied, role, auth.new_token(), lifetime)
            review.audit(proxied, "session.opened", None, "trusted proxy")
            return Viewer(proxied, role, session.csrf), fresh
        if session is None:
            return None, None
        return Viewer(session.reviewer, session.role, session.csrf), None

    def require(request: Request, *, admin: bool = False) -> tuple[Viewer, str | None]:
        viewer, fresh = viewer_of(request)
        if viewer is None:
            raise _Redirect("/ui/login?" + urlencode({"next": _local_path(request)}))
        if admin and not viewer.admin:
            raise HttpProblem(403, "this page is for administrators")
        return viewer, fresh

    async def form_of(request: Request, viewer: Viewer) -> Mapping[str, str]:
        """The posted fields after the CSRF check (403 when the token is missing or wrong)."""
        form = await request.form(max_files=0, max_fields=20)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if not auth.same_token(viewer.csrf, fields.get("csrf")):
            raise HttpProblem(403, "the form is stale or was not sent by this console; reload")
        return fields

    def finish(response: Response, fresh: str | None) -> Response:
        if fresh is not None:
            set_cookie(response, auth.SESSION_COOKIE, fresh, int(lifetime))
        return response

    # -- sign in and out ---------------------------------------------------------------------

    @router.get("/login")
    async def login_form(request: Request) -> Response:
        viewer, fresh = viewer_of(request)
        if viewer is not None:
            return finish(RedirectResponse("/ui/inbox", status_code=303), fresh)
        token = auth.new_token()
        response = page("login", None, form_token=token, next=_next(request), error=None)
        set_cookie(response, auth.LOGIN_COOKIE, token, 3600)
        return response

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        if not auth.same_token(request.cookies.get(auth.LOGIN_COOKIE, ""), fields.get("csrf")):
            raise HttpProblem(403, "the sign-in form is stale; reload the page")
        name = fields.get("name", "").strip()[:120]
        client = request.client.host if request.client else "unknown"
        # failures count per account name, and per client address with room for a shared
        # office NAT; in the store, so every receiver of one database counts the same ones
        name_key, address_key = f"name:{name.casefold()}", f"address:{client}"
        attempts, window = ui.login_attempts, ui.login_window_seconds
        review = runtime().review
        wait = max(
            review.login_wait(name_key, attempts, window),
            review.login_wait(address_key, attempts * ADDRESS_FACTOR, window),
        )
        if wait > 0:
            review.audit(name or "?", "login.throttled", None, "")
            response = page(
                "login",
                None,
                status=429,
                form_token=fields.get("csrf", ""),
                next=_next(request, fields.get("next")),
                error=f"Too many failed attempts; try again in {int(wait) + 1} seconds.",
            )
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        account = review.reviewer(name) if name else None
        ok = await asyncio.to_thread(auth.verify_password, account, fields.get("password", ""))
        if not ok or account is None:
            review.login_failed((name_key, address_key), window)
            review.audit(name or "?", "login.failed", None, "")
            logs.log_event("ui-login-failed")
            return page(
                "login",
                None,
                status=401,
                form_token=fields.get("csrf", ""),
                next=_next(request, fields.get("next")),
                error="The name or password is not right.",
            )
        review.login_succeeded(name_key)
        token = auth.new_token()
        review.open_session(token, account.name, account.role, auth.new_token(), lifetime)
        review.audit(account.name, "session.opened", None, "password")
        response = RedirectResponse(_next(request, fields.get("next")), status_code=303)
        set_cookie(response, auth.SESSION_COOKIE, token, int(lifetime))
        response.delete_cookie(auth.LOGIN_COOKIE, path=auth.COOKIE_PATH)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        viewer, _ = require(request)
        await form_of(request, viewer)
        review = runtime().review
        review.close_session(request.cookies.get(auth.SESSION_COOKIE, ""))
        review.audit(viewer.name, "session.closed", None, "")
        response = RedirectResponse("/ui/login", status_code=303)
        response.delete_cookie(auth.SESSION_COOKIE, path=auth.COOKIE_PATH)
        return response

    # -- inbox -------------------------------------------------------------------------------

    @router.get("")
    @router.get("/")
    async def root() -> Response:
        return RedirectResponse("/ui/inbox", status_code=303)

    @router.get("/inbox")
    async def inbox(request: Request) -> Response:
        viewer, fresh = require(request)
        run = runtime()
        sync_inbox(run.store, run.review)
        query = _InboxQuery.parse(request.query_params)
        total = run.review.inbox_count(query.selection())
        entries = run.review.inbox(query.selection())
        run.review.audit(viewer.name, "inbox.viewed", None, query.describe())
        return finish(
            page(
                "inbox",
                viewer,
                entries=entries,
                total=total,
                query=query,
                pages=max(1, -(-total // PAGE_SIZE)),
                bands=BANDS,
                statuses=STATUSES,
                decision_labels=DECISION_LABELS,
                received=_when,
            ),
            fresh,
        )

    # -- one application ---------------------------------------------------------------------

    @router.get("/applications/{app_id}")
    async def application(app_id: str, request: Request) -> Response:
        viewer, fresh = require(request)
        run = runtime()
        record = run.store.get(app_id)
        if record is None:
            return finish(page("missing", viewer, status=404, app_id=app_id), fresh)
        run.review.audit(viewer.name, "application.viewed", app_id, "")
        if record.status is not JobStatus.DONE:
            return finish(page("pending", viewer, record=record), fresh)
        report = _report(run.store, app_id)
        run.review.mark_opened(app_id)
        resolutions = run.review.resolutions(app_id)
        return finish(
            page(
                "application",
                viewer,
                app_id=app_id,
                report=report,
                record=record,
                received=_when,
                resolutions=resolutions,
                resolution_labels=RESOLUTION_LABELS,
                decisions=run.review.decisions(app_id),
                decision_labels=DECISION_LABELS,
                audit=run.review.audit_entries(app_id=app_id, limit=50) if viewer.admin else [],
                what_was_read=_what_was_read(report),
            ),
            fresh,
        )

    @router.get("/applications/{app_id}/report")
    async def printable(app_id: str, request: Request) -> Response:
        viewer, fresh = require(request)
        run = runtime()
        html = run.store.report(app_id, "html")
        if html is None:
            return finish(page("missing", viewer, status=404, app_id=app_id), fresh)
        run.review.audit(viewer.name, "report.read", app_id, "html")
        headers = {
            **CONSOLE_HEADERS,
            # the stored report is self-contained with inline styles and no script
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        }
        return finish(Response(html, media_type="text/html; charset=utf-8", headers=headers), fresh)

    @router.post("/applications/{app_id}/findings/{rule_id}")
    async def resolve(app_id: str, rule_id: str, request: Request) -> Response:
        viewer, fresh = require(request)
        fields = await form_of(request, viewer)
        run = runtime()
        report = _report(run.store, app_id)
        if rule_id not in {str(f.get("id")) for f in _findings(report)}:
            raise HttpProblem(404, "this application has no finding of that rule")
        try:
            resolution = Resolution(fields.get("resolution", ""))
        except ValueError:
            raise HttpProblem(
                400, "resolution: choose confirmed, benign or needs_information"
            ) from None
        note = _note(fields)
        run.review.resolve(app_id, rule_id, resolution, note, viewer.name)
        return finish(
            RedirectResponse(f"/ui/applications/{app_id}#{anchor(rule_id)}", status_code=303),
            fresh,
        )

    @router.post("/applications/{app_id}/decision")
    async def decide(app_id: str, request: Request) -> Response:
        viewer, fresh = require(request)
        fields = await form_of(request, viewer)
        run = runtime()
        _report(run.store, app_id)
        try:
            decision = Decision(fields.get("decision", ""))
        except ValueError:
            raise HttpProblem(
                400, "decision: choose proceed, verify_identity or escalate"
            ) from None
        run.review.decide(app_id, decision, _note(fields), viewer.name)
        return finish(
            RedirectResponse(f"/ui/applications/{app_id}#decision", status_code=303), fresh
        )

    # -- upload ------------------------------------------------------------------------------

    @router.get("/upload")
    async def upload_form(request: Request) -> Response:
        viewer, fresh = require(request)
        return finish(page("upload", viewer, errors=[], limit=opts.limits.max_file_bytes), fresh)

    @router.post("/upload")
    async def upload(request: Request) -> Response:
        viewer, fresh = require(request)
        cap = opts.limits.max_file_bytes + 64 * 1024  # the file plus the form around it
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise HttpProblem(413, f"the file is larger than {opts.limits.max_file_bytes} bytes")
        size = 0
        chunks: list[bytes] = []
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise HttpProblem(
                    413, f"the file is larger than {opts.limits.max_file_bytes} bytes"
                )
            chunks.append(chunk)
        form = await _replayed(request, b"".join(chunks)).form(max_files=1, max_fields=5)
        if not auth.same_token(viewer.csrf, _str(form.get("csrf"))):
            raise HttpProblem(403, "the form is stale or was not sent by this console; reload")
        file = form.get("file")
        if not isinstance(file, UploadFile):
            return finish(
                page(
                    "upload",
                    viewer,
                    status=400,
                    errors=["file: choose a file"],
                    limit=opts.limits.max_file_bytes,
                ),
                fresh,
            )
        data = await file.read()
        name = "upload" + _suffix(file.filename or "")
        results = await asyncio.to_thread(read_bytes, data, name, opts.limits)
        errors = [_failure_text(r) for r in results if isinstance(r, IngestFailure)]
        digest = hashlib.sha256(data).hexdigest()[:24]
        queued: list[str] = []
        run = runtime()
        encoded = base64.b64encode(data).decode("ascii")
        for index, item in enumerate(results):
            if isinstance(item, IngestFailure):
                continue
            job_id = f"{UPLOAD}-{digest}-{index}"
            job = NewJob(
                id=job_id,
                vendor=UPLOAD,
                delivery_key=hashlib.sha256(f"{UPLOAD}\x00{job_id}".encode()).hexdigest(),
                payload={"name": name, "data": encoded, "index": index},
                meta={"reviewer": viewer.name},
            )
            reply = run.receivers.submit(job, UPLOAD)
            queued.append(str(reply.body.get("id")))
        run.review.audit(
            viewer.name,
            "application.uploaded",
            queued[0] if len(queued) == 1 else None,
            f"{len(queued)} queued, {len(errors)} refused",
        )
        if len(queued) == 1 and not errors:
            return finish(RedirectResponse(f"/ui/applications/{queued[0]}", status_code=303), fresh)
        return finish(
            page(
                "upload",
                viewer,
                status=200 if queued else 400,
                errors=errors,
                queued=queued,
                limit=opts.limits.max_file_bytes,
            ),
            fresh,
        )

    # -- rule precision, audit, export -------------------------------------------------------

    @router.get("/rules")
    async def rules(request: Request) -> Response:
        viewer, fresh = require(request)
        run = runtime()
        sync_inbox(run.store, run.review)
        outcomes = run.review.rule_outcomes(run.review.fired())
        run.review.audit(viewer.name, "rules.viewed", None, "")
        return finish(
            page("rules", viewer, outcomes=outcomes, texts=run.review.rule_texts()), fresh
        )

    @router.get("/audit")
    async def audit_page(request: Request) -> Response:
        viewer, fresh = require(request, admin=True)
        run = runtime()
        actor = request.query_params.get("actor") or None
        app_id = request.query_params.get("application") or None
        entries = run.review.audit_entries(actor=actor, app_id=app_id, limit=500)
        run.review.audit(viewer.name, "audit.viewed", app_id, "")
        return finish(
            page(
                "audit", viewer, entries=entries, actor=actor or "", app_id=app_id or "", when=_when
            ),
            fresh,
        )

    @router.get("/export/labels.zip")
    async def export_labels(request: Request) -> Response:
        viewer, fresh = require(request)
        run = runtime()
        data = labels_archive(run.store, run.review)
        run.review.audit(viewer.name, "labels.exported", None, "")
        headers = {
            **CONSOLE_HEADERS,
            "Content-Disposition": 'attachment; filename="labels.zip"',
        }
        return finish(Response(data, media_type="application/zip", headers=headers), fresh)

    @router.get("/static/ui.css")
    async def stylesheet() -> Response:
        css = (resources.templates_dir() / "ui" / "ui.css").read_text(encoding="utf-8")
        return Response(
            css,
            media_type="text/css",
            headers={"Cache-Control": "max-age=3600", "X-Content-Type-Options": "nosniff"},
        )

    return router


def redirect_handler(_: Request, exc: Exception) -> Response:
    """``_Redirect`` raised by a page (e.g. not signed in) as a 303."""
    assert isinstance(exc, _Redirect)
    return RedirectResponse(exc.location, status_code=303)


REDIRECT = _Redirect


# -- helpers ---------------------------------------------------------------------------------


def sync_inbox(store: JobStore, review: ReviewStore) -> int:
    """Index applications screened since the last sync (each report is read once); returns
    how many. Costs the new applications plus the few finished within
    ``SYNC_OVERLAP_SECONDS`` of the newest indexed one, whatever the number of applications:
    the job store's "finished since" cursor starts at the inbox's newest ``finished_at``."""
    cursor = review.index_cursor()
    after = None if cursor is None else cursor - SYNC_OVERLAP_SECONDS
    seen = {} if after is None else review.indexed_since(after)
    after_id, added = "", 0
    while True:
        batch = store.finished_since(after, after_id, SYNC_BATCH)
        fresh = [
            indexed
            for record in batch
            if seen.get(record.id) != record.finished_at
            and (indexed := _indexed(store, record)) is not None
        ]
        review.index(fresh)
        added += len(fresh)
        if len(batch) < SYNC_BATCH:
            return added
        after, after_id = batch[-1].finished_at, batch[-1].id


def _indexed(store: JobStore, record: JobRecord) -> IndexedReport | None:
    """What the inbox keeps of a finished job, from its JSON report."""
    text = store.report(record.id, "json")
    if text is None:
        return None
    report = json.loads(text)
    app = report.get("application") or {}
    return IndexedReport(
        app_id=record.id,
        name=str(app.get("name") or ""),
        source=str(app.get("source") or record.vendor),
        band=str(report.get("band") or record.band or ""),
        score=float(report.get("score") or record.score or 0.0),
        rules=tuple(sorted({str(f.get("id")) for f in _findings(report)})),
        received_at=record.accepted_at,
        infos=tuple(_rule_text(f) for f in _findings(report)),
        finished_at=record.finished_at,
    )


def decisions_document(review: ReviewStore, app_id: str) -> dict[str, Any]:
    """The reviewers' decisions on an application, as the JSON report's ``decisions`` field:
    the standing decision, its history, and each finding's current resolution."""
    history = review.decisions(app_id)

    def decision(d: DecisionEntry) -> dict[str, Any]:
        return {
            "decision": d.decision.value,
            "note": d.note,
            "reviewer": d.reviewer,
            "at": _iso(d.at),
        }

    return {
        "decision": decision(history[-1]) if history else None,
        "history": [decision(d) for d in history],
        "findings": {
            rule_id: {
                "resolution": r.resolution.value,
                "note": r.note,
                "reviewer": r.reviewer,
                "at": _iso(r.at),
            }
            for rule_id, r in sorted(review.resolutions(app_id).items())
        },
    }


def labels_archive(store: JobStore, review: ReviewStore) -> bytes:
    """``labels.csv`` and the JSON reports it names, for ``screening eval`` on real outcomes.

    ``escalate`` becomes ``impostor`` and ``proceed`` ``genuine``; ``verify identity`` is still
    open and left out. The applications themselves are not kept after screening, so the reports
    (with their bands and findings as screened) stand for them.
    """
    buffer = io.BytesIO()
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(["file", "label"])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for app_id, label in iter_labels(review.current_decisions()):
            text = store.report(app_id, "json")
            if text is None:
                continue
            file = f"reports/{hashlib.sha256(app_id.encode()).hexdigest()[:16]}.json"
            archive.writestr(file, text)
            writer.writerow([file, label])
        archive.writestr("labels.csv", rows.getvalue())
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class _InboxQuery:
    band: tuple[str, ...]
    status: str
    q: str
    sort: str
    descending: bool
    page: int

    @classmethod
    def parse(cls, params: QueryParams) -> _InboxQuery:
        bands = tuple(b for b in params.getlist("band") if b in BANDS)
        status = params.get("status", "")
        sort = params.get("sort", "received")
        page = params.get("page", "1")
        return cls(
            band=bands,
            status=status if status in STATUSES else "",
            q=params.get("q", "").strip()[:200],
            sort=sort if sort in SORTS else "received",
            descending=params.get("dir", "desc") != "asc",
            page=int(page) if page.isdigit() and 0 < int(page) < 1_000_000 else 1,
        )

    def selection(self) -> InboxFilter:
        """The store query for this page of the inbox."""
        return InboxFilter(
            bands=self.band,
            status=self.status,
            search=self.q,
            sort=self.sort,
            descending=self.descending,
            offset=(self.page - 1) * PAGE_SIZE,
            limit=PAGE_SIZE,
        )

    def link(self, **changes: Any) -> str:
        """The inbox URL with some parameters changed."""
        values: dict[str, Any] = {
            "band": list(self.band),
            "status": self.status,
            "q": self.q,
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
            "page": self.page,
        }
        values.update(changes)
        return "/ui/inbox?" + urlencode({k: v for k, v in values.items() if v}, doseq=True)

    def sort_link(self, column: str) -> str:
        """Sort by ``column``; a second click reverses the order."""
        descending = not self.descending if column == self.sort else column != "name"
        return self.link(sort=column, dir="desc" if descending else "asc", page=1)

    def describe(self) -> str:
        """For the audit trail: the filters, without the search text (it may be a name)."""
        return f"band={','.join(self.band)} status={self.status} search={'yes' if self.q else 'no'}"


def _replayed(request: Request, body: bytes) -> Request:
    """A request whose body is ``body`` (already read under the size cap) for form parsing."""
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def _report(store: JobStore, app_id: str) -> dict[str, Any]:
    text = store.report(app_id, "json")
    if text is None:
        raise HttpProblem(404, "no screened application with this id")
    data: dict[str, Any] = json.loads(text)
    return data


def anchor(rule_id: str) -> str:
    """The HTML id of a finding on the application page (rule ids hold dots)."""
    return "f-" + hashlib.sha256(rule_id.encode()).hexdigest()[:12]


def _rule_text(finding: Mapping[str, Any]) -> RuleText:
    def texts(key: str) -> tuple[str, ...]:
        value = finding.get(key)
        return tuple(str(v) for v in value) if isinstance(value, list) else ()

    return RuleText(
        rule_id=str(finding.get("id")),
        title=str(finding.get("title") or ""),
        description=str(finding.get("description") or ""),
        references=texts("references"),
        falsepositives=texts("falsepositives"),
    )


def _findings(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    findings = report.get("findings")
    return [f for f in findings if isinstance(f, Mapping)] if isinstance(findings, list) else []


@dataclass(frozen=True, slots=True)
class ReadPart:
    """One part of "what was read": a line of text, or a small table (lists of records)."""

    label: str
    text: str
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _what_was_read(report: Mapping[str, Any]) -> list[ReadPart]:
    """The report's "what was read" part, when the report has one: plain values as text, lists
    of records (employment, education, references, addresses, documents) as tables."""
    read = report.get("read")
    if not isinstance(read, Mapping):
        return []
    parts = []
    for key, value in read.items():
        if value in (None, "", [], {}):
            continue
        label = str(key).replace("_", " ")
        if isinstance(value, list) and all(isinstance(v, Mapping) for v in value):
            headers = tuple(
                dict.fromkeys(k for v in value for k, x in v.items() if x not in (None, "", []))
            )
            rows = tuple(
                tuple(_plain(v.get(h)) if v.get(h) is not None else "" for h in headers)
                for v in value
            )
            parts.append(ReadPart(label, "", tuple(h.replace("_", " ") for h in headers), rows))
        else:
            parts.append(ReadPart(label, _plain(value)))
    return parts


def _plain(value: object, depth: int = 0) -> str:
    if depth > 4:
        return "…"
    if isinstance(value, Mapping):
        parts = [f"{k}: {_plain(v, depth + 1)}" for k, v in value.items() if v not in (None, "")]
        return "; ".join(parts)
    if isinstance(value, list):
        return " | ".join(_plain(v, depth + 1) for v in value)
    return str(value)


def _note(fields: Mapping[str, str]) -> str:
    note = fields.get("note", "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise HttpProblem(400, f"note: at most {MAX_NOTE_CHARS} characters")
    return note


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _suffix(filename: str) -> str:
    """The uploaded file's extension if it is a plain one (it only guides format detection)."""
    suffix = PurePath(filename.replace("\\", "/")).suffix.lower()
    return suffix if _SAFE_SUFFIX.fullmatch(suffix) else ""


def _failure_text(failure: IngestFailure) -> str:
    error: InputError = failure.error
    return "; ".join(str(p) for p in error.problems)[:1000]


def _proxy_user(ui: UiConfig, request: Request) -> str | None:
    if not ui.trusted_user_header or request.client is None:
        return None
    if request.client.host not in ui.trusted_proxies:
        return None
    name = request.headers.get(ui.trusted_user_header, "").strip()
    return name[:120] if name else None


def _next(request: Request, given: str | None = None) -> str:
    """Where to go after signing in: only a path of this console, never another site."""
    target = given if given is not None else request.query_params.get("next", "")
    if target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target[:500]
    return "/ui/inbox"


def _local_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def _iso(moment: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(moment))


def _when(moment: float | None) -> str:
    if moment is None:
        return ""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(moment))


def problem_page(problem: HttpProblem) -> Response:
    """A refusal inside the console as a page (the reason is a fixed sentence of ours)."""
    html = template("ui/problem.html.j2").render(
        viewer=None, status=problem.status_code, reason=problem.reason
    )
    return Response(
        html,
        status_code=problem.status_code,
        media_type="text/html; charset=utf-8",
        headers={**CONSOLE_HEADERS, **problem.headers},
    )
