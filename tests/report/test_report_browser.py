"""The HTML report in a real browser (Playwright driving Debian's Chromium): a finding's evidence
link lands on the highlighted row of "What was read", and the row's "cited by" link leads back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from screening.config import Settings
from screening.ingest import from_mapping
from screening.pipeline import Engine
from screening.report import render

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("SCREENING_TEST_CHROMIUM", "/usr/bin/chromium"))
if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"CI needs a browser at {CHROMIUM} (.ci/run installs chromium)")
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
Page = sync_api.Page


@pytest.fixture(scope="module")
def page() -> Iterator[Page]:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser.new_page(viewport={"width": 1100, "height": 800})
        browser.close()


def test_evidence_links_to_the_row_and_the_row_back_to_the_finding(
    page: Page, tmp_path: Path
) -> None:
    raw = from_mapping(
        {
            "id": "b-1",
            "name": "Ana Souza",
            "emails": ["ana.souza@example.com", "throwaway123@mailinator.com"],
            "employment": [
                {"employer": "Beta Lda", "title": "Dev", "start": "2017-07", "end": "2019-12"},
                {"employer": "Gamma SA", "title": "Lead", "start": "2021-03", "end": "2020-01"},
            ],
        },
        "test",
    )
    report = tmp_path / "report.html"
    report.write_text(render(Engine.build(Settings(), offline=True).screen(raw), "html"))
    page.goto(report.as_uri())
    finding = page.locator("article.finding", has_text="Dates That Cannot Be True")
    finding_id = finding.get_attribute("id")
    finding.locator("td a", has_text="Employment 2").first.click()
    assert page.evaluate("location.hash") == "#read-employment-1"
    target = page.locator(":target")
    assert target.get_attribute("id") == "read-employment-1"
    assert "Gamma SA" in target.inner_text()
    # highlighted: the row's background is not the page's
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    target.locator(f'a[href="#{finding_id}"]').click()
    assert page.evaluate("location.hash") == f"#{finding_id}"
