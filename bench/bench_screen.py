"""Benchmarks for the foundation's performance targets (run by hand; not part of the tests).

    python bench/bench_screen.py [--runs 2000] [--batch 10000]

Targets (2-core machine): screening one application without documents or network (normalize,
facts and rules, from an already-read application) median <= 2 ms; HTML rendering median <= 3 ms;
``screening batch`` over 10,000 generated applications <= 60 s with reports written;
``screening check`` on one application, start to finish, <= 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import application  # noqa: E402

from screening.config import Settings  # noqa: E402
from screening.ingest import from_mapping  # noqa: E402
from screening.pipeline import Engine  # noqa: E402
from screening.report import render  # noqa: E402


def timed(fn: object, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(f"{name:52} median {statistics.median(ms):7.3f} ms   p95 {p95:7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=10_000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")

    import random

    engine = Engine.build(Settings(), offline=True)
    rng = random.Random(1)
    clean = from_mapping(application(1, rng), "clean")
    signals = from_mapping(application(5, rng), "signals")
    for raw in (clean, signals):
        engine.screen(raw)  # warm caches (number-plan metadata, lists)
    summary("screen one application (consistent)", timed(lambda: engine.screen(clean), args.runs))
    summary(
        "screen one application (many signals)", timed(lambda: engine.screen(signals), args.runs)
    )
    screening = engine.screen(signals)
    render(screening, "html")
    summary(
        f"render HTML ({len(screening.findings)} findings)",
        timed(lambda: render(screening, "html"), args.runs),
    )

    exe = str(Path(sys.executable).with_name("screening"))
    example = str(ROOT / "examples" / "impostor-many-signals.yml")
    starts = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([exe, "check", "--no-record", example], check=True, capture_output=True)
        starts.append((time.perf_counter() - start) * 1000)
    summary("`screening check` start to finish (PDF resume)", starts)

    if args.batch:
        work = Path(tempfile.mkdtemp(prefix="screening-bench-"))
        try:
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "bench" / "generate.py"),
                    str(work / "in"),
                    "--count",
                    str(args.batch),
                ],
                check=True,
            )
            # a scratch history store: the benchmark must not fill the user's own
            env = {**os.environ, "SCREENING_STORE__PATH": str(work / "history.sqlite3")}
            start = time.perf_counter()
            proc = subprocess.run(
                [exe, "batch", str(work / "in"), "-o", str(work / "out")],
                capture_output=True,
                text=True,
                env=env,
            )
            seconds = time.perf_counter() - start
            reports = len(list((work / "out" / "reports").iterdir()))
            print(
                f"`screening batch` over {args.batch} applications: {seconds:.1f} s "
                f"({reports} report files, exit {proc.returncode})"
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
