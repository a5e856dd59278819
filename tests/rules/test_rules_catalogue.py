"""docs/rules-catalogue.md is generated from the packs and stays current (a drift test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from screening.catalogue import build

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "rules-catalogue.md"
BENIGN = ROOT / "tests" / "corpus" / "benign"
WILD = ROOT.parent.parent / "shared" / "data" / "jsonresume-wild"  # ../shared/data beside the repo
REGENERATE = (
    "docs/rules-catalogue.md is out of date: run `screening rules catalogue --benign "
    "tests/corpus/benign --wild ../shared/data/jsonresume-wild -o docs/rules-catalogue.md`"
)


def without_wild(page: str) -> str:
    """The page as it reads without the jsonresume-wild column (for checkouts without it)."""
    page = re.sub(r"^- jsonresume-wild: .*\n", "", page, flags=re.M)
    page = page.replace(" | jsonresume-wild |", " |").replace(
        "|---|---|---|---|---|", "|---|---|---|---|"
    )
    page = re.sub(r"^(\| \[.*) \| [^|]* \|$", r"\1 |", page, flags=re.M)
    return re.sub(r"; jsonresume-wild \d+/\d+ \(\d+%\)", "", page)


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_catalogue_matches_the_packs_and_the_benign_corpus(page: str) -> None:
    assert build(BENIGN, None) == without_wild(page), REGENERATE


@pytest.mark.skipif(not WILD.is_dir(), reason="the jsonresume-wild corpus is not beside the repo")
def test_catalogue_firing_rates_on_real_resumes_are_current(page: str) -> None:
    assert build(BENIGN, WILD) == page, REGENERATE


def test_every_rule_in_the_catalogue_says_how_it_is_evaded(page: str) -> None:
    sections = page.split("\n## ")[1:]
    assert sections
    for section in sections:
        evasion = section.split("How impostors avoid it:", 1)[1].split("Fires on:", 1)[0]
        assert "- none given" not in evasion, section.split("\n", 1)[0]
