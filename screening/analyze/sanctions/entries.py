"""Stage 3 (analyze): sanctions-list entries in one shape, whatever file format they came from.

The OFAC CSV set, the OFAC XML form and FollowTheMoney JSON lines all become ``SanctionsEntry``
records with the same fields (names, strong and weak aliases, programs, emails, digital-currency
addresses, websites, dates of birth), so matching is written once. Dates of birth keep their
precision: OFAC writes exact days, months, bare years, "circa" years and ranges, and a year must
not be read as a day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]{3})[a-z]* (\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_US = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
CIRCA_YEARS = 1


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A date of birth as a closed interval, with the precision it was published at."""

    start: dt.date
    end: dt.date
    precision: str  # "day", "month", "year", "circa", "range"

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls in the published date or interval."""
        return self.start <= day <= self.end

    @classmethod
    def parse(cls, text: str) -> BirthDate | None:
        """OFAC ("12 Jul 1986", "Jul 1986", "1986", "circa 1947", "01 Jan 1953 to 31 Dec
        1953"), ISO ("1986-07-12", "1986-07", "1986") or US ("07/12/1986"); None otherwise."""
        try:
            return cls._parse(" ".join(text.replace(",", " ").split()))
        except ValueError:  # an impossible date: 31 Feb, month 0, "circa" beyond year 1 or 9999
            return None

    @classmethod
    def _parse(cls, value: str) -> BirthDate | None:
        if " to " in value:
            left, _, right = value.partition(" to ")
            a, b = cls._parse(left), cls._parse(right)
            if a is None or b is None or b.end < a.start:
                return None
            return cls(a.start, b.end, "range")
        if value.lower().startswith("circa "):
            inner = cls._parse(value[6:])
            if inner is None:
                return None
            return cls(
                dt.date(inner.start.year - CIRCA_YEARS, 1, 1),
                dt.date(inner.end.year + CIRCA_YEARS, 12, 31),
                "circa",
            )
        return cls._exact(value)

    @classmethod
    def _exact(cls, value: str) -> BirthDate | None:
        # an unknown month name becomes month 0, which dt.date refuses like any impossible date
        if m := _DAY_MONTH_YEAR.match(value):
            return cls._of(int(m.group(3)), _MONTHS.get(m.group(2).lower(), 0), int(m.group(1)))
        if m := _MONTH_YEAR.match(value):
            return cls._of(int(m.group(2)), _MONTHS.get(m.group(1).lower(), 0))
        if m := _US.match(value):
            return cls._of(int(m.group(3)), int(m.group(1)), int(m.group(2)))
        if m := _ISO.match(value):
            month, day = (int(g) if g else None for g in m.group(2, 3))
            return cls._of(int(m.group(1)), month, day)
        return None

    @classmethod
    def _of(cls, year: int, month: int | None = None, day: int | None = None) -> BirthDate:
        """The day, month or year given (raises ``ValueError`` for an impossible date)."""
        if month is None:
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        if day is None:
            return cls(dt.date(year, month, 1), _month_end(year, month), "month")
        exact = dt.date(year, month, day)
        return cls(exact, exact, "day")


@dataclass(frozen=True, slots=True)
class Wallet:
    """A digital-currency address and its asset code as published (XBT, ETH, USDT ...)."""

    asset: str
    address: str


@dataclass(frozen=True, slots=True)
class SanctionsEntry:
    """One listed person, organisation, vessel or wallet holder."""

    uid: str
    name: str
    kind: str  # "individual", "entity", "vessel", "aircraft", "wallet"
    programs: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # strong aliases: screened
    weak_aliases: tuple[str, ...] = ()  # nicknames, handles: kept for review, not screened
    emails: tuple[str, ...] = ()
    wallets: tuple[Wallet, ...] = ()
    websites: tuple[str, ...] = ()
    birth_dates: tuple[BirthDate, ...] = ()

    @property
    def is_person(self) -> bool:
        """Only people are compared with an applicant's name."""
        return self.kind == "individual"


@dataclass(frozen=True, slots=True)
class SanctionsList:
    """The entries read from one source, with where they came from and when it was published."""

    title: str
    source: str
    date: str
    entries: tuple[SanctionsEntry, ...]
