"""Stage 1 of 6 (ingest): read ZIP members in memory under a byte budget (never to disk).

Why: triage looks inside OOXML packages, archives and zipped submissions, and a ZIP can claim
gigabytes in a few kilobytes. Python's reader never returns more bytes than a member declares, so
checking declared sizes against one shared budget (``limits.max_archive_bytes``) bounds the work;
a member too big for the budget is reported as unread rather than read in part.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

# Deflate tops out near 1000:1; real documents and source compress far less. A large member above
# this ratio was built to expand, not to be read.
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024


class BudgetExceeded(Exception):
    """Reading a member would exceed the byte budget or the expansion ratio."""


@dataclass
class ZipBudget:
    """Bytes that may still be decompressed for one triage."""

    remaining: int

    def take(self, info: zipfile.ZipInfo) -> None:
        """Charge ``info``'s declared size; raise ``BudgetExceeded`` when it does not fit."""
        size = info.file_size
        if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            raise BudgetExceeded(f"{info.filename} expands {size // max(info.compress_size, 1)}:1")
        if size > self.remaining:
            raise BudgetExceeded(f"{info.filename} is larger than the remaining archive budget")
        self.remaining -= size


def member_bytes(archive: zipfile.ZipFile, name: str, budget: ZipBudget, head: int = 0) -> bytes:
    """A member's bytes (``head`` > 0: only its first ``head`` bytes); ``KeyError`` if absent."""
    info = archive.getinfo(name)
    if head:
        with archive.open(info) as fh:
            data: bytes = fh.read(head)
        return data
    budget.take(info)
    return archive.read(info)


def check_declared(archive: zipfile.ZipFile, budget: ZipBudget) -> None:
    """Refuse a package whose members together expand past the budget or expand like a bomb.

    Checked on declared sizes before any library (olevba reads every OLE member whole) is
    given the package.
    """
    total = 0
    for info in archive.infolist():
        size = info.file_size
        if size > _RATIO_FLOOR and size > MAX_RATIO * max(info.compress_size, 1):
            raise BudgetExceeded(f"{info.filename} expands {size // max(info.compress_size, 1)}:1")
        total += size
    if total > budget.remaining:
        raise BudgetExceeded(f"the package expands to {total} bytes")
