"""Stage 4 (evaluate): matching compiled selections against a FactSet in three-valued logic.

A selection is a mapping of keys (all must hold) or a list of such mappings (any must hold).
Keys of one mapping that reach into the same namespace are tested against the same record: the
namespace group holds when one record satisfies all of them, so "a VoIP phone registered in DE"
never matches a VoIP phone in the US plus a mobile phone in DE. A key whose fact (or fieldref
target) could not be computed is unknown, which makes its group at best unknown; an empty
namespace behaves like one empty record, so only ``exists: false`` holds there.

The hot path (``evaluate``) only answers True / False / None. Evidence and missing paths are
collected by a second, slower pass that runs only for matches and unknown outcomes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from screening.evaluate.condition import Tri
from screening.evaluate.modifiers import RecordTest
from screening.model.facts import CheckStatus, FactSet, FactValue, Record

_EMPTY: tuple[Record, ...] = ({},)


class Env:
    """One FactSet prepared for evaluation: which families are not usable, and why."""

    __slots__ = ("_values", "bad", "clean", "missing", "records")

    def __init__(self, facts: FactSet, families: Iterable[str]) -> None:
        self.records = facts.records
        self.missing = facts.missing
        self.bad: dict[str, str] = {}
        for family in families:
            check = facts.checks.get(family)
            if check is None:
                self.bad[family] = f"{family}: analyzer did not run"
            elif check.status is not CheckStatus.OK:
                reason = f": {check.reason}" if check.reason else ""
                self.bad[family] = f"{family} {check.status.value}{reason}"
        self.clean = not self.bad and not self.missing
        self._values: dict[str, list[object]] = {}

    def values(self, path: str) -> list[object]:
        """Every non-empty value of ``path`` across its namespace, list values flattened."""
        cached = self._values.get(path)
        if cached is not None:
            return cached
        namespace, _, key = path.partition(".")
        out: list[object] = []
        for record in self.records.get(namespace, ()):
            value = record.get(key)
            if isinstance(value, list | tuple):
                out.extend(v for v in value if v is not None)
            elif value is not None:
                out.append(value)
        self._values[path] = out
        return out

    def unknown(self, path: str, family: str) -> bool:
        """True when ``path`` could not be computed (family not ok, or the path is missing)."""
        return family in self.bad or path in self.missing

    def reason(self, path: str, family: str) -> str:
        """Why ``path`` is unknown, from the family check or the missing-fact reason."""
        if family in self.bad:
            return self.bad[family]
        return f"{path}: {self.missing.get(path, 'not available')}"


@dataclass(frozen=True, slots=True, eq=False)
class KeyMatcher:
    """One compiled selection key."""

    text: str
    path: str
    key: str
    family: str
    test: RecordTest
    ref_path: str | None = None
    ref_family: str | None = None
    ref_key: str | None = None
    line: int | None = None

    def sources(self) -> tuple[tuple[str, str], ...]:
        """The (path, family) pairs whose availability decides whether this key is known."""
        if self.ref_path is None or self.ref_family is None:
            return ((self.path, self.family),)
        return ((self.path, self.family), (self.ref_path, self.ref_family))

    def evidence(self, record: Record, env: Env, out: list[tuple[str, FactValue]]) -> None:
        """Add what this key saw in a record that satisfied it."""
        value = record.get(self.key)
        if value is not None:
            out.append((self.path, value))
        if self.ref_path is None:
            return
        if self.ref_key is not None:
            ref = record.get(self.ref_key)
            if ref is not None:
                out.append((self.ref_path, ref))
            return
        namespace, _, key = self.ref_path.partition(".")
        for other in env.records.get(namespace, ()):
            ref = other.get(key)
            if ref is not None:
                out.append((self.ref_path, ref))


@dataclass(frozen=True, slots=True, eq=False)
class Group:
    """The keys of one selection mapping that read the same namespace."""

    namespace: str
    keys: tuple[KeyMatcher, ...]
    families: frozenset[str]
    paths: tuple[str, ...]

    def evaluate(self, env: Env) -> Tri:
        """True if a record satisfies every key; None if only unknown keys stand in the way."""
        keys = self.keys
        unknown = False
        if not env.clean and (
            (env.bad and not self.families.isdisjoint(env.bad))
            or (env.missing and not env.missing.keys().isdisjoint(self.paths))
        ):
            keys = tuple(k for k in keys if not any(env.unknown(p, f) for p, f in k.sources()))
            unknown = True
        for record in env.records.get(self.namespace) or _EMPTY:
            for key in keys:
                if not key.test(record, env):
                    break
            else:
                return None if unknown else True
        return False

    def satisfying(self, env: Env) -> list[Record]:
        """The records that satisfy every key (call only when the group is True)."""
        return [
            record
            for record in env.records.get(self.namespace) or _EMPTY
            if all(key.test(record, env) for key in self.keys)
        ]

    def unknown_paths(self, env: Env, out: dict[str, str]) -> None:
        """Add the paths that made this group unknown, with their reasons."""
        for key in self.keys:
            for path, family in key.sources():
                if env.unknown(path, family):
                    out[path] = env.reason(path, family)


@dataclass(frozen=True, slots=True, eq=False)
class AndMap:
    """One selection mapping: every namespace group must hold."""

    groups: tuple[Group, ...]

    def evaluate(self, env: Env) -> Tri:
        """Kleene AND over the groups."""
        unknown = False
        for group in self.groups:
            result = group.evaluate(env)
            if result is False:
                return False
            if result is None:
                unknown = True
        return None if unknown else True


@dataclass(frozen=True, slots=True, eq=False)
class Selection:
    """A named selection: one or more mappings, any of which may hold.

    ``evaluate`` is bound at construction to the shortest path (a single mapping of a single
    namespace evaluates its group directly), since most selections are that simple.
    """

    name: str
    maps: tuple[AndMap, ...]
    line: int | None = None
    evaluate: Callable[[Env], Tri] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        maps = self.maps
        if len(maps) == 1:
            groups = maps[0].groups
            run = groups[0].evaluate if len(groups) == 1 else maps[0].evaluate
        else:

            def run(env: Env) -> Tri:
                unknown = False
                for mapping in maps:
                    result = mapping.evaluate(env)
                    if result is True:
                        return True
                    if result is None:
                        unknown = True
                return None if unknown else False

        object.__setattr__(self, "evaluate", run)

    def collect(
        self,
        env: Env,
        out: list[tuple[str, FactValue]],
        matched: dict[str, list[Record]],
    ) -> None:
        """Evidence from every mapping that holds, and the records that satisfied it."""
        single = len(self.maps) == 1  # the selection holds, so its only mapping does
        for mapping in self.maps:
            if not single and mapping.evaluate(env) is not True:
                continue
            for group in mapping.groups:
                records = group.satisfying(env)
                seen = matched.setdefault(group.namespace, [])
                for record in records:
                    if not any(record is r for r in seen):
                        seen.append(record)
                    for key in group.keys:
                        key.evidence(record, env, out)

    def unknown_paths(self, env: Env, out: dict[str, str]) -> None:
        """The unavailable paths of the mappings and groups that came out unknown."""
        for mapping in self.maps:
            if mapping.evaluate(env) is not None:
                continue
            for group in mapping.groups:
                if group.evaluate(env) is None:
                    group.unknown_paths(env, out)
