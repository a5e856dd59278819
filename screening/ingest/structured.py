"""Stage 1 of 6 (ingest): decode a JSON or YAML file into data plus the position of every value.

Both native applications and JSON Resumes go through here. JSON is parsed as JSON (exact JSON
semantics, fast); its line and column positions are only worked out when an error needs them, by
reading the same text as YAML. YAML goes through ``screening.safeload`` (no aliases, no duplicate
keys, bounded depth, YAML 1.2 booleans).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from screening.errors import InputError, LimitError, Problem
from screening.ingest.limits_check import Loc
from screening.model.limits import Limits
from screening.safeload import LoadError, LoadLimits, load_json, load_yaml, shown_key

_YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(slots=True)
class Source:
    """A decoded document and, on demand, the 1-based line and column of each value in it."""

    text: str
    data: object
    positions: dict[Loc, tuple[int, int]] | None = field(default=None, repr=False)
    duplicates: tuple[str, ...] = ()
    """Keys a JSON text gave twice (last value kept); readers refuse or note them."""

    def refuse_duplicates(self) -> None:
        """Raise the duplicate keys as problems (formats where a repeated key is ambiguous)."""
        if self.duplicates:
            raise InputError(
                [
                    Problem(shown_key(k), f"duplicate key '{shown_key(k)}'")
                    for k in self.duplicates[:10]
                ]
            )

    def where(self, loc: Loc) -> tuple[int | None, int | None]:
        """Position of ``loc`` or of its nearest parent below the root (the root says nothing)."""
        if self.positions is None:
            self.positions = _positions_of(self.text)
        p = tuple(loc)
        while p:
            found = self.positions.get(p)
            if found is not None:
                return found
            p = p[:-1]
        return None, None


def load_structured(text: str, suffix: str, limits: Limits) -> Source:
    """Parse JSON (text starting with ``{`` or ``[``) or YAML; ``InputError`` with positions."""
    load_limits = LoadLimits(max_depth=limits.max_depth, max_nodes=limits.max_nodes)
    if text.lstrip().startswith(("{", "[")):
        duplicates: list[str] = []
        try:
            data = load_json(text, load_limits, keep_last=duplicates)
            return Source(text, data, duplicates=tuple(duplicates))
        except LoadError as exc:
            if exc.limit or suffix.lower() not in _YAML_SUFFIXES:
                raise (LimitError if exc.limit else InputError)(exc.problems) from None
    try:
        loaded = load_yaml(text, load_limits)
    except LoadError as exc:
        raise (LimitError if exc.limit else InputError)(exc.problems) from None
    return Source(text, loaded.data, loaded.positions)


def _positions_of(text: str) -> dict[Loc, tuple[int, int]]:
    try:
        return load_yaml(text).positions
    except (LoadError, InputError):
        return {}
