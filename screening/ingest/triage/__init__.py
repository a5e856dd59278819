"""Stage 1 of 6 (ingest): triage of active and deceptive content in the files of an application.

Applications are also a way to attack the reviewer: a resume with macros or a remote template, a
PDF that runs JavaScript or launches a program, a shortcut or disk image named like a document, a
take-home project that runs code on ``npm install``. ``triage_file`` looks at a file's bytes
(already read under the size limit) and says what is active in it, part by part, without executing,
rendering or fetching anything and without writing anything to disk. It runs in-process under the
document time limit; whatever a hostile file makes the libraries do, the caller gets a ``Triage``
(possibly marked incomplete with the reason), never an exception.
"""

from __future__ import annotations

import io
import re
import zipfile

from screening.ingest.quiet import quiet
from screening.ingest.timeout import DeadlineExceeded, time_limit
from screening.ingest.triage.archives import list_archive, name_indicators
from screening.ingest.triage.filetype import (
    ARCHIVE_EXTENSIONS,
    DISK_IMAGE_EXTENSIONS,
    extensions,
    kind_of,
    mime_type,
    safe_name,
)
from screening.ingest.triage.office import (
    clip,
    ole_indicators,
    ooxml_indicators,
    rtf_indicators,
    vba_indicators,
)
from screening.ingest.triage.zipread import BudgetExceeded, ZipBudget, check_declared
from screening.model.application import DocumentContent
from screening.model.attachments import Indicator, Triage, capped
from screening.model.limits import Limits

__all__ = ["triage_file", "with_triage"]

_NOISY = ("olevba", "oletools", "olefile", "rtfobj", "msodde", "pypdf")
# The extension classes a name can claim, and the content classes each admits.
_CLAIMS = {
    "pdf": {"pdf"},
    "doc": {"ole", "rtf", "other", "html"},  # Word opens RTF and HTML saved as .doc
    "dot": {"ole", "rtf"},
    "xls": {"ole", "html", "other"},
    "ppt": {"ole"},
    "docx": {"zip"},
    "docm": {"zip"},
    "dotx": {"zip"},
    "dotm": {"zip"},
    "xlsx": {"zip"},
    "xlsm": {"zip"},
    "pptx": {"zip"},
    "pptm": {"zip"},
    "odt": {"zip"},
    "rtf": {"rtf", "other"},
    "txt": {"other", "script", "html"},
    "md": {"other", "script", "html"},
    "jpg": {"other"},
    "jpeg": {"other"},
    "png": {"other"},
}
_DANGEROUS = {"executable", "shortcut", "disk_image", "html", "script", "zip", "archive", "ole"}
_LURE = re.compile(
    r"(document|file|resume|cv|content)\s+(is|has\s+been)\s+(protected|encrypted|secured)"
    r"|click\s+(here\s+)?to\s+(view|open|download|unlock|access)"
    r"|enable\s+(editing|content|macros)"
    r"|view\s+(the\s+)?(full\s+)?(document|resume|cv)\s+online"
    r"|(open|view)\s+(it\s+)?in\s+(the\s+)?(desktop\s+)?(app|application)\s+to\s+(view|see)"
    r"|(download|open)\s+the\s+(secured|protected|encrypted)\s+(document|file|resume|cv)",
    re.IGNORECASE,
)
_LURE_MAX_CHARS = 600
# "almost nothing but a link": a lure says a sentence or two; a thin resume, even one that mostly
# links to a portfolio, still names the person, contacts, skills and headings (dozens of words)
_LINK_ONLY_MAX_WORDS = 25
_URL = re.compile(r"\S+://\S+|www\.\S+")
_CONTACT_SCHEMES = ("mailto:", "tel:", "sms:", "#")
_SMUGGLE_BLOB = re.compile(
    r"new\s+Blob\s*\(|msSaveOrOpenBlob|createObjectURL|\.download\s*=|download\s*=\s*[\"']"
)
_SMUGGLE_DATA = re.compile(r"[A-Za-z0-9+/=]{2000,}|(?:\d{1,3}\s*,\s*){1500,}")
_LNK_TOOLS = re.compile(
    r"(powershell|pwsh|cmd\.exe|mshta|rundll32|regsvr32|wscript|cscript|bitsadmin|certutil|curl)",
    re.IGNORECASE,
)


def with_triage(
    content: DocumentContent, data: bytes, name: str, limits: Limits
) -> DocumentContent:
    """``content`` with the triage of the bytes it was read from."""
    found = triage_file(data, name, content.kind, limits, content.text)
    return content.model_copy(update={"triage": found})


def triage_file(data: bytes, name: str, role: str, limits: Limits, text: str = "") -> Triage:
    """What is active or deceptive in one file (``text``: its text, when it could be read)."""
    mime = mime_type(data)
    budget = ZipBudget(limits.max_archive_bytes)
    indicators: list[Indicator] = list(name_indicators(name, safe_name(name)))
    complete, reason, files = True, "", 1
    kind = kind_of(data)
    try:
        with quiet(*_NOISY), time_limit(limits.document_timeout_seconds):
            found, files, reason = _by_content(data, kind, name, budget, limits, text)
            indicators += found
    except DeadlineExceeded:
        complete, reason = (
            False,
            (
                f"triage took longer than {limits.document_timeout_seconds:g} seconds "
                "(limits.document_timeout_seconds)"
            ),
        )
    except BudgetExceeded as exc:
        complete, reason = False, f"{exc} (limits.max_archive_bytes)"
    except ImportError:
        complete, reason = False, "install the 'triage' extra: pip install 'screening[triage]'"
    except RecursionError:
        complete, reason = False, "the file is nested too deeply to look inside"
    except Exception as exc:  # a malformed file: whatever was found so far still counts
        complete, reason = False, f"the file could not be fully parsed ({type(exc).__name__})"
    complete = complete and not reason
    indicators += _mismatch(name, kind, mime)
    return Triage(
        name=safe_name(name),
        role=role,
        size=len(data),
        detected_type=mime or kind,
        files=files,
        indicators=capped(indicators),
        complete=complete,
        reason=reason,
    )


def _by_content(
    data: bytes, kind: str, name: str, budget: ZipBudget, limits: Limits, text: str
) -> tuple[list[Indicator], int, str]:
    shown = safe_name(name)
    found: list[Indicator] = []
    files, reason = 1, ""
    if kind == "executable":
        found.append(Indicator(kind="executables", part=shown, detail="a program (PE/ELF/Mach-O)"))
    elif kind == "shortcut":
        found.append(Indicator(kind="shortcut", part=shown, detail=_lnk_detail(data)))
    elif kind == "disk_image":
        found.append(Indicator(kind="disk_image", part=shown, detail="ISO/VHD disk image"))
    elif kind == "zip" and _is_ooxml(data):
        archive = zipfile.ZipFile(io.BytesIO(data))
        with archive:
            check_declared(archive, budget)
            found += ooxml_indicators(archive, name, budget)
        if any(i.kind == "vba_macros" for i in found):
            found += vba_indicators(data, name)
    elif kind in ("zip", "archive"):
        listing = list_archive(data, shown, budget, limits.max_nodes)
        found += listing.indicators
        files = listing.members
        reason = listing.reason
    elif kind == "ole":
        found += ole_indicators(data, name)
    elif kind == "rtf":
        found += rtf_indicators(data)
    elif kind == "pdf":
        from screening.ingest.triage.pdf import pdf_indicators

        pdf_found, links = pdf_indicators(data, limits.max_document_pages)
        found += pdf_found
        found += lure(text, links, shown)
    elif kind == "html":
        found += html_smuggling(data, shown)
    if kind in ("zip", "ole", "rtf") and text:
        found += lure(text, [], shown)
    return found, files, reason


def _is_ooxml(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        return False


def _mismatch(name: str, kind: str, mime: str) -> list[Indicator]:
    exts = extensions(name)
    claimed = exts[-1] if exts else ""
    admitted = _CLAIMS.get(claimed)
    if admitted is None or kind in admitted or kind not in _DANGEROUS:
        return []
    if claimed in ARCHIVE_EXTENSIONS or claimed in DISK_IMAGE_EXTENSIONS:
        return []
    real = mime or kind.replace("_", " ")
    return [
        Indicator(
            kind="type_mismatch",
            part=safe_name(name),
            detail=f"named .{claimed} but the content is {real}",
        )
    ]


def lure(text: str, links: list[str], where: str) -> list[Indicator]:
    """A page that is only a link, or a 'protected document, click to view' lure."""
    flat = " ".join(text.split())
    # a mail or phone link opens no page: a thin resume with only contact links is no lure
    links = [link for link in links if not link.lower().startswith(_CONTACT_SCHEMES)]
    match = _LURE.search(flat[:20_000])
    if match and len(flat) < 4 * _LURE_MAX_CHARS:
        return [Indicator(kind="lure_page", part=where, detail=clip(f"says '{match.group(0)}'"))]
    words = len(_URL.sub(" ", flat).split())
    if links and words < _LINK_ONLY_MAX_WORDS and len(flat) < _LURE_MAX_CHARS:
        target = clip(links[0], 100)
        return [
            Indicator(
                kind="lure_page",
                part=where,
                detail=f"almost no text ({words} words) and a link to {target}",
            )
        ]
    return []


def html_smuggling(data: bytes, where: str) -> list[Indicator]:
    """HTML that builds a file from an encoded blob in script and offers it as a download."""
    text = data[:5_000_000].decode("utf-8", errors="replace")
    blob = _SMUGGLE_BLOB.search(text)
    payload = _SMUGGLE_DATA.search(text)
    if blob and payload:
        return [
            Indicator(
                kind="html_smuggling",
                part=where,
                detail=clip(
                    f"{len(payload.group(0))}-character encoded payload and {blob.group(0).strip()}"
                ),
            )
        ]
    return []


def _lnk_detail(data: bytes) -> str:
    strings = data.decode("utf-16-le", errors="ignore") + data.decode("latin-1")
    tools = dict.fromkeys(m.group(1).lower() for m in _LNK_TOOLS.finditer(strings))
    return "Windows shortcut" + (f" that starts {', '.join(tools)}" if tools else "")
