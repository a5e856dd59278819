"""Benchmark of reuse lookup in the history store (run by hand; not part of the tests).

    python bench/bench_history.py [--sizes 10000,100000,1000000] [--lookups 500] [--dir DIR]

Targets: looking up one new application against a store of 1,000,000 generated applications
takes <= 10 ms median, and no more than 3x the time at 10,000. The first store is filled through
``HistoryStore.record`` (the product's own write path, one transaction per application); the
larger ones get the same rows bulk-inserted, since one commit per application is bound by disk
latency, not by what is measured here. Each generated application has six keyed identifiers,
about 2% of them drawn from a pool of reused phones and shipping addresses (persona clusters),
a whole-name key from a pool of 5,000 common names, and a resume signature for half of them.
Each lookup is for a new application sharing one email with the store; "analyze" adds
fingerprinting a generated application (HMACs, and MinHash when it has resume text) and building
the facts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from generate import application  # noqa: E402

from screening.analyze import AnalysisContext  # noqa: E402
from screening.analyze.common.shingles import BANDS, ROWS  # noqa: E402
from screening.analyze.history import HistoryAnalyzer  # noqa: E402
from screening.ingest import from_mapping  # noqa: E402
from screening.normalize import normalize  # noqa: E402
from screening.store.history import (  # noqa: E402
    Fingerprint,
    HistoryStore,
    KeyedIdentifier,
    KeyedName,
)

NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
COMMON_NAMES = 5_000


def fingerprint(store: HistoryStore, i: int, rng: random.Random) -> Fingerprint:
    """A generated application's keyed fingerprint; about 2% reuse a clustered identifier."""

    def ident(kind: str, role: str, value: str) -> KeyedIdentifier:
        return KeyedIdentifier(kind, role, store.digest(kind, value))

    cluster = rng.randrange(2_000) if rng.random() < 0.02 else None
    phone = f"cluster-phone-{cluster}" if cluster is not None else f"+1555{i:09d}"
    idents = [
        ident("phone", "own", phone),
        ident("email", "own", f"user{i}@example.com"),
        ident("address", "home", f"{i} main st|city{i % 997}|{i % 99999:05d}|US"),
        ident("address", "shipping", f"cluster-address-{cluster}" if cluster else f"{i} ship"),
        ident("handle", "github", f"github:user{i}"),
        ident("wallet", "payment", f"0x{i:040x}"),
    ]
    name = rng.randrange(COMMON_NAMES)
    token = frozenset({store.digest("name-token", f"w:n{name}", 8).hex()})
    resume: tuple[int, ...] = ()
    bands: tuple[bytes, ...] = ()
    if i % 2 == 0:
        resume = tuple(rng.getrandbits(63) for _ in range(64))
        bands = tuple(  # the product's layout: BANDS bands of ROWS values
            hashlib.blake2b(
                f"{b}:{resume[b * ROWS : (b + 1) * ROWS]}".encode(), digest_size=16
            ).digest()
            for b in range(BANDS)
        )
    return Fingerprint(
        application_id=f"gen-{i:07d}",
        identifiers=tuple(idents),
        names=(KeyedName("latin", (token, token)),),
        name_keys=(store.digest("whole-name", f"name-{name}"),),
        resume=resume,
        resume_bands=bands,
    )


def fill(store: HistoryStore, start: int, stop: int, rng: random.Random) -> float:
    """Record applications through ``HistoryStore.record``, one transaction each."""
    began = time.perf_counter()
    for i in range(start, stop):
        store.record(fingerprint(store, i, rng), score=10.0, band="low", recorded_at=NOW)
    return time.perf_counter() - began


def bulk_fill(store: HistoryStore, start: int, stop: int, rng: random.Random) -> float:
    """The same rows as ``record`` writes, inserted 50,000 applications per transaction.

    Only to build the large stores in minutes: one commit per application is bound by the
    file system's write latency, not by the lookup this benchmark measures.
    """
    began = time.perf_counter()
    conn = sqlite3.connect(store.path, isolation_level=None)
    recorded = NOW.isoformat()
    for chunk in range(start, stop, 50_000):
        apps, idents, names, resumes, bands = [], [], [], [], []
        for i in range(chunk, min(chunk + 50_000, stop)):
            fp = fingerprint(store, i, rng)
            key = i + 1
            apps.append((key, fp.application_id, recorded, 10.0, "low", "[]"))
            idents.extend((d.digest, key, d.kind, d.role) for d in fp.identifiers)
            names.extend((k, key) for k in fp.name_keys)
            if fp.resume:
                resumes.append((key, b"".join(v.to_bytes(8, "big") for v in fp.resume)))
                bands.extend((b, key) for b in fp.resume_bands)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO history_applications"
            "(app_key, application_id, recorded_at, score, band, names) VALUES (?,?,?,?,?,?)",
            apps,
        )
        conn.executemany("INSERT OR IGNORE INTO history_identifiers VALUES (?,?,?,?)", idents)
        conn.executemany("INSERT OR IGNORE INTO history_names VALUES (?,?)", names)
        conn.executemany("INSERT INTO history_resumes VALUES (?,?)", resumes)
        conn.executemany("INSERT OR IGNORE INTO history_resume_bands VALUES (?,?)", bands)
        conn.execute(
            "UPDATE history_meta SET value = CAST(CAST(value AS INTEGER) + ? AS TEXT) "
            "WHERE key = 'applications'",
            (len(apps),),
        )
        conn.execute("COMMIT")
        print(f"  inserted {min(chunk + 50_000, stop):,}", flush=True)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return time.perf_counter() - began


def lookups(store: HistoryStore, size: int, count: int, rng: random.Random) -> list[float]:
    out = []
    for n in range(count):
        fp = fingerprint(store, size + 10_000_000 + n, rng)
        shared = fingerprint(store, rng.randrange(size), random.Random(n))
        fp = Fingerprint(
            fp.application_id,
            (*fp.identifiers[1:], shared.identifiers[1]),  # shares one email
            fp.names,
            fp.name_keys,
            fp.resume,
            fp.resume_bands,
        )
        began = time.perf_counter()
        store.lookup(fp)
        out.append((time.perf_counter() - began) * 1000)
    return out


def analyze_times(store: HistoryStore, count: int) -> list[float]:
    analyzer = HistoryAnalyzer(store)
    rng = random.Random(7)
    apps = [normalize(from_mapping(application(i, rng), "bench")) for i in range(count)]
    ctx = AnalysisContext()
    out = []
    for app in apps:
        began = time.perf_counter()
        analyzer.analyze(app, ctx)
        out.append((time.perf_counter() - began) * 1000)
    return out


def show(label: str, ms: list[float]) -> float:
    ms = sorted(ms)
    median = statistics.median(ms)
    print(f"{label:44} median {median:7.3f} ms   p95 {ms[int(len(ms) * 0.95) - 1]:7.3f} ms")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print(f"machine: {os.cpu_count()} cores (nproc), Python {sys.version.split()[0]}")
    folder = Path(tempfile.mkdtemp(prefix="bench-history-", dir=args.dir))
    store = HistoryStore.open(folder / "history.sqlite3", "bench-secret-0123456789abcdef")
    rng = random.Random(1)
    filled = 0
    medians = {}
    for size in sizes:
        how = "recorded" if filled == 0 else "bulk-inserted"
        seconds = (fill if filled == 0 else bulk_fill)(store, filled, size, rng)
        print(
            f"store of {size:,}: {how} {size - filled:,} in {seconds:.1f} s "
            f"({(size - filled) / max(seconds, 1e-9):,.0f}/s), "
            f"file {(folder / 'history.sqlite3').stat().st_size / 1e6:,.0f} MB"
        )
        filled = size
        medians[size] = show(f"  lookup at {size:,}", lookups(store, size, args.lookups, rng))
        show(f"  analyze (fingerprint + lookup) at {size:,}", analyze_times(store, 200))
    if len(sizes) > 1:
        print(f"ratio largest/smallest: {medians[sizes[-1]] / medians[sizes[0]]:.2f}x")
    print(f"store left in {folder} (delete it when done)")


if __name__ == "__main__":
    main()
