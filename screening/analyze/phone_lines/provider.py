"""The port for online phone line-type lookups: what a provider answers and how it fails.

A provider turns an E.164 number into a line type in Twilio's vocabulary (the most detailed
public one: it separates fixed from non-fixed VoIP). Failures are values, not crashes: a
``LookupFailed`` carries a reviewer-readable reason and, for rate limits and rejected
credentials, how long to stop asking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

LINE_TYPES = (
    "mobile",
    "landline",
    "fixedVoip",
    "nonFixedVoip",
    "personal",
    "tollFree",
    "premium",
    "sharedCost",
    "uan",
    "voicemail",
    "pager",
    "unknown",
)
VIRTUAL_TYPES = frozenset({"fixedVoip", "nonFixedVoip"})


@dataclass(frozen=True, slots=True)
class LineType:
    """A provider's answer for one number (``type`` None: the provider found no line type, for
    instance because it holds the number invalid; the numbering plan answers then)."""

    type: str | None
    carrier: str | None = None

    def to_json(self) -> dict[str, object]:
        """The cached form."""
        return {"type": self.type, "carrier": self.carrier}

    @classmethod
    def from_json(cls, data: object) -> LineType | None:
        """An answer from its cached form (None when the entry is not one)."""
        if not isinstance(data, dict):
            return None
        kind, carrier = data.get("type"), data.get("carrier")
        if kind is not None and kind not in LINE_TYPES:
            return None
        return cls(
            kind if isinstance(kind, str) else None,
            carrier if isinstance(carrier, str) else None,
        )


class LookupFailed(Exception):
    """The provider gave no usable answer; ``pause`` seconds before asking again (0: at once)."""

    def __init__(self, reason: str, pause: float = 0.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pause = pause


class LineTypeProvider(Protocol):
    """An online line-type service."""

    name: ClassVar[str]

    def lookup(self, e164: str) -> LineType:
        """The line type of ``e164``; raises ``LookupFailed`` with the reason."""
        ...

    def describe(self) -> str:
        """Where it asks (for the report's sources), without credentials."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
