"""``screening history stats|forget|export``: the history store behind reuse detection.

The history holds keyed hashes of identifiers plus each application's id, times, score and
band; these commands show what is there (never an identifier or the key), erase one applicant on
request, and export ids, times and scores.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from screening.cli.common import config_option, fail, handle_errors, load_config

# ids are candidate-controlled: a cell a spreadsheet would run as a formula gets an apostrophe
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

if TYPE_CHECKING:
    from screening.store.history import HistoryStore


def _existing(config: Path | None) -> HistoryStore | None:
    from screening.pipeline import open_history
    from screening.store.backend import is_postgres

    settings = load_config(config)
    if is_postgres(settings.store.url):
        return open_history(settings)
    path = settings.store.sqlite_path()
    if not path.exists():
        click.echo(f"No history yet: {path} does not exist (it is created on first use).")
        return None
    return open_history(settings)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


@click.group("history")
def history_group() -> None:
    """The history of screened applications (keyed hashes) used to detect reuse."""


@history_group.command("stats")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@config_option
@handle_errors
def history_stats(fmt: str, config: Path | None) -> None:
    """How many applications and keyed identifiers are stored, and where the key is."""
    store = _existing(config)
    if store is None:
        return
    s = store.stats()
    if fmt == "json":
        data = {
            "path": str(s.path),
            "schema_version": s.schema_version,
            "created_at": s.created_at,
            "applications": s.applications,
            "first_recorded": s.first_recorded,
            "last_recorded": s.last_recorded,
            "identifiers": s.identifiers,
            "name_keys": s.name_keys,
            "resume_signatures": s.resumes,
            "size_bytes": s.size_bytes,
            "secret": s.secret.describe(),
        }
        click.echo(json.dumps(data, indent=2))
        return
    kinds = ", ".join(f"{k} {n}" for k, n in s.identifiers.items()) or "none"
    click.echo(f"history store: {s.path} (schema {s.schema_version}, {s.size_bytes / 1024:.1f} KB)")
    click.echo(f"created: {s.created_at or 'unknown'}")
    span = f" (first {s.first_recorded}, last {s.last_recorded})" if s.applications else ""
    click.echo(f"applications: {s.applications}{span}")
    click.echo(f"keyed identifiers: {kinds}")
    click.echo(f"whole-name keys: {s.name_keys}; resume signatures: {s.resumes}")
    click.echo(f"key: {s.secret.describe()}")
    click.echo("stored in clear: application ids, times, scores and bands; all else is keyed")


@history_group.command("forget")
@click.argument("application_id")
@config_option
@handle_errors
def history_forget(application_id: str, config: Path | None) -> None:
    """Erase everything stored for APPLICATION_ID (for example on a deletion request)."""
    store = _existing(config)
    if store is None:
        sys.exit(1)
    from screening.store.erasure import erase

    erasure = erase(store, application_id)
    if not erasure.found:
        fail([f"error: no application {application_id!r} in {store.path}"])
    click.echo(
        f"Erased {application_id} from {store.path}: every history table"
        + (" and the webhook job with its reports" if erasure.had_job else "")
        + ", and the file was compacted so no freed page keeps a copy. A retry or replay of its "
        "deliveries will be answered 'erased'."
    )


@history_group.command("export")
@click.option("--format", "fmt", type=click.Choice(("csv", "jsonl")), default="csv")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="File to write."
)
@config_option
@handle_errors
def history_export(fmt: str, output: Path | None, config: Path | None) -> None:
    """Export ids, times, scores and bands of every recorded application (nothing else)."""
    store = _existing(config)
    if store is None:
        return
    fields = ("application_id", "recorded_at", "received_at", "score", "band")
    with (
        output.open("w", encoding="utf-8", newline="") if output else click.open_file("-", "w")
    ) as fh:
        writer = csv.writer(fh, lineterminator="\n") if fmt == "csv" else None
        if writer is not None:
            writer.writerow(fields)
        for row in store.export():
            values = (row.application_id, row.recorded_at, row.received_at, row.score, row.band)
            if writer is not None:
                writer.writerow([_cell(v) if isinstance(v, str) else v for v in values])
            else:
                fh.write(json.dumps(dict(zip(fields, values, strict=True))) + "\n")
