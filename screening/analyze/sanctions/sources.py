"""Stage 3 (analyze): which sanctions lists are screened, where each copy is, and loading them.

The OFAC SDN list is registered with ``screening.lists`` as ``ofac-sdn``: ``screening lists update``
downloads the current ``SDN_ADVANCED.XML`` from OFAC's Sanctions List Service (every program: names,
aliases, birth dates, identifiers, e-mail and digital-currency addresses), parses it whole before it
replaces the copy in use, and keeps it gzipped. A ``sdn.csv`` left by an older version's update is
still read until the first new update. Until then a snapshot ships with the package so screening
works offline out of the box, each part under its own date: the North Korea program entries of the
official advanced XML issued 2025-11-19, the North Korea entries published after it (names,
2026-08-20), and the digital-currency addresses of *every* program (with their parties as of
2025-11-19, and the addresses added up to 2026-08-22), so a salary to any sanctioned wallet is
caught, not only to a North Korean one. Files the user supplies (``[sanctions] files``) are read by
their form: ``.xml`` (or ``.xml.gz``) is OFAC's ``sdn.xml`` or its advanced form
``SDN_ADVANCED.XML`` / ``CONS_ADVANCED.XML`` (told apart by the root element),
``.json``/``.jsonl``/``.ndjson`` are FollowTheMoney entities, a ``.csv`` (or a folder holding one)
is an OFAC ``sdn.csv`` read together with the ``alt.csv`` beside it.

Loaded lists are cached per process by path, modification time and size, so a batch pays for
parsing once and an updated file is picked up without a restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from screening.analyze.sanctions import ofac_advanced, ofac_csv
from screening.analyze.sanctions.entries import SanctionsList
from screening.analyze.sanctions.ftm import load_ftm
from screening.analyze.sanctions.index import SanctionsIndex
from screening.analyze.sanctions.ofac_advanced import is_advanced, load_advanced, read_bytes
from screening.analyze.sanctions.ofac_extracts import (
    load_address_list,
    load_newer_names,
    load_wallet_parties,
)
from screening.analyze.sanctions.ofac_xml import load_xml
from screening.errors import ListError
from screening.lists import ListFile, ListSpec, info, register, resolve
from screening.normalize.wallets import canonical_wallet

SNAPSHOT = "ofac-sdn-advanced-dprk-2025-11-19.xml.gz"
NEWER_NAMES = "ofac-sdn-dprk-names-2026-08-20.csv"
WALLET_PARTIES = "ofac-digital-currency-addresses-2025-11-19.csv"
NEWER_WALLETS = "ofac-digital-currency-addresses-2026-08-22.txt"
SHIPPED = (SNAPSHOT, NEWER_NAMES, WALLET_PARTIES, NEWER_WALLETS)
# OFAC's Sanctions List Service publishes the current list files at this address (the older
# https://www.treasury.gov/ofac/downloads/ locations forward to it)
OFAC_EXPORTS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports"
UPDATED = "sdn_advanced.xml.gz"
LEGACY_UPDATED = "sdn.csv"  # written by ``lists update`` before it fetched the advanced XML
FTM_SUFFIXES = (".json", ".jsonl", ".ndjson")

OFAC_SDN = register(
    ListSpec(
        name="ofac-sdn",
        title="OFAC SDN list",
        files=(ListFile(UPDATED, f"{OFAC_EXPORTS}/SDN_ADVANCED.XML"),),
        validate=ofac_advanced.validate,
        convert=ofac_advanced.compress,
        shipped=SHIPPED,
        description=(
            "U.S. Treasury Specially Designated Nationals and Blocked Persons; the shipped copy "
            "holds the North Korea entries (2025-11-19, names to 2026-08-20) and the "
            "digital-currency addresses of every program (to 2026-08-22)"
        ),
        family="sanctions",
        max_age_days=60,
        max_age_reason=(
            "OFAC adds North Korea designations every few weeks (IT-worker networks, their "
            "facilitators and wallets), so an older copy misses the newest names and addresses."
        ),
        licence="U.S. government work, public domain",
    )
)

# (kind, label, date, paths): what to load; the paths' stamps make the cache key
Step = tuple[str, str, str, tuple[Path, ...]]
Plan = tuple[Step, ...]


def _mtime_date(path: Path) -> str:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date().isoformat()
    except OSError:
        return ""


def plan(files: Sequence[Path], lists_dir: Path | None, include_ofac: bool = True) -> Plan:
    """What will be loaded: the OFAC list in use (updated or shipped) and the user's files."""
    steps: list[Step] = []
    if include_ofac:
        about = info(OFAC_SDN.name, lists_dir)
        updated = resolve(OFAC_SDN.name, UPDATED, lists_dir)
        legacy = resolve(OFAC_SDN.name, LEGACY_UPDATED, lists_dir)
        label = f"OFAC SDN list (updated {(about.updated_at or '')[:10] or 'copy'})"
        if updated is not None:
            steps.append(("xml", label, about.date, (updated,)))
        elif legacy is not None:
            steps.append(("csv", label, about.date, (legacy, legacy.parent / "alt.csv")))
        else:
            found = [resolve(OFAC_SDN.name, name, lists_dir) for name in SHIPPED]
            paths = tuple(p for p in found if p is not None)
            if len(paths) != len(SHIPPED):
                raise ListError(f"a shipped sanctions file is missing ({', '.join(SHIPPED)})")
            steps.append(("shipped", "OFAC SDN list (shipped snapshot)", about.date, paths))
    for path in files:
        steps.append(_user_step(Path(path)))
    return tuple(steps)


def _user_step(path: Path) -> Step:
    if path.is_dir():
        path = path / "sdn.csv"
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ListError(f"{path}: sanctions file not found ([sanctions] files)")
    if suffix == ".xml" or path.name.lower().endswith(".xml.gz"):
        return ("xml", f"OFAC SDN list ({path.name})", "", (path,))
    if suffix in FTM_SUFFIXES:
        return ("ftm", f"Sanctions entities ({path.name})", _mtime_date(path), (path,))
    if suffix == ".csv":
        label = f"OFAC SDN list ({path.name})"
        return ("csv", label, _mtime_date(path), (path, path.parent / "alt.csv"))
    raise ListError(
        f"{path}: unknown sanctions file form; use an OFAC sdn.csv or sdn.xml, or FollowTheMoney "
        "JSON lines (.json, .jsonl, .ndjson)"
    )


def _stamp(steps: Plan) -> tuple[tuple[str, int, int], ...]:
    out = []
    for _, _, _, paths in steps:
        for p in paths:
            try:
                st = p.stat()
                out.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                out.append((str(p), 0, 0))
    return tuple(out)


def load_index(
    files: Sequence[Path],
    lists_dir: Path | None,
    name_threshold: float,
    include_ofac: bool = True,
) -> SanctionsIndex:
    """The screening index over every configured list (cached while the files are unchanged)."""
    steps = plan(files, lists_dir, include_ofac)
    return _cached(steps, _stamp(steps), name_threshold)


@lru_cache(maxsize=4)
def _cached(
    steps: Plan, _stamp: tuple[tuple[str, int, int], ...], name_threshold: float
) -> SanctionsIndex:
    return SanctionsIndex([lst for step in steps for lst in _load(step)], name_threshold)


def _load(step: Step) -> list[SanctionsList]:
    kind, label, date, paths = step
    if kind == "shipped":
        return _shipped(paths)
    if kind == "xml":
        head = read_bytes(paths[0])[:2048]
        # dated by its own DateOfIssue or Publish_Date
        loaded = load_advanced(paths[0]) if is_advanced(head) else load_xml(paths[0])
    elif kind == "ftm":
        loaded = load_ftm(paths[0])
    else:
        sdn, *alt = paths
        loaded = ofac_csv.load_csv_set(sdn, alt[0] if alt else None)
    return [SanctionsList(label, loaded.source, date or loaded.date, loaded.entries)]


def _shipped(paths: tuple[Path, ...]) -> list[SanctionsList]:
    """The shipped snapshot: each part with its own date, a party never listed twice."""
    official, names, parties, addresses = paths
    snapshot = load_advanced(official)
    uids = {e.uid for e in snapshot.entries}
    newer = load_newer_names(names, uids)
    wallet_parties = [e for e in load_wallet_parties(parties) if e.uid not in uids]
    known = {
        key
        for entry in (*snapshot.entries, *wallet_parties)
        for w in entry.wallets
        if (key := canonical_wallet(w.address))
    }
    added, added_date = load_address_list(addresses, known)
    return [
        SanctionsList(
            "OFAC SDN list, North Korea programs (official advanced XML, shipped)",
            official.name,
            snapshot.date,
            snapshot.entries,
        ),
        SanctionsList(
            f"OFAC SDN North Korea entries listed after {snapshot.date} (names only, shipped)",
            names.name,
            "2026-08-20",
            tuple(newer),
        ),
        SanctionsList(
            "OFAC digital-currency addresses of every program, with their parties (shipped)",
            parties.name,
            "2025-11-19",
            tuple(wallet_parties),
        ),
        SanctionsList(
            "OFAC digital-currency addresses added since, party not stated (shipped)",
            addresses.name,
            added_date or "undated",
            tuple(added),
        ),
    ]
