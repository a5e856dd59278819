"""Measures of issue 12 (run by hand; not part of the tests).

    python bench/bench_hostile.py [--rows 150000] [--examples 100] [--skip-batch]

1. The slowest application of the hostile corpus (tests/corpus/hostile/make_corpus.py): each file
   read and screened in-process by one engine (offline), and each file through ``screening
   check`` as a command (start to finish).
2. Peak memory of ``screening batch`` over a CSV export of ``--rows`` rows (target: flat in the
   number of rows, <= 300 MB), measured as the peak resident size of the batch process and its
   workers; also at a tenth of the rows, to show it is flat.
3. The schemathesis fuzz of the server (tests/server/test_fuzz.py): calls made and 5xx found.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "corpus" / "hostile"))
sys.path.insert(0, str(ROOT / "tests" / "server"))

from make_corpus import generate  # noqa: E402

from screening.config import Settings  # noqa: E402
from screening.ingest import IngestFailure  # noqa: E402
from screening.pipeline import Engine  # noqa: E402

SCREENING = Path(sys.executable).parent / "screening"
MEASURE = (
    "import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
)


def peak_of(args: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Seconds, peak resident kB (the command and its children), last stderr lines."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, env=env
    )
    *lines, peak = done.stderr.splitlines()
    return time.perf_counter() - started, int(peak), "\n".join(lines[-2:])


def slowest(tmp: Path) -> None:
    files, _ = generate(tmp / "corpus")
    engine = Engine.build(Settings(), offline=True)
    times = []
    for path in files:
        started = time.perf_counter()
        for item in engine.iter_read(path):
            if not isinstance(item, IngestFailure):
                engine.screen(item)
        times.append((time.perf_counter() - started, path.name))
    times.sort(reverse=True)
    print(f"hostile corpus: {len(files)} files; slowest read+screen in-process:")
    for seconds, name in times[:3]:
        print(f"  {seconds:7.3f} s  {name}")
    commands = []
    for path in files:
        started = time.perf_counter()
        subprocess.run(
            [str(SCREENING), "check", str(path), "--offline", "--no-record", "--format", "json"],
            capture_output=True,
        )
        commands.append((time.perf_counter() - started, path.name))
    commands.sort(reverse=True)
    print("slowest `screening check FILE --offline` (process start to exit):")
    for seconds, name in commands[:3]:
        print(f"  {seconds:7.3f} s  {name}")


def csv_export(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("id,name,emails,phones,country\n")
        for i in range(rows):
            fh.write(f"r{i},Ana Lima{i % 97},ana{i}@example.com,+351 912 {i % 1000:03d} 678,PT\n")


def batch_memory(tmp: Path, rows: int) -> None:
    env = {
        **os.environ,
        "SCREENING_LIMITS__MAX_CSV_ROWS": str(rows + 1),
        "SCREENING_LIMITS__MAX_FILE_BYTES": str(100 * 1024 * 1024),
        "SCREENING_STORE__PATH": str(tmp / "history.sqlite3"),
    }
    for n in (max(rows // 10, 1), rows):
        export = tmp / f"export-{n}.csv"
        csv_export(export, n)
        seconds, peak, tail = peak_of(
            [str(SCREENING), "batch", str(export), "-o", str(tmp / f"out-{n}"), "--offline",
             "--no-record", "--format", "json", "-j", "2"],
            env,
        )  # fmt: skip
        size = export.stat().st_size / 1e6
        print(
            f"batch over {n} CSV rows ({size:.1f} MB): {seconds:.0f} s, peak {peak / 1024:.0f} MB"
        )
        print(f"  {tail}")


def fuzz(tmp: Path, examples: int) -> None:
    from serverkit import Server, base_config, secrets_env
    from test_fuzz import fuzz as run_fuzz

    env = {**secrets_env(), "SCREENING_SERVER__LEVER__API_KEY": "lever-key-0001"}
    server = Server(tmp, base_config(tmp / "jobs.sqlite3", workers=1), env).start()
    try:
        started = time.perf_counter()
        calls, errors = run_fuzz(server, examples)
        seconds = time.perf_counter() - started
    finally:
        server.stop()
    print(f"schemathesis fuzz: {calls} calls in {seconds:.0f} s, {len(errors)} server errors")
    for error in errors[:5]:
        print(f"  {error}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--examples", type=int, default=100)
    parser.add_argument("--skip-batch", action="store_true")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}")
    with tempfile.TemporaryDirectory() as tmp:
        slowest(Path(tmp))
        fuzz(Path(tmp), args.examples)
        if not args.skip_batch:
            batch_memory(Path(tmp), args.rows)


if __name__ == "__main__":
    main()
