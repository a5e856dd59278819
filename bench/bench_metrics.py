"""Benchmark: what one ``/metrics`` scrape costs the store at 10k and 1M jobs (run by hand).

    python bench/bench_metrics.py [--sizes 10000,1000000] [--postgres URL]

Target: flat — the same time at 1M jobs as at 10k (``QueueStats`` is read from counters kept
as jobs move, plus two index lookups for the oldest pending job).

How: a fresh SQLite file (and, with ``--postgres``, a throwaway database on that server) is
filled with N finished jobs straight through SQL in one transaction (small payload-free rows, the
counters set to match, one pending job), then ``stats()`` plus the exposition text is timed
over 200 scrapes: median and p99. The scrape is measured in-process, without HTTP, so only the
part that depends on the table size is timed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.server.metrics import Metrics  # noqa: E402
from screening.store.jobs import SqliteJobs, SqlJobs  # noqa: E402

SCRAPES = 200


def fill(store: SqlJobs, n: int, postgres: bool) -> None:
    """N done jobs and one queued, counters to match: rows generated inside the database."""
    now = time.time()
    series = (
        "SELECT i FROM generate_series(1, ?) AS i"
        if postgres
        else "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) "
        "SELECT i FROM s"
    )
    with store._write():
        store._run(
            "INSERT INTO jobs(id, vendor, delivery_key, status, meta, accepted_at, "
            "next_attempt_at, finished_at, screen_seconds, score) "
            "SELECT 'bench-' || i, 'native', 'd' || i, 'done', '{}', ?, ?, ?, 0.2, 10.0 "
            f"FROM ({series}) AS g",
            (now - 3600, now, now, n),
        )
        store._run(
            "INSERT INTO jobs(id, vendor, delivery_key, status, meta, accepted_at, "
            "next_attempt_at) VALUES ('pending', 'native', 'dp', 'queued', '{}', ?, ?)",
            (now - 5, now - 5),
        )
        store._count("status", "done", n)
        store._count("status", "queued", 1)


def timed(store: SqlJobs) -> tuple[float, float]:
    metrics = Metrics()
    times = []
    for _ in range(SCRAPES):
        started = time.perf_counter()
        metrics.render(store.stats(), 1)
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.99 * len(times))] * 1000


def report(backend: str, n: int, median: float, p99: float) -> None:
    print(f"{backend:<10} {n:>9,} jobs: /metrics median {median:.3f} ms, p99 {p99:.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a database is created)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"nproc={os.cpu_count()} load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            store = SqliteJobs(Path(tmp) / "jobs.sqlite3")
            fill(store, n, postgres=False)
            med, p99 = timed(store)
            report("sqlite", n, med, p99)
            store.close()
        if args.postgres:
            import psycopg

            from screening.store.jobs_pg import PostgresJobs

            name = f"bench_metrics_{secrets.token_hex(4)}"
            with psycopg.connect(args.postgres, autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"'.encode())
            url = args.postgres.rsplit("/", 1)[0] + "/" + name
            try:
                pg = PostgresJobs(url)
                fill(pg, n, postgres=True)
                pg._run("ANALYZE jobs")
                med, p99 = timed(pg)
                report("postgresql", n, med, p99)
                pg.close()
            finally:
                with psycopg.connect(args.postgres, autocommit=True) as admin:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


if __name__ == "__main__":
    main()
