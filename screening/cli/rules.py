"""``screening rules list|lint|test|stats``: inspect, check and test rule packs, and see how
reviewers resolved each rule's findings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from screening.cli.common import config_option, handle_errors, load_config


@click.group()
def rules() -> None:
    """List, lint and test rule packs."""


def _ruleset_for(paths: tuple[Path, ...], config: Path | None) -> tuple[Any, Any, list[str]]:
    from screening.analyze import build_catalogue
    from screening.evaluate import load_ruleset, read_packs
    from screening.pipeline import build_analyzers
    from screening.resources import rules_dir

    settings = load_config(config)
    packs = read_packs(
        [rules_dir(), *settings.rules.paths, *paths],
        disabled_patterns=settings.rules.disabled_patterns,
    )
    analyzers = build_analyzers(settings, offline=True, rule_dirs=paths, packs=packs)
    catalogue = build_catalogue(analyzers)
    ruleset = load_ruleset(
        packs,
        catalogue,
        weight_overrides=settings.rules.weights,
        disabled=settings.rules.disabled,
    )
    scope = [str(p.resolve()) for p in paths]
    return ruleset, catalogue, scope


def _in_scope(source: Path, scope: list[str]) -> bool:
    return not scope or any(str(Path(source).resolve()).startswith(s) for s in scope)


@rules.command("list")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Also show each rule's description, references, false positives and evasion.",
)
@config_option
@handle_errors
def rules_list(paths: tuple[Path, ...], fmt: str, verbose: bool, config: Path | None) -> None:
    """List the rules that are loaded (shipped packs plus PATHS), with status and weight."""
    ruleset, _, scope = _ruleset_for(paths, config)
    rows = [r for r in ruleset.rules if _in_scope(r.source, scope)]
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": r.info.id,
                        "title": r.info.title,
                        "status": r.info.status.value,
                        "category": r.info.category.value,
                        "severity": r.info.severity.value,
                        "weight": r.info.weight,
                        "default_weight": r.info.default_weight,
                        "pack": r.info.pack,
                        "file": str(r.source),
                        "evasion": list(r.info.evasion),
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    click.echo(f"{'id':48} {'status':12} {'category':14} {'severity':8} {'weight':>6}  title")
    for r in rows:
        i = r.info
        weight = f"{i.weight:.2f}" + ("*" if i.weight != i.default_weight else " ")
        click.echo(
            f"{i.id:48} {i.status.value:12} {i.category.value:14} {i.severity.value:8} "
            f"{weight:>6}  {i.title}"
        )
        if verbose:
            click.echo(f"    {i.description}")
            for label, items in (
                ("reference", i.references),
                ("false positive", i.falsepositives),
                ("evasion", i.evasion),
            ):
                for item in items:
                    click.echo(f"    {label}: {item}")
            click.echo("")
    for pack in ruleset.packs:
        click.echo(f"pack {pack.id} {pack.version}: {pack.rules} rule(s)", err=True)
    for note in ruleset.notes:
        click.echo(f"note: {note}", err=True)


@rules.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--fail-on",
    type=click.Choice(("low", "medium", "high")),
    default="low",
    show_default=True,
    help="Exit 1 when an issue of this severity or higher is found.",
)
@config_option
@handle_errors
def rules_lint(paths: tuple[Path, ...], fail_on: str, config: Path | None) -> None:
    """Check rule packs for problems beyond load errors (tests, references, dangling selections)."""
    from screening.evaluate import lint_ruleset
    from screening.resources import rules_dir

    ruleset, catalogue, scope = _ruleset_for(paths, config)
    exclusions = rules_dir() / "lint-exclusions.yml"
    issues = [
        i
        for i in lint_ruleset(ruleset, catalogue, exclusions if exclusions.is_file() else None)
        if _in_scope(Path(i.path), scope)
    ]
    order = {"low": 0, "medium": 1, "high": 2}
    failing = [i for i in issues if order[str(i.severity.value)] >= order[fail_on]]
    for issue in issues:
        click.echo(str(issue), err=True)
    count = len([r for r in ruleset.rules if _in_scope(r.source, scope)])
    files = [f for f in ruleset.patterns.files if _in_scope(f.path, scope)]
    patterns = sum(len(f.patterns) for f in files)
    click.echo(
        f"{count} rule(s) and {patterns} pattern(s) linted, {len(issues)} issue(s)", err=True
    )
    if failing:
        sys.exit(1)


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, file_okay=False, exists=True))
@config_option
@handle_errors
def rules_test(paths: tuple[Path, ...], config: Path | None) -> None:
    """Run the tests embedded in each rule."""
    from screening.evaluate import run_rule_tests

    ruleset, catalogue, scope = _ruleset_for(paths, config)
    results = [
        r
        for r in run_rule_tests(ruleset, catalogue)
        if _in_scope(ruleset.get(r.rule_id).source, scope)
    ]
    failed = [r for r in results if not r.passed]
    for r in failed:
        click.echo(f"FAIL {r.rule_id}::{r.case}: {r.message}", err=True)
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed", err=True)
    if failed:
        sys.exit(1)


@rules.command("stats")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@config_option
@handle_errors
def rules_stats(fmt: str, config: Path | None) -> None:
    """How reviewers resolved each rule's findings in the console (precision from reviews)."""
    from screening.store.backend import open_review_store, store_location

    settings = load_config(config)
    path, url = store_location(settings.store)
    if url is None and not path.exists():
        click.echo(f"No reviews yet: {path} does not exist.")
        return
    store = open_review_store(path, url)
    try:
        outcomes = store.rule_outcomes(store.fired())
        texts = store.rule_texts()
    finally:
        store.close()
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "id": o.rule_id,
                        "title": texts[o.rule_id].title if o.rule_id in texts else None,
                        "confirmed": o.confirmed,
                        "benign": o.benign,
                        "needs_information": o.needs_information,
                        "open": o.open,
                        "precision": o.precision,
                    }
                    for o in outcomes
                ],
                indent=2,
            )
        )
        return
    click.echo(
        f"{'rule':48} {'confirmed':>9} {'benign':>7} {'need info':>9} {'open':>5} {'prec.':>6}"
    )
    for o in outcomes:
        precision = "n/a" if o.precision is None else f"{100 * o.precision:.0f}%"
        click.echo(
            f"{o.rule_id:48} {o.confirmed:>9} {o.benign:>7} {o.needs_information:>9} "
            f"{o.open:>5} {precision:>6}"
        )


@rules.command("catalogue")
@click.option(
    "--benign",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    required=True,
    help="Folder of honest applications (the repository's tests/corpus/benign).",
)
@click.option(
    "--wild",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder of real published resumes (jsonresume-wild), when you have it.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
@handle_errors
def rules_catalogue(benign: Path, wild: Path | None, output: Path) -> None:
    """Write the rules catalogue (docs/rules-catalogue.md) with measured firing rates."""
    from screening.catalogue import build

    output.write_text(build(benign, wild), encoding="utf-8")
    click.echo(f"wrote {output}", err=True)
