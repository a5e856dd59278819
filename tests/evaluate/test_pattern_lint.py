"""Lint of phrase patterns: a signal without example sentences, or that no loaded rule reads,
is reported by ``lint_ruleset`` and fails ``screening rules lint``."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from screening.analyze import build_catalogue
from screening.cli import main
from screening.config import Settings
from screening.evaluate import lint_ruleset, load_ruleset
from screening.pipeline import build_analyzers
from screening.resources import rules_dir

GIFT = """\
signal: gift-card-payment
description: Asks to be paid in gift cards.
patterns:
  - id: gift-cards
    phrases: [paid in gift cards]
"""
EXAMPLES = "examples:\n  match: [Can I be paid in gift cards?]\n  no_match: [Paid monthly.]\n"


def pack(root: Path, body: str) -> Path:
    folder = root / "acme"
    (folder / "patterns").mkdir(parents=True)
    (folder / "pack.yml").write_text("id: acme\ntitle: Acme\nversion: 1.0.0\n", encoding="utf-8")
    (folder / "patterns" / "gift-cards.yml").write_text(body, encoding="utf-8")
    return folder


def codes(folder: Path | None) -> list[str]:
    """Lint codes of the patterns in ``folder`` (None: of the shipped packs)."""
    catalogue = build_catalogue(build_analyzers(Settings(), offline=True))
    ruleset = load_ruleset([rules_dir(), *([folder] if folder else [])], catalogue)
    where = str(folder or rules_dir())
    issues = lint_ruleset(ruleset, catalogue)
    return [i.code for i in issues if i.path.startswith(where) and "/patterns/" in i.path]


def test_a_signal_without_examples_that_no_rule_reads_has_two_issues(tmp_path: Path) -> None:
    assert codes(pack(tmp_path, GIFT)) == ["pattern-without-examples", "unread-signal"]


def test_a_signal_with_examples_read_by_a_rule_is_clean(tmp_path: Path) -> None:
    folder = pack(tmp_path, GIFT + EXAMPLES)
    (folder / "acme").mkdir()
    (folder / "acme" / "gift-cards.yml").write_text(
        (rules_dir() / "language" / "camera-refusal.yml")
        .read_text(encoding="utf-8")
        .replace("id: language.camera-refusal", "id: acme.gift-cards")
        .replace("phrases.signal: camera-refusal", "phrases.signal: gift-card-payment"),
        encoding="utf-8",
    )
    assert codes(folder) == []


def test_the_shipped_patterns_are_lint_clean() -> None:
    assert codes(None) == []


def test_rules_lint_fails_on_an_unread_signal(tmp_path: Path) -> None:
    folder = pack(tmp_path, GIFT + EXAMPLES)
    result = CliRunner().invoke(main, ["rules", "lint", str(folder)])
    assert result.exit_code == 1
    assert "medium [unread-signal] no loaded rule reads phrases.signal: gift-card-payment" in (
        result.output
    )
    assert "0 rule(s) and 1 pattern(s) linted, 1 issue(s)" in result.output
