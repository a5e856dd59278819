"""Stage 6 of 6 (report): ``Screening`` -> ``ReportView``, the one view-model every format renders.

Templates hold no logic, so every decision a report makes is taken here: order (findings by
contribution), rounding, how a fact value reads (lists joined, dates ISO, booleans yes/no), which
categories appear (all six, zero when quiet), how the score can be recomputed, what the
employment timeline shows. HTML, Markdown and JSON all read the same view, so they cannot
disagree. The view holds plain values only (text, numbers, tuples, small frozen dataclasses).

Principle 4 (signals, not verdicts) lives here too: the view carries an empty reviewer-resolution
block and never a decision.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from screening.model.facts import CheckStatus, FactSet, FactValue, json_value
from screening.model.findings import Category, Evidence, Finding, RuleStatus, Severity
from screening.model.screening import Screening
from screening.report.read_links import ReadLinks, ReadRef, finding_refs
from screening.report.read_view import (
    Citation,
    InputNotesView,
    ReadView,
    anchor,
    input_notes_view,
    read_view,
    ref_label,
)
from screening.report.svg import MAX_ROLES, TimelineRole, category_chart, employment_timeline

HEADING = "Signals for review"
DECISION_OPTIONS = ("cleared", "verify further", "escalate")
RESOLUTION_FIELDS = ("Reviewer", "Date")
TOP_FINDINGS = 5
"""Findings listed in the compact (Markdown) note; the full report lists all."""

MAX_VALUE_CHARS = 500
"""Longest evidence value shown as text; longer values are cut with a count of what was cut."""

FORMULA_TEXT = (
    "score = 100 × (1 − ∏(1 − w)) over the positive weights w of the findings, then multiplied "
    "by ∏(1 + w) over the negative (mitigating) weights. Each category subtotal is computed the "
    "same way from that category's findings. The score can be recomputed from the weights "
    "listed with each finding."
)

_CHECK_ORDER = {CheckStatus.UNAVAILABLE: 0, CheckStatus.SKIPPED: 1, CheckStatus.OK: 2}


@dataclass(frozen=True, slots=True)
class ApplicationView:
    """Who was screened (``source`` and ``file`` are None when not recorded)."""

    id: str
    name: str
    source: str | None
    file: str | None


@dataclass(frozen=True, slots=True)
class CategoryView:
    """One category's subtotal (0-100) and how many findings it holds."""

    name: str
    score: float
    score_text: str
    findings: int


@dataclass(frozen=True, slots=True)
class ReadRefView:
    """A link from evidence to "What was read": ``key`` as in the JSON ``read`` field
    (``employment[2]``), the HTML ``anchor`` and the ``label`` a reader sees ("Employment 3")."""

    key: str
    anchor: str
    label: str


@dataclass(frozen=True, slots=True)
class EvidenceView:
    """One matched fact: its path, its value as display text and as JSON data, and the parts of
    "What was read" it is about."""

    path: str
    value: str
    data: object
    refs: tuple[ReadRefView, ...] = ()


@dataclass(frozen=True, slots=True)
class FindingView:
    """A finding as a reviewer reads it; ``default_weight_text`` is empty unless overridden."""

    id: str
    title: str
    category: str
    severity: str
    status: str
    weight: float
    default_weight: float
    overridden: bool
    weight_text: str
    default_weight_text: str
    contribution: float
    contribution_text: str
    explain: str
    evidence: tuple[EvidenceView, ...]
    description: str
    guidance: str
    references: tuple[str, ...]
    falsepositives: tuple[str, ...]
    pack: str
    experimental: bool
    evasion: tuple[str, ...] = ()
    number: int = 0
    anchor: str = ""
    read_refs: tuple[str, ...] = ()
    """The keys of every part of "What was read" the evidence is about, in evidence order."""


@dataclass(frozen=True, slots=True)
class NotEvaluatedView:
    """A rule that could not be evaluated, the facts it lacked and why."""

    id: str
    title: str
    missing: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CheckView:
    """An analyzer's status; ``ok`` is False for skipped and unavailable ones."""

    analyzer: str
    status: str
    reason: str
    ok: bool


@dataclass(frozen=True, slots=True)
class SourceView:
    """A list or database used, with its version or date."""

    name: str
    version_or_date: str


@dataclass(frozen=True, slots=True)
class PackView:
    """A rule pack that was loaded."""

    id: str
    version: str
    rules: int
    title: str


@dataclass(frozen=True, slots=True)
class FormulaView:
    """How the score is computed, with the computation written out for this application."""

    name: str
    text: str
    worked: str
    recomputed: float


@dataclass(frozen=True, slots=True)
class RoleView:
    """One role of the employment history as text (dates ISO, ``end`` may read "present")."""

    employer: str
    title: str
    start: str
    end: str
    note: str


@dataclass(frozen=True, slots=True)
class ResolutionView:
    """The blank block a reviewer fills in: the tool never decides (principle 4)."""

    options: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything any report format shows about one screening, ready to print."""

    heading: str
    application: ApplicationView
    score: float
    score_text: str
    band: str
    next_step: str
    categories: tuple[CategoryView, ...]
    findings: tuple[FindingView, ...]
    top_findings: tuple[FindingView, ...]
    threats: tuple[FindingView, ...]  # active content in the files: shown first in every format
    not_evaluated: tuple[NotEvaluatedView, ...]
    checks: tuple[CheckView, ...]
    checks_unavailable: int
    checks_skipped: int
    sources: tuple[SourceView, ...]
    packs: tuple[PackView, ...]
    generated_at: str
    generated_display: str
    notes: tuple[str, ...]
    rules_evaluated: int
    formula: FormulaView
    timeline: tuple[RoleView, ...]
    timeline_note: str
    category_svg: Markup
    timeline_svg: Markup
    resolution: ResolutionView
    read: ReadView
    input_notes: InputNotesView
    rules_checked: int
    rules_total: int
    coverage_text: str


_SEVERITY_RANK = {s.value: rank for rank, s in enumerate(Severity)}


def build_view(screening: Screening) -> ReportView:
    """The view-model of one screening; the only place report content is decided."""
    ordered = sorted(screening.findings, key=lambda f: (-f.contribution, f.id))
    links = ReadLinks(screening.read, screening.facts)
    evidence_refs = [[links.refs(e) for e in f.evidence] for f in ordered]
    read = read_view(screening.read, _citations(ordered, evidence_refs))
    findings = tuple(
        _finding(f, n, refs, read)
        for n, (f, refs) in enumerate(zip(ordered, evidence_refs, strict=True), start=1)
    )
    categories = _categories(screening)
    checks = tuple(
        CheckView(c.analyzer, str(c.status), c.reason, c.status is CheckStatus.OK)
        for c in sorted(screening.checks, key=lambda c: (_CHECK_ORDER[c.status], c.analyzer))
    )
    report_date = _utc(screening.generated_at).date()
    roles = _roles(screening.facts)
    svg = employment_timeline(roles, report_date)
    app = screening.application
    score = round(float(screening.score.score), 1)
    return ReportView(
        heading=HEADING,
        application=ApplicationView(app.id, app.name, app.source, app.file),
        score=score,
        score_text=f"{score:.1f}",
        band=str(screening.score.band),
        next_step=screening.score.next_step,
        categories=categories,
        findings=findings,
        top_findings=findings[:TOP_FINDINGS],
        threats=tuple(
            sorted(
                (f for f in findings if f.category == Category.THREAT.value),
                key=lambda f: -_SEVERITY_RANK[f.severity],
            )
        ),
        not_evaluated=tuple(
            NotEvaluatedView(n.rule_id, n.title, n.missing, n.reasons)
            for n in sorted(screening.not_evaluated, key=lambda n: n.rule_id)
        ),
        checks=checks,
        checks_unavailable=sum(c.status == CheckStatus.UNAVAILABLE for c in checks),
        checks_skipped=sum(c.status == CheckStatus.SKIPPED for c in checks),
        sources=tuple(SourceView(s.name, s.version_or_date) for s in screening.sources),
        packs=tuple(PackView(p.id, p.version, p.rules, p.title) for p in screening.packs),
        generated_at=utc_iso(screening.generated_at),
        generated_display=utc_display(screening.generated_at),
        notes=tuple(screening.notes),
        rules_evaluated=screening.rules_evaluated,
        formula=_formula(screening.score.formula, screening.findings),
        timeline=tuple(_role_view(r, report_date) for r in sorted(roles, key=_role_key)),
        timeline_note=_timeline_note(len(roles)),
        category_svg=category_chart([(c.name, c.score) for c in categories]),
        timeline_svg=svg if svg is not None else Markup(""),
        resolution=ResolutionView(DECISION_OPTIONS, RESOLUTION_FIELDS),
        read=read,
        input_notes=input_notes_view(screening.input_notes),
        rules_checked=screening.score.rules_checked,
        rules_total=screening.score.rules_total,
        coverage_text=_coverage_text(screening.score.rules_checked, screening.score.rules_total),
    )


def _coverage_text(checked: int, total: int) -> str:
    """``58 of 69 rules could be checked (84 %)``; empty when not recorded."""
    if not total:
        return ""
    return f"{checked} of {total} rules could be checked ({round(100 * checked / total)} %)"


def display_value(value: FactValue) -> str:
    """A fact value as a reviewer reads it: lists joined, dates ISO, booleans yes/no."""
    text = _display(value, 0)
    if len(text) > MAX_VALUE_CHARS:
        cut = len(text) - MAX_VALUE_CHARS
        return f"{text[:MAX_VALUE_CHARS]}… ({cut} more characters)"
    return text


def utc_iso(moment: dt.datetime) -> str:
    """``moment`` as ISO-8601 UTC with a ``Z`` (naive times are taken to be UTC already)."""
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_display(moment: dt.datetime) -> str:
    """``moment`` as a reviewer reads it, in UTC."""
    return _utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _display(value: FactValue, depth: int) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return value
    if depth >= 3:
        return "…"
    if isinstance(value, set | frozenset):
        return ", ".join(sorted(_display(v, depth + 1) for v in value)) or "(empty)"
    if isinstance(value, list | tuple):
        return ", ".join(_display(v, depth + 1) for v in value) or "(empty)"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_display(v, depth + 1)}" for k, v in value.items()) or "(empty)"
    return str(value)


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def _finding_anchor(number: int) -> str:
    return f"finding-{number}"


def _citations(
    findings: Sequence[Finding], evidence_refs: Sequence[Sequence[tuple[ReadRef, ...]]]
) -> dict[str, tuple[Citation, ...]]:
    """Read key -> the findings (in report order) whose evidence is about it."""
    cited: dict[str, list[Citation]] = {}
    for number, (finding, refs) in enumerate(zip(findings, evidence_refs, strict=True), start=1):
        citation = Citation(_finding_anchor(number), number, finding.rule.title)
        for ref in finding_refs(finding.evidence, refs):
            cited.setdefault(ref.key, []).append(citation)
    return {key: tuple(citations) for key, citations in cited.items()}


def _ref_views(refs: tuple[ReadRef, ...], read: ReadView) -> tuple[ReadRefView, ...]:
    """Refs that have a place in the report; an item beyond the listed ones links to its part."""
    views: dict[str, ReadRefView] = {}
    for ref in refs:
        if not read.has(ref.part):
            continue
        shown = ref.index is not None and read.shown(ref.part, ref.index)
        target = anchor(ref.part, ref.index) if shown else anchor(ref.part)
        views.setdefault(ref.key, ReadRefView(ref.key, target, ref_label(ref.part, ref.index)))
    return tuple(views.values())


def _finding(
    finding: Finding, number: int, refs: Sequence[tuple[ReadRef, ...]], read: ReadView
) -> FindingView:
    rule = finding.rule
    evidence = tuple(
        _evidence(e, _ref_views(r, read)) for e, r in zip(finding.evidence, refs, strict=True)
    )
    overridden = not math.isclose(finding.weight, rule.default_weight, abs_tol=1e-9)
    contribution = round(float(finding.contribution), 2)
    return FindingView(
        id=rule.id,
        title=rule.title,
        category=str(rule.category),
        severity=str(rule.severity),
        status=str(rule.status),
        weight=float(finding.weight),
        default_weight=float(rule.default_weight),
        overridden=overridden,
        weight_text=f"{finding.weight:g}",
        default_weight_text=f"{rule.default_weight:g}" if overridden else "",
        contribution=contribution,
        contribution_text=f"{contribution:+.1f}",
        explain=finding.explain,
        evidence=evidence,
        description=rule.description,
        guidance=rule.guidance,
        references=rule.references,
        falsepositives=rule.falsepositives,
        pack=rule.pack,
        experimental=rule.status is RuleStatus.EXPERIMENTAL,
        evasion=rule.evasion,
        number=number,
        anchor=_finding_anchor(number),
        read_refs=tuple(r.key for r in finding_refs(finding.evidence, refs) if read.has(r.part)),
    )


def _evidence(evidence: Evidence, refs: tuple[ReadRefView, ...]) -> EvidenceView:
    value = evidence.value
    return EvidenceView(evidence.path, display_value(value), json_value(value), refs)


def _categories(screening: Screening) -> tuple[CategoryView, ...]:
    counts = dict.fromkeys(Category, 0)
    for f in screening.findings:
        counts[f.rule.category] += 1
    subtotals = screening.score.categories
    views = []
    for c in Category:
        score = round(float(subtotals.get(str(c), 0.0)), 1)
        views.append(CategoryView(str(c), score, f"{score:.1f}", counts[c]))
    return tuple(views)


def _formula(name: str, findings: Sequence[Finding]) -> FormulaView:
    """The noisy-OR written out with this application's weights, so anyone can redo it."""
    positive = sorted((f.weight for f in findings if f.weight > 0), reverse=True)
    negative = sorted(f.weight for f in findings if f.weight < 0)
    risk = 1.0 - math.prod(1.0 - w for w in positive)
    recomputed = round(100.0 * risk * math.prod(1.0 + w for w in negative), 1)
    if positive:
        worked = "100 × (1 − " + " × ".join(f"(1 − {w:g})" for w in positive) + ")"
    else:
        worked = "100 × 0 (no finding with a positive weight)"
    if negative:
        worked += " × " + " × ".join(f"(1 − {-w:g})" for w in negative)
    return FormulaView(name, FORMULA_TEXT, f"{worked} = {recomputed:.1f}", recomputed)


def _roles(facts: FactSet) -> list[TimelineRole]:
    """Roles from the ``employment`` namespace; a record without a start date has no place."""
    roles: list[TimelineRole] = []
    for record in facts.namespace("employment"):
        start = _as_date(record.get("start"))
        if start is None:
            continue
        roles.append(
            TimelineRole(
                employer=_text(record.get("employer"), "(employer not given)"),
                title=_text(record.get("title"), "(title not given)"),
                start=start,
                end=_as_date(record.get("end")),
                current=record.get("current") is True,
            )
        )
    return roles


def _role_key(role: TimelineRole) -> tuple[dt.date, str]:
    return role.start, role.employer


def _role_view(role: TimelineRole, report_date: dt.date) -> RoleView:
    if role.end is not None:
        end = role.end.isoformat()
    else:
        end = "present" if role.current else "not given"
    last = role.end or report_date
    note = "start is after the end" if last < role.start else ""
    return RoleView(role.employer, role.title, role.start.isoformat(), end, note)


def _timeline_note(count: int) -> str:
    if count == 0:
        return "No employment history with start dates was given, so there is no timeline."
    if count > MAX_ROLES:
        return f"The chart shows the first {MAX_ROLES} of {count} roles; the table lists all."
    return ""


def _as_date(value: FactValue) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def _text(value: FactValue, missing: str) -> str:
    return missing if value is None or value == "" else display_value(value)
