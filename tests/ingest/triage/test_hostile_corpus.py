"""The hostile corpus: every weaponised shape is detected, part by part, and nothing is run,
fetched or written while looking at it; ordinary resumes and projects get no indicator."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import docx
import hostile
import pytest
from click.testing import CliRunner

from screening.cli import main
from screening.ingest.triage import triage_file
from screening.ingest.triage.submission import triage_submission
from screening.model.attachments import Triage
from screening.model.limits import Limits

sys.path.insert(0, str(Path(__file__).parents[1]))
from ingest_samples import make_pdf

LIMITS = Limits()

# file name in the corpus -> indicator kinds that must be found (others may be found too)
EXPECTED = {
    "resume.docx": {"vba_macros", "autoexec", "suspicious_macro_calls", "macro_enabled_as_docx"},
    "cv-template.docx": {"remote_template"},
    "cover-letter.docx": {"dde"},
    "references.docx": {"ole_objects"},
    "resume.rtf": {"rtf_objects", "remote_template"},
    "resume.pdf": {"pdf_javascript", "pdf_launch", "pdf_auto_action"},
    "resume-protected.pdf": {"lure_page"},
    "Resume.pdf.lnk": {"shortcut", "double_extension"},
    "resume.pdf.exe": {"executables", "double_extension"},
    "resume\u202efdp.exe": {"rtl_override", "executables"},
    "portfolio.zip": {"executables", "double_extension"},
    "documents.zip": {"encrypted_archive"},
    "resume.iso": {"disk_image"},
    "resume.html": {"html_smuggling"},
}


def kinds(triage: Triage) -> set[str]:
    return {i.kind for i in triage.indicators}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_is_detected(name: str) -> None:
    triage = triage_file(hostile.hostile_files()[name], name, "resume", LIMITS)
    assert EXPECTED[name] <= kinds(triage), triage.indicators
    assert triage.complete, triage.reason


def test_evidence_names_the_offending_part() -> None:
    files = hostile.hostile_files()
    macro = triage_file(files["resume.docx"], "resume.docx", "resume", LIMITS)
    assert "word/vbaProject.bin: VBA project" in macro.of("vba_macros")
    assert any(text.startswith("VBA project: AutoOpen") for text in macro.of("autoexec"))
    template = triage_file(files["cv-template.docx"], "cv-template.docx", "resume", LIMITS)
    assert template.of("remote_template") == [
        "word/_rels/settings.xml.rels: attachedTemplate -> "
        "http://templates.attacker.invalid/cv.dotm"
    ]
    pdf = triage_file(files["resume.pdf"], "resume.pdf", "resume", LIMITS)
    assert "page 1 link: launches cmd.exe" in pdf.of("pdf_launch")
    assert "catalog /OpenAction: runs JavaScript" in pdf.of("pdf_javascript")
    package = triage_file(files["references.docx"], "references.docx", "resume", LIMITS)
    assert package.of("ole_objects") == ["word/embeddings/oleObject1.bin: package invoice.js"]


def test_a_program_named_pdf_is_a_type_mismatch() -> None:
    triage = triage_file(hostile.program(), "resume.pdf", "resume", LIMITS)
    assert {"type_mismatch", "executables"} <= kinds(triage)
    assert "named .pdf but the content is" in triage.of("type_mismatch")[0]


def test_the_hostile_repository_is_detected_as_folder_zip_and_tar(tmp_path: Path) -> None:
    hostile.write_corpus(tmp_path)
    repo = hostile.hostile_repository()
    (tmp_path / "repo.zip").write_bytes(hostile.repository_zip(repo))
    (tmp_path / "repo.tgz").write_bytes(hostile.repository_tar(repo))
    expected = {
        "install_scripts",
        "config_loaders",
        "folder_open_tasks",
        "build_hooks",
        "malicious_packages",
    }
    for path in (tmp_path / "take-home", tmp_path / "repo.zip", tmp_path / "repo.tgz"):
        triage = triage_submission(path, LIMITS)
        assert kinds(triage) == expected, (path.name, triage.indicators)
        assert triage.files == len(repo)
        assert any(
            "vite-plugin-next-refresh (MAL-2025-5529)" in t for t in triage.of("malicious_packages")
        )


class _Watch:
    """Records process starts, network use and files opened for writing (PEP 578 audit)."""

    events: ClassVar[list[tuple[str, str]]] = []
    active = False

    @classmethod
    def hook(cls, event: str, args: tuple[object, ...]) -> None:
        if not cls.active:
            return
        if event in (
            "subprocess.Popen",
            "os.system",
            "os.exec",
            "os.posix_spawn",
            "os.spawn",
            "os.startfile",
            "socket.connect",
            "socket.getaddrinfo",
            "urllib.Request",
            "webbrowser.open",
        ):
            cls.events.append((event, repr(args)[:80]))
        elif (
            event == "open"
            and len(args) >= 2
            and isinstance(args[1], str)
            and any(flag in args[1] for flag in "wax+")
        ):
            cls.events.append((event, repr(args[0])[:80]))


sys.addaudithook(_Watch.hook)


@pytest.fixture()
def watch() -> Iterator[type[_Watch]]:
    _Watch.events = []
    _Watch.active = True
    try:
        yield _Watch
    finally:
        _Watch.active = False


def test_nothing_is_executed_fetched_or_written(watch: type[_Watch], tmp_path: Path) -> None:
    files = hostile.hostile_files()
    hostile_repo = tmp_path / "repo"
    watch.active = False
    hostile.write_corpus(hostile_repo)
    archive = hostile.repository_zip(hostile.hostile_repository())
    (tmp_path / "repo.zip").write_bytes(archive)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    watch.active = True
    for name, data in files.items():
        triage_file(data, name, "resume", LIMITS)
    triage_submission(hostile_repo / "take-home", LIMITS)
    triage_submission(tmp_path / "repo.zip", LIMITS)
    watch.active = False
    assert watch.events == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


# ---------------------------------------------------------------- ordinary files stay quiet


def _docx(paragraphs: list[str], link: str | None = None) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if link:
        paragraph = document.add_paragraph()
        part = document.part
        rid = part.relate_to(
            link,
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
            is_external=True,
        )
        hyperlink = docx.oxml.shared.OxmlElement("w:hyperlink")
        hyperlink.set(docx.oxml.shared.qn("r:id"), rid)
        paragraph._p.append(hyperlink)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


RESUME_LINES = [
    "Jonathan Miller",
    "Senior Software Engineer, Austin TX",
    "Experience: Acme Corp 2019-2022, built payment services in Python and Go.",
    "Education: BSc Computer Science, State University, 2016.",
    "Skills: Python, Go, PostgreSQL, Kubernetes, React.",
] * 6


def _latex_pdf() -> bytes:
    # LaTeX (hyperref) writes an OpenAction that only opens page 1 at "Fit": ordinary
    data = make_pdf([RESUME_LINES, RESUME_LINES[:10]])
    return data.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction [3 0 R /Fit]", 1)


ORDINARY = {
    "resume.docx": lambda: _docx(RESUME_LINES, link="https://www.linkedin.com/in/jonmiller"),
    "resume.pdf": lambda: make_pdf([RESUME_LINES, RESUME_LINES[:10]]),
    "latex-resume.pdf": _latex_pdf,
    "resume.txt": lambda: "\n".join(RESUME_LINES).encode(),
    "Résumé – Jonathan Miller (2025).v2.pdf": lambda: make_pdf([RESUME_LINES]),
}


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_ordinary_resumes_get_no_indicator(name: str) -> None:
    triage = triage_file(ORDINARY[name](), name, "resume", LIMITS, "\n".join(RESUME_LINES))
    assert triage.indicators == (), triage.indicators
    assert triage.complete


ORDINARY_PROJECT = {
    "package.json": json.dumps(
        {
            "name": "todo-app",
            "scripts": {"dev": "vite", "build": "vite build", "prepare": "husky install"},
            "dependencies": {"react": "^18.2.0", "axios": "^1.6.0"},
            "devDependencies": {"eslint": "^8.0.0", "tailwindcss": "^3.4.0"},
        }
    ),
    "tailwind.config.js": "module.exports = {content: ['./src/**/*.{js,jsx}'], plugins: []};\n",
    ".eslintrc.cjs": "module.exports = {extends: ['eslint:recommended'], rules: {}};\n",
    "src/main.jsx": "import App from './App';\nconsole.log(App);\n",
    ".vscode/tasks.json": json.dumps(
        {"version": "2.0.0", "tasks": [{"label": "dev", "type": "npm", "script": "dev"}]}
    ),
    "api/setup.py": "from setuptools import setup\nsetup(name='api', install_requires=['flask'])\n",
    "api/requirements.txt": "flask==3.0.0\nrequests>=2.31\n",
    "api/pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi>=0.110"]\n',
}


def test_an_ordinary_project_gets_no_indicator(tmp_path: Path) -> None:
    for name, body in ORDINARY_PROJECT.items():
        target = tmp_path / "project" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    triage = triage_submission(tmp_path / "project", LIMITS)
    assert triage.indicators == ()
    assert triage.files == len(ORDINARY_PROJECT)


def test_this_repository_gets_no_indicator() -> None:
    root = Path(__file__).resolve().parents[3]
    triage = triage_submission(root / "screening", LIMITS)
    assert triage.indicators == ()
    assert triage.files > 100


# ---------------------------------------------------------------- limits


def test_a_zip_bomb_stops_at_the_budget_not_the_machine() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
        archive.writestr("word/_rels/document.xml.rels", b" " * 10)
    triage = triage_file(out.getvalue(), "bomb.docx", "resume", LIMITS)
    assert not triage.complete
    assert "limits.max_archive_bytes" in triage.reason


def test_archives_that_cannot_be_listed_are_marked_incomplete() -> None:
    damaged = triage_file(b"7z\xbc\xaf\x27\x1c" + b"\0" * 64, "portfolio.7z", "resume", LIMITS)
    assert not damaged.complete and "could not be listed" in damaged.reason
    cab = triage_file(b"MSCF" + b"\0" * 64, "portfolio.cab", "resume", LIMITS)
    assert not cab.complete and "cannot be listed" in cab.reason


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("portfolio.7z", hostile.seven_zip_with_program()),
        ("portfolio.rar", hostile.rar_with_program()),
    ],
)
def test_7z_and_rar_members_are_judged_by_name_without_unpacking(name: str, data: bytes) -> None:
    triage = triage_file(data, name, "resume", LIMITS)
    assert {"executables", "double_extension"} <= kinds(triage), triage.indicators
    assert any("Resume.pdf.exe" in i.part for i in triage.indicators)
    # names only: the contents were not read, so the listing never claims to be complete
    assert not triage.complete and "contents were not read" in triage.reason


def test_a_7z_with_encrypted_names_is_flagged_as_unknown() -> None:
    data = hostile.seven_zip_with_program(password="sent-in-the-cover-letter")
    triage = triage_file(data, "portfolio.7z", "resume", LIMITS)
    assert "encrypted_archive" in kinds(triage)
    assert not triage.complete and "encrypted" in triage.reason


def test_a_damaged_office_file_is_incomplete_not_an_error() -> None:
    data = hostile.macro_document()[:-200]
    triage = triage_file(data, "resume.docx", "resume", LIMITS)
    assert isinstance(triage, Triage)


def test_submission_file_count_is_capped(tmp_path: Path) -> None:
    for i in range(30):
        (tmp_path / f"f{i}.txt").write_text("x")
    limits = Limits(max_nodes=10)
    triage = triage_submission(tmp_path, limits)
    assert triage.files == 10
    assert not triage.complete and "first 10 files" in triage.reason


def test_symbolic_links_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "package.json").write_text(json.dumps({"scripts": {"postinstall": "x"}}))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "linked").symlink_to(outside, target_is_directory=True)
    triage = triage_submission(repo, LIMITS)
    assert triage.indicators == ()
    assert triage.files == 0


# ---------------------------------------------------------------- end to end


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCREENING_NETWORK__OFFLINE", "1")
    # the first screening of a process loads the language model; on a loaded machine that can
    # spend the default per-application budget, and these tests assert the threat rules' results
    monkeypatch.setenv("SCREENING_LIMITS__SCREENING_SECONDS", "300")
    return CliRunner()


def _application(folder: Path, resume: str, extra: str = "") -> Path:
    app = folder / "application.yml"
    app.write_text(
        f"name: Jonathan Miller\nemails: [jon.miller@example.com]\nresume: {{path: {resume}}}\n"
        + extra,
        encoding="utf-8",
    )
    return app


def test_a_macro_resume_is_reported_first_in_every_format(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "resume.docx").write_bytes(hostile.macro_document())
    app = _application(tmp_path, "resume.docx")
    result = runner.invoke(main, ["check", str(app), "--format", "json", "--no-record"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert list(report)[:3] == ["schema", "application", "threats"]
    assert [t["id"] for t in report["threats"]] == ["threat.office-macros"]
    evidence = {e["path"]: e["value"] for e in report["threats"][0]["evidence"]}
    assert "word/vbaProject.bin: VBA project" in evidence["attachments.vba_macros"]
    assert report["categories"]["threat"] > 0
    markdown = runner.invoke(main, ["check", str(app), "--no-record"]).output
    assert markdown.index("Warning: the applicant's files") < markdown.index("Score **")
    html = runner.invoke(main, ["check", str(app), "--format", "html", "--no-record"]).output
    assert html.index('id="h-threats"') < html.index('id="h-summary"')


def test_encrypted_archive_with_the_password_in_the_cover_letter(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "documents.zip").write_bytes(hostile.encrypted_zip())
    letter = "cover_letter: {text: 'My documents are attached. Password: Hire2025! Thanks.'}\n"
    app = _application(tmp_path, "documents.zip", letter)
    result = runner.invoke(main, ["check", str(app), "--format", "json", "--no-record"])
    report = json.loads(result.output)
    ids = [t["id"] for t in report["threats"]]
    assert "threat.encrypted-archive-password-in-text" in ids
    assert "Hire2025" not in result.output  # the password itself is never echoed


def test_check_submission_without_an_application(runner: CliRunner, tmp_path: Path) -> None:
    hostile.write_corpus(tmp_path)
    result = runner.invoke(
        main, ["check", "--submission", str(tmp_path / "take-home"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    ids = {t["id"] for t in json.loads(result.output)["threats"]}
    assert ids == {
        "threat.submission-malicious-dependency",
        "threat.submission-obfuscated-loader",
        "threat.submission-runs-on-open",
        "threat.submission-install-script",
    }


def test_an_ordinary_resume_has_no_threat_finding(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "resume.docx").write_bytes(ORDINARY["resume.docx"]())
    app = _application(tmp_path, "resume.docx")
    result = runner.invoke(main, ["check", str(app), "--format", "json", "--no-record"])
    report = json.loads(result.output)
    assert report["threats"] == []
    assert not [f for f in report["findings"] if f["category"] == "threat"]


def test_application_attachments_are_triaged(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "resume.txt").write_text("Jonathan Miller\nSenior Engineer\n", encoding="utf-8")
    (tmp_path / "portfolio.zip").write_bytes(hostile.zip_with_program())
    (tmp_path / "Resume.pdf.lnk").write_bytes(hostile.shortcut())
    extra = "attachments: [{path: portfolio.zip}, {path: Resume.pdf.lnk}, {path: gone.pdf}]\n"
    app = _application(tmp_path, "resume.txt", extra)
    result = runner.invoke(main, ["check", str(app), "--format", "json", "--no-record"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    ids = {t["id"] for t in report["threats"]}
    assert {"threat.executable-content", "threat.disguised-file"} <= ids
    values = json.dumps(report["threats"])
    assert "portfolio.zip/portfolio/Resume.pdf.exe" in values
    assert "Resume.pdf.lnk" in values


def test_an_attachment_path_outside_the_folder_is_refused(
    runner: CliRunner, tmp_path: Path
) -> None:
    app = _application(tmp_path, "resume.txt", "attachments: [{path: ../../etc/passwd}]\n")
    (tmp_path / "resume.txt").write_text("Jonathan Miller\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(app), "--no-record"])
    assert result.exit_code == 1
    assert "attachments[0].path" in result.output
