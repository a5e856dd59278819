"""Front-company and staffing-front domains from the packs' ``lists/front-company-domains.txt``.

Public reporting names web domains that North Korean IT workers used as fake employers, staffing
vendors and reference companies (four seized by the U.S. Government in October 2024, with a fifth
still active, in SentinelLabs' January 2025 report). The list ships in the identity pack; an
organisation adds its own by putting a file of the same name in a pack of its own, and every pack's
list is read. A line is a domain, then ``#`` and the company and public source, which the finding
quotes. The pack loader finds the files (``PackSet.list_files``); this module only reads them.
A domain matches when it is a listed domain or under one, or imitates one (look-alike
characters, a hiring word added, one edit away; the comparison ``lookalike`` uses for brands).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from screening.analyze.common.lookalike import brand_table, imitated_in
from screening.model.facts import Source

FRONT_COMPANY_LIST = "front-company-domains"
MAX_LIST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True)
class FrontCompanies:
    """The listed domains with their notes, and the tables to recognise imitations."""

    notes: dict[str, str] = field(default_factory=dict)  # domain -> company and source
    files: tuple[tuple[str, str], ...] = ()  # (pack folder name, list date)

    def match(self, domain: str) -> tuple[str, str, str] | None:
        """(listed domain, "listed" or "imitation", its note) for ``domain``, else None."""
        host = domain.lower().strip(".")
        parts = host.split(".")
        for i in range(len(parts) - 1):
            parent = ".".join(parts[i:])
            if parent in self.notes:
                return parent, "listed", self.notes[parent]
        brands, constructions = self._tables()
        imitated = imitated_in(host, brands, constructions)
        if imitated is not None:
            return imitated, "imitation", self.notes[imitated]
        return None

    def _tables(self) -> tuple[dict[str, str], dict[str, str]]:
        return _tables(tuple(sorted(self.notes)))

    def sources(self) -> list[Source]:
        """One source per pack list read."""
        return [
            Source(
                f"Front-company domains (pack {pack}, lists/{FRONT_COMPANY_LIST}.txt)",
                date or "undated",
            )
            for pack, date in self.files
        ]


@lru_cache(maxsize=8)
def _tables(domains: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    return brand_table(domains)


def load_front_companies(files: Iterable[tuple[str, Path]]) -> FrontCompanies:
    """Every pack's list, merged: ``files`` are (pack folder name, path) pairs in load order, as
    the pack loader finds them (shipped, configured and extra packs)."""
    notes: dict[str, str] = {}
    out: list[tuple[str, str]] = []
    for pack, path in files:
        if not path.is_file() or path.stat().st_size > MAX_LIST_BYTES:
            continue
        date = ""
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            entry, _, note = raw.partition("#")
            if not entry.strip():
                if note.strip().startswith("date:"):
                    date = note.strip().removeprefix("date:").strip()
                continue
            domain = entry.strip().lower().strip(".")
            if "." in domain and " " not in domain:
                notes.setdefault(domain, note.strip() or f"listed in pack {pack}")
        out.append((pack, date))
    return FrontCompanies(notes, tuple(out))
