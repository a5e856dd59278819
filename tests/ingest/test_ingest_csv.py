"""CSV exports: one application per row, documented columns, rows that fail alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_samples import lines, one_app

from screening.errors import LimitError
from screening.ingest import IngestFailure, read_bytes, read_path
from screening.model.application import RawApplication
from screening.model.limits import Limits

HEADER = (
    "id,received_at,source,name,aliases,emails,phones,country,region,city,timezone,home_line1,"
    "home_city,home_region,home_postal_code,home_country,shipping_line1,shipping_city,"
    "shipping_region,shipping_postal_code,shipping_country,links,linkedin,github,"
    "work_authorization,citizenship,date_of_birth,skills,resume_text,resume_path,"
    "cover_letter_text,ip,user_agent,utc_offset_minutes,payment_method,account_holder,"
    "bank_country,payment_platform,wallets,interview_notes"
)
FULL_ROW = (
    'gh-1,2025-03-02T14:05:00Z,greenhouse,Jonathan Miller,"Jon Miller|J. Miller",'
    '"jon@example.com; jm@example.org","+1 555 010 2030",US,TX,Austin,America/Chicago,'
    "12 Oak St,Austin,TX,78701,US,9 Elm Rd,Reno,NV,89501,US,https://jm.example.org,"
    'jonmiller,@jmiller-dev,US citizen,US,1990-04-02,"Python\nReact",Resume text here,,'
    "Cover letter text,203.0.113.7,Mozilla/5.0,-360,crypto,J Miller,US,Payoneer,"
    '"bc1qexample;0xexample","Camera off; said the webcam was broken"'
)


def apps(results: list[RawApplication | IngestFailure]) -> list[RawApplication]:
    return [r for r in results if isinstance(r, RawApplication)]


def failures(results: list[RawApplication | IngestFailure]) -> list[IngestFailure]:
    return [r for r in results if isinstance(r, IngestFailure)]


def test_every_column_maps_to_the_contract() -> None:
    raw = one_app(read_bytes(f"{HEADER}\n{FULL_ROW}\n".encode(), "export.csv"))
    app = raw.data
    assert (raw.origin, raw.format) == ("export.csv:row 2", "csv")
    assert (app.id, app.source, app.name) == ("gh-1", "greenhouse", "Jonathan Miller")
    assert app.aliases == ["Jon Miller", "J. Miller"]
    assert app.emails == ["jon@example.com", "jm@example.org"]
    assert app.location is not None
    assert (app.location.country, app.location.region, app.location.timezone) == (
        "US", "TX", "America/Chicago",
    )  # fmt: skip
    home, shipping = app.addresses
    assert (home.kind, home.line1, home.postal_code) == ("home", "12 Oak St", "78701")
    assert (shipping.kind, shipping.city, shipping.region) == ("shipping", "Reno", "NV")
    assert app.links == [
        "https://jm.example.org",
        "https://www.linkedin.com/in/jonmiller",
        "https://github.com/jmiller-dev",
    ]
    assert app.skills == ["Python", "React"]
    assert str(app.date_of_birth) == "1990-04-02"
    [event] = app.network
    assert (event.ip, event.user_agent, event.utc_offset_minutes, event.context) == (
        "203.0.113.7", "Mozilla/5.0", -360, "application",
    )  # fmt: skip
    assert app.payment is not None
    assert (app.payment.method, app.payment.platform, app.payment.wallets) == (
        "crypto", "Payoneer", ["bc1qexample", "0xexample"],
    )  # fmt: skip
    assert app.interview_notes == ["Camera off", "said the webcam was broken"]
    assert [(d.kind, d.text) for d in raw.documents] == [
        ("resume", "Resume text here"),
        ("cover_letter", "Cover letter text"),
    ]


def test_bom_semicolons_and_case_insensitive_header() -> None:
    text = "\ufeffName;EMAILS;Country\r\nAna Lima;ana@example.com|ana@example.org;BR\r\n"
    raw = one_app(read_bytes(text.encode("utf-8"), "export.csv"))
    assert (raw.data.name, raw.data.emails) == ("Ana Lima", ["ana@example.com", "ana@example.org"])
    assert raw.data.location is not None and raw.data.location.country == "BR"
    assert raw.data.id == "export-row-2"


def test_tab_separated() -> None:
    raw = one_app(read_bytes(b"name\tphones\nAna Lima\t+1 555 010 1111\n", "export.csv"))
    assert raw.data.phones == ["+1 555 010 1111"]


def test_one_bad_row_fails_alone_with_its_row_number() -> None:
    text = (
        "name,date_of_birth,country\n"
        "Ana Lima,1991-02-03,BR\n"
        "\n"  # an empty row: skipped, but it still counts in the numbering
        "Bo Chen,soon,US\n"
        "Cy Dee,,USA\n"  # a country written another way is read, with a note
        "Di Eve,,\n"
    )
    results = read_bytes(text.encode(), "export.csv")
    assert [a.data.name for a in apps(results)] == ["Ana Lima", "Cy Dee", "Di Eve"]
    assert [a.origin for a in apps(results)] == [
        "export.csv:row 2",
        "export.csv:row 5",
        "export.csv:row 6",
    ]
    assert [line for f in failures(results) for line in f.error.lines()] == [
        "export.csv:row 4: date_of_birth: expected a date like 1990-04-02, got 'soon'",
    ]
    cy = apps(results)[1]
    assert cy.data.location is not None and cy.data.location.country == "US"
    assert [(n.field, str(n.kind)) for n in cy.notes] == [("country", "country")]


def test_unknown_columns_are_ignored_with_one_note_naming_them() -> None:
    (app,) = apps(read_bytes(b"name,emial,Phnes,zzz\nAna,x,y,z\n", "e.csv"))
    assert app.data.emails == [] and app.data.phones == []
    (note,) = app.notes
    assert (note.field, str(note.kind)) == ("(header)", "ignored")
    assert note.message == (
        "3 column(s) map to nothing and were not read: emial (did you mean 'emails'?), "
        "Phnes (did you mean 'phones'?), zzz"
    )


def test_header_needs_a_name_column() -> None:
    assert lines(read_bytes(b"emails,emails\na@example.com,b@example.com\n", "e.csv")) == [
        "e.csv: name: the header has no name column (name, or first and last name)",
    ]


def test_missing_name_in_a_row() -> None:
    results = read_bytes(b"name,emails\n,a@example.com\n", "e.csv")
    assert lines(results) == ["e.csv:row 2: name: required field is missing"]


def test_network_values_need_an_ip() -> None:
    results = read_bytes(b"name,utc_offset_minutes\nAna Lima,540\n", "e.csv")
    assert lines(results) == ["e.csv:row 2: ip: required field is missing"]


def test_row_cap() -> None:
    text = "name\n" + "".join(f"Person Number{i}\n" for i in range(5))
    results = read_bytes(text.encode(), "e.csv", Limits(max_csv_rows=3))
    assert len(apps(results)) == 3
    [failure] = failures(results)
    assert isinstance(failure.error, LimitError)
    assert failure.error.lines() == [
        "e.csv: (document): more than 3 rows (limits.max_csv_rows); row 5 and the rows after "
        "it were not read"
    ]


def test_long_cell_and_long_list_fail_their_row_only() -> None:
    long_text = "x" * 301
    many = ";".join(f"s{i}" for i in range(12))
    text = f'name,resume_text,skills\nAna Lima,{long_text},\nBo Chen,,"{many}"\nCy Dee,ok,Go\n'
    results = read_bytes(text.encode(), "e.csv", Limits(max_text_chars=300, max_list_items=10))
    assert [a.data.name for a in apps(results)] == ["Cy Dee"]
    assert [type(f.error) for f in failures(results)] == [LimitError, LimitError]
    assert [line for f in failures(results) for line in f.error.lines()] == [
        "e.csv:row 2: resume_text: 301 characters, the limit is 300 (limits.max_text_chars)",
        "e.csv:row 3: skills: 12 items, the limit is 10 (limits.max_list_items)",
    ]


def test_cells_larger_than_the_csv_module_default_are_read() -> None:
    resume = "Experienced engineer. " * 7000  # ~150 000 characters, over csv's 131 072 default
    text = f'name,resume_text\nAna Lima,"{resume}"\nBo Chen,short\n'
    results = read_bytes(text.encode(), "e.csv", Limits(max_text_chars=200_000))
    assert [a.data.name for a in apps(results)] == ["Ana Lima", "Bo Chen"]


def test_extra_cells_are_an_error_for_that_row() -> None:
    results = read_bytes(b"name,emails\nAna Lima,a@example.com,surprise\n", "e.csv")
    assert lines(results) == [
        "e.csv:row 2: (document): the row has 3 cells but the header has 2 columns "
        "(a delimiter inside a value that is not quoted?)"
    ]


def test_trailing_delimiter_column_is_ignored() -> None:
    raw = one_app(read_bytes(b"name,emails,\nAna Lima,a@example.com,\n", "e.csv"))
    assert raw.data.emails == ["a@example.com"]


def test_not_utf8_is_refused_with_a_hint() -> None:
    assert lines(read_bytes("name\nJosé\n".encode("cp1252"), "e.csv")) == [
        "e.csv: (document): not valid UTF-8 text (byte 0xe9 at offset 8); save the file as UTF-8"
    ]


def test_header_only_gives_no_applications() -> None:
    assert read_bytes(b"name,emails\n", "e.csv") == []


def test_resume_path_is_relative_to_the_csv_folder(tmp_path: Path) -> None:
    (tmp_path / "cv").mkdir()
    (tmp_path / "cv" / "ana.txt").write_text("Ana Lima\nPython developer\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for you", encoding="utf-8")
    export = tmp_path / "export.csv"
    export.write_text(
        "name,resume_path\nAna Lima,cv/ana.txt\nBo Chen,../secret.txt\nCy Dee,cv/missing.pdf\n",
        encoding="utf-8",
    )
    results = read_path(export)
    [ana, cy] = apps(results)
    assert [(d.format, d.text, d.file_name) for d in ana.documents] == [
        ("txt", "Ana Lima\nPython developer", "cv/ana.txt")
    ]
    assert [(d.status.value, d.file_name) for d in cy.documents] == [("skipped", "cv/missing.pdf")]
    assert [line for f in failures(results) for line in f.error.lines()] == [
        f"{export}:row 3: resume_path: '..' is not allowed: the document must be inside the "
        "application file's folder",
    ]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("https://www.linkedin.com/in/ana", "https://www.linkedin.com/in/ana"),
        ("linkedin.com/in/ana", "https://linkedin.com/in/ana"),
        ("@ana", "https://www.linkedin.com/in/ana"),
    ],
)
def test_linkedin_column_accepts_urls_and_handles(cell: str, expected: str) -> None:
    raw = one_app(read_bytes(f"name,linkedin\nAna Lima,{cell}\n".encode(), "e.csv"))
    assert raw.data.links == [expected]
