"""DNS benchmark: many applications against a slow loopback DNS server (run by hand).

    python bench/bench_dns.py [--apps 500] [--delay 0.1] [--workers 64]

A DNS server in a child process (tests/dnszone.py, dnslib) answers every
question after ``--delay`` seconds. Each generated application names three distinct domains (its
email, a past employer, a reference), five questions each. Targets (2-core machine):

- 500 applications with caching off finish in <= 5 s (one question after another would take
  500 x 15 x 0.1 s = 750 s);
- a second run with the on-disk cache (``[dns] cache_path``) sends zero questions.

Applications are screened by ``Engine.screen`` from thread pools in ``--processes`` processes
(one per core, as a server runs one worker process per core); each screening runs its lookups
concurrently on the process's lookup loop. The second disk-cache run uses new engines, so only
the cache file can answer.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Barrier, Process, Queue
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Barrier as BarrierType
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from dnszone import Zone, ZoneServer  # noqa: E402

from screening.config import DnsConfig, NetworkConfig, Settings  # noqa: E402
from screening.ingest import from_mapping  # noqa: E402
from screening.pipeline import Engine  # noqa: E402

CANARIES = ["example.com", "example.org"]


def _records(name: str) -> dict[str, list[str]] | None:
    if name.endswith(".bench.example.net"):
        if name.startswith("_dmarc."):
            return {"TXT": ["v=DMARC1; p=none"]}
        return {"MX": [f"10 mx.{name}"], "A": ["192.0.2.1"], "TXT": ["v=spf1 mx -all"]}
    return None


def serve(conn: Connection, delay: float) -> None:
    """Child process: run the server, answer 'total' and 'stop' over the pipe."""
    zone = Zone(records={c: {"A": ["192.0.2.2"]} for c in CANARIES}, synthetic=_records)
    with ZoneServer(zone, delay=delay, ttl=86_400) as server:
        conn.send(server.port)
        while True:
            command = conn.recv()
            if command == "stop":
                break
            conn.send(server.total)


def application(i: int) -> dict[str, object]:
    return {
        "id": f"bench-{i}",
        "name": "Jordan Avery",
        "emails": [f"jordan@mail{i}.bench.example.net"],
        "location": {"country": "US", "timezone": "America/Chicago"},
        "employment": [
            {"employer": f"Employer {i}", "website": f"https://emp{i}.bench.example.net"}
        ],
        "references": [{"name": "Sam Lee", "email": f"sam@ref{i}.bench.example.net"}],
    }


def engine(port: int, cache_path: Path | None, caching: bool) -> Engine:
    settings = Settings(
        network=NetworkConfig(timeout_seconds=2.0, budget_seconds=10.0),
        dns=DnsConfig(
            nameservers=["127.0.0.1"], port=port, canaries=CANARIES, cache_path=cache_path
        ),
    )
    built = Engine.build(settings)
    if not caching:
        for analyzer in built.analyzers:
            if analyzer.name == "dns":
                analyzer.cache = None  # type: ignore[attr-defined]
    return built


def _screen_share(
    port: int,
    cache_path: Path | None,
    caching: bool,
    indices: list[int],
    workers: int,
    ready: BarrierType,
    go: BarrierType,
    results: Queue[tuple[int, float]],
) -> None:
    """One screening process: build its engine, wait for the start, screen its share."""
    built = engine(port, cache_path, caching)
    raws = [from_mapping(application(i), f"bench-{i}", built.limits) for i in indices]
    ready.wait()
    go.wait()
    cpu = time.process_time()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(built.screen, raws))
    cpu = time.process_time() - cpu
    ok = sum(any(c.analyzer == "dns" and c.status.value == "ok" for c in r.checks) for r in done)
    results.put((ok, cpu))


def run(
    port: int, cache_path: Path | None, caching: bool, args: argparse.Namespace
) -> tuple[float, int, float]:
    """(wall seconds, applications with DNS facts, CPU seconds of the screening processes)."""
    n = args.processes
    ready, go = Barrier(n + 1), Barrier(n + 1)
    results: Queue[tuple[int, float]] = Queue()
    shares = [list(range(k, args.apps, n)) for k in range(n)]
    procs = [
        Process(
            target=_screen_share,
            args=(port, cache_path, caching, share, args.workers, ready, go, results),
        )
        for share in shares
    ]
    for proc in procs:
        proc.start()
    ready.wait()  # every engine is built
    started = time.perf_counter()
    go.wait()
    done = [results.get() for _ in procs]
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.join()
    return elapsed, sum(ok for ok, _ in done), sum(cpu for _, cpu in done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=500)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=32, help="threads per process")
    parser.add_argument("--processes", type=int, default=2, help="screening processes")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {os.cpu_count()} cores (nproc), load average {load:.2f}")
    print(
        f"{args.processes} screening process(es) x {args.workers} threads; "
        f"answers delayed {args.delay} s"
    )
    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(child, args.delay), daemon=True)
    server.start()
    port = parent.recv()

    def asked() -> int:
        parent.send("total")
        return int(parent.recv())

    def report(label: str, result: tuple[float, int, float], questions: int) -> None:
        elapsed, ok, cpu = result
        print(
            f"{label}: {args.apps} applications in {elapsed:.2f} s ({cpu:.2f} s CPU), "
            f"{ok} with DNS facts, {questions} questions"
        )

    try:
        before = asked()
        result = run(port, None, False, args)
        questions = asked() - before
        report("caching off", result, questions)
        print(f"    one question after another would take {questions * args.delay:.0f} s")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "dns-cache.sqlite3"
            before = asked()
            result = run(port, path, True, args)
            report("disk cache, first run", result, asked() - before)
            before = asked()
            result = run(port, path, True, args)
            report("disk cache, second run (new engines)", result, asked() - before)
    finally:
        parent.send("stop")
        server.join(10)


if __name__ == "__main__":
    main()
