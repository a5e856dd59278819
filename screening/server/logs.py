"""Structured logs of the webhook server: one JSON object per line, no personal data.

Why a whitelist instead of scrubbing: log lines end up in aggregators that many people can read,
and a candidate's name or email in a log outlives every deletion request. So the server logs
through ``log_event``, whose fields are ids (``greenhouse-4412``), the vendor, the event type, a
status, durations, counts, the *names* of fields that had problems and exception class names,
never values from a payload, never a candidate's score or band (an assessment of a person, kept
in the access-controlled API) and never exception messages (which can quote them). Anything else
passed as a field is dropped. uvicorn's and asyncio's own records go through the same JSON
formatter (uvicorn's access lines are off: a path is request content; the server logs its own
``delivery`` and ``forgotten`` events instead).

Every line is bounded: a string value is cut to ``MAX_VALUE_CHARS`` and the line to
``MAX_LINE_CHARS``. A flood (file descriptors exhausted, the same failure on every accept) is
rate-limited: past ``BURST`` warnings or errors in a second from one logger, records are counted
instead of written, and the next line written says how many were dropped. Info events (one per
delivery or job step) are never dropped: their number is bounded by the work itself, and an
operator counting deliveries or screenings must see every one.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import threading
import time
from collections.abc import Mapping
from typing import Any

LOGGER = logging.getLogger("screening.server")
# all JSON, all on stderr
_LOGGERS = ("screening", "uvicorn", "uvicorn.error", "uvicorn.access", "asyncio")
MAX_VALUE_CHARS = 300
MAX_LINE_CHARS = 2000
BURST = 50  # records per second per logger before the rest are counted, not written

ALLOWED_FIELDS = frozenset(
    {
        "event",
        "id",
        "vendor",
        "type",
        "status",
        "http_status",
        "reason",
        "fields",
        "error",
        "attempt",
        "attempts",
        "delay_s",
        "duration_ms",
        "worker",
        "workers",
        "count",
        "host",
        "port",
        "receivers",
    }
)


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "msg", ...fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line; the message of uvicorn's records is kept as text."""
        doc: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, Mapping):
            doc.update({k: _bounded(v) for k, v in fields.items()})
        else:
            doc["msg"] = _bounded(record.getMessage())
        if record.exc_info and record.exc_info[0] is not None:
            doc["error"] = record.exc_info[0].__name__  # the class only: messages quote data
        dropped = getattr(record, "dropped", 0)
        if dropped:
            doc["dropped"] = dropped
        line = json.dumps(doc, ensure_ascii=False, default=str)
        if len(line) > MAX_LINE_CHARS:  # only when many fields are long: keep it valid JSON
            line = json.dumps({k: doc[k] for k in ("ts", "level", "logger") if k in doc}
                              | {"event": doc.get("event"), "truncated": True})  # fmt: skip
        return line

    def formatException(self, ei: Any) -> str:
        """Never a traceback: the class is in the record's ``error`` field."""
        return ""


def _bounded(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + "…"
    if isinstance(value, list | tuple):
        return [_bounded(v) for v in value[:20]]
    return value


class RateLimit(logging.Filter):
    """At most ``BURST`` warnings or errors per second per logger; the rest are counted, and the
    count is attached to the next record written."""

    def __init__(self, burst: int = BURST, clock: Any = time.monotonic) -> None:
        super().__init__()
        self.burst = burst
        self.clock = clock
        self._lock = threading.Lock()
        self._window: dict[str, tuple[int, int, int]] = {}  # logger -> (second, written, dropped)

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether to write ``record`` (always, below WARNING)."""
        if record.levelno < logging.WARNING:
            return True
        now = int(self.clock())
        with self._lock:
            second, written, dropped = self._window.get(record.name, (now, 0, 0))
            if second != now:
                second, written = now, 0
            if written >= self.burst:
                self._window[record.name] = (second, written, dropped + 1)
                return False
            self._window[record.name] = (second, written + 1, 0)
        if dropped:
            record.dropped = dropped
        return True


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """Log one event with whitelisted fields (others are dropped, never printed)."""
    if LOGGER.isEnabledFor(level):
        kept = {k: v for k, v in fields.items() if k in ALLOWED_FIELDS and v is not None}
        LOGGER.log(level, event, extra={"fields": {"event": event, **kept}})


def configure() -> None:
    """JSON lines on stderr for the server's and uvicorn's loggers (idempotent)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RateLimit())
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


def uvicorn_log_config() -> dict[str, Any]:
    """A ``logging.config`` dict that routes uvicorn through ``JsonFormatter``."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "filters": {"rate": {"()": RateLimit}},
        "handlers": {"default": {**handler, "filters": ["rate"]}},
        "loggers": {
            name: {"handlers": ["default"], "level": "INFO", "propagate": False}
            for name in _LOGGERS
        },
    }
