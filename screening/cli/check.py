"""``screening check``: screen application files and print or write their reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from screening.cli.common import (
    EXTENSIONS,
    FORMATS,
    build_engine,
    columns_option,
    config_option,
    fail,
    handle_errors,
    offline_option,
    problem,
    rules_option,
)
from screening.errors import InputError

if TYPE_CHECKING:
    from screening.model.screening import Screening


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--submission",
    "submissions",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    help="A take-home project or portfolio (folder, ZIP or TAR) to triage for active content "
    "with the application; it is read, never run. Repeatable.",
)
@click.option(
    "--yara",
    "yara_rules",
    multiple=True,
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    help="YARA rule file to match against submissions (needs the 'yara' extra). Repeatable.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Report format (default: md on the terminal, or from the -o extension).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the report here: a file, or a directory for several applications.",
)
@click.option(
    "--no-record",
    is_flag=True,
    help="Compare with the history store but do not record these applications in it.",
)
@rules_option
@offline_option
@columns_option
@config_option
@handle_errors
def check(
    files: tuple[Path, ...],
    submissions: tuple[Path, ...],
    yara_rules: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    no_record: bool,
    rules: tuple[Path, ...],
    offline: bool,
    columns: Path | None,
    config: Path | None,
) -> None:
    """Screen application files (native JSON/YAML, JSON Resume, CSV, TXT/PDF/DOCX resumes).

    With --submission, a take-home project or portfolio is triaged for active content (install
    scripts, malicious dependencies, hidden loaders) and reported with the application, or on
    its own when no FILE is given.

    Each application is compared with earlier ones in the history store and then recorded
    there (keyed hashes only), unless --no-record is given.
    """
    from screening.batch import report_stem
    from screening.ingest import IngestFailure
    from screening.pipeline import attach_history, submission_only
    from screening.report import render

    if not files and not submissions:
        raise click.UsageError("give application FILE(s), or a --submission to triage")
    fmt = output_format(output, fmt)
    engine = attach_history(build_engine(config, rules, offline, columns), record=not no_record)
    triaged = tuple(engine.triage_submission(path, yara_rules) for path in submissions)
    failures: list[IngestFailure] = []
    # streamed: each report is written as soon as it is ready, so memory does not grow with the
    # number of applications; only the first is held until a second one shows that ``output``
    # is a directory
    to_dir = output is not None and (output.is_dir() or str(output).endswith(("/", "\\")))
    held: list[Screening] = []

    def emit(screening: Screening, into_dir: bool) -> None:
        text = render(screening, fmt)  # type: ignore[arg-type]
        if output is None:
            click.echo(text, nl=not text.endswith("\n"))
            return
        target = output
        if into_dir:
            stem = report_stem(screening.application.file or "", screening.application.id)
            target = output / (stem + EXTENSIONS[fmt])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        click.echo(
            f"{screening.application.id}: score {screening.score.score:g} "
            f"({screening.score.band.value}) -> {target}",
            err=True,
        )

    if not files:
        emit(engine.screen(submission_only(triaged, submissions[0])), False)
    for path in files:
        if not path.exists() and not path.is_symlink():
            failures.append(
                IngestFailure(str(path), InputError([problem("", "no such file")], str(path)))
            )
            continue
        for item in engine.iter_read(path):
            if isinstance(item, IngestFailure):
                failures.append(item)
                continue
            screening = engine.screen(
                item.model_copy(update={"attachments": item.attachments + triaged})
            )
            if to_dir or output is None:
                emit(screening, to_dir)
            elif not held:
                held.append(screening)
            else:
                to_dir = True
                emit(held.pop(), True)
                emit(screening, True)
    for screening in held:
        emit(screening, False)
    if failures:
        fail([f"error: {line}" for f in failures for line in f.error.with_source(f.origin).lines()])


_SUFFIX_FORMATS = {".html": ("html",), ".htm": ("html",), ".md": ("md", "md-summary"),
                   ".json": ("json",)}  # fmt: skip


def output_format(output: Path | None, fmt: str | None) -> str:
    """The report format for ``-o``/``--format``; a contradiction is a usage error, not a guess.

    No ``-o``: ``--format`` or Markdown. A folder (existing, or written with a trailing slash):
    ``--format`` or HTML. A file: its suffix gives the format; a suffix that names another format
    than ``--format``, or one that names none without ``--format``, is refused.
    """
    if output is None:
        return fmt or "md"
    if output.is_dir() or str(output).endswith(("/", "\\")) or not output.suffix:
        return fmt or "html"
    suffix = output.suffix.lower()
    allowed = _SUFFIX_FORMATS.get(suffix)
    if fmt is None:
        if allowed is None:
            raise click.UsageError(
                f"cannot tell the report format from the suffix {suffix!r}: use .html, .md or "
                ".json, or give --format"
            )
        return allowed[0]
    if allowed is not None and fmt not in allowed:
        raise click.UsageError(
            f"-o names a {suffix} file but --format is {fmt}: change the suffix or the format"
        )
    return fmt
