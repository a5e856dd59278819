"""The reviewer console over HTTP against the real server: sign-in, CSRF, throttling, roles,
proxy identity, decisions in the JSON report, erasure, rule precision and the labels export."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from consolekit import (
    PASSWORDS,
    api_report,
    close_clients,
    console_server,
    csrf_of,
    hostile_application,
    impostor_example,
    new_client,
    sign_in,
    submit,
)
from serverkit import SCREENING, Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = console_server(
        tmp_path_factory.mktemp("console"),
        trusted_user_header="X-Forwarded-User",
        admins=["carol"],
        login_attempts=3,
    )
    yield running
    close_clients()
    running.stop()


@pytest.fixture(scope="module")
def app_id(server: Server) -> str:
    return submit(server, impostor_example())


def test_pages_need_a_session(server: Server, app_id: str) -> None:
    for path in ("/ui/inbox", f"/ui/applications/{app_id}", "/ui/rules", "/ui/upload"):
        answer = server.client.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/ui/login?next=")
    answer = server.client.post(
        f"/ui/applications/{app_id}/decision", data={"decision": "escalate", "csrf": "x"}
    )
    assert answer.status_code == 303
    assert api_report(server, app_id)["decisions"]["decision"] is None


def test_forms_without_the_session_csrf_token_are_refused(server: Server, app_id: str) -> None:
    client = sign_in(server, "bob")
    for token in ("", "not-the-token"):
        answer = client.post(
            f"/ui/applications/{app_id}/decision",
            data={"decision": "escalate", "note": "x", "csrf": token},
        )
        assert answer.status_code == 403
    assert api_report(server, app_id)["decisions"]["decision"] is None
    # the sign-in form has its own double-submit token
    fresh = server.client.post("/ui/login", data={"name": "bob", "password": PASSWORDS["bob"]})
    assert fresh.status_code == 403


def test_decisions_and_resolutions_reach_the_json_report(server: Server, app_id: str) -> None:
    client = sign_in(server, "bob")
    page = client.get(f"/ui/applications/{app_id}")
    assert page.status_code == 200
    token = csrf_of(page.text)
    rule = api_report(server, app_id)["findings"][0]["id"]
    answer = client.post(
        f"/ui/applications/{app_id}/findings/{rule}",
        data={"csrf": token, "resolution": "confirmed", "note": "same phone as another"},
    )
    assert answer.status_code == 303
    answer = client.post(
        f"/ui/applications/{app_id}/decision",
        data={"csrf": token, "decision": "verify_identity", "note": "ask for a video call"},
    )
    assert answer.status_code == 303
    decisions = api_report(server, app_id)["decisions"]
    assert decisions["decision"]["decision"] == "verify_identity"
    assert decisions["decision"]["reviewer"] == "bob"
    assert decisions["findings"][rule]["resolution"] == "confirmed"
    # unknown values are refused with the field named
    bad = client.post(
        f"/ui/applications/{app_id}/decision", data={"csrf": token, "decision": "reject"}
    )
    assert bad.status_code == 400 and "decision:" in bad.text
    assert "reject" not in bad.text.replace("decision: choose", "")


def test_no_page_runs_script_or_loads_from_outside(server: Server, app_id: str) -> None:
    hostile = submit(server, hostile_application())
    client = sign_in(server, "alice")
    for path in ("/ui/inbox", f"/ui/applications/{hostile}", "/ui/rules", "/ui/audit"):
        answer = client.get(path)
        assert answer.status_code == 200
        csp = answer.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp
        assert "<script" not in answer.text
        assert 'href="javascript:' not in answer.text
    page = client.get(f"/ui/applications/{hostile}").text
    assert "&lt;script&gt;" in page  # shown, as text
    assert 'href="https://evil.example' not in page  # candidate links are never clickable


def test_sign_in_is_throttled_per_account(server: Server) -> None:
    client = new_client(server)  # keeps the sign-in form's cookie like a browser
    for _ in range(3):
        form = client.get("/ui/login")
        answer = client.post(
            "/ui/login",
            data={"csrf": csrf_of(form.text), "name": "throttled", "password": "wrong one!!"},
        )
        assert answer.status_code == 401
    form = client.get("/ui/login")
    answer = client.post(
        "/ui/login",
        data={"csrf": csrf_of(form.text), "name": "throttled", "password": "wrong one!!"},
    )
    assert answer.status_code == 429
    assert int(answer.headers["retry-after"]) > 0


def test_open_redirects_after_sign_in_are_refused(server: Server) -> None:
    client = new_client(server)
    form = client.get("/ui/login?next=https://evil.example/")
    answer = client.post(
        "/ui/login",
        data={
            "csrf": csrf_of(form.text),
            "name": "bob",
            "password": PASSWORDS["bob"],
            "next": "//evil.example/",
        },
    )
    assert answer.headers["location"] == "/ui/inbox"


def test_reviewers_cannot_see_the_audit_trail_and_admins_can(server: Server, app_id: str) -> None:
    assert sign_in(server, "bob").get("/ui/audit").status_code == 403
    alice = sign_in(server, "alice")
    alice.get(f"/ui/applications/{app_id}")
    audit = alice.get("/ui/audit", params={"application": app_id}).text
    assert "application.viewed" in audit and "alice" in audit


def test_a_trusted_proxy_names_the_reviewer(server: Server) -> None:
    answer = server.client.get("/ui/audit", headers={"X-Forwarded-User": "carol"})
    assert answer.status_code == 200  # carol is an admin by [ui] admins
    assert "carol (admin)" in answer.text
    answer = server.client.get("/ui/inbox", headers={"X-Forwarded-User": "dave"})
    assert answer.status_code == 200 and "dave (reviewer)" in answer.text


def test_erasing_an_applicant_erases_the_decisions(server: Server) -> None:
    app_id = submit(server, {**impostor_example(), "id": "to-erase"})
    client = sign_in(server, "bob")
    token = csrf_of(client.get(f"/ui/applications/{app_id}").text)
    client.post(
        f"/ui/applications/{app_id}/decision",
        data={"csrf": token, "decision": "escalate", "note": "private note"},
    )
    erased = server.client.delete(f"/applications/{app_id}", headers=server.auth())
    assert erased.status_code == 204
    assert client.get(f"/ui/applications/{app_id}").status_code == 404
    assert "to-erase" not in client.get("/ui/inbox").text


def test_rule_precision_and_labels_export_feed_eval(
    server: Server, tmp_path: Path, app_id: str
) -> None:
    alice = sign_in(server, "alice")
    token = csrf_of(alice.get(f"/ui/applications/{app_id}").text)
    rule = api_report(server, app_id)["findings"][1]["id"]
    alice.post(
        f"/ui/applications/{app_id}/findings/{rule}",
        data={"csrf": token, "resolution": "benign", "note": ""},
    )
    alice.post(
        f"/ui/applications/{app_id}/decision",
        data={"csrf": token, "decision": "escalate", "note": ""},
    )
    assert rule in alice.get("/ui/rules").text
    stats = subprocess.run(
        [str(SCREENING), "rules", "stats", "--format", "json", "--config", str(server.config)],
        capture_output=True,
        text=True,
        check=True,
        env=server.env,
    )
    rows = {r["id"]: r for r in json.loads(stats.stdout)}
    assert rows[rule]["benign"] == 1 and rows[rule]["precision"] == 0.0
    archive = alice.get("/ui/export/labels.zip")
    assert archive.status_code == 200
    folder = tmp_path / "labels"
    zipfile.ZipFile(io.BytesIO(archive.content)).extractall(folder)
    assert (folder / "labels.csv").read_text().splitlines()[0] == "file,label"
    result = subprocess.run(
        [str(SCREENING), "eval", str(folder), "--format", "json"],
        capture_output=True,
        text=True,
        env=server.env,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    case = next(c for c in data["cases"] if c["id"] == app_id)
    assert case["label"] == "impostor" and case["flagged"] is True
    assert data["recall"] == 1.0
