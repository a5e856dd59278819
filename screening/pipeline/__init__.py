"""The engine that runs every stage (``engine``) and the registry of analyzers it runs.

read (ingest) -> normalize -> analyze -> evaluate -> score -> Screening (report renders it)
"""

from __future__ import annotations

from screening.pipeline.engine import (
    Engine,
    Ingested,
    attach_history,
    open_history,
    submission_only,
)
from screening.pipeline.registry import FACTORIES, Setup, build_analyzers

__all__ = [
    "FACTORIES",
    "Engine",
    "Ingested",
    "Setup",
    "attach_history",
    "build_analyzers",
    "open_history",
    "submission_only",
]
