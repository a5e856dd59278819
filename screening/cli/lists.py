"""``screening lists update|show``: refresh reference lists (sanctions, domains, networks)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from screening.cli.common import config_option, handle_errors, load_config


@click.group("lists")
def lists_group() -> None:
    """Reference lists: their sources and ages, and updating them."""


def _registered() -> None:
    import screening.pipeline  # noqa: F401  (every analyzer module registers the lists it reads)


@lists_group.command("show")
@config_option
@handle_errors
def lists_show(config: Path | None) -> None:
    """Show every list: the copy in use, its source, licence, date and age (STALE past its
    freshness limit, with the command that refreshes it)."""
    import datetime as dt

    from screening.lists import REGISTRY, freshness, info

    _registered()
    settings = load_config(config)
    choices = settings.lists.choices()
    choices.check()
    today = dt.datetime.now(dt.UTC).date()
    for name in sorted(REGISTRY):
        i = info(name, choices=choices)
        if i.disabled:
            click.echo(f"{name}: {i.title} — disabled ([lists] disabled)")
            continue
        where = (
            "shipped snapshot"
            if i.shipped
            else "your files"
            if i.replaced
            else f"updated {i.updated_at}"
        )
        entries = f", {i.entries} entries" if i.entries is not None else ""
        fresh = freshness(name, choices, today)
        age = f", {fresh.age_days} days old" if fresh.age_days is not None else ""
        limit = f" (limit {fresh.limit_days:g} days)" if fresh.limit_days is not None else ""
        mark = "STALE — " if fresh.stale else ""
        dated = f"dated {i.date}" if i.date else "undated"
        click.echo(f"{name}: {mark}{i.title} — {where}, {dated}{age}{limit}{entries}")
        click.echo(f"    source: {i.source}")
        if i.licence:
            click.echo(f"    licence: {i.licence}")
        if fresh.stale:
            click.echo(f"    refresh: screening lists update {name}")


@lists_group.command("update")
@click.argument("names", nargs=-1)
@config_option
@handle_errors
def lists_update(names: tuple[str, ...], config: Path | None) -> None:
    """Download the current copy of the named lists (all when none are named).

    Each file is checked (published SHA-256 where the source offers one, then parsed) before it
    replaces the copy in use; a failed update leaves the old copy in place.
    """
    from screening.lists import update

    _registered()
    settings = load_config(config)
    results = update(
        names,
        lists_dir=settings.lists.dir,
        timeout=settings.lists.timeout_seconds,
        urls=settings.lists.urls,
    )
    for r in results:
        click.echo(f"{r.name}: {'updated' if r.ok else 'FAILED'}: {r.message}", err=not r.ok)
    if any(not r.ok for r in results):
        sys.exit(1)
