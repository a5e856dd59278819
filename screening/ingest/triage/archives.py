"""Stage 1 of 6 (ingest): list archives in memory and judge what is inside, without extracting.

ZIP and TAR (plain or gzip/bzip2/xz) are listed with the standard library; nothing is written to
disk. A member's first bytes are read (in memory, within the byte budget) to learn its real type,
so ``resume.pdf`` that is really a program is seen. Archives inside archives are followed to a
fixed depth. 7z (py7zr) and RAR (rarfile) archives are listed by their headers only, with the
'triage' extra: member names, directories and encryption are judged, but no member is
decompressed (RAR needs an outside program for that, and 7z's solid blocks would have to be
unpacked whole), so the listing says their contents were not read: unknown, not clean. CAB, and
7z or RAR without the extra, are named as archives whose content could not be listed.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Callable
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
SEVEN_ZIP = b"7z\xbc\xaf\x27\x1c"
RAR = b"Rar!\x1a\x07"
_NOT_READ = "names only: the members' contents were not read"


@dataclass(frozen=True, slots=True)
class HeaderMember:
    """A member as an archive's headers describe it (nothing decompressed)."""

    name: str
    directory: bool
    encrypted: bool


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
    if head.startswith(SEVEN_ZIP):
        return list_headers(data, label, max_members, _seven_zip_members)
    if head.startswith(RAR):
        return list_headers(data, label, max_members, _rar_members)
    if head.startswith(b"MSCF"):
        out = Listing()
        out.stop("CAB archives cannot be listed here: their content is unknown")
        return out
    return list_tar(data, label, budget, max_members)


def list_headers(
    data: bytes,
    label: str,
    max_members: int,
    members: Callable[[bytes], tuple[list[HeaderMember], bool]],
) -> Listing:
    """A 7z or RAR listed from its headers: names, directories and encryption are judged; the
    listing is never complete, because no member's content was read."""
    out = Listing()
    try:
        listed, names_hidden = members(data)
    except ImportError:
        out.stop("7z and RAR archives are listed with the 'triage' extra: their content is unknown")
        return out
    except Exception:  # each library's own errors for a damaged or hostile header
        out.stop("the archive is damaged and could not be listed")
        return out
    if names_hidden:
        out.indicators.append(
            Indicator(kind="encrypted_archive", part=label, detail="its member names are encrypted")
        )
        out.stop("the member names are encrypted: the content is unknown")
        return out
    if len(listed) > max_members:
        out.stop(f"only the first {max_members} of {len(listed)} members were listed")
        listed = listed[:max_members]
    for member in listed:
        if member.directory:
            continue
        out.members += 1
        where = f"{label}/{safe_name(member.name)}"
        if member.encrypted:
            out.indicators.append(
                Indicator(
                    kind="encrypted_archive",
                    part=label,
                    detail=f"{safe_name(member.name)} is encrypted",
                )
            )
        out.indicators += name_indicators(member.name, where)
    out.stop(_NOT_READ)
    return out


def _seven_zip_members(data: bytes) -> tuple[list[HeaderMember], bool]:
    import py7zr
    from py7zr.exceptions import PasswordRequired

    try:
        with py7zr.SevenZipFile(io.BytesIO(data), mode="r") as archive:
            encrypted = archive.needs_password()
            return [
                HeaderMember(info.filename, info.is_directory, encrypted) for info in archive.list()
            ], False
    except PasswordRequired:
        return [], True


def _rar_members(data: bytes) -> tuple[list[HeaderMember], bool]:
    import rarfile

    try:
        archive = rarfile.RarFile(io.BytesIO(data))
    except rarfile.PasswordRequired:
        return [], True
    with archive:
        return [
            HeaderMember(info.filename or "", info.is_dir(), info.needs_password())
            for info in archive.infolist()
        ], False
