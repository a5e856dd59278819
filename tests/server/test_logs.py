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


def test_a_flood_is_cut_to_the_burst_and_the_next_line_counts_what_was_dropped() -> None:
    now = [100.0]
    limit = logs.RateLimit(burst=3, clock=lambda: now[0])
    record = logging.LogRecord("asyncio", logging.ERROR, "x", 1, "accept failed", None, None)
    kept = [limit.filter(record) for _ in range(10)]
    assert kept == [True] * 3 + [False] * 7
    now[0] += 1
    again = logging.LogRecord("asyncio", logging.ERROR, "x", 1, "accept failed", None, None)
    assert limit.filter(again)
    line = json.loads(logs.JsonFormatter().format(again))
    assert line["dropped"] == 7


def test_info_events_are_never_dropped_by_the_flood_limit() -> None:
    # one "done" line per screened job: a busy worker must not lose them (operators count them)
    limit = logs.RateLimit(burst=3, clock=lambda: 100.0)
    record = logging.LogRecord("screening.server", logging.INFO, "x", 1, "done", None, None)
    assert all(limit.filter(record) for _ in range(100))
    flood = logging.LogRecord("screening.server", logging.ERROR, "x", 1, "failed", None, None)
    assert [limit.filter(flood) for _ in range(5)] == [True] * 3 + [False] * 2


def test_long_values_are_cut_and_tracebacks_never_printed() -> None:
    try:
        raise ValueError("secret " * 1000)
    except ValueError:
        import sys

        record = logging.LogRecord(
            "uvicorn.error", logging.ERROR, "x", 1, "boom " * 500, None, sys.exc_info()
        )
    handler = logging.StreamHandler(io.StringIO())
    handler.setFormatter(logs.JsonFormatter())
    handler.emit(record)
    text = handler.stream.getvalue()
    assert len(text.splitlines()) == 1 and len(text) <= logs.MAX_LINE_CHARS + 1
    assert "secret" not in text and "Traceback" not in text
    assert json.loads(text)["error"] == "ValueError"
