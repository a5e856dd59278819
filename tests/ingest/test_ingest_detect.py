"""Format recognition: magic bytes first, the extension as a tiebreak between text formats."""

from __future__ import annotations

import subprocess
import sys

import pytest
from ingest_samples import lines, make_docx, make_pdf, one_failure

from screening.ingest import SUPPORTED_SUFFIXES, InputFormat, detect_format, read_bytes

F = InputFormat


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("app.yml", b"name: Ana Lima\nemails: [ana@example.com]\n", F.NATIVE),
        ("app.yaml", b"# comment\nbasics:\n  name: Ana\n", F.JSONRESUME),
        ("app.json", b'{"name": "Ana Lima"}', F.NATIVE),
        ("resume.json", b'{\n  "basics": {"name": "Ana"}}', F.JSONRESUME),
        ("odd.json", b"just some words", F.NATIVE),  # still parsed as native: contract errors
        ("export.csv", b"name,emails\nAna,a@example.com\n", F.CSV),
        ("cv.txt", b"Name: Ana Lima\nPython developer\n", F.TXT),  # looks like YAML; .txt wins
        ("cv.txt", "Ana Lima – résumé".encode("cp1252"), F.TXT),  # not UTF-8, still text
        ("noext", b'{"basics": {}}', F.JSONRESUME),
        ("noext", b"name: Ana Lima\n", F.NATIVE),
        ("noext", b"Name;Emails;Phones\nAna;a@example.com;\n", F.CSV),
        ("noext", b"Ana Lima\nSenior developer\n", F.TXT),
        ("blob.bin", bytes(range(256)) * 4, F.UNKNOWN),
        ("blob.txt", b"\x00\x01\x02binary\x00", F.UNKNOWN),
        ("archive.zip", b"PK\x03\x04\x14\x00rest-of-a-zip", F.UNKNOWN),
        ("utf16.txt", "Ana Lima".encode("utf-16"), F.TXT),
    ],
)
def test_detects_format(name: str, head: bytes, expected: InputFormat) -> None:
    assert detect_format(name, head) is expected


def test_magic_bytes_beat_a_wrong_extension() -> None:
    assert detect_format("resume.docx", make_pdf([["Ana Lima"]])) is F.PDF
    assert detect_format("resume.pdf", make_docx(["Ana Lima"])) is F.DOCX
    assert detect_format("resume", make_docx(["Ana Lima"])) is F.DOCX


def test_supported_suffixes_cover_every_reader() -> None:
    assert {".json", ".yml", ".yaml", ".csv", ".txt", ".pdf", ".docx"} == SUPPORTED_SUFFIXES


def test_unknown_binary_is_one_clear_error() -> None:
    assert lines(read_bytes(bytes(range(256)) * 4, "blob.bin")) == [
        "blob.bin: (document): unrecognised format: expected a JSON or YAML application, "
        "a JSON Resume, a CSV export, or a TXT, PDF or DOCX resume"
    ]


def test_old_word_files_get_a_hint() -> None:
    failure = one_failure(read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cv.doc"))
    assert "save as DOCX or PDF" in str(failure.error)


def test_empty_file() -> None:
    assert lines(read_bytes(b"  \n", "app.yml")) == ["app.yml: (document): the file is empty"]


@pytest.mark.slow
def test_importing_ingest_does_not_load_optional_libraries() -> None:
    code = (
        "import sys, screening.ingest\n"
        "print(sorted(m for m in ('pypdf', 'docx', 'phonenumbers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
