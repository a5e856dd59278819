"""Stage 3 (analyze): reuse detection across applicants, backed by the history store.

``HistoryAnalyzer`` computes the ``history`` and ``reuse`` facts from keyed fingerprints and
records each screened application after scoring; ``identifiers``, ``name_keys`` and ``fingerprint``
hold the normalisation that must happen before anything is hashed.
"""

from __future__ import annotations

from screening.analyze.history.fingerprint import fingerprint
from screening.analyze.history.history_analyzer import HistoryAnalyzer

__all__ = ["HistoryAnalyzer", "fingerprint"]
