"""What a worker does with one job: record -> application -> screening -> stored reports.

The server is an orchestrator, so this is where the stages meet: ingest (the vendor mapping and
contract validation, or the native contract), the pipeline's ``Engine`` (built once per worker
process) and report rendering (JSON report@1 and HTML, stored so results survive restarts and
``GET`` answers without re-screening).

A vendor's resume (``fetch_resume`` in its description) is fetched as a step of the job and read
by the same document intake and triage as ``check`` (PDF or DOCX only). A fetch that may pass
(a time-out, 429, 5xx) fails the attempt, so the job is retried with backoff; a refusal (an
expired link that could not be renewed, a file too big, of another type, on a host that is not
the vendor's) or the last attempt screens the application without it, with the input note
"resume not read: <reason>" that every report format shows. Never a silent skip.

Errors are sorted by whether another attempt could help: an application that does not match the
contract, or a vendor API that refuses the request (404, 401 ...), will fail the same way every
time (``PermanentError``: the job is buried at once with the reason); anything else (a vendor
API timing out or rate limiting, an unexpected exception) is retried with backoff.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass

from screening.errors import InputError
from screening.ingest import IngestFailure, from_mapping, read_bytes
from screening.ingest.ats import VENDORS, to_application
from screening.ingest.ats.vendor import FETCHED_CANDIDATE
from screening.ingest.detect import InputFormat
from screening.ingest.documents.attachments import document_from_bytes
from screening.ingest.resume.fields import fill_missing
from screening.model.application import DocumentStatus, RawApplication
from screening.model.limits import Limits
from screening.model.notes import InputNote, NoteKind
from screening.pipeline import Engine
from screening.report import build_view, render_view, view_to_json_dict
from screening.server.options import ServerOptions
from screening.server.vendor_api import ApiError, VendorHttp
from screening.server.writeback import Summary, summarise
from screening.store.jobs_api import ClaimedJob, JobResult

NATIVE = "native"
UPLOAD = "upload"  # a file a reviewer uploaded in the console (any format ``check`` reads)
RESUME_FORMATS = frozenset({InputFormat.PDF, InputFormat.DOCX})  # what a vendor's file may be


class PermanentError(Exception):
    """Another attempt would fail the same way; the message says why (stored, not logged)."""

    def __init__(self, message: str, fields: tuple[str, ...] = ()) -> None:
        self.fields = fields  # names of the contract fields at fault (safe to log)
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Screened:
    """A finished job: what to store and what a write-back note says."""

    result: JobResult
    summary: Summary
    candidate_ref: str = ""  # where a write-back note goes (from the webhook or the fetch)


class Screener:
    """Screens claimed jobs with one engine (per worker process)."""

    def __init__(self, engine: Engine, options: ServerOptions, http: VendorHttp) -> None:
        self.engine = engine
        self.options = options
        self.http = http

    def screen(self, job: ClaimedJob) -> Screened:
        """Map, validate, screen and render one job."""
        raw, candidate_ref = self.application(job)
        started = time.perf_counter()
        screening = self.engine.screen(raw)
        view = build_view(screening)  # once, for both the JSON document and the HTML
        document = view_to_json_dict(view)
        html = render_view(view, "html")
        body = json.dumps(
            {**document, "id": job.id, "status": "done"}, ensure_ascii=False, indent=2
        )
        elapsed = time.perf_counter() - started
        result = JobResult(
            score=screening.score.score,
            band=screening.score.band.value,
            report_json=body,
            report_html=html,
            screen_seconds=elapsed,
        )
        return Screened(result, summarise(job.id, document), candidate_ref)

    def application(self, job: ClaimedJob) -> tuple[RawApplication, str]:
        """The job's application with its resume (or the note why not), and the candidate
        reference write-back addresses."""
        raw, candidate_ref = self._application(job)
        return self._with_resume(job, raw), candidate_ref

    def _application(self, job: ClaimedJob) -> tuple[RawApplication, str]:
        """The application to screen and the candidate reference write-back addresses."""
        limits = self.options.limits
        candidate = job.meta.get("candidate", "")
        try:
            if job.vendor == NATIVE:
                return from_mapping(job.payload, "", limits), candidate
            if job.vendor == UPLOAD:
                return _uploaded(job, limits), candidate
            record = job.payload
            if VENDORS[job.vendor].fetch is not None:
                record = self._fetch(job.vendor, job.meta)
                fetched = record.get(FETCHED_CANDIDATE)
                candidate = fetched if isinstance(fetched, str) and fetched else candidate
            return to_application(job.vendor, record, job.id, limits), candidate
        except InputError as exc:
            fields = tuple(sorted({p.field for p in exc.problems if p.field}))
            raise PermanentError(
                "the application cannot be screened: " + "; ".join(str(p) for p in exc.problems),
                fields,
            ) from None

    def _fetch(self, vendor: str, meta: Mapping[str, str]) -> Mapping[str, object]:
        """A thin webhook's application, fetched from the vendor's API with our credentials."""
        description = VENDORS[vendor]
        assert description.fetch is not None
        try:
            return description.fetch(self.http, self.options.vendors[vendor], meta)
        except ApiError as exc:
            if exc.transient:
                raise
            raise PermanentError(f"fetching from {description.title} failed: {exc}") from None

    def _with_resume(self, job: ClaimedJob, raw: RawApplication) -> RawApplication:
        """``raw`` with the resume the vendor holds, read as ``check`` reads one, or with the
        note saying why it was not read (see the module)."""
        if job.vendor not in VENDORS or VENDORS[job.vendor].fetch_resume is None:
            return raw
        description = VENDORS[job.vendor]
        assert description.fetch_resume is not None
        access = self.options.vendors[job.vendor]
        if not access.resumes:
            return _noted(raw, f"resume not read: [server.{job.vendor}] resumes = false")
        try:
            resume = description.fetch_resume(self.http, access, job.meta, job.payload)
        except ApiError as exc:
            if exc.transient and job.attempts < self.options.max_attempts:
                raise  # the job step is retried with backoff
            return _noted(raw, f"resume not read: {exc}")
        if resume is None:
            return _noted(raw, f"resume not read: {description.title} holds no resume file")
        name = resume.name or "resume"
        content = document_from_bytes(
            resume.data, name, "resume", name, self.options.limits, RESUME_FORMATS
        )
        if content.status is DocumentStatus.SKIPPED:
            # what its triage found still counts; the application's own text stays its resume
            attachments = (*raw.attachments, content.triage) if content.triage else ()
            noted = _noted(raw, f"resume not read: {content.reason}")
            return noted.model_copy(update={"attachments": attachments or raw.attachments})
        documents = (*(d for d in raw.documents if d.kind != "resume"), content)
        return fill_missing(raw.model_copy(update={"documents": documents}))


def _noted(raw: RawApplication, message: str) -> RawApplication:
    """``raw`` with one more input note about its resume."""
    note = InputNote("resume", NoteKind.DOCUMENT, message)
    return raw.model_copy(update={"notes": (*raw.notes, note)})


def _uploaded(job: ClaimedJob, limits: Limits) -> RawApplication:
    """The application at ``index`` of a file uploaded in the console, read as ``check`` would."""
    payload = job.payload
    name, data, index = payload.get("name"), payload.get("data"), payload.get("index")
    if not (isinstance(name, str) and isinstance(data, str) and isinstance(index, int)):
        raise PermanentError("the uploaded file's job is malformed")
    results = read_bytes(base64.b64decode(data), name, limits)
    if not 0 <= index < len(results):
        raise PermanentError("the uploaded file no longer holds this application")
    item = results[index]
    if isinstance(item, IngestFailure):
        raise item.error
    # the file's own name ("upload") must not be the id: every upload would share it
    return item.model_copy(update={"data": item.data.model_copy(update={"id": job.id})})
