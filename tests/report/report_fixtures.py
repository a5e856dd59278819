"""Hand-built screenings and an HTML parser for the report tests (synthetic data only).

The score and category subtotals are computed here with the noisy-OR of docs/rules.md,
independently of the score stage, so the tests can check that a report lets a reader recompute
them.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser

from screening.model.facts import Check, CheckStatus, FactSet, FactValue, FamilyResult, Source
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

GENERATED_AT = dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.UTC)


def noisy_or(weights: Sequence[float]) -> float:
    """Noisy-OR: 100 x (1 - prod(1 - w+)) x prod(1 + w-)."""
    risk = 1.0 - math.prod(1.0 - w for w in weights if w > 0)
    return 100.0 * risk * math.prod(1.0 + w for w in weights if w < 0)


def shares(weights: Sequence[float]) -> list[float]:
    """Contributions that add up to the score: the risk split in proportion to -ln(1 - w),
    the mitigation in proportion to -ln(1 + w) (as the score stage reports them)."""
    pos = [-math.log(1.0 - w) if w > 0 else 0.0 for w in weights]
    neg = [-math.log(1.0 + w) if w < 0 else 0.0 for w in weights]
    risk = 100.0 * (1.0 - math.exp(-sum(pos)))
    reduction = risk - noisy_or(weights)
    return [
        risk * p / sum(pos) if p else -reduction * n / sum(neg) if n else 0.0
        for p, n in zip(pos, neg, strict=True)
    ]


@dataclass
class Spec:
    """A finding to build: rule fields plus weight, evidence and explain."""

    id: str
    title: str
    category: Category
    severity: Severity
    weight: float
    evidence: tuple[tuple[str, FactValue], ...]
    explain: str
    default_weight: float | None = None
    status: RuleStatus = RuleStatus.STABLE
    references: tuple[str, ...] = ("FBI/State/Treasury DPRK IT worker advisory, 2022-05-16",)
    falsepositives: tuple[str, ...] = ("Privacy-minded candidates",)
    guidance: str = "Confirm on a live call during scheduling."
    description: str = "Flags a pattern seen in impostor applications; see references."


def default_specs(evidence_value: FactValue = "+1 555 010 0199") -> list[Spec]:
    return [
        Spec(
            "contact.voip-outside-claimed-country",
            "VoIP number registered outside the claimed country",
            Category.INFRASTRUCTURE,
            Severity.MEDIUM,
            0.35,
            (("phones.e164", evidence_value), ("phones.line_type", "voip")),
            f"Phone {evidence_value} is a VoIP line numbered in US; the candidate claims DE.",
        ),
        Spec(
            "network.vpn-at-application",
            "Application sent through a commercial VPN",
            Category.INFRASTRUCTURE,
            Severity.HIGH,
            0.5,
            (("network.vpn", True), ("network.providers", ["Astrill", "ExampleVPN"])),
            "The application IP belongs to a VPN provider (Astrill).",
            default_weight=0.4,
        ),
        Spec(
            "identity.email-name-mismatch",
            "Email address unrelated to the candidate name",
            Category.IDENTITY,
            Severity.LOW,
            0.15,
            (("emails.name_similarity", 0.12), ("emails.address", "dev.star@example.com")),
            "The mailbox dev.star@example.com shares nothing with the name.",
        ),
        Spec(
            "identity.timeline-overlap",
            "Two full-time roles overlap for more than a year",
            Category.IDENTITY,
            Severity.MEDIUM,
            0.25,
            (
                ("employment.start", dt.date(2019, 3, 1)),
                ("employment.overlap_days", 420),
                ("employment.checked_at", dt.datetime(2024, 6, 1, 9, 0, tzinfo=dt.UTC)),
            ),
            "Roles at Example Corp and Sample Labs overlap by 420 days.",
        ),
        Spec(
            "language.resume-template-clone",
            "Resume text matches a known template",
            Category.LANGUAGE,
            Severity.MEDIUM,
            0.3,
            (("resume.template_similarity", 0.93),),
            "The resume is 93% similar to a circulating template.",
        ),
        Spec(
            "payment.crypto-payout-request",
            "Asks to be paid in digital currency",
            Category.PAYMENT,
            Severity.HIGH,
            0.45,
            (("payment.method", "crypto"), ("payment.wallet_shared", False)),
            "The payment preference is crypto.",
        ),
        Spec(
            "device.ship-to-other-address",
            "Equipment to be shipped to a different address",
            Category.DEVICE,
            Severity.LOW,
            0.1,
            (("devices.ship_to_differs", True),),
            "The laptop shipping address differs from the home address.",
            status=RuleStatus.TEST,
        ),
        Spec(
            "behavior.long-tenure-references",
            "References confirmed by a live call",
            Category.BEHAVIOR,
            Severity.INFO,
            -0.2,
            (("references.confirmed", 2),),
            "Two references were confirmed by phone.",
        ),
    ]


def employment_facts(roles: Sequence[dict[str, FactValue]] | None = None) -> FactSet:
    facts = FactSet()
    if roles is None:
        roles = [
            {
                "employer": "Example Corp",
                "title": "Backend engineer",
                "start": dt.date(2016, 1, 1),
                "end": dt.date(2020, 6, 30),
                "current": False,
            },
            {
                "employer": "Sample Labs",
                "title": "Senior engineer",
                "start": dt.date(2019, 3, 1),
                "end": None,
                "current": True,
            },
            {
                "employer": "Demo Startup",
                "title": "Intern",
                "start": None,
                "end": dt.date(2015, 8, 1),
                "current": False,
            },
        ]
    facts.add("employment", FamilyResult(records={"employment": [dict(r) for r in roles]}))
    return facts


def _subtotals(findings: Sequence[Finding]) -> dict[str, float]:
    out: dict[str, float] = {}
    for category in Category:
        weights = [f.weight for f in findings if f.rule.category is category]
        if weights:
            out[str(category)] = noisy_or(weights)
    return out


def build(
    *,
    name: str = "Jordan Avery",
    app_id: str = "native-0001",
    specs: Sequence[Spec] | None = None,
    roles: Sequence[dict[str, FactValue]] | None = None,
    notes: Sequence[str] = (),
    next_step: str = "Verify identity on live video with a document.",
) -> Screening:
    specs = list(default_specs() if specs is None else specs)
    weights = [s.weight for s in specs]
    total = noisy_or(weights)
    contributions = shares(weights)
    findings: list[Finding] = []
    for s, contribution in zip(specs, contributions, strict=True):
        rule = RuleInfo(
            id=s.id,
            title=s.title,
            category=s.category,
            severity=s.severity,
            status=s.status,
            weight=s.weight,
            default_weight=s.weight if s.default_weight is None else s.default_weight,
            description=s.description,
            guidance=s.guidance,
            references=s.references,
            falsepositives=s.falsepositives,
            pack="core",
        )
        findings.append(
            Finding(
                rule=rule,
                explain=s.explain,
                evidence=tuple(Evidence(p, v) for p, v in s.evidence),
                weight=s.weight,
                contribution=contribution,
            )
        )
    band = Band.CRITICAL if total >= 75 else Band.HIGH if total >= 50 else Band.MEDIUM
    return Screening(
        application=ApplicationSummary(app_id, name, "native", "applications/jordan.yml"),
        score=ScoreBreakdown(total, band, next_step, _subtotals(findings)),
        findings=findings,
        not_evaluated=[
            NotEvaluated(
                "email.domain-undeliverable",
                "Email domain accepts no mail",
                ("emails.mx_present", "emails.domain_age_days"),
                ("dns: resolver timed out",),
            )
        ],
        checks=[
            Check("phones", CheckStatus.OK),
            Check("documents", CheckStatus.SKIPPED, "no resume attached"),
            Check("dns", CheckStatus.UNAVAILABLE, "resolver timed out"),
        ],
        sources=[
            Source("OFAC SDN list", "2024-05-03"),
            Source("disposable-email-domains", "0.0.103"),
        ],
        packs=[PackInfo("core", "1.2.0", 42, "Core rules")],
        facts=employment_facts(roles),
        generated_at=GENERATED_AT,
        rules_evaluated=43,
        notes=list(notes),
    )


class Doc(HTMLParser):
    """A rendered HTML page parsed back: every element, the text under ids and headings."""

    VOID = frozenset({"meta", "br", "img", "input", "link", "hr", "col", "source", "wbr"})

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[str, str]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None, list[str]]] = []
        self._all: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        self.handle_data(" ")
        if tag not in self.VOID:
            self._open.append((tag, attributes.get("id"), []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.handle_data(" ")
        while self._open:
            name, ident, chunks = self._open.pop()
            text = " ".join("".join(chunks).split())
            if ident is not None:
                self.text_by_id[ident] = text
            if name in {"h1", "h2", "h3", "h4"}:
                self.headings.append((name, text))
            if self._open:
                self._open[-1][2].extend(chunks)
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        self._all.append(data)
        if self._open:
            self._open[-1][2].append(data)

    @property
    def text(self) -> str:
        """All text of the page, whitespace collapsed (element boundaries count as spaces)."""
        return " ".join("".join(self._all).split())

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.elements if tag == name]

    def heading_texts(self, level: str) -> list[str]:
        return [text for name, text in self.headings if name == level]
