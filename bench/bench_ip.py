"""Offline IP lookup benchmark (run by hand).

    python bench/bench_ip.py [--addresses 200000]

Target (2-core machine): one address through ``IpIntel.examine`` (parse, special ranges,
embedded RIR country, hosting/VPN/Astrill/Tor lists, sanctioned jurisdictions) costs <= 20 us with
the lists that ship (about 51,000 hosting blocks, 11,000 VPN blocks, 2,400 Astrill exits, 7,000
Tor relay addresses). ``--synthetic`` measures random updated copies of the same size instead.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from screening.analyze.ips import IpIntel, IpOptions
from screening.analyze.ips.netlists import HOSTING, TOR, VPN
from screening.lists import ListChoices


def _blocks(rng: random.Random, count: int, prefixes: tuple[int, ...]) -> str:
    lines = []
    for _ in range(count):
        prefix = rng.choice(prefixes)
        net = ipaddress.ip_network((rng.getrandbits(32), prefix), strict=False)
        lines.append(f"{net} Provider {rng.randrange(200)}")
    return "\n".join(lines) + "\n"


def write_lists(root: Path, rng: random.Random) -> None:
    """Updated copies in the layout ``screening lists update`` writes."""
    files = {
        (HOSTING.name, HOSTING.files[0].filename): _blocks(rng, 30_000, (16, 18, 20, 22, 24)),
        (VPN.name, VPN.files[0].filename): _blocks(rng, 12_000, (22, 24, 28, 32)),
        (TOR.name, TOR.files[0].filename): _blocks(rng, 2_000, (32,)),
    }
    for (name, filename), text in files.items():
        (root / name).mkdir(parents=True, exist_ok=True)
        (root / name / filename).write_text(text, encoding="utf-8")


def _listed_addresses(choices: ListChoices, rng: random.Random, count: int) -> list[str]:
    """Addresses inside listed blocks (every lookup a hit), drawn from the lists in use."""
    from screening.analyze.ips.netlists import BY_FACT
    from screening.analyze.ips.ranges import parse_lines
    from screening.lists import files_in_use

    networks = [
        line.network
        for _, specs in BY_FACT
        for spec in specs
        for path in files_in_use(spec, choices)
        for _, line, _ in parse_lines(path.read_text(encoding="utf-8"))
        if line is not None
    ]
    picked = [rng.choice(networks) for _ in range(count)]
    return [str(net[rng.randrange(min(net.num_addresses, 1 << 16))]) for net in picked]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addresses", type=int, default=200_000)
    parser.add_argument("--synthetic", action="store_true", help="random lists, not the shipped")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores (nproc), Python {sys.version.split()[0]}")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        if args.synthetic:
            write_lists(Path(tmp), rng)
        intel = IpIntel(IpOptions(lists=ListChoices(dir=Path(tmp))))
        started = time.perf_counter()
        lists = intel.lists()
        print(
            f"lists loaded in {time.perf_counter() - started:.2f} s: "
            + ", ".join(f"{x.name} {len(x.table)}" for x in lists.all())
        )
        v4 = [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(args.addresses)]
        v6 = [
            str(ipaddress.IPv6Address((0x2 << 124) | rng.getrandbits(124))) for _ in range(20_000)
        ]
        listed = _listed_addresses(ListChoices(dir=Path(tmp)), rng, 20_000)
        for label, addresses in (("IPv4", v4), ("IPv6", v6), ("listed", listed)):
            runs, cpu = [], []
            for _ in range(3):
                started, started_cpu = time.perf_counter(), time.process_time()
                for address in addresses:
                    intel.examine(address)
                runs.append((time.perf_counter() - started) / len(addresses) * 1e6)
                cpu.append((time.process_time() - started_cpu) / len(addresses) * 1e6)
            print(
                f"{label}: {statistics.median(runs):.2f} us per address wall, "
                f"{statistics.median(cpu):.2f} us CPU (median of 3 runs; CPU time is the "
                "figure to compare on a shared machine)"
            )


if __name__ == "__main__":
    main()
