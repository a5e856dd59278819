"""Resume reading benchmark: a two-page PDF read into structure (run by hand).

    python bench/bench_resume.py [--runs 30] [--file tests/ingest/resumes/files/NAME.pdf]

Times ``read_resume`` (PDFium text with layout, metadata, sections, entries, name, contacts) on
every two-page PDF of the resume corpus, or on ``--file``. Target (2-core machine): median
<= 150 ms per two-page PDF. Also prints the same figure for pdfminer.six's layout analysis when it
is installed, the measurement behind choosing PDFium.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "ingest" / "resumes" / "files"


def main() -> None:
    from screening.ingest import detect_format
    from screening.ingest.documents.read import read_resume
    from screening.model.limits import Limits

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--file", type=Path)
    args = parser.parse_args()
    files = (
        [args.file] if args.file else [p for p in sorted(CORPUS.glob("*.pdf")) if _pages(p) == 2]
    )
    limits = Limits()
    ours: list[float] = []
    miner: list[float] = []
    for path in files:
        data = path.read_bytes()
        fmt = detect_format(path.name, data)
        read_resume(data, fmt, path.name, limits)  # warm up imports and caches
        for _ in range(max(1, args.runs // len(files))):
            start = time.perf_counter()
            read_resume(data, fmt, path.name, limits)
            ours.append(time.perf_counter() - start)
            took = _pdfminer(path)
            if took is not None:
                miner.append(took)
    print(f"{len(files)} two-page PDFs, {len(ours)} reads")
    print(f"read_resume (PDFium): median {1000 * statistics.median(ours):.0f} ms, "
          f"p90 {1000 * _p90(ours):.0f} ms")  # fmt: skip
    if miner:
        print(f"pdfminer.six layout (text only): median {1000 * statistics.median(miner):.0f} ms")


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path.read_bytes())
    try:
        return len(document)
    finally:
        document.close()


def _pdfminer(path: Path) -> float | None:
    try:
        from pdfminer.high_level import extract_pages
        from pdfminer.layout import LAParams
    except ImportError:
        return None
    start = time.perf_counter()
    for _page in extract_pages(str(path), laparams=LAParams()):
        pass
    return time.perf_counter() - start


def _p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


if __name__ == "__main__":
    main()
