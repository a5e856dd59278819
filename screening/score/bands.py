"""Bands: score thresholds and the next step recommended for each band."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from screening.model.screening import Band


@dataclass(frozen=True, slots=True)
class BandPolicy:
    """Lower bounds of the medium, high and critical bands, and a next step per band.

    The defaults live in one place, the ``[bands]`` configuration section.
    """

    medium: float
    high: float
    critical: float
    next_steps: Mapping[str, str] = field(default_factory=dict)

    def band_for(self, score: float) -> Band:
        """The band a score falls in."""
        if score >= self.critical:
            return Band.CRITICAL
        if score >= self.high:
            return Band.HIGH
        if score >= self.medium:
            return Band.MEDIUM
        return Band.LOW

    def next_step(self, band: Band) -> str:
        """What the reviewer should do for this band."""
        return self.next_steps.get(band.value, "")
