"""The engine: the one place that calls every stage, top to bottom.

    read (ingest) -> normalize -> analyze -> evaluate -> score -> Screening (report renders it)

An ``Engine`` is built once per process (analyzers, fact catalogue, compiled rule packs, band
policy) and then screens any number of applications; building it is the expensive part, screening
one application takes about a millisecond without documents or network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from screening import __version__
from screening.analyze import (
    AnalysisContext,
    Analyzer,
    build_catalogue,
    collect_sources,
    run_analyzers,
)
from screening.analyze.budget import Budget
from screening.analyze.history import HistoryAnalyzer
from screening.analyze.ports import Clock, SystemClock
from screening.config import Settings, read_secret
from screening.evaluate import RuleSet, load_ruleset, read_packs
from screening.ingest import IngestFailure, iter_path, read_path
from screening.ingest.csv_columns import ColumnMap
from screening.lists import stale_warnings
from screening.model.application import ApplicationInput, DocumentStatus, RawApplication
from screening.model.attachments import Triage
from screening.model.facts import FactCatalogue, Source
from screening.model.findings import RuleInfo
from screening.model.limits import Limits
from screening.model.normalized import Application
from screening.model.screening import ApplicationSummary, ScoreBreakdown, Screening
from screening.normalize import normalize
from screening.pipeline.registry import build_analyzers, history_analyzer
from screening.resources import rules_dir
from screening.score import BandPolicy, score_outcomes
from screening.score.coverage import apply_coverage
from screening.store.backend import is_postgres
from screening.store.history import HistoryStore

Ingested = RawApplication | IngestFailure


def submission_only(triaged: Sequence[Triage], path: Path) -> RawApplication:
    """An application holding only submissions, for ``check --submission`` without a file."""
    stem = path.stem if path.is_file() else path.name
    data = ApplicationInput(id=stem or "submission", name="(submission only)")
    return RawApplication(
        data=data, attachments=tuple(triaged), origin=str(path), format="submission"
    )


def open_history(settings: Settings) -> HistoryStore:
    """The configured history store, created on first use."""
    secret = read_secret(settings.history.secret, settings.history.secret_file)
    if is_postgres(settings.store.url):
        from screening.store.history_pg import PostgresHistory

        return PostgresHistory.open_url(str(settings.store.url), secret)
    return HistoryStore.open(settings.store.sqlite_path(), secret)


def attach_history(engine: Engine, record: bool = True) -> Engine:
    """``engine`` looking up reuse in the configured store, recording unless told not to."""
    store = open_history(engine.settings)
    return engine.with_history(store, record=record and engine.settings.history.record)


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
    history: HistoryAnalyzer | None = None  # records every screening into its store when set
    csv_columns: ColumnMap | None = None  # --columns FILE: a CSV header map instead of presets
    _list_warnings: dict[dt.date, list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls,
        settings: Settings | None = None,
        rule_dirs: Sequence[Path] = (),
        *,
        clock: Clock | None = None,
        offline: bool | None = None,
        include_shipped: bool = True,
        extra_analyzers: Sequence[Analyzer] = (),
        strict: bool = False,
    ) -> Engine:
        """Load analyzers and packs (shipped, then configured, then ``rule_dirs``).

        ``extra_analyzers`` run beside the registered ones (``screening.pipeline.registry``): an
        extra analyzer of a registered family replaces it, one of a new family adds its facts to
        the catalogue so the rule packs can read them. ``strict`` raises an analyzer's failure
        instead of reporting its family unavailable (for test suites).
        """
        settings = settings or Settings()
        offline = settings.network.offline if offline is None else offline
        dirs = ([rules_dir()] if include_shipped else []) + [
            *settings.rules.paths,
            *rule_dirs,
        ]
        # one read of the packs: their patterns and lists go to the analyzers, their rules are
        # compiled once the analyzers' facts are known (problems of both are raised together)
        packs = read_packs(dirs, disabled_patterns=settings.rules.disabled_patterns)
        analyzers = build_analyzers(
            settings, offline, rule_dirs=rule_dirs, extra=extra_analyzers, packs=packs
        )
        settings.lists.choices().check()  # after the analyzers registered their lists
        catalogue = build_catalogue(analyzers)
        known_fps = rules_dir() / "known-fps.yml"
        ruleset = load_ruleset(
            packs,
            catalogue,
            weight_overrides=settings.rules.weights,
            disabled=settings.rules.disabled,
            known_fps=known_fps if known_fps.is_file() else None,
        )
        bands = settings.bands
        policy = BandPolicy(bands.medium, bands.high, bands.critical, dict(bands.next_steps))
        context = AnalysisContext(clock=clock or SystemClock(), offline=offline, strict=strict)
        engine = cls(
            settings=settings,
            analyzers=analyzers,
            catalogue=catalogue,
            ruleset=ruleset,
            policy=policy,
            limits=settings.limits.to_limits(),
            context=context,
            # the report's employment timeline needs the timeline facts whatever the rules read
            needed=set(ruleset.needed_families()) | {"timeline"},
        )
        # load the network and sanctions lists now (their sources say how many entries each
        # holds), so the first screening is not the one that pays for reading them
        _ = engine._sources
        return engine

    def read(self, path: Path) -> list[Ingested]:
        """Stage 1: every application in a file (a CSV gives one per row)."""
        return read_path(path, self.limits, self.csv_columns)

    def iter_read(self, path: Path) -> Iterator[Ingested]:
        """``read`` one application at a time (a long CSV export is never held whole)."""
        return iter_path(path, self.limits, self.csv_columns)

    def triage_submission(self, path: Path, yara_rules: Sequence[Path] = ()) -> Triage:
        """Stage 1 for a take-home project or portfolio the reviewer passes (folder or archive)."""
        from screening.ingest.triage.submission import compile_yara, triage_submission

        rules = compile_yara(yara_rules) if yara_rules else None
        return triage_submission(path, self.limits, rules, self.settings.lists.dir)

    def screen(self, raw: RawApplication) -> Screening:
        """Stages 2-5 for one application."""
        app = normalize(raw, self.settings.phone.default_region)
        budget = Budget(self.budget_seconds)
        facts = run_analyzers(app, self.analyzers, self.context, self.needed, budget)
        outcomes = self.ruleset.evaluate(facts, budget)
        findings, breakdown = score_outcomes(outcomes, self._infos, self.policy)
        not_evaluated = self.ruleset.not_evaluated(outcomes, facts)
        breakdown = apply_coverage(
            breakdown, findings, not_evaluated, len(outcomes), self.settings.bands.min_coverage
        )
        return Screening(
            application=ApplicationSummary(
                id=app.id, name=app.name.display, source=app.source, file=raw.origin or None
            ),
            score=breakdown,
            findings=findings,
            not_evaluated=not_evaluated,
            checks=[facts.checks[a.name] for a in self.analyzers if a.name in facts.checks],
            sources=list(self._sources),
            packs=list(self.ruleset.packs),
            facts=facts,
            generated_at=self.context.clock.now().astimezone(dt.UTC),
            rules_evaluated=len(outcomes),
            notes=self._notes(raw) + budget.note() + self._record(app, breakdown),
            input_notes=list(app.notes),
            read=app,
        )

    def with_history(self, store: HistoryStore | None, *, record: bool = True) -> Engine:
        """This engine looking up reuse in ``store`` and, with ``record``, recording into it."""
        analyzer = history_analyzer(self.settings, store)
        return replace(
            self,
            analyzers=[analyzer if a.name == analyzer.name else a for a in self.analyzers],
            history=analyzer if store is not None and record else None,
        )

    def _record(self, app: Application, breakdown: ScoreBreakdown) -> list[str]:
        # after scoring, so an application is only ever compared with earlier ones
        if self.history is None:
            return []
        now = self.context.clock.now()
        return self.history.record(app, breakdown.score, breakdown.band.value, now)

    @property
    def budget_seconds(self) -> float:
        """The time budget of one application: ``[limits] screening_seconds``, plus the network
        budget when lookups may run."""
        extra = 0.0 if self.context.offline else self.settings.network.budget_seconds
        return self.limits.screening_seconds + extra

    @cached_property
    def _infos(self) -> dict[str, RuleInfo]:
        return {rule.info.id: rule.info for rule in self.ruleset.rules}

    @cached_property
    def _sources(self) -> list[Source]:
        # list versions and dates do not change while the engine lives: read them once
        return [
            Source("screening engine", __version__),
            *collect_sources(self.analyzers, self.needed),
        ]

    def _notes(self, raw: RawApplication) -> list[str]:
        notes = list(self.ruleset.notes) + list(self.ruleset.sensitive_warnings)
        today = self.context.clock.now().astimezone(dt.UTC).date()
        if today not in self._list_warnings:  # list files are read once a day, not per screening
            choices = self.settings.lists.choices()
            self._list_warnings[today] = stale_warnings(self.needed, choices, today)
        notes += self._list_warnings[today]
        for doc in raw.documents:
            label = doc.file_name or doc.kind.replace("_", " ")
            if doc.status is DocumentStatus.SKIPPED:
                notes.append(f"{label} was not read: {doc.reason}")
            elif doc.reason:
                notes.append(f"{label}: {doc.reason}")
        return notes
