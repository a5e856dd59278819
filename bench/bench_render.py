"""Benchmark of stage 6 (report): render one realistic screening as HTML, Markdown and JSON.

Target (from the report stage's brief): median HTML render <= 3 ms for a screening with about
eight findings, on a two-core machine. The first call per format compiles the template and is
left out of the figures; a long-running process (batch, server) pays it once.

    python bench/bench_render.py [--runs 500]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import statistics
import time

from screening.model.facts import Check, CheckStatus, FactSet, FamilyResult, Source
from screening.model.findings import (
    Category,
    Evidence,
    Finding,
    NotEvaluated,
    RuleInfo,
    RuleStatus,
    Severity,
)
from screening.model.screening import ApplicationSummary, Band, PackInfo, ScoreBreakdown, Screening
from screening.report import render

_FINDINGS = [
    ("contact.voip-outside-claimed-country", "VoIP number registered outside the claimed country",
     Category.INFRASTRUCTURE, Severity.MEDIUM, 0.35,
     (("phones.e164", "+15550100199"), ("phones.line_type", "voip"), ("phones.region", "US"))),
    ("network.vpn-at-application", "Application sent through a commercial VPN",
     Category.INFRASTRUCTURE, Severity.HIGH, 0.5,
     (("network.vpn", True), ("network.providers", ["Astrill", "ExampleVPN"]))),
    ("identity.email-name-mismatch", "Email address unrelated to the candidate name",
     Category.IDENTITY, Severity.LOW, 0.15,
     (("emails.address", "dev.star@example.com"), ("emails.name_similarity", 0.12))),
    ("identity.timeline-overlap", "Two full-time roles overlap for more than a year",
     Category.IDENTITY, Severity.MEDIUM, 0.25,
     (("employment.start", dt.date(2019, 3, 1)), ("employment.overlap_days", 420))),
    ("language.resume-template-clone", "Resume text matches a known template",
     Category.LANGUAGE, Severity.MEDIUM, 0.3, (("resume.template_similarity", 0.93),)),
    ("payment.crypto-payout-request", "Asks to be paid in digital currency",
     Category.PAYMENT, Severity.HIGH, 0.45,
     (("payment.method", "crypto"), ("payment.wallet_shared", False))),
    ("device.ship-to-other-address", "Equipment to be shipped to a different address",
     Category.DEVICE, Severity.LOW, 0.1, (("devices.ship_to_differs", True),)),
    ("behavior.references-confirmed", "References confirmed by a live call",
     Category.BEHAVIOR, Severity.INFO, -0.2, (("references.confirmed", 2),)),
]  # fmt: skip


def _noisy_or(weights: list[float]) -> float:
    risk = 1.0 - math.prod(1.0 - w for w in weights if w > 0)
    return 100.0 * risk * math.prod(1.0 + w for w in weights if w < 0)


def build() -> Screening:
    """A screening shaped like a real one: eight findings, gaps, checks, sources, a timeline."""
    weights = [f[4] for f in _FINDINGS]
    total = _noisy_or(weights)
    findings = []
    for i, (rid, title, category, severity, weight, evidence) in enumerate(_FINDINGS):
        rule = RuleInfo(
            rid, title, category, severity, RuleStatus.STABLE, weight, weight,
            "Flags a pattern described in public advisories on impostor remote workers.",
            "Confirm the detail on a live video call before the next interview round.",
            ("FBI/State/Treasury DPRK IT worker advisory, 2022-05-16",),
            ("Privacy-minded candidates", "Shared family devices"), "core",
        )  # fmt: skip
        others = weights[:i] + weights[i + 1 :]
        findings.append(
            Finding(
                rule,
                f"{title}: value {evidence[0][1]} for {evidence[0][0]}.",
                tuple(Evidence(p, v) for p, v in evidence),
                weight,
                total - _noisy_or(others),
            )
        )
    categories = {}
    for category in Category:
        ws = [f.weight for f in findings if f.rule.category is category]
        if ws:
            categories[str(category)] = _noisy_or(ws)
    facts = FactSet()
    facts.add(
        "employment",
        FamilyResult(
            records={
                "employment": [
                    {"employer": "Example Corp", "title": "Backend engineer",
                     "start": dt.date(2016, 1, 1), "end": dt.date(2020, 6, 30), "current": False},
                    {"employer": "Sample Labs", "title": "Senior engineer",
                     "start": dt.date(2019, 3, 1), "end": None, "current": True},
                    {"employer": "Demo Startup", "title": "Engineer",
                     "start": dt.date(2012, 9, 1), "end": dt.date(2015, 12, 31), "current": False},
                ]
            }
        ),
    )  # fmt: skip
    return Screening(
        application=ApplicationSummary("native-0001", "Jordan Avery", "native", "jordan.yml"),
        score=ScoreBreakdown(
            total, Band.HIGH, "Verify identity on live video with a document.", categories
        ),
        findings=findings,
        not_evaluated=[
            NotEvaluated(
                "email.domain-undeliverable",
                "Email domain accepts no mail",
                ("emails.mx_present",),
                ("dns: resolver timed out",),
            )
        ],
        checks=[
            Check("phones", CheckStatus.OK),
            Check("documents", CheckStatus.SKIPPED, "no resume attached"),
            Check("dns", CheckStatus.UNAVAILABLE, "resolver timed out"),
        ],
        sources=[Source("OFAC SDN list", "2024-05-03"), Source("disposable domains", "0.0.103")],
        packs=[PackInfo("core", "1.2.0", 42, "Core rules")],
        facts=facts,
        generated_at=dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.UTC),
        rules_evaluated=43,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    args = parser.parse_args()
    screening = build()
    for fmt in ("html", "md", "json"):
        size = len(render(screening, fmt))  # warm-up: compiles the template once
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            render(screening, fmt)
            times.append(time.perf_counter() - start)
        times.sort()
        median = statistics.median(times) * 1000
        p95 = times[min(len(times) - 1, math.ceil(0.95 * len(times)) - 1)] * 1000
        print(f"render({fmt!r:6}) median {median:6.3f} ms  p95 {p95:6.3f} ms  ({size} chars)")


if __name__ == "__main__":
    main()
