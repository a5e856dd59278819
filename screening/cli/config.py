"""``screening config show``: the effective configuration with secrets masked."""

from __future__ import annotations

import json
from pathlib import Path

import click

from screening.cli.common import config_option, handle_errors


@click.group("config")
def config_group() -> None:
    """Show the effective configuration."""


@config_group.command("show")
@config_option
@handle_errors
def config_show(config: Path | None) -> None:
    """Print the effective configuration (file + environment), secrets masked."""
    from screening.config import load_settings, masked

    settings, path = load_settings(config)
    click.echo(f"# configuration file: {path if path else '(none: built-in defaults)'}")
    click.echo(json.dumps(masked(settings), indent=2))
