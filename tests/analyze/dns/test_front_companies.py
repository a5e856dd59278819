"""Front-company domains: the shipped pack list, imitations of it, and lists users add."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netsupport import app, records

from screening.analyze.base import AnalysisContext
from screening.analyze.dns import DomainAnalyzer
from screening.analyze.dns.front_companies import (
    FRONT_COMPANY_LIST,
    FrontCompanies,
    load_front_companies,
)
from screening.config import Settings
from screening.evaluate import load_packs
from screening.pipeline import Engine
from screening.resources import rules_dir
from screening.testing import FixedClock, screen_mapping

CTX = AnalysisContext()


def by_domain(result: object) -> dict[str, dict[str, Any]]:
    return {str(r["domain"]): r for r in records(result, "domains")}  # type: ignore[arg-type]


def shipped() -> FrontCompanies:
    """The front companies of the shipped packs, as the pack loader finds their lists."""
    return load_front_companies(load_packs([rules_dir()]).list_files(FRONT_COMPANY_LIST))


def test_listed_front_companies_and_their_imitations_are_named() -> None:
    result = DomainAnalyzer(front_companies=shipped()).analyze(
        app(
            emails=["dev@careers.inditechlab.com", "sam@example.org"],
            employment=[{"employer": "Hopana", "website": "https://hopanatech-careers.com"}],
        ),
        CTX,
    )
    found = by_domain(result)
    listed = found["careers.inditechlab.com"]
    assert (listed["front_company"], listed["front_company_match"]) == ("inditechlab.com", "listed")
    assert "SentinelLabs" in listed["front_company_source"]
    imitation = found["hopanatech-careers.com"]
    assert imitation["front_company_match"] == "imitation"
    assert found["example.org"]["front_company"] is None


def test_an_organisation_extends_the_list_in_its_own_pack(tmp_path: Path) -> None:
    pack = tmp_path / "ours"
    (pack / "lists").mkdir(parents=True)
    (pack / "pack.yml").write_text("id: ours\ntitle: Ours\nversion: 1.0.0\n", encoding="utf-8")
    (pack / "lists" / "front-company-domains.txt").write_text(
        "# date: 2026-12-01\nbrightstaffing-solutions.com  # vendor we caught, case 42\n",
        encoding="utf-8",
    )
    engine = Engine.build(Settings(), rule_dirs=[pack], clock=FixedClock(), offline=True)
    screening = screen_mapping(
        engine,
        {
            "name": "Jordan Avery",
            "emails": ["jordan@brightstaffing-solutions.com"],
            "references": [{"name": "Ann Lee", "email": "ann@inditechlab.com"}],
        },
    )
    finding = next(f for f in screening.findings if f.id == "identity.front-company-domain")
    evidence = [e.value for e in finding.evidence if e.path == "domains.front_company"]
    assert sorted(evidence) == ["brightstaffing-solutions.com", "inditechlab.com"]
    sources = {s.name: s.version_or_date for s in screening.sources}
    assert sources["Front-company domains (pack ours, lists/front-company-domains.txt)"] == (
        "2026-12-01"
    )


def test_without_lists_nothing_is_a_front_company() -> None:
    result = DomainAnalyzer().analyze(app(emails=["dev@careers.inditechlab.com"]), CTX)
    assert by_domain(result)["careers.inditechlab.com"]["front_company"] is None
    assert [pack for pack, _ in shipped().files] == ["identity"]
