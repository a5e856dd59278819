"""Stage 5 of 6 (score): rule outcomes -> findings with contributions, score, band, next step."""

from __future__ import annotations

from screening.score.bands import BandPolicy
from screening.score.combine import contributions, noisy_or, score_outcomes

__all__ = ["BandPolicy", "contributions", "noisy_or", "score_outcomes"]
