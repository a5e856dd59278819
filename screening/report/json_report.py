"""Stage 6 of 6 (report): the machine-readable report, contract ``screening/report@1``.

The contract ``screening/report@1`` fixes the field names; fields may be added but none renamed
or removed without a new schema version (``report_schema.json`` beside this module describes
it). The dict is built from the same
``ReportView`` as HTML and Markdown, so the formats agree on order and rounding, and its keys
are inserted in a fixed order so the same screening always serialises to the same bytes. Added
beyond the contract: ``threats`` (the threat-category findings, first), ``application.file``,
``next_step``, ``rules_evaluated``, ``formula``, ``notes``, finding
``status``/``default_weight``/``pack``, ``not_evaluated`` ``title``/``reasons``, pack ``title``,
``input_notes`` (what intake assumed: field, kind, message), ``read`` (the application as the
tool understood it), finding and evidence ``read_refs`` (the parts of ``read`` the evidence is
about, as paths such as ``employment[2]``), ``coverage`` (rules checked of those run) and an
empty ``review`` block for the reviewer's resolution (principle 4).
"""

from __future__ import annotations

from screening.model.screening import Screening
from screening.report.view import FindingView, ReportView, build_view

SCHEMA = "screening/report@1"


def to_json_dict(screening: Screening) -> dict[str, object]:
    """The report@1 document of one screening, ready for ``json.dumps``."""
    return view_to_json_dict(build_view(screening))


def view_to_json_dict(view: ReportView) -> dict[str, object]:
    """The JSON document of an already built view (so several formats share one view)."""
    app = view.application
    return {
        "schema": SCHEMA,
        "application": {"id": app.id, "name": app.name, "source": app.source, "file": app.file},
        "threats": [_finding(f) for f in view.threats],
        "score": view.score,
        "band": view.band,
        "next_step": view.next_step,
        "categories": {c.name: c.score for c in view.categories},
        "findings": [_finding(f) for f in view.findings],
        "not_evaluated": [
            {"id": n.id, "title": n.title, "missing": list(n.missing), "reasons": list(n.reasons)}
            for n in view.not_evaluated
        ],
        "checks": [
            {"analyzer": c.analyzer, "status": c.status, "reason": c.reason} for c in view.checks
        ],
        "sources": [{"name": s.name, "version_or_date": s.version_or_date} for s in view.sources],
        "packs": [
            {"id": p.id, "version": p.version, "rules": p.rules, "title": p.title}
            for p in view.packs
        ],
        "generated_at": view.generated_at,
        "rules_evaluated": view.rules_evaluated,
        "formula": {"name": view.formula.name, "text": view.formula.text},
        "notes": list(view.notes),
        "input_notes": [
            {"field": n.field, "kind": n.kind, "message": n.message} for n in view.input_notes.notes
        ],
        "read": view.read.data,
        "coverage": {"rules_checked": view.rules_checked, "rules_total": view.rules_total},
        "review": {"resolution": None, "reviewer": None, "date": None, "notes": None},
    }


def _finding(f: FindingView) -> dict[str, object]:
    return {
        "id": f.id,
        "title": f.title,
        "category": f.category,
        "severity": f.severity,
        "weight": f.weight,
        "default_weight": f.default_weight,
        "contribution": f.contribution,
        "explain": f.explain,
        "evidence": [
            {"path": e.path, "value": e.data, "read_refs": [r.key for r in e.refs]}
            for e in f.evidence
        ],
        "description": f.description,
        "guidance": f.guidance,
        "references": list(f.references),
        "falsepositives": list(f.falsepositives),
        "evasion": list(f.evasion),
        "status": f.status,
        "pack": f.pack,
        "read_refs": list(f.read_refs),
    }
