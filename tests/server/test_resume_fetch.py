"""Resumes fetched from each vendor's API (a loopback server playing it) and screened with the
application; every failure ends as a "resume not read" input note, never a silent skip."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serverkit import (
    SECRETS,
    TOKEN,
    Clock,
    FakeApi,
    Server,
    base_config,
    payload,
    running_fake_api,
)

from screening.config import LimitsConfig, Settings
from screening.ingest.ats import VENDORS, read_event
from screening.ingest.ats.vendor import ApiError
from screening.pipeline import Engine
from screening.report.render import FORMATS, render_view
from screening.report.view import build_view
from screening.server.options import ServerOptions
from screening.server.processing import Screener
from screening.server.vendor_api import VendorHttp
from screening.server.worker import Worker
from screening.server.writeback import WriteBack
from screening.store.jobs import SqliteJobs
from screening.store.jobs_api import ClaimedJob, JobStatus, NewJob
from screening.testing import signed_delivery

RESUMES = Path(__file__).parents[1] / "ingest" / "resumes" / "files"
PDF = (RESUMES / "001-elegant.pdf").read_bytes()
DOCX = (RESUMES / "046-plain-en.docx").read_bytes()
MAX_FILE = 400_000
OAUTH = {"access_token": "token-0001", "expires_in": 3600}


@pytest.fixture(scope="module")
def engine() -> Engine:
    # a generous budget: the first screening of a process may load the language model
    return Engine.build(Settings(limits=LimitsConfig(screening_seconds=300)), offline=True)


@pytest.fixture
def api() -> Iterator[FakeApi]:
    yield from running_fake_api()


def options(tmp_path: Path, api: FakeApi, vendor: str, **config: object) -> ServerOptions:
    server: dict[str, Any] = {"max_attempts": 3}
    server[vendor] = {"secret": "s", "api_key": "key-0001", "api_url": api.url, **config}
    settings = Settings.model_validate(
        {"store": {"path": str(tmp_path / "jobs.sqlite3")}, "server": server}
    )
    return ServerOptions.from_settings(settings)


def screener(engine: Engine, opts: ServerOptions, seconds: float = 5.0) -> Screener:
    http = VendorHttp(
        httpx.Client(timeout=5),
        attempts=1,
        backoff_seconds=0.0,
        max_response_bytes=100_000,
        max_file_bytes=MAX_FILE,
        file_seconds=seconds,
    )
    return Screener(engine, opts, http)


def claimed(vendor: str, body: dict[str, Any], attempts: int = 1) -> ClaimedJob:
    event = read_event(vendor, body)
    meta = {"candidate": event.candidate_ref, "event": event.event}
    return ClaimedJob(event.our_id, vendor, event.record, meta, attempts, 0.0)


def greenhouse(url: str | None) -> dict[str, Any]:
    """The documented "Application created" example, its resume link pointing at ``url``."""
    body = copy.deepcopy(payload("greenhouse-application-created"))
    attachments = body["payload"]["application"]["candidate"]["attachments"]
    for item in attachments:
        if item["type"] == "resume":
            item["url"] = url
    if url is None:
        attachments[:] = [a for a in attachments if a["type"] != "resume"]
    return body


def notes(report: dict[str, Any]) -> list[str]:
    return [n["message"] for n in report["input_notes"] if n["field"] == "resume"]


def screened(s: Screener, job: ClaimedJob) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(s.screen(job).result.report_json)
    return report


def test_greenhouse_resume_link_is_fetched_and_screened(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    api.answer("GET", "/s3/resume.pdf", (200, {"Content-Type": "application/pdf"}, PDF))
    s = screener(engine, options(tmp_path, api, "greenhouse"))
    raw, _ = s.application(claimed("greenhouse", greenhouse(api.url + "/s3/resume.pdf?X=1")))
    [resume] = [d for d in raw.documents if d.kind == "resume"]
    assert resume.format == "pdf" and "Mauricio" in resume.text
    assert resume.triage is not None and resume.triage.complete
    assert not [n for n in raw.notes if n.field == "resume"]
    assert raw.data.skills  # what the application lacked is filled from it, as check does
    [request] = api.requests
    assert "Authorization" not in request.headers  # a pre-signed link carries no credentials


def test_an_expired_greenhouse_link_is_renewed_through_harvest_v3(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    api.answer("GET", "/s3/old.docx", (403, {}, b"<Error><Code>AccessDenied</Code></Error>"))
    api.answer("POST", "/token", (200, {}, OAUTH))
    fresh = [{"url": api.url + "/s3/new.docx", "filename": "cv.docx", "type": "resume"}]
    api.answer("GET", "/v3/attachments", (200, {}, fresh))
    api.answer("GET", "/s3/new.docx", (200, {}, DOCX))
    opts = options(tmp_path, api, "greenhouse", client_id="client-1", auth_url=api.url + "/token")
    raw, _ = screener(engine, opts).application(
        claimed("greenhouse", greenhouse(api.url + "/s3/old.docx"))
    )
    [resume] = [d for d in raw.documents if d.kind == "resume"]
    assert resume.format == "docx" and resume.file_name == "cv.docx"
    listing = next(r for r in api.requests if r.path.startswith("/v3/attachments"))
    assert listing.path == "/v3/attachments?application_ids=71980812&type=resume"
    assert listing.headers["Authorization"] == "Bearer token-0001"


def test_an_expired_link_without_credentials_is_a_note_in_every_format(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    api.answer("GET", "/s3/old.pdf", (403, {}, b"expired"))
    s = screener(engine, options(tmp_path, api, "greenhouse"))
    job = claimed("greenhouse", greenhouse(api.url + "/s3/old.pdf"))
    raw, _ = s.application(job)
    view = build_view(engine.screen(raw))
    for fmt in FORMATS:  # the one-line summary names no input notes
        text = render_view(view, fmt)
        if fmt != "md-summary":
            assert "resume not read: Greenhouse" in text, fmt
            assert "expired" in text and "renew it" in text, fmt
    assert notes(screened(s, job)) == [
        "resume not read: Greenhouse's file link has expired (HTTP 403) and no Harvest v3 "
        "client credentials are configured to renew it"
    ]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ((200, {}, b"%PDF-1.7\n" + b"0" * (MAX_FILE + 1)), "larger than 400000 bytes"),
        ((200, {}, b"MZ\x90\x00" + b"\x00" * 4000), "not a PDF or DOCX document"),
        ((302, {"Location": "https://files.attacker.example/r.pdf"}, b""), "files.attacker"),
        ((404, {}, b""), "answered HTTP 404"),
        ((302, {"Location": "/s3/r.pdf"}, b""), "more than 3 redirects"),
    ],
    ids=["oversize", "wrong-type", "redirect-elsewhere", "missing", "redirect-loop"],
)
def test_refused_files_are_screened_without_them_and_noted(
    tmp_path: Path,
    api: FakeApi,
    engine: Engine,
    answer: tuple[int, dict[str, str], bytes],
    reason: str,
) -> None:
    api.answer("GET", "/s3/r.pdf", answer)
    s = screener(engine, options(tmp_path, api, "greenhouse"))
    report = screened(s, claimed("greenhouse", greenhouse(api.url + "/s3/r.pdf")))
    [note] = notes(report)
    assert note.startswith("resume not read: ") and reason in note
    assert report["read"]["name"]  # the application itself was screened
    assert {r.path for r in api.requests} == {"/s3/r.pdf"}  # nothing else was contacted


def test_a_redirect_within_the_allowed_hosts_is_followed_without_credentials(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    api.answer("GET", "/s3/old.pdf", (302, {"Location": "/s3/new.pdf"}, b""))
    api.answer("GET", "/s3/new.pdf", (200, {}, PDF))
    raw, _ = screener(engine, options(tmp_path, api, "greenhouse")).application(
        claimed("greenhouse", greenhouse(api.url + "/s3/old.pdf"))
    )
    assert [d.format for d in raw.documents if d.kind == "resume"] == ["pdf"]
    assert [r.path for r in api.requests] == ["/s3/old.pdf", "/s3/new.pdf"]


def test_an_executable_named_resume_is_still_triaged(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    api.answer("GET", "/s3/r.pdf", (200, {}, b"MZ\x90\x00" + b"\x00" * 4000))
    s = screener(engine, options(tmp_path, api, "greenhouse"))
    raw, _ = s.application(claimed("greenhouse", greenhouse(api.url + "/s3/r.pdf")))
    [triage] = raw.attachments
    assert "executables" in {i.kind for i in triage.indicators}


def test_links_to_other_hosts_are_never_contacted(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    s = screener(engine, options(tmp_path, api, "greenhouse"))
    for url, reason in [
        ("https://evil.example/resume.pdf", "evil.example is not the API or a file host"),
        ("http://prod-heroku.s3.amazonaws.com/r.pdf", "is not https"),
        ("https://prod-heroku.s3.amazonaws.com:99999/r.pdf", "is not a URL"),
        ("https://" + "a" * 300 + ".example/r.pdf", "a" * 59 + "… is not the API"),
    ]:
        raw, _ = s.application(claimed("greenhouse", greenhouse(url)))
        [note] = [n.message for n in raw.notes if n.field == "resume"]
        assert reason in note
    assert api.requests == []


def test_no_resume_at_the_vendor_is_said(tmp_path: Path, api: FakeApi, engine: Engine) -> None:
    s = screener(engine, options(tmp_path, api, "greenhouse"))
    raw, _ = s.application(claimed("greenhouse", greenhouse(None)))
    assert [n.message for n in raw.notes if n.field == "resume"] == [
        "resume not read: Greenhouse holds no resume file"
    ]


def test_a_slow_vendor_is_a_retried_job_step_then_a_note(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    api.answer("GET", "/s3/slow.pdf", (200, {}, PDF))
    api.delays[("GET", "/s3/slow.pdf")] = 0.4
    opts = options(tmp_path, api, "greenhouse")
    clock = Clock()
    store = SqliteJobs(tmp_path / "jobs.sqlite3", clock=clock)
    event = read_event("greenhouse", greenhouse(api.url + "/s3/slow.pdf"))
    meta = {"candidate": event.candidate_ref}
    store.enqueue(NewJob(event.our_id, "greenhouse", "d-1", event.record, meta), limit=10)
    s = screener(engine, opts, seconds=0.5)
    worker = Worker(store, s, WriteBack(opts, s.http), opts, "w")
    for attempt in (1, 2):
        assert worker.step()
        record = store.get(event.our_id)
        assert record is not None and record.status is JobStatus.RETRYING, attempt
        assert record.last_error is not None and "within 0.5 s" in record.last_error
        assert record.next_attempt_at is not None
        clock.now = record.next_attempt_at
    assert worker.step()  # the last attempt screens without it
    record = store.get(event.our_id)
    assert record is not None and (record.status, record.attempts) == (JobStatus.DONE, 3)
    report = json.loads(store.report(event.our_id, "json") or "{}")
    assert notes(report) == [
        f"resume not read: {api.url.removeprefix('http://')} did not deliver the file within "
        "0.5 s (resume_timeout_seconds)"
    ]
    assert "resume not read" in (store.report(event.our_id, "html") or "")


def test_a_transient_failure_fails_the_attempt(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    api.answer("GET", "/s3/r.pdf", (503, {}, b""))
    s = screener(engine, options(tmp_path, api, "greenhouse"))
    with pytest.raises(ApiError, match="503"):
        s.application(claimed("greenhouse", greenhouse(api.url + "/s3/r.pdf"), attempts=1))
    raw, _ = s.application(claimed("greenhouse", greenhouse(api.url + "/s3/r.pdf"), attempts=3))
    assert [n.message for n in raw.notes if n.field == "resume"] == [
        f"resume not read: {api.url.removeprefix('http://')} answered HTTP 503"
    ]


def test_lever_resume_comes_from_the_opportunity_resumes_endpoint(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    body = payload("lever-application-created")
    opportunity = body["data"]["opportunityId"]
    base = f"/v1/opportunities/{opportunity}"
    api.answer("GET", base, (200, {}, payload("lever-api-opportunity")))
    listing = {"data": [{"id": "res-1", "file": {"name": "cv.pdf", "ext": "pdf"}}]}
    api.answer("GET", f"{base}/resumes", (200, {}, listing))
    api.answer("GET", f"{base}/resumes/res-1/download", (200, {}, PDF))
    raw, _ = screener(engine, options(tmp_path, api, "lever")).application(claimed("lever", body))
    [resume] = [d for d in raw.documents if d.kind == "resume"]
    assert resume.file_name == "cv.pdf" and "Mauricio" in resume.text
    download = api.requests[-1]
    assert download.path == f"{base}/resumes/res-1/download"
    assert download.headers["Authorization"].startswith("Basic ")


def test_ashby_resume_comes_from_candidate_info_and_file_info(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    handle = {"id": "f-1", "name": "cv.docx", "handle": "h-1"}
    info = {"success": True, "results": {"id": "c", "resumeFileHandle": handle}}
    api.answer("POST", "/candidate.info", (200, {}, info))
    url = api.url + "/files/cv.docx?sig=1"
    api.answer("POST", "/file.info", (200, {}, {"success": True, "results": {"url": url}}))
    api.answer("GET", "/files/cv.docx", (200, {}, DOCX))
    body = payload("ashby-application-submit")
    raw, _ = screener(engine, options(tmp_path, api, "ashby")).application(claimed("ashby", body))
    [resume] = [d for d in raw.documents if d.kind == "resume"]
    assert resume.format == "docx" and resume.file_name == "cv.docx"
    assert api.requests[1].body == {"fileHandle": "h-1"}
    candidate = body["data"]["application"]["candidate"]["id"]
    assert api.requests[0].body == {"id": candidate}


def test_ashby_file_on_an_unlisted_host_is_noted_until_configured(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    handle = {"name": "cv.pdf", "handle": "h-1"}
    api.answer(
        "POST",
        "/candidate.info",
        (200, {}, {"success": True, "results": {"resumeFileHandle": handle}}),
    )
    url = "https://ashby-files.example/cv.pdf"
    api.answer("POST", "/file.info", (200, {}, {"success": True, "results": {"url": url}}))
    s = screener(engine, options(tmp_path, api, "ashby"))
    raw, _ = s.application(claimed("ashby", payload("ashby-application-submit")))
    [note] = [n.message for n in raw.notes if n.field == "resume"]
    assert "ashby-files.example is not the API or a file host of ashby" in note
    configured = options(tmp_path, api, "ashby", file_hosts=["ashby-files.example"])
    assert configured.vendors["ashby"].allowed_file_url(url) is None


def test_workable_resume_url_comes_from_the_candidate_endpoint(
    tmp_path: Path, api: FakeApi, engine: Engine
) -> None:
    body = payload("workable-candidate-created")
    candidate = body["data"]["id"]
    url = api.url + "/files/resume.pdf"
    api.answer(
        "GET", f"/spi/v3/candidates/{candidate}", (200, {}, {"candidate": {"resume_url": url}})
    )
    api.answer("GET", "/files/resume.pdf", (200, {}, PDF))
    raw, _ = screener(engine, options(tmp_path, api, "workable")).application(
        claimed("workable", body)
    )
    resumes = [d for d in raw.documents if d.kind == "resume"]
    assert [d.format for d in resumes] == ["pdf"]  # the headline text gives way to the file
    assert api.requests[0].headers["Authorization"] == "Bearer key-0001"


def test_only_vendors_with_a_documented_resume_api_fetch() -> None:
    fetching = {name for name, v in VENDORS.items() if v.fetch_resume is not None}
    assert fetching == {"greenhouse", "lever", "ashby", "workable"}
    assert VENDORS["greenhouse"].file_hosts == ("prod-heroku.s3.amazonaws.com",)


@pytest.mark.slow
def test_the_real_server_fetches_screens_and_notes_resumes(tmp_path: Path, api: FakeApi) -> None:
    api.answer("GET", "/s3/resume.pdf", (200, {"Content-Type": "application/pdf"}, PDF))
    api.answer("GET", "/s3/expired.pdf", (403, {}, b"expired"))
    config = base_config(
        tmp_path / "jobs.sqlite3",
        max_attempts=2,
        greenhouse={"api_url": api.url, "resumes": True},
    )
    env = {f"SCREENING_SERVER__{v.upper()}__SECRET": s for v, s in SECRETS.items()}
    env = {k: v for k, v in env.items() if "GREENHOUSE" in k}
    env["SCREENING_SERVER__API_TOKENS"] = TOKEN
    srv = Server(tmp_path, config, env).start()
    try:
        for app_id, link in ((1001, "/s3/resume.pdf"), (1002, "/s3/expired.pdf")):
            data = greenhouse(api.url + link)
            data["payload"]["application"]["id"] = app_id
            body, headers = signed_delivery("greenhouse", SECRETS["greenhouse"], data)
            headers["Greenhouse-Event-ID"] = f"ev-{app_id}"
            answer = srv.client.post("/webhooks/greenhouse", content=body, headers=headers)
            assert answer.status_code == 200
        read = srv.wait_status("greenhouse-1001", "done")
        assert "resume not read" not in json.dumps(read["input_notes"])
        assert any(d.get("kind") == "resume" for d in read["read"]["documents"])
        noted = srv.wait_status("greenhouse-1002", "done")
        assert notes(noted) == [
            "resume not read: Greenhouse's file link has expired (HTTP 403) and no Harvest v3 "
            "client credentials are configured to renew it"
        ]
        html = srv.client.get("/applications/greenhouse-1002/report", headers=srv.auth())
        assert "resume not read" in html.text
    finally:
        srv.stop()
