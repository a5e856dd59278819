"""Helpers for the language tests: normalized applications with texts, and one shared analyzer."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from screening.analyze.base import AnalysisContext
from screening.analyze.language import LanguageAnalyzer, LanguageOptions
from screening.evaluate import load_patterns
from screening.ingest import from_mapping
from screening.model.application import DocumentContent, RawApplication
from screening.model.facts import FamilyResult, Record
from screening.model.normalized import Application
from screening.normalize import normalize
from screening.resources import rules_dir
from screening.testing import FixedClock

CTX = AnalysisContext(clock=FixedClock(), offline=True)


@cache
def shipped_analyzer() -> LanguageAnalyzer:
    """The analyzer with the shipped patterns, built once for the whole test session."""
    return LanguageAnalyzer(LanguageOptions(), patterns=load_patterns([rules_dir()]))


def raw(
    data: Mapping[str, Any] | None = None,
    resume: str | None = None,
    cover_letter: str | None = None,
) -> RawApplication:
    """A raw application (name defaulted) with optional resume and cover-letter texts."""
    base: dict[str, Any] = {"name": "Jordan Avery", **(data or {})}
    docs = tuple(
        DocumentContent(kind=kind, format="txt", text=text)
        for kind, text in (("resume", resume), ("cover_letter", cover_letter))
        if text is not None
    )
    built = from_mapping(base, "test")
    return RawApplication(data=built.data, documents=docs, origin="test")


def application(
    data: Mapping[str, Any] | None = None,
    resume: str | None = None,
    cover_letter: str | None = None,
) -> Application:
    """A normalized application, as analyzers receive it."""
    return normalize(raw(data, resume, cover_letter))


def analyze(
    data: Mapping[str, Any] | None = None,
    resume: str | None = None,
    cover_letter: str | None = None,
    analyzer: LanguageAnalyzer | None = None,
) -> FamilyResult:
    """Run the language analyzer on one application."""
    return (analyzer or shipped_analyzer()).analyze(application(data, resume, cover_letter), CTX)


def note(text: str) -> FamilyResult:
    """Analyze one interview note."""
    return analyze({"interview_notes": [text]})


def signals(result: FamilyResult, *, negated: bool | None = None) -> set[str]:
    """The signals matched (optionally only negated or only plain ones)."""
    return {
        str(p["signal"])
        for p in result.records.get("phrases", [])
        if negated is None or p["negated"] is negated
    }


def summary(result: FamilyResult) -> Record:
    """The single ``language`` record."""
    return result.records["language"][0]
