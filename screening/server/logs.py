"""Structured logs of the webhook server: one JSON object per line, no personal data.

Why a whitelist instead of scrubbing: log lines end up in aggregators that many people can read,
and a candidate's name or email in a log outlives every deletion request. So the server logs
through ``log_event``, whose fields are ids (``greenhouse-4412``), the vendor, the event type, a
status, durations, counts, the *names* of fields that had problems and exception class names,
never values from a payload, never a candidate's score or band (an assessment of a person, kept
in the access-controlled API) and never exception messages (which can quote them). Anything else
passed as a field is dropped. uvicorn's own records (startup, access lines with method, path and
status) go through the same JSON formatter.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from collections.abc import Mapping
from typing import Any

LOGGER = logging.getLogger("screening.server")
_LOGGERS = ("screening", "uvicorn", "uvicorn.error", "uvicorn.access")  # all JSON, all on stderr

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
            doc.update(fields)
        else:
            doc["msg"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            doc["error"] = record.exc_info[0].__name__  # the class only: messages quote data
        return json.dumps(doc, ensure_ascii=False, default=str)


def log_event(event: str, level: int = logging.INFO, **fields: object) -> None:
    """Log one event with whitelisted fields (others are dropped, never printed)."""
    if LOGGER.isEnabledFor(level):
        kept = {k: v for k, v in fields.items() if k in ALLOWED_FIELDS and v is not None}
        LOGGER.log(level, event, extra={"fields": {"event": event, **kept}})


def configure() -> None:
    """JSON lines on stderr for the server's and uvicorn's loggers (idempotent)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
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
        "handlers": {"default": handler},
        "loggers": {
            name: {"handlers": ["default"], "level": "INFO", "propagate": False}
            for name in _LOGGERS
        },
    }
