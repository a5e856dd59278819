"""Active-content triage benchmark (run by hand).

    python bench/bench_triage.py [--runs 200] [--files 10000]

Targets (issue 17; 2-core machine):

- triage of a 2-page DOCX or PDF resume adds <= 30 ms (median) to reading it;
- a take-home submission tree of 10,000 files is triaged in <= 10 s.

The resume is read with the document reader as ``screening check`` does, then triaged; the
figure is the median of the triage alone over ``--runs`` runs after a warm-up (the first run
imports oletools and pypdf). The submission is a generated JavaScript/Python monorepo: package
manifests, configuration files, sources, lock files and tests in nested folders, written to a
temporary folder and triaged as a folder and as a ZIP archive.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "ingest"))
sys.path.insert(0, str(ROOT / "tests" / "ingest" / "triage"))

import hostile  # noqa: E402
from ingest_samples import make_pdf  # noqa: E402

from screening.ingest.detect import InputFormat  # noqa: E402
from screening.ingest.documents.read import read_document  # noqa: E402
from screening.ingest.triage import triage_file  # noqa: E402
from screening.ingest.triage.submission import triage_submission  # noqa: E402
from screening.model.limits import Limits  # noqa: E402

LINES = [
    "Senior Software Engineer with nine years of experience building payment platforms.",
    "Acme Corp, Austin TX, 2019-2024: led a team of six on a Go and PostgreSQL ledger service.",
    "Reduced settlement latency by 40% by moving batch jobs to an event-driven pipeline.",
    "Skills: Python, Go, TypeScript, React, PostgreSQL, Kafka, Kubernetes, Terraform, AWS.",
]


def two_page_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Jonathan Miller", 0)
    for i in range(70):  # about two pages of text
        document.add_paragraph(LINES[i % len(LINES)])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def two_page_pdf() -> bytes:
    page = [LINES[i % len(LINES)] for i in range(45)]
    return make_pdf([page, page])


def time_documents(runs: int) -> None:
    limits = Limits()
    samples = {
        "2-page DOCX": (two_page_docx(), InputFormat.DOCX, "resume.docx"),
        "2-page PDF": (two_page_pdf(), InputFormat.PDF, "resume.pdf"),
        "macro DOCX (hostile)": (hostile.macro_document(), None, "resume.docx"),
        "PDF with JavaScript and Launch (hostile)": (
            hostile.pdf_with_javascript_and_launch(),
            None,
            "resume.pdf",
        ),
    }
    for label, (data, fmt, name) in samples.items():
        read_ms: list[float] = []
        triage_ms: list[float] = []
        for run in range(runs + 1):
            start = time.perf_counter()
            text = read_document(data, fmt, "resume", name, limits).text if fmt else ""
            middle = time.perf_counter()
            triage_file(data, name, "resume", limits, text)
            end = time.perf_counter()
            if run:  # the first run imports the libraries
                read_ms.append((middle - start) * 1000)
                triage_ms.append((end - middle) * 1000)
        read_text = f"read {statistics.median(read_ms):6.2f} ms, " if fmt else ""
        print(
            f"{label:42s} {read_text}triage adds {statistics.median(triage_ms):6.2f} ms "
            f"(median of {runs}; p95 {sorted(triage_ms)[int(runs * 0.95) - 1]:.2f} ms)"
        )


def write_tree(root: Path, files: int) -> int:
    """A monorepo of ``files`` files: packages with manifests, configs, sources and tests."""
    written = 0
    package = 0
    while written < files:
        base = root / "packages" / f"pkg-{package:04d}"
        (base / "src" / "components").mkdir(parents=True, exist_ok=True)
        (base / "tests").mkdir(exist_ok=True)
        manifest = {
            "name": f"@acme/pkg-{package}",
            "version": "1.0.0",
            "scripts": {"build": "tsc -p .", "test": "vitest", "prepare": "husky install"},
            "dependencies": {"react": "^18.2.0", "zod": "^3.22.0"},
        }
        entries = {
            "package.json": json.dumps(manifest, indent=2),
            "tailwind.config.js": "module.exports = {content: ['./src/**/*.tsx'], plugins: []};\n",
            ".eslintrc.cjs": "module.exports = {extends: ['eslint:recommended']};\n",
            "README.md": "# Package\n\nDocumentation.\n" * 20,
        }
        for i in range(16):
            entries[f"src/components/Widget{i}.tsx"] = (
                f"export function Widget{i}() {{ return <div>{i}</div>; }}\n" * 30
            )
        for i in range(8):
            entries[f"tests/widget{i}.test.ts"] = f"test('w{i}', () => expect(1).toBe(1));\n" * 10
        for i in range(20):
            entries[f"src/util{i}.py"] = f"def util_{i}(x: int) -> int:\n    return x + {i}\n" * 15
        for name, body in entries.items():
            if written >= files:
                break
            (base / name).write_text(body, encoding="utf-8")
            written += 1
        package += 1
    return written


def time_submission(files: int) -> None:
    limits = Limits()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "take-home"
        count = write_tree(root, files)
        start = time.perf_counter()
        triage = triage_submission(root, limits)
        elapsed = time.perf_counter() - start
        print(
            f"submission folder of {count} files: {elapsed:.2f} s "
            f"({triage.files} files looked at, {len(triage.indicators)} indicators, "
            f"complete={triage.complete})"
        )
        archive = Path(tmp) / "take-home.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    out.write(path, path.relative_to(root.parent))
        start = time.perf_counter()
        triage = triage_submission(archive, limits)
        elapsed = time.perf_counter() - start
        print(
            f"submission ZIP of {count} files ({archive.stat().st_size // 1024} KiB): "
            f"{elapsed:.2f} s ({triage.files} files, complete={triage.complete})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--files", type=int, default=10_000)
    args = parser.parse_args()
    time_documents(args.runs)
    time_submission(args.files)


if __name__ == "__main__":
    main()
