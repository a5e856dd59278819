"""Stage 1 of 6 (ingest): active content in Office documents (OOXML, legacy OLE, RTF).

The OOXML package is read as a ZIP in memory (never extracted): content types say whether it is
macro-enabled, relationship parts name remote templates and external objects, ``embeddings/``
holds OLE objects and packages, field codes hold DDE. VBA source, legacy OLE files and RTF
objects go through oletools (olevba, olefile, rtfobj, msodde), which read bytes in memory and
never run anything. Every indicator names the part that holds it.
"""

from __future__ import annotations

import re
import zipfile

from screening.ingest.documents.safe_xml import UnsafeXml, parse_xml
from screening.ingest.triage.zipread import ZipBudget, member_bytes
from screening.model.attachments import Indicator

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# Relationship types that fetch a template or document from the target when the file opens.
_TEMPLATE_RELS = ("/attachedTemplate", "/frame", "/subDocument")
_EXTERNAL_RELS = ("/oleObject", "/externalLinkPath", "/externalLink", "/package", "/control")
_PLAIN_SUFFIXES = (".docx", ".xlsx", ".pptx", ".dotx", ".xltx", ".potx")
_DDE = re.compile(r"^\s*DDE(?:AUTO)?\b", re.IGNORECASE)
_INSTR_TEXT = re.compile(rb"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"")
_FIELD_END = re.compile(rb"w:fldCharType=\"end\"")
_MAX_DETAIL = 160
_MACRO_KINDS = {"AutoExec": "autoexec", "Suspicious": "suspicious_macro_calls"}


def clip(text: str, limit: int = _MAX_DETAIL) -> str:
    """One line, at most ``limit`` characters (evidence stays readable and bounded)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def ooxml_indicators(archive: zipfile.ZipFile, name: str, budget: ZipBudget) -> list[Indicator]:
    """Macros, remote templates, embedded objects, external links and DDE in an OOXML package."""
    found: list[Indicator] = []
    names = [info.filename for info in archive.infolist()]
    macro_types = _macro_content_types(archive, budget)
    if macro_types and name.lower().endswith(_PLAIN_SUFFIXES):
        found.append(
            Indicator(
                kind="macro_enabled_as_docx",
                part="[Content_Types].xml",
                detail=clip(f"declares {macro_types[0]}"),
            )
        )
    for part in names:
        low = part.lower()
        if low.endswith("vbaproject.bin"):
            found.append(Indicator(kind="vba_macros", part=part, detail="VBA project"))
        elif "/macrosheets/" in low:
            found.append(Indicator(kind="xlm_macros", part=part, detail="Excel 4.0 macro sheet"))
        elif "/embeddings/" in low:
            found.append(
                Indicator(
                    kind="ole_objects", part=part, detail=_embedded_detail(archive, part, budget)
                )
            )
        elif "/activex/" in low and low.endswith(".bin"):
            found.append(Indicator(kind="ole_objects", part=part, detail="ActiveX control"))
        elif low.endswith(".rels"):
            found += _relationships(archive, part, budget)
        elif (
            low.startswith("xl/externallinks/")
            and low.endswith(".xml")
            and b"ddeLink" in member_bytes(archive, part, budget)
        ):
            found.append(Indicator(kind="dde", part=part, detail="DDE link in a workbook"))
    for part in names:
        if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", part):
            found += _dde_fields(member_bytes(archive, part, budget), part)
    return found


def _macro_content_types(archive: zipfile.ZipFile, budget: ZipBudget) -> list[str]:
    try:
        root = parse_xml(member_bytes(archive, "[Content_Types].xml", budget))
    except (KeyError, UnsafeXml):
        return []
    if root is None:
        return []
    types = [el.get("ContentType", "") for el in root.iter() if el.get("ContentType")]
    return [t for t in types if "macroenabled" in t.lower() or "vbaproject" in t.lower()]


def _relationships(archive: zipfile.ZipFile, part: str, budget: ZipBudget) -> list[Indicator]:
    try:
        root = parse_xml(member_bytes(archive, part, budget))
    except UnsafeXml:
        return [Indicator(kind="external_links", part=part, detail="refused: declares a DTD")]
    if root is None:
        return []
    found = []
    for rel in root.iter(f"{_REL_NS}Relationship"):
        rel_type = rel.get("Type", "")
        target = rel.get("Target", "")
        external = rel.get("TargetMode", "").lower() == "external"
        if rel_type.endswith(_TEMPLATE_RELS) and (external or "://" in target):
            kind = rel_type.rsplit("/", 1)[-1]
            found.append(
                Indicator(kind="remote_template", part=part, detail=clip(f"{kind} -> {target}"))
            )
        elif external and rel_type.endswith(_EXTERNAL_RELS):
            kind = rel_type.rsplit("/", 1)[-1]
            found.append(
                Indicator(kind="external_links", part=part, detail=clip(f"{kind} -> {target}"))
            )
    return found


def _embedded_detail(archive: zipfile.ZipFile, part: str, budget: ZipBudget) -> str:
    """What an embedded object is: an OLE package's file name, or the part's own name."""
    data = member_bytes(archive, part, budget)
    return ole_object_detail(data) or "embedded object"


def ole_object_detail(data: bytes) -> str:
    """The file name inside an OLE ``Ole10Native`` package, or the object's streams."""
    import olefile

    if not olefile.isOleFile(data):
        return ""
    try:
        with olefile.OleFileIO(data) as ole:
            streams = ["/".join(s) for s in ole.listdir()]
            native = next((s for s in streams if s.endswith("\x01Ole10Native")), None)
            if native:
                return "package " + clip(_package_name(ole.openstream(native).read()), 80)
            return "OLE object (" + clip(", ".join(streams), 80) + ")"
    except Exception:  # a malformed object is still an object
        return "OLE object (malformed)"


def _package_name(native: bytes) -> str:
    # Ole10Native: size(4) flags(2) label\0 path\0 ... ; the label is the shown file name
    body = native[6:]
    label = body.split(b"\0", 1)[0]
    return label.decode("latin-1", errors="replace") or "unnamed"


def _dde_fields(xml: bytes, part: str) -> list[Indicator]:
    """DDE field codes, joined across runs the way Word joins them (``DD`` + ``EAUTO``)."""
    found = []
    pieces: list[str] = []
    for match in re.finditer(_INSTR_TEXT.pattern + rb"|" + _FIELD_END.pattern, xml):
        text, attr = match.group(1), match.group(2)
        if text is None and attr is None:  # a field ends: check what was collected
            found += _dde_in("".join(pieces), part)
            pieces = []
        elif attr is not None:
            found += _dde_in(attr.decode("utf-8", errors="replace"), part)
        else:
            pieces.append(text.decode("utf-8", errors="replace"))
    found += _dde_in("".join(pieces), part)
    return found


def _dde_in(instruction: str, part: str) -> list[Indicator]:
    if _DDE.match(instruction):
        return [Indicator(kind="dde", part=part, detail=clip(instruction))]
    return []


def vba_indicators(data: bytes, name: str) -> list[Indicator]:
    """VBA/XLM modules, auto-exec entry points and suspicious calls, through olevba."""
    from oletools.olevba import VBA_Parser

    found: list[Indicator] = []
    parser = VBA_Parser(name or "document", data=data)
    try:
        if not parser.detect_vba_macros():
            return found
        modules: list[str] = []
        for _, stream, module, _code in parser.extract_macros():
            modules.append(f"{stream or module}")
        if modules:
            found.append(
                Indicator(
                    kind="vba_macros",
                    part="VBA project",
                    detail=clip("modules: " + ", ".join(dict.fromkeys(modules))),
                )
            )
        for kind, keyword, description in parser.analyze_macros():
            if kind in _MACRO_KINDS:
                detail = clip(f"{keyword}: {description}")
                found.append(Indicator(kind=_MACRO_KINDS[kind], part="VBA project", detail=detail))
    finally:
        parser.close()
    return found


def ole_indicators(data: bytes, name: str) -> list[Indicator]:
    """Legacy OLE files (DOC, XLS, PPT): macros, embedded objects and DDE fields."""
    import olefile
    from oletools import msodde

    found = vba_indicators(data, name)
    with olefile.OleFileIO(data) as ole:
        for entry in ole.listdir(streams=True, storages=True):
            path = "/".join(entry)
            if entry[0] == "ObjectPool" and len(entry) == 2:
                found.append(Indicator(kind="ole_objects", part=path, detail="embedded object"))
            elif entry[-1] == "\x01Ole10Native":
                detail = "package " + clip(_package_name(ole.openstream(entry).read()), 80)
                found.append(
                    Indicator(kind="ole_objects", part=path.replace("\x01", ""), detail=detail)
                )
        if ole.exists("WordDocument"):
            links = msodde.process_doc(ole)
            found += [
                Indicator(kind="dde", part="WordDocument", detail=clip(line))
                for line in links.splitlines()
                if line.strip()
            ]
    return found


_RTF_TEMPLATE = re.compile(rb"\\\*\\template\s*([^}\s]{1,300})")
_RTF_DDE = re.compile(rb"\\fldinst[^{}]{0,40}?\{?[^{}]{0,20}?DDE(?:AUTO)?\b", re.IGNORECASE)
# Control words seen in exploit documents (CVE-2017-0199, CVE-2017-11882 and kin): force an
# object to update on open, or link an object to an outside source.
_RTF_EXPLOIT_WORDS = (b"\\objupdate", b"\\objautlink", b"\\objlink", b"\\objocx")
_RTF_EXPLOIT_CLASSES = {
    "equation.3": "Equation Editor object (CVE-2017-11882 family)",
    "ole2link": "OLE2Link object (CVE-2017-0199 family)",
    "package": "Packager object (a file to run)",
    "htmlfile": "HTML file object",
    "script": "Script object",
}


def rtf_indicators(data: bytes) -> list[Indicator]:
    """Objects embedded in an RTF file, exploit-shaped control words, remote templates, DDE."""
    from oletools.rtfobj import RtfObjParser

    found: list[Indicator] = []
    parser = RtfObjParser(data)
    parser.parse()
    for obj in parser.objects:
        where = f"object at offset {obj.start}"
        if obj.is_package:
            detail = f"package {clip(str(obj.filename or 'unnamed'), 80)}"
        elif obj.is_ole:
            cls = (obj.class_name or b"").decode("latin-1", errors="replace").strip("\0 ")
            detail = _RTF_EXPLOIT_CLASSES.get(cls.lower(), f"OLE object {clip(cls, 60)}")
        else:
            detail = "object (not OLE)"
        found.append(Indicator(kind="rtf_objects", part=where, detail=detail))
    lowered = data.lower()
    for word in _RTF_EXPLOIT_WORDS:
        index = lowered.find(word)
        if index >= 0:
            found.append(
                Indicator(
                    kind="rtf_objects",
                    part=f"control word at offset {index}",
                    detail=word.decode() + " (forces or links an object)",
                )
            )
    for match in _RTF_TEMPLATE.finditer(data):
        target = match.group(1).decode("latin-1", errors="replace")
        if "://" in target or target.startswith("\\\\"):
            found.append(
                Indicator(
                    kind="remote_template",
                    part=f"offset {match.start()}",
                    detail=clip(f"\\template -> {target}"),
                )
            )
    for match in _RTF_DDE.finditer(data):
        found.append(
            Indicator(
                kind="dde",
                part=f"field at offset {match.start()}",
                detail=clip(match.group(0).decode("latin-1", errors="replace")),
            )
        )
    return found
