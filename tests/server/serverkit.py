"""Helpers of the server tests: a fake vendor API on loopback and ``screening serve`` itself."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx

from screening.ingest.ats import VENDORS
from screening.store.jobs import delivery_hash
from screening.store.jobs_api import JobResult, NewJob

PAYLOADS = Path(__file__).parent / "payloads"
SCREENING = Path(sys.executable).parent / "screening"
TOKEN = "test-api-token-0001"
SECRETS = {name: f"{name}-secret-0001" for name in VENDORS}


def payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Recorded:
    """One request the fake API received."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any


@dataclass
class FakeApi:
    """An HTTP server on loopback that records requests and answers from a script.

    ``script[(method, path)]`` is a list of ``(status, headers, json body)`` answers used in
    order; the last one repeats. Unscripted requests get 404.
    """

    server: ThreadingHTTPServer
    requests: list[Recorded] = field(default_factory=list)
    script: dict[tuple[str, str], list[tuple[int, dict[str, str], Any]]] = field(
        default_factory=dict
    )
    delays: dict[tuple[str, str], float] = field(default_factory=dict)  # seconds per 4 KiB

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def answer(self, method: str, path: str, *answers: tuple[int, dict[str, str], Any]) -> None:
        self.script[(method, path)] = list(answers)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.requests)


def running_fake_api() -> Iterator[FakeApi]:
    holder: list[FakeApi] = []

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            api = holder[0]
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            path = self.path
            form = self.headers.get("Content-Type", "").startswith(
                "application/x-www-form-urlencoded"
            )
            body = dict(parse_qsl(raw.decode())) if form else json.loads(raw) if raw else None
            api.requests.append(Recorded(self.command, path, dict(self.headers.items()), body))
            key = (self.command, path.split("?")[0])
            answers = api.script.get(key)
            status, headers, answer = answers[0] if answers else (404, {}, {"error": "unscripted"})
            if answers and len(answers) > 1:
                answers.pop(0)
            data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Type" not in headers:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            pause = api.delays.get(key, 0.0)
            for start in range(0, len(data), 4096):  # a slow vendor: the body in paced chunks
                if pause:
                    time.sleep(pause)
                try:
                    self.wfile.write(data[start : start + 4096])
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (its time limit): nothing left to send

        do_GET = do_POST = do_PUT = _handle

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    holder.append(FakeApi(server))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()


class Server:
    """``screening serve`` in a subprocess, with its log captured to a file."""

    def __init__(self, tmp: Path, config: str, env: Mapping[str, str]) -> None:
        self.tmp = tmp
        self.port = free_port()
        self.config = tmp / "screening.toml"
        self.config.write_text(config, encoding="utf-8")
        self.log = tmp / "server.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
        self.env.update(env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.client = httpx.Client()

    def start(self, *args: str) -> Server:
        self.client.close()
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=10)
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(
            [
                str(SCREENING),
                "serve",
                "--config",
                str(self.config),
                "--port",
                str(self.port),
                *args,
            ],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=self.tmp,
        )
        handle.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited:\n{self.log.read_text()}")
            try:
                if self.client.get("/healthz").status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the server did not start:\n{self.log.read_text()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        self.client.close()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(20)
        self.proc = None

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}"}

    def wait_status(self, app_id: str, *statuses: str, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        body: dict[str, Any] = {}
        while time.monotonic() < deadline:
            response = self.client.get(f"/applications/{app_id}", headers=self.auth())
            if response.status_code == 200:
                body = response.json()
                if body.get("status") in statuses:
                    return body
            time.sleep(0.1)
        raise AssertionError(f"{app_id} did not reach {statuses}: {body}")

    def logs(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_log(self, *parts: str, count: int = 1, timeout: float = 20.0) -> str:
        """The log once ``count`` lines hold every one of ``parts`` (polled: no fixed sleep)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.logs()
            if sum(all(p in line for p in parts) for line in text.splitlines()) >= count:
                return text
            time.sleep(0.05)
        raise AssertionError(f"no log line with {parts}:\n{self.logs()[-2000:]}")


def base_config(db: Path, **server: object) -> str:
    lines = [
        "[store]",
        f'path = "{db}"',
        "[network]",
        "offline = true",
        "[server]",
        "retry_base_seconds = 0.1",
        "writeback_backoff_seconds = 0.05",
    ]
    tables: dict[str, dict[str, object]] = {}
    for key, value in server.items():
        if isinstance(value, dict):
            tables[key] = value
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    # the documented Greenhouse example links its resume at Greenhouse's real file host: the
    # tests that fetch resumes point it at the fake API and switch this on
    tables.setdefault("greenhouse", {}).setdefault("resumes", False)
    for name, values in tables.items():
        lines.append(f"[server.{name}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def secrets_env() -> dict[str, str]:
    """Every vendor's webhook secret; a thin-payload vendor also gets the API key (and, where
    its API base is per account, a base URL) it needs to start; tests that fetch set their own."""
    env = {f"SCREENING_SERVER__{v.upper()}__SECRET": s for v, s in SECRETS.items()}
    for name, vendor in VENDORS.items():
        if vendor.fetch is not None:
            env[f"SCREENING_SERVER__{name.upper()}__API_KEY"] = f"{name}-key-0001"
            if vendor.api_url is None:
                env[f"SCREENING_SERVER__{name.upper()}__API_URL"] = "https://api.invalid"
    env["SCREENING_SERVER__API_TOKENS"] = f"other-token,{TOKEN}"
    return env


class Clock:
    """A settable clock for the store."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def job(n: int, delivery: str | None = None) -> NewJob:
    """A queued Greenhouse job with a synthetic record."""
    return NewJob(
        id=f"greenhouse-{n}",
        vendor="greenhouse",
        delivery_key=delivery_hash("greenhouse", delivery or f"event-{n}"),
        payload={"candidate": {"first_name": "Ana", "last_name": f"Example{n}"}},
        meta={"candidate": str(n)},
    )


RESULT = JobResult(
    score=42.5,
    band="medium",
    report_json='{"score": 42.5}',
    report_html="<p>report</p>",
    screen_seconds=0.004,
)


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
