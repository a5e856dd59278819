"""Helpers of the console tests: a running server with accounts and screened applications."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import httpx
import yaml
from serverkit import SCREENING, TOKEN, Server, base_config

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORDS = {"alice": "alice-long-password-1", "bob": "bob-long-password-22"}
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(document.cookie)"


def console_server(tmp: Path, *, secure: bool = False, **ui: object) -> Server:
    """``screening serve`` with the console on, alice (admin) and bob (reviewer) registered."""
    db = tmp / "db.sqlite3"
    config = base_config(db)
    config += "[ui]\n" + f"cookie_secure = {'true' if secure else 'false'}\n"
    config += "".join(f"{k} = {json.dumps(v)}\n" for k, v in ui.items())
    server = Server(tmp, config, {"SCREENING_SERVER__API_TOKENS": TOKEN})
    for name, role in (("alice", "admin"), ("bob", "reviewer")):
        subprocess.run(
            [
                str(SCREENING),
                "reviewers",
                "add",
                name,
                "--role",
                role,
                "--password-stdin",
                "--config",
                str(server.config),
            ],
            input=PASSWORDS[name] + "\n",
            text=True,
            check=True,
            env=server.env,
            capture_output=True,
        )
    return server.start()


def impostor_example() -> dict[str, Any]:
    """The many-signals example as a native application (its resume is a file: left out)."""
    data: dict[str, Any] = yaml.safe_load(
        (EXAMPLES / "impostor-many-signals.yml").read_text(encoding="utf-8")
    )
    data.pop("resume", None)
    return json.loads(json.dumps(data, default=str))


def hostile_application() -> dict[str, Any]:
    """Markup and ``javascript:`` URLs in every free-text field a candidate controls."""
    data = impostor_example()
    data["id"] = "hostile-1"
    data["name"] = f"Mallory {HOSTILE}"
    data["links"] = [JS_URL, "https://evil.example/x.js"]
    for ref in data.get("references", []):
        ref["name"] = HOSTILE
    for job in data.get("employment", []):
        job["employer"] = f"Acme {HOSTILE}"
        job["title"] = JS_URL
    return data


def submit(server: Server, application: dict[str, Any]) -> str:
    response = server.client.post(
        "/applications", headers=server.auth(), content=json.dumps(application)
    )
    assert response.json().get("status") in ("queued", "duplicate"), response.text
    app_id: str = response.json()["id"]
    server.wait_status(app_id, "done", timeout=180.0)  # a first screening builds the engine
    return app_id


OPEN_CLIENTS: list[httpx.Client] = []


def new_client(server: Server) -> httpx.Client:
    """A browser-like client of its own (closed by ``close_clients``)."""
    client = httpx.Client(base_url=str(server.client.base_url), timeout=60)
    OPEN_CLIENTS.append(client)
    return client


def close_clients() -> None:
    while OPEN_CLIENTS:
        OPEN_CLIENTS.pop().close()


def sign_in(server: Server, name: str, password: str | None = None) -> httpx.Client:
    client = new_client(server)
    form = client.get("/ui/login")
    token = csrf_of(form.text)
    answer = client.post(
        "/ui/login",
        data={"csrf": token, "name": name, "password": password or PASSWORDS[name]},
    )
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def api_report(server: Server, app_id: str) -> dict[str, Any]:
    answer = server.client.get(
        f"/applications/{app_id}", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    data: dict[str, Any] = answer.json()
    return data
