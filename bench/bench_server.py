"""Benchmark of ``screening serve`` (run by hand; not part of the tests).

    python bench/bench_server.py [--rate 200] [--duration 30] [--backlog 2000] [--e2e 1000]

Targets (2-core machine): with the worker busy, webhook acknowledgement p99 <= 50 ms at 200
requests/s sustained for 30 s, nothing lost; end-to-end screening of 1,000 queued applications
completes and each result is retrievable.

How: the real server runs in a subprocess on loopback (offline, a fresh SQLite file, one worker
process). Phase 1 queues ``--backlog`` native applications so the worker is busy from the
start, then an open-loop load generator (written here: asyncio over raw keep-alive HTTP/1.1
connections, requests built before the clock starts; httpx only sets up and checks) sends signed
Greenhouse, Ashby and Workable deliveries on a fixed schedule of ``--rate`` per second for
``--duration`` seconds. Latency is measured from each request's *scheduled* send time (so a
stalled server cannot hide its queueing delay), and every answer must be ``queued``. Then it
waits until the queue is empty and fetches every result. Phase 2 queues ``--e2e`` applications
at once and times them until every report is stored, then fetches each one.

The machine is shared by everything running on it: the load average is printed before and
after, since other CPU-bound processes on two cores show up directly as acknowledgement latency.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import application  # noqa: E402

from screening.testing import signed_delivery  # noqa: E402

PAYLOADS = ROOT / "tests" / "server" / "payloads"
TOKEN = "bench-token"
SECRETS = {"greenhouse": "gh-bench", "ashby": "ashby-bench", "workable": "workable-bench"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(tmp: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    config = tmp / "screening.toml"
    config.write_text(
        f'[store]\npath = "{tmp / "jobs.sqlite3"}"\n[network]\noffline = true\n'
        f"[server]\nworkers = {workers}\nqueue_size = 100000\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env["SCREENING_SERVER__API_TOKENS"] = TOKEN
    for vendor, secret in SECRETS.items():
        env[f"SCREENING_SERVER__{vendor.upper()}__SECRET"] = secret
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "screening"),
            "serve",
            "--config",
            str(config),
            "--port",
            str(port),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start; see " + str(tmp / "server.log"))


def deliveries(count: int, offset: int) -> list[tuple[str, str, bytes, dict[str, str]]]:
    """Signed deliveries with unique application ids, prepared before the clock starts."""
    templates = {
        "greenhouse": json.loads((PAYLOADS / "greenhouse-application-created.json").read_text()),
        "ashby": json.loads((PAYLOADS / "ashby-application-submit.json").read_text()),
        "workable": json.loads((PAYLOADS / "workable-candidate-created.json").read_text()),
    }
    out = []
    for i in range(offset, offset + count):
        vendor = ("greenhouse", "ashby", "workable")[i % 3]
        data = json.loads(json.dumps(templates[vendor]))
        if vendor == "greenhouse":
            data["payload"]["application"]["id"] = 10_000_000 + i
            our_id = f"greenhouse-{10_000_000 + i}"
        elif vendor == "ashby":
            data["webhookActionId"] = f"bench-action-{i}"
            data["data"]["application"]["id"] = f"bench-{i}"
            our_id = f"ashby-bench-{i}"
        else:
            data["id"] = data["data"]["id"] = f"bench{i}"
            our_id = f"workable-bench{i}"
        body, headers = signed_delivery(vendor, SECRETS[vendor], data)
        headers["Greenhouse-Event-ID"] = f"bench-event-{i}"
        out.append((vendor, our_id, body, headers))
    return out


def raw_request(port: int, vendor: str, body: bytes, headers: dict[str, str]) -> bytes:
    """The bytes of one HTTP/1.1 delivery."""
    lines = [
        f"POST /webhooks/{vendor} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Connections:
    """Keep-alive HTTP/1.1 connections; a request waits for none (a new one opens if all busy).

    A connection idle for longer than the server's keep-alive timeout (5 s) may have been closed
    by the server; it is not reused.
    """

    IDLE_SECONDS = 4.0

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[float, asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.opened = 0

    async def post(self, request: bytes) -> tuple[int, bytes]:
        now = time.perf_counter()
        while self.idle:
            since, reader, writer = self.idle.pop()
            if now - since < self.IDLE_SECONDS:
                break
            writer.close()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            self.opened += 1
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = int(re.search(rb"(?i)content-length: *(\d+)", head)[1])  # type: ignore[index]
        body = await reader.readexactly(length)
        self.idle.append((time.perf_counter(), reader, writer))
        return status, body

    def close(self) -> None:
        for _, _, writer in self.idle:
            writer.close()


async def open_loop(
    port: int, rate: float, duration: float
) -> tuple[list[float], list[str], list[str]]:
    """Send on a fixed schedule; latency from the scheduled time; every answer checked.

    Returns the latencies, the problems and the ids of the applications sent.

    The client is a few lines of asyncio over raw keep-alive connections, with every request's
    bytes built before the clock starts: an httpx client costs milliseconds of CPU per request,
    which on two cores would be measured as server latency.
    """
    planned = [
        (our_id, raw_request(port, vendor, body, headers))
        for vendor, our_id, body, headers in deliveries(int(rate * duration), offset=0)
    ]
    latencies: list[float] = []
    problems: list[str] = []
    pool = Connections("127.0.0.1", port)
    for vendor, _, body, headers in deliveries(50, offset=1_000_000):  # warm-up, not measured
        await pool.post(raw_request(port, vendor, body, headers))
    start = time.perf_counter() + 0.5

    async def one(i: int, our_id: str, request: bytes) -> None:
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        try:
            status, body = await pool.post(request)
        except (OSError, asyncio.IncompleteReadError) as exc:
            problems.append(f"{our_id}: {type(exc).__name__}")
            return
        latencies.append(time.perf_counter() - due)
        answer = json.loads(body)
        if status not in (200, 202) or answer != {"id": our_id, "status": "queued"}:
            problems.append(f"{our_id}: HTTP {status} {answer}")

    await asyncio.gather(*(one(i, our_id, req) for i, (our_id, req) in enumerate(planned)))
    pool.close()
    print(f"  (the load generator opened {pool.opened} connections)")
    return latencies, problems, [our_id for our_id, _ in planned]


def queue_native(base: str, apps: list[dict[str, Any]]) -> list[str]:
    ids = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        for app in apps:
            response = client.post("/applications", content=json.dumps(app).encode())
            if response.status_code != 202:
                raise SystemExit(f"backlog refused: {response.status_code} {response.text}")
            ids.append(response.json()["id"])
    return ids


def pending(base: str) -> int:
    text = httpx.get(f"{base}/metrics").text
    counts = dict(re.findall(r'^screening_jobs\{status="(\w+)"\} (\d+)$', text, re.M))
    return sum(int(counts.get(s, 0)) for s in ("queued", "running", "retrying"))


def wait_empty(base: str, timeout: float) -> float:
    start = time.perf_counter()
    while pending(base) and time.perf_counter() - start < timeout:
        time.sleep(0.2)
    return time.perf_counter() - start


def check_results(base: str, ids: list[str]) -> list[str]:
    bad = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        for our_id in ids:
            response = client.get(f"/applications/{our_id}")
            body = response.json() if response.status_code == 200 else {}
            if body.get("status") != "done" or body.get("schema") != "screening/report@1":
                bad.append(f"{our_id}: {response.status_code} {body.get('status')}")
    return bad


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--backlog", type=int, default=2000)
    parser.add_argument("--e2e", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"nproc={os.cpu_count()} python={platform.python_version()} workers={args.workers} "
        "load generator: asyncio, raw HTTP/1.1 keep-alive, open loop"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-server-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(tmp, port, args.workers)
    rng = random.Random(7)
    try:
        backlog = [application(i, rng) for i in range(args.backlog)]
        queue_native(base, backlog)
        print(
            f"phase 1: {args.backlog} applications queued to keep the worker busy; "
            f"pending {pending(base)}"
        )
        latencies, problems, webhook_ids = asyncio.run(open_loop(port, args.rate, args.duration))
        busy = pending(base)
        print(
            f"  {len(latencies)} webhooks at {args.rate:g}/s for {args.duration:g} s: ack p50 "
            f"{pct(latencies, 0.50):.1f} ms, p95 {pct(latencies, 0.95):.1f} ms, p99 "
            f"{pct(latencies, 0.99):.1f} ms, max {max(latencies) * 1000:.1f} ms, mean "
            f"{statistics.mean(latencies) * 1000:.1f} ms; problems: {len(problems)}; "
            f"jobs still pending at the end: {busy}"
        )
        for line in problems[:10]:
            print("   ", line)
        drained = wait_empty(base, timeout=1800)
        missing = check_results(base, webhook_ids)
        print(
            f"  queue drained {drained:.1f} s after the load; results missing or not done: "
            f"{len(missing)} of {len(webhook_ids)}"
        )

        apps = [application(100_000 + i, rng) for i in range(args.e2e)]
        started = time.perf_counter()
        ids = queue_native(base, apps)
        queued = time.perf_counter() - started
        wait_empty(base, timeout=1800)
        total = time.perf_counter() - started
        missing = check_results(base, ids)
        print(
            f"phase 2: {args.e2e} applications queued in {queued:.1f} s, all screened and "
            f"stored {total:.1f} s after the first ({args.e2e / total:.0f}/s); results "
            f"missing or not done: {len(missing)}"
        )
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
