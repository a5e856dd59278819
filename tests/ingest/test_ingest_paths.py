"""Documents referenced by an application: the path rule, and unreadable documents skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_samples import encrypt_pdf, lines, make_docx, make_pdf, one_app

from screening.ingest import IngestFailure, read_bytes, read_path
from screening.model.limits import Limits


def write_app(folder: Path, body: str) -> Path:
    path = folder / "app.yml"
    path.write_text("name: Jane Roe\n" + body, encoding="utf-8")
    return path


def test_resume_and_cover_letter_files_are_read(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "cv.pdf").write_bytes(
        make_pdf([["Jane Roe", "Engineer"]], info={"Author": "Jane Roe"})
    )
    (tmp_path / "letter.docx").write_bytes(make_docx(["Dear team,"], author="J. Roe"))
    path = write_app(tmp_path, "resume: {path: docs/cv.pdf}\ncover_letter: {path: letter.docx}\n")
    raw = one_app(read_path(path))
    resume, letter = raw.documents
    assert (resume.kind, resume.format, resume.file_name, resume.text) == (
        "resume", "pdf", "docs/cv.pdf", "Jane Roe\nEngineer",
    )  # fmt: skip
    assert resume.meta.author == "Jane Roe"
    assert (letter.kind, letter.format, letter.text, letter.meta.author) == (
        "cover_letter", "docx", "Dear team,", "J. Roe",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("raw_path", "message"),
    [
        ("../secret.txt",
         "'..' is not allowed: the document must be inside the application file's folder"),
        ("docs/../../secret.txt",
         "'..' is not allowed: the document must be inside the application file's folder"),
        ("/etc/passwd",
         "absolute paths are not allowed; give a path relative to the application file"),
        ("C:\\\\Windows\\\\win.ini",
         "absolute paths are not allowed; give a path relative to the application file"),
        ("docs", "not a regular file: 'docs'"),
    ],
)  # fmt: skip
def test_refused_paths_name_the_field_and_the_reason(
    tmp_path: Path, raw_path: str, message: str
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path.parent / "secret.txt").write_text("secret", encoding="utf-8")
    path = write_app(tmp_path, f'resume:\n  path: "{raw_path}"\n')
    assert lines(read_path(path)) == [f"{path}: resume.path (line 3, column 9): {message}"]


def test_a_missing_document_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = write_app(tmp_path, 'resume:\n  path: "missing.pdf"\n')
    (app,) = read_path(path)
    assert not isinstance(app, IngestFailure)
    (doc,) = app.documents
    assert (doc.status.value, doc.file_name) == ("skipped", "missing.pdf")
    assert (
        doc.reason == "file not found: 'missing.pdf' (paths are relative to the application file)"
    )


def test_a_path_the_system_cannot_look_up_is_skipped_not_a_crash(tmp_path: Path) -> None:
    name = "a" * 300 + ".pdf"  # longer than any file system allows for one name
    path = write_app(tmp_path, f"resume:\n  path: {name}\n")
    (app,) = read_path(path)
    assert not isinstance(app, IngestFailure)
    (doc,) = app.documents
    assert (doc.status.value, doc.file_name) == ("skipped", name)
    assert doc.reason.startswith("cannot read the file (")


def test_symlink_escaping_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    inside = tmp_path / "app"
    outside.mkdir()
    inside.mkdir()
    (outside / "secret.txt").write_text("Jane Roe secret", encoding="utf-8")
    os.symlink(outside / "secret.txt", inside / "cv.txt")
    os.symlink(outside, inside / "folder")
    path = write_app(inside, "resume: {path: cv.txt}\ncover_letter: {path: folder/secret.txt}\n")
    reason = "the path leads outside the application file's folder (through a symbolic link)"
    assert lines(read_path(path)) == [
        f"{path}: resume.path (line 2, column 16): {reason}",
        f"{path}: cover_letter.path (line 3, column 22): {reason}",
    ]


def test_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("Jane Roe\n", encoding="utf-8")
    os.symlink(tmp_path / "real.txt", tmp_path / "cv.txt")
    raw = one_app(read_path(write_app(tmp_path, "resume: {path: cv.txt}\n")))
    assert raw.documents[0].text == "Jane Roe"


def test_photo_paths_follow_the_same_rule(tmp_path: Path) -> None:
    path = write_app(tmp_path, "photos: [{path: me.jpg}, {path: ../../x.jpg}]\n")
    assert lines(read_path(path)) == [
        f"{path}: photos[1].path (line 2, column 33): '..' is not allowed: the document must be "
        "inside the application file's folder"
    ]


def test_bytes_without_a_folder_may_not_reference_files() -> None:
    data = b"name: Jane Roe\nresume: {path: cv.pdf}\n"
    assert lines(read_bytes(data, "upload.yml")) == [
        "upload.yml: resume.path (line 2, column 16): file paths are not allowed in this input "
        "(it has no folder to resolve them in); give the document's text instead"
    ]


def test_read_bytes_with_a_folder_reads_documents(tmp_path: Path) -> None:
    (tmp_path / "cv.txt").write_text("Jane Roe\n", encoding="utf-8")
    data = b"name: Jane Roe\nresume: {path: cv.txt}\n"
    raw = one_app(read_bytes(data, "upload.yml", base_dir=tmp_path))
    assert raw.documents[0].text == "Jane Roe"


@pytest.mark.parametrize(
    ("content", "limits", "fmt", "reason"),
    [
        (encrypt_pdf(make_pdf([["Jane Roe"]]), "pw"), Limits(), "pdf", "encrypted"),
        (b"%PDF-1.4 broken", Limits(), "pdf", "not a readable PDF: "),
        (make_pdf([["Jane Roe"]]), Limits(max_file_bytes=200), "pdf",
         "the file is {size} bytes, the limit is 200 (limits.max_file_bytes)"),
        (bytes(range(256)), Limits(), "pdf", "not a PDF, DOCX or plain-text document"),
    ],
)  # fmt: skip
def test_unreadable_documents_are_skipped_and_the_application_kept(
    tmp_path: Path, content: bytes, limits: Limits, fmt: str, reason: str
) -> None:
    (tmp_path / "cv.pdf").write_bytes(content)
    raw = one_app(read_path(write_app(tmp_path, "resume: {path: cv.pdf}\n"), limits))
    [doc] = raw.documents
    assert (doc.status, doc.format, doc.file_name, doc.text) == ("skipped", fmt, "cv.pdf", "")
    assert doc.reason.startswith(reason.format(size=len(content)))


def test_path_wins_over_text(tmp_path: Path) -> None:
    (tmp_path / "cv.txt").write_text("From the file\n", encoding="utf-8")
    raw = one_app(read_path(write_app(tmp_path, "resume: {path: cv.txt, text: Inline}\n")))
    assert raw.documents[0].text == "From the file"
