"""Stage 1 of 6 (ingest): active content in a PDF (JavaScript, auto actions, Launch, files, XFA).

Two passes, because each misses what the other sees. A pdfid-style count of name keywords in the
raw bytes (names decoded from ``#xx`` escapes, which are themselves a sign of hiding) sees every
object, even in damaged files; pypdf then walks the catalogue, the name trees and the page
annotations, which sees keywords that object streams (compressed) hide from the byte scan. URIs
and file names are recorded as text; nothing is followed, opened or run.
"""

from __future__ import annotations

import io
import re
from typing import Any

from screening.ingest.triage.office import clip
from screening.model.attachments import Indicator

_NAME = re.compile(rb"/([A-Za-z0-9#]{2,40})")
_HEX = re.compile(r"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)
# keyword -> indicator kind (OpenAction and AA are judged by the walk: an OpenAction that only
# opens a page, as LaTeX writes, is ordinary)
_KEYWORDS = {
    "JS": "pdf_javascript",
    "JavaScript": "pdf_javascript",
    "Launch": "pdf_launch",
    "EmbeddedFile": "pdf_embedded_files",
    "EmbeddedFiles": "pdf_embedded_files",
    "XFA": "pdf_xfa",
    "RichMedia": "pdf_javascript",
    "GoToE": "pdf_embedded_files",
}
_OBFUSCATION = ("Encrypt", "ObjStm")


def keyword_counts(data: bytes) -> tuple[dict[str, int], set[str]]:
    """Counts of PDF name keywords outside stream data (compressed bytes would give chance
    matches), and the keywords that were written with ``#xx`` escapes."""
    counts: dict[str, int] = {}
    escaped: set[str] = set()
    for match in _NAME.finditer(_STREAM.sub(b" ", data)):
        raw = match.group(1).decode("latin-1")
        name = raw
        if "#" in raw:
            name = _HEX.sub(lambda m: chr(int(m.group(1), 16)), raw)
            if name in _KEYWORDS or name in _OBFUSCATION or name == "URI":
                escaped.add(name)
        counts[name] = counts.get(name, 0) + 1
    return counts, escaped


def pdf_indicators(data: bytes, max_pages: int) -> tuple[list[Indicator], list[str]]:
    """Indicators, and the URIs of link annotations on the first pages (for the lure check)."""
    found: list[Indicator] = []
    counts, escaped = keyword_counts(data)
    for keyword, kind in _KEYWORDS.items():
        n = counts.get(keyword, 0)
        if n:
            found.append(Indicator(kind=kind, part="file body", detail=f"/{keyword} x{n}"))
    for name in sorted(escaped):
        found.append(
            Indicator(
                kind="pdf_obfuscation",
                part="file body",
                detail=f"name /{name} written with #xx escapes",
            )
        )
    if counts.get("Encrypt"):
        found.append(Indicator(kind="pdf_obfuscation", part="trailer", detail="/Encrypt"))
    links: list[str] = []
    structural, links = _walk(data, max_pages)
    seen_kinds = {i.kind for i in found}
    for indicator in structural:
        found.append(indicator)
        if indicator.kind not in seen_kinds and counts.get("ObjStm"):
            found.append(
                Indicator(
                    kind="pdf_obfuscation",
                    part="object streams",
                    detail=f"{indicator.kind} hidden from a byte scan",
                )
            )
            seen_kinds.add(indicator.kind)
    return found, links


def _walk(data: bytes, max_pages: int) -> tuple[list[Indicator], list[str]]:
    """Catalogue actions, name trees, AcroForm XFA and page annotations, through pypdf."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:  # encrypted with a real password: the byte scan is all we have
            return [], []
    found: list[Indicator] = []
    root: Any = reader.trailer.get("/Root")
    root = root.get_object() if root is not None else {}
    found += _action(root.get("/OpenAction"), "catalog /OpenAction", auto=True)
    found += _additional(root.get("/AA"), "catalog /AA")
    names = _resolve(root.get("/Names")) or {}
    if _resolve(names.get("/JavaScript")) is not None:
        found.append(
            Indicator(
                kind="pdf_javascript", part="catalog /Names", detail="document-level JavaScript"
            )
        )
    files = _resolve(names.get("/EmbeddedFiles"))
    if files is not None:
        for file_name in _name_tree_keys(files):
            found.append(
                Indicator(
                    kind="pdf_embedded_files",
                    part="catalog /EmbeddedFiles",
                    detail=clip(file_name, 80),
                )
            )
    form = _resolve(root.get("/AcroForm")) or {}
    if form.get("/XFA") is not None:
        found.append(Indicator(kind="pdf_xfa", part="catalog /AcroForm", detail="XFA form"))
    links: list[str] = []
    for number, page in enumerate(reader.pages[:max_pages], start=1):
        where = f"page {number}"
        found += _additional(page.get("/AA"), f"{where} /AA")
        for annot_ref in _resolve(page.get("/Annots")) or []:
            annot = _resolve(annot_ref) or {}
            subtype = str(annot.get("/Subtype", ""))
            action = _resolve(annot.get("/A")) or {}
            if subtype == "/FileAttachment":
                found.append(
                    Indicator(
                        kind="pdf_embedded_files",
                        part=f"{where} annotation",
                        detail="file attachment",
                    )
                )
            if str(action.get("/S", "")) == "/URI":
                links.append(str(action.get("/URI", "")))
            found += _action(action, f"{where} link", auto=False)
            found += _additional(annot.get("/AA"), f"{where} annotation /AA")
    return found, links


def _resolve(value: Any) -> Any:
    try:
        return value.get_object() if value is not None else None
    except Exception:
        return None


def _action(value: Any, where: str, *, auto: bool) -> list[Indicator]:
    action = _resolve(value)
    if not hasattr(action, "get"):
        return []  # an OpenAction that only opens a page (an array) is ordinary
    kind = str(action.get("/S", ""))
    found = []
    if kind == "/JavaScript":
        found.append(Indicator(kind="pdf_javascript", part=where, detail="runs JavaScript"))
    elif kind == "/Launch":
        target = action.get("/F") or _resolve(action.get("/Win")) or ""
        if hasattr(target, "get"):
            target = target.get("/F") or target.get("/UF") or ""
        found.append(
            Indicator(
                kind="pdf_launch",
                part=where,
                detail=clip(f"launches {target}" if target else "launch"),
            )
        )
    elif kind in ("/GoToR", "/GoToE", "/ImportData", "/SubmitForm") and auto:
        found.append(Indicator(kind="pdf_auto_action", part=where, detail=kind.lstrip("/")))
    if auto and kind in ("/JavaScript", "/Launch", "/URI"):
        found.append(
            Indicator(kind="pdf_auto_action", part=where, detail=f"{kind.lstrip('/')} on open")
        )
    return found


def _additional(value: Any, where: str) -> list[Indicator]:
    actions = _resolve(value)
    if not hasattr(actions, "items"):
        return []
    found = [
        Indicator(
            kind="pdf_auto_action",
            part=where,
            detail="triggers " + ", ".join(sorted(str(k) for k in actions)),
        )
    ]
    for key, action in actions.items():
        found += _action(action, f"{where} {key}", auto=True)
    return found


def _name_tree_keys(tree: Any, depth: int = 0) -> list[str]:
    if depth > 8 or not hasattr(tree, "get"):
        return []
    keys: list[str] = []
    pairs = _resolve(tree.get("/Names")) or []
    keys += [str(pairs[i]) for i in range(0, len(pairs), 2)]
    for kid in _resolve(tree.get("/Kids")) or []:
        keys += _name_tree_keys(_resolve(kid), depth + 1)
    return keys[:50]
