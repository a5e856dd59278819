"""Resumes end to end: what a reviewer sees for an image-only PDF, a stand-alone resume and a
file whose metadata names someone else."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from ingest_samples import make_docx
from test_resume_reader import image_only_pdf

from screening.cli import main

CORPUS = Path(__file__).parent / "resumes" / "files"


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    keep = {"SCREENING_STORE__PATH", "SCREENING_LISTS__DIR"}
    for name in list(os.environ):
        if name.startswith("SCREENING_") and name not in keep:
            monkeypatch.delenv(name)
    monkeypatch.setenv("SCREENING_NETWORK__OFFLINE", "1")
    return CliRunner()


def check(runner: CliRunner, path: Path, fmt: str) -> str:
    result = runner.invoke(main, ["check", "--no-record", "--format", fmt, str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_an_image_only_resume_is_reported_plainly_in_every_format(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)  # no Tesseract on this machine
    (tmp_path / "scan.pdf").write_bytes(image_only_pdf())
    app = tmp_path / "app.yml"
    app.write_text("name: Maria Lopez\nemails: [maria.lopez@example.com]\n"
                   "resume: {path: scan.pdf}\n")  # fmt: skip
    out = check(runner, app, fmt)
    assert "no text layer: the resume could not be read" in out


def test_a_stand_alone_two_column_resume_is_screened_with_its_timeline(runner: CliRunner) -> None:
    report = json.loads(check(runner, CORPUS / "004-kendall.pdf", "json"))
    checks = {c["analyzer"]: c["status"] for c in report["checks"]}
    assert checks["timeline"] == "ok"  # work entries were read, so the timeline is evaluated
    notes = [n["message"] for n in report["input_notes"]]
    assert any(n.startswith("read from the document's text: name") for n in notes)
    # nothing about how the file was made raises a finding
    assert not [f for f in report["findings"] if f["id"].startswith("identity.document-")]


def test_metadata_naming_someone_else_alone_stays_low_and_shows_the_value(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A resume made from a friend's Word file: the author is shown as evidence, the finding
    counts, but on its own it does not lift an honest application out of the low band."""
    (tmp_path / "cv.docx").write_bytes(
        make_docx(["Jon Miller", "Backend engineer"], author="Daniel Reyes")
    )
    app = tmp_path / "app.yml"
    app.write_text("name: Jon Miller\nemails: [jon.miller@example.com]\nresume: {path: cv.docx}\n")
    report = json.loads(check(runner, app, "json"))
    found = [f for f in report["findings"] if f["id"] == "identity.document-author-another-person"]
    assert found and "Daniel Reyes" in found[0]["explain"]
    judged = {
        "path": "documents.judged_author",
        "value": "Daniel Reyes",
        "read_refs": ["documents[0]"],
    }
    assert judged in found[0]["evidence"]
    assert report["band"] == "low"


def test_a_converter_as_author_raises_nothing(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "cv.docx").write_bytes(make_docx(["Jon Miller"], author="Zamzar"))
    app = tmp_path / "app.yml"
    app.write_text("name: Jon Miller\nresume: {path: cv.docx}\n")
    report = json.loads(check(runner, app, "json"))
    assert not [f for f in report["findings"] if f["id"].startswith("identity.document-")]
