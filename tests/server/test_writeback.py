"""Write-back against a local HTTP server that checks each vendor's documented request."""

from __future__ import annotations

import base64
import dataclasses
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from serverkit import FakeApi, Recorded

from screening.config import Settings
from screening.errors import ConfigError
from screening.ingest.ats import VENDORS
from screening.ingest.ats.vendor import Access
from screening.server.links import link_problem
from screening.server.options import ServerOptions
from screening.server.vendor_api import ApiCall, ApiError, VendorHttp
from screening.server.writeback import Summary, WriteBack, note_call, note_text, summarise
from screening.store.jobs_api import WritebackTask

SUMMARY = Summary(
    id="greenhouse-71980812",
    score=68.0,
    band="high",
    next_step="Verify identity on live video with a government ID.",
    findings=3,
    not_evaluated=1,
    top=(
        ("VoIP number registered outside the claimed country", 35.0),
        ("Email domain accepts no mail", 20.0),
    ),
)


TOKEN = {"access_token": "token-0001", "token_type": "Bearer", "expires_in": 3600}


def options(tmp_path: Path, api: FakeApi, vendor: str, **extra: object) -> ServerOptions:
    oauth = {"client_id": "client-0001", "auth_url": api.url + "/token"}
    settings = Settings.model_validate(
        {
            "store": {"path": str(tmp_path / "db.sqlite3")},
            "server": {
                "public_url": "https://screening.example.com/",
                vendor: {
                    "writeback": True,
                    "api_key": "key-0001",
                    "api_url": api.url,
                    "user_id": "4080",
                    **(oauth if VENDORS[vendor].auth_url else {}),
                },
                **extra,
            },
        }
    )
    api.answer("POST", "/token", (200, {}, TOKEN))
    return ServerOptions.from_settings(settings)


def posted(api: FakeApi, path: str) -> list[Recorded]:
    """The requests to ``path`` (the OAuth token requests left out)."""
    return [r for r in api.requests if r.path.split("?")[0] == path]


def writeback(opts: ServerOptions, attempts: int = 3) -> WriteBack:
    client = httpx.Client(timeout=5)
    http = VendorHttp(client, attempts=attempts, backoff_seconds=0.0, max_response_bytes=10_000)
    return WriteBack(opts, http)


def basic(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:".encode()).decode()


def test_greenhouse_note_is_a_harvest_v3_note_with_an_oauth_token(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    fake_api.answer("POST", "/v3/notes", (201, {}, {"id": 1, "visibility": "private"}))
    wb = writeback(options(tmp_path, fake_api, "greenhouse"))
    assert wb.run("greenhouse", "60304594", SUMMARY) == "note sent"
    assert wb.run("greenhouse", "60304594", SUMMARY) == "note sent"
    token, first, second = fake_api.requests
    assert (token.method, token.path) == ("POST", "/token")
    assert (
        token.headers["Authorization"]
        == "Basic " + base64.b64encode(b"client-0001:key-0001").decode()
    )
    assert token.body == {"grant_type": "client_credentials", "sub": "4080"}
    for request in (first, second):  # the token is cached until it expires
        assert (request.method, request.path) == ("POST", "/v3/notes")
        assert request.headers["Authorization"] == "Bearer token-0001"
    body = first.body
    assert body["candidate_id"] == 60304594 and body["note_type"] == "NOTE"
    assert body["visibility"] == "private"
    text = body["body"]
    assert "score 68/100, band HIGH" in text and "not a verdict" in text
    assert "https://screening.example.com/applications/greenhouse-71980812/report" in text


def test_greenhouse_token_is_asked_again_when_the_api_answers_401(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    opts = options(tmp_path, fake_api, "greenhouse")
    second = {**TOKEN, "access_token": "token-0002"}
    fake_api.answer("POST", "/token", (200, {}, TOKEN), (200, {}, second))
    fake_api.answer("POST", "/v3/notes", (401, {}, {"error": "expired"}), (201, {}, {"id": 2}))
    assert writeback(opts).run("greenhouse", "1", SUMMARY) == "note sent"
    notes = posted(fake_api, "/v3/notes")
    assert [n.headers["Authorization"] for n in notes] == ["Bearer token-0001", "Bearer token-0002"]
    assert len(posted(fake_api, "/token")) == 2


def test_lever_note_goes_to_the_opportunity(tmp_path: Path, fake_api: FakeApi) -> None:
    path = "/v1/opportunities/250d8f03/notes"
    fake_api.answer("POST", path, (201, {}, {"data": {"noteId": "n1"}}))
    opts = options(tmp_path, fake_api, "lever")
    assert writeback(opts).run("lever", "250d8f03", SUMMARY) == "note sent"
    [request] = fake_api.requests
    assert request.path == path + "?perform_as=4080"
    assert request.headers["Authorization"] == basic("key-0001")
    assert request.body["secret"] is True and "band HIGH" in request.body["value"]


def test_ashby_note_is_candidate_create_note_and_success_is_checked(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    fake_api.answer(
        "POST",
        "/candidate.createNote",
        (200, {}, {"success": True, "results": {"id": "note-1"}}),
        (200, {}, {"success": False, "errors": ["missing_endpoint_permission"]}),
        (200, {}, b"[" * 2000 + b"]" * 2000),  # nested past any parser's stack
    )
    wb = writeback(options(tmp_path, fake_api, "ashby"))
    assert wb.run("ashby", "a1b2c3d4", SUMMARY) == "note sent"
    request = fake_api.requests[0]
    assert request.headers["Authorization"] == basic("key-0001")
    assert request.headers["Accept"] == "application/json; version=1"
    assert request.body["candidateId"] == "a1b2c3d4" and "band HIGH" in request.body["note"]
    outcome = wb.run("ashby", "a1b2c3d4", SUMMARY)
    assert outcome == "note failed: Ashby refused the note (missing_endpoint_permission)"
    outcome = wb.run("ashby", "a1b2c3d4", SUMMARY)
    assert outcome == f"note failed: {fake_api.url[7:]} answered with something that is not JSON"


def test_workable_comment_uses_a_bearer_token_and_member_id(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    path = "/spi/v3/candidates/108d1748/comments"
    fake_api.answer("POST", path, (201, {}, {"id": "c1"}))
    assert (
        writeback(options(tmp_path, fake_api, "workable")).run("workable", "108d1748", SUMMARY)
        == "note sent"
    )
    [request] = fake_api.requests
    assert request.headers["Authorization"] == "Bearer key-0001"
    assert request.body["member_id"] == "4080"
    assert "band HIGH" in request.body["comment"]["body"]


def test_rate_limits_and_server_errors_are_retried_honouring_retry_after(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    path = "/v3/notes"
    opts = options(tmp_path, fake_api, "greenhouse")
    fake_api.answer(
        "POST",
        path,
        (429, {"Retry-After": "0"}, {"error": "slow down"}),
        (503, {}, {"error": "down"}),
        (201, {}, {"id": 1}),
    )
    slept: list[float] = []
    http = VendorHttp(
        httpx.Client(timeout=5),
        attempts=4,
        backoff_seconds=0.5,
        max_response_bytes=10_000,
        sleep=slept.append,
    )
    assert WriteBack(opts, http).run("greenhouse", "1", SUMMARY) == "note sent"
    assert len(posted(fake_api, path)) == 3
    assert slept == [0.0, 1.0]  # Retry-After first, then backoff 0.5 * 2**1


def test_retries_end_and_client_errors_are_not_retried(tmp_path: Path, fake_api: FakeApi) -> None:
    wb = writeback(options(tmp_path, fake_api, "greenhouse"), attempts=3)
    fake_api.answer("POST", "/v3/notes", (500, {}, {}), (500, {}, {}), (500, {}, {}), (422, {}, {}))
    host = fake_api.url.removeprefix("http://")
    assert wb.run("greenhouse", "1", SUMMARY) == f"note failed: {host} answered HTTP 500"
    assert len(posted(fake_api, "/v3/notes")) == 3
    assert wb.run("greenhouse", "2", SUMMARY) == f"note failed: {host} answered HTTP 422"
    assert len(posted(fake_api, "/v3/notes")) == 4


def test_oversized_answers_are_not_read(fake_api: FakeApi) -> None:
    fake_api.answer("GET", "/big", (200, {}, {"data": "x" * 5000}))
    http = VendorHttp(
        httpx.Client(timeout=5), attempts=1, backoff_seconds=0, max_response_bytes=1000
    )
    with pytest.raises(ApiError, match="more than 1000 bytes"):
        http.send(ApiCall("GET", fake_api.url + "/big"))


def test_slack_alert_only_for_configured_bands_and_without_personal_data(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    fake_api.answer("POST", "/hooks/T000/B000", (200, {}, "ok"))
    settings = Settings.model_validate(
        {
            "store": {"path": str(tmp_path / "db.sqlite3")},
            "server": {"slack_webhook_url": fake_api.url + "/hooks/T000/B000"},
        }
    )
    wb = writeback(ServerOptions.from_settings(settings))
    assert not wb.wanted("greenhouse", "medium")
    assert wb.wanted("greenhouse", "critical")
    assert wb.run("greenhouse", "60304594", SUMMARY) == "alert sent"
    [request] = fake_api.requests
    assert set(request.body) == {"text"}
    assert "greenhouse-71980812" in request.body["text"] and "band high" in request.body["text"]
    assert "VoIP" not in request.body["text"]


def test_summary_comes_from_the_json_report() -> None:
    report = {
        "score": 55.0,
        "band": "high",
        "next_step": "Verify.",
        "findings": [
            {"title": "Small", "contribution": 5.0},
            {"title": "Big", "contribution": 40.0},
        ],
        "not_evaluated": [{"id": "x"}],
    }
    summary = summarise("ashby-1", report)
    assert summary.top == (("Big", 40.0), ("Small", 5.0))
    assert "No findings." in note_text(summarise("a", {"score": 0, "band": "low"}), None)


@pytest.mark.parametrize(
    ("vendor", "config", "message"),
    [
        ("greenhouse", {"writeback": True}, "needs an API key"),
        ("greenhouse", {"writeback": True, "api_key": "k"}, "client_id"),
        ("greenhouse", {"writeback": True, "api_key": "k", "client_id": "c"}, "user_id"),
        ("workable", {"writeback": True, "api_key": "k", "user_id": "m"}, "api_url"),
        ("lever", {"secret": "s"}, "ids only"),
        ("ashby", {"writeback": True, "api_key": "k", "api_url": "ftp://x"}, "expected an http"),
    ],
)
def test_half_configured_integrations_stop_the_server_at_start(
    vendor: str, config: dict[str, object], message: str
) -> None:
    settings = Settings.model_validate({"server": {vendor: config}})
    with pytest.raises(ConfigError, match=message):
        ServerOptions.from_settings(settings)


def values(data: object) -> list[str]:
    """Every string in a JSON document (where a vendor's format puts the note's text)."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [v for item in data.values() for v in values(item)]
    if isinstance(data, list):
        return [v for item in data for v in values(item)]
    return []


@pytest.mark.parametrize("vendor", [n for n, v in VENDORS.items() if v.note is not None])
def test_every_vendor_note_carries_the_whole_wording_in_its_format(vendor: str) -> None:
    link = "https://screening.example.com/applications/x/report?expires=1&signature=ab"
    text = note_text(SUMMARY, link)
    for private in (True, False):
        access = Access(vendor, api_key="k", api_url="https://api.example", user_id="7")
        access = dataclasses.replace(access, note_private=private)
        call = note_call(access, "cand-1", text)
        assert call.url.startswith("https://api.example/") and call.method == "POST"
        assert text in values(call.json), "the note text is one field, unchanged"
        assert "cand-1" in call.url or "cand-1" in values(call.json)
    documented_private = {
        "greenhouse": ("visibility", "private"),
        "lever": ("secret", True),
        "recruitee": ("note", {"body": text, "visibility": {"level": "private"}}),
    }
    if vendor in documented_private:
        key, value = documented_private[vendor]
        private_call = note_call(Access(vendor, api_url="https://api.example"), "c", text)
        assert isinstance(private_call.json, dict) and private_call.json[key] == value


def test_notes_start_at_the_minimum_band_and_links_open_without_a_token(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    opts = options(tmp_path, fake_api, "greenhouse", link_secret="link-key-0001")
    fake_api.answer("POST", "/v3/notes", (201, {}, {"id": 1}))
    wb = writeback(opts)
    low = dataclasses.replace(SUMMARY, band="low")
    assert not wb.wanted("greenhouse", "low") and wb.run("greenhouse", "60304594", low) == ""
    assert fake_api.requests == []
    assert wb.wanted("greenhouse", "medium")
    assert wb.run("greenhouse", "60304594", SUMMARY) == "note sent"
    text = posted(fake_api, "/v3/notes")[0].body["body"]
    [link] = [line.split(": ", 1)[1] for line in text.splitlines() if line.startswith("Full")]
    query = parse_qs(urlsplit(link).query)
    assert link.startswith("https://screening.example.com/applications/greenhouse-71980812/report?")
    expires, signature = query["expires"][0], query["signature"][0]
    key = opts.link_key
    now = time.time()
    assert link_problem(key, SUMMARY.id, expires, signature, now) == ""
    assert "expired" in link_problem(key, SUMMARY.id, expires, signature, now + 31 * 86400)
    assert "not valid" in link_problem(key, "greenhouse-1", expires, signature, now)
    assert "not valid" in link_problem(key, SUMMARY.id, str(int(expires) + 1), signature, now)


@pytest.mark.parametrize("listed", [True, False])
def test_a_lever_retry_looks_for_its_note_before_posting_it_again(
    tmp_path: Path, fake_api: FakeApi, listed: bool
) -> None:
    """A try after an interrupted one lists the opportunity's notes (Lever "List all notes"):
    a note carrying this screening's reference line is not posted again; when the listing
    fails, the note is posted (at worst twice, never withheld)."""
    path = "/v1/opportunities/250d8f03/notes"
    earlier = {"fields": [{"type": "note", "value": note_text(SUMMARY, None)}]}
    if listed:
        fake_api.answer("GET", path, (200, {}, {"data": [{"fields": []}, earlier]}))
    else:
        fake_api.answer("GET", path, (403, {}, {"code": "Forbidden"}))
    fake_api.answer("POST", path, (201, {}, {"data": {"noteId": "n2"}}))
    wb = writeback(options(tmp_path, fake_api, "lever"))
    step = wb.result_step("lever", "high", SUMMARY, "250d8f03")
    assert step is not None
    task = WritebackTask(SUMMARY.id, "lever", "250d8f03", step, attempts=2, outcome=None)
    assert wb.perform(task) == ("note sent", True)
    [listing, *posts] = fake_api.requests
    assert (listing.method, listing.path) == ("GET", path + "?limit=100")
    assert len(posts) == (0 if listed else 1)
    first = dataclasses.replace(task, attempts=1)  # a first try never lists
    fake_api.requests.clear()
    assert wb.perform(first) == ("note sent", True)
    assert [r.method for r in fake_api.requests] == ["POST"]
