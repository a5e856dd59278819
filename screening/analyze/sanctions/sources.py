"""Stage 3 (analyze): which sanctions lists are screened, where each copy is, and loading them.

The OFAC SDN list is registered with ``screening.lists`` as ``ofac-sdn``: ``screening lists
update`` downloads the current ``sdn.csv``, ``alt.csv`` and ``add.csv`` (each validated against the
official layout before it replaces the copy in use; addresses are not screened, so ``add.csv`` is
never read here). Until then the North Korea rows of the list published on 2024-05-03 ship with
the package in the official format, so screening works offline out of the box; its
``ofac-sdn.meta.json`` gives the publication date reports show. Files the
user supplies (``[sanctions] files``) are read by their form: ``.xml`` is OFAC's ``sdn.xml``,
``.json``/``.jsonl``/``.ndjson`` are FollowTheMoney entities, a ``.csv`` (or a folder holding
one) is an OFAC ``sdn.csv`` read together with the ``alt.csv`` beside it.

Loaded lists are cached per process by path, modification time and size, so a batch pays for
parsing once and an updated file is picked up without a restart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from screening.analyze.sanctions import ofac_csv
from screening.analyze.sanctions.entries import SanctionsList
from screening.analyze.sanctions.ftm import load_ftm
from screening.analyze.sanctions.index import SanctionsIndex
from screening.analyze.sanctions.ofac_xml import load_xml
from screening.errors import ListError
from screening.lists import ListFile, ListSpec, info, register, resolve

SNAPSHOT = "ofac-sdn-dprk-2024-05-03.csv"
OFAC_DOWNLOADS = "https://www.treasury.gov/ofac/downloads"
FTM_SUFFIXES = (".json", ".jsonl", ".ndjson")

OFAC_SDN = register(
    ListSpec(
        name="ofac-sdn",
        title="OFAC SDN list",
        files=(
            ListFile("sdn.csv", f"{OFAC_DOWNLOADS}/sdn.csv"),
            ListFile("alt.csv", f"{OFAC_DOWNLOADS}/alt.csv"),
            ListFile("add.csv", f"{OFAC_DOWNLOADS}/add.csv"),
        ),
        validate=ofac_csv.validate,
        shipped=(SNAPSHOT,),
        description=(
            "U.S. Treasury Specially Designated Nationals and Blocked Persons; the shipped copy "
            "holds the North Korea program rows published 2024-05-03"
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
        updated = resolve(OFAC_SDN.name, "sdn.csv", lists_dir)
        if updated is not None:
            label = f"OFAC SDN list (updated {(about.updated_at or '')[:10] or 'copy'})"
            steps.append(("csv", label, about.date, (updated, updated.parent / "alt.csv")))
        else:
            shipped = resolve(OFAC_SDN.name, SNAPSHOT, lists_dir)
            if shipped is None:
                raise ListError(f"the shipped sanctions snapshot {SNAPSHOT} is missing")
            steps.append(
                (
                    "csv",
                    "OFAC SDN list, North Korea programs (shipped snapshot)",
                    about.date,
                    (shipped,),
                )
            )
    for path in files:
        steps.append(_user_step(Path(path)))
    return tuple(steps)


def _user_step(path: Path) -> Step:
    if path.is_dir():
        path = path / "sdn.csv"
    suffix = path.suffix.lower()
    if not path.is_file():
        raise ListError(f"{path}: sanctions file not found ([sanctions] files)")
    if suffix == ".xml":
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
    return SanctionsIndex([_load(step) for step in steps], name_threshold)


def _load(step: Step) -> SanctionsList:
    kind, label, date, paths = step
    if kind == "xml":
        loaded = load_xml(paths[0])  # dated by its own Publish_Date
    elif kind == "ftm":
        loaded = load_ftm(paths[0])
    else:
        sdn, *alt = paths
        loaded = ofac_csv.load_csv_set(sdn, alt[0] if alt else None)
    return SanctionsList(label, loaded.source, date or loaded.date, loaded.entries)
