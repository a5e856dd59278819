"""Benchmark: the reviewer console's inbox page at 10k and 100k screened applications (run by
hand).

    python bench/bench_console.py [--sizes 10000,100000] [--postgres URL] [--code DIR]

Target: a page load costs the same at 100k applications as at 10k — it reads only what was
screened since the last load (the job store's "finished since" cursor) and one page of the
inbox (filtered, sorted and limited in the database).

How: a fresh SQLite file (and, with ``--postgres``, a throwaway database on that server) gets N
finished jobs straight through SQL, each holding a real report (``examples/reports/
genuine-backend-engineer.json``, compressed like the store does). A real ``screening serve
--workers 0`` (the code in ``--code``, default this tree: pass an export of an older commit to
measure "before") serves the console on it; a reviewer signs in and loads ``/ui/inbox``: once
(the first load indexes every application: a one-off), then ``--loads`` times (median and p95),
then once more after 10 new applications finished (the cost of new arrivals), and ``/ui/rules``
(median). Times are the client's, over loopback HTTP, so rendering is included.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from screening.store.jobs import SqliteJobs, SqlJobs  # noqa: E402

REPORT = ROOT / "examples" / "reports" / "genuine-backend-engineer.json"
PASSWORD = "bench-password-0123"
TOKEN = "bench-token-" + "0" * 20
NEW = 10
# one application finished per second: 100k is a day of a busy hiring pipeline's screening;
# the sync re-reads the last SYNC_OVERLAP_SECONDS of jobs, so this sets that (small) part
SPACING = 1.0


def fill(store: SqlJobs, n: int, first: int, postgres: bool, start: float) -> None:
    """Jobs ``first`` .. ``first + n - 1``, done, each with the example report, job ``i``
    finishing at ``start + i * SPACING``; the status counter moved to match."""
    blob = zlib.compress(REPORT.read_bytes(), 6)
    series = (
        "SELECT i FROM generate_series(?::int, ?::int) AS i"
        if postgres
        else "WITH RECURSIVE s(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM s WHERE i < ?) "
        "SELECT i FROM s"
    )
    with store._write():
        store._run(
            "INSERT INTO jobs(id, vendor, delivery_key, status, meta, accepted_at, "
            "next_attempt_at, finished_at, screen_seconds, score, band, report_json) "
            "SELECT 'native-bench-' || i, 'native', 'd' || i, 'done', '{}', "
            "? + i * ?, ?, ? + i * ?, 0.2, 10.0, 'low', ? "
            f"FROM ({series}) AS g",
            (start - 60, SPACING, start, start, SPACING, blob, first, first + n - 1),
        )
        store._count("status", "done", n)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_server(code: Path, config: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCREENING_")}
    env.update(
        PYTHONPATH=str(code),
        SCREENING_SERVER__API_TOKENS=TOKEN,
        SCREENING_HISTORY__SECRET="bench-history-secret-0123456789abcdef",
    )
    add = [sys.executable, "-m", "screening", "reviewers", "add", "bench", "--password-stdin"]
    done = subprocess.run(
        [*add, "--config", str(config)],
        input=PASSWORD + "\n",
        text=True,
        env=env,
        capture_output=True,
        cwd=config.parent,
    )
    if done.returncode != 0:  # before this change, accounts lived in [store] path on PostgreSQL
        local = config.with_name("accounts.toml")
        text = config.read_text()
        local.write_text("\n".join(x for x in text.splitlines() if not x.startswith("url =")))
        subprocess.run(
            [*add, "--config", str(local)],
            input=PASSWORD + "\n",
            text=True,
            check=True,
            env=env,
            capture_output=True,
            cwd=config.parent,
        )
    serve = [sys.executable, "-m", "screening", "serve", "--workers", "0", "--port", str(port)]
    with log.open("ab") as handle:
        proc = subprocess.Popen(
            [*serve, "--config", str(config)],
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=config.parent,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the server did not start: {log.read_text()[-2000:]}")


def signed_in(port: int) -> httpx.Client:
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600)
    form = client.get("/ui/login").text
    found = re.search(r'name="csrf" value="([^"]+)"', form)
    assert found is not None
    answer = client.post(
        "/ui/login", data={"csrf": found.group(1), "name": "bench", "password": PASSWORD}
    )
    assert answer.status_code == 303, answer.text
    return client


def timed(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200, answer.text[:500]
    return elapsed * 1000


def measure(
    label: str, store: SqlJobs, config: Path, n: int, postgres: bool, code: Path, loads: int
) -> None:
    start = time.time() - (n + NEW + 1) * SPACING  # the last new one finishes a second ago
    started = time.perf_counter()
    fill(store, n, 1, postgres, start)
    filled = time.perf_counter() - started
    port = free_port()
    proc = run_server(code, config, port, config.parent / "server.log")
    try:
        client = signed_in(port)
        first = timed(client, "/ui/inbox")
        steady = [timed(client, "/ui/inbox") for _ in range(loads)]
        fill(store, NEW, n + 1, postgres, start)
        arrivals = timed(client, "/ui/inbox")
        rules = [timed(client, "/ui/rules") for _ in range(max(3, loads // 4))]
        assert "native-bench-" in client.get("/ui/inbox").text
        client.close()
    finally:
        proc.terminate()
        proc.wait(30)
    p95 = statistics.quantiles(steady, n=20)[-1] if len(steady) >= 20 else max(steady)
    print(
        f"{label:<10} {n:>7} jobs  fill {filled:5.1f} s  first load {first:9.1f} ms  "
        f"inbox median {statistics.median(steady):8.1f} ms  p95 {p95:8.1f} ms  "
        f"+{NEW} new {arrivals:8.1f} ms  rules median {statistics.median(rules):8.1f} ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--postgres", default=None, help="a server URL (a database is created)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--code", type=Path, default=ROOT, help="the source tree to serve")
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    print(f"code: {args.code}  cpus: {os.cpu_count()}", flush=True)
    for n in (int(s) for s in args.sizes.split(",")):
        if not args.no_sqlite:
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "db.sqlite3"
                config = Path(tmp) / "screening.toml"
                config.write_text(
                    f'[store]\npath = "{db}"\n[network]\noffline = true\n'
                    "[ui]\ncookie_secure = false\n"
                )
                store = SqliteJobs(db)
                try:
                    measure("sqlite", store, config, n, False, args.code, args.loads)
                finally:
                    store.close()
        if args.postgres:
            measure_postgres(args.postgres, n, args.code, args.loads)


def measure_postgres(server: str, n: int, code: Path, loads: int) -> None:
    import psycopg

    from screening.store.jobs_pg import PostgresJobs

    name = f"screening_bench_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"'.encode())
    url = server.rsplit("/", 1)[0] + "/" + name
    try:
        with tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "screening.toml"
            config.write_text(
                f'[store]\nurl = "{url}"\npath = "{Path(tmp) / "local.sqlite3"}"\n'
                "[network]\noffline = true\n[ui]\ncookie_secure = false\n"
            )
            store = PostgresJobs(url)
            try:
                measure("postgresql", store, config, n, True, code, loads)
            finally:
                store.close()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())


if __name__ == "__main__":
    main()
