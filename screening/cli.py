"""The ``screening`` command.

Exit codes: 0 ok, 1 bad input or rule error, 2 usage. Errors go to stderr, one line per problem.
Heavy modules (pydantic models, rule packs, templates) are imported inside the commands so that
``screening --help`` and a single ``screening check`` start quickly.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from screening import __version__
from screening.errors import InputError, RulePackError, ScreeningError

if TYPE_CHECKING:
    from screening.config import Settings
    from screening.pipeline import Engine

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("html", "md", "json")
EXTENSIONS = {"html": ".html", "md": ".md", "json": ".json"}


def _fail(lines: Sequence[str], code: int = 1) -> None:
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
            _fail([f"error: {p}" for p in exc.problems], exc.exit_code)
        except InputError as exc:
            _fail([f"error: {line}" for line in exc.lines()], exc.exit_code)
        except ScreeningError as exc:
            _fail([f"error: {exc}"], exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _settings(config: Path | None) -> Settings:
    from screening.config import load_settings

    return load_settings(config)[0]


def _engine(config: Path | None, rules: Sequence[Path], offline: bool) -> Engine:
    from screening.pipeline import Engine

    return Engine.build(_settings(config), rules, offline=True if offline else None)


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
offline_option = click.option(
    "--offline",
    is_flag=True,
    help="Skip every network lookup (DNS and online providers).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="screening")
def main() -> None:
    """Screen remote-job applications for hiring-fraud signals, explained finding by finding.

    Reports list signals for review; a person decides.
    """


def safe_stem(text: str, used: set[str]) -> str:
    """A file-name-safe, unique stem for an application id (ids are candidate-controlled)."""
    import re

    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._")[:80] or "application"
    candidate, n = stem, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{stem}-{n}"
    used.add(candidate.lower())
    return candidate


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Report format (default: md on the terminal, or from the -o extension).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="Write the report here: a file, or a directory for several applications.",
)
@rules_option
@offline_option
@config_option
@handle_errors
def check(
    files: tuple[Path, ...],
    fmt: str | None,
    output: Path | None,
    rules: tuple[Path, ...],
    offline: bool,
    config: Path | None,
) -> None:
    """Screen application files (native JSON/YAML, JSON Resume, CSV, TXT/PDF/DOCX resumes)."""
    from screening.ingest import IngestFailure
    from screening.report import render

    engine = _engine(config, rules, offline)
    screenings = []
    failures: list[IngestFailure] = []
    for path in files:
        if not path.is_file():
            failures.append(
                IngestFailure(str(path), InputError([_problem("", "no such file")], str(path)))
            )
            continue
        for item in engine.read(path):
            if isinstance(item, IngestFailure):
                failures.append(item)
            else:
                screenings.append(engine.screen(item))
    if output is not None and fmt is None:
        fmt = {".html": "html", ".htm": "html", ".md": "md", ".json": "json"}.get(
            output.suffix.lower(), "html"
        )
    fmt = fmt or "md"
    to_dir = output is not None and (
        output.is_dir() or len(screenings) > 1 or str(output).endswith(("/", "\\"))
    )
    used: set[str] = set()
    for screening in screenings:
        text = render(screening, fmt)  # type: ignore[arg-type]
        if output is None:
            click.echo(text, nl=not text.endswith("\n"))
        elif to_dir:
            output.mkdir(parents=True, exist_ok=True)
            target = output / (safe_stem(screening.application.id, used) + EXTENSIONS[fmt])
            target.write_text(text, encoding="utf-8")
            click.echo(
                f"{screening.application.id}: score {screening.score.score:g} "
                f"({screening.score.band.value}) -> {target}",
                err=True,
            )
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
            click.echo(
                f"{screening.application.id}: score {screening.score.score:g} "
                f"({screening.score.band.value}) -> {output}",
                err=True,
            )
    if failures:
        _fail(
            [f"error: {line}" for f in failures for line in f.error.with_source(f.origin).lines()]
        )


def _problem(field: str, message: str) -> Any:
    from screening.errors import Problem

    return Problem(field, message)


@main.command()
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Directory for the reports, summary.html, summary.csv and failed.txt.",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Report format per application; repeatable (default: html and json).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes (default: number of CPU cores).",
)
@rules_option
@offline_option
@config_option
@handle_errors
def batch(
    source: Path,
    output: Path,
    formats: tuple[str, ...],
    jobs: int | None,
    rules: tuple[Path, ...],
    offline: bool,
    config: Path | None,
) -> None:
    """Screen a folder of applications or a CSV export; keeps going past unreadable files.

    Writes one report per application, summary.html and summary.csv ranking them by score, and
    failed.txt listing every input that could not be read. Exits 1 if any input failed.
    """
    from screening.batch import run_batch

    engine = _engine(config, rules, offline)
    result = run_batch(engine, source, output, formats or ("html", "json"), jobs)
    click.echo(
        f"Screened {result.screened} application(s), {len(result.failures)} failed, "
        f"in {result.seconds:.1f} s. Summary: {result.summary_html}",
        err=True,
    )
    if result.failures:
        click.echo(f"Inputs that could not be read are listed in {result.failed_txt}", err=True)
        sys.exit(1)


@main.group()
def rules() -> None:
    """List, lint and test rule packs."""


def _ruleset_for(paths: tuple[Path, ...], config: Path | None) -> tuple[Any, Any, list[str]]:
    from screening.analyze import build_catalogue, default_analyzers
    from screening.evaluate import load_ruleset
    from screening.pipeline import shipped_rules_dir

    settings = _settings(config)
    catalogue = build_catalogue(default_analyzers())
    dirs = [shipped_rules_dir(), *settings.rules.paths, *paths]
    ruleset = load_ruleset(
        dirs, catalogue, weight_overrides=settings.rules.weights, disabled=settings.rules.disabled
    )
    scope = [str(p.resolve()) for p in paths]
    return ruleset, catalogue, scope


def _in_scope(source: Path, scope: list[str]) -> bool:
    return not scope or any(str(Path(source).resolve()).startswith(s) for s in scope)


@rules.command("list")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text")
@config_option
@handle_errors
def rules_list(paths: tuple[Path, ...], fmt: str, config: Path | None) -> None:
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
    from screening.pipeline import shipped_rules_dir

    ruleset, catalogue, scope = _ruleset_for(paths, config)
    exclusions = shipped_rules_dir() / "lint-exclusions.yml"
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
    click.echo(f"{count} rule(s) linted, {len(issues)} issue(s)", err=True)
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


@main.group()
def facts() -> None:
    """The fact catalogue: every fact analyzers compute and rules can read."""


@facts.command("list")
@click.option("--format", "fmt", type=click.Choice(("text", "md", "json")), default="text")
def facts_list(fmt: str) -> None:
    """List every fact with its type, producer and meaning; sensitive facts are marked."""
    from screening.analyze import build_catalogue, default_analyzers

    analyzers = default_analyzers()
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


@main.command("eval")
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
    from screening.evaluation import evaluate_labelled, format_text

    engine = _engine(config, rules, offline)
    result = evaluate_labelled(engine, directory)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        click.echo(format_text(result))
    if result.errors:
        sys.exit(1)


@main.group("config")
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
