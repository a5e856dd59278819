"""Attachment facts: what is active or deceptive in the files an applicant handed over.

Ingest triages every resume and cover-letter file, and every take-home submission the reviewer
passes, part by part (``screening.ingest.triage``); this analyzer turns that triage into one
record per file with a list-valued fact per kind of active content, so a rule can say "the
resume carries an auto-run macro in ``word/vbaProject.bin``". The one fact computed here is
whether the password of an encrypted archive is given in the application's own text, the
standard trick to get an archive past a mail scanner.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.ingest.triage.packages import package_source
from screening.model.attachments import INDICATOR_KINDS, Triage
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

# "password: x7Kq!2", "the passcode is 4411", "pwd - resume2025", in the common languages of
# job applications; the word must be followed by a token, so "password manager" is no match.
_PASSWORD = re.compile(
    r"\b(password|passcode|passwort|kennwort|contrase[ñn]a|mot\s+de\s+passe|senha|pwd|pw)\b"
    r"\s*(?:is|:|=|-|–)\s*[\"'“]?([^\s\"'”]{3,64})",
    re.IGNORECASE,
)


def password_statements(texts: list[str]) -> list[str]:
    """Where the application text gives a password (the password itself is masked)."""
    found = []
    for text in texts:
        for match in _PASSWORD.finditer(text[:200_000]):
            found.append(f"'{match.group(1)} … {'*' * min(len(match.group(2)), 8)}'")
    return list(dict.fromkeys(found))


_KINDS = list(INDICATOR_KINDS.items())


class AttachmentAnalyzer:
    """Active content in resume, cover-letter and submission files, from ingest's triage."""

    name: ClassVar[str] = "attachments"
    description: ClassVar[str] = "Active or deceptive content in the applicant's files"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec(
            "attachments", "One record per file or submission triaged", "attachments", True
        ),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "attachments",
        "attachments",
        [
            ("name", "str", "File name as given (control characters shown as <U+XXXX>)"),
            (
                "role",
                "str",
                "What the file is",
                {"values": ("resume", "cover_letter", "attachment", "submission")},
            ),
            ("detected_type", "str", "The real type read from the content (MIME type)"),
            ("files", "int", "Files looked at (archive and submission members included)"),
            ("complete", "bool", "Every part of the file could be looked at"),
            ("incomplete_reason", "str", "Why the triage could not look at everything"),
            ("active", "list[str]", "Kinds of active or deceptive content found"),
            *[
                (kind, "list[str]", f"{text} (part: detail)")
                for kind, text in INDICATOR_KINDS.items()
            ],
        ],
    )

    def __init__(self, lists_dir: Path | None = None) -> None:
        self.lists_dir = lists_dir

    def sources(self) -> list[Source]:
        """The malicious-package list used for submissions."""
        return [package_source(self.lists_dir)]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per triaged file."""
        triages = [d.triage for d in app.documents if d.triage is not None]
        triages += list(app.attachments)
        if not triages:
            return FamilyResult.skipped("no resume or cover-letter file, attachment or submission")
        passwords: list[str] | None = None
        records: list[Record] = []
        for triage in triages:
            record = _record(triage)
            if triage.of("encrypted_archive"):
                if passwords is None:
                    passwords = password_statements(_texts(app))
                record["password_in_text"] = passwords or None
                if passwords:
                    record["active"] = [*record["active"], "password_in_text"]  # type: ignore[misc]
            records.append(record)
        return FamilyResult(records={"attachments": records})


def _record(triage: Triage) -> Record:
    record: Record = {
        "name": triage.name,
        "role": triage.role,
        "detected_type": triage.detected_type or None,
        "files": triage.files,
        "complete": triage.complete,
        "incomplete_reason": triage.reason or None,
        "active": list(dict.fromkeys(i.kind for i in triage.indicators)),
    }
    for kind in INDICATOR_KINDS:
        record[kind] = triage.of(kind) or None
    return record


def _texts(app: Application) -> list[str]:
    texts = [d.text for d in app.documents if d.text]
    texts += [m.text for m in app.messages if m.text]
    texts += list(app.interview_notes)
    return texts
