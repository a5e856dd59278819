"""Stage 1 of 6 (ingest): the record of one input that could not be read.

Ingest never stops a batch for one bad input: a file (or one CSV row) that fails becomes an
``IngestFailure`` next to the applications that did load, and the CLI prints its problems.
"""

from __future__ import annotations

from dataclasses import dataclass

from screening.errors import InputError


@dataclass(frozen=True, slots=True)
class IngestFailure:
    """One input that could not be read; ``origin`` is ``dir/app.yml`` or ``export.csv:row 7``."""

    origin: str
    error: InputError
