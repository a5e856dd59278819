"""Stage 1 of 6 (ingest): list archives in memory and judge what is inside, without extracting.

ZIP and TAR (plain or gzip/bzip2/xz) are listed with the standard library; nothing is written to
disk. A member's first bytes are read (in memory, within the byte budget) to learn its real type,
so ``resume.pdf`` that is really a program is seen. Archives inside archives are followed to a
fixed depth. 7z and RAR have no reader here: they are named as archives whose content could not be
listed, which a reviewer should treat as unknown, not clean.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from dataclasses import dataclass, field

from screening.ingest.triage.filetype import (
    DISK_IMAGE_EXTENSIONS,
    EXECUTABLE_EXTENSIONS,
    bidi_controls,
    double_extension,
    extensions,
    kind_of,
    safe_name,
)
from screening.ingest.triage.zipread import BudgetExceeded, ZipBudget
from screening.model.attachments import Indicator

_HEAD = 4096
MAX_NESTING = 3


@dataclass
class Listing:
    """What an archive holds, as indicators, plus how many members and whether all were seen."""

    indicators: list[Indicator] = field(default_factory=list)
    members: int = 0
    complete: bool = True
    reason: str = ""

    def stop(self, reason: str) -> None:
        """Record why listing stopped early (the first reason wins)."""
        self.complete = False
        self.reason = self.reason or reason


def name_indicators(path: str, where: str) -> list[Indicator]:
    """What a member's name alone says: double extension, bidi controls, shortcut, image."""
    shown = safe_name(path)
    found = []
    if double_extension(path):
        found.append(Indicator(kind="double_extension", part=where, detail=shown))
    controls = bidi_controls(path)
    if controls:
        found.append(
            Indicator(
                kind="rtl_override", part=where, detail=f"{shown} contains {', '.join(controls)}"
            )
        )
    exts = extensions(path)
    last = exts[-1] if exts else ""
    if last == "lnk":
        found.append(Indicator(kind="shortcut", part=where, detail=shown))
    elif last in DISK_IMAGE_EXTENSIONS:
        found.append(Indicator(kind="disk_image", part=where, detail=shown))
    elif last in EXECUTABLE_EXTENSIONS:
        found.append(Indicator(kind="executables", part=where, detail=shown))
    return found


def content_indicators(head: bytes, where: str, shown: str) -> list[Indicator]:
    """What a member's first bytes say, when the name did not already say it."""
    kind = kind_of(head)
    if kind == "executable":
        return [Indicator(kind="executables", part=where, detail=f"{shown} is a program")]
    if kind == "shortcut":
        return [Indicator(kind="shortcut", part=where, detail=f"{shown} is a Windows shortcut")]
    return []


def list_zip(
    data: bytes, label: str, budget: ZipBudget, max_members: int, depth: int = 0
) -> Listing:
    """Every member of a ZIP: names, encryption, real types, nested archives."""
    out = Listing()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        out.stop("the archive is damaged and could not be listed")
        return out
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            out.stop(f"only the first {max_members} of {len(infos)} members were listed")
            infos = infos[:max_members]
        for info in infos:
            if info.is_dir():
                continue
            out.members += 1
            where = f"{label}/{safe_name(info.filename)}"
            found = name_indicators(info.filename, where)
            if info.flag_bits & 0x1:
                out.indicators.append(
                    Indicator(
                        kind="encrypted_archive",
                        part=label,
                        detail=f"{safe_name(info.filename)} is encrypted",
                    )
                )
                out.indicators += found
                continue
            head = b""
            try:
                with archive.open(info) as fh:
                    head = fh.read(_HEAD)
            except Exception:
                out.stop(f"{safe_name(info.filename)} could not be read")
            if not found:
                found = content_indicators(head, where, safe_name(info.filename))
            out.indicators += found
            _nested(archive, info, head, where, budget, max_members, depth, out)
    return out


def _nested(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    head: bytes,
    where: str,
    budget: ZipBudget,
    max_members: int,
    depth: int,
    out: Listing,
) -> None:
    kind = kind_of(head)
    if kind not in ("zip", "archive"):
        return
    if depth + 1 >= MAX_NESTING:
        out.stop(f"archives nested deeper than {MAX_NESTING} were not opened")
        return
    try:
        budget.take(info)
    except BudgetExceeded as exc:
        out.stop(str(exc))
        return
    inner = list_archive(archive.read(info), where, budget, max_members, depth + 1)
    out.indicators += inner.indicators
    out.members += inner.members
    if not inner.complete:
        out.stop(inner.reason)


def list_tar(data: bytes, label: str, budget: ZipBudget, max_members: int) -> Listing:
    """Members of a TAR (compressed or not), streamed in memory under the byte budget."""
    out = Listing()
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
            for member in tar:
                if out.members >= max_members:
                    out.stop(f"only the first {max_members} members were listed")
                    break
                if member.offset_data > budget.remaining:
                    out.stop("the archive expands beyond limits.max_archive_bytes")
                    break
                if not member.isfile():
                    if member.issym() or member.islnk():
                        out.indicators += name_indicators(member.name, f"{label}/{member.name}")
                    continue
                out.members += 1
                where = f"{label}/{safe_name(member.name)}"
                found = name_indicators(member.name, where)
                if not found:
                    fh = tar.extractfile(member)  # a file object in memory, not a file on disk
                    head = fh.read(_HEAD) if fh is not None else b""
                    found = content_indicators(head, where, safe_name(member.name))
                out.indicators += found
    except (tarfile.TarError, OSError, EOFError, ValueError):
        out.stop("the archive is damaged and could not be listed completely")
    return out


def list_archive(
    data: bytes, label: str, budget: ZipBudget, max_members: int, depth: int = 0
) -> Listing:
    """List a ZIP or TAR; other archive formats are named as not listable."""
    head = data[:8]
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return list_zip(data, label, budget, max_members, depth)
    if head.startswith((b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"MSCF")):
        out = Listing()
        out.stop("7z, RAR and CAB archives cannot be listed here: their content is unknown")
        return out
    return list_tar(data, label, budget, max_members)
