"""Stage 1 of 6 (ingest): a file's real type from its content, against what its name claims.

The MIME type shown to the reviewer comes from libmagic (python-magic, the 'triage' extra) when it
is installed; the decisions (is this an executable, a shortcut, a disk image, an archive?) come
from a small table of well-known signatures here, so they hold with or without libmagic. Names
are checked for double extensions (``resume.pdf.exe``) and bidirectional control characters
(``resume\u202efdp.exe`` shows as ``resumeexe.pdf``).
"""

from __future__ import annotations

import re
from functools import cache

EXECUTABLE_EXTENSIONS = frozenset(
    "exe dll scr com pif cpl msi msix msp appx appxbundle bat cmd ps1 psm1 vbs vbe js jse wsf "
    "wsh hta lnk url jar reg chm iqy slk sct inf application gadget msc xll "
    "sh command app run elf dmg pkg deb rpm".split()
)
DISK_IMAGE_EXTENSIONS = frozenset({"iso", "img", "vhd", "vhdx", "udf"})
ARCHIVE_EXTENSIONS = frozenset({"zip", "7z", "rar", "tar", "gz", "tgz", "bz2", "xz", "cab", "arj"})
DOCUMENT_EXTENSIONS = frozenset(
    "pdf doc docx docm dot dotx dotm rtf odt txt md xls xlsx xlsm ppt pptx pptm csv jpg jpeg "
    "png gif html htm".split()
)
# Bidirectional controls that reorder how a name is displayed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_LNK = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F"
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<script|<svg|<body)", re.IGNORECASE)


def kind_of(data: bytes) -> str:
    """A coarse class from content: executable, shortcut, disk_image, archive, ole, pdf, rtf,
    zip, html, script or other."""
    head = data[:64]
    if head.startswith((b"MZ", b"\x7fELF")):
        return "executable"
    if head[:4] in (
        b"\xfe\xed\xfa\xce",
        b"\xfe\xed\xfa\xcf",
        b"\xcf\xfa\xed\xfe",
        b"\xce\xfa\xed\xfe",
    ):
        return "executable"
    if head.startswith(_LNK):
        return "shortcut"
    if _is_disk_image(data):
        return "disk_image"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith((b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"MSCF", b"\x1f\x8b", b"BZh")):
        return "archive"
    if head.startswith(b"\xfd7zXZ\x00") or data[257:262] == b"ustar":
        return "archive"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"{\\rt"):
        return "rtf"
    if head.startswith(b"#!"):
        return "script"
    if _HTML.match(data[:1024].lstrip(b"\xef\xbb\xbf")):
        return "html"
    return "other"


def _is_disk_image(data: bytes) -> bool:
    if any(data[off : off + 5] == b"CD001" for off in (0x8001, 0x8801, 0x9001)):
        return True  # ISO 9660
    if data[:8] in (b"conectix", b"vhdxfile") or data[-512:-504] == b"conectix":
        return True  # VHD (footer copy at the start or the end) and VHDX
    return data[:8] == b"\x00\x00\x00\x00\x00\x00\x00\x00" and data[0x8001:0x8006] == b"BEA01"


@cache
def _magic() -> object | None:
    try:
        import magic

        return magic.Magic(mime=True)
    except Exception:  # the 'triage' extra or libmagic missing: our own signatures decide
        return None


def mime_type(data: bytes) -> str:
    """The MIME type libmagic reads from the first 64 KiB, or '' without libmagic."""
    detector = _magic()
    if detector is None:
        return ""
    try:
        return str(detector.from_buffer(data[:65536]))  # type: ignore[attr-defined]
    except Exception:
        return ""


def extensions(name: str) -> list[str]:
    """The lower-cased extensions of a file name's last component, in order."""
    base = re.split(r"[\\/]", name)[-1]
    parts = base.split(".")
    return [p.lower().strip() for p in parts[1:] if 0 < len(p.strip()) <= 12]


def double_extension(name: str) -> bool:
    """A document-looking extension followed by an executable or disk-image one."""
    exts = extensions(name)
    if len(exts) < 2:
        return False
    last, before = exts[-1], exts[-2]
    return before in DOCUMENT_EXTENSIONS and (
        last in EXECUTABLE_EXTENSIONS or last in DISK_IMAGE_EXTENSIONS
    )


def bidi_controls(name: str) -> list[str]:
    """Bidirectional control characters in a name, as ``U+XXXX``."""
    return [f"U+{ord(c):04X}" for c in dict.fromkeys(name) if c in BIDI_CONTROLS]


def safe_name(name: str) -> str:
    """A name with control and bidirectional characters shown as ``<U+XXXX>``."""
    return "".join(
        f"<U+{ord(c):04X}>" if c in BIDI_CONTROLS or (ord(c) < 32 or ord(c) == 127) else c
        for c in name
    )
