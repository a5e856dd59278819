"""The HTML report parsed back: structure, escaping of hostile text, no verdict words."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from report_fixtures import Doc, Spec, default_specs

from screening.model.findings import Category, Severity
from screening.model.screening import Screening
from screening.report import render

Make = Callable[..., Screening]
Parse = Callable[[str], Doc]

HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
VERDICT_WORDS = re.compile(r"fraud|reject|fake", re.IGNORECASE)


def test_sections_and_headings(screening: Screening, parse_html: Parse) -> None:
    doc = parse_html(render(screening, "html"))
    assert doc.heading_texts("h1") == ["Signals for review: Jordan Avery"]
    assert doc.heading_texts("h2") == [
        "Summary",
        "Findings",
        "What was read",
        "Input notes",
        "Not evaluated",
        "Checks",
        "Employment timeline",
        "Sources and their dates",
        "How the score is computed",
        "Reviewer resolution",
    ]
    titles = doc.heading_texts("h3")
    assert len(titles) == 8
    assert titles[0] == "Application sent through a commercial VPN"
    assert "Why it matters" in doc.heading_texts("h4")
    assert "What to do next" in doc.heading_texts("h4")


def test_findings_are_cards_with_evidence(screening: Screening, parse_html: Parse) -> None:
    doc = parse_html(render(screening, "html"))
    assert len([a for a in doc.tags("article") if a.get("class") == "finding"]) == 8
    first = doc.text_by_id["finding-1"]
    assert "severity: high" in first  # severity as text, not colour only
    assert "contribution: +24.4 points" in first
    assert "The application IP belongs to a VPN provider (Astrill)." in first
    assert "network.providers Astrill, ExampleVPN" in first
    assert "network.vpn yes" in first
    assert "weight 0.5 (overridden; default 0.4)" in first
    assert "Privacy-minded candidates" in first
    assert "FBI/State/Treasury DPRK IT worker advisory, 2022-05-16" in first


def test_gaps_checks_sources_and_packs_are_listed(screening: Screening, parse_html: Parse) -> None:
    doc = parse_html(render(screening, "html"))
    gaps = doc.text_by_id["not-evaluated"]
    assert "Email domain accepts no mail email.domain-undeliverable" in gaps
    assert "emails.mx_present , emails.domain_age_days" in gaps
    assert "dns: resolver timed out" in gaps
    checks = doc.text_by_id["checks"]
    assert "dns unavailable resolver timed out" in checks
    assert "documents skipped no resume attached" in checks
    sources = doc.text_by_id["sources"]
    assert "OFAC SDN list 2024-05-03" in sources
    assert "disposable-email-domains 0.0.103" in sources
    assert "Core rules core 1.2.0 42" in doc.text_by_id["packs"]
    assert all(th.get("scope") in {"col", "row"} for th in doc.tags("th"))


def test_summary_score_band_next_step_and_charts(screening: Screening, parse_html: Parse) -> None:
    doc = parse_html(render(screening, "html"))
    assert (
        "Score 74.3 / 100 Band: high Recommended next step "
        "Verify identity on live video with a document. Findings: 8 · Rules not evaluated: 1 · "
        "Analyzers unavailable: 1 · Analyzers skipped: 1"
    ) in doc.text
    svgs = doc.tags("svg")
    assert [s.get("aria-labelledby") for s in svgs] == ["cat-title cat-desc", "tl-title tl-desc"]
    assert "infrastructure 67.5 2 identity 36.3 2" in doc.text  # the table beside the chart
    assert "behavior 0.0 1" in doc.text


def test_reviewer_resolution_is_blank(screening: Screening, parse_html: Parse) -> None:
    doc = parse_html(render(screening, "html"))
    assert (
        "Reviewer resolution To be completed by the reviewer. The tool does not decide. "
        "Decision: cleared verify further escalate Reviewer: Date: Notes:"
    ) in doc.text


def test_no_timeline_gives_a_sentence(make_screening: Make, parse_html: Parse) -> None:
    doc = parse_html(render(make_screening(roles=[]), "html"))
    assert len(doc.tags("svg")) == 1
    assert "No employment history with start dates was given" in render(
        make_screening(roles=[]), "html"
    )


def test_self_contained(screening: Screening) -> None:
    text = render(screening, "html")
    assert "<script" not in text
    assert not re.search(r"\b(src|href)\s*=", text)
    assert "@import" not in text and "url(" not in text
    assert "Content-Security-Policy" in text


def test_no_verdict_words(screening: Screening) -> None:
    for fmt in ("html", "md", "json"):
        assert not VERDICT_WORDS.search(render(screening, fmt)), fmt


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_escaped_everywhere(
    make_screening: Make, parse_html: Parse, payload: str
) -> None:
    specs = [
        Spec(
            f"identity.x{i}",
            payload,
            Category.IDENTITY,
            Severity.HIGH,
            0.3,
            (("identity.name", payload), ("identity.aliases", [payload, "b"])),
            f"Name {payload} differs.",
            references=(payload,),
            falsepositives=(payload,),
            guidance=payload,
            description=payload,
        )
        for i in range(2)
    ]
    role = {
        "employer": payload,
        "title": payload,
        "start": dt.date(2018, 1, 1),
        "end": None,
        "current": True,
    }
    screening = make_screening(name=payload, app_id=payload, specs=specs, roles=[role])
    screening.notes.append(payload)
    text = render(screening, "html")
    doc = parse_html(text)
    assert "<script" not in text.lower()
    assert "<img" not in text.lower()
    assert doc.tags("script") == [] and doc.tags("img") == []
    assert all(not k.startswith("on") for _, attrs in doc.elements for k in attrs)
    # It is still there, as text, for the reviewer to read.
    assert doc.heading_texts("h1") == [f"Signals for review: {payload}"]
    assert payload in doc.text_by_id["finding-1"]
    assert text.count("&lt;") >= 10


def test_hostile_employer_inside_svg_is_escaped(make_screening: Make) -> None:
    role = {
        "employer": "<script>alert(1)</script>",
        "title": "</title><script>alert(2)</script>",
        "start": dt.date(2018, 1, 1),
        "end": dt.date(2020, 1, 1),
        "current": False,
    }
    text = render(make_screening(roles=[role]), "html")
    svg = text[
        text.index(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart"', text.index("h-timeline")
        ) :
    ]
    svg = svg[: svg.index("</svg>")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "&lt;/title&gt;&lt;script&gt;alert(2)" in svg
    assert "<script" not in text


def test_markdown_has_no_verdict_words_and_the_closing_line(screening: Screening) -> None:
    text = render(screening, "md")
    assert "Signals for review; a person decides." in text


def test_specs_without_verdict_words() -> None:
    # Guard the guard: the fixture data itself must be free of the words for the test above.
    for spec in default_specs():
        for text in (spec.title, spec.explain, spec.guidance, spec.description):
            assert not VERDICT_WORDS.search(text)
