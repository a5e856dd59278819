"""The one analyzer registry: every family once, named after its facts, and user analyzers."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from screening.analyze import AnalysisContext, declare
from screening.config import Settings
from screening.errors import ConfigError
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Source
from screening.model.normalized import Application
from screening.pipeline import FACTORIES, Engine, build_analyzers
from screening.testing import screen_mapping


class BadgeAnalyzer:
    """A user's own family: how many links the candidate gave."""

    name: ClassVar[str] = "badge"
    description: ClassVar[str] = "A user's family"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("badge", "One summary", "badge", False),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "badge", "badge", [("links", "int", "Links given")]
    )

    def sources(self) -> list[Source]:
        return [Source("badge table", "1")]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        return FamilyResult(records={"badge": [{"links": len(app.links)}]})


class QuietIdentity(BadgeAnalyzer):
    name: ClassVar[str] = "identity"


RULE = """\
id: mine.many-links
title: Many Links
status: stable
category: identity
severity: low
weight: 0.1
confidence: low
description: Fires when the candidate gives two links or more, from the user's own analyzer.
explain: The candidate gave {badge.links} links.
guidance: Nothing to do; this is a test rule.
references: [internal test]
falsepositives: [everyone with a portfolio]
tags: [signal.test]
author: tests
date: 2026-12-01
match:
  sel:
    badge.links|gte: 2
  condition: sel
tests:
  - name: two-links
    facts: {badge.links: 2}
    expect: match
  - name: one-link
    facts: {badge.links: 1}
    expect: no_match
"""


def test_every_family_is_registered_once_under_its_own_name() -> None:
    analyzers = build_analyzers(Settings(), offline=True)
    assert [a.name for a in analyzers] == list(FACTORIES)
    for analyzer in analyzers:
        # a family is named after a fact namespace it produces (one vocabulary)
        produced = {ns.name for ns in analyzer.namespaces}
        assert analyzer.name in produced, analyzer.name


def test_an_extra_analyzer_adds_facts_a_user_rule_can_read(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "pack.yml").write_text("id: mine\ntitle: Mine\nversion: 1.0.0\ndescription: x\n")
    (pack / "many-links.yml").write_text(RULE)
    engine = Engine.build(rule_dirs=[pack], offline=True, extra_analyzers=[BadgeAnalyzer()])
    assert "badge.links" in engine.catalogue
    links = ["https://github.com/ann", "https://ann.example.org"]
    report = screen_mapping(engine, {"id": "a-1", "name": "Ann Lee", "links": links})
    assert [f.id for f in report.findings if f.id.startswith("mine.")] == ["mine.many-links"]
    assert any(s.name == "badge table" for s in report.sources)


def test_an_extra_analyzer_of_a_registered_family_replaces_it() -> None:
    analyzers = build_analyzers(Settings(), offline=True, extra=[QuietIdentity()])
    (identity,) = [a for a in analyzers if a.name == "identity"]
    assert isinstance(identity, QuietIdentity)
    assert [a.name for a in analyzers] == list(FACTORIES)


def test_wrong_families_are_refused_with_their_name() -> None:
    with pytest.raises(ConfigError, match="nonesuch"):
        build_analyzers(Settings(), offline=True, families=["nonesuch"])
    with pytest.raises(ConfigError, match="badge"):
        build_analyzers(Settings(), offline=True, extra=[BadgeAnalyzer(), BadgeAnalyzer()])


class BrokenBadge(BadgeAnalyzer):
    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        raise KeyError("a bug")


def test_a_crashed_analyzer_is_unavailable_unless_the_engine_is_strict(tmp_path: Path) -> None:
    pack = tmp_path / "mine"
    pack.mkdir()
    (pack / "pack.yml").write_text("id: mine\ntitle: Mine\nversion: 1.0.0\ndescription: x\n")
    (pack / "many-links.yml").write_text(RULE)
    data = {"id": "a-1", "name": "Ann Lee"}
    lenient = Engine.build(rule_dirs=[pack], offline=True, extra_analyzers=[BrokenBadge()])
    check = {c.analyzer: c for c in screen_mapping(lenient, data).checks}["badge"]
    assert check.status.value == "unavailable" and "KeyError" in check.reason
    strict = Engine.build(
        rule_dirs=[pack], offline=True, extra_analyzers=[BrokenBadge()], strict=True
    )
    with pytest.raises(KeyError):
        screen_mapping(strict, data)
