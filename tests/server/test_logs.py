"""Server logs: JSON lines, whitelisted fields only, exception classes without their messages."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from screening.server import logs

NAMES = ("screening", "uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """``logs.configure`` changes process-wide loggers; put them back for other tests."""
    saved = [(logging.getLogger(n), logging.getLogger(n).handlers[:]) for n in NAMES]
    state = [(lg.level, lg.propagate) for lg, _ in saved]
    yield
    for (logger, handlers), (level, propagate) in zip(saved, state, strict=True):
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


def capture() -> io.StringIO:
    logs.configure()
    stream = io.StringIO()
    handler = logging.getLogger("screening").handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)
    return stream


def test_unknown_fields_are_dropped_not_printed() -> None:
    stream = capture()
    logs.log_event(
        "delivery",
        vendor="greenhouse",
        id="greenhouse-1",
        name="Jane Roe",
        email="jane@example.com",
        status="queued",
    )
    record = json.loads(stream.getvalue())
    assert record["event"] == "delivery" and record["id"] == "greenhouse-1"
    assert "Jane" not in stream.getvalue() and "jane@example.com" not in stream.getvalue()
    assert {"ts", "level", "logger", "vendor", "status"} <= set(record)


def test_exceptions_are_logged_by_class_only() -> None:
    stream = capture()
    try:
        raise ValueError("invalid date '1990-13-02' for Jane Roe")
    except ValueError:
        logging.getLogger("screening.server").exception("worker step failed")
    record = json.loads(stream.getvalue())
    assert record["error"] == "ValueError"
    assert "Jane" not in stream.getvalue() and "1990-13-02" not in stream.getvalue()
