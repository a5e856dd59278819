"""The one module that calls every stage, top to bottom.

    read (ingest) -> normalize -> analyze -> evaluate -> score -> Screening (report renders it)

An ``Engine`` is built once per process (analyzers, fact catalogue, compiled rule packs, band
policy) and then screens any number of applications; building it is the expensive part, screening
one application takes about a millisecond without documents or network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from screening import __version__
from screening.analyze import (
    AnalysisContext,
    Analyzer,
    build_catalogue,
    collect_sources,
    default_analyzers,
    run_analyzers,
)
from screening.analyze.ports import Clock, SystemClock
from screening.config import Settings
from screening.evaluate import RuleSet, load_ruleset
from screening.ingest import IngestFailure, read_path
from screening.model.application import DocumentStatus, RawApplication
from screening.model.facts import FactCatalogue, Source
from screening.model.limits import Limits
from screening.model.screening import ApplicationSummary, Screening
from screening.normalize import normalize
from screening.resources import rules_dir
from screening.score import BandPolicy, score_outcomes

Ingested = RawApplication | IngestFailure


def shipped_rules_dir() -> Path:
    """The folder of packs that ships with the package."""
    return rules_dir()


def build_analyzers(settings: Settings, offline: bool) -> list[Analyzer]:
    """Every analyzer, configured from the settings; optional components add theirs here."""
    analyzers: list[Analyzer] = default_analyzers()
    return analyzers


@dataclass
class Engine:
    """Everything needed to screen applications, built once."""

    settings: Settings
    analyzers: list[Analyzer]
    catalogue: FactCatalogue
    ruleset: RuleSet
    policy: BandPolicy
    limits: Limits
    context: AnalysisContext
    needed: set[str] = field(default_factory=set)
    _source_cache: dict[frozenset[str], list[Source]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        settings: Settings | None = None,
        rule_dirs: Sequence[Path] = (),
        *,
        clock: Clock | None = None,
        offline: bool | None = None,
        include_shipped: bool = True,
    ) -> Engine:
        """Load analyzers and packs (shipped, then configured, then ``rule_dirs``)."""
        settings = settings or Settings()
        offline = settings.network.offline if offline is None else offline
        analyzers = build_analyzers(settings, offline)
        catalogue = build_catalogue(analyzers)
        dirs = ([shipped_rules_dir()] if include_shipped else []) + [
            *settings.rules.paths,
            *rule_dirs,
        ]
        known_fps = shipped_rules_dir() / "known-fps.yml"
        ruleset = load_ruleset(
            dirs,
            catalogue,
            weight_overrides=settings.rules.weights,
            disabled=settings.rules.disabled,
            known_fps=known_fps if known_fps.is_file() else None,
        )
        bands = settings.bands
        policy = BandPolicy(bands.medium, bands.high, bands.critical, dict(bands.next_steps))
        context = AnalysisContext(clock=clock or SystemClock(), offline=offline)
        return cls(
            settings=settings,
            analyzers=analyzers,
            catalogue=catalogue,
            ruleset=ruleset,
            policy=policy,
            limits=settings.limits.to_limits(),
            context=context,
            needed=set(ruleset.needed_families()),
        )

    def read(self, path: Path) -> list[Ingested]:
        """Stage 1: every application in a file (a CSV gives one per row)."""
        return read_path(path, self.limits)

    def screen(self, raw: RawApplication) -> Screening:
        """Stages 2-5 for one application."""
        app = normalize(raw)
        families = self.needed | {"timeline"}  # the report's timeline needs employment facts
        facts = run_analyzers(app, self.analyzers, self.context, families)
        outcomes = self.ruleset.evaluate(facts)
        infos = {rule.info.id: rule.info for rule in self.ruleset.rules}
        findings, breakdown = score_outcomes(outcomes, infos, self.policy)
        return Screening(
            application=ApplicationSummary(
                id=app.id, name=app.name.display, source=app.source, file=raw.origin or None
            ),
            score=breakdown,
            findings=findings,
            not_evaluated=self.ruleset.not_evaluated(outcomes, facts),
            checks=[facts.checks[a.name] for a in self.analyzers if a.name in facts.checks],
            sources=self._sources(families),
            packs=list(self.ruleset.packs),
            facts=facts,
            generated_at=self.context.clock.now().astimezone(dt.UTC),
            rules_evaluated=len(outcomes),
            notes=self._notes(raw),
        )

    def _sources(self, families: set[str]) -> list[Source]:
        # list versions and dates do not change while the engine lives: read them once
        key = frozenset(families)
        if key not in self._source_cache:
            sources = [Source("screening engine", __version__)]
            sources.extend(collect_sources(self.analyzers, families))
            self._source_cache[key] = sources
        return list(self._source_cache[key])

    def _notes(self, raw: RawApplication) -> list[str]:
        notes = list(self.ruleset.notes) + list(self.ruleset.sensitive_warnings)
        for doc in raw.documents:
            label = doc.file_name or doc.kind.replace("_", " ")
            if doc.status is DocumentStatus.SKIPPED:
                notes.append(f"{label} was not read: {doc.reason}")
            elif doc.reason:
                notes.append(f"{label}: {doc.reason}")
        return notes
