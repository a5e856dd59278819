"""A resume document given on its own becomes an application: name, contacts, links from text."""

from __future__ import annotations

import pytest
from ingest_samples import encrypt_pdf, lines, make_docx, make_pdf, one_app

from screening.ingest import read_bytes
from screening.ingest.text_extract import find_links, find_name, find_phones, name_from_author


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Roe\nSenior Engineer", "Jane Roe"),
        ("Curriculum Vitae\n\nAna María López\nana@example.org", "Ana María López"),
        ("RESUME\nJOHN Q. SMITH\n", "JOHN Q. SMITH"),
        ("Senior Software Engineer\nJohn Smith", "John Smith"),
        ("Name: Kim Lee-Park\nPhone: +1 555 010 1234", "Kim Lee-Park"),
        ("Иван Петров\nРазработчик", "Иван Петров"),
        ("김 민준\n개발자", "김 민준"),
        ("Seán O'Brien", "Seán O'Brien"),
        ("jane.roe@example.com\nhttps://github.com/janeroe\nJane   Roe", "Jane Roe"),
        ("Professional Summary\nFull Stack Developer", None),
        ("john smith\nexperienced developer", None),  # not capitalised: a sentence
        ("Jane Roe 2024\nR2 D2", None),  # digits
        ("Madonna", None),  # one word
        ("A\nB\nC\nD\nE\nF\nJane Roe", None),  # too far down
    ],
)
def test_find_name(text: str, expected: str | None) -> None:
    assert find_name(text) == expected


@pytest.mark.parametrize(
    ("author", "expected"),
    [("Jane Roe", "Jane Roe"), ("Microsoft Office User", None), ("jroe", None), (None, None)],
)
def test_name_from_author(author: str | None, expected: str | None) -> None:
    assert name_from_author(author) == expected


def test_phones_need_international_form_without_a_country() -> None:
    text = "Call +44 20 7946 0958 or (415) 555-0134"
    assert find_phones(text, 10) == ["+442079460958"]
    assert find_phones(text, 10, "US") == ["+442079460958", "+14155550134"]


def test_links_get_a_scheme_and_lose_trailing_punctuation() -> None:
    text = "See linkedin.com/in/jane-roe, github.com/janeroe. Or https://jane.example.org/cv)."
    assert find_links(text, 10) == [
        "https://linkedin.com/in/jane-roe",
        "https://github.com/janeroe",
        "https://jane.example.org/cv",
    ]


def test_pdf_resume_becomes_an_application() -> None:
    pdf = make_pdf(
        [["Curriculum Vitae", "Jane Roe", "jane.roe@example.com | +44 20 7946 0958",
          "www.linkedin.com/in/jane-roe | github.com/janeroe", "Phone (local): 020 7946 0000"]],
        info={"Author": "Somebody Else"},
    )  # fmt: skip
    raw = one_app(read_bytes(pdf, "uploads/jane-roe-cv.pdf"))
    app = raw.data
    assert (raw.format, raw.origin, app.id) == (
        "document",
        "uploads/jane-roe-cv.pdf",
        "jane-roe-cv",
    )
    assert app.name == "Jane Roe"
    assert app.emails == ["jane.roe@example.com"]
    # as written; without a location in the header, the national number is left for the
    # configured default region to place (or a note says it could not be placed): not guessed
    assert app.phones == ["+44 20 7946 0958", "020 7946 0000"]
    assert app.links == ["https://www.linkedin.com/in/jane-roe", "https://github.com/janeroe"]
    assert app.resume is not None and app.resume.path == "jane-roe-cv.pdf"
    [doc] = raw.documents
    assert (doc.format, doc.meta.author) == ("pdf", "Somebody Else")


def test_name_falls_back_to_author_metadata() -> None:
    data = make_docx(["Experienced backend developer", "dev@example.com"], author="Ana Lima")
    assert one_app(read_bytes(data, "cv.docx")).data.name == "Ana Lima"


def test_txt_resume() -> None:
    raw = one_app(read_bytes(b"Bo Chen\nbo.chen@example.org\n", "bo.txt"))
    assert (raw.data.name, raw.data.emails, raw.documents[0].format) == (
        "Bo Chen", ["bo.chen@example.org"], "txt",
    )  # fmt: skip


def test_no_name_tells_the_user_to_wrap_the_document() -> None:
    assert lines(read_bytes(b"experienced developer\nfoo@example.com\n", "cv.txt")) == [
        "cv.txt: name: no candidate name found in the document's text, its author metadata, "
        "its emails or its file name; wrap it in an application file: name: <the "
        "candidate's name> and resume: {path: cv.txt}"
    ]


def test_encrypted_resume_without_a_name_says_why() -> None:
    data = encrypt_pdf(make_pdf([["Jane Roe"]]), "s3cret")
    [line] = lines(read_bytes(data, "cv.pdf"))
    assert "(the document was skipped: encrypted)" in line


@pytest.mark.parametrize(
    "name", ["Ludwig van Beethoven", "Maria da Silva", "김민준", "Ahmad bin Ali"]
)
def test_names_of_every_shape_start_a_standalone_resume(name: str) -> None:
    """One header rule for ingest and the identity analyzer: particles and one-word names in
    scripts without case are names, so such a resume is never refused for "no name"."""
    assert find_name(f"{name}\nSoftware Engineer\n") == name
    assert name_from_author("Office User") is None and name_from_author(name) == name
