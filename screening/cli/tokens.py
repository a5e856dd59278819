"""``screening tokens create|list|revoke``: named API tokens, and the audit lines of CLI actions.

Tokens live as SHA-256 hashes in ``[server] tokens_file`` (``screening.server.tokens``): a new
token is printed once and never stored; running servers pick changes up on SIGHUP. Every change
is written to the audit trail (``screening.store.audit``), which ``screening reviewers audit``
and ``GET /audit`` read.
"""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from screening.cli.common import config_option, handle_errors, load_config
from screening.config import Settings
from screening.errors import ConfigError, UsageError
from screening.server import tokens


def cli_actor() -> str:
    """Who acts from the command line, as the audit log names them."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def record(settings: Settings, action: str, application: str | None, detail: str | None) -> None:
    """One audit line for a command-line action, in the trail the server writes to."""
    from screening.store.backend import open_audit_log, store_location

    log = open_audit_log(*store_location(settings.store))
    try:
        log.record(cli_actor(), action, application, detail or "")
    finally:
        log.close()


def _tokens_file(settings: Settings, given: Path | None) -> Path:
    path = given or settings.server.tokens_file
    if path is None:
        raise UsageError("give --file, or set [server] tokens_file")
    return path


FILE_OPTION = click.option(
    "--file", "file", type=click.Path(path_type=Path), help="Default: [server] tokens_file."
)


@click.group("tokens")
def tokens_group() -> None:
    """Named API tokens with scopes (submit, read, delete, admin), stored hashed."""


@tokens_group.command("create")
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(tokens.SCOPES),
    help="What the token may do (repeat for several).",
)
@click.option(
    "--file", "file", type=click.Path(path_type=Path), help="Default: [server] tokens_file."
)
@config_option
@handle_errors
def tokens_create(
    name: str, scopes: tuple[str, ...], file: Path | None, config: Path | None
) -> None:
    """Create a token; it is printed once (only its hash is kept). Servers load it on SIGHUP."""
    settings = load_config(config)
    path = _tokens_file(settings, file)
    token = tokens.create(path, name, scopes)
    record(settings, "token.create", None, f"{name}: {','.join(sorted(scopes))}")
    click.echo(token)
    click.echo(f"Token {name!r} added to {path}; send SIGHUP to running servers.", err=True)


@tokens_group.command("list")
@click.option(
    "--file", "file", type=click.Path(path_type=Path), help="Default: [server] tokens_file."
)
@config_option
@handle_errors
def tokens_list(file: Path | None, config: Path | None) -> None:
    """Token names, scopes and creation times (never the tokens)."""
    path = _tokens_file(load_config(config), file)
    for t in tokens.read_tokens_file(path):
        click.echo(f"{t.name}  {','.join(sorted(t.scopes))}  created {t.created_at or '-'}")


@tokens_group.command("revoke")
@click.argument("name")
@click.option(
    "--file", "file", type=click.Path(path_type=Path), help="Default: [server] tokens_file."
)
@config_option
@handle_errors
def tokens_revoke(name: str, file: Path | None, config: Path | None) -> None:
    """Remove a token. Servers stop accepting it on SIGHUP."""
    settings = load_config(config)
    path = _tokens_file(settings, file)
    if not tokens.revoke(path, name):
        raise ConfigError(f"{path}: no token named {name!r}")
    record(settings, "token.revoke", None, name)
    click.echo(f"Token {name!r} removed from {path}; send SIGHUP to running servers.")
