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

Erasing an applicant (``forget``) deletes the resolutions and decisions (their notes may hold
personal data) and writes an audit entry; the audit rows keep only the opaque application id.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from screening.errors import StoreError
from screening.store import audit
from screening.store.audit import AuditEntry
from screening.store.db import Migration, connect, explain_error, migrate, write_transaction

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


class ReviewStore:
    """The review tables on one SQLite connection (one per thread, like every store here)."""

    def __init__(self, path: Path | str, *, clock: Callable[[], float] = time.time) -> None:
        self.path = str(path)
        self._clock = clock
        self._conn = connect(path)
        migrate(self._conn, COMPONENT, MIGRATIONS, self.path)
        audit.prepare(self._conn, self.path)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    # -- accounts --------------------------------------------------------------------------------

    def add_reviewer(self, name: str, role: Role, password_hash: str | None) -> None:
        """Create or replace an account (a new password hash replaces the old one)."""
        with self._write():
            self._conn.execute(
                "INSERT INTO reviewers(name, password_hash, role, created_at) VALUES(?, ?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, "
                "role = excluded.role, disabled = 0",
                (name, password_hash, role.value, self._clock()),
            )
            self._audit("cli", "reviewer.saved", None, f"{name} ({role.value})")

    def disable_reviewer(self, name: str) -> bool:
        """Stop an account from signing in and end its sessions."""
        with self._write():
            changed = self._conn.execute(
                "UPDATE reviewers SET disabled = 1 WHERE name = ?", (name,)
            ).rowcount
            self._conn.execute("DELETE FROM review_sessions WHERE reviewer = ?", (name,))
            if changed:
                self._audit("cli", "reviewer.disabled", None, name)
        return bool(changed)

    def reviewer(self, name: str) -> Reviewer | None:
        """An account by name."""
        row = self._read(
            "SELECT name, role, password_hash, disabled FROM reviewers WHERE name = ?", (name,)
        )
        return Reviewer(row[0], Role(row[1]), row[2], bool(row[3])) if row else None

    def reviewers(self) -> list[Reviewer]:
        """Every account, by name."""
        rows = self._conn.execute(
            "SELECT name, role, password_hash, disabled FROM reviewers ORDER BY name"
        ).fetchall()
        return [Reviewer(r[0], Role(r[1]), r[2], bool(r[3])) for r in rows]

    # -- sessions --------------------------------------------------------------------------------

    def open_session(
        self, token: str, reviewer: str, role: Role, csrf: str, lifetime: float
    ) -> Session:
        """Store a new session (and drop expired ones while at it)."""
        now = self._clock()
        with self._write():
            self._conn.execute("DELETE FROM review_sessions WHERE expires_at < ?", (now,))
            self._conn.execute(
                "INSERT INTO review_sessions VALUES(?, ?, ?, ?, ?, ?)",
                (token_hash(token), reviewer, role.value, csrf, now, now + lifetime),
            )
        return Session(reviewer, role, csrf, now + lifetime)

    def session(self, token: str) -> Session | None:
        """The live session of a token, or None (unknown, expired, or its account disabled)."""
        row = self._read(
            "SELECT s.reviewer, s.role, s.csrf, s.expires_at FROM review_sessions s "
            "LEFT JOIN reviewers r ON r.name = s.reviewer "
            "WHERE s.token_hash = ? AND s.expires_at >= ? AND COALESCE(r.disabled, 0) = 0",
            (token_hash(token), self._clock()),
        )
        return Session(row[0], Role(row[1]), row[2], float(row[3])) if row else None

    def close_session(self, token: str) -> None:
        """Sign out."""
        with self._write():
            self._conn.execute(
                "DELETE FROM review_sessions WHERE token_hash = ?", (token_hash(token),)
            )

    # -- inbox -----------------------------------------------------------------------------------

    def indexed(self) -> set[str]:
        """Application ids already in the inbox index."""
        return {r[0] for r in self._conn.execute("SELECT app_id FROM inbox")}

    def index(self, reports: Sequence[IndexedReport]) -> None:
        """Add screened applications to the inbox (a re-screened one replaces its row)."""
        if not reports:
            return
        with self._write():
            self._conn.executemany(
                "INSERT OR REPLACE INTO inbox(app_id, name, source, band, score, findings, "
                "received_at, rules) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
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
                    )
                    for r in reports
                ],
            )
            self._conn.executemany(
                "INSERT OR REPLACE INTO rule_info VALUES(?, ?, ?, ?, ?)",
                [
                    (
                        t.rule_id,
                        t.title,
                        t.description,
                        json.dumps(t.references),
                        json.dumps(t.falsepositives),
                    )
                    for r in reports
                    for t in r.infos
                ],
            )

    def rule_texts(self) -> dict[str, RuleText]:
        """Every rule the inbox has seen a finding of, as its newest report described it."""
        rows = self._conn.execute("SELECT * FROM rule_info").fetchall()
        return {
            r[0]: RuleText(r[0], r[1], r[2], tuple(json.loads(r[3])), tuple(json.loads(r[4])))
            for r in rows
        }

    def fired(self) -> dict[str, int]:
        """Per rule, how many indexed applications show one of its findings."""
        counts: dict[str, int] = {}
        for (rules,) in self._conn.execute("SELECT rules FROM inbox"):
            for rule_id in str(rules).split():
                counts[rule_id] = counts.get(rule_id, 0) + 1
        return counts

    def mark_opened(self, app_id: str) -> None:
        """An application was opened by a reviewer: it is "in review" from now on."""
        with self._write():
            self._conn.execute("UPDATE inbox SET opened = 1 WHERE app_id = ?", (app_id,))

    def inbox(self) -> list[InboxEntry]:
        """Every indexed application with its review status and current decision."""
        rows = self._conn.execute(
            "SELECT i.app_id, i.name, i.source, i.band, i.score, i.findings, i.received_at, "
            "i.opened, (SELECT d.decision FROM decisions d WHERE d.app_id = i.app_id "
            "ORDER BY d.seq DESC LIMIT 1), "
            "EXISTS(SELECT 1 FROM resolutions r WHERE r.app_id = i.app_id) FROM inbox i"
        ).fetchall()
        out = []
        for r in rows:
            decision = Decision(r[8]) if r[8] else None
            status = "decided" if decision else ("in review" if r[7] or r[9] else "new")
            out.append(
                InboxEntry(r[0], r[1], r[2], r[3], float(r[4]), int(r[5]), r[6], status, decision)
            )
        return out

    # -- resolutions and decisions ---------------------------------------------------------------

    def resolve(
        self, app_id: str, rule_id: str, resolution: Resolution, note: str, reviewer: str
    ) -> None:
        """Record a finding's resolution (a later one replaces it; the history is kept)."""
        with self._write():
            self._conn.execute(
                "INSERT INTO resolutions(app_id, rule_id, resolution, note, reviewer, at) "
                "VALUES(?, ?, ?, ?, ?, ?)",
                (app_id, rule_id, resolution.value, note, reviewer, self._clock()),
            )
            self._audit(reviewer, "finding.resolved", app_id, f"{rule_id}: {resolution.value}")

    def decide(self, app_id: str, decision: Decision, note: str, reviewer: str) -> None:
        """Record an application decision (a later one replaces it; the history is kept)."""
        with self._write():
            self._conn.execute(
                "INSERT INTO decisions(app_id, decision, note, reviewer, at) VALUES(?, ?, ?, ?, ?)",
                (app_id, decision.value, note, reviewer, self._clock()),
            )
            self._audit(reviewer, "application.decided", app_id, decision.value)

    def resolutions(self, app_id: str) -> dict[str, ResolutionEntry]:
        """The current resolution of each resolved finding of an application."""
        rows = self._conn.execute(
            "SELECT app_id, rule_id, resolution, note, reviewer, at FROM resolutions "
            "WHERE app_id = ? ORDER BY seq",
            (app_id,),
        ).fetchall()
        return {r[1]: ResolutionEntry(r[0], r[1], Resolution(r[2]), r[3], r[4], r[5]) for r in rows}

    def decisions(self, app_id: str) -> list[DecisionEntry]:
        """Every decision taken on an application, oldest first (the last one stands)."""
        rows = self._conn.execute(
            "SELECT app_id, decision, note, reviewer, at FROM decisions WHERE app_id = ? "
            "ORDER BY seq",
            (app_id,),
        ).fetchall()
        return [DecisionEntry(r[0], Decision(r[1]), r[2], r[3], r[4]) for r in rows]

    def current_decisions(self) -> list[DecisionEntry]:
        """The standing decision of every decided application."""
        rows = self._conn.execute(
            "SELECT app_id, decision, note, reviewer, at FROM decisions d WHERE seq = "
            "(SELECT MAX(seq) FROM decisions e WHERE e.app_id = d.app_id) ORDER BY app_id"
        ).fetchall()
        return [DecisionEntry(r[0], Decision(r[1]), r[2], r[3], r[4]) for r in rows]

    def rule_outcomes(self, fired: dict[str, int] | None = None) -> list[RuleOutcome]:
        """Per rule, the current resolutions of its findings; ``fired`` (rule -> findings
        shown to reviewers) adds the ones nobody resolved as ``open``."""
        rows = self._conn.execute(
            "SELECT rule_id, resolution, COUNT(*) FROM resolutions r WHERE seq = "
            "(SELECT MAX(seq) FROM resolutions s WHERE s.app_id = r.app_id AND "
            "s.rule_id = r.rule_id) GROUP BY rule_id, resolution"
        ).fetchall()
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
        return audit.entries(self._conn, app_id=app_id, actor=actor, action=action, limit=limit)

    # -- erasure ---------------------------------------------------------------------------------

    def forget(self, app_id: str, actor: str) -> bool:
        """Erase an applicant's review data (notes may hold personal data); audited."""
        with self._write():
            n = 0
            for table in ("resolutions", "decisions", "inbox"):
                n += self._conn.execute(f"DELETE FROM {table} WHERE app_id = ?", (app_id,)).rowcount
            self._audit(actor, "application.erased", app_id, "")
        return n > 0

    # -- internals -------------------------------------------------------------------------------

    def _audit(self, actor: str, action: str, app_id: str | None, detail: str) -> None:
        audit.append(self._conn, self._clock(), actor, action, app_id, detail)

    def _read(self, sql: str, params: tuple[object, ...]) -> tuple[Any, ...] | None:
        try:
            row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(explain_error(Path(self.path), exc)) from None
        return row

    def _write(self) -> AbstractContextManager[None]:
        return write_transaction(self._conn, self.path)


def iter_labels(decisions: Sequence[DecisionEntry]) -> Iterator[tuple[str, str]]:
    """(application id, eval label) for decisions that settle the question: ``escalate`` ->
    ``impostor``, ``proceed`` -> ``genuine``; ``verify identity`` is still open and left out."""
    for d in decisions:
        if d.decision is Decision.ESCALATE:
            yield d.app_id, "impostor"
        elif d.decision is Decision.PROCEED:
            yield d.app_id, "genuine"
