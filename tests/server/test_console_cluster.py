"""Two real ``screening serve`` receivers and a worker on one real PostgreSQL database, as a load
balancer would spread one reviewer's requests: a session opened on one receiver is valid on the
other, a decision recorded through one console is what the other shows (pages and the JSON
report), failed sign-ins count together, and both write one audit trail."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from consolekit import PASSWORDS, csrf_of, impostor_example
from serverkit import SCREENING, TOKEN, Server
from test_postgres_cluster import WorkerProcess, cluster_config, env

from screening.server.ui import auth

pytestmark = pytest.mark.slow

LOGIN_ATTEMPTS = 4


@pytest.fixture
def pair(tmp_path: Path, pg_url: str) -> Iterator[tuple[Server, Server]]:
    """Receivers r1 and r2 (console on, plain-HTTP cookies) and one worker on ``pg_url``."""
    config = cluster_config(pg_url) + (
        f"[ui]\ncookie_secure = false\nlogin_attempts = {LOGIN_ATTEMPTS}\n"
    )
    servers: list[Server] = []
    worker = None
    try:
        for name in ("r1", "r2"):
            (tmp_path / name).mkdir()
            servers.append(Server(tmp_path / name, config, env()).start("--workers", "0"))
        for name, role in (("alice", "admin"), ("bob", "reviewer")):  # once, for both
            command = ["reviewers", "add", name, "--role", role, "--password-stdin"]
            subprocess.run(
                [str(SCREENING), *command, "--config", str(servers[0].config)],
                input=PASSWORDS[name] + "\n",
                text=True,
                check=True,
                env=servers[0].env,
                capture_output=True,
            )
        worker = WorkerProcess(tmp_path, servers[0].config, "w1", dict(servers[0].env))
        yield servers[0], servers[1]
    finally:
        if worker is not None and worker.proc.poll() is None:
            worker.proc.terminate()
            worker.proc.wait(20)
        for server in servers:
            server.stop()


def browser(server: Server, session: str | None = None) -> httpx.Client:
    """A client of one receiver, carrying a session cookie when given (a load balancer may send
    the next request of a signed-in browser to any receiver)."""
    cookies = {auth.SESSION_COOKIE: session} if session else {}
    return httpx.Client(base_url=str(server.client.base_url), timeout=60, cookies=cookies)


def sign_in(server: Server, name: str, password: str) -> httpx.Response:
    with browser(server) as client:
        form = client.get("/ui/login")
        return client.post(
            "/ui/login", data={"csrf": csrf_of(form.text), "name": name, "password": password}
        )


def test_two_receivers_share_sessions_decisions_throttle_and_the_audit_trail(
    pair: tuple[Server, Server],
) -> None:
    r1, r2 = pair
    application = {**impostor_example(), "id": "shared-1"}
    posted = r1.client.post("/applications", json=application, headers=r1.auth())
    assert posted.status_code == 202, posted.text
    app_id = posted.json()["id"]
    report = r2.wait_status(app_id, "done", timeout=180)  # a first screening builds the engine
    rule = report["findings"][0]["id"]

    # a session opened on r1 is valid on r2, with the same CSRF token
    opened = sign_in(r1, "bob", PASSWORDS["bob"])
    assert opened.status_code == 303
    session = opened.cookies[auth.SESSION_COOKIE]
    with browser(r1, session) as on_r1, browser(r2, session) as on_r2:
        inbox = on_r2.get("/ui/inbox")
        assert inbox.status_code == 200 and "bob (reviewer)" in inbox.text
        assert app_id in inbox.text  # r2 indexed what the worker finished
        token = csrf_of(on_r1.get(f"/ui/applications/{app_id}").text)
        assert csrf_of(on_r2.get(f"/ui/applications/{app_id}").text) == token

        # recorded through r1 ...
        resolved = on_r1.post(
            f"/ui/applications/{app_id}/findings/{rule}",
            data={"csrf": token, "resolution": "benign", "note": "explained on a call"},
        )
        decided = on_r1.post(
            f"/ui/applications/{app_id}/decision",
            data={"csrf": token, "decision": "escalate", "note": "shared-store note"},
        )
        assert resolved.status_code == 303 and decided.status_code == 303
        # ... seen on r2: its page, its inbox status and its JSON report
        page = on_r2.get(f"/ui/applications/{app_id}").text
        assert "shared-store note" in page and "explained on a call" in page
        assert "decided" in on_r2.get("/ui/inbox", params={"status": "decided"}).text
        decisions = r2.client.get(f"/applications/{app_id}", headers=r2.auth()).json()["decisions"]
        assert decisions["decision"]["decision"] == "escalate"
        assert decisions["findings"][rule]["resolution"] == "benign"

        # signed out on r2: the session is gone on r1 as well
        assert on_r2.post("/ui/logout", data={"csrf": token}).status_code == 303
        assert on_r1.get("/ui/inbox").status_code == 303

    # failed sign-ins on either receiver count together
    for n in range(LOGIN_ATTEMPTS):
        assert sign_in((r1, r2)[n % 2], "bob", "not bob's password").status_code == 401
    for server in (r1, r2):
        refused = sign_in(server, "bob", PASSWORDS["bob"])
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0

    # one audit trail: both receivers list the same lines, written by both
    lines = []
    for server in (r1, r2):
        answer = server.client.get("/audit", params={"limit": 500}, headers=_admin())
        assert answer.status_code == 200, answer.text
        lines.append(answer.json()["entries"])
    assert lines[0] == lines[1]
    actions = {(e["actor"], e["action"]) for e in lines[0]}
    assert {
        ("bob", "session.opened"),  # on r1
        ("bob", "inbox.viewed"),  # on r2
        ("bob", "finding.resolved"),  # on r1
        ("bob", "application.decided"),  # on r1
        ("bob", "session.closed"),  # on r2
        ("bob", "login.failed"),  # on both
        ("bob", "login.throttled"),
    } <= actions
    alice = sign_in(r2, "alice", PASSWORDS["alice"])
    assert alice.status_code == 303
    with browser(r1, alice.cookies[auth.SESSION_COOKIE]) as admin:
        audit_page = admin.get("/ui/audit", params={"application": app_id}).text
        assert "application.decided" in audit_page and "finding.resolved" in audit_page


def _admin() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}
