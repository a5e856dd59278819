"""Benchmark of stage 6 (report): render one realistic screening as HTML, Markdown and JSON.

Target (from the report stage's brief): median HTML render <= 3 ms for a screening with about
eight findings, on a two-core machine. The first call per format compiles the template and is
left out of the figures; a long-running process (batch, server) pays it once. The screening is
the one the report tests render (tests/report/report_fixtures.py): eight findings, a rule not
evaluated, checks, sources and an employment timeline.

    python bench/bench_render.py [--runs 500]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "report"))

from report_fixtures import build  # noqa: E402

from screening.report import render  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    screening = build()
    for fmt in ("html", "md", "json"):
        size = len(render(screening, fmt))  # warm-up: compiles the template once
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            render(screening, fmt)
            times.append(time.perf_counter() - start)
        times.sort()
        median = statistics.median(times) * 1000
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)] * 1000
        print(f"render({fmt!r:6}) median {median:6.3f} ms  p95 {p95:6.3f} ms  ({size} chars)")


if __name__ == "__main__":
    main()
