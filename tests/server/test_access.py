"""Access and its record: named tokens with scopes stored hashed, rotation by SIGHUP without a
restart, and the append-only audit log of report reads, deletions, retries and reloads, over
HTTP and from the command line, on a real server."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from serverkit import SCREENING, Server, base_config, secrets_env

from screening.errors import ConfigError
from screening.server import tokens


def test_tokens_are_stored_hashed_named_and_scoped(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    token = tokens.create(path, "ats-sync", ["submit"])
    assert token.startswith("scr_") and len(token) > 40
    text = path.read_text()
    assert token not in text and tokens.token_hash(token) in text
    assert path.stat().st_mode & 0o777 == 0o600
    [known] = tokens.read_tokens_file(path)
    assert (known.name, known.scopes) == ("ats-sync", frozenset({"submit"}))
    assert tokens.match([known], token) == known and tokens.match([known], "scr_nope") is None
    assert known.allows("submit") and not known.allows("read")
    with pytest.raises(ConfigError, match="exists"):
        tokens.create(path, "ats-sync", ["read"])
    with pytest.raises(ConfigError, match="scopes"):
        tokens.create(path, "other", ["everything"])
    assert tokens.revoke(path, "ats-sync") and tokens.read_tokens_file(path) == ()


def _server(tmp_path: Path) -> tuple[Server, Path, dict[str, str]]:
    path = tmp_path / "tokens.json"
    issued = {
        name: tokens.create(path, name, scopes)
        for name, scopes in (
            ("sync", ["submit"]),
            ("reviewers", ["read"]),
            ("ops", ["admin"]),
        )
    }
    env = {k: v for k, v in secrets_env().items() if "LEVER" not in k and "API_TOKENS" not in k}
    config = base_config(tmp_path / "jobs.sqlite3", tokens_file=str(path))
    return Server(tmp_path, config, env), path, issued


def bearer(token: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


@pytest.mark.slow
def test_scopes_rotation_on_sighup_and_the_audit_log(tmp_path: Path) -> None:
    srv, path, issued = _server(tmp_path)
    srv.auth = lambda: bearer(issued["ops"])  # type: ignore[method-assign]
    srv.start()
    try:
        app = json.dumps({"id": "audit-1", "name": "Avery Example"}).encode()
        refused = srv.client.post("/applications", content=app, headers=bearer(issued["reviewers"]))
        assert refused.status_code == 403 and "'submit'" in refused.json()["error"]
        ok = srv.client.post("/applications", content=app, headers=bearer(issued["sync"]))
        assert ok.status_code == 202
        srv.wait_status("native-audit-1", "done")
        assert (
            srv.client.get(
                "/applications/native-audit-1", headers=bearer(issued["sync"])
            ).status_code
            == 403
        )
        read = srv.client.get(
            "/applications/native-audit-1/report",
            headers=bearer(issued["reviewers"], **{"X-Screening-Reviewer": "dana.r"}),
        )
        assert read.status_code == 200
        assert (
            srv.client.delete(
                "/applications/native-audit-1", headers=bearer(issued["reviewers"])
            ).status_code
            == 403
        )
        # rotation: a second submit token, both valid after SIGHUP; then the old one revoked
        new = tokens.create(path, "sync-2", ["submit"])
        assert srv.proc is not None
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        status = 401
        while status == 401 and time.monotonic() < deadline:
            probe = json.dumps({"id": "audit-2", "name": "Blair Example"}).encode()
            status = srv.client.post(
                "/applications", content=probe, headers=bearer(new)
            ).status_code
            time.sleep(0.1)
        assert status == 202
        assert tokens.revoke(path, "sync")
        srv.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            again = json.dumps({"id": "audit-3", "name": "Casey Example"}).encode()
            if (
                srv.client.post(
                    "/applications", content=again, headers=bearer(issued["sync"])
                ).status_code
                == 401
            ):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the revoked token still works after SIGHUP")
        gone = srv.client.delete("/applications/native-audit-1", headers=bearer(issued["ops"]))
        assert gone.status_code == 204
        # the audit log, over HTTP (admin only) and from the command line
        assert srv.client.get("/audit", headers=bearer(issued["reviewers"])).status_code == 403
        lines = srv.client.get(
            "/audit?application=native-audit-1", headers=bearer(issued["ops"])
        ).json()["entries"]
        assert [(e["actor"], e["action"]) for e in lines] == [
            ("ops", "application.erased"),
            ("reviewers (reviewer dana.r)", "report.read"),
            ("ops", "report.read"),  # wait_status read the JSON report once it was done
        ]
        everything = srv.client.get("/audit", headers=bearer(issued["ops"])).json()["entries"]
        assert [e["action"] for e in everything].count("config.reload") == 2
        cli = subprocess.run(
            [
                str(SCREENING),
                "reviewers",
                "audit",
                "--application",
                "native-audit-1",
                "--config",
                str(srv.config),
            ],
            capture_output=True,
            text=True,
            env=srv.env,
            check=True,
        )
        assert "report.read" in cli.stdout and "reviewers (reviewer dana.r)" in cli.stdout
        # append-only: the database itself refuses to change or delete a line
        with (
            sqlite3.connect(tmp_path / "jobs.sqlite3") as conn,
            pytest.raises(sqlite3.DatabaseError, match="append-only"),
        ):
            conn.execute("DELETE FROM audit")
    finally:
        srv.stop()
