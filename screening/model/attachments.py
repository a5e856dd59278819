"""Active-content triage of files an applicant hands over (resume, cover letter, take-home).

Passive data shared by ingest (which reads the bytes and records what is active or deceptive in
them) and the ``attachments`` analyzer (which turns it into facts). An ``Indicator`` names the kind
of active content, the part of the file that holds it (a ZIP member, a PDF object, a path inside a
submission) and a short detail; nothing in here is ever executed, rendered or fetched.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# Every indicator kind the triage can report; one fact per kind in the ``attachments`` family.
INDICATOR_KINDS: dict[str, str] = {
    "vba_macros": "VBA macro modules (the module or part that holds them)",
    "autoexec": "Macro entry points that run when the document is opened or closed",
    "suspicious_macro_calls": "Macro calls that run programs, write files or download",
    "xlm_macros": "Excel 4.0 (XLM) macro sheets",
    "macro_enabled_as_docx": "A macro-enabled Office document named as a plain .docx/.xlsx/.pptx",
    "remote_template": "A template or frame loaded from a remote address when the document opens",
    "external_links": "Relationships to external targets (OLE links, external data)",
    "ole_objects": "Embedded OLE objects or packages (files inside the document)",
    "dde": "DDE/DDEAUTO fields that can start programs",
    "rtf_objects": "Objects embedded in an RTF file, and exploit-shaped control words",
    "pdf_javascript": "JavaScript in a PDF",
    "pdf_auto_action": "Actions a PDF runs on open or on page events (OpenAction, AA)",
    "pdf_launch": "Launch actions that start a program or open a file",
    "pdf_embedded_files": "Files embedded in a PDF",
    "pdf_xfa": "XFA forms (scriptable XML forms)",
    "pdf_obfuscation": "Encryption, hex-escaped names or keywords hidden in object streams",
    "lure_page": "A page that is only a link or a 'protected document, click to view' lure",
    "type_mismatch": "The content's real type differs from what the file name says",
    "double_extension": "A file name with a document extension followed by an executable one",
    "rtl_override": "Right-to-left override or other bidirectional controls in a file name",
    "shortcut": "Windows shortcut (.lnk) files",
    "html_smuggling": "HTML that assembles and downloads a file from script (HTML smuggling)",
    "disk_image": "ISO, IMG or VHD disk images (which bypass mark-of-the-web)",
    "executables": "Executables or scripts, alone or inside an archive",
    "encrypted_archive": "Password-protected archives (content cannot be scanned)",
    "password_in_text": "The password of an encrypted archive given in the application text",
    "install_scripts": "package.json scripts that npm runs on install (postinstall and kin)",
    "malicious_packages": "Dependencies on packages listed as malicious",
    "config_loaders": "Obfuscated loaders in configuration files (encoded payload with eval etc.)",
    "folder_open_tasks": "Editor tasks that run when the folder is opened (.vscode/tasks.json)",
    "build_hooks": "Python build hooks that fetch or execute code (setup.py, pyproject)",
    "yara": "Matches of the user's own YARA rules",
}


MAX_PER_KIND = 20


class Indicator(BaseModel):
    """One piece of active or deceptive content: its kind, where it is, and what it is."""

    model_config = ConfigDict(frozen=True)

    kind: str
    part: str
    detail: str = ""

    def text(self) -> str:
        """``part: detail`` as shown in evidence."""
        return f"{self.part}: {self.detail}" if self.detail else self.part


class Triage(BaseModel):
    """What the triage found in one file or submission, and how complete it was."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: str  # resume, cover_letter, submission
    size: int = 0
    detected_type: str = ""  # the real type, from content (MIME type)
    files: int = 1  # files looked at (members of archives and submissions included)
    indicators: tuple[Indicator, ...] = ()
    complete: bool = True
    reason: str = ""  # why the triage stopped early (a limit), or could not look inside

    def of(self, kind: str) -> list[str]:
        """Evidence texts of one indicator kind, in order, without repeats."""
        return list(dict.fromkeys(i.text() for i in self.indicators if i.kind == kind))


def capped(indicators: list[Indicator], per_kind: int = MAX_PER_KIND) -> tuple[Indicator, ...]:
    """Indicators without repeats, at most ``per_kind`` of each kind plus a count of the rest."""
    kept: list[Indicator] = []
    counts: dict[str, int] = {}
    for indicator in dict.fromkeys(indicators):
        counts[indicator.kind] = counts.get(indicator.kind, 0) + 1
        if counts[indicator.kind] <= per_kind:
            kept.append(indicator)
    for kind, count in counts.items():
        if count > per_kind:
            kept.append(Indicator(kind=kind, part=f"and {count - per_kind} more", detail=""))
    return tuple(kept)
