"""Phone facts from the offline numbering-plan data in ``phonenumbers``.

Line type, carrier (where the plan records one), the number's region and time zones, and whether
they agree with the claimed location. VoIP numbers and numbers from another country are common
among honest candidates too, so these are weak facts that rules weigh lightly.
"""

from __future__ import annotations

from typing import ClassVar

from screening.analyze.base import AnalysisContext, declare
from screening.model.facts import FactSpec, FamilyResult, NamespaceSpec, Record, Source
from screening.model.normalized import Application

LINE_TYPES = (
    "fixed_line",
    "mobile",
    "fixed_line_or_mobile",
    "toll_free",
    "premium_rate",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "unknown",
)


class PhoneAnalyzer:
    """Validity, line type, carrier, region and time zones of each phone number."""

    name: ClassVar[str] = "phones"
    description: ClassVar[str] = "Phone numbers checked against the offline numbering plan"
    namespaces: ClassVar[tuple[NamespaceSpec, ...]] = (
        NamespaceSpec("phones", "One record per phone number given", "phones", True),
    )
    facts: ClassVar[tuple[FactSpec, ...]] = declare(
        "phones",
        "phones",
        [
            ("raw", "str", "The number as written in the application"),
            ("e164", "str", "The number in E.164 form (+15125550102), when it parses"),
            (
                "valid",
                "bool",
                "The number is valid for its region's numbering plan (absent if it did not parse)",
            ),
            ("parse_error", "str", "Why the number could not be parsed"),
            ("region", "str", "ISO country of the number (from its country code and prefix)"),
            ("line_type", "str", "Line type from the numbering plan", {"values": LINE_TYPES}),
            (
                "carrier",
                "str",
                "Original carrier, where the numbering plan records one (mobile ranges)",
            ),
            ("timezones", "list[str]", "IANA time zones the number's prefix covers"),
            ("region_matches_claim", "bool", "The number's region equals the claimed country"),
            (
                "timezone_matches_claim",
                "bool",
                "The claimed time zone is among the number's time zones",
            ),
        ],
    )

    def sources(self) -> list[Source]:
        """The numbering-plan metadata version."""
        import phonenumbers

        return [Source("phonenumbers numbering-plan metadata", phonenumbers.__version__)]

    def analyze(self, app: Application, ctx: AnalysisContext) -> FamilyResult:
        """One record per phone; claim comparisons are missing when nothing was claimed."""
        if not app.phones:
            return FamilyResult.skipped("no phone numbers in the application")
        import phonenumbers
        from phonenumbers import carrier, timezone

        names = {getattr(phonenumbers.PhoneNumberType, t.upper()): t for t in LINE_TYPES}
        claimed = app.location.country
        claimed_tz = app.location.timezone
        records: list[Record] = []
        for phone in app.phones:
            rec: Record = {"raw": phone.raw[:64], "parse_error": phone.error}
            if phone.e164:
                number = phonenumbers.parse(phone.e164, None)
                valid = phonenumbers.is_valid_number(number)
                zones = [z for z in timezone.time_zones_for_number(number) if z != "Etc/Unknown"]
                rec.update(
                    e164=phone.e164,
                    valid=valid,
                    region=phone.region,
                    line_type=names.get(phonenumbers.number_type(number), "unknown"),
                    carrier=carrier.name_for_number(number, "en") or None,
                    timezones=zones,
                    region_matches_claim=(phone.region == claimed)
                    if claimed and phone.region
                    else None,
                    timezone_matches_claim=(claimed_tz in zones) if claimed_tz and zones else None,
                )
            records.append(rec)
        missing = {}
        if not claimed:
            missing["phones.region_matches_claim"] = "no claimed country (location.country)"
        if not claimed_tz:
            missing["phones.timezone_matches_claim"] = "no claimed time zone (location.timezone)"
        return FamilyResult(records={"phones": records}, missing=missing)
