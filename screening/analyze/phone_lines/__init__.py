"""Phone depth: online line-type lookups behind a small provider port (Twilio Lookup v2 here).

Off by default; when configured, answers are cached and every failure (bad credentials, rate
limits, timeouts) becomes an unavailable fact with its reason, while the offline numbering plan
keeps answering whether a number is in a VoIP range.
"""

from __future__ import annotations

from screening.analyze.phone_lines.phone_lines_analyzer import PhoneLineAnalyzer
from screening.analyze.phone_lines.provider import LineType, LineTypeProvider, LookupFailed
from screening.analyze.phone_lines.twilio import DEFAULT_BASE_URL, TwilioLineTypes

__all__ = [
    "DEFAULT_BASE_URL",
    "LineType",
    "LineTypeProvider",
    "LookupFailed",
    "PhoneLineAnalyzer",
    "TwilioLineTypes",
]
