"""Noisy-OR scoring with per-finding contributions (docs/rules.md, "A rule file").

``score = 100 * (1 - prod(1 - w))`` over positive weights, times ``prod(1 + w)`` over negative
(mitigating) ones. Each finding's contribution is its share of that total: positive findings
split the risk part in proportion to ``-ln(1 - w)`` (their share of the product), mitigating ones
split the reduction in proportion to ``-ln(1 + w)``. Contributions therefore add up to the score,
and the score can be recomputed from the weights listed in the report.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from screening.model.findings import Category, Finding, Outcome, RuleInfo, RuleOutcome
from screening.model.screening import ScoreBreakdown
from screening.score.bands import BandPolicy

_CAP = 0.999999  # a weight of exactly 1 would make the logarithm infinite


def noisy_or(weights: Iterable[float]) -> float:
    """Score 0-100 of a set of weights."""
    risk = 1.0
    mitigation = 1.0
    for w in weights:
        if w > 0:
            risk *= 1.0 - min(w, _CAP)
        elif w < 0:
            mitigation *= 1.0 + max(w, -_CAP)
    return 100.0 * (1.0 - risk) * mitigation


def contributions(weights: Sequence[float]) -> list[float]:
    """Each weight's share of ``noisy_or(weights)``; the shares sum to the score."""
    pos = [-math.log(1.0 - min(w, _CAP)) if w > 0 else 0.0 for w in weights]
    neg = [-math.log(1.0 + max(w, -_CAP)) if w < 0 else 0.0 for w in weights]
    risk = 100.0 * (1.0 - math.exp(-sum(pos)))
    final = noisy_or(weights)
    reduction = risk - final
    out = []
    for p, n in zip(pos, neg, strict=True):
        if p:
            out.append(risk * p / sum(pos))
        elif n:
            out.append(-reduction * n / sum(neg))
        else:
            out.append(0.0)
    return out


def score_outcomes(
    outcomes: Sequence[RuleOutcome], infos: Mapping[str, RuleInfo], policy: BandPolicy
) -> tuple[list[Finding], ScoreBreakdown]:
    """Findings for matched rules (largest contribution first) and the score breakdown."""
    matched = [o for o in outcomes if o.outcome is Outcome.MATCH]
    weights = [infos[o.rule_id].weight for o in matched]
    shares = contributions(weights)
    findings = [
        Finding(
            rule=infos[o.rule_id],
            explain=o.explain,
            evidence=o.evidence,
            weight=infos[o.rule_id].weight,
            contribution=share,
        )
        for o, share in zip(matched, shares, strict=True)
    ]
    findings.sort(key=lambda f: (-f.contribution, f.rule.severity != "critical", f.id))
    score = round(noisy_or(weights), 1)
    categories = {
        c.value: round(noisy_or(f.weight for f in findings if f.rule.category is c), 1)
        for c in Category
    }
    band = policy.band_for(score)
    return findings, ScoreBreakdown(
        score=score, band=band, next_step=policy.next_step(band), categories=categories
    )
