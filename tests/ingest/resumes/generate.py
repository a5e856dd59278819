"""Rebuild the resume development corpus (PDF and DOCX files with their ground truth).

Sources: a folder of pseudonymised real-world JSON Resumes (``SOURCE_DIR``). Each chosen resume
is rendered through a published JSON Resume theme (npm packages pinned in ``themes/package.json``)
to HTML and printed to PDF by headless Chromium (Debian's ``chromium``), or written as a DOCX in one
of several layouts (plain paragraphs, a table per entry, a two-column sidebar table, a contact block
in a text box with the name in the page header), and a few DOCX files are converted to PDF by
LibreOffice. ``truth.json`` holds, per file, what the source JSON says and the page shows: the
expected answer of ``test_resume_corpus.py``.

Needs (only to rebuild, never in tests or CI): Debian's ``chromium`` and
``libreoffice-writer-nogui``, and ``npm ci`` in ``themes/``.
Run: ``python tests/ingest/resumes/generate.py SOURCE_DIR``.
No network: external style sheets and scripts are removed before printing (Bootstrap 3 comes from
its npm package), and Chromium runs with host resolution disabled.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "files"
THEMES = HERE / "themes"
# theme -> how many resumes it renders; one-column (even, flat, macchiato, stackoverflow) and
# two-column (elegant: side card; kendall: bootstrap grid with a sidebar)
PDF_THEMES = ("elegant", "even", "flat", "kendall", "macchiato", "stackoverflow")
PDF_COUNT = 45
DOCX_LAYOUTS = ("plain", "table", "sidebar", "textbox")
DOCX_COUNT = 32
LIBREOFFICE_COUNT = 8
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
_EXTERNAL = re.compile(
    r"<link[^>]+href=[\"']https?://[^>]*>|<script[^>]+src=[\"']https?://[^>]*>\s*</script>|"
    r"@import\s+url\([\"']?https?://[^)]*\)\s*;?",
    re.IGNORECASE,
)
_BOOTSTRAP = re.compile(r"<link[^>]+bootstrap(?:\.min)?\.css[^>]*>", re.IGNORECASE)

HEADINGS = {
    "en": ("Work Experience", "Education", "Skills", "Contact", "References"),
    "de": ("Berufserfahrung", "Ausbildung", "Kenntnisse", "Kontakt", "Referenzen"),
    "fr": ("Expérience professionnelle", "Formation", "Compétences", "Coordonnées", "Références"),
    "es": ("Experiencia laboral", "Educación", "Habilidades", "Contacto", "Referencias"),
    "pt": (
        "Experiência profissional",
        "Formação acadêmica",
        "Competências",
        "Contato",
        "Referências",
    ),
    "ru": ("Опыт работы", "Образование", "Навыки", "Контакты", "Рекомендации"),
    "zh": ("工作经历", "教育背景", "专业技能", "联系方式", "推荐人"),
    "ko": ("경력", "학력", "기술", "연락처", "추천인"),
    "vi": ("Kinh nghiệm làm việc", "Học vấn", "Kỹ năng", "Liên hệ", "Người tham khảo"),
}
PRESENT = {"en": "Present", "de": "heute", "fr": "présent", "es": "actualidad", "pt": "atual",
           "ru": "н.в.", "zh": "至今", "ko": "현재", "vi": "nay"}  # fmt: skip
MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        sys.exit("usage: generate.py SOURCE_DIR [--truth-only]")
    source = Path(args[0])
    resumes = _load(source)
    if "--truth-only" in sys.argv:  # recompute the PDFs' truth from the files as printed
        _truth_only(dict(resumes))
        return
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    truth: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for i, (stem, data) in enumerate(resumes[:PDF_COUNT]):
            theme = PDF_THEMES[i % len(PDF_THEMES)]
            name = f"{stem}-{theme}.pdf"
            page = _render_theme(theme, data, work)
            if page is None:
                continue
            _print_pdf(page, OUT / name, work)
            truth[name] = _truth(data, _pdf_text(OUT / name))
        docx_sources = resumes[PDF_COUNT : PDF_COUNT + DOCX_COUNT]
        if len(docx_sources) < DOCX_COUNT:
            docx_sources += resumes[: DOCX_COUNT - len(docx_sources)]
        for i, (stem, data) in enumerate(docx_sources):
            layout = DOCX_LAYOUTS[i % len(DOCX_LAYOUTS)]
            lang = list(HEADINGS)[i % len(HEADINGS)]
            name = f"{stem}-{layout}-{lang}.docx"
            shown = _write_docx(data, layout, lang, i, OUT / name)
            truth[name] = _truth(data, shown)
            if i < LIBREOFFICE_COUNT:
                pdf = _libreoffice(OUT / name, work)
                if pdf is not None:
                    truth[pdf.name] = _truth(data, _pdf_text(pdf))
    (HERE / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"{len(truth)} files in {OUT}")


def _truth_only(resumes: dict[str, dict[str, Any]]) -> None:
    path = HERE / "truth.json"
    truth = json.loads(path.read_text(encoding="utf-8"))
    for name in truth:
        if name.endswith(".pdf"):
            truth[name] = _truth(resumes[name.split("-", 1)[0]], _pdf_text(OUT / name))
    path.write_text(
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )


def _pdf_text(path: Path) -> str:
    """What the printed page shows: PDFium's plain text of every page (no layout analysis)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    try:
        parts = []
        for page in document:
            textpage = page.get_textpage()
            parts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return " ".join(" ".join(parts).split())
    finally:
        document.close()


def _load(source: Path) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(source.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError:
            continue
        basics = data.get("basics") if isinstance(data, dict) else None
        if isinstance(basics, dict) and _text(basics.get("name")):
            out.append((path.stem, data))
    return out


# --- PDF through a theme and Chromium ------------------------------------------------------


def _render_theme(theme: str, data: dict[str, Any], work: Path) -> Path | None:
    src = work / "in.json"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    page = work / f"{theme}.html"
    run = subprocess.run(
        ["node", str(THEMES / "render.js"), theme, str(src), str(page)],
        cwd=THEMES,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if run.returncode != 0:
        print("theme failed:", theme, run.stderr.strip()[:200], file=sys.stderr)
        return None
    text = page.read_text(encoding="utf-8")
    css = (THEMES / "node_modules/bootstrap/dist/css/bootstrap.min.css").read_text()
    text = _BOOTSTRAP.sub(lambda _: f"<style>{css}</style>", text)
    text = _EXTERNAL.sub("", text)
    text = re.sub(r"<img[^>]+src=[\"']https?://[^>]*>", "", text, flags=re.IGNORECASE)
    page.write_text(text, encoding="utf-8")
    return page


def _print_pdf(page: Path, target: Path, work: Path) -> None:
    profile = work / "profile"
    shutil.rmtree(profile, ignore_errors=True)
    subprocess.run(
        ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
         f"--print-to-pdf={target}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )  # fmt: skip


# --- DOCX in several layouts ---------------------------------------------------------------


def _write_docx(data: dict[str, Any], layout: str, lang: str, index: int, target: Path) -> str:
    import docx
    from docx.shared import Pt

    document = docx.Document()
    props = document.core_properties
    props.author = _text(data["basics"].get("name")) if index % 3 else "Microsoft Office User"
    props.last_modified_by = props.author
    props.created = props.modified = dt.datetime(2024, 1, 1 + index % 28, 9, 0)
    props.title = ""
    props.comments = ""
    basics = data["basics"]
    work_head, edu_head, skill_head, contact_head, _ = HEADINGS[lang]
    shown: list[str] = []

    def para(container: Any, text: str, bold: bool = False, size: float | None = None) -> None:
        if not text:
            return
        paragraph = container.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        shown.append(text)

    contact = [
        _text(basics.get("email")),
        _text(basics.get("phone")),
        _place(basics.get("location")),
        _text(basics.get("url")),
    ]
    contact = [c for c in contact if c]
    name = _text(basics.get("name"))
    if layout == "textbox":
        header = document.sections[0].header.paragraphs[0]
        header.add_run(name).bold = True
        shown.append(name)
        para(document, _text(basics.get("label")), size=13)
        _textbox(document, [contact_head, *contact])
        shown.extend(contact)
        body: Any = document
    elif layout == "sidebar":
        table = document.add_table(rows=1, cols=2)
        side, body = table.rows[0].cells
        para(side, name, bold=True, size=20)
        para(side, contact_head, bold=True, size=13)
        for c in contact:
            para(side, c)
        para(side, skill_head, bold=True, size=13)
        for skill in _skills(data)[:12]:
            para(side, skill)
    else:
        para(document, name, bold=True, size=22)
        para(document, _text(basics.get("label")), size=13)
        para(document, " | ".join(contact))
        body = document
    summary = _text(basics.get("summary"))
    if summary:
        para(body, summary[:600])
    para(body, work_head.upper() if index % 2 else work_head, bold=True, size=14)
    for job in _list(data.get("work")):
        title = _text(job.get("position"))
        employer = _text(job.get("name")) or _text(job.get("company"))
        dates = _range(job.get("startDate"), job.get("endDate"), lang, index, ongoing=True)
        _entry(body, layout, title, employer, _text(job.get("location")), dates, para, shown)
        text = _text(job.get("summary"))
        if text:
            para(body, text[:400])
        for item in _list(job.get("highlights"))[:3]:
            if isinstance(item, str) and item.strip():
                para(body, "• " + item.strip()[:200])
    para(body, edu_head, bold=True, size=14)
    for study in _list(data.get("education")):
        degree = " ".join(filter(None, (_text(study.get("studyType")), _text(study.get("area")))))
        dates = _range(study.get("startDate"), study.get("endDate"), lang, index, ongoing=False)
        institution = _text(study.get("institution"))
        _entry(body, layout, degree, institution, None, dates, para, shown)
    if layout != "sidebar":
        para(body, skill_head, bold=True, size=14)
        para(body, ", ".join(_skills(data)[:20]))
    document.save(target)
    return " ".join(shown)


def _entry(body: Any, layout: str, title: str, org: str, place: str | None, dates: str,
           para: Any, shown: list[str]) -> None:  # fmt: skip
    if layout == "table":
        table = body.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.text = dates
        right.text = "\n".join(filter(None, (org, title, place)))
        shown.extend(filter(None, (dates, org, title, place)))
        return
    first = " — ".join(filter(None, (title, org)))
    if layout == "sidebar" or not dates:
        para(body, first, bold=True)
        para(body, ", ".join(filter(None, (dates, place))))
    else:
        para(body, f"{first}\t{dates}", bold=True)
        if place:
            para(body, place)


def _textbox(document: Any, lines: list[str]) -> None:
    """A VML text box holding ``lines`` (Word and LibreOffice read it; python-docx cannot write)."""
    from docx.oxml import parse_xml

    ns = (
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"'
    )
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{html.escape(line)}</w:t></w:r></w:p>'
        for line in lines
    )
    run = parse_xml(
        f'<w:r {ns}><w:pict><v:shape style="width:200pt;height:110pt"><v:textbox>'
        f"<w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    document.add_paragraph()._p.append(run)


def _libreoffice(source: Path, work: Path) -> Path | None:
    out = work / "lo"
    out.mkdir(exist_ok=True)
    run = subprocess.run(
        ["soffice", f"-env:UserInstallation={(work / 'lo-profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(source)],
        capture_output=True,
        timeout=180,
    )  # fmt: skip
    made = out / (source.stem + ".pdf")
    if run.returncode != 0 or not made.exists():
        print("libreoffice failed:", source.name, file=sys.stderr)
        return None
    target = OUT / (source.stem + "-libreoffice.pdf")
    shutil.move(made, target)
    return target


def _range(start: object, end: object, lang: str, index: int, ongoing: bool) -> str:
    """Dates written in one of the usual forms (rotating), as a person would type them."""
    form = index % 4
    a, b = _ym(start), _ym(end)
    if a is None:
        return ""

    def show(ym: tuple[int, int]) -> str:
        year, month = ym
        if form == 0:
            return f"{MONTHS_EN[month - 1]} {year}" if lang == "en" else f"{month:02d}/{year}"
        if form == 1:
            return f"{year}.{month:02d}"
        if form == 2:
            return f"{month:02d}/{year}"
        return f"{year}-{month:02d}"

    if b is not None:
        tail = show(b)
    elif ongoing and end in (None, ""):
        tail = PRESENT[lang]
    else:
        return show(a)
    return f"{show(a)} – {tail}"


# --- ground truth --------------------------------------------------------------------------


def _truth(data: dict[str, Any], shown: str) -> dict[str, Any]:
    basics = data["basics"]
    seen = shown.casefold()
    digits = re.sub(r"\D", "", shown)
    name = _text(basics.get("name"))
    # themes that print a label or a placeholder instead of the name: no name is on the page
    out: dict[str, Any] = {"name": name, "name_shown": bool(name) and name.casefold() in seen}
    email = _text(basics.get("email"))
    # a placeholder in the email field ("###EMAIL###", "see about page") is not an address
    is_email = bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email))
    out["emails"] = [email] if is_email and email.casefold() in seen else []
    out["phones"] = []
    phone = _text(basics.get("phone"))
    if phone and re.sub(r"\D", "", phone) in digits:
        e164 = _e164(phone, basics.get("location"))
        if e164:
            out["phones"] = [e164]
    out["work"] = [
        {"employer": emp, "start": _iso(job.get("startDate")), "end": _end(job)}
        for job in _list(data.get("work"))
        if (emp := _text(job.get("name")) or _text(job.get("company"))) and emp.casefold() in seen
    ]
    out["education"] = [
        {"institution": inst, "start": _iso(s.get("startDate")), "end": _iso(s.get("endDate"))}
        for s in _list(data.get("education"))
        if (inst := _text(s.get("institution"))) and inst.casefold() in seen
    ]
    out["skills"] = [s for s in _skills(data) if s.casefold() in seen]
    return out


def _e164(phone: str, location: object) -> str | None:
    import phonenumbers

    region = None
    if isinstance(location, dict):
        code = _text(location.get("countryCode")).upper()
        region = code if len(code) == 2 else None
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _end(job: dict[str, Any]) -> str | None:
    if job.get("endDate") in (None, ""):
        return "present"
    return _iso(job.get("endDate"))


def _ym(value: object) -> tuple[int, int] | None:
    m = re.match(r"^(\d{4})-(\d{1,2})", _text(value))
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    return int(m.group(1)), int(m.group(2))


def _iso(value: object) -> str | None:
    ym = _ym(value)
    return f"{ym[0]}-{ym[1]:02d}" if ym else None


def _skills(data: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for skill in _list(data.get("skills")):
        for word in [skill.get("name"), *_list_any(skill.get("keywords"))]:
            text = _text(word)
            if text and text not in out and len(text) <= 40:
                out.append(text)
    return out


def _place(location: object) -> str:
    if not isinstance(location, dict):
        return ""
    return ", ".join(filter(None, (_text(location.get("city")), _text(location.get("region")))))


def _list(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _list_any(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _text(value: object) -> str:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, list):
        return " ".join(_text(v) for v in value if isinstance(v, str))
    return ""


if __name__ == "__main__":
    main()
