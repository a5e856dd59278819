"""``screening serve`` on loopback, spoken to over HTTP like an ATS and a reviewer's tool would.

One server (with every vendor configured, a fake vendor API for Lever fetches and Greenhouse
write-back, and a fake Slack webhook) serves most tests; the queue bound and durability across
a restart get servers of their own.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from serverkit import (
    SCREENING,
    SECRETS,
    TOKEN,
    FakeApi,
    Server,
    base_config,
    children,
    payload,
    secrets_env,
)

from screening.ingest.ats import VENDORS
from screening.testing import signed_delivery

pytestmark = pytest.mark.slow  # a real server in a subprocess per test module

GH_NOTE = "/v3/notes"
GH_TOKEN = {"access_token": "harvest-token-0001", "expires_in": 3600}
SLACK = "/hooks/T000/B000"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, module_fake_api: FakeApi) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    api = module_fake_api
    opportunity = payload("lever-api-opportunity")
    api.answer(
        "GET", "/v1/opportunities/250d8f03-738a-4bba-a671-8a3d73477145", (200, {}, opportunity)
    )
    api.answer("GET", "/v1/opportunities/opp-missing", (404, {}, {"code": "NotFound"}))
    api.answer("GET", "/v1/opportunities/opp-down", (503, {}, {"code": "Unavailable"}))
    api.answer("POST", GH_NOTE, (201, {}, {"id": 1}))
    api.answer("POST", "/token", (200, {}, GH_TOKEN))
    api.answer("GET", "/candidates/cid", (200, {}, payload("smartrecruiters-api-candidate")))
    tt_application = payload("teamtailor-api-job-application")
    api.answer("GET", "/v1/job-applications/40412345", (200, {}, tt_application))
    api.answer("POST", "/v1/notes", (201, {}, {"data": {"id": "1", "type": "notes"}}))
    recruitee = payload("recruitee-api-candidate")
    api.answer("GET", "/c/12345/candidates/98765432", (200, {}, recruitee))
    api.answer("POST", SLACK, (200, {}, "ok"))
    config = base_config(
        tmp / "jobs.sqlite3",
        max_body_bytes=20_000,
        max_attempts=2,
        writeback_attempts=2,
        public_url="https://screening.example.com",
        greenhouse={
            "writeback": True,
            "api_url": api.url,
            "client_id": "harvest-client-0001",
            "auth_url": api.url + "/token",
            "user_id": "4080",
            "note_min_band": "low",
        },
        lever={"api_url": api.url},
        smartrecruiters={"api_url": api.url},
        teamtailor={"api_url": api.url, "writeback": True, "user_id": "42", "note_min_band": "low"},
        recruitee={"api_url": api.url + "/c/12345"},
    )
    env = {
        **secrets_env(),
        "SCREENING_SERVER__GREENHOUSE__API_KEY": "harvest-key-0001",
        "SCREENING_SERVER__LEVER__API_KEY": "lever-key-0001",
        "SCREENING_SERVER__SMARTRECRUITERS__API_KEY": "sr-key-0001",
        "SCREENING_SERVER__TEAMTAILOR__API_KEY": "tt-key-0001",
        "SCREENING_SERVER__RECRUITEE__API_KEY": "recruitee-key-0001",
        "SCREENING_SERVER__RECRUITEE__API_URL": api.url + "/c/12345",
        "SCREENING_SERVER__SLACK_WEBHOOK_URL": api.url + SLACK,
    }
    srv = Server(tmp, config, env).start()
    yield srv
    srv.stop()


def deliver(server: Server, vendor: str, data: dict[str, Any], **headers: str) -> Any:
    body, signed = signed_delivery(vendor, SECRETS[vendor], data)
    return server.client.post(f"/webhooks/{vendor}", content=body, headers={**signed, **headers})


# per vendor: its documented example, our id, the applicant's name, the documented success status
FIXTURES = {
    "greenhouse": ("greenhouse-application-created", "greenhouse-71980812", "Jane Smith", 200),
    "ashby": (
        "ashby-application-submit",
        "ashby-d2b0f3a4-6c1e-4b8f-9a2d-3e4f5a6b7c8d",
        "Jane Smith",
        202,
    ),
    "workable": ("workable-candidate-created", "workable-108d1748", "Cindy Sawyers", 200),
    "lever": (
        "lever-application-created",
        "lever-e0a4b3e4-0d45-4b7c-9a8e-2f1f6c7d8e90",
        "Shane Smith",
        202,
    ),
    "smartrecruiters": (
        "smartrecruiters-application-created",
        "smartrecruiters-cid.jid",
        "Jane Smith",
        202,
    ),
    "teamtailor": ("teamtailor-job-application-create", "teamtailor-40412345", "Jane Smith", 202),
    "recruitee": ("recruitee-candidate-created", "recruitee-98765432", "Jane Smith", 200),
}


def test_every_vendor_in_the_table_has_an_end_to_end_case() -> None:
    assert set(FIXTURES) == set(VENDORS)


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_a_vendor_delivery_is_acknowledged_then_screened_and_retrievable(
    server: Server, vendor: str
) -> None:
    name, app_id, person, status = FIXTURES[vendor]
    response = deliver(server, vendor, payload(name), **{"Greenhouse-Event-ID": f"ev-{vendor}"})
    assert response.json() == {"id": app_id, "status": "queued"}
    assert response.status_code == status
    report = server.wait_status(app_id, "done")
    assert report["schema"] == "screening/report@1"
    assert report["application"]["id"] == app_id
    assert report["application"]["name"] == person
    assert report["application"]["source"] == vendor
    html = server.client.get(f"/applications/{app_id}/report", headers=server.auth())
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "script-src" not in html.headers["content-security-policy"]
    assert html.headers["content-security-policy"].startswith("default-src 'none'")
    assert html.headers["cache-control"] == "no-store"
    assert person in html.text


def test_setup_requests_are_answered_as_each_vendor_requires(server: Server) -> None:
    activation = server.client.post(
        "/webhooks/smartrecruiters", content=b"", headers={"X-Hook-Secret": "hook-0001"}
    )
    assert activation.status_code == 200 and activation.headers["x-hook-secret"] == "hook-0001"
    test = server.client.post("/webhooks/recruitee", content=b'{"test":true}')
    assert test.status_code == 200 and test.json()["status"] == "ignored"
    unsigned = server.client.post("/webhooks/recruitee", content=b'{"test":true,"id":1}')
    assert unsigned.status_code == 401


def test_smartrecruiters_gets_202_for_a_duplicate_too(
    server: Server, module_fake_api: FakeApi
) -> None:
    data = payload("smartrecruiters-application-created")
    data["candidate_id"] = "cid-dup"
    # the candidate exists at the vendor, so the first job cannot fail before the redelivery
    # (a redelivery of a *failed* job replaces it, by design, and would answer "queued")
    candidate = payload("smartrecruiters-api-candidate")
    module_fake_api.answer("GET", "/candidates/cid-dup", (200, {}, candidate))
    first = deliver(server, "smartrecruiters", data)
    again = deliver(server, "smartrecruiters", data)
    assert (first.status_code, first.json()["status"]) == (202, "queued")
    assert (again.status_code, again.json()["status"]) == (202, "duplicate")
    server.wait_status(first.json()["id"], "done")


def test_thin_payloads_are_fetched_from_the_configured_api_with_its_credentials(
    server: Server, module_fake_api: FakeApi
) -> None:
    deliver(server, "smartrecruiters", payload("smartrecruiters-application-created"))
    deliver(server, "recruitee", payload("recruitee-candidate-created"))
    server.wait_status("smartrecruiters-cid.jid", "done")
    server.wait_status("recruitee-98765432", "done")
    requests = {r.path: r for r in module_fake_api.requests}
    assert requests["/candidates/cid"].headers["X-SmartToken"] == "sr-key-0001"
    recruitee = requests["/c/12345/candidates/98765432"]
    assert recruitee.headers["Authorization"] == "Bearer recruitee-key-0001"


def test_teamtailor_note_goes_to_the_candidate_the_fetch_named(
    server: Server, module_fake_api: FakeApi
) -> None:
    deliver(server, "teamtailor", payload("teamtailor-job-application-create"))
    server.wait_status("teamtailor-40412345", "done")
    deadline = time.monotonic() + 10
    notes: list[Any] = []
    while not notes and time.monotonic() < deadline:
        notes = [r for r in module_fake_api.requests if r.path == "/v1/notes"]
        time.sleep(0.05)
    note = notes[0]
    assert note.headers["Authorization"] == "Token token=tt-key-0001"
    assert note.headers["X-Api-Version"] and note.headers["Content-Type"].startswith(
        "application/vnd.api+json"
    )
    relationships = note.body["data"]["relationships"]
    assert relationships["candidate"]["data"]["id"] == "7654321"
    assert relationships["user"]["data"]["id"] == "42"
    fetches = [r for r in module_fake_api.requests if r.path.startswith("/v1/job-applications/")]
    assert fetches[0].path == "/v1/job-applications/40412345?include=candidate"


def test_greenhouse_write_back_posts_a_harvest_note(
    server: Server, module_fake_api: FakeApi
) -> None:
    deliver(
        server,
        "greenhouse",
        payload("greenhouse-application-created"),
        **{"Greenhouse-Event-ID": "ev-greenhouse"},
    )
    report = server.wait_status("greenhouse-71980812", "done")
    deadline = time.monotonic() + 10
    notes: list[Any] = []
    while not notes and time.monotonic() < deadline:
        notes = [r for r in module_fake_api.requests if r.path == GH_NOTE]
        time.sleep(0.05)
    [note] = notes
    assert note.method == "POST"
    assert note.headers["Authorization"] == "Bearer harvest-token-0001"  # Harvest v3 OAuth
    assert note.body["candidate_id"] == 60304594 and note.body["visibility"] == "private"
    assert f"score {report['score']:g}/100" in note.body["body"]
    link = "https://screening.example.com/applications/greenhouse-71980812/report?"
    assert link in note.body["body"]
    signed = [w for w in note.body["body"].split() if w.startswith(link)]
    assert signed, note.body["body"]
    signed = signed[0]
    relative = signed.removeprefix("https://screening.example.com")
    opened = httpx.get(str(server.client.base_url).rstrip("/") + relative)  # a browser: no token
    assert opened.status_code == 200 and "Jane Smith" in opened.text
    assert opened.headers["content-security-policy"].startswith("default-src 'none'")
    forged = httpx.get(
        str(server.client.base_url).rstrip("/") + relative.replace("signature=", "signature=0")
    )
    assert forged.status_code == 403
    other = httpx.get(
        str(server.client.base_url).rstrip("/") + relative.replace("71980812", "71980813")
    )
    assert other.status_code == 403
    assert (
        httpx.get(str(server.client.base_url).rstrip("/") + relative.split("?")[0]).status_code
        == 401
    )
    assert server.wait_status("greenhouse-71980812", "done")["writeback"] == "note sent"


def test_a_redelivered_webhook_is_screened_once(server: Server) -> None:
    data = payload("workable-candidate-created")
    data["id"] = data["data"]["id"] = "dup0001"
    first = deliver(server, "workable", data)
    again = deliver(server, "workable", data)
    assert first.json() == {"id": "workable-dup0001", "status": "queued"}
    assert again.json() == {"id": "workable-dup0001", "status": "duplicate"}
    server.wait_status("workable-dup0001", "done")
    assert deliver(server, "workable", data).json()["status"] == "duplicate"
    # the third delivery (the second duplicate) is logged after the screening ended
    logs = server.wait_log('"status": "duplicate"', '"workable-dup0001"', count=2)
    done = [
        line
        for line in logs.splitlines()
        if '"event": "done"' in line and '"workable-dup0001"' in line
    ]
    assert len(done) == 1


@pytest.mark.parametrize("vendor", ["greenhouse", "ashby", "workable"])
def test_a_bad_or_missing_signature_is_401_and_nothing_is_queued(
    server: Server, vendor: str
) -> None:
    data = payload(FIXTURES[vendor][0])
    if vendor == "greenhouse":
        data["payload"]["application"]["id"] = 555001
    elif vendor == "ashby":
        data["data"]["application"]["id"] = "forged-1"
    else:
        data["data"]["id"] = "forged1"
    body, headers = signed_delivery(vendor, "not-the-secret", data)
    forged = server.client.post(f"/webhooks/{vendor}", content=body, headers=headers)
    assert forged.status_code == 401 and "does not match" in forged.json()["error"]
    bare = server.client.post(f"/webhooks/{vendor}", content=body)
    assert bare.status_code == 401 and "missing" in bare.json()["error"]
    our_id = {
        "greenhouse": "greenhouse-555001",
        "ashby": "ashby-forged-1",
        "workable": "workable-forged1",
    }[vendor]
    assert server.client.get(f"/applications/{our_id}", headers=server.auth()).status_code == 404


def test_lever_signature_and_freshness_are_checked(server: Server) -> None:
    data = payload("lever-application-created")
    stale, _ = signed_delivery("lever", SECRETS["lever"], data, now=time.time() - 2 * 86400)
    response = server.client.post("/webhooks/lever", content=stale)
    assert response.status_code == 401 and "stale delivery" in response.json()["error"]
    forged, _ = signed_delivery("lever", "wrong-token", data)
    assert server.client.post("/webhooks/lever", content=forged).status_code == 401


def test_a_lever_redelivery_after_an_hour_long_outage_is_accepted_once(server: Server) -> None:
    data = payload("lever-application-created")
    # an opportunity Lever's API serves: the job ends done (a redelivery of a job that failed
    # is queued again on purpose, so a failing fetch would make this test race the worker)
    data["data"] = {**data["data"], "applicationId": "late-1"}
    late, _ = signed_delivery("lever", SECRETS["lever"], data, now=time.time() - 3600)
    first = server.client.post("/webhooks/lever", content=late)
    assert (first.status_code, first.json()["status"]) == (202, "queued")
    again = server.client.post("/webhooks/lever", content=late)
    assert (again.status_code, again.json()["status"]) == (200, "duplicate")


def test_deletions_at_the_vendor_erase_the_applicant_as_delete_does(server: Server) -> None:
    def apply(app_id: int, candidate_id: int) -> str:
        data = payload("greenhouse-application-created")
        data["payload"]["application"]["id"] = app_id
        data["payload"]["application"]["candidate"]["id"] = candidate_id
        deliver(server, "greenhouse", data, **{"Greenhouse-Event-ID": f"ev-apply-{app_id}"})
        server.wait_status(f"greenhouse-{app_id}", "done")
        return f"greenhouse-{app_id}"

    def gone(our_id: str) -> bool:
        answer = server.client.get(f"/applications/{our_id}", headers=server.auth())
        return answer.status_code == 404

    one, two, three = apply(46194062, 37031511), apply(46196263, 37031511), apply(900001, 900)
    deleted = deliver(server, "greenhouse", payload("greenhouse-delete-application"))
    assert deleted.status_code == 200
    assert deleted.json() == {
        "id": None,
        "status": "erased",
        "event": "delete_application",
        "count": 1,
    }
    assert gone(one) and not gone(two)
    anonymised = deliver(server, "greenhouse", payload("greenhouse-candidate-anonymized"))
    assert anonymised.json()["count"] == 1 and gone(two) and not gone(three)
    again = deliver(server, "greenhouse", payload("greenhouse-delete-candidate"))
    assert (again.status_code, again.json()["count"]) == (200, 0)
    audit = [line for line in server.logs().splitlines() if '"event": "forgotten"' in line]
    assert any(one in line and "greenhouse delete_application" in line for line in audit)
    assert any(two in line and "greenhouse candidate_anonymized" in line for line in audit)


def test_an_oversized_body_is_413_before_it_is_read(server: Server) -> None:
    big = b'{"action": "new_candidate_application", "pad": "' + b"x" * 30_000 + b'"}'
    declared = server.client.post("/webhooks/greenhouse", content=big)
    assert declared.status_code == 413 and "20000" in declared.json()["error"]

    def chunks() -> Iterator[bytes]:
        for _ in range(30):
            yield b"x" * 1000

    streamed = server.client.post("/webhooks/ashby", content=chunks())
    assert streamed.status_code == 413


def test_malformed_json_is_400_with_a_reason(server: Server) -> None:
    body = b'{"action": "new_candidate_application", "payload": '
    digest = hmac.new(SECRETS["greenhouse"].encode(), body, hashlib.sha256).hexdigest()
    response = server.client.post(
        "/webhooks/greenhouse", content=body, headers={"Signature": f"sha256 {digest}"}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("not valid JSON")
    assert server.client.post("/webhooks/lever", content=b"[1, 2").status_code == 400
    array = server.client.post("/webhooks/lever", content=b"[1, 2]")
    assert (
        array.status_code == 400 and array.json()["error"] == "expected a JSON object, got an array"
    )


def test_a_broken_envelope_is_400_naming_the_field(server: Server) -> None:
    data = {"action": "new_candidate_application", "payload": {"application": {"id": 1}}}
    response = deliver(server, "greenhouse", data)
    assert response.status_code == 400
    assert "payload.application.candidate" in response.json()["error"]


def test_unknown_events_are_ignored_and_logged(server: Server) -> None:
    ping = deliver(server, "greenhouse", {"action": "ping", "payload": {"web_hook_id": 7}})
    assert ping.status_code == 200
    assert ping.json() == {"id": None, "status": "ignored", "event": "ping"}
    ashby = deliver(server, "ashby", {"action": "ping", "data": {}})
    assert ashby.status_code == 202 and ashby.json()["status"] == "ignored"
    server.wait_log('"type": "ping", "status": "ignored"')


def test_the_native_endpoint_needs_a_token_and_a_valid_application(server: Server) -> None:
    app = {"id": "ref-0001", "name": "Lena Example", "emails": ["lena@example.org"]}
    body = json.dumps(app).encode()
    assert server.client.post("/applications", content=body).status_code == 401
    wrong = server.client.post(
        "/applications", content=body, headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    accepted = server.client.post("/applications", content=body, headers=server.auth())
    assert accepted.status_code == 202
    assert accepted.json() == {"id": "native-ref-0001", "status": "queued"}
    unauthorized = server.client.get("/applications/native-ref-0001")
    assert unauthorized.status_code == 401
    assert unauthorized.json() == {"error": "a bearer token is required"}
    assert unauthorized.headers["www-authenticate"] == "Bearer"
    report = server.wait_status("native-ref-0001", "done")
    assert report["application"]["name"] == "Lena Example"
    bad = {"name": "Lena Example", "emial": ["x@example.org"], "resume": {"path": "/etc/passwd"}}
    refused = server.client.post(
        "/applications", content=json.dumps(bad).encode(), headers=server.auth()
    )
    assert refused.status_code == 422
    fields = [p["field"] for p in refused.json()["problems"]]
    assert fields == ["emial"]
    path_only = {"name": "Lena Example", "resume": {"path": "/etc/passwd"}}
    refused = server.client.post(
        "/applications", content=json.dumps(path_only).encode(), headers=server.auth()
    )
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "resume.path"


def test_applications_that_cannot_be_screened_are_dead_with_the_reason(server: Server) -> None:
    data = payload("greenhouse-application-created")
    data["payload"]["application"]["id"] = 555002
    data["payload"]["application"]["candidate"]["educations"][0]["end_date"] = "13/45/2011"
    assert deliver(server, "greenhouse", data, **{"Greenhouse-Event-ID": "ev-dead"}).json() == {
        "id": "greenhouse-555002",
        "status": "queued",
    }
    dead = server.wait_status("greenhouse-555002", "failed")
    assert "education[0].end" in dead["error"] and dead["attempts"] == 1
    report = server.client.get("/applications/greenhouse-555002/report", headers=server.auth())
    assert report.status_code == 409 and report.json()["status"] == "failed"
    # kept, listed, counted by reason and retryable
    assert server.client.get("/jobs?status=failed").status_code == 401
    listed = server.client.get("/jobs?status=failed", headers=server.auth()).json()["jobs"]
    row = next(j for j in listed if j["id"] == "greenhouse-555002")
    assert row["reason"] == "invalid_payload" and "education[0].end" in row["error"]
    metrics = server.client.get("/metrics").text
    assert re.search(
        r'^screening_job_failures_total\{reason="invalid_payload"\} [1-9]', metrics, re.M
    )
    again = server.client.post("/jobs/greenhouse-555002/retry", headers=server.auth())
    assert again.json() == {"requeued": 1}
    failed_again = server.wait_status("greenhouse-555002", "failed")
    assert failed_again["attempts"] == 1  # attempts start again from zero
    missing = server.client.post("/jobs/no-such-job/retry", headers=server.auth())
    assert missing.status_code == 404


def test_vendor_api_failures_are_retried_then_dead_lettered(server: Server) -> None:
    data = payload("lever-application-created")
    missing = {
        **data,
        "token": "t-missing",
        "data": {"applicationId": "app-missing", "opportunityId": "opp-missing"},
    }
    down = {
        **data,
        "token": "t-down",
        "data": {"applicationId": "app-down", "opportunityId": "opp-down"},
    }
    assert deliver(server, "lever", missing).json()["status"] == "queued"
    assert deliver(server, "lever", down).json()["status"] == "queued"
    gone = server.wait_status("lever-app-missing", "failed")
    assert gone["attempts"] == 1 and "HTTP 404" in gone["error"]
    gave_up = server.wait_status("lever-app-down", "failed")
    assert gave_up["attempts"] == 2 and gave_up["error"].startswith("gave up after 2 attempts")
    assert "HTTP 503" in gave_up["error"]


def test_an_application_can_be_forgotten(server: Server) -> None:
    body = json.dumps({"id": "forget-me", "name": "Remy Example"}).encode()
    server.client.post("/applications", content=body, headers=server.auth())
    server.wait_status("native-forget-me", "done")
    assert server.client.delete("/applications/native-forget-me").status_code == 401
    gone = server.client.delete("/applications/native-forget-me", headers=server.auth())
    assert gone.status_code == 204
    after = server.client.get("/applications/native-forget-me", headers=server.auth())
    assert after.status_code == 404 and after.json() == {"error": "no application with this id"}
    # the worker recorded it in the history behind reuse detection; that record is gone too
    db = next(server.tmp.glob("*.sqlite3"))
    with sqlite3.connect(db) as conn:
        left = conn.execute(
            "SELECT count(*) FROM history_applications WHERE application_id = ?",
            ("native-forget-me",),
        ).fetchone()[0]
    assert left == 0


@pytest.mark.parametrize("vendor", ["workable", "greenhouse"])
def test_an_erased_applicant_stays_erased_when_the_vendor_retries(
    server: Server, vendor: str
) -> None:
    name = {
        "workable": "workable-candidate-created",
        "greenhouse": "greenhouse-application-created",
    }
    data = payload(name[vendor])
    event = {"Greenhouse-Event-ID": f"ev-erase-{vendor}"}
    first = deliver(server, vendor, data, **event)
    app_id = first.json()["id"]
    server.wait_status(app_id, "done")
    assert server.client.delete(f"/applications/{app_id}", headers=server.auth()).status_code == 204
    # the vendor's ordinary retry of the same delivery, and a replay with a new delivery id
    for headers in (event, {"Greenhouse-Event-ID": f"ev-erase-{vendor}-replay"}):
        again = deliver(server, vendor, data, **headers)
        assert again.status_code == 200
        assert again.json() == {"id": app_id, "status": "erased"}
    time.sleep(0.5)
    assert server.client.get(f"/applications/{app_id}", headers=server.auth()).status_code == 404
    db = next(server.tmp.glob("*.sqlite3"))
    with sqlite3.connect(db) as conn:
        left = conn.execute(
            "SELECT count(*) FROM history_applications WHERE application_id = ?", (app_id,)
        ).fetchone()[0]
        stored = conn.execute("SELECT count(*) FROM history_tombstones").fetchone()[0]
        raw = b"".join(bytes(k) for (k,) in conn.execute("SELECT key FROM history_tombstones"))
    assert left == 0
    assert stored >= 2 and app_id.encode() not in raw  # keyed digests, never the id itself


def test_a_resubmission_under_a_new_vendor_id_is_screened_normally(server: Server) -> None:
    body = json.dumps({"id": "erase-then-new", "name": "Remy Example"}).encode()
    server.client.post("/applications", content=body, headers=server.auth())
    server.wait_status("native-erase-then-new", "done")
    server.client.delete("/applications/native-erase-then-new", headers=server.auth())
    again = server.client.post("/applications", content=body, headers=server.auth())
    assert again.json()["status"] == "erased"
    fresh = json.dumps({"id": "erase-then-new-2", "name": "Remy Example"}).encode()
    assert (
        server.client.post("/applications", content=fresh, headers=server.auth()).json()["status"]
        == "queued"
    )
    server.wait_status("native-erase-then-new-2", "done")


def test_health_metrics_and_openapi(server: Server) -> None:
    deliver(server, "ashby", {"action": "ping", "data": {}})
    assert server.client.get("/healthz").json() == {"status": "ok", "workers": 1}
    metrics = server.client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
    text = metrics.text
    for status in ("queued", "running", "retrying", "done", "failed"):
        assert re.search(rf'^screening_jobs\{{status="{status}"\}} \d+$', text, re.M)
    assert re.search(
        r'^screening_deliveries_total\{receiver="ashby",outcome="ignored"\} [1-9]', text, re.M
    )
    assert "screening_ack_seconds_bucket" in text and "screening_job_latency_seconds_count" in text
    assert re.search(r"^screening_queue_oldest_seconds \d", text, re.M)
    assert server.client.get("/readyz").json() == {"status": "ready", "workers": 1}
    spec = server.client.get("/openapi.json").json()
    assert {
        "/webhooks/greenhouse",
        "/webhooks/lever",
        "/webhooks/ashby",
        "/webhooks/workable",
        "/applications",
        "/applications/{app_id}",
        "/applications/{app_id}/report",
        "/healthz",
        "/metrics",
    } <= set(spec["paths"])
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_logs_are_json_lines_without_personal_data(server: Server) -> None:
    person = {
        "id": "logcheck-1",
        "name": "Quentin Logtest",
        "emails": ["quentin.logtest@example.org"],
        "phones": ["+1 555 010 7788"],
        "date_of_birth": "1990-04-02",
    }
    server.client.post("/applications", content=json.dumps(person).encode(), headers=server.auth())
    data = payload("greenhouse-application-created")
    data["payload"]["application"]["id"] = 555003
    candidate = data["payload"]["application"]["candidate"]
    candidate["first_name"], candidate["last_name"] = "Ottilie", "Logprobe"
    candidate["email_addresses"] = [{"value": "ottilie.logprobe@example.net", "type": "personal"}]
    candidate["educations"][0]["end_date"] = "99/99/2011"  # dead: the reason quotes the value
    deliver(server, "greenhouse", data, **{"Greenhouse-Event-ID": "ev-logs"})
    server.wait_status("native-logcheck-1", "done")
    server.wait_status("greenhouse-555003", "failed")
    logs = server.wait_log('"event": "failed"', '"greenhouse-555003"')
    for secret_value in (
        "Quentin",
        "Logtest",
        "quentin.logtest",
        "555 010 7788",
        "1990-04-02",
        "Ottilie",
        "Logprobe",
        "ottilie.logprobe",
        "99/99/2011",
        "harvest-key-0001",
        TOKEN,
    ):
        assert secret_value.lower() not in logs.lower()
    lines = [json.loads(line) for line in logs.splitlines() if line.strip()]
    assert {"ts", "level", "logger"} <= set(lines[-1])
    assert any(r.get("event") == "failed" and r.get("id") == "greenhouse-555003" for r in lines)


def receivers_without_api_env() -> dict[str, str]:
    """Secrets of the vendors that need no API key (thin-payload vendors need one to start)."""
    fetching = [f"__{name.upper()}__" for name, vendor in VENDORS.items() if vendor.fetch]
    return {k: v for k, v in secrets_env().items() if not any(n in k for n in fetching)}


def start_server(tmp: Path, *args: str, **server: object) -> Server:
    env = receivers_without_api_env()
    return Server(tmp, base_config(tmp / "jobs.sqlite3", **server), env).start(*args)


def test_a_full_queue_answers_503_with_retry_after(tmp_path: Path) -> None:
    srv = start_server(tmp_path, workers=0, queue_size=2)
    try:
        for n in range(2):
            app = {"id": f"q{n}", "name": "Queue Example"}
            ok = srv.client.post(
                "/applications", content=json.dumps(app).encode(), headers=srv.auth()
            )
            assert ok.json()["status"] == "queued"
        full = srv.client.post(
            "/applications", content=b'{"id": "q2", "name": "Queue Example"}', headers=srv.auth()
        )
        assert full.status_code == 503 and full.headers["retry-after"] == "30"
        assert srv.client.get("/applications/native-q2", headers=srv.auth()).status_code == 404
        again = srv.client.post(
            "/applications", content=b'{"id": "q0", "name": "Queue Example"}', headers=srv.auth()
        )
        assert again.json() == {"id": "native-q0", "status": "duplicate"}
        assert srv.client.get("/healthz").json() == {"status": "ok", "workers": 0}
    finally:
        srv.stop()


def test_a_job_accepted_before_a_crash_is_screened_after_the_restart(tmp_path: Path) -> None:
    srv = start_server(tmp_path, workers=0)
    response = deliver(
        srv,
        "greenhouse",
        payload("greenhouse-application-created"),
        **{"Greenhouse-Event-ID": "ev-crash"},
    )
    assert response.json() == {"id": "greenhouse-71980812", "status": "queued"}
    assert srv.wait_status("greenhouse-71980812", "queued")["attempts"] == 0
    srv.stop(signal.SIGKILL)  # a crash: no shutdown at all
    srv.start("--workers", "1")
    try:
        report = srv.wait_status("greenhouse-71980812", "done")
        assert report["application"]["name"] == "Jane Smith"
        again = deliver(
            srv,
            "greenhouse",
            payload("greenhouse-application-created"),
            **{"Greenhouse-Event-ID": "ev-crash"},
        )
        assert again.json()["status"] == "duplicate"
    finally:
        srv.stop()


def test_a_killed_worker_is_replaced_and_its_job_still_screened(tmp_path: Path) -> None:
    srv = start_server(tmp_path, workers=1)
    assert srv.proc is not None
    [worker] = worker_pids(srv.proc.pid)
    os.kill(worker, signal.SIGKILL)
    response = deliver(srv, "workable", payload("workable-candidate-created"))
    assert response.json()["status"] == "queued"
    report = srv.wait_status("workable-108d1748", "done")
    assert report["application"]["name"] == "Cindy Sawyers"
    assert '"event": "worker-died"' in srv.logs()
    [replacement] = worker_pids(srv.proc.pid)
    assert replacement != worker
    srv.stop()  # a graceful stop ends the workers too
    assert not (Path("/proc") / str(replacement)).exists()


def worker_pids(server: int, timeout: float = 20.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in children(server) if "spawn_main" in cmdline(p)]
        if found:
            return found
        time.sleep(0.1)
    return []


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def test_failed_jobs_from_the_command_line_and_one_server_per_sqlite_file(tmp_path: Path) -> None:
    srv = start_server(tmp_path, workers=1, max_attempts=1)
    try:
        data = payload("greenhouse-application-created")
        data["payload"]["application"]["id"] = 555009
        data["payload"]["application"]["candidate"]["educations"][0]["end_date"] = "13/45/2011"
        assert deliver(srv, "greenhouse", data).json()["status"] == "queued"
        srv.wait_status("greenhouse-555009", "failed")
        db = tmp_path / "jobs.sqlite3"
        assert db.stat().st_mode & 0o777 == 0o600  # reports about people: owner only
        # a second server on the same file is refused with a clear message
        (tmp_path / "second").mkdir()
        env = receivers_without_api_env()
        second = Server(tmp_path / "second", base_config(db), env)
        with pytest.raises(AssertionError, match="already using"):
            second.start()
        cli = [str(SCREENING), "jobs"]
        conf = ["--config", str(srv.config)]
        listed = subprocess.run(
            [*cli, "list", "--status", "failed", "--format", "json", *conf],
            capture_output=True,
            text=True,
            check=True,
            env=srv.env,
        )
        rows = json.loads(listed.stdout)
        assert [r["id"] for r in rows] == ["greenhouse-555009"]
        assert rows[0]["reason"] == "invalid_payload" and rows[0]["attempts"] == 1
        shown = subprocess.run(
            [*cli, "show", "greenhouse-555009", "--payload", *conf],
            capture_output=True,
            text=True,
            env=srv.env,
        )
        assert json.loads(shown.stdout)["payload"]
        retried = subprocess.run(
            [*cli, "retry", "--all-failed", *conf], capture_output=True, env=srv.env
        )
        assert retried.returncode == 0
        srv.wait_status("greenhouse-555009", "failed")
        purged = subprocess.run(
            [*cli, "purge", "greenhouse-555009", *conf], capture_output=True, text=True, env=srv.env
        )
        assert purged.returncode == 0 and "Deleted 1" in purged.stdout
        gone = srv.client.get("/applications/greenhouse-555009", headers=srv.auth())
        assert gone.status_code == 404
    finally:
        srv.stop()


def test_write_back_is_its_own_step_retried_across_a_restart_and_posted_once(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    fake_api.answer("POST", GH_NOTE, (503, {}, {"error": "maintenance"}))
    fake_api.answer("POST", "/token", (200, {}, GH_TOKEN))
    env = {k: v for k, v in secrets_env().items() if "LEVER" not in k}
    env["SCREENING_SERVER__GREENHOUSE__API_KEY"] = "harvest-key-0001"
    config = base_config(
        tmp_path / "jobs.sqlite3",
        writeback_attempts=1,
        max_attempts=50,
        greenhouse={
            "writeback": True,
            "api_url": fake_api.url,
            "client_id": "harvest-client-0001",
            "auth_url": fake_api.url + "/token",
            "user_id": "4080",
            "note_min_band": "low",
        },
    )
    srv = Server(tmp_path, config, env).start()
    try:
        deliver(srv, "greenhouse", payload("greenhouse-application-created"))
        # the screening is done and kept whatever the ATS does; the step waits to be retried
        srv.wait_status("greenhouse-71980812", "done")
        fake_api.wait_for(1)
        srv.stop(signal.SIGKILL)
        failed_tries = len([r for r in fake_api.requests if r.path == GH_NOTE])
        assert failed_tries >= 1
        fake_api.answer("POST", GH_NOTE, (201, {}, {"id": 1}))
        srv.start()
        deadline = time.monotonic() + 30
        state: dict[str, Any] = {}
        while time.monotonic() < deadline and state.get("writeback_status") != "sent":
            state = srv.client.get("/jobs/greenhouse-71980812", headers=srv.auth()).json()
            time.sleep(0.1)
        assert state["writeback_status"] == "sent" and state["writeback"] == "note sent"
        time.sleep(0.5)
        posts = [r for r in fake_api.requests if r.path == GH_NOTE]
        assert len(posts) == failed_tries + 1  # after the restart: one post, the one that worked
        report = srv.client.get("/applications/greenhouse-71980812", headers=srv.auth()).json()
        assert report["writeback_status"] == "sent"
        metrics = srv.client.get("/metrics").text
        assert re.search(r'^screening_writeback_total\{outcome="retrying"\} [1-9]', metrics, re.M)
    finally:
        srv.stop()


LEVER_JOB = "lever-e0a4b3e4-0d45-4b7c-9a8e-2f1f6c7d8e90"
OPPORTUNITY = "/v1/opportunities/250d8f03-738a-4bba-a671-8a3d73477145"


class NoteKeepingLever:
    """Lever's API on a real HTTP server: the opportunity (the webhook carries ids only), no
    resume, and notes that are kept and listed ("List all notes"); the first post is stored,
    then held unanswered until ``close`` (its worker is killed meanwhile)."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.notes: list[str] = []
        self.posts = 0
        self.listings = 0
        self.holding = threading.Event()
        self.released = threading.Event()
        vendor = self
        opportunity = payload("lever-api-opportunity")

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                vendor.posts += 1
                vendor.notes.append(str(body["value"]))
                if vendor.posts == 1:
                    vendor.holding.set()
                    vendor.released.wait(60)
                self._answer(201, {"data": {"noteId": f"n{vendor.posts}"}})

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                if path == OPPORTUNITY:
                    self._answer(200, opportunity)
                elif path == OPPORTUNITY + "/notes":
                    vendor.listings += 1
                    notes = [{"fields": [{"type": "note", "value": t}]} for t in vendor.notes]
                    self._answer(200, {"data": notes, "hasNext": False})
                elif path == OPPORTUNITY + "/resumes":
                    self._answer(200, {"data": []})
                else:
                    self._answer(404, {"code": "NotFound"})

            def _answer(self, status: int, data: object) -> None:
                raw = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    pass  # the worker that asked was killed

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def lever_writeback(
    tmp: Path,
    api_url: str,
    *,
    env: dict[str, str] | None = None,
    lever: dict[str, object] | None = None,
    **server: object,
) -> Server:
    """A server with one worker and Lever write-back to ``api_url`` (every band gets a note)."""
    environ = {k: v for k, v in secrets_env().items() if k != "SCREENING_SERVER__LEVER__API_KEY"}
    table = {"writeback": True, "api_url": api_url, "note_min_band": "low", **(lever or {})}
    config = base_config(tmp / "jobs.sqlite3", workers=1, lever=table, **server)
    return Server(tmp, config, {**environ, **(env or {})}).start()


def wait_writeback(srv: Server, job_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline and state.get("writeback_status") != "sent":
        state = srv.client.get(f"/jobs/{job_id}", headers=srv.auth()).json()
        time.sleep(0.2)
    return state


def test_a_worker_killed_while_posting_a_note_does_not_post_it_twice(tmp_path: Path) -> None:
    vendor = NoteKeepingLever()
    env = {"SCREENING_SERVER__LEVER__API_KEY": "lever-key-0001"}
    srv = lever_writeback(tmp_path, vendor.url, env=env, lease_seconds=2, http_timeout_seconds=60)
    try:
        assert srv.proc is not None
        deliver(srv, "lever", payload("lever-application-created"))
        assert vendor.holding.wait(120), "the note was never posted"
        [worker] = worker_pids(srv.proc.pid)
        os.kill(worker, signal.SIGKILL)  # mid-post: Lever has the note, we have no answer
        state = wait_writeback(srv, LEVER_JOB)
        assert state["writeback_status"] == "sent" and state["writeback"] == "note sent"
        assert vendor.listings >= 1  # the replacement looked before posting
        assert vendor.posts == 1 and len(vendor.notes) == 1
        assert vendor.notes[0].endswith(f"Screening reference: {LEVER_JOB}")
    finally:
        srv.stop()
        vendor.close()


def test_sighup_reloads_the_workers_file_secrets_without_ending_them(
    tmp_path: Path, fake_api: FakeApi
) -> None:
    """A vendor API key given as a file is rotated with SIGHUP: the server passes it on to its
    worker processes, which read the file again before their next job (and keep running)."""
    fake_api.answer("GET", OPPORTUNITY, (200, {}, payload("lever-api-opportunity")))
    fake_api.answer("GET", OPPORTUNITY + "/resumes", (200, {}, {"data": []}))
    fake_api.answer("POST", OPPORTUNITY + "/notes", (201, {}, {"data": {"noteId": "n1"}}))
    key_file = tmp_path / "lever.key"
    key_file.write_text("lever-key-old\n")
    srv = lever_writeback(tmp_path, fake_api.url, lever={"api_key_file": str(key_file)})
    try:
        assert srv.proc is not None
        deliver(srv, "lever", payload("lever-application-created"))
        assert wait_writeback(srv, LEVER_JOB)["writeback_status"] == "sent"
        [worker] = worker_pids(srv.proc.pid)
        key_file.write_text("lever-key-new\n")
        srv.proc.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        second = payload("lever-application-created")
        second["data"]["applicationId"] = "e0a4b3e4-0d45-4b7c-9a8e-2f1f6c7d8e91"
        second["token"] = "another-delivery-token"  # Lever's delivery id: token:triggeredAt
        deliver(srv, "lever", second)
        assert wait_writeback(srv, LEVER_JOB[:-1] + "1")["writeback_status"] == "sent"
        posts = [r for r in fake_api.requests if r.method == "POST"]
        keys = [r.headers["Authorization"] for r in posts]
        assert keys == [basic_auth("lever-key-old"), basic_auth("lever-key-new")]
        assert worker_pids(srv.proc.pid) == [worker]  # reloaded, not restarted
    finally:
        srv.stop()


def basic_auth(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:".encode()).decode()
