"""Stage 4 (evaluate): selection keys (``fact.path|modifier|flag``) and their comparisons.

A key names a fact and at most one comparison (equality by default) plus flags. Everything that
can be decided without the application is decided here, once, at load time: the modifiers are
checked against the fact's declared type, rule values are converted and normalised (case-folded
text, parsed networks, compiled regular expressions), and a small closure is built that tests one
record. Evaluation then only calls closures.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

import regex

from screening.evaluate.messages import describe, did_you_mean
from screening.evaluate.values import IPAddress, ValueProblem, element, human, network, utc
from screening.model.facts import FactSpec, FactType, Record

log = logging.getLogger("screening.evaluate")

COMPARISONS = frozenset(
    {"neq", "contains", "startswith", "endswith", "re", "lt", "lte", "gt", "gte", "cidr", "exists"}
)
FLAGS = frozenset({"cased", "all", "fieldref", "expand"})
TEXT_OPS = frozenset({"contains", "startswith", "endswith", "re"})
ORDER_OPS = frozenset({"lt", "lte", "gt", "gte"})
ORDERED = frozenset({FactType.INT, FactType.FLOAT, FactType.DATE, FactType.DATETIME})
_NUMBERS = frozenset({FactType.INT, FactType.FLOAT})

Norm = Callable[[object], Any]
Pred = Callable[[Any], bool]


class ValueSource(Protocol):
    """What a record test may read besides its record: every value of another fact."""

    def values(self, path: str) -> list[object]:
        """Every non-empty value of ``path`` (list values flattened)."""
        ...


RecordTest = Callable[[Record, ValueSource], bool]


@dataclass(frozen=True, slots=True)
class KeySpec:
    """A parsed selection key: the fact path, the comparison and the flags."""

    path: str
    op: str = "eq"
    cased: bool = False
    all: bool = False
    fieldref: bool = False
    expand: bool = False


def parse_key(text: str) -> KeySpec:
    """Split ``fact.path|mod|flag``; unknown, repeated or conflicting modifiers are errors."""
    path, *mods = text.split("|")
    if not path:
        raise ValueProblem(f"key {text!r} has no fact path before '|'")
    op = ""
    flags: set[str] = set()
    for mod in mods:
        if mod in COMPARISONS:
            if op:
                raise ValueProblem(
                    f"conflicting modifiers '{op}' and '{mod}': a key takes at most one comparison"
                )
            op = mod
        elif mod in FLAGS:
            if mod in flags:
                raise ValueProblem(f"modifier '{mod}' is given twice")
            flags.add(mod)
        else:
            known = sorted(COMPARISONS | FLAGS)
            hint = did_you_mean(mod, known) or f" (modifiers: {', '.join(known)})"
            raise ValueProblem(f"unknown modifier '{mod}'{hint}")
    spec = KeySpec(
        path,
        op or "eq",
        cased="cased" in flags,
        all="all" in flags,
        fieldref="fieldref" in flags,
        expand="expand" in flags,
    )
    _check_flags(spec)
    return spec


def _check_flags(spec: KeySpec) -> None:
    if spec.op == "exists":
        for flag in ("cased", "all", "fieldref", "expand"):
            if getattr(spec, flag):
                raise ValueProblem(f"'exists' takes no flags: remove '{flag}'")
    if spec.all and spec.op == "neq":
        raise ValueProblem("'neq' already means equal to none of the values: remove 'all'")
    if spec.fieldref and spec.expand:
        raise ValueProblem("'fieldref' and 'expand' cannot be combined")
    if spec.fieldref and spec.op == "re":
        raise ValueProblem(
            "'re' cannot take 'fieldref': a fact's value must never become a regular expression"
        )
    if spec.fieldref and spec.op == "cidr":
        raise ValueProblem("'cidr' cannot take 'fieldref': write the network in the rule")


def check_type(spec: KeySpec, fact: FactSpec) -> None:
    """Refuse comparisons the fact's type cannot support (e.g. ``lt`` on text)."""
    kind = fact.type.element
    what = f"{spec.path} is {human(fact.type)}"
    if spec.op in TEXT_OPS and kind is not FactType.STR:
        raise ValueProblem(f"type mismatch: '{spec.op}' works on text, but {what}")
    if spec.op in ORDER_OPS and kind not in ORDERED:
        raise ValueProblem(f"type mismatch: '{spec.op}' compares numbers and dates, but {what}")
    if spec.op == "cidr" and kind is not FactType.IP:
        raise ValueProblem(f"type mismatch: 'cidr' works on IP addresses, but {what}")
    if spec.cased and kind is not FactType.STR:
        raise ValueProblem(f"type mismatch: 'cased' applies to text, but {what}")
    if spec.expand and kind not in (FactType.STR, FactType.IP):
        raise ValueProblem(f"type mismatch: 'expand' lists hold text, but {what}")


def check_ref(spec: KeySpec, fact: FactSpec, ref: FactSpec) -> None:
    """A ``fieldref`` target must hold values comparable with the key's fact."""
    mine, theirs = fact.type.element, ref.type.element
    if mine == theirs or {mine, theirs} <= _NUMBERS:
        return
    raise ValueProblem(
        f"type mismatch: {spec.path} ({human(fact.type)}) cannot be compared with "
        f"{ref.path} ({human(ref.type)})"
    )


def rule_value(spec: KeySpec, fact: FactSpec, value: object, *, from_list: bool = False) -> object:
    """A value written in the rule (or a line of an expand list), ready to compare."""
    if spec.op == "exists":
        if not isinstance(value, bool):
            raise ValueProblem(f"'exists' takes true or false, got {describe(value)}")
        return value
    if spec.op == "re":
        if not isinstance(value, str):
            raise ValueProblem(f"'re' takes a regular expression in quotes, got {describe(value)}")
        try:
            return regex.compile(value, regex.V0 if spec.cased else regex.V0 | regex.IGNORECASE)
        except regex.error as exc:
            raise ValueProblem(f"invalid regular expression {value!r}: {exc}") from None
    if spec.op == "cidr":
        return network(value, spec.path)
    if spec.op in TEXT_OPS:
        if not isinstance(value, str):
            raise ValueProblem(
                f"type mismatch: '{spec.op}' takes text, got {describe(value)}; put it in quotes"
            )
        return value if spec.cased else value.casefold()
    checked = element(value, fact, declared=not from_list and spec.op in ("eq", "neq"))
    return normalizer(fact.type.element, spec.cased)(checked)


def normalizer(kind: FactType, cased: bool) -> Norm:
    """How a fact value of ``kind`` is prepared for comparison (None: not comparable)."""
    if kind is FactType.STR:
        return _cased if cased else _folded
    if kind in _NUMBERS:
        return _number
    if kind is FactType.BOOL:
        return _bool
    if kind is FactType.DATE:
        return _date
    if kind is FactType.DATETIME:
        return _datetime
    return _ip


def _folded(v: object) -> str | None:
    return v.casefold() if isinstance(v, str) else None


def _cased(v: object) -> str | None:
    return v if isinstance(v, str) else None


def _number(v: object) -> int | float | None:
    return v if isinstance(v, int | float) and not isinstance(v, bool) else None


def _bool(v: object) -> bool | None:
    return v if isinstance(v, bool) else None


def _date(v: object) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


def _datetime(v: object) -> dt.datetime | None:
    return utc(v) if isinstance(v, dt.datetime) else None


def _ip(v: object) -> IPAddress | None:
    if isinstance(v, IPAddress):
        return v
    return _parse_ip(v) if isinstance(v, str) else None


@lru_cache(maxsize=4096)
def _parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _contains(v: str, x: str) -> bool:
    return x in v


def _startswith(v: str, x: str) -> bool:
    return v.startswith(x)


def _endswith(v: str, x: str) -> bool:
    return v.endswith(x)


# Candidate text is hostile and rule authors are human: a pathological pattern must not hang a
# screening. The `regex` engine takes a (wall-clock) timeout, generous enough that a busy server
# with many threads never trips it on ordinary patterns; a search that runs out of time counts as
# no match and is logged with the pattern only, never the text.
REGEX_TIMEOUT_SECONDS = 1.0


def _search(v: str, x: regex.Pattern[str]) -> bool:
    try:
        return x.search(v, timeout=REGEX_TIMEOUT_SECONDS) is not None
    except TimeoutError:
        log.warning("regular expression %r timed out on a %d-character value", x.pattern, len(v))
        return False


def _within(v: Any, x: Any) -> bool:
    return bool(v in x)


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "contains": _contains,
    "startswith": _startswith,
    "endswith": _endswith,
    "re": _search,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "cidr": _within,
}


def any_of(op: str, values: Sequence[object]) -> Pred:
    """A predicate true when a normalised fact value satisfies ``op`` with any of ``values``."""
    if op == "eq":
        return frozenset(values).__contains__
    if op == "neq":
        excluded = frozenset(values)
        return lambda v: v not in excluded
    if op in ("startswith", "endswith"):
        prefixes = tuple(str(x) for x in values)
        if op == "startswith":
            return lambda v: bool(v.startswith(prefixes))
        return lambda v: bool(v.endswith(prefixes))
    test = _OPS[op]
    if len(values) == 1:
        only = values[0]
        return lambda v: test(v, only)
    return lambda v: any(test(v, x) for x in values)


def _elements(value: object) -> Sequence[object]:
    if isinstance(value, list | tuple):
        return value
    if isinstance(value, set | frozenset):
        return list(value)
    return (value,)


def present(value: object) -> bool:
    """Absent means None or an empty list; ``exists`` is the only test that sees absence."""
    return value is not None and not (isinstance(value, list | tuple) and not value)


def exists_test(key: str, want: bool) -> RecordTest:
    """``exists: true|false`` on one record."""

    def test(record: Record, source: ValueSource) -> bool:
        return present(record.get(key)) is want

    return test


def static_test(
    key: str, is_list: bool, norm: Norm, op: str, values: Sequence[object], all_: bool
) -> RecordTest:
    """A record test against values written in the rule (or expanded from a list)."""
    if all_:
        preds = [any_of(op, [x]) for x in values]

        def test_all(record: Record, source: ValueSource) -> bool:
            value = record.get(key)
            if value is None:
                return False
            normed = [n for n in map(norm, _elements(value)) if n is not None]
            return all(any(p(n) for n in normed) for p in preds)

        return test_all
    pred = any_of(op, values)
    if is_list:

        def test_list(record: Record, source: ValueSource) -> bool:
            value = record.get(key)
            if value is None:
                return False
            for item in _elements(value):
                normed = norm(item)
                if normed is not None and pred(normed):
                    return True
            return False

        return test_list

    def test(record: Record, source: ValueSource) -> bool:
        value = record.get(key)
        if value is None:
            return False
        normed = norm(value)
        return normed is not None and pred(normed)

    return test


def ref_test(
    key: str, norm: Norm, op: str, all_: bool, ref_key: str | None, ref_path: str, ref_norm: Norm
) -> RecordTest:
    """A ``fieldref`` record test: the values come from the same record (``ref_key``) or from
    every record of another namespace (``ref_path``)."""
    compare = _OPS["eq" if op == "neq" else op]
    negate = op == "neq"

    def test(record: Record, source: ValueSource) -> bool:
        value = record.get(key)
        if value is None:
            return False
        raw = record.get(ref_key) if ref_key is not None else source.values(ref_path)
        if raw is None:
            return False
        refs = [x for x in map(ref_norm, _elements(raw)) if x is not None]
        if not refs:
            return False
        normed = [n for n in map(norm, _elements(value)) if n is not None]
        if negate:
            return any(all(not compare(n, x) for x in refs) for n in normed)
        if all_:
            return all(any(compare(n, x) for n in normed) for x in refs)
        return any(compare(n, x) for n in normed for x in refs)

    return test
