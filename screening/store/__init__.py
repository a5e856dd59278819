"""Persistence: the embedded SQLite database behind history (reuse detection) and jobs (webhooks).

Each component (``history``, ``jobs`` ...) owns its tables and its own numbered migrations; the
database records the schema version of every component, refuses to open one written by a newer
version of the toolkit, and migrates older ones forward in a transaction.
"""

from __future__ import annotations

from screening.store.db import Migration, connect, migrate, schema_version

__all__ = ["Migration", "connect", "migrate", "schema_version"]
