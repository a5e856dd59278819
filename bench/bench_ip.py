"""Offline IP lookup benchmark (run by hand).

    python bench/bench_ip.py [--addresses 200000]

Target (2-core machine): one address through ``IpIntel.examine`` (parse, special ranges,
embedded RIR country, hosting/VPN/Tor lists, sanctioned jurisdictions) costs <= 20 us, with lists
the size of the real downloads (about 30,000 hosting blocks, 12,000 VPN blocks, 2,000 Tor
exits), written here as synthetic updated copies so the shipped seed is not what is measured.
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

from screening.analyze.ipintel import IpIntel, IpOptions
from screening.analyze.ipintel.netlists import HOSTING, TOR, VPN


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addresses", type=int, default=200_000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores (nproc), Python {sys.version.split()[0]}")
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        write_lists(Path(tmp), rng)
        intel = IpIntel(IpOptions(lists_dir=Path(tmp)))
        started = time.perf_counter()
        lists = intel.lists()
        print(
            f"lists loaded in {time.perf_counter() - started:.2f} s: "
            f"{len(lists.hosting.table)} hosting, {len(lists.vpn.table)} VPN, "
            f"{len(lists.tor.table)} Tor blocks"
        )
        v4 = [str(ipaddress.IPv4Address(rng.getrandbits(32))) for _ in range(args.addresses)]
        v6 = [
            str(ipaddress.IPv6Address((0x2 << 124) | rng.getrandbits(124))) for _ in range(20_000)
        ]
        for label, addresses in (("IPv4", v4), ("IPv6", v6)):
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                for address in addresses:
                    intel.examine(address)
                runs.append((time.perf_counter() - started) / len(addresses) * 1e6)
            print(f"{label}: {statistics.median(runs):.2f} us per address (median of 3 runs)")


if __name__ == "__main__":
    main()
