"""Stage 3 (analyze, language): the shipped table of technology first-release dates.

"Ten years of Kubernetes" in 2020 is impossible: Kubernetes was first released in 2014. The table
(``screening/data/technology_releases.yml``) gives each technology's earliest public release to
the month, the event, and the announcement it is taken from, so every anachronism finding can be
traced to a source a reviewer can check.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache

from screening.model.facts import Source
from screening.resources import data_dir
from screening.safeload import load_yaml

TABLE = "technology_releases.yml"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Technology:
    """One technology: matching names, first public release (month), event and source."""

    name: str
    aliases: tuple[str, ...]  # matched case-insensitively
    cased: tuple[str, ...]  # matched only as written ("Go", "Swift")
    released: dt.date  # first day of the release month
    event: str
    source: str

    def years_available(self, today: dt.date) -> float:
        """Years from the first release to ``today`` (0 before it)."""
        months = (today.year - self.released.year) * 12 + today.month - self.released.month
        return max(months, 0) / 12


@dataclass(frozen=True, slots=True)
class TechTable:
    """The table and its compile date."""

    technologies: tuple[Technology, ...]
    date: str

    def source(self) -> Source:
        """The table as a report source."""
        return Source(f"Technology first-release dates ({TABLE})", self.date)


@cache
def technology_table() -> TechTable:
    """The shipped table, read once; a malformed row is a packaging bug and raises ValueError."""
    data = load_yaml((data_dir() / TABLE).read_text(encoding="utf-8")).data
    if not isinstance(data, dict) or not isinstance(data.get("technologies"), list):
        raise ValueError(f"{TABLE}: expected a mapping with a technologies list")
    out: list[Technology] = []
    for i, row in enumerate(data["technologies"]):
        if not isinstance(row, dict):
            raise ValueError(f"{TABLE}: technologies[{i}] is not a mapping")
        released = _MONTH.match(str(row.get("released", "")))
        name, event, source = row.get("name"), row.get("event"), row.get("source")
        aliases = tuple(str(a).lower() for a in row.get("aliases", []))
        cased = tuple(str(a) for a in row.get("cased", []))
        if not (released and name and event and source and (aliases or cased)):
            raise ValueError(
                f"{TABLE}: technologies[{i}] needs name, aliases or cased, released (YYYY-MM), "
                "event and source"
            )
        out.append(
            Technology(
                name=str(name),
                aliases=aliases,
                cased=cased,
                released=dt.date(int(released.group(1)), int(released.group(2)), 1),
                event=str(event),
                source=str(source),
            )
        )
    return TechTable(tuple(out), str(data.get("date", "undated")))
