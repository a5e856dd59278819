"""The ``screening`` command: one click group; each command lives in its own module."""

from __future__ import annotations

import click

from screening import __version__
from screening.cli.batch import batch
from screening.cli.check import check
from screening.cli.config import config_group
from screening.cli.facts import facts
from screening.cli.history import history_group
from screening.cli.jobs import jobs_group
from screening.cli.lists import lists_group
from screening.cli.measure import eval_command
from screening.cli.reviewers import reviewers_group
from screening.cli.rules import rules
from screening.cli.serve import serve, worker
from screening.cli.tokens import tokens_group

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="screening")
def main() -> None:
    """Screen remote-job applications for hiring-fraud signals, explained finding by finding.

    Reports list signals for review; a person decides.
    """


for command in (
    check,
    batch,
    rules,
    facts,
    eval_command,
    lists_group,
    config_group,
    serve,
    worker,
    history_group,
    jobs_group,
    reviewers_group,
    tokens_group,
):
    main.add_command(command)
