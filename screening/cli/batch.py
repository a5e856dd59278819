"""``screening batch``: screen a folder or CSV export into reports and a ranked summary."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from screening.cli.common import (
    FORMATS,
    build_engine,
    columns_option,
    config_option,
    handle_errors,
    offline_option,
    rules_option,
)


@click.command()
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory for the reports, summary.html, summary.csv and failed.txt.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Report format per application; repeatable (default: html and json).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default: number of CPU cores).",
)
@click.option(
    "--no-record",
    is_flag=True,
    help="Compare with the history of earlier applications but do not record these.",
)
@rules_option
@offline_option
@columns_option
@config_option
@handle_errors
def batch(
    source: Path,
    output: Path,
    formats: tuple[str, ...],
    jobs: int | None,
    no_record: bool,
    rules: tuple[Path, ...],
    offline: bool,
    columns: Path | None,
    config: Path | None,
) -> None:
    """Screen a folder of applications or a CSV export; keeps going past unreadable files.

    Writes one report per application, summary.html and summary.csv ranking them by score, and
    failed.txt listing every input that could not be read. Exits 1 if any input failed.
    """
    from screening.batch import run_batch

    engine = build_engine(config, rules, offline, columns)
    result = run_batch(
        engine, source, output, formats or ("html", "json"), jobs, record=not no_record
    )
    click.echo(
        f"Screened {result.screened} application(s), {len(result.failures)} failed, "
        f"in {result.seconds:.1f} s. Summary: {result.summary_html}",
        err=True,
    )
    if result.failures:
        click.echo(f"Inputs that could not be read are listed in {result.failed_txt}", err=True)
        sys.exit(1)
