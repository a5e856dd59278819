"""``screening batch``: screen a folder or a CSV export, in parallel, and keep going past bad input.

Structured files (JSON, YAML, CSV) are screened first; resume documents that one of them already
references are then skipped, and the remaining documents are screened on their own. Each worker
process builds nothing: the engine is built once in the parent and inherited by ``fork``. Reports
are rendered and written in the workers; the parent collects one summary row per application and
one line per input that could not be read.

Memory stays flat in the number of applications: a CSV export is read row by row as the workers
need work (at most ``_WINDOW`` chunks per worker are in flight), each report is written as soon
as it is ready and dropped, and the summary is built from the small ``SummaryRow`` records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import multiprocessing
import os
import re
import time
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from pathlib import Path

from screening.ingest import SUPPORTED_SUFFIXES, IngestFailure
from screening.model.application import RawApplication
from screening.model.findings import Category
from screening.pipeline import Engine, attach_history
from screening.report import SummaryRow, render_formats, render_summary_html, summary_csv

STRUCTURED = frozenset({".json", ".yml", ".yaml", ".csv"})
LABELS_FILE = "labels.csv"
OUTPUT_FILES = frozenset({"summary.csv", "summary.html", "failed.txt"})
EXTENSIONS = {"html": ".html", "md": ".md", "md-summary": ".md", "json": ".json"}

_ENGINE: Engine | None = None  # set in the parent before forking workers
_CHUNK = 16  # tasks sent to a worker at once
_WINDOW = 2  # chunks in flight per worker: enough to keep it busy, never the whole input


@dataclass(frozen=True, slots=True)
class FileResult:
    """What one input file produced: summary rows, failures, documents it referenced."""

    rows: tuple[SummaryRow, ...]
    failures: tuple[tuple[str, str], ...]
    referenced: tuple[str, ...]


@dataclass
class BatchResult:
    """Totals of a batch run and where its summary files are."""

    screened: int
    failures: list[tuple[str, str]]
    summary_html: Path
    summary_csv: Path
    failed_txt: Path
    seconds: float
    rows: list[SummaryRow] = field(default_factory=list)


def discover(source: Path, output: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Structured files and documents under ``source`` (a CSV or a folder), sorted.

    A batch never reads what a batch wrote: the ``output`` folder, and any folder holding an
    earlier run's ``summary.csv`` and ``failed.txt`` (its reports would read as applications).
    """
    if source.is_file():
        return [source], []
    skip = output.resolve() if output is not None else None
    earlier: dict[Path, bool] = {}
    structured: list[Path] = []
    documents: list[Path] = []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(source).parts):
            continue
        if skip is not None and path.resolve().is_relative_to(skip):
            continue
        if path.name in OUTPUT_FILES or _under_earlier_output(path, source, earlier):
            continue
        suffix = path.suffix.lower()
        if path.name == LABELS_FILE or suffix not in SUPPORTED_SUFFIXES:
            continue
        (structured if suffix in STRUCTURED else documents).append(path)
    return structured, documents


def _under_earlier_output(path: Path, source: Path, seen: dict[Path, bool]) -> bool:
    """Whether a folder between ``source`` and ``path`` is an earlier batch's output folder."""
    for folder in (path.parent, *path.parent.parents):
        if folder not in seen:
            seen[folder] = all((folder / name).is_file() for name in ("summary.csv", "failed.txt"))
        if seen[folder]:
            return True
        if folder == source:
            return False
    return False


def _referenced_documents(path: Path, item: RawApplication) -> list[str]:
    out = []
    for doc in (item.data.resume, item.data.cover_letter):
        if doc is not None and doc.path:
            out.append(str((path.parent / doc.path).resolve()))
    return out


def _screen_one(
    item: RawApplication,
    reports_dir: Path,
    formats: tuple[str, ...],
    rows: list[SummaryRow],
    failures: list[tuple[str, str]],
) -> None:
    engine = _ENGINE
    assert engine is not None, "engine must be set before workers start"
    try:
        screening = engine.screen(item)
    except Exception as exc:  # one application must not stop the batch
        failures.append((item.origin, f"internal error ({type(exc).__name__})"))
        return
    stem = report_stem(item.origin, screening.application.id)
    first = None
    for fmt, text in render_formats(screening, formats).items():  # type: ignore[arg-type]
        name = stem + EXTENSIONS[fmt]
        (reports_dir / name).write_text(text, encoding="utf-8")
        first = first or name
    rows.append(
        SummaryRow(
            id=screening.application.id,
            name=screening.application.name,
            score=screening.score.score,
            band=screening.score.band.value,
            top_findings=tuple(f.rule.title for f in screening.findings[:3]),
            findings_count=len(screening.findings),
            not_evaluated_count=len(screening.not_evaluated),
            report_file=f"reports/{first}" if first else None,
            input_notes=tuple(sorted(Counter(str(n.kind) for n in screening.input_notes).items())),
            threats=tuple(
                f.rule.title for f in screening.findings if f.rule.category is Category.THREAT
            ),
        )
    )


def _work(args: tuple[Path | RawApplication, Path, tuple[str, ...]]) -> FileResult:
    """Screen one input file, or one application already read (a CSV row)."""
    source, reports_dir, formats = args
    engine = _ENGINE
    assert engine is not None, "engine must be set before workers start"
    rows: list[SummaryRow] = []
    failures: list[tuple[str, str]] = []
    referenced: list[str] = []
    if isinstance(source, RawApplication):
        _screen_one(source, reports_dir, formats, rows, failures)
        return FileResult(tuple(rows), tuple(failures), ())
    try:
        items = engine.read(source)
    except Exception as exc:  # never lose the batch to one file
        return FileResult((), ((str(source), f"internal error ({type(exc).__name__})"),), ())
    for item in items:
        if isinstance(item, IngestFailure):
            failures.append((item.origin, "; ".join(str(p) for p in item.error.problems)))
            continue
        referenced.extend(_referenced_documents(source, item))
        _screen_one(item, reports_dir, formats, rows, failures)
    return FileResult(tuple(rows), tuple(failures), tuple(referenced))


def report_stem(origin: str, app_id: str) -> str:
    """A file-name-safe stem for a report: the id (candidate-controlled, so cleaned) plus a short
    hash of where the application came from, unique even when two files carry the same id."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", app_id).strip("._")[:60] or "application"
    digest = hashlib.sha256(f"{origin}\0{app_id}".encode()).hexdigest()[:8]
    return f"{safe}-{digest}"


Task = tuple[Path | RawApplication, Path, tuple[str, ...]]


def _work_chunk(chunk: list[Task]) -> list[FileResult]:
    return [_work(task) for task in chunk]


def _map(tasks: Iterable[Task], jobs: int) -> Iterator[FileResult]:
    """Results of ``tasks`` in completion order, consuming ``tasks`` only as workers need them."""
    if jobs <= 1:
        yield from (_work(t) for t in tasks)
        return
    source = iter(tasks)
    chunks = iter(lambda: list(itertools.islice(source, _CHUNK)), [])
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(jobs) as pool:
        pending: deque[AsyncResult[list[FileResult]]] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_work_chunk, (chunk,)))
            while len(pending) >= jobs * _WINDOW:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def run_batch(
    engine: Engine,
    source: Path,
    output: Path,
    formats: Sequence[str],
    jobs: int | None = None,
    progress: bool = True,
    record: bool = True,
) -> BatchResult:
    """Screen everything under ``source``, write reports and summaries into ``output``.

    Unless the engine already has a store, the configured history store is attached: every
    application is compared with earlier ones and, with ``record``, recorded (the workers write
    to it concurrently).
    """
    global _ENGINE
    if engine.history is None:
        engine = attach_history(engine, record=record)
    if engine.history is not None and engine.history.store is not None:
        engine.history.store.close()  # workers open their own connections after fork
    start = time.perf_counter()
    reports_dir = output / "reports"
    reports_dir.mkdir(parents=True, exist_ok=True)
    jobs = jobs or os.cpu_count() or 1
    structured, documents = discover(source, output)
    fmts = tuple(dict.fromkeys(formats))
    _ENGINE = engine
    rows: list[SummaryRow] = []
    failures: list[tuple[str, str]] = []
    referenced: set[str] = set()

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    def tasks() -> Iterator[Task]:
        for path in structured:
            if path.suffix.lower() != ".csv":
                yield (path, reports_dir, fmts)
                continue
            # rows are read here, as the workers need them, so one big export is spread over
            # every worker without being held in memory
            for item in engine.iter_read(path):
                if isinstance(item, IngestFailure):
                    failures.append((item.origin, "; ".join(str(p) for p in item.error.problems)))
                else:
                    referenced.update(_referenced_documents(path, item))
                    yield (item, reports_dir, fmts)

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=not progress,
        transient=False,
    ) as bar:
        task = bar.add_task("screening", total=None)
        done = 0
        for result in _map(tasks(), jobs):
            rows.extend(result.rows)
            failures.extend(result.failures)
            referenced.update(result.referenced)
            bar.advance(task)
            done += 1
        remaining = [d for d in documents if str(d.resolve()) not in referenced]
        bar.update(task, total=done + len(remaining))
        for result in _map([(p, reports_dir, fmts) for p in remaining], jobs):
            rows.extend(result.rows)
            failures.extend(result.failures)
            bar.advance(task)
    _ENGINE = None

    rows.sort(key=lambda r: (-r.score, r.id))
    failures.sort()
    summary_html = output / "summary.html"
    summary_csv_path = output / "summary.csv"
    failed_txt = output / "failed.txt"
    now = dt.datetime.now(dt.UTC)
    summary_html.write_text(render_summary_html(rows, failures, now), encoding="utf-8")
    with summary_csv_path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(summary_csv(rows))
    failed_txt.write_text(
        "".join(f"{origin}\t{reason}\n" for origin, reason in failures), encoding="utf-8"
    )
    return BatchResult(
        screened=len(rows),
        failures=failures,
        summary_html=summary_html,
        summary_csv=summary_csv_path,
        failed_txt=failed_txt,
        seconds=time.perf_counter() - start,
        rows=rows,
    )
