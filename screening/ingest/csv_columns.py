"""Stage 1 of 6 (ingest): which contract column each header of a CSV export fills.

Exports come from applicant-tracking systems and spreadsheets with their own headers
(``Candidate ID, First Name, Last Name, Email Address, Phone Number, LinkedIn Profile, Job,
Stage``). A *column map* says which of our columns (docs/csv.md) each header fills. Shipped maps
(``data/csv_presets.yml``: a generic spreadsheet map, and Greenhouse, Lever, Ashby and Workable
maps that add to it) are tried on every header and the one that recognises the most cells is
used; ``--columns FILE`` replaces that choice with the user's own map. Our own column names are
always known. A header that maps to nothing is ignored and named in one input note; only a
header with no name column at all (``name``, or first and last name) stops the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from screening.errors import InputError, Problem, closest, did_you_mean
from screening.ingest.detect import CSV_COLUMNS
from screening.resources import data_dir
from screening.safeload import LoadError, load_yaml

PRESETS_FILE = "csv_presets.yml"
EXTRA_TARGETS = ("first_name", "last_name", "location", "ignore")
TARGETS = frozenset(CSV_COLUMNS) | frozenset(EXTRA_TARGETS)
LIST_TARGETS = frozenset({"aliases", "emails", "phones", "skills", "interview_notes", "links",
                          "wallets"})  # fmt: skip
_MAX_MAP_ENTRIES = 500
_FOLD = re.compile(r"[\s_\-.]+")


def fold_header(header: str) -> str:
    """A header as compared: case, spaces, dashes, underscores and dots ignored."""
    return _FOLD.sub("", header.strip().lstrip("\ufeff").casefold())


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """A named map from folded headers to target columns (``title`` is shown in notes)."""

    name: str
    title: str
    columns: Mapping[str, str]

    def target(self, header: str) -> str | None:
        """The column ``header`` fills, or None when the map does not know it."""
        key = fold_header(header)
        if key in _OWN:
            return _OWN[key]
        return self.columns.get(key)


@dataclass(frozen=True, slots=True)
class HeaderReading:
    """A header as read: the target of each cell (None: ignored) and what to tell the user."""

    targets: tuple[str | None, ...]
    preset: ColumnMap
    unknown: tuple[str, ...]
    aliased: bool  # some header was read through the map, not as one of our own column names


_OWN = {fold_header(c): c for c in CSV_COLUMNS}


def read_header(cells: Sequence[str], override: ColumnMap | None = None) -> HeaderReading:
    """Targets for ``cells`` with ``override`` or the best preset; InputError without a name."""
    chosen = override or _best(cells)
    targets: list[str | None] = []
    unknown: list[str] = []
    aliased = False
    for cell in cells:
        header = cell.strip().lstrip("\ufeff")
        if not header:
            targets.append(None)  # a trailing delimiter: an unnamed column
            continue
        target = chosen.target(header)
        aliased = aliased or (target is not None and fold_header(header) not in _OWN)
        if target is None:
            unknown.append(header[:60] + _hint(header))
        targets.append(None if target == "ignore" else target)
    if "name" not in targets and not {"first_name", "last_name"} & set(targets):
        hint = _closest(unknown, "name")
        raise InputError(
            [Problem("name", f"the header has no name column (name, or first and last name){hint}")]
        )
    return HeaderReading(tuple(targets), chosen, tuple(unknown), aliased)


def presets() -> dict[str, ColumnMap]:
    """The shipped maps by name (``generic`` first)."""
    return dict(_presets())


def load_columns_file(path: Path) -> ColumnMap:
    """A user's map: YAML ``header: column`` lines (docs/csv.md); InputError names bad entries."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError([Problem("", f"cannot read the columns file: {exc}")], str(path)) from None
    try:
        data = load_yaml(text).data
    except LoadError as exc:
        raise InputError(exc.problems, str(path)) from None
    if not isinstance(data, Mapping) or not data:
        raise InputError([Problem("", "expected a mapping of header: column")], str(path))
    columns, problems = _entries(data)
    if problems:
        raise InputError(problems, str(path))
    base = _presets()["generic"].columns
    return ColumnMap(path.name, f"the columns file {path.name}", {**base, **columns})


@functools.cache
def _presets() -> dict[str, ColumnMap]:
    data = load_yaml((data_dir() / PRESETS_FILE).read_text(encoding="utf-8")).data
    out: dict[str, ColumnMap] = {}
    generic: dict[str, str] = {}
    for name, preset in data.items():
        columns, problems = _entries(preset["columns"])
        if problems:  # a shipped file: a mistake here is a bug, caught by the tests
            raise ValueError(f"{PRESETS_FILE}: {name}: {problems[0]}")
        merged = {**generic, **columns}
        if name == "generic":
            generic = columns
        out[str(name)] = ColumnMap(str(name), f"the {preset['title']} preset", merged)
    return out


def _entries(data: Mapping[object, object]) -> tuple[dict[str, str], list[Problem]]:
    columns: dict[str, str] = {}
    problems: list[Problem] = []
    for header, target in list(data.items())[:_MAX_MAP_ENTRIES]:
        shown = str(header)[:60]
        if not isinstance(header, str) or not fold_header(header):
            problems.append(Problem(shown, "expected a column header"))
        elif not isinstance(target, str) or target not in TARGETS:
            hint = did_you_mean(str(target), sorted(TARGETS)) or " (see docs/csv.md)"
            problems.append(Problem(shown, f"unknown column {str(target)[:60]!r}{hint}"))
        else:
            columns[fold_header(header)] = target
    if len(data) > _MAX_MAP_ENTRIES:
        problems.append(Problem("", f"more than {_MAX_MAP_ENTRIES} entries"))
    return columns, problems


def _best(cells: Sequence[str]) -> ColumnMap:
    """The preset recognising the most cells; the generic one unless a vendor's knows more."""
    maps = list(_presets().values())

    def known(m: ColumnMap) -> int:
        return sum(1 for c in cells if c.strip() and m.target(c) is not None)

    return max(maps, key=known)  # ties keep the earlier map: generic, then file order


def _hint(header: str) -> str:
    """`` (did you mean 'emails'?)`` for a near miss of one of our own column names."""
    return did_you_mean(header.strip().casefold(), CSV_COLUMNS)


def _closest(headers: Sequence[str], wanted: str) -> str:
    close = closest(wanted, [h.casefold() for h in headers])
    return f" ('{close}' is close: rename it, or map it with --columns)" if close else ""
