"""A small TTL cache for network lookups (DNS answers, phone line types), shared across threads.

Network analyzers ask the same questions again and again (every applicant at gmail.com needs the
same MX answer), so answers are kept in process until their TTL runs out and, when a cache file is
configured, in a SQLite table shared across runs and processes. Only answers are cached: failures
(timeouts, rate limits) are never stored, so a transient outage cannot turn into a lasting gap.

Disk access opens a short-lived connection per batch: analyzers run in whatever thread the caller
uses (the server's worker threads, a batch pool), and a connection per batch needs no locking
across threads and survives forks.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from screening.errors import StoreError
from screening.store.db import Migration, connect, migrate

MAX_MEMORY_ENTRIES = 20_000
PRUNE_EVERY = 200


class LookupCache:
    """Answers by key with an expiry time; memory first, then the optional SQLite file.

    ``component`` names the table and the schema component in the file (``dns_cache``,
    ``phone_line_cache``), so one file can hold several caches.
    """

    def __init__(
        self,
        component: str,
        path: Path | None = None,
        *,
        clock: Callable[[], float] = time.time,
        max_entries: int = MAX_MEMORY_ENTRIES,
    ) -> None:
        if not component.isidentifier():
            raise ValueError(f"cache component {component!r} must be an identifier")
        self.component = component
        self.path = path
        self._clock = clock
        self._max = max_entries
        self._memory: OrderedDict[str, tuple[object, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._migrated = False
        self._writes = 0
        self.disk_error: str | None = None

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        """The unexpired answers among ``keys`` (memory, then disk for the rest)."""
        now = self._clock()
        found: dict[str, object] = {}
        wanted = list(dict.fromkeys(keys))
        with self._lock:
            for key in wanted:
                hit = self._memory.get(key)
                if hit is None:
                    continue
                if hit[1] > now:
                    found[key] = hit[0]
                    self._memory.move_to_end(key)
                else:
                    del self._memory[key]
        rest = [k for k in wanted if k not in found]
        if rest and self.path is not None:
            from_disk = self._read(rest, now)
            found.update({k: v for k, (v, _) in from_disk.items()})
            with self._lock:
                for key, entry in from_disk.items():
                    self._remember(key, entry)
        return found

    def put_many(self, items: Mapping[str, tuple[object, float]]) -> None:
        """Store ``key -> (answer, ttl seconds)``; answers must be JSON-serialisable."""
        if not items:
            return
        now = self._clock()
        entries = {k: (v, now + max(ttl, 0.0)) for k, (v, ttl) in items.items()}
        with self._lock:
            for key, entry in entries.items():
                self._remember(key, entry)
        if self.path is not None:
            self._write(entries)

    def _remember(self, key: str, entry: tuple[object, float]) -> None:
        self._memory[key] = entry
        self._memory.move_to_end(key)
        while len(self._memory) > self._max:
            self._memory.popitem(last=False)

    def _open(self) -> sqlite3.Connection | None:
        if self.path is None or self.disk_error is not None:
            return None
        try:
            conn = connect(self.path)
            if not self._migrated:
                table = self.component
                migrate(
                    conn,
                    self.component,
                    [
                        Migration(
                            1,
                            f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY,"
                            " value TEXT NOT NULL, expires REAL NOT NULL)",
                        )
                    ],
                    str(self.path),
                )
                self._migrated = True
        except StoreError as exc:
            # an unusable cache file costs speed, not answers: keep going on memory alone
            self.disk_error = str(exc)
            return None
        return conn

    def _read(self, keys: list[str], now: float) -> dict[str, tuple[object, float]]:
        conn = self._open()
        if conn is None:
            return {}
        out: dict[str, tuple[object, float]] = {}
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT key, value, expires FROM {self.component}"
                    f" WHERE key IN ({marks}) AND expires > ?",
                    (*chunk, now),
                ).fetchall()
                for key, value, expires in rows:
                    out[str(key)] = (json.loads(value), float(expires))
        except (sqlite3.Error, ValueError) as exc:
            self.disk_error = f"cache file {self.path} unreadable: {exc}"
            return {}
        finally:
            conn.close()
        return out

    def _write(self, entries: Mapping[str, tuple[object, float]]) -> None:
        conn = self._open()
        if conn is None:
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(
                f"INSERT OR REPLACE INTO {self.component}(key, value, expires) VALUES(?, ?, ?)",
                [(k, json.dumps(v), exp) for k, (v, exp) in entries.items()],
            )
            self._writes += 1
            if self._writes % PRUNE_EVERY == 1:  # expired rows are unread anyway: prune rarely
                conn.execute(f"DELETE FROM {self.component} WHERE expires <= ?", (self._clock(),))
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self.disk_error = f"cache file {self.path} not writable: {exc}"
        finally:
            conn.close()

    def describe(self) -> str:
        """Where answers are kept, for the sources list of a report."""
        if self.path is None:
            return "in-process cache"
        if self.disk_error:
            return f"in-process cache (disk cache off: {self.disk_error})"
        return f"in-process cache and {self.path}"
