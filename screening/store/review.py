"""What reviewers did: accounts, sessions, finding resolutions, decisions and the audit trail.

Kept in the server's database file (beside the jobs) so one backup holds reports and the
decisions taken on them. Why each table looks the way it does:

* ``reviewers``: passwords are stored only as argon2 hashes (``screening.server.ui.auth``);
  a reviewer signed in through a trusted proxy has no password row at all.
* ``review_sessions``: only a SHA-256 of the session token is stored, so a copy of the database
  does not let anyone sign in; each session carries its CSRF token.
* ``resolutions`` and ``decisions`` are append-only histories: the newest row is the current
  state, the older ones say who changed their mind and when.
* every change here writes its line to the audit trail (``screening.store.audit``) in the same
  transaction.

* ``inbox`` carries what the inbox page filters and sorts on (band, status, folded name, the
  standing decision, when the job finished), so a page is one indexed query with a LIMIT, and
  new applications are found from the job store's "finished since" cursor (the newest
  ``finished_at`` indexed here), not by listing every job on every page load.
* ``login_failures`` holds failed sign-ins (keys hashed) for the throttle, so every receiver of
  one database counts the same failures.

Erasing an applicant (``forget``) deletes the resolutions and decisions (their notes may hold
personal data) and writes an audit entry; the audit rows keep only the opaque application id.
Retention (``prune``) deletes the review data of applications whose reports were pruned.

The SQL runs on SQLite (``SqliteReview``, in the server's database file) and on PostgreSQL
(``screening.store.review_pg``, for several receivers on one database).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from screening.store import audit
from screening.store.audit import AuditEntry
from screening.store.db import Migration, SqlBacked, SqliteConnected, migrate

COMPONENT = "review"

MIGRATIONS = (
    Migration(
        1,
        """
        CREATE TABLE reviewers (
            name TEXT PRIMARY KEY,
            password_hash TEXT,
            role TEXT NOT NULL,
            created_at REAL NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE review_sessions (
            token_hash TEXT PRIMARY KEY,
            reviewer TEXT NOT NULL,
            role TEXT NOT NULL,
            csrf TEXT NOT NULL,
            created_at REAL NOT NULL,
            expires_at REAL NOT NULL
        );
        CREATE INDEX review_sessions_expiry ON review_sessions(expires_at);
        CREATE TABLE resolutions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            app_id TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            resolution TEXT NOT NULL,
            note TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX resolutions_app ON resolutions(app_id, rule_id, seq);
        CREATE TABLE decisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            app_id TEXT NOT NULL,
            decision TEXT NOT NULL,
            note TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            at REAL NOT NULL
        );
        CREATE INDEX decisions_app ON decisions(app_id, seq);
        CREATE TABLE inbox (
            app_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            source TEXT NOT NULL,
            band TEXT NOT NULL,
            score REAL NOT NULL,
            findings INTEGER NOT NULL,
            received_at REAL NOT NULL,
            opened INTEGER NOT NULL DEFAULT 0,
            rules TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX inbox_received ON inbox(received_at);
        CREATE TABLE rule_info (
            rule_id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            description TEXT NOT NULL,
            refs TEXT NOT NULL,
            falsepositives TEXT NOT NULL
        )
        """,
    ),
    # 2: the inbox filters, sorts and pages in SQL and syncs from a "finished since" cursor;
    # the sign-in throttle's failures are shared by every process on the database. (Rows
    # indexed before this version fold their name with SQL lower(), ASCII only, until their
    # application is screened again.)
    Migration(
        2,
        """
        ALTER TABLE inbox ADD COLUMN finished_at REAL;
        ALTER TABLE inbox ADD COLUMN decision TEXT;
        ALTER TABLE inbox ADD COLUMN name_fold TEXT NOT NULL DEFAULT '';
        ALTER TABLE inbox ADD COLUMN search TEXT NOT NULL DEFAULT '';
        UPDATE inbox SET finished_at = received_at, name_fold = lower(name),
            search = lower(app_id) || ' ' || lower(name),
            decision = (SELECT d.decision FROM decisions d WHERE d.app_id = inbox.app_id
                        ORDER BY d.seq DESC LIMIT 1),
            opened = CASE WHEN opened = 1 OR EXISTS(
                SELECT 1 FROM resolutions r WHERE r.app_id = inbox.app_id) THEN 1 ELSE 0 END;
        CREATE INDEX inbox_finished ON inbox(finished_at);
        DROP INDEX inbox_received;
        CREATE INDEX inbox_received ON inbox(received_at, app_id);
        CREATE TABLE login_failures (key TEXT NOT NULL, at REAL NOT NULL);
        CREATE INDEX login_failures_key ON login_failures(key, at);
        CREATE INDEX login_failures_at ON login_failures(at);
        CREATE TABLE rule_fired (rule_id TEXT PRIMARY KEY, n INTEGER NOT NULL);
        WITH RECURSIVE split(rule_id, rest) AS (
            SELECT '', rules || ' ' FROM inbox
            UNION ALL
            SELECT substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
            FROM split WHERE rest <> ''
        )
        INSERT INTO rule_fired(rule_id, n)
            SELECT rule_id, COUNT(*) FROM split WHERE rule_id <> '' GROUP BY rule_id
        """,
    ),
)


class Role(StrEnum):
    """What a signed-in person may do: reviewers review, admins also see the audit trail."""

    REVIEWER = "reviewer"
    ADMIN = "admin"


class Resolution(StrEnum):
    """A reviewer's reading of one finding."""

    CONFIRMED = "confirmed"
    BENIGN = "benign"  # shown as "benign — explained"
    NEEDS_INFORMATION = "needs_information"


class Decision(StrEnum):
    """A reviewer's next step for an application: never "reject" (signals, not verdicts)."""

    PROCEED = "proceed"
    VERIFY_IDENTITY = "verify_identity"
    ESCALATE = "escalate"


RESOLUTION_LABELS = {
    Resolution.CONFIRMED: "confirmed",
    Resolution.BENIGN: "benign — explained",
    Resolution.NEEDS_INFORMATION: "needs information",
}
DECISION_LABELS = {
    Decision.PROCEED: "proceed",
    Decision.VERIFY_IDENTITY: "verify identity",
    Decision.ESCALATE: "escalate",
}

MAX_NOTE_CHARS = 4000
MAX_NAME_CHARS = 120


@dataclass(frozen=True, slots=True)
class Reviewer:
    """An account (``password_hash`` is None for proxy-authenticated people)."""

    name: str
    role: Role
    password_hash: str | None
    disabled: bool


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in browser: who, with which role, and the CSRF token its forms carry."""

    reviewer: str
    role: Role
    csrf: str
    expires_at: float


@dataclass(frozen=True, slots=True)
class ResolutionEntry:
    """One finding's resolution as recorded."""

    app_id: str
    rule_id: str
    resolution: Resolution
    note: str
    reviewer: str
    at: float


@dataclass(frozen=True, slots=True)
class DecisionEntry:
    """One application decision as recorded."""

    app_id: str
    decision: Decision
    note: str
    reviewer: str
    at: float


@dataclass(frozen=True, slots=True)
class RuleText:
    """A rule as the reports describe it (title, description, references, known FPs)."""

    rule_id: str
    title: str
    description: str
    references: tuple[str, ...]
    falsepositives: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IndexedReport:
    """What the inbox keeps of a screened application (read once from its JSON report)."""

    app_id: str
    name: str
    source: str
    band: str
    score: float
    rules: tuple[str, ...]  # ids of the rules with a finding
    received_at: float
    infos: tuple[RuleText, ...] = ()  # how the report described those rules
    finished_at: float | None = None  # when its screening finished (the sync cursor)


@dataclass(frozen=True, slots=True)
class InboxEntry:
    """One screened application as the inbox lists it."""

    app_id: str
    name: str
    source: str
    band: str
    score: float
    findings: int
    received_at: float
    status: str  # new, in review, decided
    decision: Decision | None


INBOX_SORTS = ("received", "score", "band", "name", "status")
_STATUS_SQL = (
    "CASE WHEN decision IS NOT NULL THEN 'decided' WHEN opened = 1 THEN 'in review' ELSE 'new' END"
)
_SORT_SQL = {
    "received": "received_at",
    "score": "score",
    "band": "CASE band WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 "
    "WHEN 'low' THEN 0 ELSE -1 END {dir}, score",
    "name": "name_fold",
    "status": "CASE WHEN decision IS NOT NULL THEN 2 WHEN opened = 1 THEN 1 ELSE 0 END",
}


@dataclass(frozen=True, slots=True)
class InboxFilter:
    """Which inbox rows, in which order, which page of them (the inbox page's query)."""

    bands: tuple[str, ...] = ()
    status: str = ""  # new, in review, decided; empty: any
    search: str = ""  # part of the application id or the name, any case
    sort: str = "received"
    descending: bool = True
    offset: int = 0
    limit: int | None = None

    def where(self) -> tuple[str, list[object]]:
        """The SQL condition and its parameters."""
        terms: list[str] = []
        params: list[object] = []
        if self.bands:
            terms.append(f"band IN ({', '.join('?' for _ in self.bands)})")
            params += self.bands
        if self.status:
            terms.append(f"{_STATUS_SQL} = ?")
            params.append(self.status)
        needle = fold(self.search)
        if needle:
            escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            terms.append("search LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        return (f"WHERE {' AND '.join(terms)}" if terms else ""), params

    def order(self) -> str:
        """The SQL ORDER BY (ties broken by id, so pages never overlap)."""
        direction = "DESC" if self.descending else "ASC"
        column = _SORT_SQL.get(self.sort, _SORT_SQL["received"]).format(dir=direction)
        return f"ORDER BY {column} {direction}, app_id {direction}"


def fold(text: str) -> str:
    """Text as the inbox search compares it: case-folded, control characters removed."""
    return "".join(c for c in text.casefold() if c.isprintable())


@dataclass(frozen=True, slots=True)
class RuleOutcome:
    """How reviewers resolved one rule's findings (current resolutions only)."""

    rule_id: str
    confirmed: int
    benign: int
    needs_information: int
    open: int

    @property
    def resolved(self) -> int:
        """Findings a reviewer settled either way."""
        return self.confirmed + self.benign

    @property
    def precision(self) -> float | None:
        """Confirmed among the settled ones; None before any was settled."""
        return self.confirmed / self.resolved if self.resolved else None


def token_hash(token: str) -> str:
    """The stored form of a session token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _failure_key(key: str) -> str:
    """The stored form of a throttle key (an attempted name may be a mistyped password)."""
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


_INBOX_COLUMNS = (
    f"app_id, name, source, band, score, findings, received_at, {_STATUS_SQL}, decision"
)


class ReviewStore(SqlBacked):
    """The review tables' reads and changes, in SQL that SQLite and PostgreSQL both run.

    Subclasses supply the connection (``_db``), a write transaction (``_write``; the audit line
    of a change is written in it) and the translation of read errors (``_reading``).
    """

    def _all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with self._reading():
            rows: list[tuple[Any, ...]] = self._db().execute(sql, tuple(params)).fetchall()
        return rows

    def _one(self, sql: str, params: Sequence[object] = ()) -> tuple[Any, ...] | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    def _run(self, sql: str, params: Sequence[object] = ()) -> Any:
        return self._db().execute(sql, tuple(params))

    # -- accounts --------------------------------------------------------------------------------

    def add_reviewer(self, name: str, role: Role, password_hash: str | None) -> None:
        """Create or replace an account (a new password hash replaces the old one)."""
        with self._write():
            self._run(
                "INSERT INTO reviewers(name, password_hash, role, created_at) VALUES(?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, "
                "role = excluded.role, disabled = 0",
                (name, password_hash, role.value, self._clock()),
            )
            self._audit("cli", "reviewer.saved", None, f"{name} ({role.value})")

    def disable_reviewer(self, name: str) -> bool:
        """Stop an account from signing in and end its sessions."""
        with self._write():
            changed = self._run(
                "UPDATE reviewers SET disabled = 1 WHERE name = ?", (name,)
            ).rowcount
            self._run("DELETE FROM review_sessions WHERE reviewer = ?", (name,))
            if changed:
                self._audit("cli", "reviewer.disabled", None, name)
        return bool(changed)

    def reviewer(self, name: str) -> Reviewer | None:
        """An account by name."""
        row = self._one(
            "SELECT name, role, password_hash, disabled FROM reviewers WHERE name = ?", (name,)
        )
        return Reviewer(row[0], Role(row[1]), row[2], bool(row[3])) if row else None

    def reviewers(self) -> list[Reviewer]:
        """Every account, by name."""
        rows = self._all("SELECT name, role, password_hash, disabled FROM reviewers ORDER BY name")
        return [Reviewer(r[0], Role(r[1]), r[2], bool(r[3])) for r in rows]

    # -- sessions --------------------------------------------------------------------------------

    def open_session(
        self, token: str, reviewer: str, role: Role, csrf: str, lifetime: float
    ) -> Session:
        """Store a new session (and drop expired ones while at it)."""
        now = self._clock()
        with self._write():
            self._run("DELETE FROM review_sessions WHERE expires_at < ?", (now,))
            self._run(
                "INSERT INTO review_sessions VALUES(?, ?, ?, ?, ?, ?)",
                (token_hash(token), reviewer, role.value, csrf, now, now + lifetime),
            )
        return Session(reviewer, role, csrf, now + lifetime)

    def session(self, token: str) -> Session | None:
        """The live session of a token, or None (unknown, expired, or its account disabled)."""
        row = self._one(
            "SELECT s.reviewer, s.role, s.csrf, s.expires_at FROM review_sessions s "
            "LEFT JOIN reviewers r ON r.name = s.reviewer "
            "WHERE s.token_hash = ? AND s.expires_at >= ? AND COALESCE(r.disabled, 0) = 0",
            (token_hash(token), self._clock()),
        )
        return Session(row[0], Role(row[1]), row[2], float(row[3])) if row else None

    def close_session(self, token: str) -> None:
        """Sign out."""
        with self._write():
            self._run("DELETE FROM review_sessions WHERE token_hash = ?", (token_hash(token),))

    # -- the sign-in throttle --------------------------------------------------------------------

    def login_wait(self, key: str, attempts: int, window: float) -> float:
        """Seconds until ``key`` may try to sign in again after ``attempts`` failures within
        ``window`` seconds (0: now). Counted in the database, so every receiver agrees."""
        now = self._clock()
        row = self._one(
            "SELECT at FROM login_failures WHERE key = ? AND at > ? "
            "ORDER BY at DESC LIMIT 1 OFFSET ?",
            (_failure_key(key), now - window, max(0, attempts - 1)),
        )
        return max(0.0, float(row[0]) + window - now) if row else 0.0

    def login_failed(self, keys: Sequence[str], window: float) -> None:
        """Count one failed sign-in against every key (and forget failures older than
        ``window``, so the table holds only what the throttle still reads)."""
        now = self._clock()
        with self._write():
            self._run("DELETE FROM login_failures WHERE at <= ?", (now - window,))
            self._db().executemany(
                "INSERT INTO login_failures(key, at) VALUES(?, ?)",
                [(_failure_key(k), now) for k in keys],
            )

    def login_succeeded(self, key: str) -> None:
        """A successful sign-in clears that key's failures."""
        with self._write():
            self._run("DELETE FROM login_failures WHERE key = ?", (_failure_key(key),))

    # -- inbox -----------------------------------------------------------------------------------

    def index_cursor(self) -> float | None:
        """The newest ``finished_at`` in the index: where the next sync reads from."""
        row = self._one("SELECT MAX(finished_at) FROM inbox")
        return float(row[0]) if row and row[0] is not None else None

    def indexed_since(self, finished_after: float) -> dict[str, float]:
        """Application id -> ``finished_at`` of the rows finished after a moment."""
        rows = self._all(
            "SELECT app_id, finished_at FROM inbox WHERE finished_at > ?", (finished_after,)
        )
        return {str(r[0]): float(r[1]) for r in rows}

    def index(self, reports: Sequence[IndexedReport]) -> None:
        """Add screened applications to the inbox (a re-screened one replaces its row; who
        opened it and the standing decision stay)."""
        if not reports:
            return
        reports = list({r.app_id: r for r in reports}.values())
        with self._write():
            self._inbox_lock()
            marks = ", ".join("?" for _ in reports)
            old = self._run(
                f"SELECT rules FROM inbox WHERE app_id IN ({marks})", [r.app_id for r in reports]
            ).fetchall()
            delta = Counter(rule for r in reports for rule in r.rules)
            delta.subtract(rule for (rules,) in old for rule in str(rules).split())
            self._count_fired(delta)
            self._db().executemany(
                "INSERT INTO inbox(app_id, name, source, band, score, findings, received_at, "
                "rules, finished_at, name_fold, search) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(app_id) DO UPDATE SET name = excluded.name, "
                "source = excluded.source, band = excluded.band, score = excluded.score, "
                "findings = excluded.findings, received_at = excluded.received_at, "
                "rules = excluded.rules, finished_at = excluded.finished_at, "
                "name_fold = excluded.name_fold, search = excluded.search",
                [
                    (
                        r.app_id,
                        r.name,
                        r.source,
                        r.band,
                        r.score,
                        len(r.rules),
                        r.received_at,
                        " ".join(r.rules),
                        r.finished_at if r.finished_at is not None else r.received_at,
                        fold(r.name),
                        f"{fold(r.app_id)} {fold(r.name)}",
                    )
                    for r in reports
                ],
            )
            self._db().executemany(
                "INSERT INTO rule_info VALUES(?, ?, ?, ?, ?) ON CONFLICT(rule_id) DO UPDATE SET "
                "title = excluded.title, description = excluded.description, "
                "refs = excluded.refs, falsepositives = excluded.falsepositives",
                list(
                    {
                        t.rule_id: (
                            t.rule_id,
                            t.title,
                            t.description,
                            json.dumps(t.references),
                            json.dumps(t.falsepositives),
                        )
                        for r in reports
                        for t in r.infos
                    }.values()
                ),
            )

    def rule_texts(self) -> dict[str, RuleText]:
        """Every rule the inbox has seen a finding of, as its newest report described it."""
        rows = self._all("SELECT rule_id, title, description, refs, falsepositives FROM rule_info")
        return {
            r[0]: RuleText(r[0], r[1], r[2], tuple(json.loads(r[3])), tuple(json.loads(r[4])))
            for r in rows
        }

    def fired(self) -> dict[str, int]:
        """Per rule, how many indexed applications show one of its findings (counters kept
        as the inbox changes: one row per rule, whatever the number of applications)."""
        return {
            str(r[0]): int(r[1]) for r in self._all("SELECT rule_id, n FROM rule_fired WHERE n > 0")
        }

    def mark_opened(self, app_id: str) -> None:
        """An application was opened by a reviewer: it is "in review" from now on."""
        with self._write():
            self._run("UPDATE inbox SET opened = 1 WHERE app_id = ? AND opened = 0", (app_id,))

    def inbox(self, query: InboxFilter = InboxFilter()) -> list[InboxEntry]:
        """Indexed applications with their review status and standing decision: those
        ``query`` selects, in its order, its page of them (every one by default)."""
        where, params = query.where()
        page = ""
        if query.limit is not None:
            page = " LIMIT ? OFFSET ?"
            params += [query.limit, query.offset]
        rows = self._all(
            f"SELECT {_INBOX_COLUMNS} FROM inbox {where} {query.order()}{page}", params
        )
        return [
            InboxEntry(
                r[0],
                r[1],
                r[2],
                r[3],
                float(r[4]),
                int(r[5]),
                float(r[6]),
                str(r[7]),
                Decision(r[8]) if r[8] else None,
            )
            for r in rows
        ]

    def inbox_count(self, query: InboxFilter = InboxFilter()) -> int:
        """How many indexed applications ``query`` selects (all its pages)."""
        where, params = query.where()
        row = self._one(f"SELECT COUNT(*) FROM inbox {where}", params)
        return int(row[0]) if row else 0

    # -- resolutions and decisions ---------------------------------------------------------------

    def resolve(
        self, app_id: str, rule_id: str, resolution: Resolution, note: str, reviewer: str
    ) -> None:
        """Record a finding's resolution (a later one replaces it; the history is kept)."""
        with self._write():
            self._run(
                "INSERT INTO resolutions(app_id, rule_id, resolution, note, reviewer, at) "
                "VALUES(?, ?, ?, ?, ?, ?)",
                (app_id, rule_id, resolution.value, note, reviewer, self._clock()),
            )
            self._run("UPDATE inbox SET opened = 1 WHERE app_id = ? AND opened = 0", (app_id,))
            self._audit(reviewer, "finding.resolved", app_id, f"{rule_id}: {resolution.value}")

    def decide(self, app_id: str, decision: Decision, note: str, reviewer: str) -> None:
        """Record an application decision (a later one replaces it; the history is kept)."""
        with self._write():
            self._run(
                "INSERT INTO decisions(app_id, decision, note, reviewer, at) VALUES(?, ?, ?, ?, ?)",
                (app_id, decision.value, note, reviewer, self._clock()),
            )
            self._run("UPDATE inbox SET decision = ? WHERE app_id = ?", (decision.value, app_id))
            self._audit(reviewer, "application.decided", app_id, decision.value)

    def resolutions(self, app_id: str) -> dict[str, ResolutionEntry]:
        """The current resolution of each resolved finding of an application."""
        rows = self._all(
            "SELECT app_id, rule_id, resolution, note, reviewer, at FROM resolutions "
            "WHERE app_id = ? ORDER BY seq",
            (app_id,),
        )
        return {
            r[1]: ResolutionEntry(r[0], r[1], Resolution(r[2]), r[3], r[4], float(r[5]))
            for r in rows
        }

    def decisions(self, app_id: str) -> list[DecisionEntry]:
        """Every decision taken on an application, oldest first (the last one stands)."""
        rows = self._all(
            "SELECT app_id, decision, note, reviewer, at FROM decisions WHERE app_id = ? "
            "ORDER BY seq",
            (app_id,),
        )
        return [DecisionEntry(r[0], Decision(r[1]), r[2], r[3], float(r[4])) for r in rows]

    def current_decisions(self) -> list[DecisionEntry]:
        """The standing decision of every decided application."""
        rows = self._all(
            "SELECT app_id, decision, note, reviewer, at FROM decisions d WHERE seq = "
            "(SELECT MAX(seq) FROM decisions e WHERE e.app_id = d.app_id) ORDER BY app_id"
        )
        return [DecisionEntry(r[0], Decision(r[1]), r[2], r[3], float(r[4])) for r in rows]

    def rule_outcomes(self, fired: dict[str, int] | None = None) -> list[RuleOutcome]:
        """Per rule, the current resolutions of its findings; ``fired`` (rule -> findings
        shown to reviewers) adds the ones nobody resolved as ``open``."""
        rows = self._all(
            "SELECT rule_id, resolution, COUNT(*) FROM resolutions r WHERE seq = "
            "(SELECT MAX(seq) FROM resolutions s WHERE s.app_id = r.app_id AND "
            "s.rule_id = r.rule_id) GROUP BY rule_id, resolution"
        )
        counts: dict[str, dict[str, int]] = {}
        for rule_id, resolution, n in rows:
            counts.setdefault(rule_id, {})[resolution] = int(n)
        out = []
        for rule_id in sorted(set(counts) | set(fired or {})):
            c = counts.get(rule_id, {})
            settled = sum(c.values())
            out.append(
                RuleOutcome(
                    rule_id,
                    c.get(Resolution.CONFIRMED.value, 0),
                    c.get(Resolution.BENIGN.value, 0),
                    c.get(Resolution.NEEDS_INFORMATION.value, 0),
                    max(0, (fired or {}).get(rule_id, 0) - settled),
                )
            )
        return out

    # -- audit -----------------------------------------------------------------------------------

    def audit(self, actor: str, action: str, app_id: str | None, detail: str = "") -> None:
        """Append one line to the audit trail."""
        with self._write():
            self._audit(actor, action, app_id, detail)

    def audit_entries(
        self,
        *,
        app_id: str | None = None,
        actor: str | None = None,
        action: str | None = None,
        limit: int = 200,
    ) -> list[AuditEntry]:
        """The newest audit lines first, optionally for one application, person or action."""
        with self._reading():
            return audit.entries(self._db(), app_id=app_id, actor=actor, action=action, limit=limit)

    # -- erasure and retention -------------------------------------------------------------------

    def forget(self, app_id: str, actor: str) -> bool:
        """Erase an applicant's review data (notes may hold personal data); audited."""
        with self._write():
            self._inbox_lock()
            n = self._drop_inbox_rows([app_id])
            for table in ("resolutions", "decisions"):
                n += self._run(f"DELETE FROM {table} WHERE app_id = ?", (app_id,)).rowcount
            self._audit(actor, "application.erased", app_id, "")
        return n > 0

    def prune(self, finished_before: float, batch: int = 1000) -> int:
        """Delete the review data (inbox row, decisions, resolutions and their notes) of up to
        ``batch`` applications whose screening finished before ``finished_before`` — the
        moment the job store's retention deletes their reports — and notes older than that on
        applications no longer in the inbox. Returns the applications pruned (call again while
        it returns ``batch``). The audit trail keeps its lines (opaque ids, no notes)."""
        with self._write():
            self._inbox_lock()
            ids = [
                str(r[0])
                for r in self._run(
                    "SELECT app_id FROM inbox WHERE finished_at < ? ORDER BY finished_at LIMIT ?",
                    (finished_before, batch),
                ).fetchall()
            ]
            if ids:
                marks = ", ".join("?" for _ in ids)
                for table in ("resolutions", "decisions"):
                    self._run(f"DELETE FROM {table} WHERE app_id IN ({marks})", ids)
                self._drop_inbox_rows(ids)
            for table in ("resolutions", "decisions"):
                self._run(
                    f"DELETE FROM {table} WHERE at < ? "
                    "AND app_id NOT IN (SELECT app_id FROM inbox)",
                    (finished_before,),
                )
        return len(ids)

    def compact(self) -> None:
        """Make the space of erased rows unreadable or reusable (nothing to do on SQLite: the
        erasure compacts the whole file through the history store)."""

    # -- internals -------------------------------------------------------------------------------

    def _audit(self, actor: str, action: str, app_id: str | None, detail: str) -> None:
        audit.append(self._db(), self._clock(), actor, action, app_id, detail)

    def _inbox_lock(self) -> None:
        """Hook: serialise changes of inbox rows and their rule counters across processes
        (SQLite's write transaction already does; PostgreSQL takes a lock)."""

    def _drop_inbox_rows(self, app_ids: Sequence[str]) -> int:
        """Delete inbox rows and take their findings off the rule counters (in the caller's
        transaction, after ``_inbox_lock``)."""
        marks = ", ".join("?" for _ in app_ids)
        gone = self._run(
            f"DELETE FROM inbox WHERE app_id IN ({marks}) RETURNING rules", list(app_ids)
        ).fetchall()
        delta: Counter[str] = Counter()
        for (rules,) in gone:
            delta.subtract(str(rules).split())
        self._count_fired(delta)
        return len(gone)

    def _count_fired(self, delta: Counter[str]) -> None:
        # one order in every transaction: two transactions cannot deadlock on the counter rows
        changes = sorted((rule, n) for rule, n in delta.items() if n)
        if changes:
            self._db().executemany(
                "INSERT INTO rule_fired(rule_id, n) VALUES(?, ?) ON CONFLICT(rule_id) "
                "DO UPDATE SET n = rule_fired.n + excluded.n",
                changes,
            )


class SqliteReview(SqliteConnected, ReviewStore):
    """The review tables in a SQLite file (one connection per thread, like every store here)."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        super().__init__(path, clock)
        migrate(self._conn, COMPONENT, MIGRATIONS, self.path)
        audit.prepare(self._conn, self.path)


def iter_labels(decisions: Sequence[DecisionEntry]) -> Iterator[tuple[str, str]]:
    """(application id, eval label) for decisions that settle the question: ``escalate`` ->
    ``impostor``, ``proceed`` -> ``genuine``; ``verify identity`` is still open and left out."""
    for d in decisions:
        if d.decision is Decision.ESCALATE:
            yield d.app_id, "impostor"
        elif d.decision is Decision.PROCEED:
            yield d.app_id, "genuine"
