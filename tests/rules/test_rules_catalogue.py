"""docs/rules-catalogue.md is generated from the packs and stays current (a drift test)."""

from __future__ import annotations

from pathlib import Path

from screening.catalogue import build

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "rules-catalogue.md"
BENIGN = ROOT / "tests" / "corpus" / "benign"
WILD = ROOT / "tests" / "corpus" / "jsonresume-wild"


def test_catalogue_matches_the_packs_and_the_measured_firing_rates() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert build(BENIGN, WILD) == page, (
        "docs/rules-catalogue.md is out of date: run `screening rules catalogue --benign "
        "tests/corpus/benign --wild tests/corpus/jsonresume-wild -o docs/rules-catalogue.md`"
    )
    for section in page.split("\n## ")[1:]:  # every rule says how impostors avoid it
        evasion = section.split("How impostors avoid it:", 1)[1].split("Fires on:", 1)[0]
        assert "- none given" not in evasion, section.split("\n", 1)[0]
