"""Stage 1 of 6 (ingest): the list of known malicious npm and PyPI packages, and its updates.

Shipped: the packages public reporting attributes to the North Korean fake-recruiter
("Contagious Interview") campaigns, each with its OpenSSF malicious-packages (OSV ``MAL-``) record
(``screening/data/contagious_interview_packages.csv``, 112 rows as of 2026-08-22; a sample of a
campaign of well over a thousand packages). ``screening lists update malicious-packages`` adds
every ``MAL-`` record OSV publishes for npm and PyPI (OSV imports the OpenSSF
malicious-packages repository): the per-ecosystem ``all.zip`` archives are read in memory and
reduced to ``ecosystem,package,osv_id`` tables. Both are used together.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from screening.errors import ListError
from screening.lists import ListFile, ListSpec, info, register, resolve
from screening.model.facts import Source
from screening.resources import data_dir

SEED = "contagious_interview_packages.csv"
_OSV = "https://osv-vulnerabilities.storage.googleapis.com/{}/all.zip"
_MAX_RECORD_BYTES = 1024 * 1024


def normalize_name(ecosystem: str, name: str) -> str:
    """A package name as the registry compares it (PyPI: PEP 503; npm: lower case)."""
    name = name.strip()
    if ecosystem.lower() == "pypi":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name.lower()


def osv_table(archive_bytes: bytes) -> bytes:
    """``ecosystem,package,osv_id`` rows for the ``MAL-`` records of an OSV ``all.zip``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(archive_bytes))
    except zipfile.BadZipFile:
        raise ListError("the OSV download is not a ZIP archive") from None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ecosystem", "package", "osv_id"])
    with archive:
        for member in archive.infolist():
            base = member.filename.rsplit("/", 1)[-1]
            if not base.startswith("MAL-") or member.file_size > _MAX_RECORD_BYTES:
                continue
            try:
                record = json.loads(archive.read(member))
            except ValueError:
                raise ListError(f"{member.filename}: not a JSON OSV record") from None
            for affected in record.get("affected") or []:
                package = affected.get("package") or {}
                if package.get("name") and package.get("ecosystem"):
                    writer.writerow([package["ecosystem"], package["name"], record.get("id", "")])
    return out.getvalue().encode()


def _validate(data: bytes) -> tuple[int, str]:
    lines = data.decode("utf-8", errors="replace").splitlines()
    if not lines or not lines[0].startswith("ecosystem,package"):
        raise ListError("line 1: expected the header ecosystem,package,...")
    return len(lines) - 1, ""


MALICIOUS_PACKAGES = register(
    ListSpec(
        name="malicious-packages",
        title="Malicious npm and PyPI packages (OpenSSF malicious-packages via OSV)",
        files=(
            ListFile("osv-malicious-npm.csv", _OSV.format("npm")),
            ListFile("osv-malicious-pypi.csv", _OSV.format("PyPI")),
        ),
        validate=_validate,
        convert=osv_table,
        description=(
            "Known malicious packages; the shipped seed lists the fake-recruiter campaign's"
        ),
    )
)


@cache
def _table(paths: tuple[Path, ...]) -> dict[tuple[str, str], str]:
    known: dict[tuple[str, str], str] = {}
    for path in paths:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                eco = (row.get("ecosystem") or "").lower()
                name = row.get("package") or ""
                if eco and name:
                    known.setdefault((eco, normalize_name(eco, name)), row.get("osv_id") or "")
    return known


def known_malicious(lists_dir: Path | None = None) -> dict[tuple[str, str], str]:
    """``(ecosystem, normalized name) -> OSV id`` from the seed and any updated copies."""
    paths = [data_dir() / SEED]
    for f in MALICIOUS_PACKAGES.files:
        updated = resolve(MALICIOUS_PACKAGES.name, f.filename, lists_dir)
        if updated is not None:
            paths.append(updated)
    return _table(tuple(paths))


def lookup(
    ecosystem: str, names: Iterable[str], lists_dir: Path | None = None
) -> list[tuple[str, str]]:
    """The names (as written) that are listed as malicious, with their OSV ids."""
    table = known_malicious(lists_dir)
    eco = ecosystem.lower()
    hits = []
    for name in names:
        osv = table.get((eco, normalize_name(eco, name)))
        if osv is not None:
            hits.append((name, osv))
    return hits


def package_source(lists_dir: Path | None = None) -> Source:
    """Source and age of the list, for reports."""
    updated = info(MALICIOUS_PACKAGES.name, lists_dir)
    if not updated.shipped:
        return Source(f"{MALICIOUS_PACKAGES.title} + fake-recruiter seed", updated.date)
    return Source(
        "Fake-recruiter (Contagious Interview) malicious packages, OSV MAL- ids", "2026-08-22"
    )
