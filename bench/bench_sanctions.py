"""Benchmark of sanctions screening against a 20,000-entry list (run by hand; not in the tests).

    python bench/bench_sanctions.py [--entries 20000] [--runs 2000]

Target: screening one application's names, emails, wallets and websites against a
20,000-entry list takes <= 20 ms. The list is generated in the official OFAC CSV layout
(``sdn.csv`` plus an ``alt.csv`` with about one strong alias per person): about half people,
named from syllable and surname pools of several regions so that surnames repeat heavily, as on
the real list, the rest organisations; a tenth of the entries carry emails or wallet addresses in
Remarks. Applications are the generated ones of ``bench/generate.py`` plus names built from the
same pools (worst case: many share a surname with hundreds of listed people).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import application  # noqa: E402

from screening.analyze import AnalysisContext  # noqa: E402
from screening.analyze.sanctions import SanctionsAnalyzer  # noqa: E402
from screening.ingest import from_mapping  # noqa: E402
from screening.normalize import normalize  # noqa: E402

SURNAMES = [
    "KIM",
    "RI",
    "PAK",
    "CHOE",
    "JONG",
    "KANG",
    "CHO",
    "YUN",
    "JANG",
    "HAN",
    "WANG",
    "LI",
    "ZHANG",
    "LIU",
    "CHEN",
    "YANG",
    "HUANG",
    "ZHAO",
    "AL-HASSAN",
    "AL-RASHID",
    "HUSSEIN",
    "RAHMAN",
    "KHAN",
    "MOHAMMED",
    "IVANOV",
    "PETROV",
    "SMIRNOV",
    "VOLKOV",
    "GARCIA",
    "LOPEZ",
    "MARTINEZ",
    "RODRIGUEZ",
    "HERNANDEZ",
    "SMITH",
    "JOHNSON",
    "BROWN",
    "NGUYEN",
    "TRAN",
    "LE",
]
SYLLABLES = [
    "Yong",
    "Chol",
    "Song",
    "Il",
    "Kwang",
    "Hyok",
    "Jin",
    "Min",
    "Su",
    "Nam",
    "Ho",
    "Wei",
    "Jun",
    "Ming",
    "Hua",
    "Lei",
    "Ahmad",
    "Omar",
    "Yusuf",
    "Ali",
    "Sergei",
    "Ivan",
    "Dmitri",
    "Juan",
    "Carlos",
    "Jose",
    "Luis",
    "John",
    "David",
    "Michael",
    "Anh",
    "Minh",
    "Thanh",
    "Hung",
]
WORDS = [
    "KOREA",
    "GENERAL",
    "TRADING",
    "CORPORATION",
    "SHIPPING",
    "BANK",
    "GROUP",
    "TECH",
    "INTERNATIONAL",
    "LIMITED",
    "MINING",
    "ENERGY",
    "HOLDINGS",
    "INDUSTRIAL",
    "SOLUTIONS",
]
E = "-0- "


def quoted(fields: list[str]) -> str:
    return ",".join(f if f == E else '"' + f.replace('"', '""') + '"' for f in fields)


def person(rng: random.Random) -> str:
    given = " ".join(rng.choice(SYLLABLES) for _ in range(rng.choice((1, 2, 2))))
    return f"{rng.choice(SURNAMES)}, {given}"


def write_list(folder: Path, entries: int, rng: random.Random) -> Path:
    sdn, alt = [], []
    for n in range(entries):
        ent = str(100_000 + n)
        remarks = E
        if rng.random() < 0.1:
            remarks = (
                f"Email Address listed{n}@mail.example; Digital Currency Address - ETH 0x{n:040x}."
            )
        if rng.random() < 0.5:
            name, kind = person(rng), "individual"
            remarks = f"DOB {rng.randint(1, 28):02d} Jan {rng.randint(1950, 2000)}; " + (
                remarks if remarks != E else "nationality Example."
            )
            for a in range(rng.choice((0, 1, 1, 2))):
                alt.append([ent, str(n * 3 + a), "aka", person(rng), E])
        else:
            name = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5)))
            kind = E
        sdn.append([ent, name, kind, "DPRK3", E, E, E, E, E, E, E, remarks])
    (folder / "sdn.csv").write_bytes(
        ("\r\n".join(quoted(r) for r in sdn) + "\r\n").encode("cp1252") + b"\x1a"
    )
    (folder / "alt.csv").write_bytes(
        ("\r\n".join(quoted(r) for r in alt) + "\r\n").encode("cp1252") + b"\x1a"
    )
    return folder / "sdn.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=2000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores (nproc), Python {sys.version.split()[0]}")
    rng = random.Random(3)
    folder = Path(tempfile.mkdtemp(prefix="bench-sanctions-"))
    sdn = write_list(folder, args.entries, rng)
    analyzer = SanctionsAnalyzer([sdn], folder / "lists", include_ofac=False)
    began = time.perf_counter()
    index = analyzer.index()
    print(
        f"loaded {index.entries:,} entries ({len(index.names):,} name forms) in "
        f"{time.perf_counter() - began:.2f} s"
    )
    apps = []
    for i in range(args.runs):
        data = application(i, rng)
        if i % 2:
            data["name"] = person(rng).replace(",", "")
            data["aliases"] = [person(rng).replace(",", "")]
        apps.append(normalize(from_mapping(data, "bench")))
    ctx = AnalysisContext()
    times, hits = [], 0
    for app in apps:
        start = time.perf_counter()
        result = analyzer.analyze(app, ctx)
        times.append((time.perf_counter() - start) * 1000)
        hits += bool(result.records.get("sanctions"))
    times.sort()
    print(
        f"screen one application vs {index.entries:,} entries: median "
        f"{statistics.median(times):.3f} ms, p95 {times[int(len(times) * 0.95) - 1]:.3f} ms, "
        f"max {times[-1]:.3f} ms ({hits} of {len(apps)} with a match)"
    )


if __name__ == "__main__":
    main()
