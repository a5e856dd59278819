"""Runs analyzers on demand and turns their failures into ``unavailable`` checks.

Only analyzers whose facts some enabled rule reads are run (the others would cost time and, for
network analyzers, queries). An analyzer that raises is not an error for the caller: its family
becomes ``unavailable`` with the exception type as the reason (never the message, which could
carry personal data), and the rules that needed it come out ``not_evaluated``. With a
``Budget``, each analyzer runs under what is left of the application's deadline; one cut short
(or not started because the budget was spent) is ``unavailable`` with that reason.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection, Sequence

from screening.analyze.base import AnalysisContext, Analyzer
from screening.analyze.budget import RAN_OUT, SPENT, Budget, DeadlineExceeded
from screening.model.facts import FactCatalogue, FactSet, FamilyResult, Source
from screening.model.normalized import Application

log = logging.getLogger("screening.analyze")


def build_catalogue(analyzers: Sequence[Analyzer]) -> FactCatalogue:
    """The fact catalogue: every fact and namespace the analyzers declare."""
    return FactCatalogue(
        (spec for a in analyzers for spec in a.facts),
        (ns for a in analyzers for ns in a.namespaces),
    )


def run_analyzers(
    app: Application,
    analyzers: Sequence[Analyzer],
    ctx: AnalysisContext,
    needed: Collection[str] | None = None,
    budget: Budget | None = None,
) -> FactSet:
    """Compute the facts of ``app``; ``needed`` limits which families run (None: all)."""
    facts = FactSet()
    for analyzer in analyzers:
        if needed is not None and analyzer.name not in needed:
            continue
        prepare = getattr(analyzer, "prepare", None)
        spent = False
        try:
            if prepare is not None:
                # one-time loading (a language model) is not this application's cost
                loading = time.monotonic()
                prepare(app)
                if budget is not None:
                    budget.extend(time.monotonic() - loading)
            if budget is None:
                result = analyzer.analyze(app, ctx)
            else:
                spent = budget.remaining() <= 0
                with budget.limit(analyzer.name):
                    result = analyzer.analyze(app, ctx)
        except DeadlineExceeded:
            log.warning("analyzer %s cut by the time budget", analyzer.name)
            result = FamilyResult.unavailable(SPENT if spent else RAN_OUT)
        except Exception as exc:  # an analyzer bug must not lose the whole screening
            if ctx.strict:
                raise
            log.warning(
                "analyzer %s failed on application %s: %s",
                analyzer.name,
                app.id,
                type(exc).__name__,
            )
            result = FamilyResult.unavailable(f"analyzer failed ({type(exc).__name__})")
        facts.add(analyzer.name, result)
    return facts


def collect_sources(
    analyzers: Sequence[Analyzer], families: Collection[str] | None
) -> list[Source]:
    """Sources of the analyzers that ran, without repeats."""
    out: list[Source] = []
    for analyzer in analyzers:
        if families is not None and analyzer.name not in families:
            continue
        for src in analyzer.sources():
            if src not in out:
                out.append(src)
    return out
