"""Stage 5 of 6 (score): how much could be checked is part of the verdict.

A low score means "nothing found", not "nothing wrong": an application with a name and an email
address leaves most rules unevaluated, and "no extra checks" would then read as a clean bill.
So the breakdown records how many rules could be checked, and the low band's next step changes:

- when fewer than ``min_coverage`` of the rules could be checked, it says so and asks for what
  the missing facts would have come from (a phone number, the work history, a resume ...);
- when a finding is titled for compliance review, it sends the application there, whatever the
  score (such findings carry little weight by design, so they never raise the band).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace

from screening.model.findings import Finding, NotEvaluated
from screening.model.screening import Band, ScoreBreakdown

MIN_COVERAGE = 0.4
"""Default share of rules that must be checkable before a low score may say "no extra checks"."""

MAX_ASKS = 3

# fact namespace -> what to ask the candidate or the ATS for, so those facts can be computed
# (only what is reasonable to ask of an applicant: no payment or device details before hire)
ASKS = {
    "phones": "a phone number",
    "phone_lines": "a phone number",
    "employment": "the work history with dates",
    "timeline": "the work history with dates",
    "experience_claims": "the work history with dates",
    "education": "the education history",
    "references": "professional references",
    "language": "a resume",
    "phrases": "a resume",
    "documents": "the resume file",
    "ips": "the IP address the application was sent from",
    "ip_summary": "the IP address the application was sent from",
    "network": "the IP address the application was sent from",
    "links": "profile links (LinkedIn, GitHub)",
    "addresses": "a postal address",
    "emails": "an email address",
}


def apply_coverage(
    breakdown: ScoreBreakdown,
    findings: Sequence[Finding],
    not_evaluated: Sequence[NotEvaluated],
    total: int,
    min_coverage: float = MIN_COVERAGE,
) -> ScoreBreakdown:
    """``breakdown`` with the rules checked counted and the low band's next step adjusted."""
    checked = max(0, total - len(not_evaluated))
    out = replace(breakdown, rules_checked=checked, rules_total=total)
    if breakdown.band is not Band.LOW:
        return out
    compliance = [f.rule.title for f in findings if "compliance" in f.rule.title.casefold()]
    if compliance:
        return replace(
            out,
            next_step=f'Send the finding "{compliance[0]}" to compliance for review before any '
            "offer; the score alone calls for no further step.",
        )
    if total and checked / total < min_coverage:
        asks = _asks(n.missing for n in not_evaluated)
        wanted = f": ask for {_listed(asks)}" if asks else ""
        return replace(
            out,
            next_step=f"Little could be checked ({checked} of {total} rules){wanted}, then "
            "screen again before relying on this low score.",
        )
    return out


def _asks(missing: Iterable[Sequence[str]]) -> list[str]:
    counts: Counter[str] = Counter()
    for paths in missing:
        for ask in {ASKS[p.split(".", 1)[0]] for p in paths if p.split(".", 1)[0] in ASKS}:
            counts[ask] += 1
    return [ask for ask, _ in counts.most_common(MAX_ASKS)]


def _listed(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
