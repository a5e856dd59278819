"""Generate synthetic applications for benchmarks (deterministic; nothing here is real data).

    python bench/generate.py OUTDIR [--count 10000]

About a fifth of the applications carry several impostor-style signals; the rest are
consistent applications from many countries.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

PLACES = [
    ("US", "Austin", "America/Chicago", "+1 512 555 01{:02d}"),
    ("PT", "Lisbon", "Europe/Lisbon", "+351 912 345 6{:02d}"),
    ("KR", "Seoul", "Asia/Seoul", "+82 10 2345 67{:02d}"),
    ("NG", "Lagos", "Africa/Lagos", "+234 803 123 45{:02d}"),
    ("IN", "Pune", "Asia/Kolkata", "+91 98450 123{:02d}"),
    ("PL", "Warsaw", "Europe/Warsaw", "+48 512 345 6{:02d}"),
    ("BR", "Recife", "America/Recife", "+55 81 91234 56{:02d}"),
    ("VN", "Hanoi", "Asia/Ho_Chi_Minh", "+84 912 345 6{:02d}"),
]
FIRST = ["Ana", "Jon", "Minjun", "Seun", "Priya", "Lukasz", "Joao", "An", "Maria", "Kwame"]
LAST = ["Souza", "Miller", "Kim", "Adeyemi", "Patel", "Nowak", "Silva", "Nguyen", "Lopez", "Mensah"]


def application(i: int, rng: random.Random) -> dict[str, Any]:
    """One synthetic application; every fifth one has several signals."""
    country, city, tz, phone = rng.choice(PLACES)
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = f"{first} {last}"
    handle = f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}"
    app: dict[str, Any] = {
        "id": f"gen-{i:05d}",
        "received_at": "2025-06-10T10:00:00Z",
        "name": name,
        "emails": [f"{handle}@example.com"],
        "phones": [phone.format(rng.randint(0, 99))],
        "location": {"country": country, "city": city, "timezone": tz},
        "addresses": [
            {
                "kind": "home",
                "line1": f"{rng.randint(1, 200)} Main St",
                "city": city,
                "country": country,
            }
        ],
        "links": [f"https://github.com/{first.lower()}{last.lower()}"],
        "skills": ["Python", "SQL", "React"],
        "employment": [
            {
                "employer": "Example Tech",
                "title": "Engineer",
                "start": "2020-01",
                "end": "present",
                "website": "example-tech.example",
            },
            {"employer": "Previous Co", "title": "Developer", "start": "2016-03", "end": "2019-12"},
        ],
        "education": [{"institution": "Example University", "start": 2012, "end": 2016}],
        "references": [
            {
                "name": "Alex Morgan",
                "email": "alex.morgan@example-tech.example",
                "relationship": "manager",
            }
        ],
        "network": [
            {
                "ip": f"203.0.113.{rng.randint(1, 254)}",
                "seen_at": "2025-06-10T10:00:00Z",
                "utc_offset_minutes": 0,
            }
        ],
        "payment": {"method": "bank", "account_holder": name, "bank_country": country},
        "messages": [{"from": "candidate", "at": "2025-06-11T09:00:00Z", "text": "Thanks"}],
    }
    if i % 5 == 0:
        app["emails"].append(f"luckydev{rng.randint(1000, 9999)}@mailinator.com")
        app["network"][0]["utc_offset_minutes"] = 540
        app["references"][0]["phone"] = app["phones"][0]
        app["payment"] = {
            "method": "USDT",
            "account_holder": "Mark Peterson",
            "wallets": ["0x" + f"{rng.getrandbits(160):040x}"],
        }
        app["addresses"].append({"kind": "shipping", "city": "Kowloon", "country": "HK"})
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(42)
    for i in range(args.count):
        text = yaml.safe_dump(application(i, rng), allow_unicode=True, sort_keys=False)
        (args.outdir / f"app-{i:05d}.yml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
