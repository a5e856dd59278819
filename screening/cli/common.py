"""Shared pieces of the ``screening`` commands: options, error handling, engine construction.

Exit codes: 0 ok, 1 bad input or rule error, 2 usage. Errors go to stderr, one line per problem.
Heavy modules (pydantic models, rule packs, templates) are imported inside the commands so that
``screening --help`` and a single ``screening check`` start quickly.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from screening.errors import InputError, Problem, RulePackError, ScreeningError

if TYPE_CHECKING:
    from screening.config import Settings
    from screening.pipeline import Engine

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("html", "md", "md-summary", "json")
EXTENSIONS = {"html": ".html", "md": ".md", "md-summary": ".md", "json": ".json"}


def fail(lines: Sequence[str], code: int = 1) -> None:
    """Print ``lines`` on stderr and exit with ``code``."""
    for line in lines:
        click.echo(line, err=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Print ``ScreeningError`` problems one per line on stderr and exit with its code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RulePackError as exc:
            fail([f"error: {p}" for p in exc.problems], exc.exit_code)
        except InputError as exc:
            fail([f"error: {line}" for line in exc.lines()], exc.exit_code)
        except ScreeningError as exc:
            fail([f"error: {exc}"], exc.exit_code)

    return wrapper  # type: ignore[return-value]


def load_config(config: Path | None) -> Settings:
    """The effective settings for ``--config``."""
    from screening.config import load_settings

    return load_settings(config)[0]


def build_engine(
    config: Path | None, rules: Sequence[Path], offline: bool, columns: Path | None = None
) -> Engine:
    """An engine from the configuration, extra packs, --offline and --columns."""
    from dataclasses import replace

    from screening.ingest.csv_columns import load_columns_file
    from screening.pipeline import Engine

    column_map = load_columns_file(columns) if columns is not None else None
    engine = Engine.build(load_config(config), rules, offline=True if offline else None)
    return replace(engine, csv_columns=column_map) if column_map is not None else engine


def problem(field: str, message: str) -> Problem:
    """A one-off input problem (for files that do not exist)."""
    return Problem(field, message)


config_option = click.option(
    "--config",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file (default: $SCREENING_CONFIG, then ./screening.toml).",
)
rules_option = click.option(
    "--rules",
    "rules",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Extra rule-pack directory (a pack or a folder of packs); repeatable.",
)
columns_option = click.option(
    "--columns",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="CSV exports: a YAML file mapping headers to columns (docs/csv.md), used instead of "
    "the automatic ATS presets.",
)
offline_option = click.option(
    "--offline",
    is_flag=True,
    help="Skip every network lookup (DNS and online providers).",
)
