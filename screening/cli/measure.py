"""``screening eval``: recall and false-positive rate on a labelled folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from screening.cli.common import (
    build_engine,
    config_option,
    handle_errors,
    offline_option,
    rules_option,
)


@click.command("eval")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@rules_option
@offline_option
@config_option
@handle_errors
def eval_command(
    directory: Path, fmt: str, rules: tuple[Path, ...], offline: bool, config: Path | None
) -> None:
    """Measure detection on a labelled folder (labels.csv: file,label = impostor|genuine).

    An application counts as flagged when its band is high or critical.
    """
    from screening.measure import evaluate_labelled, format_text

    engine = build_engine(config, rules, offline)
    result = evaluate_labelled(engine, directory)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        click.echo(format_text(result))
    if result.errors:
        sys.exit(1)
