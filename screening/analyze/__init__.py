"""Stage 3 of 6 (analyze): ``Application`` -> ``FactSet``; one module per fact family.

Analyzers compute facts (fuzzy matching, number plans, time zones, document metadata); rules
only compare them. Each analyzer declares its facts, which together form the fact catalogue.
One module (or package, for the larger ones) per family; ``common/`` holds what several share,
``ports`` what they may reach outside the application. Which analyzers run, and how each is
built from the settings, is decided in one place: ``screening.pipeline.registry``.
"""

from __future__ import annotations

from screening.analyze.base import AnalysisContext, Analyzer, declare
from screening.analyze.runner import build_catalogue, collect_sources, run_analyzers

__all__ = [
    "AnalysisContext",
    "Analyzer",
    "build_catalogue",
    "collect_sources",
    "declare",
    "run_analyzers",
]
