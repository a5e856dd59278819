"""Behaviour facts from timestamps: when the candidate writes, in their claimed local time.

A candidate who says they live in Texas but answers almost every message between midnight and
6 a.m. Texas time may be working from another continent (2022 advisory: "inability to conduct
business during required business hours"). Night means night in *every* zone the claim allows,
so a country spanning several zones is never judged by the wrong one. Interview-note wording is
the language analyzer's job.
"""

from __future__ import annotations

from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.zones import claimed_zones, local_hours, tzdata_source
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

NIGHT_HOURS = range(6)
CANDIDATE_SENDERS = frozenset({"candidate", "applicant", "me", "them"})


class BehaviorAnalyzer:
    """Local hour of candidate messages and of the application in the claimed time zone."""

    name: ClassVar[str] = "behavior"
    description: ClassVar[str] = "Timing of messages and the application in claimed local time"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("messages", "One record per message", "behavior", True),
        NamespaceSpec("behavior", "Summary of the candidate's timing", "behavior", False),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "behavior",
        "messages",
        [
            ("sender", "str", "Who sent it (candidate, recruiter ...)"),
            ("from_candidate", "bool", "The candidate sent it"),
            ("at", "datetime", "When it was sent"),
            ("local_hours", "list[int]", "Hour of day in the claimed zone(s)"),
            ("at_night", "bool", "Sent between 00:00 and 05:59 in every claimed zone"),
        ],
    ) + declare(
        "behavior",
        "behavior",
        [
            ("candidate_message_count", "int", "Timestamped messages from the candidate"),
            ("night_message_count", "int", "Candidate messages sent at night in claimed time"),
            ("night_message_share", "float", "Share (0-1) of candidate messages sent at night"),
            ("application_local_hours", "list[int]", "Hour the application arrived, claimed time"),
        ],
    )

    def sources(self) -> list[Source]:
        """The time-zone database."""
        return [tzdata_source()]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """Per-message local hours and a night-time share."""
        timed = [m for m in app.messages if m.at is not None]
        if not timed and app.received_at is None:
            return FamilyResult.skipped("no timestamped messages in the application")
        zones = claimed_zones(app.location.timezone, app.location.country)
        if not zones:
            return FamilyResult(
                records={
                    "messages": [
                        {
                            "sender": m.sender,
                            "from_candidate": m.sender in CANDIDATE_SENDERS,
                            "at": m.at,
                        }
                        for m in timed
                    ]
                },
                missing={
                    p: "no claimed time zone or country to read the times against"
                    for p in (
                        "messages.local_hours",
                        "messages.at_night",
                        "behavior.night_message_count",
                        "behavior.night_message_share",
                        "behavior.application_local_hours",
                    )
                },
            )
        records: list[Record] = []
        count = night = 0
        for m in timed:
            assert m.at is not None
            hours = local_hours(zones, m.at)
            at_night = all(h in NIGHT_HOURS for h in hours)
            from_candidate = m.sender in CANDIDATE_SENDERS
            if from_candidate:
                count += 1
                night += at_night
            records.append(
                {
                    "sender": m.sender,
                    "from_candidate": from_candidate,
                    "at": m.at,
                    "local_hours": list(hours),
                    "at_night": at_night,
                }
            )
        summary: Record = {
            "candidate_message_count": count,
            "night_message_count": night,
            "night_message_share": round(night / count, 3) if count else None,
            "application_local_hours": (
                list(local_hours(zones, app.received_at)) if app.received_at else None
            ),
        }
        return FamilyResult(records={"messages": records, "behavior": [summary]})
