"""Facts: what analyzers compute and rules read (docs/rules.md, "Facts").

A fact path is ``<namespace>.<key>``. Every namespace is a list of records (a single-record
namespace such as ``identity`` has one record), so ``phones.line_type`` reaches into every phone.
Each fact is declared once in a ``FactSpec`` by the analyzer that produces it; the declarations
form the fact catalogue that packs are validated against.

Three states matter to evaluation: a fact is *present* (a value), *absent* (the analyzer ran and
found nothing: ``None`` or no key), or *unavailable* (its analyzer was skipped or failed, or the
analyzer could not compute that one fact and said why). Unavailable facts make rules
``not_evaluated``; they are never read as "clean".
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class FactType(StrEnum):
    """Value types a fact may have; rule modifiers are checked against them."""

    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    IP = "ip"
    LIST_STR = "list[str]"
    LIST_INT = "list[int]"

    @property
    def is_list(self) -> bool:
        """True for list-valued facts (a list value matches if any element matches)."""
        return self.value.startswith("list[")

    @property
    def element(self) -> FactType:
        """The type of one element (the type itself for scalars)."""
        if self is FactType.LIST_STR:
            return FactType.STR
        if self is FactType.LIST_INT:
            return FactType.INT
        return self


@dataclass(frozen=True, slots=True)
class FactSpec:
    """Declaration of one fact: its path, type, meaning, producer and sensitivity."""

    path: str
    type: FactType
    description: str
    family: str
    sensitive: bool = False
    values: tuple[str, ...] = ()

    @property
    def namespace(self) -> str:
        """First path segment: the list of records the fact lives in."""
        return self.path.split(".", 1)[0]

    @property
    def key(self) -> str:
        """The rest of the path: the key inside each record."""
        return self.path.split(".", 1)[1]


@dataclass(frozen=True, slots=True)
class NamespaceSpec:
    """Declaration of a namespace: one record (``many=False``) or a list of them."""

    name: str
    description: str
    family: str
    many: bool


class CheckStatus(StrEnum):
    """Outcome of running one analyzer family."""

    OK = "ok"
    SKIPPED = "skipped"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True, slots=True)
class Check:
    """The status of one analyzer family with a reason when it is not ``ok``."""

    analyzer: str
    status: CheckStatus
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Source:
    """A list, database or code table used to compute facts, with its version or date."""

    name: str
    version_or_date: str


FactValue = object
Record = dict[str, FactValue]


@dataclass(slots=True)
class FamilyResult:
    """What one analyzer returns: its status, records per namespace, and facts it could not compute.

    ``missing`` maps fact paths to a reason (e.g. ``identity.age_at_graduation``: "no
    date_of_birth"); rules reading them come out ``not_evaluated`` instead of ``no_match``.
    """

    status: CheckStatus = CheckStatus.OK
    reason: str = ""
    records: dict[str, list[Record]] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    @classmethod
    def skipped(cls, reason: str) -> FamilyResult:
        """No input for this analyzer."""
        return cls(CheckStatus.SKIPPED, reason)

    @classmethod
    def unavailable(cls, reason: str) -> FamilyResult:
        """The analyzer failed, timed out or is disabled."""
        return cls(CheckStatus.UNAVAILABLE, reason)


class FactSet:
    """All facts of one application: records per namespace, a check per family, missing paths."""

    __slots__ = ("checks", "missing", "records")

    def __init__(self) -> None:
        self.records: dict[str, list[Record]] = {}
        self.checks: dict[str, Check] = {}
        self.missing: dict[str, str] = {}

    def add(self, family: str, result: FamilyResult) -> None:
        """Merge one analyzer's result."""
        self.checks[family] = Check(family, result.status, result.reason)
        if result.status is CheckStatus.OK:
            for namespace, records in result.records.items():
                self.records.setdefault(namespace, []).extend(records)
            self.missing.update(result.missing)

    def namespace(self, name: str) -> list[Record]:
        """The records of one namespace (empty if none)."""
        return self.records.get(name, [])

    def __iter__(self) -> Iterator[tuple[str, FactValue]]:
        for namespace, records in self.records.items():
            for record in records:
                for key, value in record.items():
                    yield f"{namespace}.{key}", value


def json_value(value: FactValue) -> object:
    """A fact value as data ``json.dumps`` accepts: dates as ISO text, tuples and sets as lists,
    and anything else it would refuse (IP address objects, NaN) as text."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


class FactCatalogue:
    """Every declared fact and namespace; what rule packs are validated against."""

    __slots__ = ("facts", "namespaces")

    def __init__(self, facts: Iterable[FactSpec], namespaces: Iterable[NamespaceSpec]) -> None:
        self.facts: dict[str, FactSpec] = {}
        self.namespaces: dict[str, NamespaceSpec] = {}
        for ns in namespaces:
            if ns.name in self.namespaces:
                raise ValueError(f"namespace {ns.name!r} declared twice")
            self.namespaces[ns.name] = ns
        for spec in facts:
            if spec.path in self.facts:
                raise ValueError(f"fact {spec.path!r} declared twice")
            if "." not in spec.path:
                raise ValueError(f"fact path {spec.path!r} needs a namespace and a key")
            if spec.namespace not in self.namespaces:
                raise ValueError(f"fact {spec.path!r} is in undeclared namespace")
            self.facts[spec.path] = spec

    def get(self, path: str) -> FactSpec | None:
        """The declaration of ``path``, or None if it is not in the catalogue."""
        return self.facts.get(path)

    def families(self) -> set[str]:
        """Names of every analyzer family that declared facts."""
        return {spec.family for spec in self.facts.values()}

    def __contains__(self, path: object) -> bool:
        return path in self.facts

    def __len__(self) -> int:
        return len(self.facts)
