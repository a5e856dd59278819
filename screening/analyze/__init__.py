"""Stage 3 of 6 (analyze): ``Application`` -> ``FactSet``; one module per fact family.

Analyzers compute facts (fuzzy matching, number plans, time zones, document metadata); rules
only compare them. Each analyzer declares its facts, which together form the fact catalogue.
"""

from __future__ import annotations

from screening.analyze.base import AnalysisContext, Analyzer, declare
from screening.analyze.behavior import BehaviorAnalyzer
from screening.analyze.devices import DeviceAnalyzer
from screening.analyze.documents import DocumentAnalyzer
from screening.analyze.emails import EmailAnalyzer
from screening.analyze.identity import IdentityAnalyzer
from screening.analyze.links import LinkAnalyzer
from screening.analyze.network import NetworkAnalyzer
from screening.analyze.payment import PaymentAnalyzer
from screening.analyze.phones import PhoneAnalyzer
from screening.analyze.references import ReferenceAnalyzer
from screening.analyze.runner import build_catalogue, collect_sources, run_analyzers
from screening.analyze.timeline import TimelineAnalyzer

__all__ = [
    "AnalysisContext",
    "Analyzer",
    "build_catalogue",
    "collect_sources",
    "declare",
    "default_analyzers",
    "run_analyzers",
]


def default_analyzers() -> list[Analyzer]:
    """The offline analyzers, in the order their checks are reported."""
    return [
        IdentityAnalyzer(),
        PhoneAnalyzer(),
        EmailAnalyzer(),
        LinkAnalyzer(),
        TimelineAnalyzer(),
        ReferenceAnalyzer(),
        DocumentAnalyzer(),
        PaymentAnalyzer(),
        NetworkAnalyzer(),
        BehaviorAnalyzer(),
        DeviceAnalyzer(),
    ]
