"""Online phone line types (opt-in), with the offline numbering plan as the fallback.

The numbering plan knows VoIP *ranges*, but in North America VoIP numbers are ported into
ordinary geographic ranges, so only the carrier's records can say "non-fixed VoIP". When a
provider is configured each number is looked up once (answers cached in process and, with
``[phone] cache_path``, on disk); ``phone_lines.virtual`` then comes from the provider, else from
the numbering plan, and ``line_type_source`` says which. Provider facts that could not be had
(provider off, rate limited, timed out) are reported unavailable with the reason.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.analyze.common.lookupcache import LookupCache
from screening.analyze.phone_lines.provider import (
    LINE_TYPES,
    VIRTUAL_TYPES,
    LineType,
    LineTypeProvider,
    LookupFailed,
)
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

DEFAULT_CACHE_DAYS = 30.0
DEFAULT_MAX_LOOKUPS = 5
ONLINE_FACTS = ("line_type", "carrier_name")


def _plan_virtual(e164: str) -> bool:
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    return phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.VOIP


class PhoneLineAnalyzer:
    """Per number: the provider's line type and carrier, and whether the line is virtual."""

    name: ClassVar[str] = "phone_lines"
    description: ClassVar[str] = "Online phone line types (opt-in), numbering plan as fallback"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("phone_lines", "One record per parsed phone number", "phone_lines", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "phone_lines",
        "phone_lines",
        [
            ("e164", "str", "The number in E.164 form"),
            ("line_type", "str", "Line type from the online provider", {"values": LINE_TYPES}),
            ("carrier_name", "str", "Carrier name from the online provider"),
            (
                "virtual",
                "bool",
                "A VoIP line: fixed or non-fixed VoIP per the provider, else a VoIP range of the "
                "numbering plan",
            ),
            (
                "line_type_source",
                "str",
                "What decided 'virtual'",
                {"values": ("provider", "numbering_plan")},
            ),
            ("lookup_error", "str", "Why the online lookup gave no answer for this number"),
        ],
    )

    def __init__(
        self,
        provider: LineTypeProvider | None = None,
        cache: LookupCache | None = None,
        *,
        offline: bool = False,
        max_lookups: int = DEFAULT_MAX_LOOKUPS,
        cache_days: float = DEFAULT_CACHE_DAYS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.provider = provider
        self.cache = cache
        self.offline = offline
        self.max_lookups = max_lookups
        self.cache_seconds = cache_days * 86_400
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._paused: tuple[float, str] | None = None  # (until, reason) after 401 or 429

    def sources(self) -> list[Source]:
        """The provider (live answers, cached) or the numbering plan alone.

        Empty when a provider is configured in offline mode: the family is skipped then.
        """
        import phonenumbers

        plan = Source("phonenumbers numbering-plan metadata", phonenumbers.__version__)
        if self.provider is None:
            return [plan]
        if self.offline:
            return []
        cache = self.cache.describe() if self.cache else "no cache"
        return [Source(f"Twilio Lookup v2, {self.provider.describe()}", f"live; {cache}"), plan]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per parsed number; provider answers where they could be had."""
        numbers = list(dict.fromkeys(p.e164 for p in app.phones if p.e164))
        if not numbers:
            reason = "no phone numbers" if not app.phones else "no phone number could be parsed"
            return FamilyResult.skipped(f"{reason} in the application")
        if self.provider is not None and (self.offline or ctx.offline):
            return FamilyResult.skipped("offline mode")
        answers: dict[str, LineType] = {}
        errors: dict[str, str] = {}
        if self.provider is not None:
            answers, errors = self._online(self.provider, numbers)
        records: list[Record] = []
        for e164 in numbers:
            answer = answers.get(e164)
            online = answer is not None and answer.type is not None
            records.append(
                {
                    "e164": e164,
                    "line_type": answer.type if answer else None,
                    "carrier_name": answer.carrier if answer else None,
                    "virtual": (answer.type in VIRTUAL_TYPES)
                    if online and answer
                    else _plan_virtual(e164),
                    "line_type_source": "provider" if online else "numbering_plan",
                    "lookup_error": errors.get(e164),
                }
            )
        result = FamilyResult(records={"phone_lines": records})
        if self.provider is None:
            why = "online line-type lookup is off ([phone] provider)"
            result.missing = {f"phone_lines.{k}": why for k in ONLINE_FACTS}
            result.reason = f"{why}; VoIP from the numbering plan"
        elif errors:
            shown = sorted(set(errors.values()))
            why = f"online lookup failed for {len(errors)} of {len(numbers)} numbers: " + "; ".join(
                shown[:3]
            )
            result.missing = {f"phone_lines.{k}": why for k in ONLINE_FACTS}
            result.reason = f"{why}; numbering plan used for those"
        return result

    def _online(
        self, provider: LineTypeProvider, numbers: list[str]
    ) -> tuple[dict[str, LineType], dict[str, str]]:
        answers: dict[str, LineType] = {}
        errors: dict[str, str] = {}
        if self.cache is not None:
            for key, data in self.cache.get_many(numbers).items():
                answer = LineType.from_json(data)
                if answer is not None:
                    answers[key] = answer
        asked = 0
        fresh: dict[str, tuple[object, float]] = {}
        for e164 in numbers:
            if e164 in answers:
                continue
            paused = self._pause_reason()
            if paused:
                errors[e164] = paused
                continue
            if asked >= self.max_lookups:
                errors[e164] = f"not looked up: at most {self.max_lookups} lookups per application"
                continue
            asked += 1
            try:
                answer = provider.lookup(e164)
            except LookupFailed as exc:
                errors[e164] = exc.reason
                if exc.pause:
                    self._pause(exc.pause, exc.reason)
                continue
            answers[e164] = answer
            fresh[e164] = (answer.to_json(), self.cache_seconds)
        if self.cache is not None and fresh:
            self.cache.put_many(fresh)
        return answers, errors

    def _pause_reason(self) -> str | None:
        with self._lock:
            if self._paused is None:
                return None
            until, reason = self._paused
            if self._monotonic() >= until:
                self._paused = None
                return None
            return f"not looked up: {reason}"

    def _pause(self, seconds: float, reason: str) -> None:
        with self._lock:
            self._paused = (self._monotonic() + seconds, reason)
