"""Stage 1 of 6 (ingest): silence the logging and warnings of parsing libraries.

Why: PDF, Office and archive libraries log and warn about malformed input, often quoting it; the
content of a hostile file must never reach logs. Raising a parent logger's level silences its
children too (``pypdf._reader``), where ``disabled`` would only silence the parent itself.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet(*names: str) -> Iterator[None]:
    """No log records from the named loggers and no Python warnings inside the block."""
    loggers = [logging.getLogger(name) for name in names]
    previous = [logger.level for logger in loggers]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for logger in loggers:
            logger.setLevel(logging.CRITICAL + 1)
        try:
            yield
        finally:
            for logger, level in zip(loggers, previous, strict=True):
                logger.setLevel(level)
