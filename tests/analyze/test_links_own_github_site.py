"""A GitHub Pages site of a GitHub account the candidate lists is that account's page."""

from __future__ import annotations

from screening.analyze.base import AnalysisContext
from screening.analyze.links import LinkAnalyzer
from screening.ingest import from_mapping
from screening.normalize import normalize
from screening.testing import FixedClock


def link_records(*links: str) -> list[dict[str, object]]:
    app = normalize(from_mapping({"name": "Alex Morgan", "links": list(links)}, "test"))
    return LinkAnalyzer().analyze(app, AnalysisContext(clock=FixedClock())).records["links"]


def test_pages_site_of_a_listed_account_is_marked_and_others_are_not() -> None:
    own, other, netlify, _ = link_records(
        "https://amorgan.github.io",
        "https://someone.github.io/portfolio",
        "https://amorgan.netlify.app",
        "https://github.com/AMorgan",
    )
    assert own["free_host"] is True and own["own_github_site"] is True
    assert other["free_host"] is True and other["own_github_site"] is False
    assert netlify["free_host"] is True and netlify["own_github_site"] is False
