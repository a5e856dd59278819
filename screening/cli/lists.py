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
    """Show every list, the copy in use, its source and its date."""
    from screening.lists import REGISTRY, info

    _registered()
    settings = load_config(config)
    for name in sorted(REGISTRY):
        i = info(name, settings.lists.dir)
        where = "shipped snapshot" if i.shipped else f"updated {i.updated_at}"
        entries = f", {i.entries} entries" if i.entries is not None else ""
        click.echo(f"{name}: {i.title} — {where}, dated {i.date or 'unknown'}{entries}")
        click.echo(f"    source: {i.source}")


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
