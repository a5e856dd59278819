"""Stage 1 of 6 (ingest): creation and modification dates as documents write them.

Why by hand: PDF info dates (``D:20240102030405+01'00'``) come in many broken variants (missing
``D:``, a trailing apostrophe or not, ``Z00'00'``, truncated after the year) and libraries either
raise or guess. These parsers return ``None`` for anything they cannot read with confidence, keep
the time zone when the file states one and leave the datetime naive when it does not.
"""

from __future__ import annotations

import datetime as dt
import re

_PDF_DATE = re.compile(
    r"\s*(?:D:)?\s*(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:(Z)|([+-])(\d{2})'?(?:(\d{2})'?)?)?"
)
_ISO_DATE = re.compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\s*$")


def parse_pdf_date(value: str | None) -> dt.datetime | None:
    """``D:YYYYMMDDHHmmSSOHH'mm'`` with every part after the year optional."""
    if not value:
        return None
    m = _PDF_DATE.match(value)
    if m is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else None for g in m.groups()[:6])
    tz: dt.tzinfo | None = None
    if m[7]:
        tz = dt.UTC
    elif m[8]:
        hours, minutes = int(m[9]), int(m[10] or 0)
        if hours > 23 or minutes > 59:
            return None
        offset = dt.timedelta(hours=hours, minutes=minutes)
        tz = dt.timezone(-offset if m[8] == "-" else offset)
    try:
        return dt.datetime(
            year or 1, month or 1, day or 1, hour or 0, minute or 0, second or 0, tzinfo=tz
        )
    except ValueError:
        return None


def parse_iso_date(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date or date-time, as XMP writes them (``2024-01-02T03:04:05+01:00``)."""
    if not value:
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    m = _ISO_DATE.match(text)
    if m is None:
        return None
    try:
        return dt.datetime(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None
