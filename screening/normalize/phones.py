"""Phone numbers to E.164, parsed with the claimed country as the default region.

A national number ("(555) 010-2030") only makes sense relative to a country; the candidate's own
claimed country is the one they implicitly mean. Numbers that cannot be parsed keep the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from screening.model.normalized import Phone
from screening.model.notes import InputNote, NoteKind, quoted
from screening.normalize.text import clean_line


def normalize_phone(raw: str, default_region: str | None) -> Phone:
    """Parse ``raw``; ``region`` is the number's own region, which may differ from the claim."""
    import phonenumbers

    text = clean_line(raw)
    if not text:
        return Phone(raw=raw, e164=None, region=None, error="empty")
    if len(text) > 64:
        return Phone(raw=raw[:64], e164=None, region=None, error="too long to be a phone number")
    try:
        number = phonenumbers.parse(text, default_region if not text.startswith("+") else None)
    except phonenumbers.NumberParseException as exc:
        reason = {
            phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: (
                "no country code and no claimed country to read it against"
                if not default_region
                else "unknown country code"
            ),
            phonenumbers.NumberParseException.NOT_A_NUMBER: "not a phone number",
            phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
            phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short",
            phonenumbers.NumberParseException.TOO_LONG: "too long",
        }.get(exc.error_type, "cannot be parsed")
        return Phone(raw=raw, e164=None, region=None, error=reason)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    region = phonenumbers.region_code_for_number(number)
    return Phone(raw=raw, e164=e164, region=region if region and region != "ZZ" else None)


def place_phones(
    raws: Sequence[str], region: str | None, via: str, field: str, notes: list[InputNote]
) -> tuple[Phone, ...]:
    """Normalise numbers against ``region`` (reached ``via`` a named source), noting each national
    number placed that way and each number that could not be placed (none is silently dropped)."""
    phones = []
    for i, raw in enumerate(raws):
        phone = normalize_phone(raw, region)
        where = f"{field}[{i}]" if len(raws) > 1 or field == "phones" else field
        national = not clean_line(raw).startswith(("+", "00"))
        if phone.e164 is None:
            notes.append(
                InputNote(
                    where, NoteKind.PHONE, f"{quoted(raw)} could not be placed: {phone.error}"
                )
            )
        elif national and region:
            notes.append(
                InputNote(
                    where,
                    NoteKind.PHONE,
                    f"national number {quoted(raw)} read as {phone.e164} through {via} ({region})",
                )
            )
        phones.append(phone)
    return tuple(phones)
