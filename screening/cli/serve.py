"""``screening serve``: run the ATS webhook receiver and its screening workers."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from screening.cli.common import (
    config_option,
    handle_errors,
    load_config,
    offline_option,
    rules_option,
)
from screening.errors import UsageError


@click.command()
@click.option("--host", help="Interface to listen on (default: [server] host, 127.0.0.1).")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    help="Port to listen on (default: [server] port, 8080).",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 64),
    help="Screening worker processes (default: [server] workers, 1; 0 only queues).",
)
@rules_option
@offline_option
@config_option
@handle_errors
def serve(
    host: str | None,
    port: int | None,
    workers: int | None,
    rules: tuple[Path, ...],
    offline: bool,
    config: Path | None,
) -> None:
    """Receive ATS webhooks (docs/ats-vendors.md lists the vendors) and screen every application.

    Answers each delivery at once, screens in the background from a durable queue, serves the
    reports at /applications/{id} (bearer token) and, when configured, writes a note back to
    the ATS. Configuration: [server] in screening.toml; secrets from the environment.
    """
    missing = [name for name in ("fastapi", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(
            f"the server needs the 'server' extra (pip install 'screening[server]'); "
            f"missing: {', '.join(missing)}"
        )
    from screening.server import serve as run

    settings = load_config(config)
    if workers is not None:
        server = settings.server.model_copy(update={"workers": workers})
        settings = settings.model_copy(update={"server": server})
    run(settings, host=host, port=port, rule_dirs=rules, offline=True if offline else None)


@click.command("worker")
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Screening processes to run (one job at a time each; about one per core).",
)
@rules_option
@offline_option
@config_option
@handle_errors
def worker(processes: int, rules: tuple[Path, ...], offline: bool, config: Path | None) -> None:
    """Screen applications queued by `screening serve` receivers on a shared PostgreSQL.

    Start as many as needed, on as many machines ([store] url = postgresql://... and the same
    [history] secret everywhere). Stops after the job in hand on SIGTERM or Ctrl+C; a job whose
    worker was killed is screened by another after [server] lease_seconds.
    """
    from screening.server import work

    work(
        load_config(config),
        processes=processes,
        rule_dirs=rules,
        offline=True if offline else None,
    )
