"""``screening facts list``: the fact catalogue, generated from the analyzers' declarations."""

from __future__ import annotations

import json

import click


@click.group()
def facts() -> None:
    """The fact catalogue: every fact analyzers compute and rules can read."""


@facts.command("list")
@click.option("--format", "fmt", type=click.Choice(("text", "md", "json")), default="text")
def facts_list(fmt: str) -> None:
    """List every fact with its type, producer and meaning; sensitive facts are marked."""
    from screening.analyze import build_catalogue
    from screening.config import Settings
    from screening.pipeline import build_analyzers

    analyzers = build_analyzers(Settings(), offline=True)
    catalogue = build_catalogue(analyzers)
    specs = list(catalogue.facts.values())
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "path": s.path,
                        "type": s.type.value,
                        "family": s.family,
                        "sensitive": s.sensitive,
                        "description": s.description,
                        "values": list(s.values),
                    }
                    for s in specs
                ],
                indent=2,
            )
        )
        return
    if fmt == "md":
        click.echo("| fact | type | analyzer | description |\n|---|---|---|---|")
        for s in specs:
            flag = " **(sensitive: never scored)**" if s.sensitive else ""
            values = f" Values: {', '.join(s.values)}." if s.values else ""
            click.echo(
                f"| `{s.path}` | {s.type.value} | {s.family} | {s.description}{flag}{values} |"
            )
        return
    for a in analyzers:
        click.echo(f"{a.name}: {a.description}")
        for s in specs:
            if s.family == a.name:
                flag = "  [sensitive: never scored]" if s.sensitive else ""
                click.echo(f"  {s.path:44} {s.type.value:10} {s.description}{flag}")
