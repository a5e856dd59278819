"""``screening reviewers add|list|disable|audit``: accounts of the reviewer console.

The console (``/ui/`` of ``screening serve``) signs people in with these accounts, unless a
trusted reverse proxy names them (``[ui] trusted_user_header``). Passwords are read from a
prompt or standard input, never from the command line (it would land in shell history and in
the process list), and stored only as argon2 hashes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from screening.cli.common import config_option, fail, handle_errors, load_config

if TYPE_CHECKING:
    from screening.store.review import ReviewStore


def _store(config: Path | None) -> ReviewStore:
    from screening.store.backend import open_review_store, store_location

    settings = load_config(config)
    return open_review_store(*store_location(settings.store))


@click.group("reviewers")
def reviewers_group() -> None:
    """Accounts of the reviewer console and its audit trail."""


@reviewers_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(("reviewer", "admin")), default="reviewer")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from standard input (scripts)."
)
@config_option
@handle_errors
def reviewers_add(name: str, role: str, password_stdin: bool, config: Path | None) -> None:
    """Create an account (or set a new password and role for an existing one)."""
    from screening.server.ui.auth import check_password_strength, hash_password
    from screening.store.review import MAX_NAME_CHARS, Role

    name = name.strip()
    if not name or len(name) > MAX_NAME_CHARS or not name.isprintable():
        fail([f"NAME: 1 to {MAX_NAME_CHARS} printable characters"])
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = check_password_strength(password)
    if problem:
        fail([problem])
    store = _store(config)
    try:
        store.add_reviewer(name, Role(role), hash_password(password))
    finally:
        store.close()
    click.echo(f"Saved {role} account {name!r}.")


@reviewers_group.command("list")
@config_option
@handle_errors
def reviewers_list(config: Path | None) -> None:
    """Every account with its role and whether it is disabled."""
    store = _store(config)
    try:
        accounts = store.reviewers()
    finally:
        store.close()
    if not accounts:
        click.echo("No accounts yet: screening reviewers add NAME --role admin")
    for a in accounts:
        state = "disabled" if a.disabled else "active"
        kind = "password" if a.password_hash else "proxy"
        click.echo(f"{a.name}\t{a.role.value}\t{state}\t{kind}")


@reviewers_group.command("disable")
@click.argument("name")
@config_option
@handle_errors
def reviewers_disable(name: str, config: Path | None) -> None:
    """Stop an account from signing in and end its sessions."""
    store = _store(config)
    try:
        found = store.disable_reviewer(name)
    finally:
        store.close()
    if not found:
        fail([f"no account named {name!r}"])
    click.echo(f"Disabled {name!r}.")


@reviewers_group.command("audit")
@click.option("--application", "app_id", help="Only lines about this application id.")
@click.option("--actor", help="Only lines by this person (or token name).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@config_option
@handle_errors
def reviewers_audit(app_id: str | None, actor: str | None, limit: int, config: Path | None) -> None:
    """The audit trail, newest first: who read, decided, resolved or erased what, and when."""
    store = _store(config)
    try:
        entries = store.audit_entries(app_id=app_id, actor=actor, limit=limit)
    finally:
        store.close()
    for e in entries:
        when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(e.at))
        click.echo(f"{when}\t{e.actor}\t{e.action}\t{e.app_id or '-'}\t{e.detail}")
