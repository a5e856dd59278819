"""Stage 1 of 6 (ingest): dates as people write them in resumes -> contract partial dates.

The contract takes ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` and ``present``. Published resumes also
say ``08/2013``, ``2017/10/11``, ``Mar-2022``, ``APRIL 2021``, ``enero 2020``, ``20-08-2017``,
``2019-6``, ``2024-09-31`` (a day the month does not have), ``2015-12-00`` and ``至今``. Each is
read with no more precision than it really gives, and the caller notes what was assumed:

- month names in any language babel knows (CLDR, wide and abbreviated, format and stand-alone);
  a name that means different months in two languages gives the year only;
- ``D/M/YYYY`` against ``M/D/YYYY``: read only when one part is above 12, else the year only;
- an impossible day (``2024-09-31``, ``2015-12-00``) keeps year and month;
- words for "still there": CLDR's words for "now" and "today" in every language plus the common
  resume words below (``present``, ``current``, ``至今``, ``actualidad`` ...).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

ONGOING_WORDS = frozenset(
    {
        "present", "current", "currently", "now", "today", "ongoing", "till now", "to date",
        "until now", "actual", "actualidad", "actualmente", "presente", "atual", "atualmente",
        "aujourd'hui", "present day", "heute", "aktuell", "derzeit", "bis heute", "gegenwart",
        "jetzt", "bis jetzt", "oggi",
        "attuale", "in corso", "obecnie", "teraz", "heden", "nu", "nå", "idag", "i dag",
        "至今", "现在", "現在", "目前", "今", "現職", "재직중", "현재", "по настоящее время",
        "настоящее время", "сейчас", "đến nay", "hiện tại", "sekarang", "kini",
    }
)  # fmt: skip
"""Resume words for an end that has not come; CLDR's "now" and "today" are added to these."""

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::[\d.]+)?(?:Z|[+-][\d:]{2,5})?)?"
_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2})" + _TIME + r")?)?$")
_RANGE = re.compile(r"^(.+?)\s*(?:\s[-–—]\s|[–—]|\bto\b|\buntil\b)\s*(.+)$")
_YEARS = re.compile(r"^(\d{4})[-/](\d{4})$")  # 2014-2020, 2019/2020: years only, so a range
_MONTH_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_THREE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORDY = re.compile(r"^([^\d\s,./-]+)\.?[\s,./-]*(\d{4})$|^(\d{4})[\s,./-]+([^\d\s,./-]+)\.?$")
_DAY_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s./-]+([^\d\s,./-]+)\.?[\s,./-]+(\d{4})$")
_MAX_LEN = 40


@dataclass(frozen=True, slots=True)
class DateReading:
    """A contract partial date (or ``present``) and, when something was assumed, what."""

    value: str
    assumed: str = ""


def read_date(value: object, *, end: bool = False) -> DateReading | None:
    """``value`` as a contract partial date; None when it cannot be read as a date at all.

    A range written in one field (``2019 - 2021``) gives its first part, or with ``end`` its last.
    """
    if isinstance(value, str):
        m = _range(value)
        if m and len(value) <= _MAX_LEN:
            part = read_date(m[2] if end else m[1], end=end)
            if part is not None:
                return DateReading(
                    part.value, "a range in one field, its " + ("end" if end else "start") + " read"
                )
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return DateReading(str(value)) if 1000 <= value <= 9999 else None
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if not text or len(text) > _MAX_LEN:
        return None
    if _fold(text) in _ongoing():
        if text.casefold() == "present":
            return DateReading("present")
        return DateReading("present", "read as ongoing")
    m = _ISO.match(text)
    if m:
        return _ymd(int(m[1]), m[2], m[3], text, canonical=_is_canonical(text))
    m = _MONTH_FIRST.match(text)
    if m:
        return _ymd(int(m[2]), m[1], None, text, canonical=False)
    m = _THREE.match(text)
    if m:
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if a > 12 >= b:
            return _ymd(year, str(b), str(a), text, canonical=False)
        if b > 12 >= a:
            return _ymd(year, str(a), str(b), text, canonical=False)
        if a == b:
            return _ymd(year, str(a), str(b), text, canonical=False)
        return DateReading(str(year), "day and month order unclear, read as the year only")
    m = _WORDY.match(text) or _DAY_WORDY.match(text)
    if m:
        groups = [g for g in m.groups() if g]
        year = int(next(g for g in groups if g.isdigit() and len(g) == 4))
        word = next(g for g in groups if not g.isdigit())
        month = _months().get(_fold(word))
        if month is None:
            return None
        if month == 0:
            return DateReading(str(year), f"month name {word!r} is ambiguous, read as the year")
        return DateReading(f"{year}-{month:02d}", "month name read")
    return None


def is_range(value: object) -> bool:
    """Whether ``value`` is a range written in one field (``Jan 2022 - Mar 2024``)."""
    if not isinstance(value, str) or len(value) > _MAX_LEN:
        return False
    m = _range(value)
    if m is None:
        return False
    return read_date(m[1]) is not None and read_date(m[2], end=True) is not None


def _range(value: str) -> re.Match[str] | None:
    text = " ".join(value.split())
    return _YEARS.match(text) or _RANGE.match(text)


def _is_canonical(text: str) -> bool:
    return re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", text) is not None


def _ymd(
    year: int, month: str | None, day: str | None, text: str, *, canonical: bool
) -> DateReading | None:
    if not 1000 <= year <= 9999:
        return None
    if month is None:
        return DateReading(str(year), "" if canonical else "read as a year")
    m = int(month)
    if m == 0:
        return DateReading(str(year), "month 00 read as the year only")
    if not 1 <= m <= 12:
        return None
    how = "" if canonical else "date form read"
    if day is None:
        return DateReading(f"{year}-{m:02d}", how)
    d = int(day)
    try:
        dt.date(year, m, d)
    except ValueError:
        return DateReading(f"{year}-{m:02d}", "the day does not exist, read with month precision")
    return DateReading(f"{year}-{m:02d}-{d:02d}", how)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().strip().rstrip("."))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _ongoing() -> frozenset[str]:
    """The resume words plus CLDR's "now" and "today" in every base language."""
    from babel import Locale, localedata

    words = {_fold(w) for w in ONGOING_WORDS}
    for ident in localedata.locale_identifiers():
        if "_" in ident:
            continue
        fields = Locale.parse(ident)._data.get("date_fields", {})
        for unit in ("second", "day"):
            relative = fields.get(unit, {}).get("relative", {}) if unit in fields else {}
            text = relative.get(0) if hasattr(relative, "get") else None
            if isinstance(text, str) and len(text) > 1:
                words.add(_fold(text))
    return frozenset(words)


@functools.cache
def _months() -> dict[str, int]:
    """Folded month names (every CLDR language) -> month; 0 when languages disagree.

    English names win (the common language of resumes); another name is read as the month most
    languages give it when at least three times as many languages agree as disagree.
    """
    from collections import Counter

    from babel import Locale, localedata

    votes: dict[str, Counter[int]] = {}
    english: dict[str, int] = {}
    for ident in localedata.locale_identifiers():
        is_english = ident in ("en", "en_GB")  # en_GB adds "Sept"
        if "_" in ident and not is_english:
            continue
        months = Locale.parse(ident).months
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, name in months.get(context, {}).get(width, {}).items():
                    key = _fold(name)
                    if len(key) < 3 or key.isdigit():
                        continue
                    if is_english:
                        english[key] = number
                    else:
                        votes.setdefault(key, Counter())[number] += 1
    out: dict[str, int] = {}
    for key, counter in votes.items():
        (best, n), *rest = [*counter.most_common(2), (0, 0)]
        out[key] = best if n >= 3 * rest[0][1] else 0
    out.update(english)
    return out
