"""Benchmark: acknowledgements under load with busy workers, and worker throughput (by hand).

    python bench/bench_cluster.py ack --backend sqlite|postgresql [--workers 4] [--rate 100]
        [--duration 60] [--backlog 300] [--postgres URL]
    python bench/bench_cluster.py throughput [--workers 1,2,4] [--jobs 200] [--postgres URL]

``ack``: targets: 100 signed deliveries/s for 60 s with 4 workers busy, acknowledgement p99
<= 100 ms, none lost, each screened once. SQLite: one ``screening serve`` with 4 worker
processes; PostgreSQL: one receiver (``serve --workers 0``) and ``screening worker
--processes 4`` on a throwaway database. A backlog of native applications is queued first so
the workers are busy while the open-loop generator of ``bench_server`` sends Greenhouse, Ashby and
Workable deliveries (latency from each request's scheduled time). Afterwards: every delivery's
job must be ``done``, and the workers' logs must show exactly one ``done`` per job.

``throughput``: PostgreSQL, steady state; for each N, ``screening worker --processes N``
starts and the bench waits until all N processes have built their engine (seconds of CPU each,
which would otherwise be counted against the larger N), then queues ``--jobs`` applications
and times from the first enqueue until all are done. Screening is CPU-bound Python: the figure
grows with N up to the number of free cores and flattens beyond it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_server import SECRETS, TOKEN, free_port, open_loop, pct, queue_native  # noqa: E402
from generate import application  # noqa: E402

from screening.ingest.ats import VENDORS  # noqa: E402

SCREENING = str(Path(sys.executable).parent / "screening")
HISTORY_SECRET = "bench-history-secret-0123456789abcdef0123"


def config(tmp: Path, url: str | None, workers: int) -> Path:
    store = f'url = "{url}"' if url else f'path = "{tmp / "jobs.sqlite3"}"'
    # no vendor API runs here: a resume fetch would fail and retry every job (by design)
    no_resumes = "".join(
        f"[server.{name}]\nresumes = false\n"
        for name, vendor in VENDORS.items()
        if vendor.fetch_resume is not None
    )
    path = tmp / "screening.toml"
    path.write_text(
        f"[store]\n{store}\n[network]\noffline = true\n"
        f"[server]\nworkers = {workers}\nqueue_size = 100000\n{no_resumes}",
        encoding="utf-8",
    )
    return path


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env["SCREENING_SERVER__API_TOKENS"] = TOKEN
    env["SCREENING_HISTORY__SECRET"] = HISTORY_SECRET
    for vendor, secret in SECRETS.items():
        env[f"SCREENING_SERVER__{vendor.upper()}__SECRET"] = secret
    return env


def start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(
            [SCREENING, *args], stdout=handle, stderr=subprocess.STDOUT, env=environment()
        )


def wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server exited")
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start")


def counts(base: str) -> dict[str, int]:
    import re

    text = httpx.get(f"{base}/metrics", timeout=30).text
    return {
        k: int(v) for k, v in re.findall(r'^screening_jobs\{status="(\w+)"\} (\d+)$', text, re.M)
    }


def wait_done(base: str, total: int, timeout: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        c = counts(base)
        if c.get("done", 0) + c.get("failed", 0) >= total:
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def done_events(logs: list[Path]) -> Counter[str]:
    seen: Counter[str] = Counter()
    for log in logs:
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if '"event": "done"' in line:
                try:
                    seen[json.loads(line)["id"]] += 1
                except (ValueError, KeyError):
                    continue
    return seen


class Database:
    """A throwaway PostgreSQL database on the server ``url`` names."""

    def __init__(self, server: str) -> None:
        import psycopg

        self.server = server
        self.name = f"bench_cluster_{secrets.token_hex(4)}"
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"'.encode())
        self.url = server.rsplit("/", 1)[0] + "/" + self.name

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'.encode())


def stop(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()


def ack(args: argparse.Namespace) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    db = Database(args.postgres) if args.backend == "postgresql" else None
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    procs: list[subprocess.Popen[bytes]] = []
    logs = [tmp / "serve.log"]
    try:
        if db is None:
            conf = config(tmp, None, args.workers)
            procs.append(start(["serve", "--config", str(conf), "--port", str(port)], logs[0]))
        else:
            conf = config(tmp, db.url, 0)
            procs.append(start(["serve", "--config", str(conf), "--port", str(port)], logs[0]))
            logs.append(tmp / "worker.log")
            procs.append(
                start(["worker", "--config", str(conf), "--processes", str(args.workers)], logs[1])
            )
        wait_ready(base, procs[0])
        rng = random.Random(7)
        backlog = queue_native(base, [application(i, rng) for i in range(args.backlog)])
        print(f"{args.backend}: {args.workers} workers, backlog {len(backlog)} queued")
        time.sleep(2)  # the workers are busy
        latencies, problems, ids = asyncio.run(open_loop(port, args.rate, args.duration))
        pending = counts(base)
        print(
            f"  {len(latencies)} deliveries at {args.rate:g}/s for {args.duration:g} s: ack p50 "
            f"{pct(latencies, 0.50):.1f} ms, p95 {pct(latencies, 0.95):.1f} ms, p99 "
            f"{pct(latencies, 0.99):.1f} ms, max {max(latencies) * 1000:.1f} ms, mean "
            f"{statistics.mean(latencies) * 1000:.1f} ms; problems {len(problems)}; "
            f"jobs at the end of the load: {pending}"
        )
        for line in problems[:5]:
            print("   ", line)
        total = len(backlog) + len(ids) + 50  # + the generator's warm-up deliveries
        drained = wait_done(base, total, timeout=args.drain_timeout)
        seen = done_events(logs)
        final = counts(base)
        missing = [i for i in [*backlog, *ids] if seen[i] == 0]
        twice = [i for i, n in seen.items() if n > 1]
        stored = sum(final.values())
        print(
            f"  waited {drained:.0f} s after the load; jobs {final} ({stored} stored for "
            f"{total} acknowledged); not screened yet: {len(missing)}; screened more than "
            f"once: {len(twice)}"
        )
    finally:
        stop(*procs)
        if db is not None:
            db.drop()
        shutil.rmtree(tmp, ignore_errors=True)


def wait_workers(log: Path, n: int, proc: subprocess.Popen[bytes], timeout: float) -> float:
    """Seconds until ``n`` worker processes logged that their engine is built."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            raise SystemExit("the worker command exited")
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if text.count('"event": "worker-started"') >= n:
            return time.perf_counter() - started
        time.sleep(0.2)
    raise SystemExit(f"{n} workers were not ready after {timeout:.0f} s")


def throughput(args: argparse.Namespace) -> None:
    rng = random.Random(11)
    apps = [application(i, rng) for i in range(args.jobs)]
    for n in [int(x) for x in args.workers.split(",")]:
        tmp = Path(tempfile.mkdtemp(prefix="bench-throughput-"))
        db = Database(args.postgres)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        conf = config(tmp, db.url, 0)
        serve = start(["serve", "--config", str(conf), "--port", str(port)], tmp / "serve.log")
        worker: subprocess.Popen[bytes] | None = None
        try:
            wait_ready(base, serve)
            # steady state: every process has built its engine (seconds of CPU each) before
            # the first job is queued, so start-up is not counted as screening time
            log = tmp / "worker.log"
            worker = start(["worker", "--config", str(conf), "--processes", str(n)], log)
            ready = wait_workers(log, n, worker, timeout=600)
            began = time.perf_counter()
            queue_native(base, apps)
            queued = time.perf_counter() - began
            elapsed = queued + wait_done(base, len(apps), timeout=3600)
            print(
                f"  {n} worker process(es), ready after {ready:.1f} s: {len(apps)} applications "
                f"in {elapsed:.1f} s from the first enqueue (queueing took {queued:.1f} s) = "
                f"{len(apps) / elapsed:.1f}/s; jobs {counts(base)}; load average "
                f"{os.getloadavg()[0]:.2f}"
            )
        finally:
            stop(*(p for p in (worker, serve) if p is not None))
            db.drop()
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    default_pg = os.environ.get(
        "TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    )
    a = sub.add_parser("ack")
    a.add_argument("--backend", choices=("sqlite", "postgresql"), required=True)
    a.add_argument("--workers", type=int, default=4)
    a.add_argument("--rate", type=float, default=100.0)
    a.add_argument("--duration", type=float, default=60.0)
    a.add_argument("--backlog", type=int, default=300)
    a.add_argument("--postgres", default=default_pg)
    a.add_argument("--drain-timeout", type=float, default=3600.0)
    t = sub.add_parser("throughput")
    t.add_argument("--workers", default="1,2,4")
    t.add_argument("--jobs", type=int, default=200)
    t.add_argument("--postgres", default=default_pg)
    args = parser.parse_args()
    print(f"nproc={os.cpu_count()} load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    (ack if args.mode == "ack" else throughput)(args)
    print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
