"""A resume read into structure: dates, headings, entries, name, contacts, DOCX parts, layout."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ingest_samples import make_docx, make_pdf

from screening.analyze.base import AnalysisContext
from screening.analyze.documents import DocumentAnalyzer
from screening.ingest import detect_format, read_path
from screening.ingest.documents.layout import Line
from screening.ingest.documents.read import read_document, read_resume
from screening.ingest.resume.dates import find_range
from screening.ingest.resume.sections import heading_kind
from screening.ingest.resume.structure import read_structure, rejoin_spaced
from screening.ingest.standalone import read_standalone
from screening.model.application import DocumentStatus, RawApplication
from screening.model.limits import Limits
from screening.normalize import normalize
from screening.testing import FixedClock


def structure(text: str, author: str | None = None, region: str | None = None):  # type: ignore[no-untyped-def]
    lines = [Line(t) for t in text.splitlines() if t.strip()]
    return read_structure(lines, author=author, file_stem=None, default_region=region,
                          max_items=50)  # fmt: skip


def standalone(text: str, name: str = "cv.txt") -> RawApplication:
    data = text.encode()
    return read_standalone(data, detect_format(name, data), name, name, Limits())


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jan 2020 – Present", "2020-01", "present"),
        ("2019.03 - 2021.07", "2019-03", "2021-07"),
        ("03/2019 – now", "2019-03", "present"),
        ("2019 – 2021", "2019", "2021"),
        ("Software Engineer, Acme\tMar 2018 - Oct 2020", "2018-03", "2020-10"),
        ("März 2017 – heute", "2017-03", "present"),
        ("janvier 2015 - décembre 2016", "2015-01", "2016-12"),
        ("enero 2012 - actualidad", "2012-01", "present"),
        ("setembro 2010 – atual", "2010-09", "present"),
        ("сентябрь 2018 — настоящее время", "2018-09", "present"),
        ("2019年3月 - 至今", "2019-03", "present"),
        ("2020년 3월 ~ 현재", "2020-03", "present"),
        ("tháng 3/2019 - nay", "2019-03", "present"),
        ("seit 05/2018", "2018-05", "present"),
        ("2019-03-01 – 2020-04-15", "2019-03", "2020-04"),
    ],
)
def test_date_ranges_in_the_usual_forms_and_languages(text: str, start: str, end: str) -> None:
    found = find_range(text)
    assert found is not None and (found.start, found.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["Python 3.11 developer", "Led a team of 12", "Berlin 2018 marathon finisher"]
)
def test_numbers_that_are_not_dates(text: str) -> None:
    assert find_range(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("WORK EXPERIENCE", "experience"),
        ("— Professional History —", "experience"),
        ("E X P E R I E N C E", "experience"),
        ("Berufserfahrung:", "experience"),
        ("Expérience professionnelle", "experience"),
        ("Experiencia laboral", "experience"),
        ("Experiência profissional", "experience"),
        ("Опыт работы", "experience"),
        ("工作经历", "experience"),
        ("경력", "experience"),
        ("Kinh nghiệm làm việc", "experience"),
        ("Ausbildung", "education"),
        ("Formation", "education"),
        ("Образование", "education"),
        ("教育背景", "education"),
        ("학력", "education"),
        ("Học vấn", "education"),
        ("Skills & Tools", "skills"),
        ("Referees", "references"),
        ("Referências", "references"),
        ("Software Engineer", None),
        ("Worked on the experience team of a large bank", None),
    ],
)
def test_section_headings(text: str, kind: str | None) -> None:
    assert heading_kind(text) == kind


RESUME = """\
Jane Roe | jane.roe@example.com
Berlin, Germany
030 12345678

Summary
Backend engineer.

Work Experience
Senior Engineer — Acme GmbH\tJan 2020 – Present
Built the billing platform.
03/2016 – 12/2019
Globex AG
Software Developer
Maintained the shop.

Education
Technische Universität Berlin
M.Sc. Computer Science
2014 – 2016

Skills
Python, Go, PostgreSQL; Kubernetes

References
Max Muster
max.muster@example.org
+49 30 9876543
"""


def test_a_resume_is_read_into_application_fields() -> None:
    raw = standalone(RESUME)
    app = raw.data
    assert app.name == "Jane Roe"  # shares its line with the email
    assert not raw.name_uncertain
    assert app.emails == ["jane.roe@example.com"]  # the referee's email is not the candidate's
    assert app.phones == ["030 12345678"]  # as written; placed through the location:
    assert [p.e164 for p in normalize(raw).phones] == ["+493012345678"]
    assert app.location is not None and (app.location.city, app.location.country) == (
        "Berlin", "DE",
    )  # fmt: skip
    jobs = [(j.employer, j.title, j.start, j.end) for j in app.employment]
    assert jobs == [
        ("Acme GmbH", "Senior Engineer", "2020-01", "present"),  # dates on the right
        ("Globex AG", "Software Developer", "2016-03", "2019-12"),  # dates above the title
    ]
    assert [(e.institution, e.degree, e.start, e.end) for e in app.education] == [
        ("Technische Universität Berlin", "M.Sc. Computer Science", "2014", "2016")  # below
    ]
    assert app.skills == ["Python", "Go", "PostgreSQL", "Kubernetes"]
    assert [(r.name, r.email, r.phone) for r in app.references] == [
        ("Max Muster", "max.muster@example.org", "+49 30 9876543")
    ]
    [note] = [n for n in raw.notes if n.message.startswith("read from the document's text")]
    assert note.field == "cv.txt" and note.kind == "document"
    for field in ("name", "emails", "phones", "employment (2)", "education (1)", "skills"):
        assert field in note.message


def test_letter_spaced_contacts_are_rejoined() -> None:
    assert rejoin_spaced("a . w a l e t z k i @ g m x . d e") == "a.waletzki@gmx.de"
    found = structure("Anna Waletzki\na . w a l e t z k i @ g m x . d e\n")
    assert found.emails == ["a.waletzki@gmx.de"]


def test_national_phone_falls_back_to_the_default_region() -> None:
    """Without a location in the header a national number is kept as written: the configured
    default region places it, or a note says it could not be placed (never silently dropped)."""
    raw = standalone("Ana Silva\nana.silva@example.com\n(11) 98765-4321\n")
    assert raw.data.phones == ["(11) 98765-4321"]
    assert [p.e164 for p in normalize(raw, "BR").phones] == ["+5511987654321"]
    unplaced = normalize(raw)
    assert [p.e164 for p in unplaced.phones] == [None]
    assert any("could not be placed" in n.message for n in unplaced.notes)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Orlando, FL\nJohn Smith\njohn@example.com", "John Smith"),  # a city is not a name
        ("Stanford University\nMaria Garcia\n", "Maria Garcia"),  # nor a school
        ("EXPERIENCE\nKim Lee\n", "Kim Lee"),  # nor a heading
        ("Resume\n\nPriya Nair\tpriya.nair@example.com\t+91 98765 43210", "Priya Nair"),
    ],
)
def test_the_name_is_never_a_place_school_or_heading(text: str, name: str) -> None:
    found = structure(text).name
    assert found is not None and found.name == name


def test_the_largest_line_corroborated_by_the_email_is_certain() -> None:
    lines = [
        Line("Summary of a long career in software", 11.0),
        Line("Tomás Herrera", 24.0, bold=True),
        Line("tomas.herrera@example.com", 11.0),
    ]
    found = read_structure(lines, author=None, file_stem=None, default_region=None, max_items=9)
    assert found.name is not None and found.name.name == "Tomás Herrera" and found.name.certain


def test_an_unsure_name_is_screened_but_never_compared() -> None:
    raw = standalone("Seasoned developer with many years\njane.roe@example.com\n")
    assert raw.data.name == "Jane Roe" and raw.name_uncertain  # from the email, marked
    name = normalize(raw).name
    assert name.tokens == () and "uncertain" in name.display


def test_the_file_name_is_the_last_name_source() -> None:
    raw = standalone("experienced developer\n", name="Jane_Roe_CV.txt")
    assert raw.data.name == "Jane Roe" and raw.name_uncertain


def docx_with_text_box_header_footer() -> bytes:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Lena Fischer"
    document.sections[0].footer.paragraphs[0].text = "lena.fischer@example.de"
    document.add_paragraph("Berufserfahrung")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "01/2019 – heute"
    table.cell(0, 1).text = "Entwicklerin, Beispiel GmbH"
    from docx.oxml import parse_xml

    box = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Kontakt: +49 170 1234567</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    document.add_paragraph()._p.append(box)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_text_boxes_headers_footers_and_table_rows() -> None:
    data = docx_with_text_box_header_footer()
    content, found = read_resume(data, detect_format("cv.docx", data), "cv.docx", Limits())
    lines = content.text.splitlines()
    assert lines[0] == "Lena Fischer" and lines[-1] == "lena.fischer@example.de"
    assert "01/2019 – heute\tEntwicklerin, Beispiel GmbH" in lines  # one row, one line
    assert "Kontakt: +49 170 1234567" in lines  # the text box
    assert found.phones == ["+49 170 1234567"]
    assert [(e.organisation, e.role, e.start, e.end) for e in found.work] == [
        ("Beispiel GmbH", "Entwicklerin", "2019-01", "present")
    ]


def test_docx_without_core_properties_has_no_metadata() -> None:
    """python-docx invents an author ("python-docx") and a modified time (now) for a file
    without docProps/core.xml; those must never reach the report as the file's metadata."""
    data = make_docx(["Jane Roe"], author="Jane Roe")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            body = source.read(entry)
            if entry.filename == "_rels/.rels":  # drop the relationship to the core part
                body = re.sub(rb"<Relationship [^>]*core-properties[^>]*/>", b"", body)
            if entry.filename != "docProps/core.xml":
                target.writestr(entry, body)
    stripped = out.getvalue()
    meta = read_document(
        stripped, detect_format("cv.docx", stripped), "resume", None, Limits()
    ).meta
    assert (meta.author, meta.last_modified_by, meta.created, meta.modified) == (None,) * 4


def columns_pdf() -> bytes:
    """A page with a full-width name, a left sidebar and a right main column whose lines sit
    on other baselines than the sidebar's (as two independent columns do)."""
    ops = ["BT", "/F1 24 Tf", "1 0 0 1 60 740 Tm (Ruth Okafor) Tj", "/F1 10 Tf"]
    for i, text in enumerate(["CONTACT", "ruth@example.com", "Lagos, Nigeria", "SKILLS", "Go"]):
        ops.append(f"1 0 0 1 40 {690 - 17 * i} Tm ({text}) Tj")
    main = ["EXPERIENCE", "Data Engineer, Flux Ltd", "Jun 2019 - Present", "Built pipelines.",
            "Analyst, Kora Bank", "Feb 2016 - May 2019", "Reported on risk."]  # fmt: skip
    for i, text in enumerate(main):
        ops.append(f"1 0 0 1 250 {684 - 13 * i} Tm ({text}) Tj")
    ops.append("ET")
    return make_pdf_stream("\n".join(ops))


def make_pdf_stream(stream: str) -> bytes:
    pdf = make_pdf([["placeholder"]])
    old = b"BT\n/F1 12 Tf\n72 720 Td\n14 TL\n(placeholder) Tj T*\nET"
    new = stream.encode("latin-1")
    pdf = pdf.replace(b"/Length %d" % len(old), b"/Length %d" % len(new)).replace(old, new)
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))  # rebuild the offsets
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_two_columns_are_read_one_after_the_other() -> None:
    data = columns_pdf()
    content, found = read_resume(data, detect_format("cv.pdf", data), "cv.pdf", Limits())
    lines = content.text.splitlines()
    assert lines[0] == "Ruth Okafor"
    assert lines.index("Go") < lines.index("EXPERIENCE")  # the sidebar, then the main column
    assert found.name is not None and found.name.name == "Ruth Okafor"
    assert found.location is not None and found.location.country == "NG"
    assert [(e.organisation, e.start, e.end) for e in found.work] == [
        ("Flux Ltd", "2019-06", "present"),
        ("Kora Bank", "2016-02", "2019-05"),
    ]


def image_only_pdf(text: str | None = None) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1275, 1650), "white")  # a letter page at 150 dpi
    if text:
        font = ImageFont.load_default(size=60)
        ImageDraw.Draw(image).text((120, 150), text, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PDF", resolution=150)
    return out.getvalue()


def test_an_image_only_pdf_says_its_text_could_not_be_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)  # as on a machine without Tesseract
    data = image_only_pdf()
    doc = read_document(data, detect_format("cv.pdf", data), "resume", "cv.pdf", Limits())
    assert doc.status is DocumentStatus.SKIPPED
    assert doc.reason.startswith("no text layer: the resume could not be read")
    assert "'ocr' extra" in doc.reason


def test_ocr_reads_an_image_only_pdf_when_tesseract_is_installed() -> None:
    pytest.importorskip("pytesseract")
    import shutil

    if shutil.which("tesseract") is None:
        pytest.skip("Debian's tesseract-ocr is not installed")
    data = image_only_pdf("Maria Lopez")
    doc = read_document(data, detect_format("cv.pdf", data), "resume", "cv.pdf",
                        Limits(document_timeout_seconds=60))  # fmt: skip
    assert doc.status is DocumentStatus.OK
    assert "Maria Lopez" in doc.text
    assert "OCR" in doc.reason  # the source is reported


def test_an_application_keeps_its_fields_and_the_resume_fills_the_missing_ones(
    tmp_path: Path,
) -> None:
    (tmp_path / "cv.txt").write_text(RESUME, encoding="utf-8")
    app_file = tmp_path / "app.yml"
    app_file.write_text(
        "name: Jane Roe\nemails: [jane@roe.example]\n"
        "employment: [{employer: Initech, start: 2021-01}]\nresume: {path: cv.txt}\n",
        encoding="utf-8",
    )
    [raw] = read_path(app_file)
    assert isinstance(raw, RawApplication)
    app = raw.data
    # what the form gave stays as given
    assert app.emails == ["jane@roe.example"]
    assert [(j.employer, j.start) for j in app.employment] == [("Initech", "2021-01")]
    # what it lacked comes from the resume, and a note says so
    assert [e.institution for e in app.education] == ["Technische Universität Berlin"]
    assert app.skills == ["Python", "Go", "PostgreSQL", "Kubernetes"]
    assert app.location is not None and app.location.country == "DE"
    [note] = [n for n in raw.notes if n.message.startswith("filled from the document's text")]
    assert note.field == "cv.txt" and "education (1)" in note.message
    assert "employment" not in note.message and "emails" not in note.message


_WORDS = st.sampled_from(
    ["Experience", "Education", "Skills", "References", "Jane Roe", "Acme GmbH", "Engineer",
     "Jan 2020 – Present", "2019.03 - 2021.07", "03/2019", "jane@example.com", "+49 30 1234567",
     "Berlin, Germany", "•", "#", "", "\t", "—", "University of Oslo", "2019 – 2021", "see"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.one_of(_WORDS, st.text(max_size=12)), max_size=6),
            st.sampled_from([0.0, 9.5, 11.0, 14.0, 24.0]),
            st.booleans(),
            st.integers(0, 2),
        ),
        max_size=40,
    )
)
def test_any_lines_are_read_without_an_error(
    rows: list[tuple[list[str], float, bool, int]],
) -> None:
    """Whatever the document holds, reading its structure never fails (a crash here would
    refuse the application)."""
    lines = [Line(" ".join(words), size, bold, page) for words, size, bold, page in rows]
    found = read_structure(lines, author=None, file_stem=None, default_region=None, max_items=20)
    assert len(found.work) <= 20 and len(found.education) <= 20


@pytest.mark.parametrize(
    ("header", "phone", "place", "e164"),
    [
        ("Austin, Texas", "512-734-2291", ("Austin", "US"), "+15127342291"),
        ("Guadalajara, Jalisco", "33 3615 7890", ("Guadalajara", "MX"), "+523336157890"),
        ("Calle Mayor 5, 28013 Madrid ES", "612 34 56 78", ("Calle Mayor", "ES"),
         "+34612345678"),
        ("ana@example.com | 0912 345 678 | Bayern", "0171 2345678", (None, "DE"),
         "+491712345678"),
    ],
)  # fmt: skip
def test_a_header_naming_a_state_or_a_postal_address_places_national_numbers(
    header: str, phone: str, place: tuple[str | None, str], e164: str
) -> None:
    """A state or province of one country only (ISO 3166-2) or an address ending in a country
    code after its postal code is the detected country, and national numbers are read through
    it (the input note says so)."""
    raw = standalone(f"Ana Quintero\n{header}\n{phone}\nana@example.com\n")
    assert raw.data.location is not None
    assert (raw.data.location.city, raw.data.location.country) == place
    app = normalize(raw)
    assert e164 in [p.e164 for p in app.phones]
    assert any("through the claimed country" in n.message for n in app.notes)


@pytest.mark.parametrize(
    "header",
    [
        "Ludhiana, Punjab",  # a state name two countries use
        "Cloud Architect | CAST AI | Kubernetes",  # a capital word is no country code here
        "Victoria Sandoval",  # a name line is never read as a region
    ],
)
def test_an_ambiguous_place_places_nothing_and_says_so(header: str) -> None:
    raw = standalone(f"Ana Quintero\n{header}\n98765 43210\nana@example.com\n")
    assert raw.data.location is None
    app = normalize(raw)
    assert [p.e164 for p in app.phones] == [None]
    assert any("could not be placed" in n.message for n in app.notes)


def test_a_resume_that_disagrees_with_its_form_gives_per_field_facts(tmp_path: Path) -> None:
    """Beside a form, what the resume says differently is counted per field (the form's values
    are kept) and noted; a resume screened on its own has nothing to disagree with."""
    (tmp_path / "cv.txt").write_text(RESUME, encoding="utf-8")
    app_file = tmp_path / "app.yml"
    app_file.write_text(
        "name: Jane Roe\nemails: [jane@roe.example, jane.roe@example.com]\n"
        "phones: ['+49 30 12345678']\n"
        "employment: [{employer: Initech, start: 2021-01}, {employer: ACME GmbH Berlin}]\n"
        "resume: {path: cv.txt}\n",
        encoding="utf-8",
    )
    [raw] = read_path(app_file)
    assert isinstance(raw, RawApplication)
    [note] = [n for n in raw.notes if "application's fields do not" in n.message]
    assert note.field == "cv.txt" and note.message.endswith("employers (1)")  # Globex AG
    ctx = AnalysisContext(clock=FixedClock(dt.datetime(2026, 1, 15, tzinfo=dt.UTC)))
    [rec] = DocumentAnalyzer().analyze(normalize(raw), ctx).records["documents"]
    assert (rec["resume_name_relation"], rec["emails_not_on_form"], rec["phones_not_on_form"],
            rec["employers_not_on_form"]) == ("same", 0, 0, 1)  # fmt: skip

    app_file.write_text(
        "name: Joan Smith\nresume: {path: cv.txt}\n", encoding="utf-8"
    )  # only a name on the form: the resume fills the rest, so only the name can differ
    [raw] = read_path(app_file)
    assert isinstance(raw, RawApplication)
    assert not [n for n in raw.notes if "application's fields do not" in n.message]
    [rec] = DocumentAnalyzer().analyze(normalize(raw), ctx).records["documents"]
    assert (rec["resume_name_relation"], rec["emails_not_on_form"], rec["phones_not_on_form"],
            rec["employers_not_on_form"]) == ("different", 0, 0, 0)  # fmt: skip

    alone = standalone(RESUME)  # the resume is the application: nothing to compare
    [rec] = DocumentAnalyzer().analyze(normalize(alone), ctx).records["documents"]
    compared = (
        "resume_name_relation",
        "emails_not_on_form",
        "phones_not_on_form",
        "employers_not_on_form",
    )
    assert [rec[k] for k in compared] == [None, None, None, None]


def test_a_smaller_courses_heading_inside_education_stays_in_its_entry() -> None:
    """ "Courses" set smaller than the education heading, inside an entry, is part of it: the
    next school is still read as education, while a courses section as large as the others is
    a section of its own."""
    rows = [
        ("Education", 20.0, True),
        ("Westbrook University", 14.0, True),
        ("Sep 2010 – Jun 2014", 10.0, False),
        ("Courses", 12.0, False),
        ("Algorithms and data structures", 10.0, False),
        ("Lakeside Technical School", 14.0, True),
        ("Sep 2006 – Jun 2010", 10.0, False),
        ("Courses", 20.0, True),
        ("Statistics for engineers, online", 10.0, False),
    ]
    lines = [Line(text, size, bold) for text, size, bold in rows]
    found = read_structure(lines, author=None, file_stem=None, default_region=None, max_items=50)
    assert [e.organisation for e in found.education] == [
        "Westbrook University", "Lakeside Technical School",
    ]  # fmt: skip
    assert found.sections == ["education", "certifications"]


@pytest.mark.parametrize(
    ("header", "phone", "country", "e164"),
    [
        ("Denver, CO", "720-334-2291", "US", "+17203342291"),  # Colorado, not Colombia
        ("Medellín, CO", "+57 310 456 7890", "CO", "+573104567890"),
        ("San Francisco, CA", "415-734-2291", "US", "+14157342291"),  # California, not Canada
        ("Berlin, DE", "030 12345678", "DE", "+493012345678"),  # Germany, not Delaware
        ("Bogotá, CO", "310 456 7890", "CO", "+573104567890"),  # valid in Colombia: its code
        ("Denver, CO", "", None, None),  # no number to settle it: left unread, not guessed
    ],
)
def test_a_code_after_a_city_that_two_countries_use_is_settled_by_the_phone(
    header: str, phone: str, country: str | None, e164: str | None
) -> None:
    """A state code and a country code written alike are read the same way for every country:
    the code's country when the header's number is valid there, else the one other country where
    it is; without a decision the place is left unread."""
    raw = standalone(f"Ana Quintero\n{header}\n{phone}\nana@example.com\n")
    found = raw.data.location.country if raw.data.location else None
    assert found == country
    assert [p.e164 for p in normalize(raw).phones] == ([e164] if phone else [])
